// The account (IC 111), credit (IC 112), charge (IC 113) and token gateway
// (IC 115) attributes and methods, from the account's record (see
// prepayment/account.hpp; docs/prepayment.md lists each attribute's value).
// Amounts are shown in the account's currency (attribute 15): Wh of the
// charged energy ("kWh", scale -3), or 10^scale of the spec's currency.
#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/prepayment/account.hpp>

namespace metergen::prepayment {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::kNone;

namespace {

constexpr std::uint8_t kBitStringTag = 0x04, kUtf8StringTag = 0x0C;
constexpr std::uint8_t kCurrencyConsumption = 1, kCurrencyMonetary = 2;  // IC 111 currency_unit enum
constexpr std::uint8_t kTokenPriority = 1, kEmergencyPriority = 2;
constexpr std::uint8_t kCreditTypeToken = 0, kCreditTypeEmergency = 2;
constexpr std::uint8_t kChargePriority = 1, kConsumptionBased = 0;
constexpr std::int8_t kCommodityAttribute = 2;  // the charged register's value
constexpr std::int8_t kPerKwh = 3;              // commodity_scale of a currency rate: per 10^3 Wh
constexpr std::int64_t kMaxChargePerUnit = 32767;

// A bit-string of `bits` bits (at most 8), the first bit the most significant of `value`'s top.
void put_bits(ByteWriter& w, std::uint8_t bits, std::uint8_t value) {
  w.u8(kBitStringTag);
  w.u8(bits);
  w.u8(value);
}

bool read_double_long(ByteReader value, std::int32_t& v) { return axdr::get_i32(value, v) && value.empty(); }

}  // namespace

// An amount in shown units, toward zero: only whole shown units are shown.
std::int32_t Account::shown(std::int64_t amount) const {
  const std::int64_t v = amount / def_->shown_unit;
  return v > 0x7FFFFFFF ? 0x7FFFFFFF : v < -0x7FFFFFFF ? -0x7FFFFFFF : static_cast<std::int32_t>(v);
}

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
  const std::int64_t available = this->available();
  const std::int64_t debt = body_.token < 0 ? -body_.token : 0;
  const bool emergency_in_use = emergency_status() == CreditStatus::in_use;
  switch (attribute) {
    case 2:
      axdr::put_structure(out, 2);
      axdr::put_enum(out, body_.payment_mode);
      axdr::put_enum(out, body_.account_status);
      break;
    case 3: axdr::put_unsigned(out, emergency_in_use && body_.token <= 0 ? kEmergencyPriority : kTokenPriority); break;
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
    case 5: axdr::put_double_long(out, shown(available)); break;
    case 6: case 8: axdr::put_double_long(out, shown(debt)); break;
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
    case 15: {
      std::uint8_t n = 0;
      while (def_->currency_name[n] != '\0') ++n;
      axdr::put_structure(out, 3);
      out.u8(kUtf8StringTag);
      out.u8(n);
      out.bytes(reinterpret_cast<const std::uint8_t*>(def_->currency_name), n);
      axdr::put_integer(out, def_->scale);
      axdr::put_enum(out, def_->currency ? kCurrencyMonetary : kCurrencyConsumption);
      break;
    }
    case 16: axdr::put_double_long(out, shown(body_.low_credit)); break;
    case 17: axdr::put_double_long(out, shown(def_->emergency_below)); break;
    case 18: axdr::put_long_unsigned(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult Account::get_credit(bool emergency, std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_double_long(out, shown(emergency ? body_.emergency : body_.token)); break;
    case 3: axdr::put_enum(out, emergency ? kCreditTypeEmergency : kCreditTypeToken); break;
    case 4: axdr::put_unsigned(out, emergency ? kEmergencyPriority : kTokenPriority); break;
    case 5: axdr::put_double_long(out, emergency ? 0 : shown(body_.low_credit)); break;
    case 6: axdr::put_double_long(out, 0); break;
    // visual indication, confirmation required, paid back, resettable, able to receive tokens
    case 7: put_bits(out, 5, emergency ? 0xE0 : 0x98); break;
    case 8:
      axdr::put_enum(out, emergency ? body_.emergency_status
                                    : static_cast<std::uint8_t>(body_.token > 0 ? CreditStatus::in_use : CreditStatus::consumed));
      break;
    case 9: axdr::put_double_long(out, emergency ? shown(def_->emergency_credit_amount) : 0); break;
    case 10: axdr::put_double_long(out, emergency ? shown(def_->emergency_below) : 0); break;
    case 11: put_time(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

// IC 113 from the account: consumption based collection every metering
// second, continuously, at the unit charge (rate) of the record.
DataAccessResult Account::get_charge(std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_double_long(out, shown(body_.paid_total)); break;
    case 3: axdr::put_enum(out, kConsumptionBased); break;
    case 4: axdr::put_unsigned(out, kChargePriority); break;
    case 5: put_unit_charge(out, body_.rate); break;
    case 6: put_unit_charge(out, body_.passive_rate); break;
    case 7: put_time(out, 0); break;  // no scheduled activation: the passive unit charge is activated by method 2
    case 8: axdr::put_double_long_unsigned(out, 1); break;  // collected every second
    case 9: put_bits(out, 2, 0x40); break;                 // not percentage based, continuous collection
    case 10: put_time(out, body_.last_collection_utc_s); break;
    case 11: axdr::put_double_long(out, shown(body_.last_collection)); break;
    case 12: axdr::put_double_long(out, 0); break;     // consumption based: no total to collect
    case 13: axdr::put_long_unsigned(out, 0); break;   // not percentage based
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

// unit_charge: charge_per_unit × 10^price_scale shown units for each
// 10^commodity_scale Wh of the charged register. Energy credit: one Wh a Wh.
// Currency credit: the rate a kWh (commodity_scale 3), the charge_per_unit
// the smallest exact long; a rate of more significant digits than a long
// holds is shown truncated.
void Account::put_unit_charge(ByteWriter& out, std::uint32_t rate) const {
  std::int8_t commodity_scale = 0, price_scale = 0;
  std::int64_t per_unit = 1;
  if (def_->currency) {
    commodity_scale = kPerKwh;
    per_unit = rate;
    while (per_unit % def_->shown_unit != 0) per_unit *= 10, --price_scale;
    per_unit /= def_->shown_unit;
    while (per_unit > kMaxChargePerUnit) per_unit /= 10, ++price_scale;
  }
  const tables::ObjectDef& commodity = model_.objects[def_->charged];
  axdr::put_structure(out, 3);
  axdr::put_structure(out, 2);
  axdr::put_integer(out, commodity_scale);
  axdr::put_integer(out, price_scale);
  axdr::put_structure(out, 3);
  axdr::put_long_unsigned(out, commodity.class_id);
  axdr::put_logical_name(out, commodity.ln);
  axdr::put_integer(out, kCommodityAttribute);
  axdr::put_array(out, 1);
  axdr::put_structure(out, 2);
  axdr::put_octet_string(out, nullptr, 0);
  axdr::put_long(out, static_cast<std::int16_t>(per_unit));
}

// A unit_charge a client sends (method 1): its commodity must be the charged
// register's value, its charge_table one entry (a flat rate) of a price not
// below 0 that is a whole number of amount units a kWh.
bool Account::rate_of_unit_charge(ByteReader v, std::uint32_t& rate) const {
  std::uint32_t n = 0, m = 0, entries = 0, k = 0;
  std::int8_t commodity_scale = 0, price_scale = 0, attribute = 0;
  std::uint16_t class_id = 0;
  tables::LogicalName ln{};
  const std::uint8_t* index = nullptr;
  std::size_t index_n = 0;
  std::int16_t per_unit = 0;
  if (!axdr::get_structure(v, n) || n != 3 || !axdr::get_structure(v, m) || m != 2 || !axdr::get_i8(v, commodity_scale) ||
      !axdr::get_i8(v, price_scale) || !axdr::get_structure(v, m) || m != 3 || !axdr::get_u16(v, class_id) ||
      !axdr::get_logical_name(v, ln) || !axdr::get_i8(v, attribute) || !axdr::get_array(v, entries) || entries != 1 ||
      !axdr::get_structure(v, k) || k != 2 || !axdr::get_octet_string_view(v, index, index_n) ||
      !axdr::get_i16(v, per_unit) || !v.empty())
    return false;
  const tables::ObjectDef& commodity = model_.objects[def_->charged];
  if (class_id != commodity.class_id || !(ln == commodity.ln) || attribute != kCommodityAttribute || per_unit < 0) return false;
  // per_unit × 10^price_scale × shown_unit amount units for 10^commodity_scale Wh, so
  // × 10^(3 - commodity_scale) a kWh.
  std::int64_t units = static_cast<std::int64_t>(per_unit) * def_->shown_unit;
  const int exponent = price_scale + kPerKwh - commodity_scale;
  if (exponent < -18 || exponent > 18) return false;
  for (int e = 0; e < exponent; ++e)
    if ((units *= 10) > 0xFFFFFFFFll) return false;
  for (int e = exponent; e < 0; ++e) {
    if (units % 10 != 0) return false;  // finer than an amount unit
    units /= 10;
  }
  if (units > 0xFFFFFFFFll) return false;
  rate = static_cast<std::uint32_t>(units);
  return true;
}

DataAccessResult Account::get_gateway(std::int8_t attribute, ByteWriter& out) {
  switch (attribute) {
    case 2: axdr::put_octet_string(out, reinterpret_cast<const std::uint8_t*>(body_.token_digits), body_.token_length); break;
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
    body_.low_credit = static_cast<std::int64_t>(wh) * def_->shown_unit;
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
  if (object == def_->charge) return charge_action(method, params);
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
      body_.token = body_.emergency = 0;
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

// 1 update_amount (adds), 2 set_amount_to_value, in shown units: the token
// credit; 3 invoke_credit: the emergency credit when it is selectable.
ActionResult Account::credit_action(bool emergency, std::int8_t method, ByteReader params) {
  if (method == 3) {
    std::uint8_t unused = 0;
    if (!axdr::get_u8(params, unused) || !params.empty()) return ActionResult::type_unmatched;
    if (!emergency) return ActionResult::read_write_denied;
    return invoke_emergency() ? ActionResult::success : ActionResult::temporary_failure;
  }
  if (method != 1 && method != 2) return ActionResult::object_unavailable;
  std::int32_t value = 0;
  if (!read_double_long(params, value)) return ActionResult::type_unmatched;
  if (emergency) return ActionResult::read_write_denied;
  const std::int64_t amount = static_cast<std::int64_t>(value) * def_->shown_unit;
  if (method == 1) add_credit(amount);
  else body_.token = amount;
  if (!write()) return ActionResult::hardware_fault;
  follow_levels();
  follow_supply();
  return ActionResult::success;
}

// IC 113: 1 update_unit_charge (the passive one) and 2
// activate_passive_unit_charge change the rate of a currency credit (an
// energy credit is charged one Wh a Wh: read-write-denied); 3 collect takes
// the consumption now; 4 update_total_amount_remaining and 5
// set_total_amount_remaining are read-write-denied: a consumption based
// charge has no total amount to collect.
ActionResult Account::charge_action(std::int8_t method, ByteReader params) {
  if (method < 1 || method > 5) return ActionResult::object_unavailable;
  std::int8_t zero = 0;
  std::int32_t amount = 0;
  std::uint32_t rate = 0;
  if (method == 1) {
    ByteReader peek = params;
    std::uint32_t fields = 0;
    if (!axdr::get_structure(peek, fields)) return ActionResult::type_unmatched;
    if (!def_->currency) return ActionResult::read_write_denied;
    if (!rate_of_unit_charge(params, rate)) return ActionResult::other_reason;
    body_.passive_rate = rate;
  } else if (method == 4 || method == 5) {
    if (!read_double_long(params, amount)) return ActionResult::type_unmatched;
    return ActionResult::read_write_denied;
  } else {
    if (!axdr::get_i8(params, zero) || zero != 0 || !params.empty()) return ActionResult::type_unmatched;
    if (method == 2 && !def_->currency) return ActionResult::read_write_denied;
    if (method == 2) body_.rate = body_.passive_rate;
    else take_consumption();
  }
  if (!write()) return ActionResult::hardware_fault;
  follow_levels();
  follow_supply();
  return ActionResult::success;
}

}  // namespace metergen::prepayment
