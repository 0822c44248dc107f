// AES-GCM (NIST SP 800-38D) restricted to 96-bit IVs: J0 = IV || 00000001.
// GHASH is the bitwise multiplication of SP 800-38D Algorithm 1, written with
// masks instead of branches so its timing does not depend on the data.
#include <metergen/crypto/gcm.hpp>

#include <metergen/bytes.hpp>

namespace metergen::crypto {
namespace {

std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// x = x · h in GF(2^128), bit 0 being the most significant bit of x[0].
void gf128_mul(std::uint32_t x[4], const std::uint32_t h[4]) {
  std::uint32_t z[4] = {};
  std::uint32_t v[4] = {h[0], h[1], h[2], h[3]};
  for (int i = 0; i < 128; ++i) {
    std::uint32_t take = 0u - ((x[i / 32] >> (31 - i % 32)) & 1u);
    for (int k = 0; k < 4; ++k) z[k] ^= v[k] & take;
    std::uint32_t reduce = 0u - (v[3] & 1u);
    v[3] = (v[3] >> 1) | (v[2] << 31);
    v[2] = (v[2] >> 1) | (v[1] << 31);
    v[1] = (v[1] >> 1) | (v[0] << 31);
    v[0] = (v[0] >> 1) ^ (0xE1000000u & reduce);
  }
  for (int k = 0; k < 4; ++k) x[k] = z[k];
  wipe(z, sizeof z);
  wipe(v, sizeof v);
}

}  // namespace

Gcm::Gcm(const Aes128& aes, const std::uint8_t iv[kGcmIvSize]) : aes_(aes) {
  std::uint8_t block[16] = {};
  aes_.encrypt_block(block, block);
  for (int k = 0; k < 4; ++k) h_[k] = load_be32(block + 4 * k);
  wipe(block, sizeof block);
  copy_bytes(counter_, iv, kGcmIvSize);
  counter_[12] = 0;
  counter_[13] = 0;
  counter_[14] = 0;
  counter_[15] = 1;
  aes_.encrypt_block(counter_, tag_mask_);
}

Gcm::~Gcm() {
  wipe(h_, sizeof h_);
  wipe(x_, sizeof x_);
  wipe(tag_mask_, sizeof tag_mask_);
  wipe(keystream_, sizeof keystream_);
}

void Gcm::ghash_byte(std::uint8_t b) {
  x_[ghash_fill_ / 4] ^= std::uint32_t{b} << (24 - 8 * (ghash_fill_ % 4));
  if (++ghash_fill_ == 16) ghash_pad();
}

// Completes the current GHASH block with zeros (a no-op on a block boundary).
void Gcm::ghash_pad() {
  if (ghash_fill_ == 0) return;
  gf128_mul(x_, h_);
  ghash_fill_ = 0;
}

std::uint8_t Gcm::keystream_byte() {
  if (!in_data_) {  // AAD is over: pad it to a block boundary
    ghash_pad();
    in_data_ = true;
  }
  if (key_used_ == 16) {
    for (int i = 15; i >= 12; --i)  // inc32: only the last 4 bytes count
      if (++counter_[i] != 0) break;
    aes_.encrypt_block(counter_, keystream_);
    key_used_ = 0;
  }
  return keystream_[key_used_++];
}

void Gcm::aad(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) ghash_byte(p[i]);
  aad_len_ += n;
}

void Gcm::encrypt(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t c = static_cast<std::uint8_t>(in[i] ^ keystream_byte());
    out[i] = c;
    ghash_byte(c);
  }
  data_len_ += n;
}

void Gcm::decrypt(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t c = in[i];
    std::uint8_t k = keystream_byte();  // first: it closes the AAD block
    out[i] = static_cast<std::uint8_t>(c ^ k);
    ghash_byte(c);
  }
  data_len_ += n;
}

void Gcm::finish(std::uint8_t* tag, std::size_t tag_len) {
  ghash_pad();
  // Final block: bit lengths of AAD and ciphertext, 64 bits each.
  std::uint64_t aad_bits = aad_len_ * 8, data_bits = data_len_ * 8;
  x_[0] ^= static_cast<std::uint32_t>(aad_bits >> 32);
  x_[1] ^= static_cast<std::uint32_t>(aad_bits);
  x_[2] ^= static_cast<std::uint32_t>(data_bits >> 32);
  x_[3] ^= static_cast<std::uint32_t>(data_bits);
  gf128_mul(x_, h_);
  if (tag_len > kGcmMaxTagSize) tag_len = kGcmMaxTagSize;
  for (std::size_t i = 0; i < tag_len; ++i)
    tag[i] = static_cast<std::uint8_t>(tag_mask_[i] ^ (x_[i / 4] >> (24 - 8 * (i % 4))));
}

bool Gcm::verify(const std::uint8_t* tag, std::size_t tag_len) {
  std::uint8_t expected[kGcmMaxTagSize];
  finish(expected, kGcmMaxTagSize);
  bool ok = tag_len >= 1 && tag_len <= kGcmMaxTagSize && equal_secret(expected, tag, tag_len);
  wipe(expected, sizeof expected);
  return ok;
}

void gcm_encrypt(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
                 const std::uint8_t* in, std::size_t n, std::uint8_t* out, std::uint8_t* tag, std::size_t tag_len) {
  Gcm gcm(aes, iv);
  gcm.aad(aad, aad_len);
  gcm.encrypt(in, n, out);
  gcm.finish(tag, tag_len);
}

bool gcm_decrypt(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
                 const std::uint8_t* in, std::size_t n, std::uint8_t* out, const std::uint8_t* tag, std::size_t tag_len) {
  Gcm gcm(aes, iv);
  gcm.aad(aad, aad_len);
  gcm.decrypt(in, n, out);
  if (gcm.verify(tag, tag_len)) return true;
  wipe(out, n);
  return false;
}

void gmac(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
          std::uint8_t* tag, std::size_t tag_len) {
  gcm_encrypt(aes, iv, aad, aad_len, nullptr, 0, nullptr, tag, tag_len);
}

}  // namespace metergen::crypto
