// simulation::readings_of, the readings of a scenario segment in closed form
// (Fidelity::readings): against values worked out by hand (230 V, 5 A, PF 0.5
// inductive: P = 575 W, Q = 1150 x sin 60 = 995.929 var per phase), and against
// metrology measuring the same segment's samples (Synthesizer -> Metrology) for
// balanced, inductive, capacitive, reversed, lost-phase and harmonic loads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include <clms100/model.hpp>
#include <hxf300-eu/model.hpp>
#include <metergen/metrology/metrology.hpp>
#include <metergen/simulation/closed_form.hpp>
#include <metergen/simulation/synthesizer.hpp>

#include "test_metrology_signal.hpp"

namespace metergen::simulation {
namespace {

const tables::Model& hxf = models::hxf300_eu::model;  // 3 phases, neutral measured, starting current 5 mA

Segment balanced(double volts, double amps, double lag_deg) {
  Segment s{};
  s.name = "";
  s.duration_s = 60;
  s.frequency_hz = 50;
  s.neutral_current_rms = -1;
  const double voltage_angle[3] = {0, -120, 120};
  for (int p = 0; p < 3; ++p) {
    s.phase[p].voltage_rms = volts;
    s.phase[p].current_rms = amps;
    s.phase[p].angle_deg = lag_deg;
    s.phase[p].voltage_angle_deg = voltage_angle[p];
  }
  return s;
}

TEST(ClosedForm, InductiveLoadByHand) {
  const metrology::Readings r = readings_of(balanced(230, 5, 60), hxf, 7);
  EXPECT_EQ(r.second, 7u);
  EXPECT_EQ(r.phases, 3);
  for (int p = 0; p < 3; ++p) {
    SCOPED_TRACE(p);
    const metrology::PhaseReadings& x = r.phase[p];
    EXPECT_EQ(x.voltage_uv, 230'000'000);
    EXPECT_EQ(x.current_ua, 5'000'000);
    EXPECT_NEAR(x.active_uw, 575'000'000, 1);       // 230 V x 5 A x cos 60
    EXPECT_NEAR(x.reactive_uvar, 995'929'214, 1);   // 230 V x 5 A x sin 60 = 995.929214 var
    EXPECT_EQ(x.apparent_uva, 1'150'000'000);
    EXPECT_EQ(x.power_factor_milli, 500);
    EXPECT_EQ(x.vi_angle_mdeg, 300'000);            // the current lags by 60 degrees
    EXPECT_EQ(x.thd_voltage_ppm, 0u);
    EXPECT_EQ(x.thd_current_ppm, 0u);
    EXPECT_TRUE(x.voltage_present);
    EXPECT_FALSE(x.creeping);
  }
  EXPECT_EQ(r.phase[0].voltage_angle_mdeg, 0);
  EXPECT_EQ(r.phase[1].voltage_angle_mdeg, 240'000);
  EXPECT_EQ(r.phase[2].voltage_angle_mdeg, 120'000);
  EXPECT_FALSE(r.phase_sequence_reversed);
  EXPECT_EQ(r.frequency_mhz, 50'000u);
  EXPECT_LE(std::llabs(r.neutral_current_ua), 1);  // balanced: the currents cancel
}

TEST(ClosedForm, HarmonicsReversalLossAndCreepByHand) {
  Segment s = balanced(230, 5, 0);
  // L1: 10 % 3rd harmonic voltage, 30 % 3rd harmonic current in phase with it.
  s.phase[0].harmonic_count = 1;
  s.phase[0].harmonics[0] = {3, 10, 30, 0};
  s.phase[1].angle_deg = 180;   // L2 exports
  s.phase[2].voltage_rms = 0;   // L3 lost, still carrying current
  const metrology::Readings r = readings_of(s, hxf, 1);
  // Vrms = 230 sqrt(1.01), Irms = 5 sqrt(1.09); P = 1150 + 23 x 1.5 = 1184.5 W.
  EXPECT_EQ(r.phase[0].voltage_uv, std::llround(230e6 * std::sqrt(1.01)));
  EXPECT_EQ(r.phase[0].current_ua, std::llround(5e6 * std::sqrt(1.09)));
  EXPECT_NEAR(r.phase[0].active_uw, 1'184'500'000, 1);
  EXPECT_NEAR(r.phase[0].reactive_uvar, 0, 1);
  EXPECT_NEAR(r.phase[0].apparent_uva, 1150e6 * std::sqrt(1.01 * 1.09), 1);
  EXPECT_EQ(r.phase[0].thd_voltage_ppm, 100'000u);
  EXPECT_EQ(r.phase[0].thd_current_ppm, 300'000u);
  EXPECT_NEAR(r.phase[1].active_uw, -1'150'000'000, 1);
  EXPECT_EQ(r.phase[1].power_factor_milli, -1000);
  EXPECT_EQ(r.phase[1].vi_angle_mdeg, 180'000);
  EXPECT_FALSE(r.phase[2].voltage_present);
  EXPECT_EQ(r.phase[2].active_uw, 0);
  EXPECT_EQ(r.phase[2].voltage_angle_mdeg, 0);
  EXPECT_EQ(r.phase[2].current_ua, 5'000'000);

  // 2 mA is below 60 % of hxf300-eu's 5 mA starting current: no powers.
  const metrology::Readings idle = readings_of(balanced(230, 0.002, 0), hxf, 1);
  EXPECT_TRUE(idle.phase[0].creeping);
  EXPECT_EQ(idle.phase[0].active_uw, 0);
  EXPECT_EQ(idle.phase[0].power_factor_milli, 1000);
  EXPECT_EQ(idle.phase[0].current_ua, 2000);

  // A negative sequence: L2 leads L1.
  Segment negative = balanced(230, 5, 0);
  negative.phase[1].voltage_angle_deg = 120;
  negative.phase[2].voltage_angle_deg = -120;
  EXPECT_TRUE(readings_of(negative, hxf, 1).phase_sequence_reversed);

  // A single-phase model reads L1 only.
  const metrology::Readings one = readings_of(balanced(230, 5, 60), models::clms100::model, 1);
  EXPECT_EQ(one.phases, 1);
  EXPECT_NEAR(one.phase[0].active_uw, 575'000'000, 1);
  EXPECT_EQ(one.phase[1].voltage_uv, 0);
}

// The third second metrology measures from the segment's samples.
metrology::Readings measured(const Segment& segment, const tables::Model& model) {
  const Scenario scenario{&segment, 1, false, 1, 0};
  const hal::FrontEnd fe = front_end_for(model.metering);
  Synthesizer synth(scenario, fe, model.phases, model.metering.neutral_current);
  metrology::test::PulseHal hal;
  metrology::Metrology metrology(model.metering, fe, model.phases, hal);
  std::vector<hal::AdcFrame> frames(fe.sample_rate_hz);
  for (int s = 0; s < 3; ++s) {
    synth.generate(frames.data(), frames.size());
    metrology.process(frames.data(), frames.size());
  }
  return metrology.readings();
}

std::int32_t angle_difference(std::int32_t a, std::int32_t b) {
  std::int32_t d = std::abs(a - b);
  return d > 180'000 ? 360'000 - d : d;
}

void expect_agree(const Segment& segment, const tables::Model& model) {
  const metrology::Readings m = measured(segment, model);
  const metrology::Readings c = readings_of(segment, model, m.second);
  // Metrology's own error on 16/24-bit channels is a few ppm of S; 300 ppm leaves room for quantisation.
  constexpr double kPpm = 300e-6;
  for (int p = 0; p < model.phases; ++p) {
    SCOPED_TRACE("L" + std::to_string(p + 1));
    const metrology::PhaseReadings& a = m.phase[p];
    const metrology::PhaseReadings& b = c.phase[p];
    const double s = std::max<double>(1e6, static_cast<double>(b.apparent_uva));
    EXPECT_NEAR(a.voltage_uv, b.voltage_uv, b.voltage_uv * kPpm + 20'000);
    EXPECT_NEAR(a.current_ua, b.current_ua, b.current_ua * kPpm + 100);
    EXPECT_NEAR(a.active_uw, b.active_uw, s * kPpm);
    EXPECT_NEAR(a.reactive_uvar, b.reactive_uvar, s * kPpm);
    EXPECT_NEAR(a.apparent_uva, b.apparent_uva, s * kPpm);
    EXPECT_NEAR(a.power_factor_milli, b.power_factor_milli, 1);
    if (!b.creeping && b.apparent_uva > 0) EXPECT_LE(angle_difference(a.vi_angle_mdeg, b.vi_angle_mdeg), 50);
    EXPECT_LE(angle_difference(a.voltage_angle_mdeg, b.voltage_angle_mdeg), 50);
    EXPECT_NEAR(a.thd_voltage_ppm, b.thd_voltage_ppm, 500);
    EXPECT_NEAR(a.thd_current_ppm, b.thd_current_ppm, 500);
    EXPECT_EQ(a.voltage_present, b.voltage_present);
    EXPECT_EQ(a.creeping, b.creeping);
  }
  EXPECT_NEAR(m.neutral_current_ua, c.neutral_current_ua, c.neutral_current_ua * kPpm + 1000);
  EXPECT_NEAR(m.frequency_mhz, c.frequency_mhz, 2);
  EXPECT_EQ(m.phase_sequence_reversed, c.phase_sequence_reversed);
}

TEST(ClosedForm, AgreesWithMetrologyOnTheSamples) {
  {
    SCOPED_TRACE("balanced, PF 1");
    expect_agree(balanced(230, 5, 0), hxf);
  }
  {
    SCOPED_TRACE("PF 0.5 inductive, 49.9 Hz");
    Segment s = balanced(230, 5, 60);
    s.frequency_hz = 49.9;
    expect_agree(s, hxf);
  }
  {
    SCOPED_TRACE("PF 0.8 capacitive, unbalanced");
    Segment s = balanced(240, 2, -36.87);
    s.phase[1].current_rms = 7;
    s.phase[2].current_rms = 0.5;
    expect_agree(s, hxf);
  }
  {
    SCOPED_TRACE("reversed");
    expect_agree(balanced(230, 4, 180 + 25), hxf);
  }
  {
    SCOPED_TRACE("L2 lost");
    Segment s = balanced(230, 3, 20);
    s.phase[1].voltage_rms = 0;
    s.phase[1].current_rms = 0;
    expect_agree(s, hxf);
  }
  {
    SCOPED_TRACE("harmonics");
    Segment s = balanced(230, 5, 30);
    for (int p = 0; p < 3; ++p) {
      s.phase[p].harmonic_count = 3;
      s.phase[p].harmonics[0] = {3, 4, 30, 10};
      s.phase[p].harmonics[1] = {5, 10, 20, -15};
      s.phase[p].harmonics[2] = {7, 5, 10, 40};
    }
    expect_agree(s, hxf);
  }
  {
    SCOPED_TRACE("given neutral current, single phase");
    Segment s = balanced(230, 5, 45);
    s.neutral_current_rms = 4.5;
    expect_agree(s, hxf);
    expect_agree(s, models::clms100::model);
  }
}

}  // namespace
}  // namespace metergen::simulation
