// HDLC frame check sequence: CRC-16/X.25 (IEC 62056-46, ISO/IEC 13239).
// Reflected polynomial 0x8408, initial 0xFFFF, final complement; sent low byte first.
//
// A CRC can also be run in pieces on the register (the value before the final
// complement): start from kCrc16Init, feed the pieces to crc16_update or
// crc16_copy, complement at the end. Running the register over a block followed
// by its own CRC always ends at kCrc16Residue, so a receiver checks HCS and FCS
// without comparing bytes, and a sender that has just written an HCS continues
// the FCS from kCrc16Residue instead of going over the header again.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::hdlc {

inline constexpr std::uint16_t kCrc16Init = 0xFFFF;
// ISO/IEC 13239's "good FCS" register value (RFC 1662 §C.2, PPPGOODFCS16).
inline constexpr std::uint16_t kCrc16Residue = 0xF0B8;

std::uint16_t crc16_update(std::uint16_t reg, const std::uint8_t* p, std::size_t n);
// Copies n bytes from src to dst and runs them through the register in the same pass.
std::uint16_t crc16_copy(std::uint16_t reg, std::uint8_t* dst, const std::uint8_t* src, std::size_t n);

inline std::uint16_t crc16(const std::uint8_t* p, std::size_t n) {
  return static_cast<std::uint16_t>(~crc16_update(kCrc16Init, p, n));
}

}  // namespace metergen::hdlc
