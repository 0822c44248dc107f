#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include <metergen/hdlc/crc16.hpp>

namespace {

using metergen::hdlc::crc16_copy;
using metergen::hdlc::crc16_update;
using metergen::hdlc::kCrc16Init;
using metergen::hdlc::kCrc16Residue;

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

// The check value again, with the register run over two pieces.
TEST(Crc16, RegisterRunInPieces) {
  const auto* s = reinterpret_cast<const std::uint8_t*>("123456789");
  const std::uint16_t reg = crc16_update(crc16_update(kCrc16Init, s, 4), s + 4, 5);
  EXPECT_EQ(static_cast<std::uint16_t>(~reg), 0x906E);
  EXPECT_EQ(crc16_update(0x1234, s, 0), 0x1234);
}

// A block followed by its CRC (low byte first) leaves the register at the "good
// FCS" value F0B8 of RFC 1662 §C.2: the SNRM header with its HCS (dlms-protocol.md §3.5.1).
TEST(Crc16, BlockWithItsCrcLeavesTheResidue) {
  const std::vector<std::uint8_t> snrm = {0xA0, 0x08, 0x02, 0x23, 0x21, 0x93, 0xBD, 0x64};
  EXPECT_EQ(crc16_update(kCrc16Init, snrm.data(), snrm.size()), 0xF0B8);
  EXPECT_EQ(kCrc16Residue, 0xF0B8);
}

// Copy and CRC in one pass: the AARQ info of dlms-protocol.md §3.5.2 after its header
// and HCS (register at the residue) gives the FCS C5 E4 of that frame.
TEST(Crc16, CopyComputesTheFcsOfTheCopiedBytes) {
  const std::vector<std::uint8_t> info = {0xE6, 0xE6, 0x00, 0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74,
                                          0x05, 0x08, 0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E, 0x01, 0x00, 0x00, 0x00,
                                          0x06, 0x5F, 0x1F, 0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF};
  std::vector<std::uint8_t> copy(info.size() + 1, 0xAA);
  const std::uint16_t reg = crc16_copy(kCrc16Residue, copy.data(), info.data(), info.size());
  EXPECT_EQ(static_cast<std::uint16_t>(~reg), 0xE4C5);
  EXPECT_TRUE(std::equal(info.begin(), info.end(), copy.begin()));
  EXPECT_EQ(copy.back(), 0xAA);  // nothing written past n bytes
  // The whole frame between its flags, checked by the register alone.
  std::vector<std::uint8_t> frame = {0xA0, 0x2C, 0x02, 0x23, 0x21, 0x10, 0xAF, 0x9F};
  frame.insert(frame.end(), info.begin(), info.end());
  frame.push_back(0xC5);
  frame.push_back(0xE4);
  EXPECT_EQ(crc16_update(kCrc16Init, frame.data(), frame.size()), kCrc16Residue);
}

}  // namespace
