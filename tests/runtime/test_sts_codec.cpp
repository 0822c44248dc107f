// STS token building blocks (IEC 62055-41): token number, class bits, CRC,
// transfer amount, STA — against the standard's worked example and values
// worked out by hand.
#include <gtest/gtest.h>

#include <string_view>

#include <metergen/sts/codec.hpp>

#include "../support/sts_vending.hpp"

namespace {

using namespace metergen::sts;
namespace vend = metergen::test::sts_vending;

std::span<const char> span_of(std::string_view s) { return {s.data(), s.size()}; }

TEST(StsCodec, ParsesTwentyDigits) {
  TokenNumber n{};
  ASSERT_TRUE(parse_token_number(span_of("00000000000000000001"), n));
  EXPECT_EQ(n.high, 0);
  EXPECT_EQ(n.low, 1u);
  // 2^64 = 18446744073709551616: bit 64 set, low bits clear.
  ASSERT_TRUE(parse_token_number(span_of("18446744073709551616"), n));
  EXPECT_EQ(n.high, 1);
  EXPECT_EQ(n.low, 0u);
  // 2^66 - 1 is the largest token number.
  ASSERT_TRUE(parse_token_number(span_of("73786976294838206463"), n));
  EXPECT_EQ(n.high, 3);
  EXPECT_EQ(n.low, ~std::uint64_t{0});
}

TEST(StsCodec, RejectsBadTokenNumbers) {
  TokenNumber n{};
  EXPECT_FALSE(parse_token_number(span_of("7378697629483820646"), n));    // 19 digits
  EXPECT_FALSE(parse_token_number(span_of("737869762948382064630"), n));  // 21 digits
  EXPECT_FALSE(parse_token_number(span_of("7378697629483820646a"), n));   // not a digit
  EXPECT_FALSE(parse_token_number(span_of("1234 5678 9012 3456 7"), n));  // separators
  EXPECT_FALSE(parse_token_number(span_of("73786976294838206464"), n));   // 2^66
  EXPECT_FALSE(parse_token_number(span_of("99999999999999999999"), n));
  EXPECT_FALSE(parse_token_number(span_of(""), n));
}

// §6.4.2 example shape, worked by hand: class 01 in bits 28..27, the block's
// original bits 28 (1) and 27 (0) in bits 65 and 64.
TEST(StsCodec, ClassBitsTransposition) {
  TokenNumber n{0b10, (std::uint64_t{0b01} << 27) | 0xF0000000'00000005ull};
  EXPECT_EQ(token_class_of(n), 1);
  EXPECT_EQ(block_of(n), (std::uint64_t{1} << 28) | 0xF0000000'00000005ull);
}

// The data block of the standard's worked example (§6.5.4.5, Figure 16; the CRC
// example of §6.3.7, Table 26): class 0, subclass 0, RND B, TID 19EB23, amount
// 0100 has the CRC C207.
TEST(StsCodec, CrcOfTheStandardsWorkedExample) {
  EXPECT_EQ(token_crc(0, 0x0B19EB230100C207), 0xC207);
  const std::uint8_t bytes[] = {0x00, 0x0B, 0x19, 0xEB, 0x23, 0x01, 0x00};
  EXPECT_EQ(crc16(bytes, sizeof bytes), 0xC207);
}

// STS Association, "Key Expiry Number (KEN)" (sts.org.za): class 00, subclass
// 0000, RND 0101, TID 110000000010101001010101, amount 0010011100010000, CRC 1970.
TEST(StsCodec, CrcOfTheStsAssociationKenExample) {
  const std::uint64_t block = (std::uint64_t{0x0} << 60) | (std::uint64_t{0x5} << 56) |
                              (std::uint64_t{0xC02A55} << 32) | (std::uint64_t{0x2710} << 16) | 0x1970;
  EXPECT_EQ(token_crc(0, block), 0x1970);
  EXPECT_EQ(transfer_amount(0x2710), 10000u);  // 1000.0 kWh
}

// §6.3.6 worked by hand: units = m for e = 0, else 10^e·m + Σ 2^14·10^(n-1).
TEST(StsCodec, TransferAmountRule) {
  EXPECT_EQ(transfer_amount(0x0000), 0u);
  EXPECT_EQ(transfer_amount(0x0100), 256u);
  EXPECT_EQ(transfer_amount(0x3FFF), 16383u);
  EXPECT_EQ(transfer_amount(0x4000), 16384u);                 // e=1, m=0
  EXPECT_EQ(transfer_amount(0x7FFF), 163830u + 16384u);       // e=1, m=16383
  EXPECT_EQ(transfer_amount(0x8001), 100u + 16384u + 163840u);  // e=2, m=1
  EXPECT_EQ(transfer_amount(0xC000), 16384u * 111u);          // e=3, m=0
  EXPECT_EQ(transfer_amount(0xFFFF), 16383000u + 1818624u);   // the largest: 1 820 162.4 kWh
}

// The standard's worked example of STA encryption with its sample tables
// (IEC 62055-41 §6.5.4.5, Figure 16): decoder key 0ABC12DEF3456789, data block
// 0B19EB230100C207, class 0 → token number 2C45ED1618406DF95 (hex).
TEST(StsCodec, StaWorkedExample) {
  TokenNumber n{};
  ASSERT_TRUE(parse_token_number(span_of("51043465443420856213"), n));
  EXPECT_EQ(n.high, 0x2);
  EXPECT_EQ(n.low, 0xC45ED1618406DF95u);
  EXPECT_EQ(token_class_of(n), 0);
  EXPECT_EQ(sta_decrypt(0x0ABC12DEF3456789, block_of(n)), 0x0B19EB230100C207u);
}

TEST(StsCodec, StaEncoderAgreesWithTheWorkedExample) {
  EXPECT_EQ(vend::encode(0x0ABC12DEF3456789, vend::Cipher::sta, 0, 0, vend::tid_data(0xB, 0x19EB23, 0x0100)),
            "51043465443420856213");
}

TEST(StsCodec, StaRoundTripsOnManyBlocks) {
  std::uint64_t key = 0x0123456789ABCDEF, block = 0xFEDCBA9876543210;
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(sta_decrypt(key, vend::sta_encrypt(key, block)), block) << i;
    key = key * 6364136223846793005u + 1442695040888963407u;
    block = block * 2862933555777941757u + 3037000493u;
  }
}

}  // namespace
