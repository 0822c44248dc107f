// One second of power per metered quantity, on the primary side of any
// instrument transformers: what the energy registers integrate and the demand
// registers average. Built from metrology::Readings by the metering engine
// (quadrant mapping, CT/PT ratios); consumed by energy/ and demand/.
#pragma once

#include <cstdint>

#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::energy {

// Quantities with an energy, demand or maximum-demand register: the
// tables::Quantity values active_import (1) .. active_net (12).
inline constexpr int kFirstEnergyQuantity = static_cast<int>(tables::Quantity::active_import);
inline constexpr int kLastEnergyQuantity = static_cast<int>(tables::Quantity::active_net);
inline constexpr int kEnergyQuantities = kLastEnergyQuantity - kFirstEnergyQuantity + 1;

constexpr bool is_energy_quantity(tables::Quantity q) {
  return static_cast<int>(q) >= kFirstEnergyQuantity && static_cast<int>(q) <= kLastEnergyQuantity;
}

// Powers of one second in uW (uvar, uVA); one second of it is that many uJ.
// Every entry is >= 0 except active_net (import minus export).
struct QuantityPowers {
  std::int64_t uw[kEnergyQuantities];

  std::int64_t& operator[](tables::Quantity q) { return uw[static_cast<int>(q) - kFirstEnergyQuantity]; }
  std::int64_t operator[](tables::Quantity q) const { return uw[static_cast<int>(q) - kFirstEnergyQuantity]; }
};

// Per phase (index 1..3) and their sum (index 0), as Binding::phase numbers them.
struct SecondPowers {
  QuantityPowers phase[metrology::kMaxPhases + 1];
};

}  // namespace metergen::energy
