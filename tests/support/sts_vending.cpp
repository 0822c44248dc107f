// The vending side of STS for tests (see sts_vending.hpp).
#include "sts_vending.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <openssl/des.h>

namespace metergen::test::sts_vending {

namespace {
constexpr std::uint8_t kSub1[16] = {12, 10, 8, 4, 3, 15, 0, 2, 14, 1, 5, 13, 6, 9, 7, 11};
constexpr std::uint8_t kSub2[16] = {6, 9, 7, 4, 3, 10, 12, 14, 2, 13, 1, 15, 0, 11, 8, 5};
constexpr std::uint8_t kPerm[64] = {29, 27, 34, 9,  16, 62, 55, 2,  40, 49, 38, 25, 33, 61, 30, 23,
                                    1,  41, 21, 57, 42, 15, 5,  58, 19, 53, 22, 17, 48, 28, 24, 39,
                                    3,  60, 36, 14, 11, 52, 54, 12, 31, 51, 10, 26, 0,  45, 37, 43,
                                    44, 6,  59, 4,  7,  35, 56, 50, 13, 18, 32, 47, 46, 63, 20, 8};

std::uint64_t digits_as_hex(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 4) | static_cast<std::uint64_t>(c == 'F' ? 0xF : c - '0');
  return v;
}
}  // namespace

std::uint64_t des_encrypt(std::uint64_t key, std::uint64_t block) {
  DES_cblock k, in, out;
  for (int i = 0; i < 8; ++i) {
    k[i] = static_cast<unsigned char>(key >> (56 - 8 * i));
    in[i] = static_cast<unsigned char>(block >> (56 - 8 * i));
  }
  DES_key_schedule schedule;
  DES_set_key_unchecked(&k, &schedule);
  DES_ecb_encrypt(&in, &out, &schedule, DES_ENCRYPT);
  std::uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r = (r << 8) | out[i];
  return r;
}

std::uint64_t pan_block(std::string_view iin, std::string_view drn) {
  std::string s(iin.substr(iin.size() - 5));
  s += drn;
  return digits_as_hex(s);
}

std::uint64_t control_block(unsigned key_type, std::string_view sgc, unsigned tariff_index, unsigned key_revision) {
  std::string s = std::to_string(key_type);
  s += sgc;
  s += static_cast<char>('0' + tariff_index / 10);
  s += static_cast<char>('0' + tariff_index % 10);
  s += std::to_string(key_revision);
  s += "FFFFFF";
  return digits_as_hex(s);
}

std::uint64_t dkga02(std::uint64_t vending_key, std::uint64_t pan, std::uint64_t control) {
  std::uint64_t data = pan ^ control;
  return des_encrypt(vending_key, data) ^ data ^ vending_key;
}

std::uint16_t crc(std::uint8_t token_class, std::uint64_t bits48) {
  // 56 bits, most significant byte first, each byte least significant bit first.
  std::uint64_t message = (std::uint64_t{token_class} << 48) | (bits48 & 0xFFFFFFFFFFFFull);
  std::uint16_t reg = 0xFFFF;
  for (int byte = 6; byte >= 0; --byte) {
    std::uint8_t b = static_cast<std::uint8_t>(message >> (8 * byte));
    for (int bit = 0; bit < 8; ++bit) {
      bool feedback = ((reg ^ (b >> bit)) & 1) != 0;
      reg = static_cast<std::uint16_t>(reg >> 1);
      if (feedback) reg ^= 0xA001;  // x^16 + x^15 + x^2 + 1, reflected
    }
  }
  return static_cast<std::uint16_t>((reg & 0xFF) << 8 | reg >> 8);
}

std::uint64_t sta_encrypt(std::uint64_t key, std::uint64_t block) {
  std::uint64_t k = ~key;
  k = (k >> 12) | (k << 52);  // rotate 12 bits right
  for (int round = 0; round < 16; ++round) {
    std::uint64_t substituted = 0;
    for (int i = 0; i < 16; ++i) {
      const std::uint8_t* table = ((k >> (4 * i + 3)) & 1) ? kSub2 : kSub1;
      substituted |= std::uint64_t{table[(block >> (4 * i)) & 0xF]} << (4 * i);
    }
    block = 0;
    for (int i = 0; i < 64; ++i)
      if ((substituted >> i) & 1) block |= std::uint64_t{1} << kPerm[i];
    k = (k << 1) | (k >> 63);  // rotate 1 bit left
  }
  return block;
}

std::string encode(std::uint64_t key, Cipher cipher, std::uint8_t token_class, std::uint8_t subclass,
                   std::uint64_t data44) {
  std::uint64_t bits48 = (std::uint64_t{subclass} << 44) | (data44 & 0xFFFFFFFFFFFull);
  std::uint64_t block = (bits48 << 16) | crc(token_class, bits48);
  if (cipher == Cipher::sta) block = sta_encrypt(key, block);
  if (cipher == Cipher::dea) block = des_encrypt(key, block);
  unsigned __int128 n = block;
  unsigned __int128 moved = (block >> 27) & 3;  // bits 28..27 → 65..64
  n &= ~(static_cast<unsigned __int128>(3) << 27);
  n |= static_cast<unsigned __int128>(token_class & 3) << 27;
  n |= moved << 64;
  return digits(n);
}

std::uint64_t tid_data(std::uint8_t rnd, std::uint32_t tid, std::uint16_t field) {
  return (std::uint64_t{rnd} << 40) | (std::uint64_t{tid & 0xFFFFFF} << 16) | field;
}

std::uint64_t first_key_half(std::uint8_t kenho, std::uint8_t krn, bool rollover, std::uint8_t kt, std::uint32_t nkho) {
  return (std::uint64_t{kenho} << 40) | (std::uint64_t{krn} << 36) | (std::uint64_t{rollover} << 35) |
         (std::uint64_t{kt} << 32) | nkho;
}

std::uint64_t second_key_half(std::uint8_t kenlo, std::uint8_t ti, std::uint32_t nklo) {
  return (std::uint64_t{kenlo} << 40) | (std::uint64_t{ti} << 32) | nklo;
}

std::string digits(unsigned __int128 n) {
  std::string s(20, '0');
  for (int i = 19; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>('0' + static_cast<int>(n % 10));
    n /= 10;
  }
  return s;
}

unsigned __int128 number(std::string_view d) {
  unsigned __int128 n = 0;
  for (char c : d) n = n * 10 + static_cast<unsigned>(c - '0');
  return n;
}

}  // namespace metergen::test::sts_vending
#pragma GCC diagnostic pop
