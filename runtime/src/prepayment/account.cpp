// The prepayment account: consumption, credit levels, supply, friendly hours,
// the keypad and the record (see prepayment/account.hpp).
#include <metergen/axdr/axdr.hpp>
#include <metergen/cosem/calendar.hpp>
#include <metergen/log_line.hpp>
#include <metergen/prepayment/account.hpp>

namespace metergen::prepayment {

using tables::kNone;

namespace {

// Version 2: encoded field by field (version 1 was the native layout of the body).
constexpr std::uint8_t kVersion = 2;
constexpr std::uint32_t kWritesPerDay = 96 + 100;  // consumption every 15 minutes, tokens and settings
constexpr std::uint32_t kConsumptionWriteS = 900;
constexpr int kMwhScaler = -3;  // energy::Accumulator::in_units: steps of 10^-3 Wh
constexpr std::int64_t kMicroPerUnit = 1000000;  // mWh × (amount units a kWh) = 10^-6 amount units

std::int64_t clamp_add(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kMax = 0x3FFFFFFFFFFFFFFFll;
  const std::int64_t s = a + b;
  return s > kMax ? kMax : s < -kMax ? -kMax : s;
}

}  // namespace

Account::Account(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Hooks& hooks,
                 const metering::Engine& engine)
    : model_(model), def_(model.prepayment), hal_(hal), objects_(objects), hooks_(hooks), engine_(engine) {}

void Account::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  if (def_ == nullptr) return;
  const std::uint32_t slots = storage::Record::slots_for(kRecordBytes, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(kRecordBytes, slots, g.erase_unit)), kRecordBytes, slots, g.erase_unit,
                {storage::RecordKind::account, kVersion, kRecordBytes});
}

void Account::boot() {
  if (def_ == nullptr) return;
  objects_.attach_prepayment(this);
  charged_register_ = engine_.registers().find(def_->charged);
  if (model_.limiter_count > 0) limiter_ = model_.limiters[0].object;
  seen_seconds_ = engine_.seconds_metered();
  read_friendly_enable();
  std::uint8_t raw[kRecordBytes];
  const bool restored = record_.open(hal_) && record_.read(hal_, 0, raw, sizeof raw) && decode(ByteReader(raw, sizeof raw));
  if (!restored) start_new_account();
  write_key_data();
}

// The objects with the sts_* roles show the decoder key's data (a key change
// token changes the key revision and the tariff index).
void Account::write_key_data() {
  const sts::DecoderKey& k = body_.decoder.key;
  char digits[6];
  std::uint32_t sgc = k.supply_group;
  for (int i = 5; i >= 0; --i, sgc /= 10) digits[i] = static_cast<char>('0' + sgc % 10);
  const char ti[2] = {static_cast<char>('0' + k.tariff_index / 10 % 10), static_cast<char>('0' + k.tariff_index % 10)};
  auto put_text = [&](tables::Role role, const char* text, std::size_t n) {
    const std::uint16_t object = tables::find_role(model_, role);
    std::uint8_t buf[16];
    ByteWriter w(buf, sizeof buf);
    axdr::put_visible_string(w, text, n);
    if (object != kNone && !w.overflow()) objects_.write_value(object, ByteReader(buf, w.size()));
  };
  put_text(tables::Role::sts_supply_group_code, digits, sizeof digits);
  put_text(tables::Role::sts_tariff_index, ti, sizeof ti);
  const std::uint16_t krn = tables::find_role(model_, tables::Role::sts_key_revision);
  if (krn != kNone) objects_.write_integer_value(krn, k.key_revision);
}

// A meter fresh from the factory (or whose account record was lost): no
// credit, the spec's mode and thresholds, the decoder key the target holds.
void Account::start_new_account() {
  body_ = {};
  body_.payment_mode = def_->payment_mode;
  body_.account_status = kAccountActive;
  body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::enabled);
  body_.low_credit = def_->low_credit;
  body_.token = def_->initial_credit;
  body_.rate = body_.passive_rate = def_->rate;
  body_.token_status = static_cast<std::uint8_t>(TokenStatus::not_processed);
  body_.token_delivery = static_cast<std::uint8_t>(Delivery::manual);
  sts::DecoderKey& k = body_.decoder.key;
  k.algorithm = def_->sts.algorithm == 9 ? sts::Algorithm::dea : sts::Algorithm::sta;
  k.key_type = def_->sts.key_type;
  k.key_revision = def_->sts.key_revision;
  k.key_expiry = def_->sts.key_expiry;
  k.tariff_index = def_->sts.tariff_index;
  k.supply_group = def_->sts.supply_group;
  k.base_date = def_->sts.base_date;
  body_.decoder.manufacturer_code = def_->sts.manufacturer_code;
  if (hal_.secret(0, hal::Secret::sts_decoder_key, k.bytes.data(), k.bytes.size()) != k.bytes.size())
    hal_.log("prepayment: the target has no STS decoder key; no token can be decrypted");
  if (charged_register_ != kNone)
    body_.last_register_mwh = engine_.registers().accumulator(charged_register_).in_units(kMwhScaler);
  hal_.log("prepayment: a new account with the spec's initial credit");
  write();
}

bool Account::write() {
  std::uint8_t raw[kRecordBytes];
  ByteWriter w(raw, sizeof raw);
  encode(w);
  seconds_since_write_ = 0;
  ++writes_;
  const bool ok = record_.write(hal_, raw);
  if (!ok) {
    hal_.log("prepayment: the account record could not be written");
    if (notice_ != nullptr) notice_->raise(tables::Trigger::nvm_error);
  }
  return ok;
}

bool Account::persist() { return def_ == nullptr || write(); }

void Account::raise(tables::Trigger t) {
  if (notice_ != nullptr) notice_->raise(t);
}

std::int64_t Account::available() const {
  const std::int64_t token = body_.token > 0 ? body_.token : 0;
  return emergency_status() == CreditStatus::in_use ? token + body_.emergency : token;
}

void Account::tick() {
  if (def_ == nullptr) return;
  read_keypad();
  if (engine_.seconds_metered() == seen_seconds_) return;
  seen_seconds_ = engine_.seconds_metered();
  metering_second();
}

void Account::metering_second() {
  take_consumption();
  update_friendly();
  follow_levels();
  follow_supply();
  if (++seconds_since_write_ >= kConsumptionWriteS) write();
}

// The charged register's growth since the last second, charged (one mWh an
// mWh, or at the rate) against the token credit, then the emergency credit in
// use, then into debt (a friendly period, or the seconds before the relay
// opens). A register that went back (reset, an older energy record restored)
// charges nothing.
void Account::take_consumption() {
  if (charged_register_ == kNone) return;
  const std::int64_t now = engine_.registers().accumulator(charged_register_).in_units(kMwhScaler);
  const std::int64_t used_mwh = now - body_.last_register_mwh;
  body_.last_register_mwh = now;
  if (used_mwh <= 0 || body_.payment_mode != kPaymentPrepayment) return;
  std::int64_t used = charge_for(used_mwh);
  body_.paid_total = clamp_add(body_.paid_total, used);
  body_.last_collection = used;
  body_.last_collection_utc_s = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  if (body_.token > 0) {
    const std::int64_t take = used < body_.token ? used : body_.token;
    body_.token -= take;
    used -= take;
  }
  if (used > 0 && emergency_status() == CreditStatus::in_use) {
    const std::int64_t take = used < body_.emergency ? used : body_.emergency;
    body_.emergency -= take;
    used -= take;
    if (body_.emergency == 0) body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::consumed);
  }
  body_.token = clamp_add(body_.token, -used);
}

// Currency credit: mWh × the rate (amount units a kWh) / 10^6, the fraction
// carried to the next collection so that nothing is lost to rounding.
std::int64_t Account::charge_for(std::int64_t used_mwh) {
  if (!def_->currency) return used_mwh;
  const std::int64_t micro = used_mwh * body_.rate + body_.rate_remainder;
  body_.rate_remainder = static_cast<std::uint32_t>(micro % kMicroPerUnit);
  return micro / kMicroPerUnit;
}

// Low credit and credit exhausted are raised once per fall below their level;
// emergency credit becomes selectable at its level.
void Account::follow_levels() {
  const std::uint8_t before = body_.flags;
  const std::int64_t available = this->available();
  if (def_->emergency_credit != kNone && def_->emergency_credit_amount > 0 && emergency_status() == CreditStatus::enabled &&
      available <= def_->emergency_below) {
    body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::selectable);
    write();
  }
  const bool prepaying = body_.payment_mode == kPaymentPrepayment;
  const bool low = prepaying && available > 0 && available <= body_.low_credit;
  const bool out = prepaying && available <= 0;
  if (low && !(body_.flags & kLow)) raise(tables::Trigger::low_credit);
  if (out && !(body_.flags & kExhausted)) raise(tables::Trigger::credit_exhausted);
  body_.flags = static_cast<std::uint8_t>((body_.flags & ~(kLow | kExhausted)) | (low ? kLow : 0) | (out ? kExhausted : 0));
  if (body_.flags != before) write();
}

// The relay opens when credit is exhausted outside friendly hours (local
// trigger credit_exhausted) and closes again by the same trigger when credit
// returns, as the control mode allows.
void Account::follow_supply() {
  const bool cut = (body_.flags & kExhausted) && !friendly_ && body_.account_status == kAccountActive;
  if (cut && !(body_.flags & kCut) && objects_.control_state() == cosem::kConnected) {
    if (!objects_.local_disconnect(tables::LocalTrigger::credit_exhausted)) return;
    body_.flags |= kCut;
    hal_.log("prepayment: credit exhausted, supply disconnected");
    write();
  } else if (!cut && (body_.flags & kCut)) {
    body_.flags &= static_cast<std::uint8_t>(~kCut);
    if (objects_.local_reconnect(tables::LocalTrigger::credit_exhausted)) hal_.log("prepayment: credit back, supply reconnected");
    write();
  }
}

// Friendly hours [from, to) of each day, wrapping past midnight, whole
// weekends and whole special days (the special days table's dates); only
// while the enable object (if any) is true.
bool Account::friendly_at(std::int64_t utc_s) const {
  const axdr::DateTime t = objects_.local_time(utc_s);
  const std::uint16_t minute = static_cast<std::uint16_t>(t.hour * 60 + t.minute);
  const std::uint16_t from = def_->friendly_from_min, to = def_->friendly_to_min;
  if (def_->friendly_weekends && (t.day_of_week == 6 || t.day_of_week == 7)) return true;
  std::uint8_t day_id = 0;
  if (def_->friendly_special_days && cosem::special_day(model_, t, day_id)) return true;
  if (from == to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

void Account::read_friendly_enable() {
  friendly_enabled_ = def_->friendly_from_min != def_->friendly_to_min || def_->friendly_weekends || def_->friendly_special_days;
  if (!friendly_enabled_ || def_->friendly_enable == kNone) return;
  std::uint8_t buf[4];
  ByteWriter w(buf, sizeof buf);
  friendly_enabled_ = objects_.read(def_->friendly_enable, 2, w) == dlms::DataAccessResult::success && w.size() == 2 && buf[1] != 0;
}

void Account::value_set(std::uint16_t object, std::int8_t attribute) {
  if (def_ != nullptr && object == def_->friendly_enable && attribute == 2) read_friendly_enable();
}

void Account::update_friendly() {
  const bool now = friendly_enabled_ && friendly_at(static_cast<std::int64_t>(hal_.utc_ms() / 1000));
  if (now == friendly_) return;
  friendly_ = now;
  raise(now ? tables::Trigger::friendly_period_started : tables::Trigger::friendly_period_ended);
}

// Digits and back change the entry, echoed on the LCD; Enter takes it (an
// empty one invokes the emergency credit); an entry left alone for
// kEntryTimeoutS is dropped, as its echo ends.
void Account::read_keypad() {
  const std::int64_t now = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  if (entry_length_ > 0 && now - entry_key_s_ >= kEntryTimeoutS) {
    LogLine line;
    hal_.log(line.text("prepayment: keypad entry of ").number(entry_length_).text(" digits timed out").c_str());
    entry_length_ = 0;
    echoing_ = false;  // its echo ends at the same second
  }
  char keys[32];
  const std::size_t n = hal_.keypad_read(keys, sizeof keys);
  bool changed = false;
  for (std::size_t i = 0; i < n; ++i) {
    const char k = keys[i];
    const std::uint8_t before = entry_length_;
    if (k >= '0' && k <= '9') {
      if (entry_length_ < kTokenDigits) entry_[entry_length_++] = k;
    } else if (k == hal::kKeyBack) {
      if (entry_length_ > 0) --entry_length_;
    } else if (k == hal::kKeyEnter) {
      entry_length_ = 0;
      changed = false;
      echoing_ = false;  // the token's result (or the list) replaces the echo
      if (before == 0) invoke_emergency();
      else enter_token(entry_, before, Delivery::manual);
      continue;
    }
    changed = changed || entry_length_ != before;
  }
  if (!changed) return;
  entry_key_s_ = now;
  echo_entry();
}

// The entry's last digits that fit the LCD's value field; an emptied entry ends the echo.
void Account::echo_entry() {
  if (display_ == nullptr || (entry_length_ == 0 && !echoing_)) return;
  echoing_ = entry_length_ > 0;
  const std::uint8_t width = display_->digits();
  const std::uint8_t from = entry_length_ > width ? static_cast<std::uint8_t>(entry_length_ - width) : 0;
  char text[kTokenDigits + 1];
  std::uint8_t n = 0;
  for (std::uint8_t i = from; i < entry_length_; ++i) text[n++] = entry_[i];
  text[n] = '\0';
  display_->message(kEntryCode, text, entry_length_ > 0 ? kEntryTimeoutS : 0);
}

bool Account::invoke_emergency() {
  if (def_ == nullptr || emergency_status() != CreditStatus::selectable) return false;
  body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::in_use);
  body_.emergency = def_->emergency_credit_amount;
  raise(tables::Trigger::emergency_credit_activated);
  hal_.log("prepayment: emergency credit invoked");
  write();
  follow_levels();
  follow_supply();
  return true;
}

// New credit first pays back the emergency credit used; the emergency credit
// is then available again at its level.
void Account::add_credit(std::int64_t amount) {
  const CreditStatus e = emergency_status();
  if (e == CreditStatus::in_use || e == CreditStatus::consumed) {
    body_.token -= def_->emergency_credit_amount - body_.emergency;
    body_.emergency = 0;
    body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::enabled);
  }
  body_.token = clamp_add(body_.token, amount);
}

}  // namespace metergen::prepayment
