// Entropy pool and AES-CTR generator (see random_source.hpp).
#include "random_source.hpp"

#include <metergen/crypto/aes.hpp>

namespace metergen::mps2 {

void EntropyPool::stir(std::uint32_t sample) {
  // Spread each sample over a word (odd multiplier, rotation) and rotate through the words.
  std::uint32_t& w = words_[count_ & 3u];
  w = ((w << 5) | (w >> 27)) ^ (sample * 0x9E3779B1u) ^ count_;
  ++count_;
}

void EntropyPool::snapshot(std::uint8_t out[kBytes]) const {
  for (std::size_t i = 0; i < kBytes; ++i) out[i] = static_cast<std::uint8_t>(words_[i / 4] >> (8 * (i % 4)));
}

void Generator::next_counter_block(std::uint8_t block[16]) {
  for (int i = 0; i < 16; ++i) block[i] = i < 8 ? static_cast<std::uint8_t>(counter_ >> (8 * i)) : 0;
  ++counter_;
}

void Generator::reseed(const std::uint8_t seed[EntropyPool::kBytes]) {
  std::uint8_t block[16];
  next_counter_block(block);
  for (int i = 0; i < 16; ++i) block[i] ^= seed[i];
  crypto::Aes128(key_).encrypt_block(block, key_);
  crypto::wipe(block, sizeof block);
}

void Generator::generate(std::uint8_t* out, std::size_t n) {
  std::uint8_t block[16];
  {
    const crypto::Aes128 aes(key_);
    while (n > 0) {
      next_counter_block(block);
      aes.encrypt_block(block, block);
      const std::size_t take = n < sizeof block ? n : sizeof block;
      for (std::size_t i = 0; i < take; ++i) out[i] = block[i];
      out += take;
      n -= take;
    }
    next_counter_block(block);
    aes.encrypt_block(block, key_);
  }
  crypto::wipe(block, sizeof block);
}

}  // namespace metergen::mps2
