// The account record's body, field by field, big-endian (docs/nvm-format.md,
// storage kind 'A'); see prepayment/account.hpp.
#include <metergen/prepayment/account.hpp>

namespace metergen::prepayment {

namespace {

void put_key(ByteWriter& w, const sts::DecoderKey& k) {
  w.bytes(k.bytes.data(), k.bytes.size());
  w.u8(static_cast<std::uint8_t>(k.algorithm));
  w.u8(k.key_type);
  w.u8(k.key_revision);
  w.u8(k.key_expiry);
  w.u8(k.tariff_index);
  w.be32(k.supply_group);
  w.u8(k.base_date);
}

void get_key(ByteReader& r, sts::DecoderKey& k) {
  for (std::uint8_t& b : k.bytes) b = r.u8();
  k.algorithm = static_cast<sts::Algorithm>(r.u8());
  k.key_type = r.u8();
  k.key_revision = r.u8();
  k.key_expiry = r.u8();
  k.tariff_index = r.u8();
  k.supply_group = r.be32();
  k.base_date = r.u8();
}

void put_half(ByteWriter& w, const sts::PendingKeyHalf& h) {
  w.u8(h.section);
  w.u8(h.ken_nibble);
  w.u8(h.key_revision);
  w.u8(h.key_type);
  w.u8(h.rollover);
  w.u8(h.tariff_index);
  w.be32(h.key_half);
}

void get_half(ByteReader& r, sts::PendingKeyHalf& h) {
  h.section = r.u8();
  h.ken_nibble = r.u8();
  h.key_revision = r.u8();
  h.key_type = r.u8();
  h.rollover = r.u8();
  h.tariff_index = r.u8();
  h.key_half = r.be32();
}

}  // namespace

void Account::encode(ByteWriter& w) const {
  const Body& b = body_;
  for (const std::int64_t v : {b.token, b.emergency, b.paid_total, b.last_collection, b.last_register_mwh,
                               b.last_collection_utc_s, b.low_credit, b.token_utc_s, b.locked_until_utc_s})
    w.be64(static_cast<std::uint64_t>(v));
  for (const std::uint32_t v : {b.rate, b.passive_rate, b.rate_remainder, b.max_power_w, b.max_unbalance_w}) w.be32(v);
  for (const std::uint8_t v : {b.payment_mode, b.account_status, b.emergency_status, b.flags, b.failures_in_row,
                               b.token_status, b.token_outcome, b.token_delivery, b.token_length})
    w.u8(v);
  w.bytes(reinterpret_cast<const std::uint8_t*>(b.token_digits), kTokenDigits);
  put_key(w, b.decoder.key);
  w.be16(b.decoder.manufacturer_code);
  w.u8(b.decoder.tid_count);
  put_half(w, b.decoder.pending);
  for (const std::uint32_t tid : b.decoder.tids) w.be32(tid);
}

// False when the bytes are not a body this runtime wrote (short, or a count beyond its array).
bool Account::decode(ByteReader r) {
  Body& b = body_;
  for (std::int64_t* v : {&b.token, &b.emergency, &b.paid_total, &b.last_collection, &b.last_register_mwh,
                          &b.last_collection_utc_s, &b.low_credit, &b.token_utc_s, &b.locked_until_utc_s})
    *v = static_cast<std::int64_t>(r.be64());
  for (std::uint32_t* v : {&b.rate, &b.passive_rate, &b.rate_remainder, &b.max_power_w, &b.max_unbalance_w}) *v = r.be32();
  for (std::uint8_t* v : {&b.payment_mode, &b.account_status, &b.emergency_status, &b.flags, &b.failures_in_row,
                          &b.token_status, &b.token_outcome, &b.token_delivery, &b.token_length})
    *v = r.u8();
  for (char& c : b.token_digits) c = static_cast<char>(r.u8());
  get_key(r, b.decoder.key);
  b.decoder.manufacturer_code = r.be16();
  b.decoder.tid_count = r.u8();
  get_half(r, b.decoder.pending);
  for (std::uint32_t& tid : b.decoder.tids) tid = r.be32();
  return !r.error() && r.empty() && b.token_length <= kTokenDigits && b.decoder.tid_count <= sts::kTidMemorySize;
}

}  // namespace metergen::prepayment
