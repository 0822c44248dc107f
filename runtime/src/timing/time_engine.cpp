// The time engine (see timing/time_engine.hpp).
#include <metergen/cosem/calendar.hpp>
#include <metergen/metering/register_values.hpp>
#include <metergen/timing/time_engine.hpp>

namespace metergen::timing {

using tables::kNone;

namespace {

constexpr std::uint8_t kScheduleClass = 22;
constexpr std::uint8_t kMethodButton = 0x04;          // BillingDef::methods bit 2
constexpr std::uint8_t kMethodContractChange = 0x08;  // bit 3
constexpr std::int64_t kSaveOperationMinutes = 15;    // the times of operation reach NVM this often

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

int minute_of_day(const axdr::DateTime& t) { return t.hour * 60 + t.minute; }

// The billing period holding local time `t`, counted in months: a period
// starts on the billing day at the billing minute.
std::int64_t month_period(const axdr::DateTime& t, const tables::BillingDef& b) {
  std::int64_t i = std::int64_t{t.year} * 12 + (t.month - 1);
  if (t.day < b.monthly_day || (t.day == b.monthly_day && minute_of_day(t) < b.monthly_minute)) --i;
  return i;
}

// The daily period holding local time `t`, counted in days.
std::int64_t day_period(const axdr::DateTime& t, const tables::BillingDef& b) {
  return axdr::days_from_civil(t.year, t.month, t.day) - (minute_of_day(t) < b.daily_minute ? 1 : 0);
}

}  // namespace

TimeEngine::TimeEngine(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, metering::Engine& engine,
                       billing::Billing& billing, push::Pusher& pusher)
    : model_(model),
      hal_(hal),
      objects_(objects),
      engine_(engine),
      billing_(billing),
      pusher_(pusher),
      activity_calendar_(tables::find_role(model, tables::Role::activity_calendar)),
      md_reset_script_(tables::find_role(model, tables::Role::md_reset_script)),
      tariff_script_(tables::find_role(model, tables::Role::tariff_script)),
      push_script_(tables::find_role(model, tables::Role::push_script)) {
  for (std::uint16_t i = 0; i < model.object_count && operating_count_ < billing::kMaxOperatingTimes; ++i)
    if (model.objects[i].binding.quantity == tables::Quantity::operating_time) operating_[operating_count_++] = i;
}

void TimeEngine::boot() {
  const std::int64_t t = now();
  write_operating_times();
  flag_periods(kStatusPowerDown);
  if (billing_.last_seen() != 0 && t > billing_.last_seen()) catch_up(billing_.last_seen(), t);
  last_second_ = t;
  last_minute_ = floor_div(t, 60);
  on_minute(t);
}

void TimeEngine::tick() {
  const std::int64_t t = now();
  if (t == last_second_) return;
  count_operation(t - last_second_);
  last_second_ = t;
  sample_button(t);
  const std::int64_t minute = floor_div(t, 60);
  if (minute == last_minute_) return;
  last_minute_ = minute;
  on_minute(t);
  if (operating_count_ != 0 && minute % kSaveOperationMinutes == 0) billing_.persist();
}

// Seconds the meter ran, to the total and the tariff in force. A jump of the
// clock that is not a clock set (those restart the count) above a minute is
// not counted.
void TimeEngine::count_operation(std::int64_t seconds) {
  if (operating_count_ == 0 || seconds <= 0 || seconds > 60) return;
  std::uint32_t* counted = billing_.operating_seconds();
  for (std::uint8_t i = 0; i < operating_count_; ++i) {
    const std::uint8_t tariff = model_.objects[operating_[i]].binding.tariff;
    if (tariff == 0 || tariff == engine_.tariff()) counted[i] += static_cast<std::uint32_t>(seconds);
  }
  operating_stale_ = true;
}

void TimeEngine::before_read(std::uint16_t object) {
  if (!operating_stale_ || model_.objects[object].binding.quantity != tables::Quantity::operating_time) return;
  write_operating_times();
}

void TimeEngine::register_reset(std::uint16_t object) {
  for (std::uint8_t i = 0; i < operating_count_; ++i)
    if (operating_[i] == object) billing_.operating_seconds()[i] = 0;
}

void TimeEngine::write_operating_times() {
  operating_stale_ = false;
  const std::uint32_t* counted = billing_.operating_seconds();
  for (std::uint8_t i = 0; i < operating_count_; ++i) {
    std::uint8_t buf[16];
    ByteWriter w(buf, sizeof buf);
    if (metering::put_clamped(w, model_.objects[operating_[i]].value_type, counted[i]) && !w.overflow())
      objects_.write_value(operating_[i], ByteReader(buf, w.size()));
  }
}

bool TimeEngine::persist() {
  billing_.seen(now());
  return billing_.persist();
}

void TimeEngine::clock_set() {
  const std::int64_t t = now();
  flag_periods(kStatusClockAdjusted);
  if (t > last_second_) catch_up(last_second_, t);
  last_second_ = t;
  last_minute_ = floor_div(t, 60);
  on_minute(t);
}

bool TimeEngine::script_executed(std::uint16_t object, std::uint16_t script) {
  if (object == md_reset_script_) return billing_.end_of_period(billing::Trigger::command, now());
  if (object == tariff_script_) return script <= 0xFF && engine_.set_tariff(static_cast<std::uint8_t>(script));
  if (object == push_script_) return pusher_.run_script(script);
  return true;
}

void TimeEngine::period_closing(std::uint16_t profile) {
  engine_.close_period(profile);
  const std::uint16_t status = model_.profiles[profile].status_object;
  std::uint8_t bits = pending_status_[profile];
  pending_status_[profile] = 0;
  if (status == kNone) return;
  if (objects_.local_time(now()).status & axdr::kStatusDaylightSaving) bits |= kStatusDaylightSaving;
  if (!hal_.clock_valid()) bits |= kStatusClockInvalid | kStatusDataNotValid;
  std::uint8_t buf[8];
  ByteWriter w(buf, sizeof buf);
  if (metering::put_clamped(w, model_.objects[status].value_type, bits) && !w.overflow())
    objects_.write_value(status, ByteReader(buf, w.size()));
}

// The minute's work, in local time: the calendar first (a schedule may bill
// the energy of the tariff in force), then the schedules, then the daily freeze.
void TimeEngine::on_minute(std::int64_t utc_s) {
  const axdr::DateTime local = objects_.local_time(utc_s);
  if (!hal_.clock_valid()) {
    // Nothing runs by an invalid clock; the calendar's fallback tariff applies
    // (DTSD545 §5.2.4: T1 while the time is doubtful or invalid).
    if (model_.calendar != nullptr) engine_.set_tariff(model_.calendar->fallback_tariff);
    return;
  }
  if (activity_calendar_ != kNone) {
    if (cosem::activate_passive_if_due(model_, local)) {
      if (notice_ != nullptr) notice_->raise(tables::Trigger::passive_calendar_activated);
      if (model_.billing.methods & kMethodContractChange) billing_.end_of_period(billing::Trigger::contract_change, utc_s);
    }
    const std::uint8_t tariff = cosem::tariff_at(model_, local);
    if (tariff != 0) engine_.set_tariff(tariff);
  }
  run_schedules(local, utc_s);
  const tables::BillingDef& b = model_.billing;
  if (b.daily_minute != kNone && minute_of_day(local) == b.daily_minute)
    billing_.daily_freeze(billing::Trigger::schedule, utc_s);
}

void TimeEngine::run_schedules(const axdr::DateTime& local, std::int64_t utc_s) {
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    if (model_.objects[i].class_id != kScheduleClass || !cosem::schedule_fires(model_, i, local)) continue;
    std::uint16_t table = kNone, script = 0;
    if (cosem::schedule_script(model_, i, table, script)) run_script(table, script, billing::Trigger::schedule, utc_s);
  }
}

// A script a schedule runs. A billing already made in this minute (caught up
// at power-up, or before a clock set back into it) is not made again.
void TimeEngine::run_script(std::uint16_t object, std::uint16_t script, billing::Trigger how, std::int64_t utc_s) {
  if (object == md_reset_script_) {
    if (floor_div(billing_.last_billing(), 60) != floor_div(utc_s, 60)) billing_.end_of_period(how, utc_s);
  } else if (object == tariff_script_ && script <= 0xFF) {
    engine_.set_tariff(static_cast<std::uint8_t>(script));
  } else if (object == push_script_) {
    pusher_.run_script(script);
  }
}

// The billing button bills once when it has been held button_hold_s seconds
// (a press when 0), and again only after it was released. Held together with
// the reconnect button it is the manual-disconnect gesture (docs/load-control.md),
// not a billing.
void TimeEngine::sample_button(std::int64_t utc_s) {
  if ((model_.billing.methods & kMethodButton) == 0) return;
  const std::uint8_t both = hal::button_bit(hal::Button::billing) | hal::button_bit(hal::Button::reconnect);
  const bool held = (hal_.buttons_held() & both) == hal::button_bit(hal::Button::billing);
  if (billing_button_.sample(held, model_.billing.button_hold_s)) billing_.end_of_period(billing::Trigger::button, utc_s);
}

// One billing (and one daily freeze) for any number of period ends passed
// between `from_utc` and `to_utc`, when the model catches up.
void TimeEngine::catch_up(std::int64_t from_utc, std::int64_t to_utc) {
  const tables::BillingDef& b = model_.billing;
  if (!b.catch_up) return;
  const axdr::DateTime from = objects_.local_time(from_utc), to = objects_.local_time(to_utc);
  if (b.monthly_minute != kNone && month_period(to, b) > month_period(from, b))
    billing_.end_of_period(billing::Trigger::catch_up, to_utc);
  if (b.daily_minute != kNone && day_period(to, b) > day_period(from, b)) billing_.daily_freeze(billing::Trigger::catch_up, to_utc);
}

void TimeEngine::flag_periods(std::uint8_t bits) {
  for (std::uint16_t p = 0; p < model_.profile_count && p < cosem::Profiles::kMaxProfiles; ++p)
    pending_status_[p] |= bits;
}

}  // namespace metergen::timing
