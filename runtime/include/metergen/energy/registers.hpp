// Energy registers: one exact accumulator per energy-bound object (Binding.kind
// == SourceKind::energy), integrated from one energy::SecondPowers per second,
// and their power-fail-safe record in NVM.
//
// Owns: the accumulators (whole mWh plus the remainder in uJ, so nothing is
// ever rounded away), the split of each second between the total (tariff 0)
// and the current tariff's registers, the conversion to register units, and
// the NVM record. May call: the tables and the HAL (NVM only).
//
// Energy record (storage::Record, kind energy; docs/nvm-format.md):
//   count (be16) | tariff (u8) | 0 | count x { mWh (be64, signed) | uJ remainder (be32) }
// Its tag is a CRC-32 of the model id and the logical names of the registers in
// order, so a record written for other tables is not restored.
#pragma once

#include <cstdint>

#include <metergen/energy/powers.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::energy {

#ifndef METERGEN_MAX_ENERGY_REGISTERS
#define METERGEN_MAX_ENERGY_REGISTERS 128
#endif
// Energy-bound objects one image can meter (the largest seed model has 111).
inline constexpr std::uint16_t kMaxEnergyRegisters = METERGEN_MAX_ENERGY_REGISTERS;

inline constexpr std::uint32_t kUjPerMwh = 3'600'000;  // 1 mWh = 3.6 J

// An exact energy: mwh * 1 mWh + rem_uj * 1 uJ, with 0 <= rem_uj < kUjPerMwh
// (floor form, so negative energies of the net register are exact too).
struct Accumulator {
  std::int64_t mwh = 0;
  std::uint32_t rem_uj = 0;

  static Accumulator from_uj(std::int64_t uj);
  void add(const Accumulator& a);  // saturates at the int64 range of mWh
  // In steps of 10^scaler Wh, truncated toward zero (a register shows
  // completed steps only); saturates.
  std::int64_t in_units(int scaler) const;

  friend bool operator==(const Accumulator&, const Accumulator&) = default;
};

class EnergyRegisters {
 public:
  // Binds every energy-bound object of `model`, in table order. False when
  // the model has more than kMaxEnergyRegisters of them (the rest are not
  // metered) or a binding names no energy quantity or a phase beyond 3.
  bool bind(const tables::Model& model);

  std::uint16_t count() const { return count_; }
  std::uint16_t object(std::uint16_t i) const { return object_[i]; }
  const Accumulator& accumulator(std::uint16_t i) const { return acc_[i]; }
  // Index of the register bound to `object`, tables::kNone when none is.
  std::uint16_t find(std::uint16_t object) const;
  // Highest tariff number a register is bound to (0 = totals only).
  std::uint8_t max_tariff() const { return max_tariff_; }

  // Adds one second of `p` to every total (tariff 0) register and to every
  // register of `tariff`, so the tariff registers of a quantity and phase
  // always sum exactly to its total.
  void add_second(const SecondPowers& p, std::uint8_t tariff);
  void clear(std::uint16_t i) { acc_[i] = {}; }

  // Takes the energy record's place from `at` (after bind()).
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // Writes a new copy of the record; false when NVM failed.
  bool persist(hal::Hal& hal, std::uint8_t tariff);
  // Loads the newest valid copy; false (accumulators zero, tariff untouched) when none is.
  bool restore(hal::Hal& hal, std::uint8_t& tariff);
  // Register i from its 12 record bytes (mWh be64, uJ be32); false when they are no energy.
  bool set_from_bytes(std::uint16_t i, const std::uint8_t* entry);
  // Record copies written so far (benchmarks).
  std::uint32_t writes() const { return writes_; }

 private:
  const tables::Model* model_ = nullptr;
  Accumulator acc_[kMaxEnergyRegisters]{};
  std::uint16_t object_[kMaxEnergyRegisters]{};
  std::uint16_t count_ = 0;
  std::uint8_t max_tariff_ = 0;
  std::uint32_t layout_ = 0;
  storage::Record record_;
  std::uint32_t writes_ = 0;
};

}  // namespace metergen::energy
