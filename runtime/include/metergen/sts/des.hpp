// DES block cipher (FIPS 46-3), single DES on one 64-bit block, both directions.
//
// Owns: the DES key schedule and the block transform, for the STS token decoder
// (IEC 62055-41 EA09 "DEA") and for vending-side tools. Keys and blocks are
// big-endian 64-bit values (the first byte of the FIPS notation is the most
// significant); the key's parity bits are ignored. Uses nothing but <cstdint>.
#pragma once

#include <cstdint>

namespace metergen::sts {

// Encrypts one block under `key` (FIPS 46-3 §"Enciphering").
std::uint64_t des_encrypt(std::uint64_t key, std::uint64_t block);
// Decrypts one block under `key` (FIPS 46-3 §"Deciphering": the subkeys in reverse).
std::uint64_t des_decrypt(std::uint64_t key, std::uint64_t block);

}  // namespace metergen::sts
