// AES-128 block cipher, encrypt direction only (FIPS-197); GCM needs no more.
//
// Owns: the key schedule and the block transform. Compact by design: one 256-byte
// S-box computed at compile time and xtime for MixColumns, no T-tables. Uses
// nothing but <cstdint>/<cstddef>.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::crypto {

inline constexpr std::size_t kAesBlockSize = 16;
inline constexpr std::size_t kAes128KeySize = 16;

// Zeroes a buffer that held secret material; the compiler may not drop the stores.
void wipe(void* p, std::size_t n);

class Aes128 {
 public:
  // Expands `key` (16 bytes) into the round keys held by this object.
  explicit Aes128(const std::uint8_t key[kAes128KeySize]);
  // Wipes the round keys.
  ~Aes128();
  Aes128(const Aes128&) = delete;
  Aes128& operator=(const Aes128&) = delete;

  // Encrypts one 16-byte block; `out` may equal `in`.
  void encrypt_block(const std::uint8_t in[kAesBlockSize], std::uint8_t out[kAesBlockSize]) const;

 private:
  std::uint8_t round_keys_[11 * kAesBlockSize];
};

}  // namespace metergen::crypto
