// The time engine: what the meter does because the clock moved (docs/time.md).
//
// Owns: the meter minute (once per minute, in local time with DST: passive
// calendar activation, the tariff of the activity calendar and special days,
// the single action schedules and the scripts they run, the daily freeze),
// the calendar's fallback tariff while the HAL reports the clock invalid (no
// schedule runs then), the times of operation (CLMS100 §1.1.3: seconds
// powered, in total and per tariff, kept in the billing record every 15
// minutes and by the power-fail save), the billing button (held for
// BillingDef::button_hold_s), the catch-up of billings missed while the meter
// was off or its clock jumped (BillingDef::catch_up), the scripts a client executes (billing by command, a tariff
// script), and each periodic profile's status word (power down, clock
// adjusted, daylight saving) written just before its capture. May call: the
// tables, cosem::Objects and the calendar/schedule lookups (cosem/calendar.hpp),
// the metering engine, billing::Billing and push::Pusher (the push script). Most seconds cost one comparison.
#pragma once

#include <cstdint>

#include <metergen/billing/billing.hpp>
#include <metergen/cosem/objects.hpp>
#include <metergen/events/notice.hpp>
#include <metergen/cosem/profiles.hpp>
#include <metergen/hal.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/timing/button_hold.hpp>
#include <metergen/push/pusher.hpp>

namespace metergen::timing {

// Profile status word bits (DTSD545 §5.2.5, the IDIS layout).
inline constexpr std::uint8_t kStatusCriticalError = 0x01;  // ERR
inline constexpr std::uint8_t kStatusClockInvalid = 0x02;   // CIV
inline constexpr std::uint8_t kStatusDataNotValid = 0x04;   // DNV
inline constexpr std::uint8_t kStatusDaylightSaving = 0x08; // DST
inline constexpr std::uint8_t kStatusClockAdjusted = 0x20;  // CAD
inline constexpr std::uint8_t kStatusPowerDown = 0x80;      // PDN

class TimeEngine final : public cosem::PeriodHooks {
 public:
  TimeEngine(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, metering::Engine& engine,
             billing::Billing& billing, push::Pusher& pusher);

  // Who is told when the passive calendar becomes active at its time (nullptr: nobody).
  void notify(events::Notice* notice) { notice_ = notice; }
  // After every other engine booted (a power-up): marks the running period of
  // each periodic profile power-down, catches up a billing missed while off,
  // and runs the current minute (tariff now).
  void boot();
  // Called by every Meter tick: the button each new second, the minute's work
  // each new minute.
  void tick();
  // Saves the time reached (the power-fail save).
  bool persist();

  // The clock was set or shifted: clock-adjusted in every running period, a
  // billing passed over caught up, the minute's work redone at the new time.
  void clock_set();
  // A client executed a script: the billing script ends the period (false
  // within the lock-out), a tariff script switches the tariff, a push script
  // raises its push (false for a script with no push setup).
  bool script_executed(std::uint16_t object, std::uint16_t script);

  // cosem::PeriodHooks: averages and extremes closed, the status word written.
  void period_closing(std::uint16_t profile) override;
  // The times of operation are written into their objects when one is read.
  void before_read(std::uint16_t object);
  // A time of operation reset by its register's method 1 starts again from 0.
  void register_reset(std::uint16_t object);

 private:
  void on_minute(std::int64_t utc_s);
  void run_schedules(const axdr::DateTime& local, std::int64_t utc_s);
  void run_script(std::uint16_t object, std::uint16_t script, billing::Trigger how, std::int64_t utc_s);
  void sample_button(std::int64_t utc_s);
  void catch_up(std::int64_t from_utc, std::int64_t to_utc);
  void flag_periods(std::uint8_t bits);
  void count_operation(std::int64_t seconds);
  void write_operating_times();
  std::int64_t now() { return static_cast<std::int64_t>(hal_.utc_ms() / 1000); }

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  metering::Engine& engine_;
  billing::Billing& billing_;
  events::Notice* notice_ = nullptr;
  push::Pusher& pusher_;
  std::uint16_t activity_calendar_, md_reset_script_, tariff_script_, push_script_;  // by role, kNone when absent
  std::int64_t last_second_ = 0;
  std::int64_t last_minute_ = 0;
  ButtonHold billing_button_;
  std::uint8_t pending_status_[cosem::Profiles::kMaxProfiles]{};
  std::uint16_t operating_[billing::kMaxOperatingTimes]{};  // objects of Quantity::operating_time
  std::uint8_t operating_count_ = 0;
  bool operating_stale_ = false;
};

}  // namespace metergen::timing
