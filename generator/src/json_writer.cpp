#include "json_writer.hpp"

#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tree.hpp"

namespace metergen {

void append_json_escaped(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  bool utf8_checked = false;  // non-ASCII bytes are copied once the whole string is known to be UTF-8
  std::size_t i = 0;
  while (i < s.size()) {
    // Copy the run of characters that need nothing, then handle the one that does.
    std::size_t run = i;
    while (run < s.size()) {
      const auto c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c == '"' || c == '\\' || (c >= 0x80 && !utf8_checked)) break;
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (std::size_t bad = first_invalid_utf8(std::string(s)); bad != std::string::npos)
        throw std::invalid_argument("invalid UTF-8 byte at index " + std::to_string(bad));
      utf8_checked = true;
      continue;
    }
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default: out += {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
    }
    ++i;
  }
}

void JsonWriter::newline_indent(std::size_t depth) {
  out_ += '\n';
  out_.append(depth, ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;  // the document itself
  if (counts_.back()++ > 0) out_ += ',';
  newline_indent(counts_.size());
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  out_ += '"';
  append_json_escaped(out_, k);
  out_ += "\": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  counts_.push_back(0);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  const bool empty = counts_.back() == 0;
  counts_.pop_back();
  if (!empty) newline_indent(counts_.size());
  out_ += bracket;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  out_ += '"';
  append_json_escaped(out_, s);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(long long n) {
  before_value();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  return *this;
}

JsonWriter& JsonWriter::value(unsigned long long n) {
  before_value();
  char buf[24];
  out_.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
  return *this;
}

// Numbers with a fraction are rare in the outputs: nlohmann spells them, so the
// digits (shortest round trip, ".0" on whole numbers, null for NaN) stay its own.
JsonWriter& JsonWriter::value(double d) {
  before_value();
  out_ += nlohmann::ordered_json(d).dump();
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::value(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (const auto& [k, v] : j.items()) key(k).value(v);
      return end_object();
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& v : j) value(v);
      return end_array();
    case nlohmann::json::value_t::string: return value(j.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean: return value(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return value(j.get<long long>());
    case nlohmann::json::value_t::number_unsigned: return value(j.get<unsigned long long>());
    case nlohmann::json::value_t::number_float: return value(j.get<double>());
    default: return null();  // null (binary and discarded values are never built here)
  }
}

}  // namespace metergen
