// A log line built without the heap or stdio, for hal::Hal::log: text, numbers,
// printable bytes and logical names appended in order; what does not fit in
// 191 characters is cut.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/model_tables.hpp>

namespace metergen {

class LogLine {
 public:
  LogLine& text(const char* s) {
    while (s != nullptr && *s != '\0') put(*s++);
    return *this;
  }
  LogLine& bytes(const std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) put(p[i] >= 0x20 && p[i] < 0x7F ? static_cast<char>(p[i]) : '?');
    return *this;
  }
  LogLine& number(std::uint32_t v) {
    char digits[10];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (n > 0) put(digits[--n]);
    return *this;
  }
  LogLine& obis(const tables::LogicalName& ln) {
    for (int i = 0; i < 6; ++i) {
      if (i > 0) put('.');
      number(ln.b[i]);
    }
    return *this;
  }
  const char* c_str() {
    buf_[n_] = '\0';
    return buf_;
  }

 private:
  void put(char c) {
    if (n_ + 1 < sizeof buf_) buf_[n_++] = c;
  }
  char buf_[192];
  std::size_t n_ = 0;
};

}  // namespace metergen
