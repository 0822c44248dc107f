// Builds one log line in a caller's buffer without a libc: text, decimal and
// hexadecimal numbers, and UTC instants as ISO 8601. Overlong lines are cut
// (the buffer always ends with a NUL). Uses axdr/date_time.hpp for the
// calendar. Portable.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::mps2 {

class LineWriter {
 public:
  LineWriter(char* buffer, std::size_t capacity);

  LineWriter& text(const char* s);
  LineWriter& dec(std::uint64_t value);
  // At least min_digits upper-case digits, no prefix.
  LineWriter& hex(std::uint32_t value, unsigned min_digits = 1);
  // YYYY-MM-DDThh:mm:ssZ of milliseconds since 1970-01-01 00:00 UTC.
  LineWriter& utc(std::uint64_t utc_ms);

  const char* c_str() const { return buffer_; }
  std::size_t size() const { return size_; }

 private:
  void put(char c);
  void two_digits(unsigned value);

  char* buffer_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace metergen::mps2
