// STS token decoder (IEC 62055-41, the meter side of the Standard Transfer
// Specification): 20-digit token → authenticated, de-duplicated token data.
//
// Owns: the decoder's persistent state (decoder key, TokenIdentifier memory,
// a held key-change half) and the acceptance rules of §7 and §8. Calls only
// sts/codec.hpp and sts/des.hpp. Tokens are untrusted input; the state is
// trusted and is plain data the meter stores in NVM as bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

namespace metergen::sts {

// EA code of the decoder key (§6.1.5): 07 STA, 09 DEA (single DES).
enum class Algorithm : std::uint8_t { sta = 7, dea = 9 };

struct DecoderKey {
  std::array<std::uint8_t, 8> bytes;  // 64-bit decoder key, most significant byte first
  Algorithm algorithm;
  std::uint8_t key_type;      // KT (§6.1.9): 0 initialisation, 1 default, 2 unique, 3 common
  std::uint8_t key_revision;  // KRN (§6.1.8), 1..9
  std::uint8_t key_expiry;    // KEN (§6.1.10): tokens whose TID bits 23..16 exceed it are refused
  std::uint8_t tariff_index;  // TI (§6.1.7)
  std::uint32_t supply_group; // SGC (§6.1.6), 6 digits; not carried by key-change tokens
  std::uint8_t base_date;     // TID base date: 0 1993-01-01, 1 2014-01-01, 2 2035-01-01
};

// Result of entering a token (§7.3.6 authentication, §8 token processing).
enum class Outcome : std::uint8_t {
  accepted,               // acted upon (a TID-bearing token is now in the TID memory)
  format_error,           // not 20 digits, or ≥ 2^66
  authentication_failed,  // CRC (or class 1 MfrCode) mismatch: wrong key or mistyped token
  old,                    // TID older than every TID in a full memory
  used,                   // TID already in the memory
  key_expired,            // TID bits 23..16 greater than the key's KEN
  key_change_pending,     // one half of a key change held, waiting for the other half
  not_supported,          // reserved class/subclass or a 128-bit key section
};

// Short English name, for logs.
const char* outcome_name(Outcome);

// Token classes (§6.2) and the subclasses this decoder acts on.
inline constexpr std::uint8_t kClassCredit = 0;      // TransferCredit
inline constexpr std::uint8_t kClassTest = 1;        // InitiateMeterTest/Display, not encrypted
inline constexpr std::uint8_t kClassManagement = 2;  // meter-specific management
namespace credit {  // class 0 subclasses (§6.2.2)
// Units: value in 0.1 kWh, 0.1 m³, 0.1 m³, 0.1 min of the service.
inline constexpr std::uint8_t electricity = 0, water = 1, gas = 2, time = 3;
// Currency: value in 0.00001 of the currency.
inline constexpr std::uint8_t electricity_currency = 4, water_currency = 5, gas_currency = 6, time_currency = 7;
}
namespace management {  // class 2 subclasses (§6.2.4-§6.2.12)
inline constexpr std::uint8_t set_maximum_power_limit = 0;  // value: MPL in W (§6.3.9)
inline constexpr std::uint8_t clear_credit = 1;             // value: register to clear (§6.3.13)
inline constexpr std::uint8_t set_tariff_rate = 2;          // value: rate field as sent (§6.3.11)
inline constexpr std::uint8_t set_1st_section_key = 3;      // value: NKHO (§6.3.14)
inline constexpr std::uint8_t set_2nd_section_key = 4;      // value: NKLO (§6.3.15)
inline constexpr std::uint8_t clear_tamper_condition = 5;   // value: pad field as sent
inline constexpr std::uint8_t set_maximum_phase_power_unbalance_limit = 6;  // value: MPPUL in W (§6.3.10)
inline constexpr std::uint8_t set_water_meter_factor = 7;   // value: factor field as sent (§6.3.12)
inline constexpr std::uint8_t set_3rd_section_key = 8;      // 128-bit keys (EA11): not supported
inline constexpr std::uint8_t set_4th_section_key = 9;
}  // namespace management

struct Token {
  std::uint8_t token_class;
  std::uint8_t subclass;
  std::uint32_t tid;    // minutes since the key's base date; 0 for tokens without a TID
  std::uint64_t value;  // class 0: amount in the subclass's unit (credit::); class 1: control field;
                        // class 2: the management value in the standard's unit (see above)
  std::uint16_t field;  // the raw 16-bit amount/value field (class 0, class 2 with a TID)
  std::uint8_t rnd;     // RND nibble (tokens with a TID)
  std::uint16_t manufacturer_code;  // class 1 MfrCode
};

// Capacity of the TokenIdentifier memory: the standard requires at least the 50
// most recent TIDs to be remembered (§8).
inline constexpr std::size_t kTidMemorySize = 50;

// One half of a two-token key change, held until its partner arrives (§8.9).
struct PendingKeyHalf {
  std::uint8_t section;  // 0 none, else the subclass held (3 or 4)
  std::uint8_t ken_nibble;  // KENHO or KENLO
  std::uint8_t key_revision;
  std::uint8_t key_type;
  std::uint8_t rollover;  // RO bit of the 1st section
  std::uint8_t tariff_index;
  std::uint32_t key_half;  // NKHO or NKLO
};

struct DecoderState {
  DecoderKey key;
  std::uint16_t manufacturer_code;  // this meter's MfrCode, authenticates class 1 tokens
  std::uint8_t tid_count;           // entries used in `tids`
  PendingKeyHalf pending;
  std::uint32_t tids[kTidMemorySize];  // remembered TIDs, in no particular order
};
static_assert(std::is_trivially_copyable_v<DecoderState>, "persisted as bytes");
static_assert(sizeof(DecoderState) <= 256, "fits a small NVM record");

// Enters one token: parse, class bits, decrypt (class 0 and 2, by the key's
// algorithm), CRC, TID and KEN checks, key-change pairing. `state` changes only
// when the result is accepted or key_change_pending: an accepted TID-bearing
// token is recorded (replacing the oldest TID when the memory is full) and drops a
// held key-change half; a completed key change replaces state.key (with a new base
// date and an empty TID memory when its RO bit is set). `out` is meaningful for
// accepted and key_change_pending.
Outcome accept_token(std::span<const char> digits, DecoderState& state, Token& out);

}  // namespace metergen::sts
