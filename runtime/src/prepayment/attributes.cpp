// The account (IC 111), credit (IC 112), charge (IC 113) and token gateway
// (IC 115) attributes and methods, from the account's record (see
// prepayment/account.hpp; docs/prepayment.md lists each attribute's value).
// Amounts are Wh of the charged energy: the account's currency is "kWh" with
// scale -3.
#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/prepayment/account.hpp>

namespace metergen::prepayment {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::kNone;

namespace {

constexpr std::uint8_t kBitStringTag = 0x04, kUtf8StringTag = 0x0C;
constexpr std::uint8_t kCurrencyName[] = {'k', 'W', 'h'};
constexpr std::uint8_t kCurrencyConsumption = 1;  // IC 111 currency_unit enum
constexpr std::uint8_t kTokenPriority = 1, kEmergencyPriority = 2;
constexpr std::uint8_t kCreditTypeToken = 0, kCreditTypeEmergency = 2;

// A bit-string of `bits` bits (at most 8), the first bit the most significant of `value`'s top.
void put_bits(ByteWriter& w, std::uint8_t bits, std::uint8_t value) {
  w.u8(kBitStringTag);
  w.u8(bits);
  w.u8(value);
}

std::int32_t wh_of(std::int64_t mwh) {
  const std::int64_t wh = mwh / 1000;  // toward zero: only whole Wh are shown
  return wh > 0x7FFFFFFF ? 0x7FFFFFFF : wh < -0x7FFFFFFF ? -0x7FFFFFFF : static_cast<std::int32_t>(wh);
}

bool read_double_long(ByteReader value, std::int32_t& v) { return axdr::get_i32(value, v) && value.empty(); }

}  // namespace

void Account::put_time(ByteWriter& out, std::int64_t utc_s) const {
  static constexpr std::uint8_t kUnspecified[12] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                     0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF};
  if (utc_s == 0) axdr::put_octet_string(out, kUnspecified, sizeof kUnspecified);
  else axdr::put_date_time_octets(out, objects_.local_time(utc_s));
}

DataAccessResult Account::prepayment_get(std::uint16_t object, std::int8_t attribute, ByteWriter& out) {
  if (def_ == nullptr) return DataAccessResult::object_unavailable;
  if (object == def_->account) return get_account(attribute, out);
  if (object == def_->token_credit) return get_credit(false, attribute, out);
  if (object == def_->emergency_credit) return get_credit(true, attribute, out);
  if (object == def_->charge) return get_charge(attribute, out);
  if (object == def_->token_gateway) return get_gateway(attribute, out);
  return DataAccessResult::object_unavailable;
}

DataAccessResult Account::get_account(std::int8_t attribute, ByteWriter& out) {
  const std::int64_t available = available_mwh();
  const std::int64_t debt = body_.token_mwh < 0 ? -body_.token_mwh : 0;
  const bool emergency_in_use = emergency_status() == CreditStatus::in_use;
  switch (attribute) {
    case 2:
      axdr::put_structure(out, 2);
      axdr::put_enum(out, body_.payment_mode);
      axdr::put_enum(out, body_.account_status);
      break;
    case 3: axdr::put_unsigned(out, emergency_in_use && body_.token_mwh <= 0 ? kEmergencyPriority : kTokenPriority); break;
    case 4: {
      // in credit, low credit, next credit enabled, next credit selectable, credit reference list,
      // selectable credit in use, out of credit, reserved
      std::uint8_t bits = 0;
      if (available > 0) bits |= 0x80;
      if (body_.flags & kLow) bits |= 0x40;
      if (emergency_status() == CreditStatus::selectable) bits |= 0x10;
      if (emergency_in_use) bits |= 0x04;
      if (available <= 0) bits |= 0x02;
      put_bits(out, 8, bits);
      break;
    }
    case 5: axdr::put_double_long(out, wh_of(available)); break;
    case 6: case 8: axdr::put_double_long(out, wh_of(debt)); break;
    case 7: case 19: axdr::put_double_long(out, 0); break;
    case 9:
      axdr::put_array(out, def_->emergency_credit != kNone ? 2 : 1);
      axdr::put_logical_name(out, model_.objects[def_->token_credit].ln);
      if (def_->emergency_credit != kNone) axdr::put_logical_name(out, model_.objects[def_->emergency_credit].ln);
      break;
    case 10:
      axdr::put_array(out, def_->charge != kNone ? 1 : 0);
      if (def_->charge != kNone) axdr::put_logical_name(out, model_.objects[def_->charge].ln);
      break;
    case 11:
      axdr::put_array(out, def_->charge != kNone ? 1 : 0);
      if (def_->charge != kNone) {
        axdr::put_structure(out, 3);
        axdr::put_logical_name(out, model_.objects[def_->token_credit].ln);
        axdr::put_logical_name(out, model_.objects[def_->charge].ln);
        put_bits(out, 3, 0);  // collected neither while disconnected, nor in load limiting or friendly periods... as charged
      }
      break;
    case 12:
      axdr::put_array(out, 1);
      axdr::put_structure(out, 2);
      axdr::put_logical_name(out, model_.objects[def_->token_credit].ln);
      axdr::put_unsigned(out, 100);  // every token's value goes to the token credit
      break;
    case 13: case 14: put_time(out, 0); break;
    case 15:
      axdr::put_structure(out, 3);
      out.u8(kUtf8StringTag);
      out.u8(sizeof kCurrencyName);
      out.bytes(kCurrencyName, sizeof kCurrencyName);
      axdr::put_integer(out, -3);
      axdr::put_enum(out, kCurrencyConsumption);
      break;
    case 16: axdr::put_double_long(out, wh_of(body_.low_credit_wh * 1000)); break;
    case 17: axdr::put_double_long(out, wh_of(def_->emergency_below_wh * 1000)); break;
    case 18: axdr::put_long_unsigned(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult Account::get_credit(bool emergency, std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_double_long(out, wh_of(emergency ? body_.emergency_mwh : body_.token_mwh)); break;
    case 3: axdr::put_enum(out, emergency ? kCreditTypeEmergency : kCreditTypeToken); break;
    case 4: axdr::put_unsigned(out, emergency ? kEmergencyPriority : kTokenPriority); break;
    case 5: axdr::put_double_long(out, emergency ? 0 : wh_of(body_.low_credit_wh * 1000)); break;
    case 6: axdr::put_double_long(out, 0); break;
    // visual indication, confirmation required, paid back, resettable, able to receive tokens
    case 7: put_bits(out, 5, emergency ? 0xE0 : 0x98); break;
    case 8:
      axdr::put_enum(out, emergency ? body_.emergency_status
                                    : static_cast<std::uint8_t>(body_.token_mwh > 0 ? CreditStatus::in_use : CreditStatus::consumed));
      break;
    case 9: axdr::put_double_long(out, emergency ? wh_of(def_->emergency_wh * 1000) : 0); break;
    case 10: axdr::put_double_long(out, emergency ? wh_of(def_->emergency_below_wh * 1000) : 0); break;
    case 11: put_time(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult Account::get_charge(std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_double_long(out, wh_of(body_.charged_total_mwh)); break;
    case 3: axdr::put_enum(out, 0); break;  // consumption based collection
    case 4: axdr::put_unsigned(out, 1); break;
    case 5: case 6:
      // One Wh of credit per Wh of the charged register: scales 0, one charge_table entry of 1.
      axdr::put_structure(out, 3);
      axdr::put_structure(out, 2);
      axdr::put_integer(out, 0);
      axdr::put_integer(out, 0);
      axdr::put_structure(out, 3);
      axdr::put_long_unsigned(out, model_.objects[def_->charged].class_id);
      axdr::put_logical_name(out, model_.objects[def_->charged].ln);
      axdr::put_integer(out, 2);
      axdr::put_array(out, 1);
      axdr::put_structure(out, 2);
      axdr::put_octet_string(out, nullptr, 0);
      axdr::put_long(out, 1);
      break;
    case 7: put_time(out, 0); break;
    case 8: axdr::put_double_long_unsigned(out, 1); break;  // collected every second
    case 9: put_bits(out, 2, 0x40); break;                 // continuous collection
    case 10: put_time(out, body_.last_charge_utc_s); break;
    case 11: axdr::put_double_long(out, wh_of(body_.last_charge_mwh)); break;
    case 12: axdr::put_double_long(out, 0); break;
    case 13: axdr::put_long_unsigned(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult Account::get_gateway(std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_octet_string(out, reinterpret_cast<const std::uint8_t*>(body_.token), body_.token_length); break;
    case 3: put_time(out, body_.token_utc_s); break;
    case 4: {
      const char* what = result_text(body_.token_outcome);
      std::size_t n = 0;
      while (what[n] != '\0') ++n;
      axdr::put_array(out, body_.token_length ? 1 : 0);
      if (body_.token_length) axdr::put_octet_string(out, reinterpret_cast<const std::uint8_t*>(what), n);
      break;
    }
    case 5: axdr::put_enum(out, body_.token_delivery); break;
    case 6:
      axdr::put_structure(out, 2);
      axdr::put_enum(out, body_.token_status);
      put_bits(out, 8, body_.token_outcome);
      break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

// Settable: account payment mode (attribute 2, the status as it is) and the
// low-credit threshold (16). Written before the answer.
DataAccessResult Account::prepayment_set(std::uint16_t object, std::int8_t attribute, ByteReader value) {
  if (def_ == nullptr || object != def_->account) return DataAccessResult::read_write_denied;
  if (attribute == 16) {
    std::int32_t wh = 0;
    if (!read_double_long(value, wh)) return DataAccessResult::type_unmatched;
    if (wh < 0) return DataAccessResult::other_reason;
    body_.low_credit_wh = wh;
  } else if (attribute == 2) {
    std::uint32_t n = 0;
    std::uint8_t mode = 0, status = 0;
    if (!axdr::get_structure(value, n) || n != 2 || !axdr::get_enum(value, mode) || !axdr::get_enum(value, status) ||
        !value.empty())
      return DataAccessResult::type_unmatched;
    if ((mode != kPaymentCredit && mode != kPaymentPrepayment) || status != body_.account_status)
      return DataAccessResult::other_reason;
    if (mode != body_.payment_mode) raise(tables::Trigger::payment_mode_changed);
    body_.payment_mode = mode;
  } else {
    return DataAccessResult::read_write_denied;
  }
  if (!write()) return DataAccessResult::hardware_fault;
  follow_levels();
  follow_supply();
  return DataAccessResult::success;
}

ActionResult Account::prepayment_action(std::uint16_t object, std::int8_t method, ByteReader params) {
  if (def_ == nullptr) return ActionResult::object_unavailable;
  if (object == def_->account) return account_action(method, params);
  if (object == def_->token_credit) return credit_action(false, method, params);
  if (object == def_->emergency_credit) return credit_action(true, method, params);
  if (object == def_->token_gateway && method == 1) {
    const std::uint8_t* p = nullptr;
    std::size_t n = 0;
    if (!axdr::get_octet_string_view(params, p, n) || !params.empty()) return ActionResult::type_unmatched;
    const TokenStatus s = enter_token(reinterpret_cast<const char*>(p), n, Delivery::remote);
    return s == TokenStatus::not_processed ? ActionResult::temporary_failure : ActionResult::success;
  }
  return ActionResult::object_unavailable;
}

// 1 activate_account, 2 close_account (the supply stays as it is, credit is
// no longer charged against), 3 reset_account (no credit, a new account).
ActionResult Account::account_action(std::int8_t method, ByteReader params) {
  std::int8_t zero = 0;
  if (!params.empty() && (!axdr::get_i8(params, zero) || zero != 0 || !params.empty())) return ActionResult::type_unmatched;
  switch (method) {
    case 1: body_.account_status = kAccountActive; break;
    case 2: body_.account_status = kAccountClosed; break;
    case 3:
      body_.token_mwh = body_.emergency_mwh = 0;
      body_.emergency_status = static_cast<std::uint8_t>(CreditStatus::enabled);
      body_.account_status = kAccountNew;
      break;
    default: return ActionResult::object_unavailable;
  }
  if (!write()) return ActionResult::hardware_fault;
  follow_levels();
  follow_supply();
  return ActionResult::success;
}

// 1 update_amount (adds, Wh), 2 set_amount_to_value (Wh): the token credit;
// 3 invoke_credit: the emergency credit when it is selectable.
ActionResult Account::credit_action(bool emergency, std::int8_t method, ByteReader params) {
  if (method == 3) {
    std::uint8_t unused = 0;
    if (!axdr::get_u8(params, unused) || !params.empty()) return ActionResult::type_unmatched;
    if (!emergency) return ActionResult::read_write_denied;
    return invoke_emergency() ? ActionResult::success : ActionResult::temporary_failure;
  }
  if (method != 1 && method != 2) return ActionResult::object_unavailable;
  std::int32_t wh = 0;
  if (!read_double_long(params, wh)) return ActionResult::type_unmatched;
  if (emergency) return ActionResult::read_write_denied;
  const std::int64_t mwh = static_cast<std::int64_t>(wh) * 1000;
  if (method == 1) add_credit(mwh);
  else body_.token_mwh = mwh;
  if (!write()) return ActionResult::hardware_fault;
  follow_levels();
  follow_supply();
  return ActionResult::success;
}

}  // namespace metergen::prepayment
