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

// Registers are kept in an unsigned int so that no step truncates to 16 bits.
inline unsigned step(unsigned reg, std::uint8_t b) { return (reg >> 8) ^ kTable.v[(reg ^ b) & 0xFF]; }

}  // namespace

std::uint16_t crc16_update(std::uint16_t reg, const std::uint8_t* p, std::size_t n) {
  unsigned r = reg;
  for (std::size_t i = 0; i < n; ++i) r = step(r, p[i]);
  return static_cast<std::uint16_t>(r);
}

std::uint16_t crc16_copy(std::uint16_t reg, std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
  unsigned r = reg;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t b = src[i];
    dst[i] = b;
    r = step(r, b);
  }
  return static_cast<std::uint16_t>(r);
}

}  // namespace metergen::hdlc
