// AES-GCM and GMAC with a 96-bit IV and a tag of 1..16 bytes (NIST SP 800-38D).
//
// Owns: GHASH (bitwise, table-free), the CTR keystream and the tag. Uses Aes128
// and equal_secret from bytes.hpp. Gcm is the streaming form (AAD may come in
// pieces, e.g. SC || AK || APDU without copying them together); the free
// functions are the one-shot forms. In-place operation (out == in) is allowed.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/crypto/aes.hpp>

namespace metergen::crypto {

inline constexpr std::size_t kGcmIvSize = 12;
inline constexpr std::size_t kGcmMaxTagSize = 16;

class Gcm {
 public:
  // Starts a message under `aes` (which must outlive this object) and `iv`.
  Gcm(const Aes128& aes, const std::uint8_t iv[kGcmIvSize]);
  // Wipes the hash key and keystream.
  ~Gcm();
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;

  // Adds additional authenticated data; all AAD must come before any data.
  void aad(const std::uint8_t* p, std::size_t n);
  // Encrypts n bytes (any chunking); out may equal in.
  void encrypt(const std::uint8_t* in, std::size_t n, std::uint8_t* out);
  // Decrypts n bytes (any chunking); out may equal in. Verify the tag before
  // trusting the output.
  void decrypt(const std::uint8_t* in, std::size_t n, std::uint8_t* out);
  // Writes the first tag_len (1..16, larger is clamped) bytes of the tag. Call once.
  void finish(std::uint8_t* tag, std::size_t tag_len);
  // True when the first tag_len (1..16) bytes of the tag equal `tag`, compared in
  // constant time. Call once, instead of finish().
  bool verify(const std::uint8_t* tag, std::size_t tag_len);

 private:
  void ghash_byte(std::uint8_t b);
  void ghash_pad();
  std::uint8_t keystream_byte();

  const Aes128& aes_;
  std::uint32_t h_[4];           // hash subkey E_K(0^128), big-endian words
  std::uint32_t x_[4] = {};      // running GHASH value
  std::uint8_t counter_[16];     // J0, then the current counter block
  std::uint8_t tag_mask_[16];    // E_K(J0)
  std::uint8_t keystream_[16];
  std::uint64_t aad_len_ = 0;
  std::uint64_t data_len_ = 0;
  std::uint8_t ghash_fill_ = 0;  // bytes of the current GHASH block absorbed
  std::uint8_t key_used_ = 16;   // keystream bytes consumed
  bool in_data_ = false;
};

// One-shot authenticated encryption: ciphertext to out (may equal in), tag_len
// (1..16) tag bytes to tag.
void gcm_encrypt(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
                 const std::uint8_t* in, std::size_t n, std::uint8_t* out, std::uint8_t* tag, std::size_t tag_len);

// One-shot decryption with tag check. Returns false (and zeroes out[0..n)) when the
// tag does not match or tag_len is not 1..16.
bool gcm_decrypt(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
                 const std::uint8_t* in, std::size_t n, std::uint8_t* out, const std::uint8_t* tag, std::size_t tag_len);

// GMAC: the GCM tag over AAD only (empty plaintext).
void gmac(const Aes128& aes, const std::uint8_t iv[kGcmIvSize], const std::uint8_t* aad, std::size_t aad_len,
          std::uint8_t* tag, std::size_t tag_len);

}  // namespace metergen::crypto
