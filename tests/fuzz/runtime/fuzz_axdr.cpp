// Fuzz harness for the A-XDR readers: skip_value, the typed readers, date-time
// and compact-array decoding on arbitrary bytes. Every reader must stop inside
// the input and agree with skip_value about where one Data ends.
#include <cstddef>
#include <cstdint>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>

using namespace metergen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader whole(data, size);
  ByteReader value;
  if (axdr::take_value(whole, value) && (value.remaining() == 0 || value.remaining() > size)) __builtin_trap();

  ByteReader r(data, size);
  std::int64_t integer = 0;
  axdr::get_integer_any(r, integer);
  std::uint8_t buf[16];
  std::size_t n = 0;
  axdr::get_octet_string(r, buf, sizeof buf, n);
  std::uint32_t count = 0;
  axdr::get_array(r, count);
  axdr::get_structure(r, count);

  ByteReader t(data, size);
  axdr::DateTime dt{};
  if (axdr::get_date_time(t, dt)) {
    std::int64_t utc = 0;
    if (axdr::to_utc_seconds(dt, utc)) {
      axdr::DateTime back = axdr::from_utc_seconds(utc, dt.deviation);
      int order = 0;
      if (!axdr::compare_instants(dt, back, order) || order < 0) __builtin_trap();  // back drops hundredths only
    }
  }

  ByteReader c(data, size);
  axdr::CompactArray array{};
  if (axdr::get_compact_array(c, array)) {
    std::uint32_t elements = 0;
    ByteReader element;
    while (axdr::next_compact_element(array, element)) ++elements;
    if (elements != array.element_count) __builtin_trap();
  }
  return 0;
}
