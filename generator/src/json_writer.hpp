// JSON written as it is produced, without building a document tree first: the
// large outputs (object_list.json, model.json) hold one entry per object and
// association. The text is exactly what nlohmann::ordered_json::dump(1) gives
// for the same document (one space of indent per level, `"key": value`, empty
// containers as `{}` and `[]`), so either may write a file. May call: nlohmann.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace metergen {

// Appends `s` to `out` as the inside of a JSON string, escaped as nlohmann's
// dump does (non-ASCII UTF-8 kept as it is, control characters as \b \t \n \f \r
// or \u00xx). Throws std::invalid_argument on invalid UTF-8, as dump does (the
// loader lets none through: tree.hpp).
void append_json_escaped(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  // The key of the next member of the open object.
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(long n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(long long n);
  JsonWriter& value(unsigned n) { return value(static_cast<unsigned long long>(n)); }
  JsonWriter& value(unsigned long n) { return value(static_cast<unsigned long long>(n)); }
  JsonWriter& value(unsigned long long n);
  JsonWriter& value(double d);
  JsonWriter& null();
  // A document built with nlohmann (small, irregular parts), written in place.
  JsonWriter& value(const nlohmann::ordered_json& j);

  // `"k": v`, the common case.
  template <class T>
  JsonWriter& member(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);
  void before_value();  // separator and indent of a new array element (none after a key)
  void newline_indent(std::size_t depth);

  std::string& out_;
  std::vector<std::size_t> counts_;  // elements so far in each open container
  bool after_key_ = false;
};

}  // namespace metergen
