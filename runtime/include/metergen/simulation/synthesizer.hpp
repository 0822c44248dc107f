// The simulated analogue front end: turns a Scenario into the ADC frames a
// real front end would deliver (hal::AdcFrame), one sample period apart.
//
// Owns: the waveform model (fundamental and harmonics per phase, voltage angles,
// frequency per segment, neutral current), the ADC model (scaling, rounding,
// clamping at full scale, deterministic noise) and the front end a model's
// measuring hardware gets (front_end_for). May call: nothing but its own
// headers, scenario.hpp, hal.hpp (types only) and model_tables.hpp.
//
// Accuracy: the waveform before quantisation is exact to about 1e-15 relative
// at any sample, however long the run. The phase is a 64-bit accumulator in
// fractions of a turn (wraps exactly, never drifts) and sine/cosine are
// polynomials of double precision. This is test-signal code: double arithmetic
// per sample is the price of that accuracy (on Cortex-M4 it is soft-float, about
// one sine/cosine pair per harmonic order per sample).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/scenario.hpp>
#include <metergen/simulation/timeline.hpp>

namespace metergen::simulation {

// The simulated front end's sample rate; harmonics must stay below half of it.
inline constexpr std::uint32_t kSampleRateHz = 4000;
inline constexpr std::uint8_t kVoltageBits = 16;
inline constexpr std::uint8_t kCurrentBits = 24;

// The front end for a model's measuring hardware: kSampleRateHz, 16-bit
// voltage and 24-bit current channels, and full-scale peaks of 1.2 x sqrt(2)
// times the largest reference voltage (voltage_max_mv) and Imax (max_current_ma),
// rounded up to the next mV / mA: 20 % headroom above the largest sine a
// compliant load produces.
hal::FrontEnd front_end_for(const tables::MeteringDef& metering);

// An angle as a fraction of a turn scaled by 2^64: 2^62 is 90 degrees. Unsigned
// arithmetic on it wraps exactly at a full turn.
using Turns = std::uint64_t;

// degrees (any sign or size) -> Turns.
Turns turns_from_degrees(double degrees);

struct SinCos {
  double sin;
  double cos;
};
// sin and cos of an angle, within 2e-16 absolute.
SinCos sin_cos(Turns angle);

// The waveform of one instant in volts and amperes, before the ADC.
struct Analog {
  double voltage[3];
  double current[4];  // L1..L3, neutral
};

class Synthesizer {
 public:
  // `phases` 1 or 3: channels of absent phases stay 0, as does the neutral
  // channel when `neutral` is false. The scenario must outlive the synthesizer.
  Synthesizer(const Scenario& scenario, const hal::FrontEnd& front_end, std::uint8_t phases, bool neutral = true);

  // The next frame; then the synthesizer is one sample period later.
  void next(hal::AdcFrame& out);
  // n frames into out (next() n times).
  void generate(hal::AdcFrame* out, std::size_t n);
  // The waveform of the frame next() returns next, in volts and amperes.
  void analog(Analog& out) const;

  // The supply relay behind the inputs: while it is open (false) no load
  // current flows (simulation::without_load): the current channels carry
  // only noise, the voltages stay. From the next frame on.
  void set_load_connected(bool connected);
  bool load_connected() const { return load_connected_; }

  // Moves n sample periods on without producing frames (n <= samples_left_in_segment()):
  // meter time during which nothing is sampled (the meter is off). The waveform
  // runs on: the next frame is the one next() would give after n calls.
  void skip(std::uint64_t n);

  // Samples produced or skipped so far: the meter time elapsed since the start, in sample periods.
  std::uint64_t samples() const { return timeline_.position(); }
  // The segment the next frame belongs to (index into Scenario::segments).
  std::uint16_t segment() const { return timeline_.segment(); }
  // Completed passes through every segment (only a repeating scenario completes any).
  std::uint32_t pass() const { return timeline_.pass(); }
  // The sample at which the current segment began.
  std::uint64_t segment_start() const { return timeline_.segment_start(); }
  // Frames until the next segment begins; UINT64_MAX when the current one is held for ever.
  std::uint64_t samples_left_in_segment() const { return timeline_.left_in_segment(); }
  const Timeline& timeline() const { return timeline_; }

 private:
  // Channel order in the tone table: voltages L1..L3, currents L1..L3, neutral.
  static constexpr int kChannels = 7;
  static constexpr int kNeutral = 6;
  // Orders present in one segment: the fundamental and up to kMaxHarmonics per phase.
  static constexpr int kMaxTones = 1 + 3 * kMaxHarmonics;

  // One frequency component: channel c contributes sin_coef[c] * sin(order * theta)
  // + cos_coef[c] * cos(order * theta), in volts or amperes.
  struct Tone {
    std::uint32_t order;
    double sin_coef[kChannels];
    double cos_coef[kChannels];
  };

  void enter(std::uint16_t segment);
  // The tone of `order` in the table, added when missing (orders repeat across phases).
  Tone& tone(std::uint32_t order);
  // Adds amplitude_rms * sqrt(2) * sin(order * theta + angle) to channel c.
  void add(int channel, std::uint32_t order, double amplitude_rms, Turns angle);
  void add_phase(int p, const PhaseLoad& load);
  void compute(double* values) const;
  std::int32_t quantise(double value, double codes_per_unit, std::int32_t max_code);
  double noise();
  bool channel_used(int channel) const;
  double load_scale() const {
    return load_connected_ || timeline_.current().relay_bypassed ? 1.0 : 0.0;
  }

  const Scenario& scenario_;
  const std::uint8_t phases_;
  const bool neutral_;
  const std::uint32_t sample_rate_hz_;
  double voltage_codes_per_volt_ = 0;
  double current_codes_per_amp_ = 0;
  std::int32_t voltage_max_code_ = 0;
  std::int32_t current_max_code_ = 0;
  double noise_scale_ = 0;  // codes per unit of the generator's raw sum

  Turns theta_ = 0;  // fundamental angle of the L1 voltage reference at the next sample
  Turns step_ = 0;   // per sample, from the segment's frequency
  Tone tones_[kMaxTones] = {};
  int tone_count_ = 0;

  Timeline timeline_;
  std::uint64_t noise_state_;
  bool load_connected_ = true;
};

}  // namespace metergen::simulation
