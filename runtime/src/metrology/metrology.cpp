// The metrology engine (metrology.hpp): the per-sample kernel, integer only,
// and the once-per-second maths in float. May call: hal::Hal::pulse and
// scalar_math.hpp; nothing else.
#include <metergen/metrology/metrology.hpp>
#include <metergen/metrology/scalar_math.hpp>

namespace metergen::metrology {
namespace {

// The NCO's sine table: 2^10 steps per turn, linearly interpolated with a
// 15-bit fraction of a step, amplitude 32767 (Q15).
constexpr int kTableBits = 10;
constexpr int kTableSize = 1 << kTableBits;
constexpr int kQuarter = kTableSize / 4;
constexpr int kFracBits = 15;
constexpr double kAmplitude = 32767;

constexpr std::uint32_t kNoCrossing = 0xFFFFFFFFu;
constexpr std::uint32_t kNever = 0xFFFFFFFFu;  // no pulse due in this second
// 1 kWh = 3.6e12 uJ: a pulse is due when the sum of uW * (imp/kWh), one term per
// frame, reaches 3.6e12 * frames per second (exact integers, no drift).
constexpr std::int64_t kMicrojoulesPerKwh = 3'600'000'000'000;

// sin(2 pi k / kTableSize) in Q15 for k = 0 .. kTableSize + kQuarter: cos is
// the same table a quarter turn on, and the last entry is the interpolation's
// upper neighbour of the last step.
struct SineTable {
  std::int16_t v[kTableSize + kQuarter + 1];
};

constexpr SineTable make_sine_table() {
  SineTable t{};
  for (int k = 0; k <= kTableSize + kQuarter; ++k)
    t.v[k] = static_cast<std::int16_t>(math::round_to_int(kAmplitude * math::sin_cos(2 * math::kPi * k / kTableSize).sin));
  return t;
}

constexpr SineTable kSine = make_sine_table();

// The NCO's cosine and sine at `phase` (2^32 = one turn).
struct Reference {
  std::int32_t c, s;
};

inline Reference reference(std::uint32_t phase) {
  const std::uint32_t k = phase >> (32 - kTableBits);
  const auto frac = static_cast<std::int32_t>((phase >> (32 - kTableBits - kFracBits)) & ((1u << kFracBits) - 1));
  const std::int16_t* t = kSine.v + k;
  return {t[kQuarter] + (((t[kQuarter + 1] - t[kQuarter]) * frac) >> kFracBits),
          t[0] + (((t[1] - t[0]) * frac) >> kFracBits)};
}

struct Complex {
  float re, im;
};

constexpr Complex operator*(Complex a, Complex b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
constexpr Complex operator*(Complex a, float k) { return {a.re * k, a.im * k}; }
constexpr Complex conj(Complex a) { return {a.re, -a.im}; }
constexpr float norm2(Complex a) { return a.re * a.re + a.im * a.im; }

// The angle of z in millidegrees, 0..359999.
std::int32_t angle_mdeg(Complex z) {
  auto mdeg = math::round_to_int(math::atan2(z.im, z.re) * static_cast<float>(180000 / math::kPi));
  if (mdeg < 0) mdeg += 360000;
  return static_cast<std::int32_t>(mdeg == 360000 ? 0 : mdeg);
}

// A float-float number hi + lo (about 48 bits) with Dekker's exact sum and
// product: THD is the small difference of a channel's square sum and its
// fundamental's, which float alone (24 bits) leaves at a few 1e-4.
struct Wide {
  float hi, lo;
};

Wide two_sum(float a, float b) {
  const float s = a + b, bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

// The upper and lower 12 bits of a's mantissa (Veltkamp's split).
Wide split(float a) {
  const float c = 4097.0f * a;
  const float hi = c - (c - a);
  return {hi, a - hi};
}

Wide wide(std::int64_t v) {
  const auto hi = static_cast<float>(v);
  return {hi, static_cast<float>(v - static_cast<std::int64_t>(hi))};
}

Wide operator+(Wide a, Wide b) {
  const Wide s = two_sum(a.hi, b.hi);
  return two_sum(s.hi, s.lo + a.lo + b.lo);
}
Wide operator-(Wide a, float b) { return a + Wide{-b, 0}; }

Wide operator*(Wide a, Wide b) {
  const float p = a.hi * b.hi;
  const Wide x = split(a.hi), y = split(b.hi);
  const float e = ((x.hi * y.hi - p) + x.hi * y.lo + x.lo * y.hi) + x.lo * y.lo;
  return two_sum(p, e + (a.hi * b.lo + a.lo * b.hi));
}

Wide operator/(Wide a, Wide b) {
  const float q = a.hi / b.hi;
  const Wide r = a + Wide{-q, 0} * b;
  return two_sum(q, r.hi / b.hi);
}

// |power| * meter constant, the pulse accumulator's step per frame, at most one pulse per frame.
std::int64_t pulse_step(std::int64_t power, std::uint32_t per_kwh, std::int64_t quantum) {
  const std::int64_t magnitude = power < 0 ? -power : power;
  if (per_kwh == 0) return 0;
  return magnitude >= quantum / per_kwh ? quantum : magnitude * per_kwh;
}

std::int32_t hysteresis_codes(float present_uv, float uv_per_code) {
  // A quarter of the peak of the smallest voltage that counts as present.
  const float codes = uv_per_code > 0 ? present_uv * 1.41421356f / uv_per_code / 4 : 0;
  return codes >= 1 ? static_cast<std::int32_t>(codes) : 1;
}

// num / den (den > 0), rounded to the nearest integer, halves away from zero.
std::int64_t divide_rounded(std::int64_t num, std::int64_t den) {
  return (num >= 0 ? num + den / 2 : num - den / 2) / den;
}

}  // namespace

// A window's sums: the integer sums plus the fractional shares of the
// crossing samples at its two edges (rounded down, so less than one unit of a
// sum is lost), frames in 2^-16. Exact integers until the means are removed.
struct Metrology::Window {
  std::int64_t phase[kMaxPhases][kPhaseTerms];
  std::int64_t common[kCommonTerms];
  std::int64_t frames_q16;

  // Adds s * share / 2^shift: whole sums with share 1 and shift 0, a single
  // sample's terms (at most 2^47) with a share in 2^-16.
  void add(const Sums& s, std::int64_t share, int shift) {
    for (int p = 0; p < kMaxPhases; ++p)
      for (int t = 0; t < kPhaseTerms; ++t) phase[p][t] += (s.phase[p][t] * share) >> shift;
    for (int t = 0; t < kCommonTerms; ++t) common[t] += (s.common[t] * share) >> shift;
    frames_q16 += (std::int64_t{s.frames} * share) << (16 - shift);
  }
};

struct Metrology::Phasor : Complex {};

namespace {

}  // namespace

// The least-squares fit of a window on the NCO's centred cosine and sine.
// With c = T cos(phi), s = T sin(phi), the fit bc c + bs s is the sinusoid
// whose RMS phasor is T / sqrt(2) * (bc - j bs); T^2 is the mean of c^2 + s^2.
// Also the window's 1 / frames, the one division of the second besides the
// determinant's.
struct Metrology::Fit {
  float per_frame, c, s, gcc, gss, gcs, per_det, rms;
  // For THD: the Gram matrix as G = [1 0; k 1] diag(gcc, gss - k gcs) [1 k; 0 1].
  Wide wide_gcc, wide_gss_rest;
  float k;

  explicit Fit(const Window& w)
      : per_frame(w.frames_q16 > 0 ? 65536.0f / static_cast<float>(w.frames_q16) : 0),
        c(static_cast<float>(w.common[kC])),
        s(static_cast<float>(w.common[kS])),
        gcc(static_cast<float>(w.common[kCC]) - c * c * per_frame),
        gss(static_cast<float>(w.common[kSS]) - s * s * per_frame),
        gcs(static_cast<float>(w.common[kCS]) - c * s * per_frame) {
    const float det = gcc * gss - gcs * gcs;
    per_det = det > 0 ? 1 / det : 0;
    rms = math::sqrt((gcc + gss) * per_frame) * 0.70710678f;
    // The small corrections (the means' parts, the reference's slight
    // non-orthogonality) are exact enough in float; the bulk is not.
    k = gcc > 0 ? gcs / gcc : 0;
    wide_gcc = wide(w.common[kCC]) - c * c * per_frame;
    wide_gss_rest = wide(w.common[kSS]) - s * s * per_frame - k * gcs;
  }

  // The mean of a channel's sum x over the window.
  float mean(std::int64_t x) const { return static_cast<float>(x) * per_frame; }

  // A channel's fundamental in codes, its RMS phasor, from its sums with the
  // reference and its window mean.
  Complex solve(std::int64_t sum_xc, std::int64_t sum_xs, float x_mean) const {
    const float xc = static_cast<float>(sum_xc) - x_mean * c, xs = static_cast<float>(sum_xs) - x_mean * s;
    const float bc = (gss * xc - gcs * xs) * per_det, bs = (gcc * xs - gcs * xc) * per_det;
    return {rms * bc, -rms * bs};
  }

  // THD in ppm: sqrt(residual / fitted) of the centred square sum, where the
  // fitted part is X' G^-1 X = xc^2 / gcc + (xs - k xc)^2 / (gss - k gcs),
  // exact whatever the NCO's amplitude and orthogonality.
  std::uint32_t thd_ppm(std::int64_t sum_x, std::int64_t sum_xx, std::int64_t sum_xc, std::int64_t sum_xs) const {
    if (!(wide_gcc.hi > 0) || !(wide_gss_rest.hi > 0)) return 0;
    const auto x = static_cast<float>(sum_x);
    const float x_mean = x * per_frame;
    const Wide xc = wide(sum_xc) - x_mean * c;
    const Wide xs = wide(sum_xs) - x_mean * s - k * xc.hi;
    const Wide fitted = xc * xc / wide_gcc + xs * xs / wide_gss_rest;
    const Wide residual = wide(sum_xx) - x * x_mean + Wide{-fitted.hi, -fitted.lo};
    if (!(fitted.hi > 0) || !(residual.hi > 0)) return 0;
    const float thd = math::sqrt(residual.hi / fitted.hi) * 1e6f;
    return thd >= 4e9f ? 4'000'000'000u : static_cast<std::uint32_t>(math::round_to_int(thd));
  }
};

Metrology::Metrology(const tables::MeteringDef& metering, const hal::FrontEnd& front_end, std::uint8_t phases,
                     hal::Hal& hal)
    : hal_(hal),
      phases_(phases == 3 ? 3 : 1),
      neutral_(metering.neutral_current),
      sample_rate_hz_(front_end.sample_rate_hz),
      uv_per_code_(microvolts_per_code<float>(front_end)),
      ua_per_code_(microamps_per_code<float>(front_end)),
      voltage_present_uv_(static_cast<float>(metering.voltage_min_mv * std::uint64_t{1000} * kVoltagePresentPercent / 100)),
      creep_ua_(static_cast<float>(metering.starting_current_ma * std::uint64_t{1000} * kCreepPercent / 100)),
      active_per_kwh_(metering.active_imp_per_kwh),
      reactive_per_kvarh_(metering.reactive_imp_per_kvarh),
      hysteresis_(hysteresis_codes(voltage_present_uv_, uv_per_code_)),
      min_period_q16_(static_cast<std::uint32_t>(static_cast<std::uint64_t>(sample_rate_hz_) * 65536 / kMaxFrequencyHz)),
      max_period_q16_(static_cast<std::uint32_t>(static_cast<std::uint64_t>(sample_rate_hz_) * 65536 / kMinFrequencyHz)),
      pulse_quantum_(kMicrojoulesPerKwh * sample_rate_hz_),
      next_event_(sample_rate_hz_) {
  const std::uint32_t nominal_hz = metering.frequency_hz != 0 ? metering.frequency_hz : 50;
  if (sample_rate_hz_ > nominal_hz) nco_inc_ = static_cast<std::uint32_t>((std::uint64_t{nominal_hz} << 32) / sample_rate_hz_);
  set_calibration(Calibration{});
}

void Metrology::set_calibration(const Calibration& calibration) {
  constexpr float kRadiansPerUdeg = static_cast<float>(math::kPi / 180e6);
  for (int p = 0; p < kMaxPhases; ++p) {
    uv_scale_[p] = uv_per_code_ * (static_cast<float>(calibration.voltage_gain[p]) / kUnityGain);
    const auto turn = math::sin_cos(static_cast<float>(calibration.current_phase_udeg[p]) * kRadiansPerUdeg);
    turn_cos_[p] = turn.cos;
    turn_sin_[p] = turn.sin;
  }
  for (int c = 0; c <= kMaxPhases; ++c)
    ua_scale_[c] = ua_per_code_ * (static_cast<float>(calibration.current_gain[c]) / kUnityGain);
}

void Metrology::process(const hal::AdcFrame* frames, std::size_t n) {
  second_ready_ = false;
  if (sample_rate_hz_ == 0) return;
  if (phases_ == 1)
    neutral_ ? run<1, true>(frames, n) : run<1, false>(frames, n);
  else
    neutral_ ? run<3, true>(frames, n) : run<3, false>(frames, n);
}

template <int kPhases, bool kNeutral>
[[gnu::always_inline]] inline void Metrology::add_terms(Sums& sums, const hal::AdcFrame& frame, std::int32_t c, std::int32_t s) {
  for (int p = 0; p < kPhases; ++p) {
    const std::int64_t v = frame.voltage[p], i = frame.current[p];
    std::int64_t* t = sums.phase[p];
    t[kV] += v;
    t[kI] += i;
    t[kVV] += v * v;
    t[kII] += i * i;
    t[kVI] += v * i;
    t[kVC] += v * c;
    t[kVS] += v * s;
    t[kIC] += i * c;
    t[kIS] += i * s;
  }
  if constexpr (kNeutral) {
    const std::int64_t n = frame.current[kMaxPhases];
    sums.common[kN] += n;
    sums.common[kNN] += n * n;
  }
  sums.common[kC] += c;
  sums.common[kS] += s;
  sums.common[kCC] += std::int64_t{c} * c;
  sums.common[kSS] += std::int64_t{s} * s;
  sums.common[kCS] += std::int64_t{c} * s;
  ++sums.frames;
}

template <int kPhases, bool kNeutral>
void Metrology::run(const hal::AdcFrame* frames, std::size_t n) {
  for (const hal::AdcFrame* f = frames; f != frames + n; ++f) {
    // Zero crossing of the reference voltage (rising through its crossing
    // level, near its DC level); the NCO restarts there, otherwise it steps on.
    const std::int32_t u = f->voltage[ref_] - ref_dc_;
    std::uint32_t alpha = kNoCrossing;
    if (armed_ && u >= 0) {
      alpha = start_cycle(u);
    } else {
      nco_phase_ += nco_inc_;
      if (u < -hysteresis_) armed_ = true;
    }
    prev_u_ = u;
    const Reference r = reference(nco_phase_);
    add_terms<kPhases, kNeutral>(acc_, *f, r.c, r.s);
    if (alpha != kNoCrossing) {
      Sums sample = {};
      add_terms<kPhases, kNeutral>(sample, *f, r.c, r.s);
      close_cycle(sample, alpha);
    }
    if (++frame_in_second_ == next_event_) on_event();
  }
}

// At the reference's zero crossing in the current frame (u >= 0 > prev_u_):
// the crossing's position by linear interpolation, the NCO retuned to the
// period just ended (within the tuning range) and restarted at the crossing.
// Returns alpha, the share of this frame's sample period after the crossing
// (2^16 = 1).
std::uint32_t Metrology::start_cycle(std::int32_t u) {
  const auto alpha = static_cast<std::uint32_t>((std::int64_t{u} << 16) / (std::int64_t{u} - prev_u_));
  const std::uint32_t frame = second_count_ * sample_rate_hz_ + frame_in_second_;  // modulo 2^32
  const std::uint32_t t = (frame << 16) - alpha;
  const std::uint32_t period = t - last_cross_q16_;
  tuned_ = cross_valid_ && period >= min_period_q16_ && period <= max_period_q16_;
  if (tuned_) {
    nco_inc_ = static_cast<std::uint32_t>((std::uint64_t{1} << 48) / period);
    ++freq_cycles_;
  } else {
    freq_t0_q16_ = t;
    freq_cycles_ = 0;
  }
  last_cross_q16_ = t;
  cross_valid_ = true;
  armed_ = false;
  ++crossings_;
  nco_phase_ = static_cast<std::uint32_t>((std::uint64_t{alpha} * nco_inc_) >> 16);
  return alpha;
}

// The window may end here: remember the sums so far and this sample, whose
// share before the crossing (1 - alpha) belongs to this window. A window that
// did not begin at a crossing (at start, when the reference voltage comes back
// or the reference changes) begins here instead, once the NCO has been tuned
// to a whole period: the samples before, two or three cycles at most, are
// dropped so that every window holds whole cycles of a tuned NCO.
void Metrology::close_cycle(const Sums& crossing_sample, std::uint32_t alpha) {
  if (!start_split_) {
    acc_ = {};
    if (tuned_) {
      start_sample_ = crossing_sample;
      start_alpha_ = alpha;
      start_split_ = true;
    }
    return;
  }
  snap_ = acc_;
  last_sample_ = crossing_sample;
  last_alpha_ = alpha;
  ++cycles_;
}

// The window of this second: from the crossing that ended the last one (its
// share alpha after the crossing) to the last crossing of this second (its
// share 1 - alpha). The frames after that crossing carry over. Without a
// crossing the window takes everything and the next one starts afresh.
void Metrology::close_window(Window& w) {
  w = {};
  if (start_split_) w.add(start_sample_, start_alpha_, 16);
  if (cycles_ > 0) {
    w.add(snap_, 1, 0);
    w.add(last_sample_, -std::int64_t{last_alpha_}, 16);
    for (int p = 0; p < kMaxPhases; ++p)
      for (int t = 0; t < kPhaseTerms; ++t) acc_.phase[p][t] -= snap_.phase[p][t];
    for (int t = 0; t < kCommonTerms; ++t) acc_.common[t] -= snap_.common[t];
    acc_.frames -= snap_.frames;
    start_sample_ = last_sample_;
    start_alpha_ = last_alpha_;
    start_split_ = true;
  } else {
    w.add(acc_, 1, 0);
    acc_ = {};
    start_split_ = false;
  }
}

Metrology::Phasor Metrology::measure_phase(const Window& w, const Fit& fit, int p, PhaseReadings& out) const {
  const std::int64_t* t = w.phase[p];
  // Mean-square values and mean product with the window means removed (codes^2).
  const float mv = fit.mean(t[kV]), mi = fit.mean(t[kI]);
  const float v_ms = fit.mean(t[kVV]) - mv * mv;
  const float i_ms = fit.mean(t[kII]) - mi * mi;
  const float vi = fit.mean(t[kVI]) - mv * mi;
  // The fundamental: least-squares fit x1 = bc * c + bs * s of the samples on
  // the NCO's cosine and sine (all centred), G b = (sum x c, sum x s).
  const Complex v1 = fit.solve(t[kVC], t[kVS], mv);
  const Complex i1 = fit.solve(t[kIC], t[kIS], mi);
  const float gv = uv_scale_[p], gi = ua_scale_[p];
  const Complex voltage = v1 * gv;                                      // uV
  const Complex current = i1 * Complex{turn_cos_[p], turn_sin_[p]} * gi;  // uA, phase corrected
  const Complex power = voltage * conj(current);                               // pW, pvar
  const float uncorrected_p1 = (voltage * conj(i1 * gi)).re;

  const float v_rms = math::sqrt(v_ms) * gv;
  const float i_rms = math::sqrt(i_ms) * gi;
  out.voltage_uv = math::round_to_int(v_rms);
  out.current_ua = math::round_to_int(i_rms);
  out.voltage_present = v_rms >= voltage_present_uv_;
  out.thd_voltage_ppm = fit.thd_ppm(t[kV], t[kVV], t[kVC], t[kVS]);
  out.creeping = i_rms < creep_ua_;
  out.power_factor_milli = 1000;  // no load: unity, as the display shows it
  if (!out.creeping) {
    // Total active power: V*I of the samples, plus what phase correction does
    // to the fundamental (harmonics are not phase corrected).
    const float active = (vi * gv * gi + power.re - uncorrected_p1) * 1e-6f;
    const float apparent = v_rms * i_rms * 1e-6f;
    out.active_uw = math::round_to_int(active);
    out.reactive_uvar = math::round_to_int(power.im * 1e-6f);
    out.apparent_uva = math::round_to_int(apparent);
    if (apparent > 0) {
      const float pf = active / apparent;
      out.power_factor_milli = static_cast<std::int32_t>(math::round_to_int(pf > 1 ? 1000 : pf < -1 ? -1000 : pf * 1000));
    }
    if (norm2(power) > 0) out.vi_angle_mdeg = angle_mdeg(current * conj(voltage));
    out.thd_current_ppm = fit.thd_ppm(t[kI], t[kII], t[kIC], t[kIS]);
  }
  return {voltage};
}

// From the first two phases with voltage: in a positive sequence L2 lags L1
// and L3 lags L2 by 120 degrees, so L3 leads L1 by 120 degrees.
bool Metrology::sequence_reversed(const Phasor* v, const Readings& r) const {
  int present[2] = {0, 0}, count = 0;
  for (int p = 0; p < phases_ && count < 2; ++p)
    if (r.phase[p].voltage_present) present[count++] = p;
  if (count < 2) return false;
  const std::int32_t angle = angle_mdeg(v[present[1]] * conj(v[present[0]]));
  const bool leads = angle > 0 && angle < 180000;
  const bool lags = angle > 180000;
  return present[1] - present[0] == 1 ? leads : lags;
}

void Metrology::measure_frequency(Readings& r) {
  if (freq_cycles_ > 0) {
    // Cycles per sample period (span in 2^-16 sample periods) times the sample rate, in mHz.
    const std::uint32_t span_q16 = last_cross_q16_ - freq_t0_q16_;
    if (r.phase[ref_].voltage_present)
      r.frequency_mhz = static_cast<std::uint32_t>(
          divide_rounded(std::int64_t{freq_cycles_} * sample_rate_hz_ * 1000 * 65536, span_q16));
    freq_t0_q16_ = last_cross_q16_;
    freq_cycles_ = 0;
  }
  if (crossings_ == 0) cross_valid_ = false;
}

// A pulse output's accumulator gains `step` per frame and pulses each time it
// reaches pulse_quantum_. Instead of adding per frame, the frame in which it
// will get there is computed ahead (due), so a frame costs one comparison.
void Metrology::schedule(PulseTrain& t) const {
  t.due = kNever;
  if (t.step <= 0) return;
  const std::int64_t frames = (pulse_quantum_ - t.acc + t.step - 1) / t.step;  // >= 1: acc < quantum
  if (frames <= sample_rate_hz_ - t.from) t.due = t.from + static_cast<std::uint32_t>(frames);
}

// A pulse due in this frame, and the end of the second.
void Metrology::on_event() {
  constexpr hal::PulseOutput kOutputs[2] = {hal::PulseOutput::active_energy, hal::PulseOutput::reactive_energy};
  for (int k = 0; k < 2; ++k) {
    PulseTrain& t = pulse_[k];
    if (t.due != frame_in_second_) continue;
    t.acc += t.step * (frame_in_second_ - t.from) - pulse_quantum_;
    t.from = frame_in_second_;
    schedule(t);
    hal_.pulse(kOutputs[k]);
  }
  if (frame_in_second_ == sample_rate_hz_) end_second();
  next_event_ = sample_rate_hz_;
  for (const PulseTrain& t : pulse_)
    if (t.due < next_event_) next_event_ = t.due;
}

// The next second's pulse rates: this second's total powers, absolute.
void Metrology::set_pulse_rates(const Readings& r) {
  std::int64_t power[2] = {0, 0};
  for (int p = 0; p < phases_; ++p) {
    power[0] += r.phase[p].active_uw;
    power[1] += r.phase[p].reactive_uvar;
  }
  const std::uint32_t per_kwh[2] = {active_per_kwh_, reactive_per_kvarh_};
  for (int k = 0; k < 2; ++k) {
    PulseTrain& t = pulse_[k];
    t.acc += t.step * (frame_in_second_ - t.from);
    t.from = 0;
    t.step = pulse_step(power[k], per_kwh[k], pulse_quantum_);
    schedule(t);
  }
}

// The first phase with voltage is the next second's reference (L1 when none
// has); its crossings are taken at a level near its DC level (a window mean).
void Metrology::select_reference(const Window& w, const Readings& r) {
  std::uint8_t next = ref_;
  for (std::uint8_t p = 0; p < phases_; ++p)
    if (r.phase[p].voltage_present) {
      next = p;
      break;
    }
  const auto dc = w.frames_q16 > 0 ? static_cast<std::int32_t>(divide_rounded(w.phase[next][kV] * 65536, w.frames_q16))
                                    : ref_dc_;
  // Any fixed level gives crossings one period apart, so the level follows the
  // DC offset only when it is far from it. A new reference or level restarts
  // the cycles: the next window begins at the next crossing.
  const bool level_far = dc - ref_dc_ > hysteresis_ / 2 || ref_dc_ - dc > hysteresis_ / 2;
  if (next != ref_ || level_far) {
    ref_ = next;
    ref_dc_ = dc;
    armed_ = false;
    cross_valid_ = false;
    start_split_ = false;
  }
}

void Metrology::end_second() {
  Window w;
  close_window(w);
  Readings& r = readings_;
  r = {};
  r.second = ++second_count_;
  r.phases = phases_;
  // The window always holds at least part of a sample period.
  const Fit fit(w);
  Phasor v[kMaxPhases] = {};
  for (int p = 0; p < phases_; ++p) v[p] = measure_phase(w, fit, p, r.phase[p]);
  for (int p = 1; p < phases_; ++p)
    if (r.phase[0].voltage_present && r.phase[p].voltage_present)
      r.phase[p].voltage_angle_mdeg = angle_mdeg(v[p] * conj(v[0]));
  r.phase_sequence_reversed = sequence_reversed(v, r);
  if (neutral_) {
    const float mn = fit.mean(w.common[kN]);
    r.neutral_current_ua = math::round_to_int(math::sqrt(fit.mean(w.common[kNN]) - mn * mn) * ua_scale_[kMaxPhases]);
  }
  measure_frequency(r);
  select_reference(w, r);
  set_pulse_rates(r);
  crossings_ = 0;
  cycles_ = 0;
  frame_in_second_ = 0;
  second_ready_ = true;
}

}  // namespace metergen::metrology
