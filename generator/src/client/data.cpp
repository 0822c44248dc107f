// A-XDR <-> typed JSON and the object_list decoder (see data.hpp).
#include "client/data.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <tuple>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>

#include "tree.hpp"

namespace metergen::client {
namespace {

using tables::DataType;
using json = nlohmann::ordered_json;

constexpr int kMaxDepth = 16;

struct TypeName {
  DataType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {DataType::null_data, "null-data"}, {DataType::array, "array"}, {DataType::structure, "structure"},
    {DataType::boolean, "boolean"}, {DataType::bit_string, "bit-string"}, {DataType::double_long, "double-long"},
    {DataType::double_long_unsigned, "double-long-unsigned"}, {DataType::octet_string, "octet-string"},
    {DataType::visible_string, "visible-string"}, {DataType::utf8_string, "utf8-string"}, {DataType::bcd, "bcd"},
    {DataType::integer, "integer"}, {DataType::long_, "long"}, {DataType::unsigned_, "unsigned"},
    {DataType::long_unsigned, "long-unsigned"}, {DataType::compact_array, "compact-array"},
    {DataType::long64, "long64"}, {DataType::long64_unsigned, "long64-unsigned"}, {DataType::enum_, "enum"},
    {DataType::float32, "float32"}, {DataType::float64, "float64"}, {DataType::date_time, "date-time"},
    {DataType::date, "date"}, {DataType::time, "time"},
};

const char* type_name(std::uint8_t tag) {
  for (const auto& t : kTypeNames)
    if (static_cast<std::uint8_t>(t.type) == tag) return t.name;
  return nullptr;
}

std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char digits[] = "0123456789ABCDEF";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

Bytes parse_hex(const std::string& text) {
  std::string digits;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
  if (digits.rfind("0x", 0) == 0 || digits.rfind("0X", 0) == 0) digits = digits.substr(2);
  if (digits.size() % 2 != 0 || digits.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw ClientError("not a hex string: '" + text + "'");
  Bytes out;
  for (std::size_t i = 0; i < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return out;
}

[[noreturn]] void malformed() { throw ClientError("malformed A-XDR data from the meter"); }

// Text from the meter as a JSON string: bytes that are not well-formed UTF-8
// become U+FFFD, so that no value can make the JSON written invalid.
std::string text_value(const std::uint8_t* p, std::size_t n) {
  std::string rest(reinterpret_cast<const char*>(p), n), out;
  for (std::size_t bad; (bad = first_invalid_utf8(rest)) != std::string::npos; rest.erase(0, bad + 1))
    out += rest.substr(0, bad) + "\xEF\xBF\xBD";
  return out + rest;
}

const std::uint8_t* take(ByteReader& r, std::size_t n) {
  const std::uint8_t* p = r.take(n);
  if (!p && n > 0) malformed();
  return p;
}

template <typename Float>
Float read_float(ByteReader& r) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < sizeof(Float); ++i) bits = (bits << 8) | r.u8();
  if (r.error()) malformed();
  Float f;
  if constexpr (sizeof(Float) == 4) {
    auto b32 = static_cast<std::uint32_t>(bits);
    std::memcpy(&f, &b32, 4);
  } else {
    std::memcpy(&f, &bits, 8);
  }
  return f;
}

json read_untagged(ByteReader& description, ByteReader& value, int depth);

json read_value(ByteReader& r, int depth) {
  if (depth > kMaxDepth) malformed();
  std::uint8_t tag = r.u8();
  const char* name = type_name(tag);
  if (r.error() || !name) malformed();
  json out;
  out["type"] = name;
  json& v = out["value"];
  switch (static_cast<DataType>(tag)) {
    case DataType::null_data: v = nullptr; break;
    case DataType::array:
    case DataType::structure: {
      std::uint32_t n = axdr::get_length(r);
      if (r.error() || n > r.remaining()) malformed();
      v = json::array();
      for (std::uint32_t i = 0; i < n; ++i) v.push_back(read_value(r, depth + 1));
      break;
    }
    case DataType::boolean: v = r.u8() != 0; break;
    case DataType::bit_string: {
      std::uint32_t bits = axdr::get_length(r);
      if (r.error()) malformed();
      const std::uint8_t* p = take(r, (bits + 7) / 8);
      std::string s;
      for (std::uint32_t i = 0; i < bits; ++i) s += (p[i / 8] >> (7 - i % 8)) & 1 ? '1' : '0';
      v = s;
      break;
    }
    case DataType::octet_string:
    case DataType::bcd:
    case DataType::date_time:
    case DataType::date:
    case DataType::time: {
      std::size_t n = tag == static_cast<std::uint8_t>(DataType::octet_string) ? axdr::get_length(r)
                      : tag == static_cast<std::uint8_t>(DataType::bcd)         ? 1
                      : tag == static_cast<std::uint8_t>(DataType::date_time)   ? 12
                      : tag == static_cast<std::uint8_t>(DataType::date)        ? 5
                                                                               : 4;
      if (r.error()) malformed();
      v = hex(take(r, n), n);
      break;
    }
    case DataType::visible_string:
    case DataType::utf8_string: {
      std::uint32_t n = axdr::get_length(r);
      if (r.error()) malformed();
      v = text_value(take(r, n), n);
      break;
    }
    case DataType::integer: v = static_cast<std::int8_t>(r.u8()); break;
    case DataType::unsigned_:
    case DataType::enum_: v = r.u8(); break;
    case DataType::long_: v = static_cast<std::int16_t>(r.be16()); break;
    case DataType::long_unsigned: v = r.be16(); break;
    case DataType::double_long: v = static_cast<std::int32_t>(r.be32()); break;
    case DataType::double_long_unsigned: v = r.be32(); break;
    case DataType::long64: v = static_cast<std::int64_t>(r.be64()); break;
    case DataType::long64_unsigned: v = r.be64(); break;
    case DataType::float32: v = read_float<float>(r); break;
    case DataType::float64: v = read_float<double>(r); break;
    case DataType::compact_array: {
      ByteReader whole(r.current() - 1, r.remaining() + 1);
      axdr::CompactArray array{};
      if (!axdr::get_compact_array(whole, array)) malformed();
      take(r, whole.position() - 1);
      out["type"] = "array";  // the array it stands for, so a compact buffer reads like any other
      v = json::array();
      for (ByteReader element; axdr::next_compact_element(array, element);) {
        ByteReader description = array.description;
        v.push_back(read_untagged(description, element, depth + 1));
      }
      break;
    }
  }
  if (r.error()) malformed();
  return out;
}

// One value of a compact-array's contents, laid out by `description` (both
// consumed): arrays and structures element by element, a simple type as the
// tagged value it stands for.
json read_untagged(ByteReader& description, ByteReader& value, int depth) {
  if (depth > kMaxDepth) malformed();
  const std::uint8_t tag = description.u8();
  json out;
  if (tag == static_cast<std::uint8_t>(DataType::array)) {
    const std::uint16_t n = description.be16();
    const ByteReader element = description;
    if (description.error() || !axdr::skip_type_description(description)) malformed();
    out["type"] = "array";
    out["value"] = json::array();
    for (std::uint16_t i = 0; i < n; ++i) {
      ByteReader d = element;
      out["value"].push_back(read_untagged(d, value, depth + 1));
    }
  } else if (tag == static_cast<std::uint8_t>(DataType::structure)) {
    const std::uint32_t n = axdr::get_length(description);
    if (description.error()) malformed();
    out["type"] = "structure";
    out["value"] = json::array();
    for (std::uint32_t i = 0; i < n; ++i) out["value"].push_back(read_untagged(description, value, depth + 1));
  } else {
    ByteReader simple(&tag, 1);
    const std::uint8_t* begin = value.current();
    if (!axdr::skip_untagged(simple, value)) malformed();
    Bytes tagged{tag};
    tagged.insert(tagged.end(), begin, value.current());
    ByteReader r(tagged.data(), tagged.size());
    out = read_value(r, depth);
  }
  return out;
}

void write_value(ByteWriter& w, const nlohmann::json& j, int depth) {
  if (depth > kMaxDepth) throw ClientError("value nested too deeply");
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string() || j.size() > 2)
    throw ClientError("a value is {\"type\": \"...\", \"value\": ...}, got " + j.dump());
  std::string name = j["type"].get<std::string>();
  const nlohmann::json v = j.contains("value") ? j["value"] : nlohmann::json();
  auto it = std::find_if(std::begin(kTypeNames), std::end(kTypeNames), [&](const TypeName& t) { return name == t.name; });
  if (it == std::end(kTypeNames)) throw ClientError("unknown data type '" + name + "'");
  auto integer = [&](long double lo, long double hi) {
    if (!v.is_number_integer()) throw ClientError(name + " needs an integer value, got " + v.dump());
    long double x = v.is_number_unsigned() ? static_cast<long double>(v.get<std::uint64_t>())
                                           : static_cast<long double>(v.get<std::int64_t>());
    if (x < lo || x > hi) throw ClientError(v.dump() + " is out of range for " + name);
    return v;
  };
  auto text = [&] {
    if (!v.is_string()) throw ClientError(name + " needs a string value, got " + v.dump());
    return v.get<std::string>();
  };
  switch (it->type) {
    case DataType::null_data: axdr::put_null(w); break;
    case DataType::array:
    case DataType::structure:
      if (!v.is_array()) throw ClientError(name + " needs a list of values");
      axdr::put_tag(w, it->type);
      axdr::put_length(w, static_cast<std::uint32_t>(v.size()));
      for (const auto& e : v) write_value(w, e, depth + 1);
      break;
    case DataType::boolean:
      if (!v.is_boolean()) throw ClientError("boolean needs true or false");
      axdr::put_boolean(w, v.get<bool>());
      break;
    case DataType::bit_string: {
      std::string s = text();
      if (s.find_first_not_of("01") != std::string::npos) throw ClientError("bit-string needs binary digits");
      axdr::put_tag(w, it->type);
      axdr::put_length(w, static_cast<std::uint32_t>(s.size()));
      for (std::size_t i = 0; i < s.size(); i += 8) {
        std::uint8_t b = 0;
        for (std::size_t k = 0; k < 8; ++k) b = static_cast<std::uint8_t>(b << 1 | (i + k < s.size() && s[i + k] == '1'));
        w.u8(b);
      }
      break;
    }
    case DataType::octet_string: {
      Bytes b = parse_hex(text());
      axdr::put_octet_string(w, b.data(), b.size());
      break;
    }
    case DataType::bcd:
    case DataType::date_time:
    case DataType::date:
    case DataType::time: {
      Bytes b = parse_hex(text());
      std::size_t size = it->type == DataType::bcd ? 1 : it->type == DataType::date_time ? 12 : it->type == DataType::date ? 5 : 4;
      if (b.size() != size) throw ClientError(name + " needs " + std::to_string(size) + " bytes (hex)");
      axdr::put_tag(w, it->type);
      w.bytes(b.data(), b.size());
      break;
    }
    case DataType::visible_string:
    case DataType::utf8_string: {
      std::string s = text();
      axdr::put_tag(w, it->type);
      axdr::put_length(w, static_cast<std::uint32_t>(s.size()));
      w.bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
      break;
    }
    case DataType::integer: axdr::put_integer(w, static_cast<std::int8_t>(integer(-128, 127).get<int>())); break;
    case DataType::unsigned_: axdr::put_unsigned(w, static_cast<std::uint8_t>(integer(0, 255).get<int>())); break;
    case DataType::enum_: axdr::put_enum(w, static_cast<std::uint8_t>(integer(0, 255).get<int>())); break;
    case DataType::long_: axdr::put_long(w, static_cast<std::int16_t>(integer(-32768, 32767).get<int>())); break;
    case DataType::long_unsigned: axdr::put_long_unsigned(w, static_cast<std::uint16_t>(integer(0, 65535).get<int>())); break;
    case DataType::double_long:
      axdr::put_double_long(w, static_cast<std::int32_t>(integer(-2147483648.0L, 2147483647.0L).get<std::int64_t>()));
      break;
    case DataType::double_long_unsigned:
      axdr::put_double_long_unsigned(w, static_cast<std::uint32_t>(integer(0, 4294967295.0L).get<std::uint64_t>()));
      break;
    case DataType::long64: axdr::put_long64(w, integer(-9.3e18L, 9.3e18L).get<std::int64_t>()); break;
    case DataType::long64_unsigned: axdr::put_long64_unsigned(w, integer(0, 1.9e19L).get<std::uint64_t>()); break;
    case DataType::float32:
    case DataType::float64: {
      if (!v.is_number()) throw ClientError(name + " needs a number");
      axdr::put_tag(w, it->type);
      if (it->type == DataType::float32) {
        float f = v.get<float>();
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        w.be32(bits);
      } else {
        double d = v.get<double>();
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        w.be64(bits);
      }
      break;
    }
    case DataType::compact_array: {
      Bytes b = parse_hex(text());
      w.bytes(b.data(), b.size());
      break;
    }
  }
}

// Accessors over decoded JSON for the object list, each checking the type.
const json& expect(const json& j, const char* type) {
  if (j.value("type", "") != type) throw ClientError(std::string("object list: expected ") + type + ", got " + j.dump());
  return j["value"];
}

}  // namespace

nlohmann::ordered_json data_to_json(const Bytes& data) {
  ByteReader r(data.data(), data.size());
  json out = read_value(r, 0);
  if (!r.empty()) malformed();
  return out;
}

Bytes json_to_data(const nlohmann::json& value) {
  std::vector<std::uint8_t> buf(kMaxApdu);
  ByteWriter w(buf.data(), buf.size());
  write_value(w, value, 0);
  if (w.overflow()) throw ClientError("value too long");
  return Bytes(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(w.size()));
}

Bytes parse_value_argument(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first != std::string::npos && text[first] == '{') {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw ClientError(std::string("value is not valid JSON: ") + e.what());
    }
    return json_to_data(j);
  }
  Bytes b = parse_hex(text);
  ByteReader r(b.data(), b.size());
  if (b.empty() || !axdr::skip_value(r) || !r.empty()) throw ClientError("'" + text + "' is not one A-XDR value");
  return b;
}

std::string data_to_text(const Bytes& data) {
  json j = data_to_json(data);
  std::string type = j["type"].get<std::string>();
  const json& v = j["value"];
  if ((type == "octet-string" || type == "date-time") && data.size() >= axdr::kDateTimeSize &&
      v.get<std::string>().size() == 2 * axdr::kDateTimeSize) {
    ByteReader r(data.data(), data.size());
    axdr::DateTime t{};
    if (axdr::get_date_time(r, t) && axdr::is_instant(t)) {
      std::ostringstream s;
      s << type << ' ' << std::setfill('0') << std::setw(4) << t.year << '-' << std::setw(2) << int(t.month) << '-'
        << std::setw(2) << int(t.day) << 'T' << std::setw(2) << int(t.hour) << ':' << std::setw(2) << int(t.minute)
        << ':' << std::setw(2) << int(t.second);
      if (t.deviation != axdr::kDeviationNotSpecified) {
        int offset = -t.deviation;  // deviation is local -> UTC; ISO offsets are UTC -> local
        s << (offset < 0 ? '-' : '+') << std::setw(2) << std::abs(offset) / 60 << ':' << std::setw(2) << std::abs(offset) % 60;
      }
      s << " (" << v.get<std::string>() << ')';
      return s.str();
    }
  }
  return type + ' ' + (v.is_string() ? v.get<std::string>() : v.dump());
}

std::string data_access_result_name(int code) {
  switch (code) {
    case 0: return "success";
    case 1: return "hardware-fault";
    case 2: return "temporary-failure";
    case 3: return "read-write-denied";
    case 4: return "object-undefined";
    case 9: return "object-class-inconsistent";
    case 11: return "object-unavailable";
    case 12: return "type-unmatched";
    case 13: return "scope-of-access-violated";
    case 14: return "data-block-unavailable";
    case 15: return "long-get-aborted";
    case 16: return "no-long-get-in-progress";
    case 17: return "long-set-aborted";
    case 18: return "no-long-set-in-progress";
    case 19: return "data-block-number-invalid";
    case 250: return "other-reason";
    default: return "data-access-result " + std::to_string(code);
  }
}

std::string action_result_name(int code) {
  switch (code) {
    case 15: return "long-action-aborted";
    case 16: return "no-long-action-in-progress";
    default: return data_access_result_name(code);
  }
}

std::vector<ListedObject> decode_object_list(const Bytes& data) {
  json list = data_to_json(data);
  std::vector<ListedObject> objects;
  for (const auto& element : expect(list, "array")) {
    const json& fields = expect(element, "structure");
    if (fields.size() != 4) throw ClientError("object list: an element is not a 4-field structure");
    ListedObject o;
    o.class_id = expect(fields[0], "long-unsigned").get<int>();
    o.version = expect(fields[1], "unsigned").get<int>();
    Bytes ln = parse_hex(expect(fields[2], "octet-string").get<std::string>());
    if (ln.size() != 6) throw ClientError("object list: a logical name is not 6 bytes");
    std::copy(ln.begin(), ln.end(), o.logical_name.begin());
    const json& rights = expect(fields[3], "structure");
    if (rights.size() != 2) throw ClientError("object list: access_rights is not a 2-field structure");
    for (const auto& item : expect(rights[0], "array")) {
      const json& a = expect(item, "structure");
      if (a.size() != 3) throw ClientError("object list: an attribute_access_item is not a 3-field structure");
      AttributeAccess access;
      access.id = expect(a[0], "integer").get<int>();
      access.access = expect(a[1], "enum").get<int>();
      if (a[2].value("type", "") == "array")
        for (const auto& s : expect(a[2], "array")) access.selectors.push_back(expect(s, "integer").get<int>());
      else
        expect(a[2], "null-data");
      std::sort(access.selectors.begin(), access.selectors.end());
      o.attributes.push_back(access);
    }
    for (const auto& item : expect(rights[1], "array")) {
      const json& m = expect(item, "structure");
      if (m.size() != 2) throw ClientError("object list: a method_access_item is not a 2-field structure");
      MethodAccess access;
      access.id = expect(m[0], "integer").get<int>();
      // Association LN version 0 sends boolean access, later versions the enum.
      access.access = m[1].value("type", "") == "boolean" ? (expect(m[1], "boolean").get<bool>() ? 1 : 0)
                                                           : expect(m[1], "enum").get<int>();
      o.methods.push_back(access);
    }
    auto by_id = [](const auto& x, const auto& y) { return x.id < y.id; };
    std::sort(o.attributes.begin(), o.attributes.end(), by_id);
    std::sort(o.methods.begin(), o.methods.end(), by_id);
    objects.push_back(std::move(o));
  }
  std::sort(objects.begin(), objects.end(), [](const ListedObject& x, const ListedObject& y) {
    return std::tie(x.logical_name, x.class_id) < std::tie(y.logical_name, y.class_id);
  });
  return objects;
}

}  // namespace metergen::client
