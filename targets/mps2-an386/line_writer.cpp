// LineWriter (see line_writer.hpp).
#include "line_writer.hpp"

#include <metergen/axdr/date_time.hpp>

namespace metergen::mps2 {

LineWriter::LineWriter(char* buffer, std::size_t capacity) : buffer_(buffer), capacity_(capacity) {
  if (capacity_ > 0) buffer_[0] = '\0';
}

void LineWriter::put(char c) {
  if (size_ + 1 >= capacity_) return;
  buffer_[size_++] = c;
  buffer_[size_] = '\0';
}

LineWriter& LineWriter::text(const char* s) {
  while (*s != '\0') put(*s++);
  return *this;
}

LineWriter& LineWriter::dec(std::uint64_t value) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) put(digits[--n]);
  return *this;
}

LineWriter& LineWriter::hex(std::uint32_t value, unsigned min_digits) {
  unsigned digits = 1;
  while (digits < 8 && (value >> (4 * digits)) != 0) ++digits;
  if (digits < min_digits) digits = min_digits > 8 ? 8 : min_digits;
  while (digits-- > 0) put("0123456789ABCDEF"[(value >> (4 * digits)) & 0xFu]);
  return *this;
}

void LineWriter::two_digits(unsigned value) {
  put(static_cast<char>('0' + value / 10 % 10));
  put(static_cast<char>('0' + value % 10));
}

LineWriter& LineWriter::utc(std::uint64_t utc_ms) {
  const std::uint64_t seconds = utc_ms / 1000;
  std::int32_t year = 0;
  unsigned month = 0, day = 0;
  axdr::civil_from_days(static_cast<std::int64_t>(seconds / 86400), year, month, day);
  const unsigned of_day = static_cast<unsigned>(seconds % 86400);
  dec(static_cast<std::uint64_t>(year));
  put('-');
  two_digits(month);
  put('-');
  two_digits(day);
  put('T');
  two_digits(of_day / 3600);
  put(':');
  two_digits(of_day / 60 % 60);
  put(':');
  two_digits(of_day % 60);
  put('Z');
  return *this;
}

}  // namespace metergen::mps2
