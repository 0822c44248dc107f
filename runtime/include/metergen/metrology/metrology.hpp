// The metrology engine: ADC frames in, one second of readings out.
//
// Owns: the per-sample kernel (sums of V, I, V^2, I^2, V*I and of V and I
// times a reference sine and cosine, zero crossings of the reference voltage,
// the pulse schedule), the per-second maths (RMS, total active power,
// fundamental reactive power, angles, THD, frequency, voltage presence, phase
// sequence, anti-creep), calibration and the meter-constant pulse outputs.
// May call: hal::Hal::pulse only. Uses the tables' MeteringDef, hal.hpp types,
// readings.hpp and scalar_math.hpp.
//
// Method (docs/metrology.md has the derivations and the measured errors):
//  * Windows of whole cycles. A second's readings cover the whole cycles of the
//    reference voltage (the first phase with voltage) that ended in it, edge to
//    edge at the interpolated zero crossings: the crossing sample is split
//    between the two windows by its fractional position. Every sample counts
//    in exactly one window; the ripple of V*I and the leakage of the DFT
//    vanish over whole cycles.
//  * DC removal by subtracting the window mean (sum(x*y) - sum(x)*sum(y)/L):
//    exact for a constant offset, no phase shift, unit gain at every frequency.
//  * Fundamental by a single-bin DFT: an NCO restarted at every zero crossing
//    and stepped by the last period, linearly interpolated sine table. The
//    fundamental is the least-squares fit of the window's samples on the
//    NCO's own cosine and sine (their sums of products are kept too), so the
//    table's rounding and interpolation errors do not bias its amplitude.
//  * Phase calibration rotates the fundamental current phasor once per second;
//    the total active power receives the change of the fundamental's part.
//  * The once-a-second maths runs in float, which the Cortex-M4's FPU executes:
//    the window's sums are exact integers until the means are removed, and
//    every per-channel factor (scaling, calibration gain and rotation) is
//    worked out when the calibration is set, so a second mostly multiplies.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::metrology {

// Front-end scaling (hal::FrontEnd): an ADC code of +-2^(bits-1) is the
// full-scale peak, so one code is full_scale / 2^(bits-1):
//   voltage [uV] = code * voltage_full_scale_mv * 1000 / 2^(voltage_bits - 1)
//   current [uA] = code * current_full_scale_ma * 1000 / 2^(current_bits - 1)
// A synthesiser quantises the other way round: code = round(value / unit).
// Metrology itself works in float (the Cortex-M4's FPU is single precision).
template <typename T = double>
constexpr T microvolts_per_code(const hal::FrontEnd& fe) {
  return fe.voltage_bits == 0 || fe.voltage_bits > 32
             ? T(0)
             : static_cast<T>(fe.voltage_full_scale_mv) * T(1000) / static_cast<T>(1ull << (fe.voltage_bits - 1));
}
template <typename T = double>
constexpr T microamps_per_code(const hal::FrontEnd& fe) {
  return fe.current_bits == 0 || fe.current_bits > 32
             ? T(0)
             : static_cast<T>(fe.current_full_scale_ma) * T(1000) / static_cast<T>(1ull << (fe.current_bits - 1));
}

// A phase has voltage (voltage_present) from this share of the lowest
// reference voltage, MeteringDef::voltage_min_mv (phase loss below it).
inline constexpr std::uint32_t kVoltagePresentPercent = 50;
// A phase creeps (powers reported as 0) below this share of the starting
// current, MeteringDef::starting_current_ma; at the starting current itself
// energy registers, with room for calibration and noise.
inline constexpr std::uint32_t kCreepPercent = 60;
// Zero crossings are accepted for the NCO from 40 Hz to 70 Hz.
inline constexpr std::uint32_t kMinFrequencyHz = 40;
inline constexpr std::uint32_t kMaxFrequencyHz = 70;

// Gains are in millionths: kUnityGain = 1.
inline constexpr std::uint32_t kUnityGain = 1'000'000;

// Per-channel corrections of the nominal front-end scaling. Defaults: identity.
struct Calibration {
  std::uint32_t voltage_gain[kMaxPhases] = {kUnityGain, kUnityGain, kUnityGain};
  std::uint32_t current_gain[kMaxPhases + 1] = {kUnityGain, kUnityGain, kUnityGain, kUnityGain};  // L1..L3, N
  // Angle by which a current channel lags the true current (its transformer's
  // or filter's phase error), in millionths of a degree; the correction
  // advances the measured fundamental current by it.
  std::int32_t current_phase_udeg[kMaxPhases] = {0, 0, 0};
};

class Metrology {
 public:
  // `phases` is 1 or 3 (a single-phase meter uses channel 0). A front end
  // with sample_rate_hz 0 makes process() do nothing.
  Metrology(const tables::MeteringDef& metering, const hal::FrontEnd& front_end, std::uint8_t phases,
            hal::Hal& hal);

  // Works out the per-channel factors the seconds multiply by (the
  // constructor sets the identity).
  void set_calibration(const Calibration& calibration);

  // The per-sample kernel over n frames, oldest first. Every sample_rate_hz
  // frames a second completes: second_ready() is true until the next call and
  // readings() holds it. A call that completes two seconds keeps only the
  // second one's readings, so give at most frames_to_second() frames per call.
  void process(const hal::AdcFrame* frames, std::size_t n);
  std::size_t frames_to_second() const { return sample_rate_hz_ - frame_in_second_; }

  bool second_ready() const { return second_ready_; }
  const Readings& readings() const { return readings_; }

  // The thresholds derived from MeteringDef (see kVoltagePresentPercent, kCreepPercent).
  float voltage_present_threshold_uv() const { return voltage_present_uv_; }
  float creep_threshold_ua() const { return creep_ua_; }

 private:
  // Sums of one window, per phase and common to all phases.
  enum PhaseTerm : int { kV, kI, kVV, kII, kVI, kVC, kVS, kIC, kIS, kPhaseTerms };
  // Neutral; the reference's cos, sin and their products (its Gram matrix).
  enum CommonTerm : int { kN, kNN, kC, kS, kCC, kSS, kCS, kCommonTerms };
  struct Sums {
    std::int64_t phase[kMaxPhases][kPhaseTerms];
    std::int64_t common[kCommonTerms];
    std::uint32_t frames;
  };
  struct Window;   // a window's sums with its fractional edges
  struct Phasor;
  struct Fit;      // least-squares fit on the NCO's cosine and sine

  template <int kPhases, bool kNeutral>
  void run(const hal::AdcFrame* frames, std::size_t n);
  template <int kPhases, bool kNeutral>
  static void add_terms(Sums& sums, const hal::AdcFrame& frame, std::int32_t c, std::int32_t s);
  std::uint32_t start_cycle(std::int32_t u);
  void close_cycle(const Sums& crossing_sample, std::uint32_t alpha);
  struct PulseTrain {
    std::int64_t acc;    // uW * imp/kWh summed per frame up to frame `from` of this second
    std::int64_t step;   // per frame, from the last second's power
    std::uint32_t from;
    std::uint32_t due;   // frame of this second in which the next pulse is due
  };
  void schedule(PulseTrain& t) const;
  void on_event();
  void end_second();
  void close_window(Window& w);
  Phasor measure_phase(const Window& w, const Fit& fit, int p, PhaseReadings& out) const;
  bool sequence_reversed(const Phasor* v, const Readings& r) const;
  void measure_frequency(Readings& r);
  void set_pulse_rates(const Readings& r);
  void select_reference(const Window& w, const Readings& r);

  hal::Hal& hal_;
  const std::uint8_t phases_;
  const bool neutral_;
  const std::uint32_t sample_rate_hz_;
  const float uv_per_code_;
  const float ua_per_code_;
  const float voltage_present_uv_;
  const float creep_ua_;
  const std::uint32_t active_per_kwh_;
  const std::uint32_t reactive_per_kvarh_;
  const std::int32_t hysteresis_;        // codes below the crossing level that arm the detector
  const std::uint32_t min_period_q16_;   // NCO tuning range, sample periods * 2^16
  const std::uint32_t max_period_q16_;
  // From the front end and the calibration (set_calibration): per channel, uV
  // or uA per code, and the rotation that corrects a current's phase.
  float uv_scale_[kMaxPhases];
  float ua_scale_[kMaxPhases + 1];
  float turn_cos_[kMaxPhases];
  float turn_sin_[kMaxPhases];

  // Kernel state.
  Sums acc_ = {};                  // since the window began (the last crossing of the last second)
  std::uint32_t nco_phase_ = 0;    // 2^32 = one turn; 0 at the reference's positive zero crossing
  std::uint32_t nco_inc_ = 0;      // per sample
  std::uint8_t ref_ = 0;           // reference phase
  std::int32_t ref_dc_ = 0;        // its crossing level, near its DC level (a window mean), codes
  std::int32_t prev_u_ = 0;        // last sample of the reference, crossing level removed
  bool armed_ = false;             // the reference went below -hysteresis_ since its last crossing
  std::uint32_t frame_in_second_ = 0;
  PulseTrain pulse_[2] = {{0, 0, 0, 0xFFFFFFFFu}, {0, 0, 0, 0xFFFFFFFFu}};  // active, reactive
  const std::int64_t pulse_quantum_;     // one pulse: 3.6e12 uJ/kWh * sample_rate_hz
  std::uint32_t next_event_;             // frame_in_second_ of the next pulse or of the second's end

  // Window state, updated at crossings (about once per 80 frames).
  Sums snap_ = {};                 // acc_ at the last crossing of this second
  Sums last_sample_ = {};          // that crossing's sample alone
  std::uint32_t last_alpha_ = 0;   // its share after the crossing, 2^16 = 1
  Sums start_sample_ = {};         // the crossing sample the window began with
  std::uint32_t start_alpha_ = 0;
  bool start_split_ = false;       // the window began at a crossing
  std::uint32_t crossings_ = 0;    // in this second
  std::uint32_t cycles_ = 0;       // whole cycles the window gained in this second
  std::uint32_t last_cross_q16_ = 0;  // time of the last crossing, frames * 2^16 (modulo 2^32)
  bool cross_valid_ = false;          // last_cross_q16_ is a recent crossing of the reference
  bool tuned_ = false;                // the NCO was tuned at the last crossing (a period within range)
  std::uint32_t freq_t0_q16_ = 0;     // first crossing of the frequency measurement
  std::uint32_t freq_cycles_ = 0;     // whole cycles since freq_t0_q16_

  std::uint32_t second_count_ = 0;
  bool second_ready_ = false;
  Readings readings_ = {};
};

}  // namespace metergen::metrology
