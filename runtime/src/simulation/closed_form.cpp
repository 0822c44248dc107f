// Readings of a segment in closed form (closed_form.hpp).
#include <metergen/simulation/closed_form.hpp>

#include <metergen/metrology/metrology.hpp>
#include <metergen/metrology/scalar_math.hpp>
#include <metergen/simulation/synthesizer.hpp>

namespace metergen::simulation {
namespace {

namespace math = metrology::math;

struct Phasor {
  double re, im;
};

// An RMS amplitude at an angle (Turns), as a phasor.
Phasor phasor(double rms, Turns angle) {
  const SinCos sc = sin_cos(angle);
  return {rms * sc.cos, rms * sc.sin};
}

// An angle in Turns as millidegrees 0..359999, rounded like metrology rounds.
std::int32_t angle_mdeg(Turns angle) {
  constexpr double kMdegPerUnit = 360000.0 / 18446744073709551616.0;
  auto mdeg = math::round_to_int(static_cast<double>(angle) * kMdegPerUnit);
  if (mdeg >= 360000) mdeg -= 360000;
  return static_cast<std::int32_t>(mdeg);
}

std::uint32_t thd_ppm(double harmonic_square_sum_percent) {
  const double thd = math::sqrt(harmonic_square_sum_percent) * 1e4;  // sqrt(sum (x/100)^2) * 1e6
  return thd >= 4e9 ? 4'000'000'000u : static_cast<std::uint32_t>(math::round_to_int(thd));
}

}  // namespace

metrology::Readings readings_of(const Segment& segment, const tables::Model& model, std::uint32_t second) {
  metrology::Readings r{};
  r.second = second;
  const int phases = model.phases == 3 ? 3 : 1;
  r.phases = static_cast<std::uint8_t>(phases);
  const double present_uv = model.metering.voltage_min_mv * 1000.0 * metrology::kVoltagePresentPercent / 100;
  const double creep_ua = model.metering.starting_current_ma * 1000.0 * metrology::kCreepPercent / 100;

  // Neutral: per order, the phasor sum of the phase currents (or the given fundamental).
  struct Order {
    std::uint32_t order;
    Phasor sum;
  };
  Order neutral[1 + 3 * kMaxHarmonics] = {};
  int orders = 0;
  auto add_neutral = [&](std::uint32_t order, Phasor p) {
    int i = 0;
    while (i < orders && neutral[i].order != order) ++i;
    if (i == orders) neutral[orders++] = {order, {0, 0}};
    neutral[i].sum.re += p.re;
    neutral[i].sum.im += p.im;
  };

  Turns voltage_angle[3] = {};
  for (int p = 0; p < phases; ++p) {
    const PhaseLoad& load = segment.phase[p];
    metrology::PhaseReadings& out = r.phase[p];
    const std::uint8_t count = load.harmonic_count > kMaxHarmonics ? kMaxHarmonics : load.harmonic_count;
    voltage_angle[p] = turns_from_degrees(load.voltage_angle_deg);
    const Turns lag = turns_from_degrees(load.angle_deg);
    const Turns current_angle = voltage_angle[p] - lag;
    double v_harmonics = 0, i_harmonics = 0, harmonic_power = 0;  // sums of percent^2 and of W
    add_neutral(1, phasor(load.current_rms, current_angle));
    for (std::uint8_t j = 0; j < count; ++j) {
      const Harmonic& h = load.harmonics[j];
      v_harmonics += h.voltage_percent * h.voltage_percent;
      i_harmonics += h.current_percent * h.current_percent;
      harmonic_power += load.voltage_rms * h.voltage_percent / 100 * load.current_rms * h.current_percent / 100 *
                        sin_cos(turns_from_degrees(h.phase_deg)).cos;
      add_neutral(h.order, phasor(load.current_rms * h.current_percent / 100,
                                  voltage_angle[p] * h.order - turns_from_degrees(h.phase_deg)));
    }
    const double v_rms = load.voltage_rms * math::sqrt(1 + v_harmonics / 1e4) * 1e6;  // uV
    const double i_rms = load.current_rms * math::sqrt(1 + i_harmonics / 1e4) * 1e6;  // uA
    out.voltage_uv = math::round_to_int(v_rms);
    out.current_ua = math::round_to_int(i_rms);
    out.voltage_present = v_rms >= present_uv;
    out.thd_voltage_ppm = load.voltage_rms > 0 ? thd_ppm(v_harmonics) : 0;
    out.creeping = i_rms < creep_ua;
    out.power_factor_milli = 1000;
    if (!out.creeping) {
      const SinCos phi = sin_cos(lag);
      const double vi = load.voltage_rms * load.current_rms;  // W, VA of the fundamentals
      const double active = (vi * phi.cos + harmonic_power) * 1e6;
      const double apparent = v_rms * i_rms * 1e-6;
      out.active_uw = math::round_to_int(active);
      out.reactive_uvar = math::round_to_int(vi * phi.sin * 1e6);
      out.apparent_uva = math::round_to_int(apparent);
      if (apparent > 0) {
        const double pf = active / apparent;
        out.power_factor_milli =
            static_cast<std::int32_t>(math::round_to_int(pf > 1 ? 1000 : pf < -1 ? -1000 : pf * 1000));
      }
      if (vi > 0) out.vi_angle_mdeg = angle_mdeg(Turns{0} - lag);
      out.thd_current_ppm = load.current_rms > 0 ? thd_ppm(i_harmonics) : 0;
    }
  }
  for (int p = 1; p < phases; ++p)
    if (r.phase[0].voltage_present && r.phase[p].voltage_present)
      r.phase[p].voltage_angle_mdeg = angle_mdeg(voltage_angle[p] - voltage_angle[0]);

  // Sequence from the first two phases with voltage (as metrology decides it).
  int present[2] = {0, 0}, count = 0;
  for (int p = 0; p < phases && count < 2; ++p)
    if (r.phase[p].voltage_present) present[count++] = p;
  if (count == 2) {
    const std::int32_t angle = angle_mdeg(voltage_angle[present[1]] - voltage_angle[present[0]]);
    const bool leads = angle > 0 && angle < 180000;
    const bool lags = angle > 180000;
    r.phase_sequence_reversed = present[1] - present[0] == 1 ? leads : lags;
  }

  if (model.metering.neutral_current) {
    double square = 0;
    if (segment.neutral_current_rms >= 0) {
      square = segment.neutral_current_rms * segment.neutral_current_rms;
    } else {
      for (int i = 0; i < orders; ++i) square += neutral[i].sum.re * neutral[i].sum.re + neutral[i].sum.im * neutral[i].sum.im;
    }
    r.neutral_current_ua = math::round_to_int(math::sqrt(square) * 1e6);
  }
  for (int p = 0; p < phases; ++p)
    if (r.phase[p].voltage_present) {
      r.frequency_mhz = static_cast<std::uint32_t>(math::round_to_int(segment.frequency_hz * 1000));
      break;
    }
  return r;
}

}  // namespace metergen::simulation
