// The event engine: what the meter detects and logs (docs/events.md).
//
// Owns: the conditions of each metering second's readings (voltage levels, phase
// loss, reverse current, unbalance, sequence, …) and of the meter's inputs
// (covers, magnetic field, …), each started and ended after its level held for
// its duration (DetectionDef, levels settable through their objects); the
// instants the other parts report (power down and up, clock set, a client's SET,
// authentication, ciphering, relay changes, storage errors); for each event code
// whose trigger matches, the log filter's log bit, the code object, the log's
// capture (clock time, code, extra columns), the counters of the trigger, the
// alarm descriptor's bit (every alarm), the alarm register's bit (an alarm the
// alarm filter lets through), the error register's bit, and a push of the
// model's first push setup when the filter's push bit is set or an alarm
// register bit is newly set.
// May call: the tables, cosem::Objects, cosem::Profiles and push::Pusher.
//
// Cost: the triggers a model names are found once at construction; a metering
// second evaluates only those, so most seconds are a few comparisons per phase.
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/cosem/profiles.hpp>
#include <metergen/energy/quadrants.hpp>
#include <metergen/events/notice.hpp>
#include <metergen/hal.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/push/pusher.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::events {

// Condition slots: one per condition trigger and phase (0 = the total or the
// meter as a whole, 1..3 = L1..L3).
inline constexpr std::uint8_t kConditionCount = static_cast<std::uint8_t>(tables::kFirstInstant) - 1;
inline constexpr std::uint16_t kSlots = kConditionCount * 4u;

class Events final : public Notice {
 public:
  Events(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Profiles& profiles,
         push::Pusher& pusher);

  // Takes the events record's place from `at` (docs/nvm-format.md).
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // The power-fail save: which conditions are active, and the failed logins
  // in a row, so that an input's condition (an open cover) that lasts
  // through a power cut is not logged again at power-up.
  bool persist();

  // After the other engines booted: restores the events record and ends the
  // readings' conditions (a power-down ends them: end_supply_conditions),
  // reads the levels; logs the power failure that ended now (power_down at
  // `down_utc_s`, the last time the meter was known to run, 0 = a new meter:
  // nothing to log), with the duration of a long one in the objects of source
  // event.long_power_failure_duration, and a lost clock.
  void boot(std::int64_t down_utc_s);
  // Once per metering second: the readings' conditions (primary values).
  void metering_second(const metrology::Readings& r, const energy::Ratios& ratios);
  // Each Meter tick: the inputs' conditions, once per second.
  void tick();

  // Notice: an instant happened now.
  void raise(tables::Trigger trigger, std::uint8_t qualifier = 0, std::uint16_t object = tables::kNone) override;
  // The clock was set: clock_adjusted_old at the time it showed just before
  // (the last tick's time plus the ticks since), clock_adjusted_new now.
  void clock_set();
  // A client set `attribute` of `object`: parameter events, and new levels.
  void value_set(std::uint16_t object, std::int8_t attribute);
  // A client's ACTION succeeded: special days, passive activation, a log reset.
  void action_done(std::uint16_t object, std::int8_t method);
  // The disconnect control moved (cosem::Hooks): relay_disconnected when the
  // relay opened, relay_connected when it closed, relay_ready on entering
  // ready-for-reconnection, each with its cause.
  void control_state_changed(std::uint8_t from, std::uint8_t to, cosem::RelayCause cause);
  // A client's authentication failed (counted in a row) or succeeded.
  void authentication(bool ok);

  // Whether a condition is active now (tests, the alarm register).
  bool active(tables::Trigger condition, std::uint8_t phase = 0) const;
  // Event entries logged since boot (benchmarks, tests).
  std::uint32_t logged() const { return logged_; }

 private:
  struct Level {
    std::int64_t level, restore;
    std::uint32_t for_s;
    bool given;  // a level was declared (else the trigger's own rule)
  };

  void read_levels();
  void end_supply_conditions();
  const Level& level_of(tables::Trigger t) const;
  void evaluate(tables::Trigger t, std::uint8_t phase, bool beyond, bool within);
  void held(tables::Trigger t, std::uint8_t phase, std::uint16_t slot, bool on);
  bool voltage_back_to_normal(tables::Trigger ended, std::uint8_t phase) const;
  void readings_conditions(const metrology::Readings& r, const energy::Ratios& ratios);
  void phase_conditions(const metrology::Readings& r, const energy::Ratios& ratios, std::uint8_t p);
  void total_conditions(const metrology::Readings& r, const energy::Ratios& ratios);
  void occurred(tables::Trigger t, std::uint8_t qualifier, bool end, std::uint16_t object, std::int64_t at_utc_s);
  void log_event(const tables::EventLogDef& log, std::uint16_t index, std::int64_t at_utc_s);
  static bool qualifies(const tables::EventDef& e, std::uint8_t qualifier);
  bool filter_bit(const tables::EventLogDef& log, std::uint16_t index, std::uint8_t which) const;
  void push();
  bool bit_of(std::uint16_t object, std::uint32_t bit, bool& set) const;
  void disconnect_for(tables::Trigger t, std::uint8_t phase);
  void count(tables::Trigger t, std::uint8_t phase);
  bool set_bit(std::uint16_t object, std::uint8_t bit);
  bool alarm_passes(std::uint8_t bit);
  bool uses(tables::Trigger t) const;
  void track_excursion(tables::Trigger t, std::uint8_t phase, std::int64_t voltage);
  std::int64_t now() { return static_cast<std::int64_t>(hal_.utc_ms() / 1000); }

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  cosem::Profiles& profiles_;
  push::Pusher& pusher_;
  const std::uint16_t alarm_register_, alarm_filter_, alarm_descriptor_, error_register_;  // by role, kNone
  std::uint64_t used_ = 0;                   // bit per condition trigger the model names
  Level levels_[kConditionCount + 1]{};      // by trigger; [kConditionCount] = the long power failure
  std::uint8_t active_[(kSlots + 7) / 8]{};
  std::uint16_t held_[kSlots]{};             // seconds the opposite of the slot's state has held
  // A voltage sag or swell under way per phase, for the power quality event
  // parameters (source event.pq_duration / event.pq_voltage).
  struct Excursion {
    bool running = false;
    std::int64_t start_utc_s = 0;
    std::int64_t extreme = 0;  // lowest (sag) or highest (swell) primary voltage, µV
  };
  Excursion excursions_[2][metrology::kMaxPhases]{};
  std::int64_t last_input_second_ = -1;
  std::uint64_t tick_utc_ms_ = 0;            // the clock and the tick counter at the last tick
  std::uint32_t tick_ms_ = 0;
  std::uint32_t failures_in_row_ = 0;
  std::uint32_t failures_level_ = 0;         // authentication_failures every this many in a row
  std::uint32_t logged_ = 0;
  storage::Record record_;
  static constexpr std::uint32_t kBodyBytes = sizeof active_ + 4;
};

}  // namespace metergen::events
