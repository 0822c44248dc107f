// AES-GCM / GMAC against the GCM specification's test cases and OpenSSL.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include <metergen/crypto/gcm.hpp>

#include "hex_bytes.hpp"

namespace {

using metergen::crypto::Aes128;
using metergen::crypto::Gcm;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;

struct Vector {
  Bytes key, iv, aad, plaintext, ciphertext, tag;
};

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)" (gcm-spec.pdf),
// Appendix B, AES-128 test cases 1, 2 and 4 (as quoted in Nettle's and Apache
// commons-crypto's GCM tests).
Vector test_case_1() {
  return {hex("00000000000000000000000000000000"), hex("000000000000000000000000"), {}, {}, {},
          hex("58e2fccefa7e3061367f1d57a4e7455a")};
}
Vector test_case_2() {
  return {hex("00000000000000000000000000000000"), hex("000000000000000000000000"), {},
          hex("00000000000000000000000000000000"), hex("0388dace60b6a392f328c2b971b2fe78"),
          hex("ab6e47d42cec13bdf53a67b21257bddf")};
}
Vector test_case_4() {
  return {hex("feffe9928665731c6d6a8f9467308308"),
          hex("cafebabefacedbaddecaf888"),
          hex("feedfacedeadbeeffeedfacedeadbeef abaddad2"),
          hex("d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72"
              "1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b39"),
          hex("42831ec2217774244b7221b784d0d49c e3aa212f2c02a4e035c17e2329aca12e"
              "21d514b25466931c7d8f6a5aac84aa05 1ba30b396a0aac973d58e091"),
          hex("5bc94fbc3221a5db94fae95ae7121a47")};
}

void expect_encrypts(const Vector& v) {
  Aes128 aes(v.key.data());
  Bytes out(v.plaintext.size()), tag(16);
  metergen::crypto::gcm_encrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.plaintext.data(), v.plaintext.size(),
                                out.data(), tag.data(), tag.size());
  EXPECT_EQ(out, v.ciphertext);
  EXPECT_EQ(tag, v.tag);
}

void expect_decrypts(const Vector& v) {
  Aes128 aes(v.key.data());
  Bytes out(v.ciphertext.size());
  EXPECT_TRUE(metergen::crypto::gcm_decrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.ciphertext.data(),
                                            v.ciphertext.size(), out.data(), v.tag.data(), v.tag.size()));
  EXPECT_EQ(out, v.plaintext);
}

TEST(Gcm, SpecTestCase1EmptyPlaintext) {
  expect_encrypts(test_case_1());
  expect_decrypts(test_case_1());
}

TEST(Gcm, SpecTestCase2OneBlock) {
  expect_encrypts(test_case_2());
  expect_decrypts(test_case_2());
}

TEST(Gcm, SpecTestCase4SixtyBytesWithAad) {
  expect_encrypts(test_case_4());
  expect_decrypts(test_case_4());
}

// Test case 1 has no plaintext, so its tag is the GMAC of empty AAD.
TEST(Gcm, GmacOfEmptyAadIsTestCase1Tag) {
  Vector v = test_case_1();
  Aes128 aes(v.key.data());
  Bytes tag(16);
  metergen::crypto::gmac(aes, v.iv.data(), nullptr, 0, tag.data(), tag.size());
  EXPECT_EQ(tag, v.tag);
}

// SP 800-38D §5.2.1.2: a t-byte tag is the leftmost t bytes of the full tag.
TEST(Gcm, TruncatedTagIsPrefixOfFullTag) {
  Vector v = test_case_4();
  Aes128 aes(v.key.data());
  for (std::size_t t = 1; t <= 16; ++t) {
    Bytes out(v.plaintext.size()), tag(t);
    metergen::crypto::gcm_encrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.plaintext.data(),
                                  v.plaintext.size(), out.data(), tag.data(), t);
    EXPECT_EQ(tag, Bytes(v.tag.begin(), v.tag.begin() + static_cast<long>(t)));
    EXPECT_TRUE(metergen::crypto::gcm_decrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.ciphertext.data(),
                                              v.ciphertext.size(), out.data(), tag.data(), t));
  }
}

TEST(Gcm, InPlaceEncryptAndDecrypt) {
  Vector v = test_case_4();
  Aes128 aes(v.key.data());
  Bytes buf = v.plaintext, tag(16);
  metergen::crypto::gcm_encrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), buf.data(), buf.size(), buf.data(),
                                tag.data(), tag.size());
  EXPECT_EQ(buf, v.ciphertext);
  EXPECT_EQ(tag, v.tag);
  EXPECT_TRUE(metergen::crypto::gcm_decrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), buf.data(), buf.size(),
                                            buf.data(), tag.data(), tag.size()));
  EXPECT_EQ(buf, v.plaintext);
}

// Feeding AAD and data in uneven pieces gives the same result as one piece.
TEST(Gcm, StreamingInPiecesMatchesTestCase4) {
  Vector v = test_case_4();
  Aes128 aes(v.key.data());
  for (std::size_t piece = 1; piece <= 17; ++piece) {
    Gcm gcm(aes, v.iv.data());
    for (std::size_t i = 0; i < v.aad.size(); i += piece)
      gcm.aad(v.aad.data() + i, std::min(piece, v.aad.size() - i));
    Bytes out(v.plaintext.size()), tag(16);
    for (std::size_t i = 0; i < v.plaintext.size(); i += piece)
      gcm.encrypt(v.plaintext.data() + i, std::min(piece, v.plaintext.size() - i), out.data() + i);
    gcm.finish(tag.data(), tag.size());
    EXPECT_EQ(out, v.ciphertext) << "piece " << piece;
    EXPECT_EQ(tag, v.tag) << "piece " << piece;

    Gcm dec(aes, v.iv.data());
    for (std::size_t i = 0; i < v.aad.size(); i += piece)
      dec.aad(v.aad.data() + i, std::min(piece, v.aad.size() - i));
    for (std::size_t i = 0; i < v.ciphertext.size(); i += piece)
      dec.decrypt(v.ciphertext.data() + i, std::min(piece, v.ciphertext.size() - i), out.data() + i);
    EXPECT_TRUE(dec.verify(v.tag.data(), v.tag.size())) << "piece " << piece;
    EXPECT_EQ(out, v.plaintext) << "piece " << piece;
  }
}

TEST(Gcm, RejectsTamperingAndZeroesOutput) {
  Vector v = test_case_4();
  Aes128 aes(v.key.data());
  auto decrypts = [&](const Bytes& aad, const Bytes& ct, const Bytes& tag, Bytes& out) {
    out.assign(ct.size(), 0xAA);
    return metergen::crypto::gcm_decrypt(aes, v.iv.data(), aad.data(), aad.size(), ct.data(), ct.size(), out.data(),
                                         tag.data(), tag.size());
  };
  const Bytes zeros(v.ciphertext.size(), 0);
  Bytes out;
  for (std::size_t bit = 0; bit < v.ciphertext.size() * 8; bit += 7) {
    Bytes ct = v.ciphertext;
    ct[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(decrypts(v.aad, ct, v.tag, out)) << "ciphertext bit " << bit;
    EXPECT_EQ(out, zeros);
  }
  for (std::size_t bit = 0; bit < 128; ++bit) {
    Bytes tag = v.tag;
    tag[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(decrypts(v.aad, v.ciphertext, tag, out)) << "tag bit " << bit;
    EXPECT_EQ(out, zeros);
  }
  Bytes aad = v.aad;
  aad.back() ^= 0x01;
  EXPECT_FALSE(decrypts(aad, v.ciphertext, v.tag, out));
  EXPECT_FALSE(decrypts(Bytes(v.aad.begin(), v.aad.end() - 1), v.ciphertext, v.tag, out));  // AAD one byte short
}

TEST(Gcm, RejectsTagLengthOutsideOneToSixteen) {
  Vector v = test_case_4();
  Aes128 aes(v.key.data());
  Bytes out(v.ciphertext.size()), tag17 = v.tag;
  tag17.push_back(0);
  EXPECT_FALSE(metergen::crypto::gcm_decrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.ciphertext.data(),
                                             v.ciphertext.size(), out.data(), v.tag.data(), 0));
  EXPECT_FALSE(metergen::crypto::gcm_decrypt(aes, v.iv.data(), v.aad.data(), v.aad.size(), v.ciphertext.data(),
                                             v.ciphertext.size(), out.data(), tag17.data(), 17));
  EXPECT_EQ(out, Bytes(out.size(), 0));
}

// Expected values from OpenSSL's aes-128-gcm with a 96-bit IV and a 12-byte tag.
TEST(Gcm, MatchesOpenSslOnRandomInputs) {
  std::mt19937 rng(38);
  auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ASSERT_NE(ctx, nullptr);
  for (int trial = 0; trial < 400; ++trial) {
    Bytes key = random_bytes(16), iv = random_bytes(12);
    Bytes aad = random_bytes(rng() % 70), plaintext = random_bytes(rng() % 201);

    Bytes expected_ct(plaintext.size() + 16), expected_tag(16);
    int len = 0, total = 0;
    ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, key.data(), iv.data()), 1);
    if (!aad.empty()) {
      ASSERT_EQ(EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())), 1);
    }
    ASSERT_EQ(EVP_EncryptUpdate(ctx, expected_ct.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())), 1);
    total = len;
    ASSERT_EQ(EVP_EncryptFinal_ex(ctx, expected_ct.data() + total, &len), 1);
    total += len;
    expected_ct.resize(static_cast<std::size_t>(total));
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, expected_tag.data()), 1);
    expected_tag.resize(12);

    Aes128 aes(key.data());
    Bytes ct(plaintext.size()), tag(12);
    metergen::crypto::gcm_encrypt(aes, iv.data(), aad.data(), aad.size(), plaintext.data(), plaintext.size(),
                                  ct.data(), tag.data(), tag.size());
    ASSERT_EQ(ct, expected_ct) << "trial " << trial;
    ASSERT_EQ(tag, expected_tag) << "trial " << trial;

    Bytes back(ct.size());
    EXPECT_TRUE(metergen::crypto::gcm_decrypt(aes, iv.data(), aad.data(), aad.size(), ct.data(), ct.size(),
                                              back.data(), tag.data(), tag.size()));
    EXPECT_EQ(back, plaintext);
  }
  EVP_CIPHER_CTX_free(ctx);
}

}  // namespace
