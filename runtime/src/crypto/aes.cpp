// AES-128 encryption (FIPS-197 §5.1, §5.2). The S-box is derived at compile time
// from its definition (multiplicative inverse in GF(2^8), then the affine map).
#include <metergen/crypto/aes.hpp>

namespace metergen::crypto {
namespace {

constexpr std::uint8_t xtime(std::uint8_t a) {
  return static_cast<std::uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1B : 0x00));
}

constexpr std::uint8_t gf_mul(std::uint8_t a, std::uint8_t b) {
  std::uint8_t p = 0;
  for (int i = 0; i < 8; ++i) {
    if (b & 1) p ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return p;
}

constexpr std::uint8_t rotl8(std::uint8_t v, int s) { return static_cast<std::uint8_t>((v << s) | (v >> (8 - s))); }

struct SBox {
  std::uint8_t v[256];
  constexpr SBox() : v() {
    for (unsigned x = 0; x < 256; ++x) {
      // x^254 is the inverse of x (and maps 0 to 0).
      std::uint8_t inv = 1, base = static_cast<std::uint8_t>(x);
      for (unsigned e = 254; e != 0; e >>= 1) {
        if (e & 1) inv = gf_mul(inv, base);
        base = gf_mul(base, base);
      }
      v[x] = static_cast<std::uint8_t>(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63);
    }
  }
};
constexpr SBox kSBox;
static_assert(kSBox.v[0x00] == 0x63 && kSBox.v[0x53] == 0xED, "FIPS-197 §5.1.1 example: S(53) = ED");

void add_round_key(std::uint8_t s[16], const std::uint8_t* rk) {
  for (int i = 0; i < 16; ++i) s[i] ^= rk[i];
}

// SubBytes and ShiftRows together; the state is column-major (s[r + 4c]).
void sub_shift(std::uint8_t s[16]) {
  std::uint8_t t[16];
  for (int c = 0; c < 4; ++c)
    for (int r = 0; r < 4; ++r) t[r + 4 * c] = kSBox.v[s[r + 4 * ((c + r) & 3)]];
  for (int i = 0; i < 16; ++i) s[i] = t[i];
}

void mix_columns(std::uint8_t s[16]) {
  for (int c = 0; c < 4; ++c) {
    std::uint8_t* col = s + 4 * c;
    std::uint8_t all = static_cast<std::uint8_t>(col[0] ^ col[1] ^ col[2] ^ col[3]);
    std::uint8_t first = col[0];
    for (int r = 0; r < 4; ++r) {
      std::uint8_t next = r == 3 ? first : col[r + 1];
      col[r] = static_cast<std::uint8_t>(col[r] ^ all ^ xtime(static_cast<std::uint8_t>(col[r] ^ next)));
    }
  }
}

}  // namespace

void wipe(void* p, std::size_t n) {
  volatile std::uint8_t* v = static_cast<volatile std::uint8_t*>(p);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

Aes128::Aes128(const std::uint8_t key[kAes128KeySize]) {
  for (std::size_t i = 0; i < kAes128KeySize; ++i) round_keys_[i] = key[i];
  std::uint8_t rcon = 1;
  for (std::size_t i = kAes128KeySize; i < sizeof round_keys_; i += 4) {
    const std::uint8_t* prev = round_keys_ + i - 4;
    std::uint8_t t[4] = {prev[0], prev[1], prev[2], prev[3]};
    if (i % kAes128KeySize == 0) {  // RotWord, SubWord, Rcon
      std::uint8_t first = t[0];
      t[0] = static_cast<std::uint8_t>(kSBox.v[t[1]] ^ rcon);
      t[1] = kSBox.v[t[2]];
      t[2] = kSBox.v[t[3]];
      t[3] = kSBox.v[first];
      rcon = xtime(rcon);
    }
    for (int k = 0; k < 4; ++k) round_keys_[i + k] = static_cast<std::uint8_t>(round_keys_[i - kAes128KeySize + k] ^ t[k]);
  }
}

Aes128::~Aes128() { wipe(round_keys_, sizeof round_keys_); }

void Aes128::encrypt_block(const std::uint8_t in[kAesBlockSize], std::uint8_t out[kAesBlockSize]) const {
  std::uint8_t s[16];
  for (int i = 0; i < 16; ++i) s[i] = in[i];
  add_round_key(s, round_keys_);
  for (int round = 1; round <= 10; ++round) {
    sub_shift(s);
    if (round != 10) mix_columns(s);
    add_round_key(s, round_keys_ + 16 * round);
  }
  for (int i = 0; i < 16; ++i) out[i] = s[i];
}

}  // namespace metergen::crypto
