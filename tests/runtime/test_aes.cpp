// AES-128 block encryption against FIPS-197 and OpenSSL.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include <metergen/crypto/aes.hpp>

#include "hex_bytes.hpp"

namespace {

using metergen::crypto::Aes128;
using metergen::test::hex;

std::vector<std::uint8_t> encrypt(const std::vector<std::uint8_t>& key, const std::vector<std::uint8_t>& block) {
  Aes128 aes(key.data());
  std::vector<std::uint8_t> out(16);
  aes.encrypt_block(block.data(), out.data());
  return out;
}

// FIPS-197 Appendix C.1 (AES-128 example vector).
TEST(Aes128, Fips197AppendixC1) {
  EXPECT_EQ(encrypt(hex("000102030405060708090a0b0c0d0e0f"), hex("00112233445566778899aabbccddeeff")),
            hex("69c4e0d86a7b0430d8cdb78070b4c55a"));
}

// FIPS-197 Appendix B (cipher example, key expansion of Appendix A.1).
TEST(Aes128, Fips197AppendixB) {
  EXPECT_EQ(encrypt(hex("2b7e151628aed2a6abf7158809cf4f3c"), hex("3243f6a8885a308d313198a2e0370734")),
            hex("3925841d02dc09fbdc118597196a0b32"));
}

TEST(Aes128, InPlace) {
  auto key = hex("000102030405060708090a0b0c0d0e0f");
  auto block = hex("00112233445566778899aabbccddeeff");
  Aes128 aes(key.data());
  aes.encrypt_block(block.data(), block.data());
  EXPECT_EQ(block, hex("69c4e0d86a7b0430d8cdb78070b4c55a"));  // FIPS-197 C.1
}

// Expected values from OpenSSL's aes-128-ecb on pseudo-random keys and blocks.
TEST(Aes128, MatchesOpenSslOnRandomKeys) {
  std::mt19937 rng(197);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ASSERT_NE(ctx, nullptr);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::uint8_t> key(16), block(16), expected(16 + 16);
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    for (auto& b : block) b = static_cast<std::uint8_t>(rng());
    int len = 0;
    ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, key.data(), nullptr), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    ASSERT_EQ(EVP_EncryptUpdate(ctx, expected.data(), &len, block.data(), 16), 1);
    ASSERT_EQ(len, 16);
    expected.resize(16);
    EXPECT_EQ(encrypt(key, block), expected) << "trial " << trial;
  }
  EVP_CIPHER_CTX_free(ctx);
}

}  // namespace
