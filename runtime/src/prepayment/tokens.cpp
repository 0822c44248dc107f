// Tokens: decoding by sts/, their effect on the account, the result the token
// gateway shows and the keypad's lockout (see prepayment/account.hpp).
#include <metergen/log_line.hpp>
#include <metergen/prepayment/account.hpp>

namespace metergen::prepayment {

namespace {

namespace mgmt = sts::management;
constexpr std::int64_t kMwhPerTenthKwh = 100000;  // electricity credit amounts are in 0.1 kWh (§6.3.6)
// Clear credit's register field (IEC 62055-41 §6.3.13): electricity, or all registers.
constexpr std::uint64_t kRegisterElectricity = 0, kAllRegisters = 0xFFFF;

TokenStatus status_of(sts::Outcome o) {
  switch (o) {
    case sts::Outcome::accepted: return TokenStatus::execution_ok;
    case sts::Outcome::key_change_pending: return TokenStatus::validation_ok;
    case sts::Outcome::format_error: return TokenStatus::format_failure;
    case sts::Outcome::authentication_failed: return TokenStatus::authentication_failure;
    default: return TokenStatus::validation_failure;
  }
}

// LCD texts of a token's result under the code kEntryCode (assumed: the HXE312-KP
// datasheet shows none). Named arrays rather than literals, so that they are
// plain constants of this file.
constexpr char kShowAccepted[] = "Accept", kShowKeyHalf[] = "Key 1-2", kShowRejected[] = "Reject",
               kShowLocked[] = "Locked";

// What the account refuses of a token the decoder accepted (Body::token_outcome
// beyond the sts::Outcome values): a credit above the maximum, a credit this
// account does not keep (another utility, or energy for a currency account and
// the other way round), a tariff rate for an energy credit or beyond 2^32
// amount units.
constexpr std::uint8_t kOverCrediting = 0xF0, kNotThisCredit = 0xF1, kNoRate = 0xF2;

bool is_key_change(const sts::Token& t) {
  return t.token_class == sts::kClassManagement && (t.subclass == mgmt::set_1st_section_key || t.subclass == mgmt::set_2nd_section_key);
}

}  // namespace

TokenStatus Account::enter_token(const char* digits, std::size_t n, Delivery delivery) {
  if (def_ == nullptr) return TokenStatus::execution_failure;
  const std::int64_t now = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  if (delivery == Delivery::manual && now < body_.locked_until_utc_s) {
    LogLine line;
    line.text("prepayment: token entry locked for ").number(static_cast<std::uint32_t>(body_.locked_until_utc_s - now)).text(" s");
    hal_.log(line.c_str());
    show(kShowLocked);
    return TokenStatus::not_processed;
  }
  // Decoded into a copy: a token that the account then refuses leaves the
  // decoder's memory of used TIDs as it was.
  sts::DecoderState trial = body_.decoder;
  sts::Token t{};
  const sts::Outcome o = sts::accept_token(std::span<const char>(digits, n), trial, t);
  if (o != sts::Outcome::accepted && o != sts::Outcome::key_change_pending)
    return finish_token(status_of(o), static_cast<std::uint8_t>(o), digits, n, delivery);
  const std::uint8_t refused = refusal(t);
  if (refused != 0) return finish_token(TokenStatus::execution_failure, refused, digits, n, delivery);
  body_.decoder = trial;
  const tables::Trigger done = o == sts::Outcome::accepted ? apply(t) : tables::Trigger::none;
  const TokenStatus status = finish_token(status_of(o), static_cast<std::uint8_t>(o), digits, n, delivery);
  if (done != tables::Trigger::none) raise(done);  // once the account record holds the token
  return status;
}

// A credit token's amount in amount units: electricity credit in 0.1 kWh
// (energy credit), electricity currency in 10^-5 of the currency, the amount
// unit itself (currency credit); -1 for a credit this account does not keep.
std::int64_t Account::credit_amount(const sts::Token& t) const {
  if (!def_->currency && t.subclass == sts::credit::electricity) return static_cast<std::int64_t>(t.value) * kMwhPerTenthKwh;
  if (def_->currency && t.subclass == sts::credit::electricity_currency) return static_cast<std::int64_t>(t.value);
  return -1;
}

// Why the account refuses a token the decoder accepted; 0 when it does not.
std::uint8_t Account::refusal(const sts::Token& t) const {
  if (t.token_class == sts::kClassManagement && t.subclass == mgmt::set_tariff_rate)
    return def_->currency && t.value * static_cast<std::uint64_t>(def_->shown_unit) <= 0xFFFFFFFFu ? 0 : kNoRate;
  if (t.token_class != sts::kClassCredit) return 0;
  const std::int64_t amount = credit_amount(t);
  if (amount < 0) return kNotThisCredit;
  return body_.token + amount > def_->max_credit ? kOverCrediting : 0;
}

// What an accepted token does to the account (the record is written by
// finish_token); the event it raises.
tables::Trigger Account::apply(const sts::Token& t) {
  if (t.token_class == sts::kClassCredit) {
    add_credit(credit_amount(t));
    return tables::Trigger::credit_token_accepted;
  }
  if (is_key_change(t)) {
    write_key_data();
    hal_.log("prepayment: decoder key changed");
    return tables::Trigger::key_change_token_accepted;
  }
  if (t.token_class == sts::kClassTest) {
    hal_.log("prepayment: meter test / display token");
    if (display_ != nullptr) display_->enter(tables::DisplayMode::test);
    return tables::Trigger::management_token_accepted;
  }
  switch (t.subclass) {
    case mgmt::set_maximum_power_limit:
      body_.max_power_w = static_cast<std::uint32_t>(t.value);
      if (limiter_ != tables::kNone && objects_.write_integer_value(limiter_, static_cast<std::int64_t>(t.value)))
        hooks_.value_set(limiter_, 4);
      break;
    case mgmt::clear_credit:
      if (t.value != kRegisterElectricity && t.value != kAllRegisters) break;
      body_.token = 0;
      body_.emergency = 0;
      body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::enabled);
      break;
    case mgmt::set_tariff_rate:
      // The rate field in shown units a kWh (assumed: the standard leaves its meaning to the meter);
      // it replaces the active and passive unit charges.
      body_.rate = body_.passive_rate = static_cast<std::uint32_t>(t.value * static_cast<std::uint64_t>(def_->shown_unit));
      break;
    case mgmt::clear_tamper_condition: objects_.local_reconnect(tables::LocalTrigger::tamper); break;
    case mgmt::set_maximum_phase_power_unbalance_limit: body_.max_unbalance_w = static_cast<std::uint32_t>(t.value); break;
    default: break;
  }
  return tables::Trigger::management_token_accepted;
}

// A token's result on the LCD for a few seconds.
void Account::show(const char* text) {
  constexpr std::uint8_t kMessageS = 5;
  if (display_ != nullptr) display_->message(kEntryCode, text, kMessageS);
}

const char* result_text(std::uint8_t outcome) {
  if (outcome == kOverCrediting) return "over-crediting";
  if (outcome == kNotThisCredit) return "not a credit of this account";
  if (outcome == kNoRate) return "tariff rate not taken";
  return sts::outcome_name(static_cast<sts::Outcome>(outcome));
}

TokenStatus Account::finish_token(TokenStatus status, std::uint8_t outcome, const char* digits, std::size_t n,
                                  Delivery delivery) {
  const std::int64_t now = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  const bool ok = status == TokenStatus::execution_ok || status == TokenStatus::validation_ok;
  body_.token_status = static_cast<std::uint8_t>(status);
  body_.token_outcome = outcome;
  body_.token_delivery = static_cast<std::uint8_t>(delivery);
  body_.token_utc_s = now;
  body_.token_length = static_cast<std::uint8_t>(n < kTokenDigits ? n : kTokenDigits);
  for (std::uint8_t i = 0; i < body_.token_length; ++i) body_.token_digits[i] = digits[i];
  bool locked = false;
  if (ok) {
    body_.failures_in_row = 0;
  } else {
    if (body_.failures_in_row < 255) ++body_.failures_in_row;
    locked = def_->keypad_failures != 0 && body_.failures_in_row >= def_->keypad_failures;
    if (locked) {
      body_.locked_until_utc_s = now + def_->keypad_lockout_s;
      body_.failures_in_row = 0;
    }
  }
  LogLine line;
  line.text("prepayment: token ").text(ok ? "accepted" : "rejected").text(" (").text(result_text(outcome)).text(")");
  if (locked) line.text(", token entry locked for ").number(def_->keypad_lockout_s).text(" s");
  hal_.log(line.c_str());
  write();
  show(locked ? kShowLocked : status == TokenStatus::validation_ok ? kShowKeyHalf : ok ? kShowAccepted : kShowRejected);
  if (!ok) raise(tables::Trigger::token_rejected);
  if (locked) raise(tables::Trigger::keypad_locked);
  follow_levels();
  follow_supply();
  return status;
}

}  // namespace metergen::prepayment
