// The simulated analogue front end (synthesizer.hpp): a scenario's segments as
// a table of tones per segment, evaluated once per sample and quantised like an
// ADC. May call: nothing outside simulation/ but the HAL and table types.
#include <metergen/simulation/synthesizer.hpp>

namespace metergen::simulation {
namespace {

constexpr double kSqrt2 = 1.4142135623730951;
constexpr double kSqrt3 = 1.7320508075688772;
constexpr double kPi = 3.141592653589793;
constexpr double kTwoPow64 = 18446744073709551616.0;
// 1.2 x sqrt(2): the full-scale peak over the largest RMS value.
constexpr double kHeadroomPeak = 1.2 * kSqrt2;

constexpr double factorial(int n) { return n <= 1 ? 1.0 : n * factorial(n - 1); }

// Taylor series in x^2 for |x| <= pi/4: the first omitted terms (x^19/19!,
// x^20/20!) are below 3e-19, and every factorial here is exact in a double.
constexpr double kSin[] = {1.0,                  -1.0 / factorial(3),  1.0 / factorial(5),  -1.0 / factorial(7),
                           1.0 / factorial(9),   -1.0 / factorial(11), 1.0 / factorial(13), -1.0 / factorial(15),
                           1.0 / factorial(17)};
constexpr double kCos[] = {1.0,                  -1.0 / factorial(2),  1.0 / factorial(4),  -1.0 / factorial(6),
                           1.0 / factorial(8),   -1.0 / factorial(10), 1.0 / factorial(12), -1.0 / factorial(14),
                           1.0 / factorial(16),  -1.0 / factorial(18)};

template <std::size_t N>
double horner(const double (&c)[N], double x2) {
  double sum = c[N - 1];
  for (std::size_t i = N - 1; i-- > 0;) sum = sum * x2 + c[i];
  return sum;
}

std::uint32_t headroom_peak(std::uint32_t rms) {
  const double peak = rms * kHeadroomPeak;
  if (peak >= 4294967295.0) return 0xFFFFFFFFu;
  const auto whole = static_cast<std::uint32_t>(peak);
  return whole + (peak > whole ? 1u : 0u);
}

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double codes_per_unit(std::uint8_t bits, std::uint32_t full_scale_milli) {
  if (bits == 0 || bits > 32 || full_scale_milli == 0) return 0;
  return static_cast<double>(1ull << (bits - 1)) * 1000.0 / full_scale_milli;
}

std::int32_t max_code(std::uint8_t bits) {
  return bits == 0 || bits > 32 ? 0 : static_cast<std::int32_t>((1ull << (bits - 1)) - 1);
}

}  // namespace

hal::FrontEnd front_end_for(const tables::MeteringDef& metering) {
  return {kSampleRateHz, kVoltageBits, kCurrentBits, headroom_peak(metering.voltage_max_mv),
          headroom_peak(metering.max_current_ma)};
}

Turns turns_from_degrees(double degrees) {
  const double turns = degrees / 360.0;
  if (!(turns > -9.0e18 && turns < 9.0e18)) return 0;  // also NaN
  double fraction = turns - static_cast<double>(static_cast<std::int64_t>(turns));
  if (fraction < 0) fraction += 1.0;
  if (fraction >= 1.0) fraction = 0;  // -tiny + 1 rounds to 1
  return static_cast<Turns>(fraction * kTwoPow64);
}

SinCos sin_cos(Turns angle) {
  // Quadrant from the top two bits; within it, reflect past 45 degrees so the
  // series only ever sees |x| <= pi/4.
  constexpr Turns kQuarter = 1ull << 62;
  constexpr Turns kEighth = 1ull << 61;
  constexpr double kRadiansPerUnit = kPi / 2 / static_cast<double>(kQuarter);
  const unsigned quadrant = static_cast<unsigned>(angle >> 62);
  const Turns within = angle & (kQuarter - 1);
  const bool reflect = within > kEighth;
  const double x = static_cast<double>(reflect ? kQuarter - within : within) * kRadiansPerUnit;
  const double x2 = x * x;
  const double s = x * horner(kSin, x2);
  const double c = horner(kCos, x2);
  const double sin_in = reflect ? c : s;  // sin(pi/2 - x) = cos(x)
  const double cos_in = reflect ? s : c;
  switch (quadrant) {
    case 0: return {sin_in, cos_in};
    case 1: return {cos_in, -sin_in};
    case 2: return {-sin_in, -cos_in};
    default: return {-cos_in, sin_in};
  }
}

Synthesizer::Synthesizer(const Scenario& scenario, const hal::FrontEnd& front_end, std::uint8_t phases, bool neutral)
    : scenario_(scenario),
      phases_(phases > 3 ? 3 : phases),
      neutral_(neutral),
      sample_rate_hz_(front_end.sample_rate_hz),
      voltage_codes_per_volt_(codes_per_unit(front_end.voltage_bits, front_end.voltage_full_scale_mv)),
      current_codes_per_amp_(codes_per_unit(front_end.current_bits, front_end.current_full_scale_ma)),
      voltage_max_code_(max_code(front_end.voltage_bits)),
      current_max_code_(max_code(front_end.current_bits)),
      // Four 16-bit uniforms, centred, sum to a variance of 4 * 65536^2 / 12.
      noise_scale_(scenario.noise_lsb * kSqrt3 / 65536.0),
      timeline_(scenario, front_end.sample_rate_hz),
      noise_state_(scenario.seed) {
  if (scenario_.segment_count > 0) enter(timeline_.segment());
}

void Synthesizer::enter(std::uint16_t index) {
  const Segment& s = scenario_.segments[index];
  const double ratio = sample_rate_hz_ == 0 ? 0 : s.frequency_hz / sample_rate_hz_;
  step_ = ratio >= 0 && ratio < 1.0 ? static_cast<Turns>(ratio * kTwoPow64) : 0;
  tone_count_ = 0;
  for (int p = 0; p < phases_; ++p) add_phase(p, s.phase[p]);
  if (neutral_ && s.neutral_current_rms >= 0) {
    const PhaseLoad& l1 = s.phase[0];
    add(kNeutral, 1, s.neutral_current_rms * load_scale(),
        turns_from_degrees(l1.voltage_angle_deg) - turns_from_degrees(l1.angle_deg));
  }
}

void Synthesizer::set_load_connected(bool connected) {
  if (connected == load_connected_) return;
  load_connected_ = connected;
  if (scenario_.segment_count > 0) enter(timeline_.segment());
}

Synthesizer::Tone& Synthesizer::tone(std::uint32_t order) {
  for (int i = 0; i < tone_count_; ++i)
    if (tones_[i].order == order) return tones_[i];
  Tone& t = tones_[tone_count_++];  // at most 1 + 3 * kMaxHarmonics distinct orders
  t = Tone{};
  t.order = order;
  return t;
}

void Synthesizer::add(int channel, std::uint32_t order, double amplitude_rms, Turns angle) {
  // A sin(h theta + b) = A cos(b) sin(h theta) + A sin(b) cos(h theta)
  const double peak = amplitude_rms * kSqrt2;
  const SinCos b = sin_cos(angle);
  Tone& t = tone(order);
  t.sin_coef[channel] += peak * b.cos;
  t.cos_coef[channel] += peak * b.sin;
}

void Synthesizer::add_phase(int p, const PhaseLoad& load) {
  const Turns voltage_angle = turns_from_degrees(load.voltage_angle_deg);
  const Turns current_angle = voltage_angle - turns_from_degrees(load.angle_deg);
  const bool sum_into_neutral = neutral_ && timeline_.current().neutral_current_rms < 0;
  auto add_current = [&](std::uint32_t order, double rms, Turns angle) {
    add(3 + p, order, rms * load_scale(), angle);
    if (sum_into_neutral) add(kNeutral, order, rms * load_scale(), angle);
  };
  add(p, 1, load.voltage_rms, voltage_angle);
  add_current(1, load.current_rms, current_angle);
  const std::uint8_t count = load.harmonic_count > kMaxHarmonics ? kMaxHarmonics : load.harmonic_count;
  for (std::uint8_t i = 0; i < count; ++i) {
    const Harmonic& h = load.harmonics[i];
    // Order h of the voltage is sin(h * (theta + voltage_angle)): the angle scales with the order.
    const Turns harmonic_voltage_angle = voltage_angle * h.order;
    add(p, h.order, load.voltage_rms * h.voltage_percent / 100.0, harmonic_voltage_angle);
    add_current(h.order, load.current_rms * h.current_percent / 100.0,
                harmonic_voltage_angle - turns_from_degrees(h.phase_deg));
  }
}

void Synthesizer::compute(double* values) const {
  for (int c = 0; c < kChannels; ++c) values[c] = 0;
  for (int i = 0; i < tone_count_; ++i) {
    const Tone& t = tones_[i];
    const SinCos sc = sin_cos(theta_ * t.order);  // wraps exactly: the order's angle, mod one turn
    for (int c = 0; c < kChannels; ++c) values[c] += t.sin_coef[c] * sc.sin + t.cos_coef[c] * sc.cos;
  }
}

void Synthesizer::analog(Analog& out) const {
  double values[kChannels];
  compute(values);
  for (int p = 0; p < 3; ++p) {
    out.voltage[p] = values[p];
    out.current[p] = values[3 + p];
  }
  out.current[3] = values[kNeutral];
}

bool Synthesizer::channel_used(int channel) const {
  if (channel == kNeutral) return neutral_;
  return channel % 3 < phases_;
}

double Synthesizer::noise() {
  if (noise_scale_ == 0) return 0;
  const std::uint64_t r = splitmix64(noise_state_);
  std::int64_t sum = 0;
  for (int shift = 0; shift < 64; shift += 16) sum += 2 * static_cast<std::int64_t>((r >> shift) & 0xFFFF) - 65535;
  return static_cast<double>(sum) * 0.5 * noise_scale_;
}

std::int32_t Synthesizer::quantise(double value, double codes_per_unit, std::int32_t max) {
  const double codes = value * codes_per_unit + noise();
  const double min = -static_cast<double>(max) - 1.0;
  if (!(codes > min)) return static_cast<std::int32_t>(min);  // also NaN
  if (codes >= max) return max;
  // Round half away from zero.
  const auto magnitude = static_cast<std::int64_t>((codes >= 0 ? codes : -codes) + 0.5);
  return static_cast<std::int32_t>(codes >= 0 ? magnitude : -magnitude);
}

void Synthesizer::next(hal::AdcFrame& out) {
  double values[kChannels];
  compute(values);
  for (int c = 0; c < kChannels; ++c) {
    const bool voltage = c < 3;
    std::int32_t code = 0;
    if (channel_used(c))
      code = quantise(values[c], voltage ? voltage_codes_per_volt_ : current_codes_per_amp_,
                      voltage ? voltage_max_code_ : current_max_code_);
    if (voltage) out.voltage[c] = code;
    else out.current[c - 3] = code;
  }
  theta_ += step_;
  if (timeline_.advance(1)) enter(timeline_.segment());
}

void Synthesizer::skip(std::uint64_t n) {
  theta_ += step_ * n;  // wraps exactly, like n single steps
  if (timeline_.advance(n)) enter(timeline_.segment());
}

void Synthesizer::generate(hal::AdcFrame* out, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) next(out[i]);
}

}  // namespace metergen::simulation
