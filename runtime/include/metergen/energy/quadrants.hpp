// Quadrant mapping: one second of metrology::Readings (secondary side) to the
// powers every energy and demand register integrates (primary side), per phase
// and for the sum of phases.
//
// Owns: the instrument transformer ratios as applied to powers, voltages and
// currents, and the split of signed active/reactive power into the quantities
// of tables::Quantity (IEC 62053-23 quadrants, consumer view). May call:
// nothing but the seam headers.
//
// Totals (phase 0) are the quadrant mapping of the summed power: P and Q are
// added over the phases first, so a phase exporting while another imports
// nets out as in one polyphase measuring element (docs/energy.md). Apparent
// power is the arithmetic sum of the phases' V*I.
#pragma once

#include <cstdint>

#include <metergen/energy/powers.hpp>
#include <metergen/metrology/readings.hpp>

namespace metergen::energy {

// CT and VT ratios as numerator/denominator (objects 1.0.0.4.2/5 and
// 1.0.0.4.3/6); 1/1 for direct-connected meters.
struct Ratios {
  std::uint32_t ct_num = 1, ct_den = 1;
  std::uint32_t vt_num = 1, vt_den = 1;
};

// v * num / den rounded to nearest (half away from zero), exact for every
// 64-bit v and 32-bit num, den != 0; saturates at the int64 range.
std::int64_t mul_ratio(std::int64_t v, std::uint32_t num, std::uint32_t den);

inline std::int64_t primary_current(std::int64_t ua, const Ratios& r) { return mul_ratio(ua, r.ct_num, r.ct_den); }
inline std::int64_t primary_voltage(std::int64_t uv, const Ratios& r) { return mul_ratio(uv, r.vt_num, r.vt_den); }
inline std::int64_t primary_power(std::int64_t uw, const Ratios& r) {
  return mul_ratio(mul_ratio(uw, r.ct_num, r.ct_den), r.vt_num, r.vt_den);
}

// The quantities of one signed (P, Q) pair and its apparent power S >= 0.
// P = 0 counts as import (QI/QIV, +S).
QuantityPowers split_quadrants(std::int64_t p_uw, std::int64_t q_uvar, std::int64_t s_uva);

// Every phase of `r` (r.phases of them) and their sum, on the primary side.
SecondPowers map_quadrants(const metrology::Readings& r, const Ratios& ratios);

}  // namespace metergen::energy
