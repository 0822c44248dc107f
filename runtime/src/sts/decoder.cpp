// STS token acceptance (IEC 62055-41 §7.3 decryption and authentication, §8
// token processing in the MeterApplicationProcess).
#include <metergen/sts/codec.hpp>
#include <metergen/sts/decoder.hpp>
#include <metergen/sts/des.hpp>

namespace metergen::sts {
namespace {

std::uint64_t key_value(const DecoderKey& key) {
  std::uint64_t v = 0;
  for (auto b : key.bytes) v = (v << 8) | b;
  return v;
}

bool tid_remembered(const DecoderState& s, std::uint32_t tid) {
  for (std::size_t i = 0; i < s.tid_count; ++i)
    if (s.tids[i] == tid) return true;
  return false;
}

// Index of the smallest remembered TID (the memory must not be empty).
std::size_t oldest_tid(const DecoderState& s) {
  std::size_t at = 0;
  for (std::size_t i = 1; i < s.tid_count; ++i)
    if (s.tids[i] < s.tids[at]) at = i;
  return at;
}

void record_tid(DecoderState& s, std::uint32_t tid) {
  if (s.tid_count < kTidMemorySize)
    s.tids[s.tid_count++] = tid;
  else
    s.tids[oldest_tid(s)] = tid;
}

// Class 1 (§6.2.3): subclass 0 carries a 36-bit Control and a 2-digit (8-bit)
// MfrCode, subclass 1 a 28-bit Control and a 4-digit (16-bit) MfrCode.
Outcome test_token(std::uint64_t block, const DecoderState& s, Token& out) {
  if (out.subclass == 0) {
    out.value = (block >> 24) & 0xFFFFFFFFFull;
    out.manufacturer_code = static_cast<std::uint16_t>((block >> 16) & 0xFFu);
  } else if (out.subclass == 1) {
    out.value = (block >> 32) & 0xFFFFFFFull;
    out.manufacturer_code = static_cast<std::uint16_t>((block >> 16) & 0xFFFFu);
  } else {
    return Outcome::not_supported;
  }
  // §7.3.6: a class 1 token is authentic when its MfrCode is this meter's.
  return out.manufacturer_code == s.manufacturer_code ? Outcome::accepted : Outcome::authentication_failed;
}

bool carries_tid(std::uint8_t token_class, std::uint8_t subclass) {
  if (token_class == kClassCredit) return subclass <= credit::time_currency;
  switch (subclass) {
    case management::set_maximum_power_limit:
    case management::clear_credit:
    case management::set_tariff_rate:
    case management::clear_tamper_condition:
    case management::set_maximum_phase_power_unbalance_limit:
    case management::set_water_meter_factor:
      return true;
    default:
      return false;
  }
}

std::uint64_t management_value(std::uint8_t subclass, std::uint16_t field) {
  if (subclass == management::set_maximum_power_limit ||
      subclass == management::set_maximum_phase_power_unbalance_limit)
    return transfer_amount(field);  // §6.3.9, §6.3.10: the TransferAmount rule, in W
  return field;
}

// Set1st/2ndSectionDecoderKey (§6.2.7): 1st = KENHO(4) KRN(4) RO(1) Res(1)
// KT(2) NKHO(32); 2nd = KENLO(4) TI(8) NKLO(32); no RND, no TID.
PendingKeyHalf key_half(std::uint8_t subclass, std::uint64_t block) {
  PendingKeyHalf h{};
  h.section = subclass;
  h.ken_nibble = static_cast<std::uint8_t>((block >> 56) & 0xFu);
  h.key_half = static_cast<std::uint32_t>(block >> 16);
  if (subclass == management::set_1st_section_key) {
    h.key_revision = static_cast<std::uint8_t>((block >> 52) & 0xFu);
    h.rollover = static_cast<std::uint8_t>((block >> 51) & 1u);
    h.key_type = static_cast<std::uint8_t>((block >> 48) & 3u);
  } else {
    h.tariff_index = static_cast<std::uint8_t>((block >> 48) & 0xFFu);
  }
  return h;
}

void apply_key_change(DecoderState& s, const PendingKeyHalf& first, const PendingKeyHalf& second) {
  std::uint64_t key = (std::uint64_t{first.key_half} << 32) | second.key_half;
  for (int i = 0; i < 8; ++i) s.key.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(key >> (56 - 8 * i));
  s.key.key_type = first.key_type;
  s.key.key_revision = first.key_revision;
  s.key.key_expiry = static_cast<std::uint8_t>((first.ken_nibble << 4) | second.ken_nibble);
  s.key.tariff_index = second.tariff_index;
  if (first.rollover) {
    // TID roll-over key change (the RO bit, IEC 62055-41:2014 and its Annex C
    // code of practice for the 2024 roll-over): the new key counts TIDs from the
    // next base date, so the old TIDs mean nothing to it and the memory starts empty.
    if (s.key.base_date < 2) ++s.key.base_date;
    s.tid_count = 0;
    for (auto& t : s.tids) t = 0;
  }
  s.pending = PendingKeyHalf{};
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::accepted: return "accepted";
    case Outcome::format_error: return "format error";
    case Outcome::authentication_failed: return "authentication failed";
    case Outcome::old: return "old token";
    case Outcome::used: return "used token";
    case Outcome::key_expired: return "key expired";
    case Outcome::key_change_pending: return "key change pending";
    case Outcome::not_supported: return "not supported";
  }
  return "unknown outcome";
}

Outcome accept_token(std::span<const char> digits, DecoderState& state, Token& out) {
  out = Token{};
  TokenNumber number{};
  if (!parse_token_number(digits, number)) return Outcome::format_error;
  out.token_class = token_class_of(number);
  std::uint64_t block = block_of(number);

  if (out.token_class == kClassTest) {
    out.subclass = static_cast<std::uint8_t>(block >> 60);
    if (token_crc(out.token_class, block) != static_cast<std::uint16_t>(block)) return Outcome::authentication_failed;
    return test_token(block, state, out);
  }
  if (out.token_class != kClassCredit && out.token_class != kClassManagement) return Outcome::not_supported;

  const std::uint64_t key = key_value(state.key);
  block = state.key.algorithm == Algorithm::dea ? des_decrypt(key, block) : sta_decrypt(key, block);
  // §7.3.6: authentic when the CRC matches the decrypted data.
  if (token_crc(out.token_class, block) != static_cast<std::uint16_t>(block)) return Outcome::authentication_failed;
  out.subclass = static_cast<std::uint8_t>(block >> 60);

  if (out.token_class == kClassManagement &&
      (out.subclass == management::set_1st_section_key || out.subclass == management::set_2nd_section_key)) {
    PendingKeyHalf half = key_half(out.subclass, block);
    out.value = half.key_half;
    const std::uint8_t partner = out.subclass == management::set_1st_section_key ? management::set_2nd_section_key
                                                                                  : management::set_1st_section_key;
    if (state.pending.section == partner) {
      const PendingKeyHalf held = state.pending;
      if (out.subclass == management::set_1st_section_key)
        apply_key_change(state, half, held);
      else
        apply_key_change(state, held, half);
      return Outcome::accepted;
    }
    state.pending = half;  // a second copy of the same half replaces the held one
    return Outcome::key_change_pending;
  }
  if (!carries_tid(out.token_class, out.subclass)) return Outcome::not_supported;

  out.rnd = static_cast<std::uint8_t>((block >> 56) & 0xFu);
  out.tid = static_cast<std::uint32_t>((block >> 32) & 0xFFFFFFu);
  out.field = static_cast<std::uint16_t>(block >> 16);
  out.value = out.token_class == kClassCredit ? transfer_amount(out.field) : management_value(out.subclass, out.field);

  // §6.1.10: a TID whose most significant 8 bits exceed the KEN is refused.
  if ((out.tid >> 16) > state.key.key_expiry) return Outcome::key_expired;
  // §8: a remembered TID is used; with the memory full, one older than all is old.
  if (tid_remembered(state, out.tid)) return Outcome::used;
  if (state.tid_count == kTidMemorySize && out.tid < state.tids[oldest_tid(state)]) return Outcome::old;

  record_tid(state, out.tid);
  state.pending = PendingKeyHalf{};  // the halves of a key change are entered one after the other
  return Outcome::accepted;
}

}  // namespace metergen::sts
