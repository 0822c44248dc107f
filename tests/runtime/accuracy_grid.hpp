// The accuracy grid of a meter model: the test points of the IEC / EN accuracy
// tables for the classes the model claims (MeteringDef::active_class and
// reactive_class), each run through the simulated front end (front_end_for,
// with noise) and metrology, and the energy the registers get compared with the
// closed-form energy of the synthesised waveform. Shared by the grid test
// (test_accuracy_grid.cpp) and the accuracy benchmark
// (bench/metrology_accuracy.cpp).
//
// Closed form, per loaded phase of fundamental voltage V, current I, lag phi
// and harmonics of order h (voltage v_h V, current i_h I, the current harmonic
// lagging its voltage harmonic by psi_h), over whole cycles:
//   P = V I cos(phi) + sum_h v_h V i_h I cos(psi_h),   Q1 = V I sin(phi)
// and a steady load for T seconds has the energies P T and Q1 T.
//
// The limits are typed from the standards' tables of percentage error limits
// at reference conditions (variation of the current, clause 8.1 of IEC
// 62053-21/-22/-23/-24 and EN 50470-3); the rows marked "as reproduced" were
// not re-checked against a licensed copy of the standard.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <metergen/energy/quadrants.hpp>
#include <metergen/metrology/metrology.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/synthesizer.hpp>

#include <seed_models.hpp>

#include "test_metrology_signal.hpp"

namespace metergen::accuracy {

inline constexpr double kPi = 3.14159265358979323846;
inline double degrees(double radians) { return radians * 180 / kPi; }

// The load conditions of the tables: a power factor (active rows) or a sin phi
// (reactive rows), inductive (current lagging) or capacitive (leading).
enum Condition : int {
  kPf1, kPf05Ind, kPf08Cap, kPf025Ind, kPf05Cap,
  kSin1Ind, kSin1Cap, kSin05Ind, kSin05Cap, kSin025Ind, kSin025Cap,
  kConditions
};

inline const char* name(Condition c) {
  static const char* const names[kConditions] = {"PF 1",          "PF 0.5 ind",     "PF 0.8 cap",   "PF 0.25 ind",
                                                 "PF 0.5 cap",    "sin 1 ind",      "sin 1 cap",    "sin 0.5 ind",
                                                 "sin 0.5 cap",   "sin 0.25 ind",   "sin 0.25 cap"};
  return names[c];
}

// Degrees by which the current lags the voltage.
inline double lag_deg(Condition c) {
  switch (c) {
    case kPf1: return 0;
    case kPf05Ind: return degrees(std::acos(0.5));
    case kPf08Cap: return -degrees(std::acos(0.8));
    case kPf025Ind: return degrees(std::acos(0.25));
    case kPf05Cap: return -degrees(std::acos(0.5));
    case kSin1Ind: return 90;
    case kSin1Cap: return -90;
    case kSin05Ind: return degrees(std::asin(0.5));
    case kSin05Cap: return -degrees(std::asin(0.5));
    case kSin025Ind: return degrees(std::asin(0.25));
    case kSin025Cap: return -degrees(std::asin(0.25));
    default: return 0;
  }
}

constexpr unsigned bit(Condition c) { return 1u << c; }

// One row of a table: the conditions it covers, its current range as a share
// of In (transformer-operated) or Ib (direct), from inclusive, to exclusive
// (kToImax: up to Imax inclusive), and its limit in percent.
inline constexpr double kToImax = -1;
struct Row {
  unsigned conditions;
  double from, to;
  double limit_percent;
};

// A class's table. `single_load` rows apply to a polyphase meter carrying a
// single-phase load; a table without them is held to its balanced rows then
// (stricter: the standards allow more for a single-phase load).
struct Table {
  const char* standard;
  std::vector<Row> balanced;
  std::vector<Row> single_load;
};

// Active energy.
inline Table active_table(const tables::MeteringDef& m) {
  const unsigned pf05 = bit(kPf05Ind) | bit(kPf08Cap), pf025 = bit(kPf025Ind) | bit(kPf05Cap);
  const std::string cls = m.active_class;
  if (cls == "0.2S" && m.transformer_operated)
    // IEC 62053-22, 8.1, class 0.2S, as reproduced. No single-phase-load rows typed.
    return {"IEC 62053-22 class 0.2S",
            {{bit(kPf1), 0.01, 0.05, 0.4},
             {bit(kPf1), 0.05, kToImax, 0.2},
             {pf05, 0.02, 0.1, 0.5},
             {pf05, 0.1, kToImax, 0.3},
             {pf025, 0.1, kToImax, 0.5}},  // "on request"
            {}};
  if (cls == "1" && !m.transformer_operated)
    // IEC 62053-21, 8.1, class 1, direct-connected (confirmed from a published
    // excerpt), and the polyphase meter carrying a single-phase load.
    return {"IEC 62053-21 class 1",
            {{bit(kPf1), 0.05, 0.1, 1.5},
             {bit(kPf1), 0.1, kToImax, 1.0},
             {pf05, 0.1, 0.2, 1.5},
             {pf05, 0.2, kToImax, 1.0}},
            {{bit(kPf1), 0.1, kToImax, 2.0}, {bit(kPf05Ind), 0.2, kToImax, 2.0}}};
  if (cls == "B" && !m.transformer_operated)
    // EN 50470-3, 8.1, class B at reference conditions, as reproduced. Direct
    // connection: Itr = Iref / 10 = 0.1 Ib (EN 50470-1) and Imin = Itr / 2 =
    // 0.05 Ib, the lowest current class B allows (clms100 states Imin 0.25 A at Ib 5 A).
    return {"EN 50470-3 class B",
            {{bit(kPf1), 0.05, 0.1, 1.5}, {bit(kPf1) | pf05, 0.1, kToImax, 1.0}},
            {}};
  return {nullptr, {}, {}};
}

// Fundamental (IEC 62053-24) or sinusoidal (IEC 62053-23) reactive energy.
inline Table reactive_table(const tables::MeteringDef& m) {
  const unsigned sin1 = bit(kSin1Ind) | bit(kSin1Cap), sin05 = bit(kSin05Ind) | bit(kSin05Cap),
                 sin025 = bit(kSin025Ind) | bit(kSin025Cap);
  const std::string cls = m.reactive_class;
  if (cls == "1S" && m.transformer_operated)
    // IEC 62053-24, 8.1, class 1S, as reproduced.
    return {"IEC 62053-24 class 1S",
            {{sin1, 0.01, 0.05, 1.5}, {sin1, 0.05, kToImax, 1.0}, {sin05, 0.02, 0.1, 1.5}, {sin05, 0.1, kToImax, 1.0}},
            {}};
  if (cls == "2" && !m.transformer_operated)
    // IEC 62053-23, 8.1, class 2, direct-connected, as reproduced.
    return {"IEC 62053-23 class 2",
            {{sin1, 0.05, 0.1, 2.5},
             {sin1, 0.1, kToImax, 2.0},
             {sin05, 0.1, 0.2, 2.5},
             {sin05, 0.2, kToImax, 2.0},
             {sin025, 0.2, kToImax, 2.5}},
            {}};
  return {nullptr, {}, {}};
}

// The limit of the row a point falls in, percent; < 0 when no row covers it.
inline double limit(const Table& t, Condition c, double share, bool single_load) {
  const std::vector<Row>& rows = single_load && !t.single_load.empty() ? t.single_load : t.balanced;
  for (const Row& r : rows)
    if ((r.conditions & bit(c)) && share >= r.from && (r.to == kToImax || share < r.to)) return r.limit_percent;
  return -1;
}

// The harmonics of the distorted points: 5th and 7th, 2 % and 1 % of the
// voltage, 10 % and 5 % of the current, the current harmonics lagging their
// voltage harmonics by 30 and -45 degrees.
inline constexpr simulation::Harmonic kHarmonics[2] = {{5, 2.0, 10.0, 30.0}, {7, 1.0, 5.0, -45.0}};


// The seed models (linked without an active model; cmake/SeedModels.cmake).
struct SeedModel {
  const char* id;
  const tables::Model& model;
};

inline const std::vector<SeedModel> kSeedModels = [] {
  std::vector<SeedModel> out;
  for (const tables::Model* m : seed_models::kAll) out.push_back({m->id, *m});
  return out;
}();

// RMS noise on every ADC channel, in codes.
inline constexpr double kNoiseLsb = 1.0;

struct Point {
  Condition condition;
  double share;          // of In (transformer-operated) or Ib (direct); Imax / In for the Imax point
  double voltage_v;
  double frequency_hz;
  bool harmonics;
  int loaded;            // 0: every phase (balanced); 1..3: that phase alone
  std::uint32_t seconds;
  double active_limit;   // percent, of the point's row; < 0: no active row
  double reactive_limit;
};

// The families of points, each a test of its own.
enum Family : int { kBalanced, kSinglePhaseLoad, kFrequency, kHarmonic, kFamilies };

inline const char* name(Family f) {
  static const char* const names[kFamilies] = {"Balanced", "SinglePhaseLoad", "Frequency", "Harmonics"};
  return names[f];
}

// The current steps: 1, 2, 5, 10, 20, 50, 100 % of In and Imax for a
// transformer-operated meter; from 5 % of Ib for a direct one.
inline std::vector<double> current_steps(const tables::MeteringDef& m) {
  std::vector<double> s = m.transformer_operated ? std::vector<double>{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1}
                                                 : std::vector<double>{0.05, 0.1, 0.2, 0.5, 1};
  s.push_back(static_cast<double>(m.max_current_ma) / m.basic_current_ma);
  return s;
}

// Seconds of energy per point. A second's power is exact to the algorithm for
// a steady load (its window holds whole cycles), so T only averages the noise,
// which weighs most at the two lowest current steps.
inline std::uint32_t seconds_at(double share, const std::vector<double>& steps) {
  return share <= steps[1] ? 8 : 4;
}

// The points of a family. Balanced and single-phase loads run at 50 Hz at
// both ends of the reference voltage range, at every current step and
// condition a row covers; the frequency (45, 49, 51, 55 Hz) and harmonic (45,
// 50, 55 Hz) points at the highest reference voltage, the lowest current, In
// (Ib) and Imax, balanced (a single-phase meter: its one phase).
inline std::vector<Point> grid(const tables::MeteringDef& m, std::uint8_t phases, Family family) {
  const Table active = active_table(m), reactive = reactive_table(m);
  const std::vector<double> steps = current_steps(m);
  const double v_min = m.voltage_min_mv / 1000.0, v_max = m.voltage_max_mv / 1000.0;
  std::vector<double> voltages{v_max};
  if (v_min != v_max) voltages.insert(voltages.begin(), v_min);
  std::vector<Point> out;
  auto add = [&](double share, double volts, double hz, bool harmonics, int loaded) {
    const bool single_load = phases == 3 && loaded != 0;
    for (int c = 0; c < kConditions; ++c) {
      const auto cond = static_cast<Condition>(c);
      const double a = limit(active, cond, share, single_load), q = limit(reactive, cond, share, single_load);
      if (a < 0 && q < 0) continue;
      out.push_back({cond, share, volts, hz, harmonics, loaded, seconds_at(share, steps), a, q});
    }
  };
  const int whole = phases == 3 ? 0 : 1;  // the load on every phase the meter has
  switch (family) {
    case kBalanced:
      for (double v : voltages)
        for (double s : steps) add(s, v, 50, false, whole);
      break;
    case kSinglePhaseLoad:
      if (phases == 3)
        for (double v : voltages)
          for (int p = 1; p <= 3; ++p)
            for (double s : steps) add(s, v, 50, false, p);
      break;
    case kFrequency:
      for (double hz : {45.0, 49.0, 51.0, 55.0})
        for (double s : {steps.front(), 1.0, steps.back()}) add(s, v_max, hz, false, whole);
      break;
    case kHarmonic:
      for (double hz : {45.0, 50.0, 55.0})
        for (double s : {steps.front(), 1.0, steps.back()}) add(s, v_max, hz, true, whole);
      break;
    default: break;
  }
  return out;
}

inline double current_a(const Point& p, const tables::MeteringDef& m) { return p.share * m.basic_current_ma / 1000.0; }

// The closed-form powers of a point over its loaded phases, W and var.
struct Powers {
  double active, reactive;
};

inline Powers closed_form(const Point& p, const tables::MeteringDef& m) {
  const double v = p.voltage_v, i = current_a(p, m), phi = lag_deg(p.condition) * kPi / 180;
  double active = v * i * std::cos(phi);
  if (p.harmonics)
    for (const simulation::Harmonic& h : kHarmonics)
      active += v * h.voltage_percent / 100 * i * h.current_percent / 100 * std::cos(h.phase_deg * kPi / 180);
  const int loaded = p.loaded == 0 ? 3 : 1;
  return {loaded * active, loaded * v * i * std::sin(phi)};
}

// The point as a scenario segment: positive-sequence voltages on every phase,
// the current on the loaded ones.
inline simulation::Segment segment_of(const Point& p, const tables::MeteringDef& m) {
  simulation::Segment s{};
  s.name = "";
  s.duration_s = p.seconds;
  s.frequency_hz = p.frequency_hz;
  s.neutral_current_rms = -1;
  const double voltage_angle[3] = {0, -120, 120};
  for (int k = 0; k < 3; ++k) {
    simulation::PhaseLoad& l = s.phase[k];
    l.voltage_rms = p.voltage_v;
    l.voltage_angle_deg = voltage_angle[k];
    l.current_rms = p.loaded == 0 || p.loaded == k + 1 ? current_a(p, m) : 0;
    l.angle_deg = lag_deg(p.condition);
    if (p.harmonics) {
      l.harmonic_count = 2;
      l.harmonics[0] = kHarmonics[0];
      l.harmonics[1] = kHarmonics[1];
    }
  }
  return s;
}

// What the energy registers got against the closed form: relative errors
// (measured / closed form - 1) of the quantities with a row, and the energy
// registered in the direction opposite to the load's (-A, or the reactive
// register of the other sense), which must stay 0.
struct Outcome {
  double active_error = 0;
  double reactive_error = 0;
  std::int64_t reverse_uj = 0;
  bool every_second_metered = true;
};

// Synthesizer -> Metrology -> quadrant mapping (CT/VT 1/1) of the totals, one
// second of frames at a time; the uJ of each second summed as the registers do.
inline Outcome run(const Point& p, const tables::MeteringDef& m, std::uint8_t phases, std::uint32_t seed) {
  using tables::Quantity;
  const simulation::Segment segment = segment_of(p, m);
  const simulation::Scenario scenario{&segment, 1, false, seed, kNoiseLsb};
  const hal::FrontEnd fe = simulation::front_end_for(m);
  simulation::Synthesizer synth(scenario, fe, phases, m.neutral_current);
  metrology::test::PulseHal hal;
  metrology::Metrology metrology(m, fe, phases, hal);
  std::vector<hal::AdcFrame> frames(fe.sample_rate_hz);
  energy::QuantityPowers uj{};
  Outcome out;
  for (std::uint32_t s = 0; s < p.seconds; ++s) {
    synth.generate(frames.data(), frames.size());
    metrology.process(frames.data(), frames.size());
    out.every_second_metered = out.every_second_metered && metrology.second_ready();
    const energy::SecondPowers powers = energy::map_quadrants(metrology.readings(), energy::Ratios{});
    for (int q = 0; q < energy::kEnergyQuantities; ++q) uj.uw[q] += powers.phase[0].uw[q];
  }
  const Powers expected = closed_form(p, m);
  const double joules = 1e-6, seconds = p.seconds;
  if (p.active_limit >= 0) {
    out.active_error = uj[Quantity::active_import] * joules / (expected.active * seconds) - 1;
    out.reverse_uj += uj[Quantity::active_export];
  }
  if (p.reactive_limit >= 0) {
    const bool lagging = expected.reactive > 0;
    const std::int64_t forward = uj[lagging ? Quantity::reactive_import : Quantity::reactive_export];
    out.reactive_error = forward * joules / (std::fabs(expected.reactive) * seconds) - 1;
    out.reverse_uj += uj[lagging ? Quantity::reactive_export : Quantity::reactive_import];
  }
  return out;
}

// "230 V 0.05 Ib (0.50 A) PF 0.5 ind 50 Hz L1 only, harmonics"
inline std::string describe(const Point& p, const tables::MeteringDef& m) {
  char text[160];
  const char* base = m.transformer_operated ? "In" : "Ib";
  const char* load = p.loaded == 0 ? "balanced" : p.loaded == 1 ? "L1 only" : p.loaded == 2 ? "L2 only" : "L3 only";
  std::snprintf(text, sizeof text, "%g V %g %s (%.3f A) %s %g Hz %s%s", p.voltage_v, p.share, base, current_a(p, m),
                name(p.condition), p.frequency_hz, load, p.harmonics ? ", harmonics" : "");
  return text;
}

// A relative error in percent: "+0.001234 %".
inline std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.6f %%", fraction * 100);
  return text;
}

// The worst and mean |error| of a set of points, per quantity.
struct Tally {
  struct Worst {
    double max = 0, sum = 0;
    int count = 0;
    std::string where;
    void add(double error, const std::string& point) {
      const double e = std::fabs(error);
      sum += e;
      ++count;
      if (e >= max) {
        max = e;
        where = point;
      }
    }
    double mean() const { return count ? sum / count : 0; }
  };
  Worst active, reactive;

  void add(const Point& p, const Outcome& o, const std::string& point) {
    if (p.active_limit >= 0) active.add(o.active_error, point);
    if (p.reactive_limit >= 0) reactive.add(o.reactive_error, point);
  }
};

// The goals of the digital processing: a tenth of the tightest class limits.
inline constexpr double kActiveGoal = 2e-4;    // 0.02 %
inline constexpr double kReactiveGoal = 5e-4;  // 0.05 %

}  // namespace metergen::accuracy
