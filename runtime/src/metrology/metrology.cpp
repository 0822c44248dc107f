// The metrology engine (metrology.hpp): the per-sample kernel, integer only,
// and the once-per-second maths in double. May call: hal::Hal::pulse and
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
constexpr double kQ16 = 65536;
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
  double re, im;
};

constexpr Complex operator*(Complex a, Complex b) { return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
constexpr Complex operator*(Complex a, double k) { return {a.re * k, a.im * k}; }
constexpr Complex conj(Complex a) { return {a.re, -a.im}; }
constexpr double norm2(Complex a) { return a.re * a.re + a.im * a.im; }

// The angle of z in millidegrees, 0..359999.
std::int32_t angle_mdeg(Complex z) {
  auto mdeg = math::round_to_int(math::atan2(z.im, z.re) * (180000 / math::kPi));
  if (mdeg < 0) mdeg += 360000;
  return static_cast<std::int32_t>(mdeg == 360000 ? 0 : mdeg);
}

// sqrt(total^2 - fundamental^2) / fundamental, of mean squares, in ppm.
std::uint32_t thd_ppm(double total_ms, double fundamental_ms) {
  if (!(fundamental_ms > 0) || total_ms <= fundamental_ms) return 0;
  const double thd = math::sqrt((total_ms - fundamental_ms) / fundamental_ms) * 1e6;
  return thd >= 4e9 ? 4'000'000'000u : static_cast<std::uint32_t>(math::round_to_int(thd));
}

// |power| * meter constant, the pulse accumulator's step per frame, at most one pulse per frame.
std::int64_t pulse_step(std::int64_t power, std::uint32_t per_kwh, std::int64_t quantum) {
  const std::int64_t magnitude = power < 0 ? -power : power;
  if (per_kwh == 0) return 0;
  return magnitude >= quantum / per_kwh ? quantum : magnitude * per_kwh;
}

std::int32_t hysteresis_codes(double present_uv, double uv_per_code) {
  // A quarter of the peak of the smallest voltage that counts as present.
  const double codes = uv_per_code > 0 ? present_uv * 1.4142135623730951 / uv_per_code / 4 : 0;
  return codes >= 1 ? static_cast<std::int32_t>(codes) : 1;
}

}  // namespace

// A window's sums in double: the integer sums plus the fractional shares of
// the crossing samples at its two edges.
struct Metrology::Window {
  double phase[kMaxPhases][kPhaseTerms];
  double common[kCommonTerms];
  double frames;

  void add(const Sums& s, double k) {
    for (int p = 0; p < kMaxPhases; ++p)
      for (int t = 0; t < kPhaseTerms; ++t) phase[p][t] += k * static_cast<double>(s.phase[p][t]);
    for (int t = 0; t < kCommonTerms; ++t) common[t] += k * static_cast<double>(s.common[t]);
    frames += k * s.frames;
  }
};

struct Metrology::Phasor : Complex {};

namespace {

// A channel's fundamental in codes: its RMS phasor and the mean square of the
// fitted waveform (exact, whatever the NCO's amplitude and orthogonality).
struct Fundamental {
  Complex phasor;
  double mean_square;
};

}  // namespace

// The least-squares fit of a window on the NCO's centred cosine and sine.
// With c = T cos(phi), s = T sin(phi), the fit bc c + bs s is the sinusoid
// whose RMS phasor is T / sqrt(2) * (bc - j bs); T^2 is the mean of c^2 + s^2.
struct Metrology::Fit {
  double frames, c, s, gcc, gss, gcs, det, amplitude;

  explicit Fit(const Window& w)
      : frames(w.frames),
        c(w.common[kC]),
        s(w.common[kS]),
        gcc(w.common[kCC] - c * c / frames),
        gss(w.common[kSS] - s * s / frames),
        gcs(w.common[kCS] - c * s / frames),
        det(gcc * gss - gcs * gcs),
        amplitude(math::sqrt((gcc + gss) / frames)) {}

  // From a channel's sums with the reference and its window mean.
  Fundamental solve(double sum_xc, double sum_xs, double mean) const {
    const double xc = sum_xc - mean * c, xs = sum_xs - mean * s;
    if (!(det > 0)) return {{0, 0}, 0};
    const double bc = (gss * xc - gcs * xs) / det, bs = (gcc * xs - gcs * xc) / det;
    const double k = amplitude * 0.7071067811865476;
    return {{k * bc, -k * bs}, (xc * bc + xs * bs) / frames};
  }
};

Metrology::Metrology(const tables::MeteringDef& metering, const hal::FrontEnd& front_end, std::uint8_t phases,
                     hal::Hal& hal)
    : hal_(hal),
      phases_(phases == 3 ? 3 : 1),
      neutral_(metering.neutral_current),
      sample_rate_hz_(front_end.sample_rate_hz),
      uv_per_code_(microvolts_per_code(front_end)),
      ua_per_code_(microamps_per_code(front_end)),
      voltage_present_uv_(metering.voltage_min_mv * 1000.0 * kVoltagePresentPercent / 100),
      creep_ua_(metering.starting_current_ma * 1000.0 * kCreepPercent / 100),
      active_per_kwh_(metering.active_imp_per_kwh),
      reactive_per_kvarh_(metering.reactive_imp_per_kvarh),
      hysteresis_(hysteresis_codes(voltage_present_uv_, uv_per_code_)),
      min_period_q16_(static_cast<std::uint32_t>(static_cast<std::uint64_t>(sample_rate_hz_) * 65536 / kMaxFrequencyHz)),
      max_period_q16_(static_cast<std::uint32_t>(static_cast<std::uint64_t>(sample_rate_hz_) * 65536 / kMinFrequencyHz)),
      pulse_quantum_(kMicrojoulesPerKwh * sample_rate_hz_),
      next_event_(sample_rate_hz_) {
  const std::uint32_t nominal_hz = metering.frequency_hz != 0 ? metering.frequency_hz : 50;
  if (sample_rate_hz_ > nominal_hz) nco_inc_ = static_cast<std::uint32_t>((std::uint64_t{nominal_hz} << 32) / sample_rate_hz_);
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
  if (start_split_) w.add(start_sample_, start_alpha_ / kQ16);
  if (cycles_ > 0) {
    w.add(snap_, 1);
    w.add(last_sample_, -(last_alpha_ / kQ16));
    for (int p = 0; p < kMaxPhases; ++p)
      for (int t = 0; t < kPhaseTerms; ++t) acc_.phase[p][t] -= snap_.phase[p][t];
    for (int t = 0; t < kCommonTerms; ++t) acc_.common[t] -= snap_.common[t];
    acc_.frames -= snap_.frames;
    start_sample_ = last_sample_;
    start_alpha_ = last_alpha_;
    start_split_ = true;
  } else {
    w.add(acc_, 1);
    acc_ = {};
    start_split_ = false;
  }
}

Metrology::Phasor Metrology::measure_phase(const Window& w, int p, PhaseReadings& out) const {
  const double* t = w.phase[p];
  const double frames = w.frames;
  // Mean-square values and mean product with the window means removed (codes^2).
  const double mv = t[kV] / frames, mi = t[kI] / frames;
  const double v_ms = t[kVV] / frames - mv * mv;
  const double i_ms = t[kII] / frames - mi * mi;
  const double vi = t[kVI] / frames - mv * mi;
  // The fundamental: least-squares fit x1 = bc * c + bs * s of the samples on
  // the NCO's cosine and sine (all centred), G b = (sum x c, sum x s).
  const Fit fit(w);
  const Fundamental v1 = fit.solve(t[kVC], t[kVS], mv);
  const Fundamental i1 = fit.solve(t[kIC], t[kIS], mi);
  const double gv = uv_per_code_ * calibration_.voltage_gain[p] / kUnityGain;
  const double gi = ua_per_code_ * calibration_.current_gain[p] / kUnityGain;
  const auto turn = math::sin_cos(calibration_.current_phase_udeg[p] * (math::kPi / 180e6));
  const Complex voltage = v1.phasor * gv;                                // uV
  const Complex current = i1.phasor * Complex{turn.cos, turn.sin} * gi;  // uA, phase corrected
  const Complex power = voltage * conj(current);                         // pW, pvar
  const double uncorrected_p1 = (voltage * conj(i1.phasor * gi)).re;

  const double v_rms = math::sqrt(v_ms > 0 ? v_ms : 0) * gv;
  const double i_rms = math::sqrt(i_ms > 0 ? i_ms : 0) * gi;
  out.voltage_uv = math::round_to_int(v_rms);
  out.current_ua = math::round_to_int(i_rms);
  out.voltage_present = v_rms >= voltage_present_uv_;
  out.thd_voltage_ppm = thd_ppm(v_ms, v1.mean_square);
  out.creeping = i_rms < creep_ua_;
  out.power_factor_milli = 1000;  // no load: unity, as the display shows it
  if (!out.creeping) {
    // Total active power: V*I of the samples, plus what phase correction does
    // to the fundamental (harmonics are not phase corrected).
    const double active = (vi * gv * gi + power.re - uncorrected_p1) * 1e-6;
    const double apparent = v_rms * i_rms * 1e-6;
    out.active_uw = math::round_to_int(active);
    out.reactive_uvar = math::round_to_int(power.im * 1e-6);
    out.apparent_uva = math::round_to_int(apparent);
    if (apparent > 0) {
      const double pf = active / apparent;
      out.power_factor_milli = static_cast<std::int32_t>(math::round_to_int(pf > 1 ? 1000 : pf < -1 ? -1000 : pf * 1000));
    }
    if (norm2(power) > 0) out.vi_angle_mdeg = angle_mdeg(current * conj(voltage));
    out.thd_current_ppm = thd_ppm(i_ms, i1.mean_square);
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
    const double span = static_cast<std::uint32_t>(last_cross_q16_ - freq_t0_q16_) / kQ16;  // sample periods
    if (r.phase[ref_].voltage_present)
      r.frequency_mhz = static_cast<std::uint32_t>(math::round_to_int(freq_cycles_ * (sample_rate_hz_ * 1000.0) / span));
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
  const auto dc = static_cast<std::int32_t>(math::round_to_int(w.phase[next][kV] / w.frames));
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
  Phasor v[kMaxPhases] = {};
  for (int p = 0; p < phases_; ++p) v[p] = measure_phase(w, p, r.phase[p]);
  for (int p = 1; p < phases_; ++p)
    if (r.phase[0].voltage_present && r.phase[p].voltage_present)
      r.phase[p].voltage_angle_mdeg = angle_mdeg(v[p] * conj(v[0]));
  r.phase_sequence_reversed = sequence_reversed(v, r);
  if (neutral_) {
    const double mn = w.common[kN] / w.frames;
    const double n_ms = w.common[kNN] / w.frames - mn * mn;
    r.neutral_current_ua = math::round_to_int(math::sqrt(n_ms > 0 ? n_ms : 0) * ua_per_code_ *
                                              calibration_.current_gain[kMaxPhases] / kUnityGain);
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
