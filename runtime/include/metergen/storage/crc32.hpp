// CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final
// XOR 0xFFFFFFFF), the one checksum of everything the runtime keeps in NVM.
// Check value: crc32("123456789") = 0xCBF43926.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::storage {

// Running form: start from kCrc32Init, feed bytes, finish with ~state.
inline constexpr std::uint32_t kCrc32Init = 0xFFFFFFFFu;
std::uint32_t crc32_update(std::uint32_t state, const std::uint8_t* p, std::size_t n);
std::uint32_t crc32_update_be32(std::uint32_t state, std::uint32_t v);

inline std::uint32_t crc32(const std::uint8_t* p, std::size_t n) { return ~crc32_update(kCrc32Init, p, n); }
// CRC-32 of a NUL-terminated text (at most 64 characters), e.g. a model id.
std::uint32_t crc32_text(const char* s);

}  // namespace metergen::storage
