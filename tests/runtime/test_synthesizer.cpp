// The simulated front end against closed forms: sine/cosine against the C
// library in long double, RMS, powers, angles and frequency of the produced codes
// against V, I and phi of the scenario (P = V I cos phi, Q = V I sin phi, a
// balanced system's triplen harmonics add in the neutral), the waveform before
// quantisation against V sqrt(2) sin(2 pi f t + alpha) after an hour, phase
// continuity at a frequency change, seeded noise, clamping at full scale and
// segment bookkeeping. The host's libm is the independent reference here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <metergen/simulation/synthesizer.hpp>

namespace metergen::simulation {
namespace {

constexpr long double kPi = 3.141592653589793238462643383279503L;
constexpr double kSqrt2 = 1.4142135623730951;

// 4000 samples/s, 16-bit voltage with a 400 V peak, 24-bit current with a 100 A peak:
// 81.92 codes per volt and 83886.08 codes per ampere.
constexpr hal::FrontEnd kFrontEnd{4000, 16, 24, 400000, 100000};
constexpr double kCodesPerVolt = 32768.0 / 400.0;
constexpr double kCodesPerAmp = 8388608.0 / 100.0;

PhaseLoad load(double volts, double amps, double angle, double voltage_angle) {
  PhaseLoad l{};
  l.voltage_rms = volts;
  l.current_rms = amps;
  l.angle_deg = angle;
  l.voltage_angle_deg = voltage_angle;
  return l;
}

Segment balanced(std::uint32_t seconds, double hz, double volts, double amps, double angle) {
  return Segment{"", seconds, hz,
                 {load(volts, amps, angle, 0), load(volts, amps, angle, -120), load(volts, amps, angle, 120)}, -1};
}

Scenario scenario_of(const std::vector<Segment>& segments, bool repeat = false, std::uint32_t seed = 1,
                     double noise = 0) {
  return Scenario{segments.data(), static_cast<std::uint16_t>(segments.size()), repeat, seed, noise};
}

std::vector<hal::AdcFrame> frames(Synthesizer& s, std::size_t n) {
  std::vector<hal::AdcFrame> out(n);
  s.generate(out.data(), n);
  return out;
}

// Channel accessors: 0..2 voltages, 3..6 currents (6 = neutral), in volts and amperes.
double value(const hal::AdcFrame& f, int channel) {
  return channel < 3 ? f.voltage[channel] / kCodesPerVolt : f.current[channel - 3] / kCodesPerAmp;
}

double rms(const std::vector<hal::AdcFrame>& fs, int channel) {
  double sum = 0;
  for (const auto& f : fs) sum += value(f, channel) * value(f, channel);
  return std::sqrt(sum / fs.size());
}

// Mean of x(t - delay) * y(t) over the frames after the first `delay`.
double mean_product(const std::vector<hal::AdcFrame>& fs, int x, int y, std::size_t delay = 0) {
  double sum = 0;
  for (std::size_t i = delay; i < fs.size(); ++i) sum += value(fs[i - delay], x) * value(fs[i], y);
  return sum / (fs.size() - delay);
}

// Phase in degrees of a channel's component at `hz` (single-bin DFT over whole cycles),
// as the angle alpha of A sin(2 pi f t + alpha).
double phase_deg(const std::vector<hal::AdcFrame>& fs, int channel, double hz) {
  double re = 0, im = 0;
  for (std::size_t n = 0; n < fs.size(); ++n) {
    const double w = 2 * static_cast<double>(kPi) * hz * n / 4000.0;
    re += value(fs[n], channel) * std::sin(w);
    im += value(fs[n], channel) * std::cos(w);
  }
  return std::atan2(im, re) * 180 / static_cast<double>(kPi);
}

double wrap_deg(double d) {
  while (d > 180) d -= 360;
  while (d <= -180) d += 360;
  return d;
}

TEST(Synthesizer, SinCosWithinTwoUlpOfLongDoubleLibm) {
  double worst = 0;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    // Spread over every quadrant, including the 45-degree reflection points.
    const Turns angle = i * 0x0002A3D70A3D70A3ull + (i % 7 == 0 ? (i % 8) << 61 : 0);
    const long double radians = 2 * kPi * static_cast<long double>(angle) / 18446744073709551616.0L;
    const SinCos sc = sin_cos(angle);
    worst = std::fmax(worst, static_cast<double>(std::fabs(sc.sin - std::sin(radians))));
    worst = std::fmax(worst, static_cast<double>(std::fabs(sc.cos - std::cos(radians))));
  }
  EXPECT_LT(worst, 4.5e-16);
  EXPECT_EQ(sin_cos(0).sin, 0.0);
  EXPECT_EQ(sin_cos(0).cos, 1.0);
  EXPECT_EQ(sin_cos(1ull << 62).sin, 1.0);   // 90 degrees
  EXPECT_EQ(sin_cos(1ull << 63).cos, -1.0);  // 180 degrees
}

TEST(Synthesizer, DegreesToTurns) {
  EXPECT_EQ(turns_from_degrees(0), 0u);
  EXPECT_EQ(turns_from_degrees(90), 1ull << 62);
  EXPECT_EQ(turns_from_degrees(450), 1ull << 62);
  EXPECT_EQ(turns_from_degrees(-90), 3ull << 62);
  EXPECT_EQ(turns_from_degrees(360), 0u);
  // -120 degrees = 2/3 turn = 0xAAAA...AAAA, to within the double's 53 bits.
  EXPECT_NEAR(static_cast<double>(turns_from_degrees(-120)), 2.0 / 3.0 * 18446744073709551616.0, 4096.0);
}

TEST(Synthesizer, FrontEndHasTwentyPercentHeadroomAbovePeaks) {
  tables::MeteringDef m{};
  m.voltage_max_mv = 240000;  // 240 V * 1.2 * sqrt(2) = 407.2935 V peak -> 407294 mV (rounded up)
  m.max_current_ma = 80000;   // 80 A * 1.2 * sqrt(2) = 135.7645 A peak -> 135765 mA
  const hal::FrontEnd fe = front_end_for(m);
  EXPECT_EQ(fe.sample_rate_hz, 4000u);
  EXPECT_EQ(fe.voltage_bits, 16);
  EXPECT_EQ(fe.current_bits, 24);
  EXPECT_EQ(fe.voltage_full_scale_mv, 407294u);
  EXPECT_EQ(fe.current_full_scale_ma, 135765u);
  m.voltage_max_mv = 277000;  // 470.0846 V -> 470085 mV
  m.max_current_ma = 10000;   // 16.9706 A -> 16971 mA
  EXPECT_EQ(front_end_for(m).voltage_full_scale_mv, 470085u);
  EXPECT_EQ(front_end_for(m).current_full_scale_ma, 16971u);
}

TEST(Synthesizer, RmsAndPowersOfABalancedInductiveLoad) {
  // 230 V, 10 A, current lagging by 60 degrees (PF 0.5 inductive), 50 Hz: one
  // second is 50 whole cycles of 80 samples. Per phase P = 230 * 10 * cos 60 =
  // 1150 W and Q = 230 * 10 * sin 60 = 1991.858 var; Q is measured with the
  // voltage delayed by a quarter cycle (20 samples).
  const std::vector<Segment> segments = {balanced(10, 50, 230, 10, 60)};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 3);
  const auto fs = frames(s, 4000 + 20);
  const std::vector<hal::AdcFrame> second(fs.begin(), fs.begin() + 4000);
  for (int p = 0; p < 3; ++p) {
    SCOPED_TRACE(p);
    EXPECT_NEAR(rms(second, p), 230.0, 230.0 * 1e-5);          // LSB 12.2 mV: quantisation noise 3.5 mV RMS
    EXPECT_NEAR(rms(second, 3 + p), 10.0, 10.0 * 1e-6);        // LSB 11.9 uA
    EXPECT_NEAR(mean_product(second, p, 3 + p), 1150.0, 1150.0 * 2e-5);
    const std::vector<hal::AdcFrame> shifted(fs.begin(), fs.end());
    EXPECT_NEAR(mean_product(shifted, p, 3 + p, 20), 2300.0 * std::sin(60 * static_cast<double>(kPi) / 180),
                1991.858 * 2e-5);
  }
  // Balanced fundamental currents cancel in the neutral (quantisation residue only).
  EXPECT_LT(rms(second, 6), 1e-4);
}

TEST(Synthesizer, PhasesSitAtTheirVoltageAnglesAndCurrentsLag) {
  const std::vector<Segment> segments = {balanced(1, 50, 230, 5, 30)};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 3);
  const auto fs = frames(s, 4000);
  const double v1 = phase_deg(fs, 0, 50);
  EXPECT_NEAR(v1, 0.0, 1e-3);
  EXPECT_NEAR(wrap_deg(phase_deg(fs, 1, 50) - v1), -120.0, 1e-3);
  EXPECT_NEAR(wrap_deg(phase_deg(fs, 2, 50) - v1), 120.0, 1e-3);
  for (int p = 0; p < 3; ++p) EXPECT_NEAR(wrap_deg(phase_deg(fs, 3 + p, 50) - phase_deg(fs, p, 50)), -30.0, 1e-3);
}

TEST(Synthesizer, FrequencyFromPositiveZeroCrossings) {
  // 49.5 Hz: upward crossings at k / 49.5 s. In 10 s of samples (t < 10 s)
  // that is k = 1..494; the one at t = 0 has no sample before it.
  const std::vector<Segment> segments = {balanced(10, 49.5, 230, 1, 0)};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 1);
  const auto fs = frames(s, 40000);
  int crossings = 0;
  for (std::size_t i = 1; i < fs.size(); ++i) crossings += fs[i - 1].voltage[0] < 0 && fs[i].voltage[0] >= 0;
  EXPECT_EQ(crossings, 494);
}

TEST(Synthesizer, WaveformMatchesClosedFormAfterAnHour) {
  // 49.97 Hz is not a whole number of turns per sample: any drift of the phase
  // would show after 14.4 million samples.
  constexpr double kHz = 49.97;
  const std::vector<Segment> segments = {Segment{"", 7200, kHz, {load(230, 0, 0, 30)}, -1}};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 1);
  hal::AdcFrame frame;
  double worst = 0;
  for (std::uint64_t n = 0; n <= 3600ull * 4000; ++n) {
    if (n % 400000 == 0 || n + 50 > 3600ull * 4000) {
      Analog a;
      s.analog(a);
      const long double turns = std::fmod(static_cast<long double>(kHz) * n / 4000.0L + 30.0L / 360.0L, 1.0L);
      const double expected = static_cast<double>(230.0L * std::sqrt(2.0L) * std::sin(2 * kPi * turns));
      worst = std::fmax(worst, std::fabs(a.voltage[0] - expected));
    }
    s.next(frame);
  }
  EXPECT_LT(worst / (230 * kSqrt2), 1e-9);
}

TEST(Synthesizer, PhaseIsContinuousWhenTheFrequencyChanges) {
  // 50.5 Hz for 1 s ends half-way through a cycle (50.5 turns); 60 Hz follows.
  const std::vector<Segment> segments = {balanced(1, 50.5, 230, 0, 0), balanced(1, 60, 230, 0, 0)};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 1);
  hal::AdcFrame frame;
  s.generate(std::vector<hal::AdcFrame>(3990).data(), 3990);
  for (int k = -10; k < 10; ++k) {
    const long double turns = k < 0 ? 50.5L * (4000 + k) / 4000 : 50.5L + 60.0L * k / 4000;
    Analog a;
    s.analog(a);
    EXPECT_NEAR(a.voltage[0], static_cast<double>(230 * std::sqrt(2.0L) * std::sin(2 * kPi * turns)), 1e-9) << k;
    EXPECT_EQ(s.segment(), k < 0 ? 0 : 1);
    s.next(frame);
  }
}

TEST(Synthesizer, HarmonicsAddToRmsAndTriplensAddInTheNeutral) {
  // Every phase: 5th harmonic voltage 4 %, 3rd harmonic current 30 % in phase
  // with the 3rd harmonic voltage. V = 230 sqrt(1 + 0.04^2) = 230.184 V; I = 10
  // sqrt(1 + 0.3^2) = 10.4403 A; the 3rd harmonics of L1..L3 are in phase, so
  // the neutral carries 3 * 3 A = 9 A and no fundamental.
  Segment seg = balanced(1, 50, 230, 10, 0);
  for (PhaseLoad& l : seg.phase) {
    l.harmonic_count = 2;
    l.harmonics[0] = {5, 4, 0, 0};
    l.harmonics[1] = {3, 0, 30, 0};
  }
  const std::vector<Segment> segments = {seg};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 3);
  const auto fs = frames(s, 4000);
  for (int p = 0; p < 3; ++p) {
    EXPECT_NEAR(rms(fs, p), 230.0 * std::sqrt(1.0016), 230 * 1e-5);
    EXPECT_NEAR(rms(fs, 3 + p), 10.0 * std::sqrt(1.09), 10 * 1e-6);
  }
  EXPECT_NEAR(rms(fs, 6), 9.0, 9 * 1e-6);
}

TEST(Synthesizer, GivenNeutralCurrentAndSinglePhaseChannels) {
  Segment seg = balanced(1, 50, 230, 10, 0);
  seg.neutral_current_rms = 4;
  const std::vector<Segment> given = {seg};
  const Scenario with_neutral = scenario_of(given);
  Synthesizer s(with_neutral, kFrontEnd, 3);
  EXPECT_NEAR(rms(frames(s, 4000), 6), 4.0, 4e-6);

  // Single phase: L2, L3 stay 0; the neutral is the L1 current; without a neutral channel it is 0.
  const std::vector<Segment> one = {balanced(1, 50, 230, 10, 0)};
  const Scenario single = scenario_of(one);
  Synthesizer s1(single, kFrontEnd, 1);
  for (const auto& f : frames(s1, 4000)) {
    ASSERT_EQ(f.voltage[1] | f.voltage[2] | f.current[1] | f.current[2], 0);
    ASSERT_EQ(f.current[3], f.current[0]);
  }
  Synthesizer s2(single, kFrontEnd, 1, false);
  for (const auto& f : frames(s2, 100)) ASSERT_EQ(f.current[3], 0);
}

TEST(Synthesizer, ReversedCurrentExportsAndLostPhaseReadsZero) {
  // Reversal is 180 degrees more on the current: P = 230 * 10 * cos 180 = -2300 W.
  Segment seg = balanced(1, 50, 230, 10, 180);
  seg.phase[1].voltage_rms = 0;
  const std::vector<Segment> segments = {seg};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 3);
  const auto fs = frames(s, 4000);
  EXPECT_NEAR(mean_product(fs, 0, 3), -2300.0, 2300 * 2e-5);
  for (const auto& f : fs) ASSERT_EQ(f.voltage[1], 0);
  EXPECT_NEAR(rms(fs, 4), 10.0, 1e-5);  // the current of the lost phase flows on
}

TEST(Synthesizer, ClampsAtFullScale) {
  // 300 V peaks at 424.3 V > 400 V; 80 A peaks at 113.1 A > 100 A.
  const std::vector<Segment> segments = {balanced(1, 50, 300, 80, 0)};
  const Scenario scenario = scenario_of(segments);
  Synthesizer s(scenario, kFrontEnd, 1);
  int v_high = 0, v_low = 0, i_high = 0, i_low = 0;
  for (const auto& f : frames(s, 4000)) {
    ASSERT_LE(f.voltage[0], 32767);
    ASSERT_GE(f.voltage[0], -32768);
    ASSERT_LE(f.current[0], 8388607);
    ASSERT_GE(f.current[0], -8388608);
    v_high += f.voltage[0] == 32767;
    v_low += f.voltage[0] == -32768;
    i_high += f.current[0] == 8388607;
    i_low += f.current[0] == -8388608;
  }
  // |sin| > 400 / 424.26 for 2 * (90 - 70.53) = 38.9 degrees of each half cycle:
  // 38.9 / 360 * 80 = 8.6 samples per half cycle, 50 half cycles each way.
  EXPECT_NEAR(v_high, 8.6 * 50, 60);
  EXPECT_NEAR(v_low, 8.6 * 50, 60);
  EXPECT_GT(i_high, 0);
  EXPECT_GT(i_low, 0);
}

TEST(Synthesizer, SeededNoiseIsDeterministicWithTheGivenRms) {
  const std::vector<Segment> segments = {balanced(10, 50, 230, 10, 0)};
  const Scenario a = scenario_of(segments, false, 7, 5.0);
  const Scenario b = scenario_of(segments, false, 8, 5.0);
  Synthesizer s1(a, kFrontEnd, 3), s2(a, kFrontEnd, 3), s3(b, kFrontEnd, 3);
  const auto f1 = frames(s1, 20000), f2 = frames(s2, 20000), f3 = frames(s3, 20000);
  int differing = 0;
  for (std::size_t i = 0; i < f1.size(); ++i) {
    ASSERT_EQ(0, std::memcmp(&f1[i], &f2[i], sizeof f1[i])) << i;
    differing += std::memcmp(&f1[i], &f3[i], sizeof f1[i]) != 0;
  }
  EXPECT_GT(differing, 19000);

  // Codes minus the ideal waveform: noise (variance 25) plus rounding (1/12).
  Synthesizer clean(a, kFrontEnd, 3);
  double sum = 0, sum2 = 0;
  for (const auto& f : f1) {
    Analog x;
    clean.analog(x);
    hal::AdcFrame ignored;
    clean.next(ignored);
    for (int p = 0; p < 3; ++p) {
      const double e = f.voltage[p] - x.voltage[p] * kCodesPerVolt;
      sum += e;
      sum2 += e * e;
    }
  }
  const double n = 3.0 * f1.size();
  EXPECT_NEAR(sum / n, 0.0, 0.1);
  EXPECT_NEAR(sum2 / n, 25.0 + 1.0 / 12, 0.6);
}

TEST(Synthesizer, SegmentsRepeatOrHoldTheLast) {
  const std::vector<Segment> segments = {balanced(2, 50, 230, 1, 0), balanced(3, 60, 230, 2, 0)};
  const Scenario repeating = scenario_of(segments, true);
  Synthesizer s(repeating, kFrontEnd, 3);
  EXPECT_EQ(s.segment(), 0);
  EXPECT_EQ(s.samples_left_in_segment(), 8000u);
  s.generate(std::vector<hal::AdcFrame>(8000).data(), 8000);
  EXPECT_EQ(s.segment(), 1);
  EXPECT_EQ(s.segment_start(), 8000u);
  EXPECT_EQ(s.samples_left_in_segment(), 12000u);
  s.generate(std::vector<hal::AdcFrame>(12000).data(), 12000);
  EXPECT_EQ(s.segment(), 0);
  EXPECT_EQ(s.pass(), 1u);
  EXPECT_EQ(s.samples(), 20000u);

  const Scenario once = scenario_of(segments, false);
  Synthesizer h(once, kFrontEnd, 3);
  h.generate(std::vector<hal::AdcFrame>(40000).data(), 40000);
  EXPECT_EQ(h.segment(), 1);
  EXPECT_EQ(h.pass(), 0u);
  EXPECT_EQ(h.samples_left_in_segment(), UINT64_MAX);
  // Held: still 2 A at 60 Hz.
  EXPECT_NEAR(rms(frames(h, 4000), 3), 2.0, 2e-6);
}

}  // namespace
}  // namespace metergen::simulation
