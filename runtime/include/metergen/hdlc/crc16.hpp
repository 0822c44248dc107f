// HDLC frame check sequence: CRC-16/X.25 (IEC 62056-46, ISO/IEC 13239).
// Reflected polynomial 0x8408, initial 0xFFFF, final complement; sent low byte first.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::hdlc {

std::uint16_t crc16(const std::uint8_t* p, std::size_t n);

}  // namespace metergen::hdlc
