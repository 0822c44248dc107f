#include <gtest/gtest.h>

#include <metergen/hdlc/crc16.hpp>

namespace {

std::uint16_t crc_of(std::initializer_list<std::uint8_t> bytes) {
  std::vector<std::uint8_t> v(bytes);
  return metergen::hdlc::crc16(v.data(), v.size());
}

// Catalogue check value of CRC-16/X.25.
TEST(Crc16, CheckValueOf123456789) {
  const char* s = "123456789";
  EXPECT_EQ(metergen::hdlc::crc16(reinterpret_cast<const std::uint8_t*>(s), 9), 0x906E);
}

// HCS of the SNRM frame 7E A0 08 02 23 21 93 BD 64 7E (sent low byte first: BD 64).
TEST(Crc16, SnrmHeaderCheckSequence) { EXPECT_EQ(crc_of({0xA0, 0x08, 0x02, 0x23, 0x21, 0x93}), 0x64BD); }

// HCS of the AARQ I-frame header A0 2C 02 23 21 10 → AF 9F on the wire.
TEST(Crc16, AarqHeaderCheckSequence) { EXPECT_EQ(crc_of({0xA0, 0x2C, 0x02, 0x23, 0x21, 0x10}), 0x9FAF); }

}  // namespace
