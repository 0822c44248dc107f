// DES (FIPS 46-3) of the STS module against published known answers and OpenSSL.
#include <gtest/gtest.h>

#include <random>

#include <metergen/sts/des.hpp>

#include "../support/sts_vending.hpp"

namespace {

using metergen::sts::des_decrypt;
using metergen::sts::des_encrypt;

// J. Orlin Grabbe, "The DES Algorithm Illustrated" (the worked example that
// follows FIPS 46 step by step).
TEST(StsDes, WorkedExample) {
  EXPECT_EQ(des_encrypt(0x133457799BBCDFF1, 0x0123456789ABCDEF), 0x85E813540F0AB405u);
  EXPECT_EQ(des_decrypt(0x133457799BBCDFF1, 0x85E813540F0AB405), 0x0123456789ABCDEFu);
}

// FIPS 81 (DES modes of operation), Appendix B, ECB: first block "Now is t".
TEST(StsDes, Fips81EcbExample) {
  EXPECT_EQ(des_encrypt(0x0123456789ABCDEF, 0x4E6F772069732074), 0x3FA40E8A984D4815u);
  EXPECT_EQ(des_decrypt(0x0123456789ABCDEF, 0x3FA40E8A984D4815), 0x4E6F772069732074u);
}

// NBS Special Publication 500-20, variable plaintext known answer test (key
// 0101010101010101): the first and the last of the 64 entries.
TEST(StsDes, Sp50020VariablePlaintext) {
  EXPECT_EQ(des_encrypt(0x0101010101010101, 0x8000000000000000), 0x95F8A5E5DD31D900u);
  EXPECT_EQ(des_encrypt(0x0101010101010101, 0x0000000000000001), 0x166B40B44ABA4BD6u);
}

// Expected values from OpenSSL's DES on pseudo-random keys and blocks.
TEST(StsDes, MatchesOpenSslOnRandomKeys) {
  std::mt19937_64 rng(4631);
  for (int trial = 0; trial < 300; ++trial) {
    std::uint64_t key = rng(), block = rng();
    std::uint64_t expected = metergen::test::sts_vending::des_encrypt(key, block);
    ASSERT_EQ(des_encrypt(key, block), expected) << "trial " << trial;
    ASSERT_EQ(des_decrypt(key, expected), block) << "trial " << trial;
  }
}

}  // namespace
