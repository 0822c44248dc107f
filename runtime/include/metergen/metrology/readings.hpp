// What metrology hands the energy, demand and register engines once per
// second: integer values in fixed units, measured on the secondary side of any
// instrument transformers (the register layer applies CT/PT ratios).
//
// Sign conventions (IEC 62053-23 quadrants, consumer view): active power is
// positive when imported (QI, QIV) and reactive power positive in QI and QII
// (current lagging the voltage by 0..180 degrees). QI: +P +Q, QII: -P +Q,
// QIII: -P -Q, QIV: +P -Q. One second of power in uW is one second's energy
// in uJ: the energy engine integrates these values.
#pragma once

#include <cstdint>

namespace metergen::metrology {

inline constexpr int kMaxPhases = 3;

struct PhaseReadings {
  std::int64_t voltage_uv;        // RMS, DC removed
  std::int64_t current_ua;        // RMS, DC removed
  std::int64_t active_uw;         // total (fundamental and harmonics); + import
  std::int64_t reactive_uvar;     // fundamental only (IEC 62053-24); + lagging current
  std::int64_t apparent_uva;      // voltage_rms * current_rms
  std::int32_t power_factor_milli;   // active / apparent, signed as active, 1000 = 1
  std::int32_t vi_angle_mdeg;        // angle of I relative to V (fundamental), 0..359999
  std::int32_t voltage_angle_mdeg;   // angle of this phase's voltage relative to L1, 0..359999
  std::uint32_t thd_voltage_ppm;     // sqrt(V^2 - V1^2) / V1, fundamental-referenced
  std::uint32_t thd_current_ppm;
  bool voltage_present;           // above the voltage threshold (phase-loss detection)
  bool creeping;                  // below the starting current: powers reported as 0 (anti-creep)
};

struct Readings {
  std::uint32_t second;           // counts metrology seconds since boot (sample-driven)
  std::uint8_t phases;
  PhaseReadings phase[kMaxPhases];
  std::int64_t neutral_current_ua;
  std::uint32_t frequency_mhz;    // of the first phase with voltage; 0 = none
  bool phase_sequence_reversed;   // L1-L2-L3 order is not the positive sequence
};

}  // namespace metergen::metrology
