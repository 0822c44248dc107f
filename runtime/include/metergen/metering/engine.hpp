// The metering engine inside the Meter: readings in, COSEM register values out.
//
// Owns: draining the front end's ADC frames into metrology (metrology/) in
// bounded batches; the CT/VT ratios, the current tariff and the demand period
// read from their objects at boot and when a client sets them; once per
// metering second the quadrant mapping (energy/quadrants), the energy
// accumulators (energy/registers) and their NVM record, the demand engine's
// second (demand/), the period values, and the values of every energy- and
// instantaneous-bound object (written when read); the relay drive, register resets and clock-set recalculation (it is
// the Meter's cosem::Hooks). May call: the tables, the HAL, cosem::Objects
// (read, write_value), metrology/, energy/, demand/ and metering/register_values.
//
// Objects it feeds: Binding.kind energy (accumulated, in steps of 10^scaler
// of Wh, varh or VAh) and instantaneous (primary values of the last second).
// An object whose unit is not the one its quantity needs (expected_unit) is
// left alone and boot() reports false. docs/energy.md has the rules.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/demand/demand.hpp>
#include <metergen/energy/powers.hpp>
#include <metergen/energy/quadrants.hpp>
#include <metergen/energy/registers.hpp>
#include <metergen/hal.hpp>
#include <metergen/metrology/metrology.hpp>
#include <metergen/metering/period_values.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::metering {

#ifndef METERGEN_MAX_PERIOD_PROFILES
#define METERGEN_MAX_PERIOD_PROFILES 2
#endif
// Periodic profiles whose average, maximum and minimum objects the engine
// computes (each keeps one PeriodValues, about 1.9 KB).
inline constexpr std::uint8_t kMaxPeriodProfiles = METERGEN_MAX_PERIOD_PROFILES;

// Seconds of metering between two writes of the energy record (15 minutes).
inline constexpr std::uint32_t kPersistEverySeconds = 900;

#ifndef METERGEN_MAX_FRAMES_PER_TICK
#define METERGEN_MAX_FRAMES_PER_TICK 256
#endif
// ADC frames one tick() reads at most, so a tick never keeps a transport
// waiting long: the main loop must tick at least sample_rate / this often a
// second (16 times at 4 kHz) or the front end's buffer fills.
inline constexpr std::size_t kMaxFramesPerTick = METERGEN_MAX_FRAMES_PER_TICK;
// Frames per hal::Hal::adc_read (a stack buffer of this many AdcFrames).
inline constexpr std::size_t kFramesPerRead = 16;

// Told of each metering second's readings after the engine's own work.
class SecondObserver {
 public:
  virtual void metering_second(const metrology::Readings& r) = 0;

 protected:
  ~SecondObserver() = default;
};

class Engine final : public cosem::Hooks {
 public:
  // `objects` is used from boot() on (the Meter constructs it after the engine).
  Engine(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects);

  // Binds the energy registers and takes the energy record's place from `at`.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // After place() and Objects::boot(): restores the energy record, writes every
  // fed object's value and drives the relay to the restored disconnect state.
  // False when the model exceeds a capacity or an object has the wrong unit
  // (the rest still works).
  bool boot();

  // Reads up to kMaxFramesPerTick frames from the front end into metrology and
  // runs on_second() for each second they complete. Nothing without a front
  // end (sample_rate_hz 0).
  void tick();

  // One metering second, ending now by the meter clock: quadrant mapping,
  // energy, demand, period values; the record every kPersistEverySeconds.
  void on_second(const metrology::Readings& r);
  // Who is told of each second's readings (nullptr: nobody).
  void observe(SecondObserver* observer) { observer_ = observer; }
  // Writes the energy record now.
  bool persist();
  // Metering seconds since construction (on_second calls), wrapping: engines
  // that run once per metering second compare it with the count they saw.
  std::uint32_t seconds_metered() const { return seconds_metered_; }
  // The value an energy- or instantaneous-bound object has after the last
  // metering second, in its scaler, as a read would write it (not clamped to
  // its type), without writing any object; false for other objects. An
  // engine that looks at one value every second uses it rather than
  // Objects::read_integer, whose before_read writes every fed value.
  bool fed_value(std::uint16_t object, std::int64_t& raw) const;
  // An integer attribute's value now, for an engine that watches it every
  // second: fed_value for the value of a fed object, else as
  // Objects::read_integer reads it. False when it is not an integer.
  bool current_value(std::uint16_t object, std::int8_t attribute, std::int64_t& raw) const;
  // The capture period of periodic profile `profile` ends: every average,
  // maximum and minimum object it captures takes the value of the seconds since
  // its previous capture (or boot), and a new period starts. Call just before
  // the capture. Nothing for profiles without such objects.
  void close_period(std::uint16_t profile);

  // The tariff whose registers receive energy besides the totals; backed by
  // the object with role current_tariff when the model has one. A tariff
  // outside 1..tariff_count() is refused.
  bool set_tariff(std::uint8_t tariff);
  std::uint8_t tariff() const { return tariff_; }
  std::uint8_t tariff_count() const { return tariff_count_; }

  const energy::Ratios& ratios() const { return ratios_; }
  const energy::SecondPowers& powers() const { return powers_; }
  const energy::EnergyRegisters& registers() const { return registers_; }
  energy::EnergyRegisters& registers() { return registers_; }

  // cosem::Hooks
  void relay_changed(bool connected) override;
  void clock_set() override;
  // An energy register's reset clears its accumulator; a demand register's
  // starts a new window.
  void register_reset(std::uint16_t object) override;
  // Demand register next_period: the running sub-period closes now.
  void demand_next_period(std::uint16_t object) override;
  // The energy and instantaneous values are written when one of them is read
  // after a metering second, not every second: most seconds nobody reads them.
  void before_read(std::uint16_t object) override;
  // A client set an object the engine reads: a CT/VT ratio, the current
  // tariff (a valid one is used from the next second, anything else is
  // overwritten with the tariff in use), or the demand period (the demand
  // window restarts with it; a period the engine cannot run is replaced by the
  // one in force).
  void value_set(std::uint16_t object, std::int8_t attribute) override;
  // The end of a billing period: every maximum demand back to 0 and, where
  // the model asks, the demand window restarted.
  void billing_period_ended();

 private:
  struct Physical {
    std::int64_t value;
    int exponent;  // the value is value * 10^exponent of the object's unit
  };

  void drive_relay();
  void bind_period_profiles();
  void write_period_values(std::uint16_t profile, const PeriodValues& values);
  void read_ratios();
  void read_tariff();
  void read_demand_period();
  std::uint32_t read_unsigned(std::uint16_t object, std::uint32_t fallback);
  void write_integer(std::uint16_t object, std::int64_t raw);
  void write_energy_values();
  void write_instantaneous_values();
  bool instantaneous(const tables::ObjectDef& d, Physical& out) const;
  bool energy_value(std::uint16_t index, std::int64_t& raw) const;
  bool instantaneous_value(const tables::ObjectDef& d, std::int64_t& raw) const;
  bool phase_angle(const tables::ObjectDef& d, std::int64_t& mdeg) const;
  std::int64_t per_phase(const tables::ObjectDef& d, std::int64_t (*of)(const metrology::PhaseReadings&,
                                                                        const energy::Ratios&)) const;
  std::int32_t total_power_factor() const;
  static constexpr std::int32_t kNoReducedPf = -32768;
  std::uint64_t utc_s() { return hal_.utc_ms() / 1000; }
  SecondObserver* observer_ = nullptr;

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  metrology::Metrology metrology_;
  bool front_end_;
  energy::EnergyRegisters registers_;
  demand::Demand demand_;
  energy::Ratios ratios_;
  metrology::Readings readings_{};
  energy::SecondPowers powers_{};
  bool bound_ = false;
  bool values_stale_ = false;  // a metering second passed since the values were written
  std::uint32_t seconds_since_persist_ = 0;
  std::uint32_t seconds_metered_ = 0;
  std::uint16_t ct_num_, ct_den_, vt_num_, vt_den_, tariff_object_, demand_period_;  // by role, kNone when absent
  std::uint8_t tariff_ = 1;
  std::uint8_t tariff_count_ = 1;
  PeriodValues periods_[kMaxPeriodProfiles];
  std::uint16_t period_profile_[kMaxPeriodProfiles]{};
  std::uint8_t period_count_ = 0;
  std::int32_t reduced_total_pf_ = kNoReducedPf;  // total_power_factor() while period values are written
};

}  // namespace metergen::metering
