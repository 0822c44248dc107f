// Test signals for the metrology tests: sines with harmonics, DC offsets and
// front-end errors, computed with <cmath> and quantised like the front end
// (hal::FrontEnd: code 2^(bits-1) = full-scale peak), plus a HAL that records
// pulses. Independent of the runtime's own maths and of simulation::Synthesizer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::metrology::test {

inline constexpr double kPi = 3.14159265358979323846;

// A harmonic of a phase, relative to its fundamental: voltage sqrt(2) * V *
// v_percent/100 * cos(h (wt + v_angle)), current the same with I and
// i_percent, lagging its voltage harmonic by i_lag_deg.
struct Tone {
  int order;
  double v_percent;
  double i_percent;
  double i_lag_deg;
};

struct PhaseSignal {
  double v_rms = 0;         // V, fundamental
  double i_rms = 0;         // A, fundamental
  double lag_deg = 0;       // the fundamental current lags its voltage by this angle
  double v_angle_deg = 0;   // of the fundamental voltage: 0, -120, 120 for a positive sequence
  std::vector<Tone> harmonics;
};

struct Signal {
  double frequency_hz = 50;
  PhaseSignal phase[3];
  double neutral_rms = 0;      // A, a fundamental in phase with L1's voltage
  double v_dc[3] = {0, 0, 0};  // offsets in ADC codes
  double i_dc[4] = {0, 0, 0, 0};
  // What the front end gets wrong: channel gains and an extra current lag (degrees).
  double v_gain[3] = {1, 1, 1};
  double i_gain[4] = {1, 1, 1, 1};
  double i_extra_lag_deg[3] = {0, 0, 0};
};

// The closed-form values of one phase (harmonics are orthogonal to the
// fundamental and to each other over whole cycles):
//   V^2 = V1^2 (1 + sum a_h^2), I^2 likewise, P = sum_h Vh Ih cos(phi_h),
//   Q1 = V1 I1 sin(phi_1), THD = sqrt(sum a_h^2).
struct Expected {
  double v_rms, i_rms, active, reactive, apparent, thd_v, thd_i;
};

inline Expected expected(const PhaseSignal& p) {
  double v2 = 1, i2 = 1, active = p.v_rms * p.i_rms * std::cos(p.lag_deg * kPi / 180);
  for (const Tone& h : p.harmonics) {
    const double a = h.v_percent / 100, b = h.i_percent / 100;
    v2 += a * a;
    i2 += b * b;
    active += p.v_rms * a * p.i_rms * b * std::cos(h.i_lag_deg * kPi / 180);
  }
  const double v = p.v_rms * std::sqrt(v2), i = p.i_rms * std::sqrt(i2);
  return {v, i, active, p.v_rms * p.i_rms * std::sin(p.lag_deg * kPi / 180), v * i, std::sqrt(v2 - 1),
          std::sqrt(i2 - 1)};
}

// The front end a model's hardware gets: 4000 Hz, 16-bit voltage, 24-bit
// current, full-scale peaks 1.2 * sqrt(2) times the largest voltage and Imax.
inline hal::FrontEnd front_end_for(const tables::MeteringDef& m, std::uint32_t rate = 4000) {
  const double head = 1.2 * std::sqrt(2.0);
  return {rate, 16, 24, static_cast<std::uint32_t>(std::ceil(m.voltage_max_mv * head)),
          static_cast<std::uint32_t>(std::ceil(m.max_current_ma * head))};
}

class SignalSource {
 public:
  SignalSource(const Signal& s, const hal::FrontEnd& fe)
      : s_(s),
        fe_(fe),
        v_unit_(fe.voltage_full_scale_mv / 1000.0 / std::ldexp(1.0, fe.voltage_bits - 1)),
        i_unit_(fe.current_full_scale_ma / 1000.0 / std::ldexp(1.0, fe.current_bits - 1)) {}

  // A new signal from the next sample on; the fundamental's phase runs on
  // without a jump (a frequency step, a load change).
  void set(const Signal& s) { s_ = s; }

  hal::AdcFrame next() {
    const double wt = 2 * kPi * turns_;
    // Whole turns dropped at every step, so long runs keep full precision.
    turns_ = std::fmod(turns_ + s_.frequency_hz / fe_.sample_rate_hz, 1.0);
    hal::AdcFrame f{};
    for (int p = 0; p < 3; ++p) {
      const PhaseSignal& ph = s_.phase[p];
      const double a = wt + ph.v_angle_deg * kPi / 180;
      const double lag = (ph.lag_deg + s_.i_extra_lag_deg[p]) * kPi / 180;
      double v = std::cos(a), i = std::cos(a - lag);
      for (const Tone& h : ph.harmonics) {
        v += h.v_percent / 100 * std::cos(h.order * a);
        i += h.i_percent / 100 * std::cos(h.order * a - h.i_lag_deg * kPi / 180 - s_.i_extra_lag_deg[p] * kPi / 180);
      }
      f.voltage[p] = quantise(std::sqrt(2.0) * ph.v_rms * v * s_.v_gain[p] / v_unit_ + s_.v_dc[p], fe_.voltage_bits);
      f.current[p] = quantise(std::sqrt(2.0) * ph.i_rms * i * s_.i_gain[p] / i_unit_ + s_.i_dc[p], fe_.current_bits);
    }
    f.current[3] = quantise(std::sqrt(2.0) * s_.neutral_rms * std::cos(wt) * s_.i_gain[3] / i_unit_ + s_.i_dc[3],
                            fe_.current_bits);
    return f;
  }

  std::vector<hal::AdcFrame> frames(std::size_t n) {
    std::vector<hal::AdcFrame> out(n);
    for (auto& f : out) f = next();
    return out;
  }

 private:
  static std::int32_t quantise(double x, int bits) {
    const double max = std::ldexp(1.0, bits - 1) - 1;
    return static_cast<std::int32_t>(std::lround(std::fmax(-max, std::fmin(max, x))));
  }

  Signal s_;
  hal::FrontEnd fe_;
  double v_unit_, i_unit_;  // V and A per code
  double turns_ = 0;        // of L1's fundamental voltage, at the next sample
};

// Records pulses with the frame count the test had fed when each came.
class PulseHal final : public hal::Hal {
 public:
  std::uint64_t frame = 0;
  std::vector<std::uint64_t> active, reactive;

  std::uint64_t utc_ms() override { return 0; }
  bool set_utc_ms(std::uint64_t) override { return true; }
  std::uint32_t ticks_ms() override { return 0; }
  std::uint32_t nvm_size() override { return 0; }
  bool nvm_read(std::uint32_t, std::uint8_t*, std::size_t) override { return false; }
  bool nvm_write(std::uint32_t, const std::uint8_t*, std::size_t) override { return false; }
  void random(std::uint8_t*, std::size_t) override {}
  std::size_t secret(std::uint8_t, hal::Secret, std::uint8_t*, std::size_t) override { return 0; }
  void log(const char*) override {}
  void pulse(hal::PulseOutput output) override {
    (output == hal::PulseOutput::active_energy ? active : reactive).push_back(frame);
  }
};

}  // namespace metergen::metrology::test
