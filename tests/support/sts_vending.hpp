// Test support: the vending side of STS (IEC 62055-41), written from the
// standard's encryption direction and independently of the runtime decoder:
// decoder key generation (DKGA02) and a token encoder (data block, CRC, EA07 STA
// or EA09 DES encryption, class bits transposition, 20 digits). DES comes from
// OpenSSL, not from the runtime.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace metergen::test::sts_vending {

// Single DES on one block, by OpenSSL (FIPS 46-3).
std::uint64_t des_encrypt(std::uint64_t key, std::uint64_t block);

// DKGA02 (§6.5.3.4): PANBlock (§6.5.3.1: last 5 digits of the 6-digit IIN and the
// 11-digit DRN, as 16 hexadecimal digits) ⊕ CONTROLBlock (§6.5.3.2: KT, 6-digit
// SGC, 2-digit TI, KRN, then FFFFFF) is DES-encrypted under the vending key; the
// decoder key is that output ⊕ the input ⊕ the vending key (the final step as two
// independent public implementations read Figure 11; no published output vector
// was found to pin it, see test_sts_decoder.cpp).
std::uint64_t pan_block(std::string_view iin, std::string_view drn);
std::uint64_t control_block(unsigned key_type, std::string_view sgc, unsigned tariff_index, unsigned key_revision);
std::uint64_t dkga02(std::uint64_t vending_key, std::uint64_t pan, std::uint64_t control);

// STS CRC (§6.3.7) as carried in the token's CRC field.
std::uint16_t crc(std::uint8_t token_class, std::uint64_t bits48);

// STA encryption (§6.5.4) with the standard's sample tables.
std::uint64_t sta_encrypt(std::uint64_t key, std::uint64_t block);

enum class Cipher { sta, dea, none };

// Builds the 64-bit block Subclass(4) | data(44) | CRC(16), encrypts it (class 1
// is sent in clear), inserts the class bits (§6.4.2) and prints the 20 digits.
std::string encode(std::uint64_t key, Cipher cipher, std::uint8_t token_class, std::uint8_t subclass,
                   std::uint64_t data44);

// The 44 data bits of the token layouts of §6.2.
std::uint64_t tid_data(std::uint8_t rnd, std::uint32_t tid, std::uint16_t field);
std::uint64_t first_key_half(std::uint8_t kenho, std::uint8_t krn, bool rollover, std::uint8_t kt, std::uint32_t nkho);
std::uint64_t second_key_half(std::uint8_t kenlo, std::uint8_t ti, std::uint32_t nklo);

// 66-bit token number → 20 decimal digits, and back (for fixed vectors).
std::string digits(unsigned __int128 number);
unsigned __int128 number(std::string_view digits);

}  // namespace metergen::test::sts_vending
