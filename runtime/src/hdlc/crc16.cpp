#include <metergen/hdlc/crc16.hpp>

namespace metergen::hdlc {
namespace {

// Table for one byte at a time, built at compile time from the bitwise definition.
struct Crc16Table {
  std::uint16_t v[256];
  constexpr Crc16Table() : v() {
    for (unsigned i = 0; i < 256; ++i) {
      std::uint16_t c = static_cast<std::uint16_t>(i);
      for (int k = 0; k < 8; ++k) c = (c & 1) ? static_cast<std::uint16_t>((c >> 1) ^ 0x8408) : static_cast<std::uint16_t>(c >> 1);
      v[i] = c;
    }
  }
};
constexpr Crc16Table kTable;

}  // namespace

std::uint16_t crc16(const std::uint8_t* p, std::size_t n) {
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < n; ++i) crc = static_cast<std::uint16_t>((crc >> 8) ^ kTable.v[(crc ^ p[i]) & 0xFF]);
  return static_cast<std::uint16_t>(~crc);
}

}  // namespace metergen::hdlc
