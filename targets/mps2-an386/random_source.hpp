// Random bytes for authentication challenges on a board without a TRNG (QEMU's
// mps2-an386 has none; see docs/firmware.md).
//
// EntropyPool gathers timing samples from interrupt handlers (the SysTick
// counter when a byte arrives: the host's timing jitters against the emulated
// clock); Generator is AES-128 in counter mode whose key absorbs a pool
// snapshot before every request and is replaced after it, so earlier outputs
// cannot be recomputed from a later key. This is as unpredictable as the
// samples are, which is not cryptographic quality: demo use only.
//
// Owns: the pool and the generator state. Uses: crypto/aes.hpp. Portable;
// masking interrupts around EntropyPool::snapshot is the caller's business.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::mps2 {

class EntropyPool {
 public:
  static constexpr std::size_t kBytes = 16;

  // Mixes one sample in (cheap enough for an interrupt handler).
  void stir(std::uint32_t sample);
  void snapshot(std::uint8_t out[kBytes]) const;

 private:
  std::uint32_t words_[4]{};
  std::uint32_t count_ = 0;
};

class Generator {
 public:
  // Folds seed into the key: key = AES_key(seed xor counter block).
  void reseed(const std::uint8_t seed[EntropyPool::kBytes]);
  // n bytes of AES_key(counter), counter + 1, ...; then a fresh key from the same stream.
  void generate(std::uint8_t* out, std::size_t n);

 private:
  void next_counter_block(std::uint8_t block[16]);

  std::uint8_t key_[16]{};
  std::uint64_t counter_ = 0;
};

}  // namespace metergen::mps2
