// Billing: the end of a billing period and the daily freeze (spec `billing:`,
// docs/time.md).
//
// Owns: what ending a billing period does, in this order — the historical
// values (OBIS F = 101 the period just ended, 102 the one before, ... shifted
// down; a value is its F = 255 object's, or for D = 9 the energy of the period:
// the D = 8 register's growth since the previous billing), the billing period
// counter (role billing_counter), the capture of the monthly billing profile,
// then the maximum demand reset; the lock-out of command and button billings
// (role billing_lockout, else BillingDef::lockout_s); the daily billing
// profile's capture; and the billing record (when the last billing was, the
// D = 9 bases, the last meter minute the time engine processed and its times
// of operation) in NVM.
// May call: the tables, cosem::Objects, cosem::Profiles, the metering engine
// and the storage layer. Freestanding, no heap.
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/events/notice.hpp>
#include <metergen/cosem/profiles.hpp>
#include <metergen/hal.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::billing {

#ifndef METERGEN_MAX_PERIOD_CONSUMPTIONS
#define METERGEN_MAX_PERIOD_CONSUMPTIONS 8
#endif
// D = 9 registers (energy over the billing period) the engine keeps a base for.
inline constexpr std::uint8_t kMaxPeriodConsumptions = METERGEN_MAX_PERIOD_CONSUMPTIONS;
// Times of operation (Quantity::operating_time objects) the record keeps for the time engine.
inline constexpr std::uint8_t kMaxOperatingTimes = 9;

enum class Trigger : std::uint8_t {
  schedule,  // the end-of-billing single action schedule (automatic)
  command,   // a client executed the billing script
  button,    // the billing button was held
  catch_up,  // a billing time passed while the meter was off or its clock jumped
  contract_change,  // the passive calendar became active (DTSD545 §5.2.6)
};

class Billing {
 public:
  Billing(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Profiles& profiles,
          metering::Engine& engine);

  // Takes the billing record's place from `at`.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // After the objects, profiles and metering engine booted: restores the record.
  void boot();

  // Who is told of each billing (billing_period_ended; nullptr: nobody).
  void notify(events::Notice* notice) { notice_ = notice; }
  // Ends the billing period at `utc_s`. Command and button billings within the
  // lock-out after the previous billing are refused (false, nothing changes).
  bool end_of_period(Trigger how, std::int64_t utc_s);
  // Captures the daily billing profile (nothing when the model has none);
  // `how` is schedule (the freeze minute) or catch_up.
  void daily_freeze(Trigger how, std::int64_t utc_s);

  // The meter time the time engine last processed (persisted with the record
  // on persist()); 0 when never.
  std::int64_t last_seen() const { return body_.last_seen; }
  void seen(std::int64_t utc_s) { body_.last_seen = utc_s; }
  // When the previous billing ended a period; 0 when none.
  std::int64_t last_billing() const { return body_.last_billing; }
  // The time engine's times of operation, in seconds, kept with the record.
  std::uint32_t* operating_seconds() { return body_.operating_s; }
  // Writes the record (also done by every billing).
  bool persist();

 private:
  struct Body {
    std::int64_t last_seen;
    std::int64_t last_billing;
    std::int64_t base[kMaxPeriodConsumptions];  // D = 8 value at the last billing, per consumption object
    std::uint32_t operating_s[kMaxOperatingTimes];
  };
  static constexpr std::uint32_t kBodyBytes = 8 + 8 + 8 * kMaxPeriodConsumptions + 4 * kMaxOperatingTimes;

  void bind();
  std::uint32_t lockout_s();
  // Captures a billing profile: at its scheduled time stamped with that
  // minute's boundary (00:00:00.00), otherwise when it is taken.
  void capture(std::uint16_t profile, Trigger how, std::int64_t utc_s);
  void shift_history();
  void copy_value(std::uint16_t from, std::uint16_t to);
  void write_consumptions();
  void count_period();
  void write_integer(std::uint16_t object, std::int64_t v);

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  cosem::Profiles& profiles_;
  metering::Engine& engine_;
  events::Notice* notice_ = nullptr;
  storage::Record record_;
  Body body_{};
  std::uint16_t counter_, lockout_;  // by role, kNone when absent
  std::uint16_t consumption_[kMaxPeriodConsumptions]{};  // D = 9, F = 101 objects
  std::uint16_t consumption_source_[kMaxPeriodConsumptions]{};  // their D = 8, F = 255 energy register
  std::uint8_t consumption_count_ = 0;
};

}  // namespace metergen::billing
