// Demand: block and sliding demand of the energy quantities, and maximum
// demand per tariff (docs/demand.md).
//
// Owns: the energy of every demand channel (one quantity on one phase) per
// sub-period of the running window, the clock-aligned sub-period schedule, and
// what the model's demand objects show: Demand registers (class 5, x.4.0:
// current and last average, capture_time, start_time_current) and maximum
// demand Extended registers (class 4, x.6.e: value and capture_time). May call:
// the tables and cosem::Objects (read, write_integer, write_time, local_time,
// clock_settings).
//
// Freestanding, integer arithmetic, fixed arrays sized by the constants below:
// sizeof(Demand) is 1,792 bytes on Cortex-M4 with the defaults.
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/energy/powers.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::demand {

#ifndef METERGEN_DEMAND_MAX_SUB_PERIODS
#define METERGEN_DEMAND_MAX_SUB_PERIODS 15
#endif
#ifndef METERGEN_DEMAND_MAX_CHANNELS
#define METERGEN_DEMAND_MAX_CHANNELS 12
#endif
// Sub-periods of a sliding window (HXF300 §7.1: 1..15).
inline constexpr std::uint8_t kMaxSubPeriods = METERGEN_DEMAND_MAX_SUB_PERIODS;
// Quantity and phase pairs with a demand or maximum demand register (every
// energy quantity on the total is 12; the seed models use up to 11).
inline constexpr std::uint8_t kMaxChannels = METERGEN_DEMAND_MAX_CHANNELS;
// Register scalers the engine feeds: 10^-6 .. 10^6 W (var, VA).
inline constexpr std::int8_t kMinScaler = -6;
inline constexpr std::int8_t kMaxScaler = 6;

// Events that restart the running window when the model's
// DemandDef::recalculate has their bit (the enumerator is the bit number).
enum class Reason : std::uint8_t { power_off = 0, clock_set = 1, period_change = 2, billing = 3 };

class Demand {
 public:
  // Binds the model's demand and maximum demand registers; writes nothing.
  Demand(const tables::Model& model, cosem::Objects& objects);

  // False when the model has no demand settings or ones the engine cannot run
  // (period 0, no or more than kMaxSubPeriods sub-periods): every call then does nothing.
  bool active() const { return active_; }
  // Demand and maximum demand registers the engine does not feed: another
  // class than 5 (demand) or 4 (maximum), a quantity without energy, a
  // non-integer type, a scaler outside kMinScaler..kMaxScaler, a second
  // demand register of one channel, channels beyond kMaxChannels, or all of
  // them when !active().
  std::uint16_t unfed_registers() const { return unfed_; }

  // One second of power: `p` covers the second that ends at `utc_s`, the meter's
  // UTC time; `tariff` is the tariff in force (1..n, 0 = totals only). Adds the
  // second's energy to the running sub-period, closes it when `utc_s` reaches
  // its end (last average, maximum demand of the total and of `tariff`), and
  // updates every current average.
  void second(const energy::SecondPowers& p, std::uint8_t tariff, std::uint64_t utc_s);
  // Maximum demand reset (billing, command or button): every maximum demand
  // register the engine feeds back to 0, its capture_time the reset time.
  void reset_maximum(std::uint64_t utc_s);
  // When the model's recalculate bit of `r` is set, discards the running
  // window and starts a new one at `utc_s`, ending at the next aligned
  // sub-period boundary; otherwise does nothing. power_off is called once at boot.
  void recalculate(Reason r, std::uint64_t utc_s);
  // A client's reset of a demand register: the window restarts at `utc_s`
  // whatever the model's recalculation rules.
  void restart(std::uint64_t utc_s);
  // A client's next_period: the running sub-period closes at `utc_s` (last
  // average, maxima of the total and of `tariff`) and the next one runs to the
  // following boundary.
  void next_period(std::uint8_t tariff, std::uint64_t utc_s);
  // A new sub-period length (a client set the demand period object): the
  // window restarts at `utc_s` with it. False, and nothing changes, for 0 or a
  // window (period x number_of_periods) longer than the model's maximum.
  bool change_period(std::uint32_t period_s, std::uint64_t utc_s);
  std::uint32_t period_s() const { return period_s_; }
  // The running window in NVM (storage::Record kind demand), so that a power cut
  // does not lose it: its place from `at`, a copy written with the energy record
  // (every 15 minutes and by the power-fail save), restored at boot. restore()
  // is false (the window starts afresh) without a valid copy for this period
  // and these channels.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  bool persist(hal::Hal& hal);
  bool restore(hal::Hal& hal);
  // Whether `object` is a demand register this engine feeds.
  bool feeds_demand(std::uint16_t object) const;

 private:
  struct Channel {
    tables::Quantity quantity;
    std::uint8_t phase;
    std::uint16_t demand_object;              // its Demand register, tables::kNone
    std::int64_t window_uj;                   // sum of energy_uj: the window so far
    std::int64_t energy_uj[kMaxSubPeriods];   // per sub-period; the running one at head_
  };

  bool feeds(const tables::ObjectDef& d) const;
  std::uint8_t channel(const tables::Binding& b) const;
  bool fed_maximum(const tables::ObjectDef& d) const;
  bool held_value(std::uint16_t object, std::int64_t& v);
  std::int64_t register_value(std::int64_t energy_uj, const tables::ObjectDef& d) const;
  void schedule(std::int64_t instant, std::int64_t& start, std::int64_t& end) const;

  void begin(std::int64_t data_start, std::int64_t instant);
  void close(std::uint8_t tariff);
  void update_maxima(std::uint8_t tariff, const axdr::DateTime& at);
  void write_start_time();
  void write_current();

  std::uint32_t record_body() const;

  const tables::Model& model_;
  cosem::Objects& objects_;
  storage::Record record_;
  Channel channels_[kMaxChannels]{};
  std::int64_t data_start_[kMaxSubPeriods]{};  // when each sub-period's energy began
  std::int64_t period_start_ = 0;            // running sub-period on the clock schedule
  std::int64_t period_end_ = 0;              // 0: not started
  std::uint32_t period_s_ = 0;
  std::uint32_t window_s_ = 0;               // period_s_ * periods_: every average's denominator
  std::uint16_t unfed_ = 0;
  std::uint8_t periods_ = 0;
  std::uint8_t head_ = 0;                    // slot of the running sub-period
  std::uint8_t filled_ = 0;                  // sub-periods in the window, the running one included
  std::uint8_t channel_count_ = 0;
  bool active_ = false;
};

}  // namespace metergen::demand
