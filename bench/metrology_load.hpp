// The load both metrology instruction benches measure (metrology_instructions.cpp
// under callgrind on the host, metrology_guest.cpp in QEMU on the Cortex-M4):
// the front end an HXF300-class meter gets (4000 Hz, 16-bit voltage, 24-bit
// current); 3 x 230 V, 5 A, PF 0.5 inductive, 5th and 7th harmonics, 50.37 Hz
// (crossings do not fall on the sample grid), neutral channel on; 10 seconds.
#pragma once

#include <metergen/model_tables.hpp>

#include "test_metrology_signal.hpp"

namespace metergen::metrology::bench {

inline constexpr tables::MeteringDef kHxf300{true, true, 57700, 277000, 5000, 10000, 5, 50, 10000, 10000, "0.2S", "1S"};
inline constexpr int kSeconds = 10;

inline test::Signal load() {
  test::Signal s;
  s.frequency_hz = 50.37;
  const double angle[3] = {0, -120, 120};
  for (int p = 0; p < 3; ++p) {
    s.phase[p] = {230, 5, 60, angle[p], {{5, 4, 20, 30}, {7, 3, 10, -45}}};
  }
  return s;
}

}  // namespace metergen::metrology::bench
