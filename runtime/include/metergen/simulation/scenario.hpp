// The simulated analogue front end's input: a scenario of timed segments, the
// same model for the host meter (read from a scenario file, docs/scenario.md)
// and for firmware images without an ADC (compiled into the image).
//
// Plain constant data, like the model tables: a scenario is trusted once it
// has been checked (metergen scenario check).
#pragma once

#include <cstdint>

#include <metergen/hal.hpp>

namespace metergen::simulation {

inline constexpr int kMaxHarmonics = 8;

// The names a scenario's `press:` and `inputs:` and the control commands
// (panel.hpp) give the buttons and inputs, in hal::Button and hal::Input order.
inline constexpr const char* kButtonNames[] = {"display", "billing", "reconnect"};
inline constexpr const char* kInputNames[] = {"meter_cover_open",   "terminal_cover_open", "module_removed",
                                              "magnetic_field",     "battery_cover_open",  "low_battery",
                                              "over_temperature"};
inline constexpr std::uint8_t kButtonCount = sizeof kButtonNames / sizeof kButtonNames[0];
static_assert(sizeof kInputNames / sizeof kInputNames[0] == hal::kInputCount);
static_assert(hal::button_bit(hal::Button::reconnect) == 1u << (kButtonCount - 1));

// One harmonic of a phase, relative to that phase's fundamental. The voltage
// harmonic of order h is sin(h * theta) where theta is the phase's fundamental
// voltage angle, so triplen harmonics of a balanced system are in phase on L1..L3.
struct Harmonic {
  std::uint8_t order;           // 2..40 (and below half the sample rate)
  double voltage_percent;       // amplitude, % of the fundamental voltage
  double current_percent;       // amplitude, % of the fundamental current
  double phase_deg;             // the current harmonic lags the voltage harmonic by this angle
};

struct PhaseLoad {
  double voltage_rms;           // V, fundamental; 0 = phase lost
  double current_rms;           // A, fundamental
  double angle_deg;             // current lags voltage by this angle (60 = PF 0.5 inductive, -36.87 = 0.8 capacitive;
                                // 180 more = the current reversed, exported)
  double voltage_angle_deg;     // of this phase's voltage: 0, -120, +120 (240) for a positive sequence
  std::uint8_t harmonic_count;
  Harmonic harmonics[kMaxHarmonics];
};

struct Segment {
  const char* name;             // for logs; "" = none
  std::uint32_t duration_s;
  double frequency_hz;
  PhaseLoad phase[3];           // a single-phase meter uses phase[0]
  double neutral_current_rms;   // A, fundamental in phase with L1's current; < 0 = the sum of the phase currents
  bool power_off = false;       // the meter is unpowered for the whole segment (RAM lost, NVM kept, the clock runs on)
  std::uint8_t buttons = 0;     // held down for the whole segment: hal::button_bit per hal::Button
  std::uint8_t inputs = 0;      // active for the whole segment: hal::input_bit per hal::Input
  bool relay_bypassed = false;  // the load is wired around the supply relay: its current flows with the relay open
  const char* keys = "";        // typed on the keypad when the segment starts: digits, hal::kKeyBack, hal::kKeyEnter
};

// The segment as the meter's inputs see it while its supply relay is open:
// the voltages stay (the meter measures on the grid side), no load current
// flows in any phase or the neutral, unless the relay is bypassed.
constexpr Segment without_load(const Segment& s) {
  Segment cut = s;
  if (s.relay_bypassed) return cut;
  for (PhaseLoad& p : cut.phase) p.current_rms = 0;
  if (cut.neutral_current_rms > 0) cut.neutral_current_rms = 0;
  return cut;
}

// How a scenario is played. samples: ADC frames (Synthesizer) through
// metrology, like real hardware; readings: each metering second's readings in
// closed form (readings_of, closed_form.hpp), no samples at all.
enum class Fidelity : std::uint8_t { samples, readings };

struct Scenario {
  const Segment* segments;
  std::uint16_t segment_count;
  bool repeat;                  // start again after the last segment (else hold it)
  std::uint32_t seed;           // of the noise generator: same seed, same samples
  double noise_lsb;             // RMS noise added to every channel, in ADC codes
  Fidelity fidelity = Fidelity::samples;
};

}  // namespace metergen::simulation
