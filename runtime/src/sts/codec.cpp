// STS token building blocks (IEC 62055-41 §6.2-§6.5, §7.3).
#include <metergen/sts/codec.hpp>

namespace metergen::sts {
namespace {

struct StaInverse {
  std::uint8_t substitution1[16];
  std::uint8_t substitution2[16];
  std::uint8_t permutation[64];
  constexpr StaInverse() : substitution1(), substitution2(), permutation() {
    for (int i = 0; i < 16; ++i) {
      substitution1[kStaSubstitution1[i]] = static_cast<std::uint8_t>(i);
      substitution2[kStaSubstitution2[i]] = static_cast<std::uint8_t>(i);
    }
    for (int i = 0; i < 64; ++i) permutation[kStaPermutation[i]] = static_cast<std::uint8_t>(i);
  }
};
constexpr StaInverse kStaInverse;

constexpr bool sta_tables_are_permutations() {
  std::uint64_t seen = 0;
  for (auto p : kStaPermutation) seen |= std::uint64_t{1} << p;
  unsigned s1 = 0, s2 = 0;
  for (int i = 0; i < 16; ++i) {
    s1 |= 1u << kStaSubstitution1[i];
    s2 |= 1u << kStaSubstitution2[i];
  }
  return seen == ~std::uint64_t{0} && s1 == 0xFFFFu && s2 == 0xFFFFu;
}
static_assert(sta_tables_are_permutations(), "STA tables must be permutations");

constexpr std::uint64_t rotl64(std::uint64_t v, unsigned s) { return s == 0 ? v : (v << s) | (v >> (64 - s)); }
constexpr std::uint64_t rotr64(std::uint64_t v, unsigned s) { return s == 0 ? v : (v >> s) | (v << (64 - s)); }

}  // namespace

bool parse_token_number(std::span<const char> digits, TokenNumber& out) {
  if (digits.size() != 20) return false;
  // Three 32-bit limbs, least significant first: 10^20 < 2^67 fits in 96 bits.
  std::uint32_t limb[3] = {0, 0, 0};
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    std::uint64_t carry = static_cast<std::uint64_t>(c - '0');
    for (auto& l : limb) {
      std::uint64_t v = std::uint64_t{l} * 10u + carry;
      l = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
  }
  if (limb[2] >> 2) return false;  // ≥ 2^66
  out.high = static_cast<std::uint8_t>(limb[2]);
  out.low = (std::uint64_t{limb[1]} << 32) | limb[0];
  return true;
}

std::uint8_t token_class_of(const TokenNumber& n) { return static_cast<std::uint8_t>((n.low >> 27) & 3u); }

std::uint64_t block_of(const TokenNumber& n) {
  std::uint64_t block = n.low & ~(std::uint64_t{3} << 27);
  return block | (std::uint64_t{n.high & 3u} << 27);
}

std::uint16_t crc16(const std::uint8_t* data, std::size_t size) {
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b) crc = (crc & 1u) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001u) : static_cast<std::uint16_t>(crc >> 1);
  }
  return static_cast<std::uint16_t>((crc << 8) | (crc >> 8));
}

std::uint16_t token_crc(std::uint8_t token_class, std::uint64_t block) {
  std::uint64_t bits = (std::uint64_t{token_class & 3u} << 48) | (block >> 16);
  std::uint8_t bytes[7];
  for (int i = 0; i < 7; ++i) bytes[i] = static_cast<std::uint8_t>(bits >> (8 * (6 - i)));
  return crc16(bytes, sizeof bytes);
}

std::uint64_t transfer_amount(std::uint16_t field) {
  unsigned e = field >> 14;
  std::uint64_t m = field & 0x3FFFu;
  std::uint64_t scale = 1, offset = 0;
  for (unsigned n = 1; n <= e; ++n) {
    offset += (std::uint64_t{1} << 14) * scale;  // 2^14 · 10^(n-1)
    scale *= 10;
  }
  return scale * m + offset;
}

std::uint64_t sta_decrypt(std::uint64_t key, std::uint64_t block) {
  // Encryption (§6.5.4) starts from the key complemented and rotated 12 bits to
  // the right, and per round substitutes each nibble i (table 1 when bit 4i+3 of
  // the round key is 0, else table 2), permutes, and rotates the key 1 bit left.
  // Decryption undoes the 16 rounds in reverse order.
  const std::uint64_t first = rotr64(~key, 12);
  for (int round = 15; round >= 0; --round) {
    const std::uint64_t round_key = rotl64(first, static_cast<unsigned>(round));
    std::uint64_t permuted = 0;
    for (int i = 0; i < 64; ++i)
      if ((block >> i) & 1u) permuted |= std::uint64_t{1} << kStaInverse.permutation[i];
    std::uint64_t out = 0;
    for (int i = 0; i < 16; ++i) {
      unsigned nibble = static_cast<unsigned>(permuted >> (4 * i)) & 0xFu;
      bool second = (round_key >> (4 * i + 3)) & 1u;
      out |= std::uint64_t{second ? kStaInverse.substitution2[nibble] : kStaInverse.substitution1[nibble]} << (4 * i);
    }
    block = out;
  }
  return block;
}

}  // namespace metergen::sts
