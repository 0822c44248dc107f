// Values as a meter engineer reads them (see readable.hpp).
#include "client/readable.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <sstream>

#include <metergen/axdr/date_time.hpp>

#include "cosem.hpp"

namespace metergen::client {
namespace {

using json = nlohmann::json;

constexpr int kUnitCount = 255;
constexpr int kEnergyDecimals = 3;  // Wh → kWh

bool is_energy_unit(int unit) {
  const std::string name = cosem::unit_name(unit);
  return name == "Wh" || name == "varh" || name == "VAh";
}

std::string padded(unsigned value, int width) {
  std::ostringstream s;
  s << std::setfill('0') << std::setw(width) << value;
  return s.str();
}

// A date-time field: its digits, or '*' of its width when not specified.
std::string field(unsigned value, unsigned not_specified, int width) {
  return value == not_specified ? std::string(static_cast<std::size_t>(width), '*') : padded(value, width);
}

// "+01:00" for a deviation of -60 (deviation is local → UTC, ISO offsets UTC → local).
std::string utc_offset(std::int16_t deviation) {
  const int offset = -deviation;
  return std::string(offset < 0 ? "-" : "+") + padded(static_cast<unsigned>(std::abs(offset) / 60), 2) + ":" +
         padded(static_cast<unsigned>(std::abs(offset) % 60), 2);
}

// The set clock status bits by name, comma separated ("" when none or not specified).
std::string clock_status_text(std::uint8_t status) {
  if (status == axdr::kNotSpecified) return "";
  static const std::pair<std::uint8_t, const char*> kBits[] = {
      {axdr::kStatusInvalid, "invalid"},           {axdr::kStatusDoubtful, "doubtful"},
      {axdr::kStatusDifferentBase, "different clock base"}, {axdr::kStatusInvalidClock, "invalid clock status"},
      {axdr::kStatusDaylightSaving, "dst"},
  };
  std::string out;
  for (const auto& [bit, name] : kBits)
    if (status & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::optional<std::vector<std::uint8_t>> hex_bytes(const std::string& hex) {
  if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::optional<axdr::DateTime> parse_date_time(const std::string& hex) {
  auto bytes = hex_bytes(hex);
  if (!bytes || bytes->size() != axdr::kDateTimeSize) return std::nullopt;
  ByteReader r(bytes->data(), bytes->size());
  axdr::DateTime t{};
  if (!axdr::get_date_time_raw(r, t)) return std::nullopt;
  return t;
}

std::string number_text(const json& v) {
  if (v.is_number_float()) {
    std::ostringstream s;
    s << v.get<double>();
    return s.str();
  }
  return v.dump();
}

std::string scaled_value_text(const json& v, const Meaning& m) {
  if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
    return scaled_text(v.get<std::int64_t>(), m.scaler, m.unit);
  if (!v.is_number()) return v.dump();
  const int shift = is_energy_unit(m.unit) ? m.scaler - kEnergyDecimals : m.scaler;
  std::ostringstream s;
  s << v.get<double>() * std::pow(10.0, shift);
  return s.str();
}

std::string named_value_text(const json& v, const Meaning& m) {
  std::int64_t key = 0;
  if (v.is_boolean()) key = v.get<bool>() ? 1 : 0;
  else if (v.is_number_integer()) key = v.get<std::int64_t>();
  else return v.dump();
  auto it = m.names.find(key);
  return it == m.names.end() ? std::to_string(key) : it->second;
}

// A value whose meaning is not known: its plain text, a 12-byte octet-string
// that names an instant as a date-time, structures and arrays as typed JSON.
std::string raw_value_text(const std::string& type, const json& v) {
  if (type == "structure" || type == "array") return type + ' ' + v.dump();
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return number_text(v);
  const std::string s = v.get<std::string>();
  if (type == "octet-string" || type == "date-time") {
    auto t = parse_date_time(s);
    if (t && axdr::is_instant(*t)) return *date_time_text(s);
  }
  return s;
}

// value × 10^scaler / 10^extra, exactly: the digits of value × 10^max(scaler, 0)
// with max(-scaler, 0) + extra decimals.
std::string point_text(std::int64_t value, int scaler, int extra) {
  const bool negative = value < 0;
  std::string digits = std::to_string(negative ? -static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value));
  if (scaler > 0 && digits != "0") digits += std::string(static_cast<std::size_t>(scaler), '0');
  const auto decimals = static_cast<std::size_t>(std::max(-scaler, 0) + extra);
  if (decimals > 0) {
    if (digits.size() <= decimals) digits.insert(0, decimals + 1 - digits.size(), '0');
    digits.insert(digits.size() - decimals, ".");
  }
  return (negative ? "-" : "") + digits;
}

// "cover_open, magnet" for bits 1 and 2 named so; "bit N" without a name; "none".
std::string set_bit_names(const std::vector<std::int64_t>& set, const std::map<std::int64_t, std::string>& names) {
  std::string out;
  for (std::int64_t bit : set) {
    auto it = names.find(bit);
    out += (out.empty() ? "" : ", ") + (it == names.end() ? "bit " + std::to_string(bit) : it->second);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

Meaning scaled(int scaler, int unit) {
  Meaning m;
  m.kind = Meaning::Kind::scaled;
  m.scaler = scaler;
  m.unit = unit;
  return m;
}

Meaning named(std::map<std::int64_t, std::string> names) {
  Meaning m;
  m.kind = Meaning::Kind::names;
  m.names = std::move(names);
  return m;
}

Meaning bit_names(std::map<std::int64_t, std::string> names) {
  Meaning m = named(std::move(names));
  m.kind = Meaning::Kind::bits;
  return m;
}

Meaning date_time() {
  Meaning m;
  m.kind = Meaning::Kind::date_time;
  return m;
}

std::string decimal_text(std::int64_t value, int scaler) { return point_text(value, scaler, 0); }

std::string unit_label(int unit) {
  if (unit == kUnitCount || unit < 0) return "";
  const std::string name = cosem::unit_name(unit);
  if (name == "?") return "unit " + std::to_string(unit);
  if (is_energy_unit(unit)) return "k" + name;
  if (name == "percent") return "%";
  return name;
}

std::string scaled_text(std::int64_t value, int scaler, int unit) {
  return point_text(value, scaler, is_energy_unit(unit) ? kEnergyDecimals : 0);
}

std::optional<std::string> date_time_text(const std::string& hex) {
  auto t = parse_date_time(hex);
  if (!t) return std::nullopt;
  std::string s = field(t->year, axdr::kYearNotSpecified, 4) + "-" + field(t->month, axdr::kNotSpecified, 2) + "-" +
                  field(t->day, axdr::kNotSpecified, 2) + "T" + field(t->hour, axdr::kNotSpecified, 2) + ":" +
                  field(t->minute, axdr::kNotSpecified, 2) + ":" + field(t->second, axdr::kNotSpecified, 2);
  if (t->deviation != axdr::kDeviationNotSpecified) s += utc_offset(t->deviation);
  const std::string status = clock_status_text(t->status);
  if (!status.empty()) s += " (" + status + ")";
  return s;
}

std::string bits_text(const std::string& bits, const std::map<std::int64_t, std::string>& names) {
  std::vector<std::int64_t> set;
  for (std::size_t i = 0; i < bits.size(); ++i)
    if (bits[i] == '1') set.push_back(static_cast<std::int64_t>(i));
  return bits + " (" + set_bit_names(set, names) + ")";
}

std::string flags_text(std::uint64_t value, const std::map<std::int64_t, std::string>& names) {
  std::vector<std::int64_t> set;
  for (std::int64_t i = 0; i < 64; ++i)
    if (value >> i & 1) set.push_back(i);
  return std::to_string(value) + " (" + set_bit_names(set, names) + ")";
}

std::string value_text(const json& typed, const Meaning& meaning) {
  const std::string type = typed.value("type", "");
  const json& v = typed.contains("value") ? typed["value"] : json();
  switch (meaning.kind) {
    case Meaning::Kind::scaled:
      if (v.is_number()) return scaled_value_text(v, meaning);
      break;
    case Meaning::Kind::names:
      if (v.is_number_integer() || v.is_boolean()) return named_value_text(v, meaning);
      break;
    case Meaning::Kind::bits:
      if (type == "bit-string") return bits_text(v.get<std::string>(), meaning.names);
      if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0))
        return flags_text(v.get<std::uint64_t>(), meaning.names);
      break;
    case Meaning::Kind::date_time:
      if (v.is_string())
        if (auto text = date_time_text(v.get<std::string>())) return *text;
      break;
    case Meaning::Kind::raw: break;
  }
  return raw_value_text(type, v);
}

std::string unit_text(const Meaning& meaning) {
  return meaning.kind == Meaning::Kind::scaled ? unit_label(meaning.unit) : "";
}

std::string reading_text(const json& typed, const Meaning& meaning) {
  const std::string text = value_text(typed, meaning), unit = unit_text(meaning);
  return unit.empty() ? text : text + " " + unit;
}

std::string column_heading(const Column& column) {
  const std::string unit = unit_text(column.meaning);
  return unit.empty() ? column.name : column.name + " [" + unit + "]";
}

std::vector<std::vector<std::string>> profile_rows(const json& buffer, const std::vector<Column>& columns) {
  const json& entries = buffer.contains("value") && buffer["value"].is_array() ? buffer["value"] : json::array();
  std::size_t width = columns.size();
  for (const auto& entry : entries) width = std::max(width, entry.value("value", json::array()).size());
  std::vector<std::vector<std::string>> rows(1);
  for (std::size_t i = 0; i < width; ++i)
    rows[0].push_back(i < columns.size() ? column_heading(columns[i]) : "column " + std::to_string(i + 1));
  for (const auto& entry : entries) {
    std::vector<std::string> row;
    const json fields = entry.value("value", json::array());
    for (std::size_t i = 0; i < fields.size(); ++i)
      row.push_back(value_text(fields[i], i < columns.size() ? columns[i].meaning : Meaning{}));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string table_text(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  auto line = [&](const std::vector<std::string>& row) {
    std::string s;
    for (std::size_t i = 0; i < row.size(); ++i)
      s += (i ? "  " : "") + row[i] + (i + 1 < row.size() ? std::string(widths[i] - row[i].size(), ' ') : "");
    return s + "\n";
  };
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += line(rows[r]);
    if (r > 0) continue;
    std::vector<std::string> rule;
    for (std::size_t i = 0; i < rows[0].size(); ++i) rule.push_back(std::string(widths[i], '-'));
    out += line(rule);
  }
  return out;
}

std::string csv_text(const std::vector<std::vector<std::string>>& rows) {
  auto quoted = [](const std::string& f) {
    if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
    std::string q = "\"";
    for (char c : f) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + quoted(row[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace metergen::client
