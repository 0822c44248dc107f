// CRC-32 by nibbles: a 64-byte table, small enough for any image.
#include <metergen/storage/crc32.hpp>

namespace metergen::storage {
namespace {

constexpr std::uint32_t kNibble[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

}  // namespace

std::uint32_t crc32_update(std::uint32_t state, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    state ^= p[i];
    state = (state >> 4) ^ kNibble[state & 0x0F];
    state = (state >> 4) ^ kNibble[state & 0x0F];
  }
  return state;
}

std::uint32_t crc32_update_be32(std::uint32_t state, std::uint32_t v) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                             static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return crc32_update(state, b, 4);
}

std::uint32_t crc32_text(const char* s) {
  std::size_t n = 0;
  while (s != nullptr && n < 64 && s[n] != 0) ++n;
  return crc32(reinterpret_cast<const std::uint8_t*>(s), n);
}

}  // namespace metergen::storage
