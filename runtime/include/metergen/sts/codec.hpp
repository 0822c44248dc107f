// STS token building blocks (IEC 62055-41): the 20-digit token number, the class
// bits transposition, the CRC, the transfer-amount rule and the standard transfer
// algorithm (STA, EA07) in the decrypt direction.
//
// Owns: pure functions over the token's bits, no state. decoder.hpp composes them.
// Bit numbers follow the standard: bit 0 is the least significant bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace metergen::sts {

// The 66-bit token number (IEC 62055-41 §6.2.1): bits 65..64 and bits 63..0.
struct TokenNumber {
  std::uint8_t high;  // bits 65..64
  std::uint64_t low;  // bits 63..0
};

// 20 decimal digits (IEC 62055-51 numeric token carrier) → the 66-bit number.
// False for another length, a non-digit, or a value ≥ 2^66.
bool parse_token_number(std::span<const char> digits, TokenNumber& out);

// Reverse of the class bits transposition (§6.4.2): the class sits in bits 28..27
// (its most significant bit in 28), the original bits 28..27 of the 64-bit block
// were moved to bits 65..64.
std::uint8_t token_class_of(const TokenNumber& n);
std::uint64_t block_of(const TokenNumber& n);

// The STS CRC-16 (§6.3.7): generator x^16 + x^15 + x^2 + 1, processed least
// significant bit first (reflected, 0xA001), initial value FFFF. Returned as the
// token's 16-bit CRC field carries it: the register's low byte in bits 15..8.
std::uint16_t crc16(const std::uint8_t* data, std::size_t size);
// CRC of a token: over Class and the 48 bits above the CRC field of the
// decrypted block (50 bits, left padded with 6 zero bits to 7 bytes).
std::uint16_t token_crc(std::uint8_t token_class, std::uint64_t block);

// The 16-bit TransferAmount rule (§6.3.6): exponent e in bits 15..14, mantissa m
// in bits 13..0; units = m for e = 0, else 10^e·m + Σ_{n=1..e} 2^14·10^(n-1).
// For electricity credit the unit is 0.1 kWh; MPL and MPPUL use it in watts.
std::uint64_t transfer_amount(std::uint16_t field);

// STA decryption (EA07: §6.5.4 run backwards, §7.3) of one 64-bit block under
// the 64-bit decoder key, with the substitution and permutation tables that the
// standard publishes (its sample tables; production tables come from the STS
// Association under licence and replace these three arrays).
std::uint64_t sta_decrypt(std::uint64_t key, std::uint64_t block);

inline constexpr std::uint8_t kStaSubstitution1[16] = {12, 10, 8, 4, 3, 15, 0, 2, 14, 1, 5, 13, 6, 9, 7, 11};
inline constexpr std::uint8_t kStaSubstitution2[16] = {6, 9, 7, 4, 3, 10, 12, 14, 2, 13, 1, 15, 0, 11, 8, 5};
// Bit i of the substituted block moves to bit kStaPermutation[i].
inline constexpr std::uint8_t kStaPermutation[64] = {
    29, 27, 34, 9,  16, 62, 55, 2,  40, 49, 38, 25, 33, 61, 30, 23, 1,  41, 21, 57, 42, 15,
    5,  58, 19, 53, 22, 17, 48, 28, 24, 39, 3,  60, 36, 14, 11, 52, 54, 12, 31, 51, 10, 26,
    0,  45, 37, 43, 44, 6,  59, 4,  7,  35, 56, 50, 13, 18, 32, 47, 46, 63, 20, 8};

}  // namespace metergen::sts
