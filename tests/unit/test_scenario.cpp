// Scenario files: bad-scenario fixtures with exact diagnostics (second line of
// each fixture, written by hand), units and sugar against values worked out by
// hand (1d = 86400 s, PF 0.5 = 60 degrees, PF 0.8 capacitive = -atan(3/4)), the
// all:/Lx: merge, events, and `scenario emit`: the example scenarios emitted at
// build time, compiled into this test and compared with the parsed files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <metergen/hal.hpp>

#include "commands.hpp"
#include "scenario_emit.hpp"
#include "../support/expectation_fixtures.hpp"

// Emitted by tests/CMakeLists.txt from scenarios/*.yaml.
extern const metergen::simulation::Scenario scenario_steady_balanced;
extern const metergen::simulation::Scenario scenario_day_profile;
extern const metergen::simulation::Scenario scenario_year_readings;
extern const metergen::simulation::Scenario scenario_outage;

namespace metergen {
namespace {

namespace fs = std::filesystem;

class BadScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BadScenario, ReportsExactDiagnostic) {
  fs::current_path(METERGEN_TESTS_DIR);
  const std::string path = "bad_scenarios/" + GetParam();
  const std::string expected = test::expected_diagnostic(path);
  ASSERT_FALSE(expected.empty()) << path << " has no expectation line";
  Diagnostics diags;
  const auto scenario = load_scenario(path, diags);
  const auto all = diags.sorted();
  ASSERT_FALSE(all.empty()) << path << " produced no diagnostic";
  EXPECT_EQ(all.front().format(), expected);
  EXPECT_FALSE(scenario.has_value());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadScenario,
                         ::testing::ValuesIn(test::yaml_fixtures(fs::path(METERGEN_TESTS_DIR) / "bad_scenarios")),
                         [](const auto& info) { return test::fixture_test_name(info.param); });

std::optional<LoadedScenario> parse(const std::string& text, Diagnostics& diags) {
  auto root = load_yaml_text(text, "test.yaml", diags);
  return root ? parse_scenario(*root, "test.yaml", diags) : std::nullopt;
}

LoadedScenario parse_ok(const std::string& text) {
  Diagnostics diags;
  auto s = parse(text, diags);
  for (const auto& d : diags.items()) ADD_FAILURE() << d.format();
  if (!s) throw std::runtime_error("scenario did not parse");
  return std::move(*s);
}

// One segment with `body` (indented by four) after its duration.
std::string one_segment(const std::string& duration, const std::string& body) {
  return "segments:\n  - duration: " + duration + "\n" + body;
}

TEST(Scenario, DurationUnits) {
  const std::pair<const char*, std::uint32_t> cases[] = {
      {"90s", 90}, {"90 s", 90}, {"15min", 900}, {"2h", 7200}, {"1d", 86400}, {"1.5h", 5400}, {"0.25min", 15}};
  for (auto [text, seconds] : cases) {
    const auto s = parse_ok(one_segment(text, "    all: {voltage: 230, current: 5}\n"));
    EXPECT_EQ(s.segments[0].duration_s, seconds) << text;
  }
}

TEST(Scenario, VoltageCurrentAndFrequencyUnits) {
  const auto s = parse_ok(one_segment("1h",
                                      "    frequency: 60 Hz\n"
                                      "    L1: {voltage: 0.4 kV, current: 500 mA}\n"
                                      "    L2: {voltage: 230000 mV, current: 0.002 kA}\n"
                                      "    L3: {voltage: 120, current: 7.5}\n"
                                      "    neutral: 250 mA\n"));
  const simulation::Segment& g = s.segments[0];
  EXPECT_EQ(g.frequency_hz, 60.0);
  EXPECT_DOUBLE_EQ(g.phase[0].voltage_rms, 400.0);
  EXPECT_DOUBLE_EQ(g.phase[0].current_rms, 0.5);
  EXPECT_DOUBLE_EQ(g.phase[1].voltage_rms, 230.0);
  EXPECT_DOUBLE_EQ(g.phase[1].current_rms, 2.0);
  EXPECT_EQ(g.phase[2].voltage_rms, 120.0);
  EXPECT_EQ(g.phase[2].current_rms, 7.5);
  EXPECT_DOUBLE_EQ(g.neutral_current_rms, 0.25);
}

TEST(Scenario, PowerFactorSugarIsTheLagAngle) {
  const auto s = parse_ok(one_segment("1h",
                                      "    all: {voltage: 230 V, current: 5 A, pf: 0.5 inductive}\n"
                                      "    L2: {pf: 0.8 capacitive}\n"
                                      "    L3: {angle: -12.5 deg}\n"));
  const simulation::Segment& g = s.segments[0];
  EXPECT_NEAR(g.phase[0].angle_deg, 60.0, 1e-12);                 // acos 0.5
  EXPECT_NEAR(g.phase[1].angle_deg, -36.86989764584402, 1e-12);   // -atan(3/4): cos = 0.8, leading
  EXPECT_EQ(g.phase[2].angle_deg, -12.5);
  EXPECT_EQ(parse_ok(one_segment("1h", "    all: {voltage: 230, current: 5, pf: 1}\n")).segments[0].phase[0].angle_deg,
            0.0);
}

TEST(Scenario, PhaseEntriesOverrideAllFieldByField) {
  const auto s = parse_ok(one_segment("1h",
                                      "    all:\n"
                                      "      voltage: 230 V\n"
                                      "      current: 5 A\n"
                                      "      harmonics: [{order: 3, current: 20%}]\n"
                                      "    L2: {current: 7 A, voltage_angle: 120}\n"
                                      "    L3: {voltage_angle: -120, harmonics: []}\n"));
  const simulation::Segment& g = s.segments[0];
  EXPECT_EQ(g.phase[1].voltage_rms, 230.0);
  EXPECT_EQ(g.phase[1].current_rms, 7.0);
  EXPECT_EQ(g.phase[0].current_rms, 5.0);
  // Positive sequence by default; L2 and L3 swapped where given.
  EXPECT_EQ(g.phase[0].voltage_angle_deg, 0.0);
  EXPECT_EQ(g.phase[1].voltage_angle_deg, 120.0);
  EXPECT_EQ(g.phase[2].voltage_angle_deg, -120.0);
  ASSERT_EQ(g.phase[0].harmonic_count, 1);
  EXPECT_EQ(g.phase[0].harmonics[0].order, 3);
  EXPECT_EQ(g.phase[0].harmonics[0].current_percent, 20.0);
  EXPECT_EQ(g.phase[0].harmonics[0].voltage_percent, 0.0);
  EXPECT_EQ(g.phase[1].harmonic_count, 1);
  EXPECT_EQ(g.phase[2].harmonic_count, 0);
  EXPECT_EQ(g.frequency_hz, 50.0);               // default
  EXPECT_EQ(g.neutral_current_rms, -1.0);        // the sum of the phase currents
  EXPECT_EQ(std::string(g.name), "");
}

TEST(Scenario, PhaseLossAndReverse) {
  // Reversal adds 180 degrees to the current and to each current harmonic:
  // 30 -> -150, harmonic phase 10 -> -170.
  const auto s = parse_ok(one_segment("10min",
                                      "    all:\n"
                                      "      voltage: 230 V\n"
                                      "      current: 5 A\n"
                                      "      angle: 30\n"
                                      "      harmonics: [{order: 5, voltage: 2%, current: 10%, phase: 10}]\n"
                                      "    phase_loss: [L2]\n"
                                      "    reverse: [L3]\n"));
  const simulation::Segment& g = s.segments[0];
  EXPECT_EQ(g.phase[0].voltage_rms, 230.0);
  EXPECT_EQ(g.phase[1].voltage_rms, 0.0);
  EXPECT_EQ(g.phase[1].current_rms, 5.0);
  EXPECT_EQ(g.phase[0].angle_deg, 30.0);
  EXPECT_EQ(g.phase[2].angle_deg, -150.0);
  EXPECT_EQ(g.phase[2].harmonics[0].phase_deg, -170.0);
  EXPECT_EQ(g.phase[0].harmonics[0].phase_deg, 10.0);
}

TEST(Scenario, TopLevelSettingsAndDefaults) {
  const auto d = parse_ok(one_segment("1h", "    all: {voltage: 230, current: 5}\n"));
  EXPECT_FALSE(d.scenario.repeat);
  EXPECT_EQ(d.scenario.seed, 1u);
  EXPECT_EQ(d.scenario.noise_lsb, 0.0);
  EXPECT_EQ(d.scenario.segment_count, 1);
  EXPECT_EQ(d.scenario.segments, d.segments.data());

  const auto s = parse_ok("repeat: true\nseed: 4294967295\nnoise_lsb: 2.5\n" +
                          one_segment("1h", "    name: morning peak\n    all: {voltage: 230, current: 5}\n") +
                          "  - {duration: 1d, all: {voltage: 230, current: 0}}\n");
  EXPECT_TRUE(s.scenario.repeat);
  EXPECT_EQ(s.scenario.seed, 4294967295u);
  EXPECT_EQ(s.scenario.noise_lsb, 2.5);
  EXPECT_EQ(s.scenario.segment_count, 2);
  EXPECT_STREQ(s.scenario.segments[0].name, "morning peak");
  EXPECT_EQ(s.total_seconds(), 3600u + 86400u);
}

TEST(Scenario, EveryErrorIsReported) {
  Diagnostics diags;
  EXPECT_FALSE(parse(one_segment("1h",
                                 "    all: {voltage: 230, current: 5}\n"
                                 "    phase_loss: [L1, L1]\n"
                                 "    reverse: [L2, L2]\n"),
                     diags));
  EXPECT_EQ(diags.error_count(), 2u);
}

TEST(Scenario, FidelityPowerAndButtons) {
  const auto d = parse_ok(one_segment("1h", "    all: {voltage: 230, current: 5}\n"));
  EXPECT_EQ(d.scenario.fidelity, simulation::Fidelity::samples);
  EXPECT_FALSE(d.segments[0].power_off);
  EXPECT_EQ(d.segments[0].buttons, 0);

  const auto s = parse_ok("fidelity: readings\n" +
                          one_segment("1h", "    all: {voltage: 230, current: 5}\n    power: on\n"
                                            "    press: [reconnect, display]\n") +
                          "  - {duration: 5min, power: off}\n"
                          "  - {duration: 1min, press: [billing], all: {voltage: 230, current: 5}}\n");
  EXPECT_EQ(s.scenario.fidelity, simulation::Fidelity::readings);
  EXPECT_FALSE(s.segments[0].power_off);
  EXPECT_EQ(s.segments[0].buttons,
            hal::button_bit(hal::Button::reconnect) | hal::button_bit(hal::Button::display));
  // An unpowered segment needs no phases: it sees no voltage and no current.
  EXPECT_TRUE(s.segments[1].power_off);
  EXPECT_EQ(s.segments[1].phase[0].voltage_rms, 0.0);
  EXPECT_EQ(s.segments[1].phase[2].current_rms, 0.0);
  EXPECT_EQ(s.segments[2].buttons, hal::button_bit(hal::Button::billing));
}

TEST(Scenario, NoiseAtReadingsFidelityIsAWarning) {
  Diagnostics diags;
  const auto s = parse("fidelity: readings\nnoise_lsb: 2\n" + one_segment("1h", "    all: {voltage: 230, current: 5}\n"),
                       diags);
  ASSERT_TRUE(s.has_value());
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].format(),
            "test.yaml:2:12: warning: noise_lsb: has no effect at fidelity readings (no samples are made); "
            "expected noise_lsb: 0 or fidelity: samples");
}

TEST(Scenario, LoadedScenarioSurvivesAMove) {
  auto s = parse_ok(one_segment("1h", "    name: a\n    all: {voltage: 230, current: 5}\n"));
  const LoadedScenario moved = std::move(s);
  EXPECT_EQ(moved.scenario.segments, moved.segments.data());
  EXPECT_STREQ(moved.scenario.segments[0].name, "a");
}

TEST(ScenarioEmit, Identifiers) {
  EXPECT_TRUE(is_scenario_identifier("day_profile"));
  EXPECT_TRUE(is_scenario_identifier("kDay2"));
  EXPECT_TRUE(is_scenario_identifier("_x"));
  EXPECT_FALSE(is_scenario_identifier("int"));
  EXPECT_FALSE(is_scenario_identifier("2day"));
  EXPECT_FALSE(is_scenario_identifier("day-profile"));
  EXPECT_FALSE(is_scenario_identifier("ns::day"));
  EXPECT_FALSE(is_scenario_identifier(""));
}

void expect_same(const simulation::Scenario& compiled, const simulation::Scenario& parsed) {
  ASSERT_EQ(compiled.segment_count, parsed.segment_count);
  EXPECT_EQ(compiled.repeat, parsed.repeat);
  EXPECT_EQ(compiled.seed, parsed.seed);
  EXPECT_EQ(compiled.noise_lsb, parsed.noise_lsb);
  EXPECT_EQ(compiled.fidelity, parsed.fidelity);
  for (std::uint16_t i = 0; i < parsed.segment_count; ++i) {
    SCOPED_TRACE(i);
    const simulation::Segment& a = compiled.segments[i];
    const simulation::Segment& b = parsed.segments[i];
    EXPECT_STREQ(a.name, b.name);
    EXPECT_EQ(a.duration_s, b.duration_s);
    EXPECT_EQ(a.frequency_hz, b.frequency_hz);
    EXPECT_EQ(a.neutral_current_rms, b.neutral_current_rms);
    EXPECT_EQ(a.power_off, b.power_off);
    EXPECT_EQ(a.buttons, b.buttons);
    for (int p = 0; p < 3; ++p) {
      const simulation::PhaseLoad& x = a.phase[p];
      const simulation::PhaseLoad& y = b.phase[p];
      // Exact: the emitter writes the shortest text that reads back as the same double.
      EXPECT_EQ(x.voltage_rms, y.voltage_rms);
      EXPECT_EQ(x.current_rms, y.current_rms);
      EXPECT_EQ(x.angle_deg, y.angle_deg);
      EXPECT_EQ(x.voltage_angle_deg, y.voltage_angle_deg);
      ASSERT_EQ(x.harmonic_count, y.harmonic_count);
      for (int h = 0; h < x.harmonic_count; ++h) {
        EXPECT_EQ(x.harmonics[h].order, y.harmonics[h].order);
        EXPECT_EQ(x.harmonics[h].voltage_percent, y.harmonics[h].voltage_percent);
        EXPECT_EQ(x.harmonics[h].current_percent, y.harmonics[h].current_percent);
        EXPECT_EQ(x.harmonics[h].phase_deg, y.harmonics[h].phase_deg);
      }
    }
  }
}

TEST(ScenarioEmit, CompiledExamplesEqualTheParsedFiles) {
  for (auto [file, compiled] : {std::pair{"steady-balanced.yaml", &scenario_steady_balanced},
                                std::pair{"day-profile.yaml", &scenario_day_profile},
                                std::pair{"year-readings.yaml", &scenario_year_readings},
                                std::pair{"outage.yaml", &scenario_outage}}) {
    SCOPED_TRACE(file);
    Diagnostics diags;
    const auto parsed = load_scenario(std::string(METERGEN_SOURCE_DIR) + "/scenarios/" + file, diags);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(diags.items().empty());
    expect_same(*compiled, parsed->scenario);
  }
}

TEST(ScenarioEmit, DayProfileIsTheDayTheDocsDescribe) {
  // 6 h + 1 h + 2 h + 2 h + 3 h + 110 min + 10 min + 4 h + 3 h + 1 h = 24 h.
  const simulation::Scenario& s = scenario_day_profile;
  std::uint64_t seconds = 0;
  bool exported = false, lost = false, harmonics = false;
  for (std::uint16_t i = 0; i < s.segment_count; ++i) {
    seconds += s.segments[i].duration_s;
    exported |= s.segments[i].phase[0].angle_deg == 180;
    lost |= s.segments[i].phase[1].voltage_rms == 0 && s.segments[i].duration_s == 600;
    harmonics |= s.segments[i].phase[0].harmonic_count > 0;
  }
  EXPECT_EQ(seconds, 86400u);
  EXPECT_TRUE(exported && lost && harmonics);
}

TEST(ScenarioEmit, DeterministicAndWithoutDirectories) {
  Diagnostics diags;
  const auto s = load_scenario(std::string(METERGEN_SOURCE_DIR) + "/scenarios/day-profile.yaml", diags);
  ASSERT_TRUE(s.has_value());
  const std::string a = emit_scenario_cpp(*s, "day");
  EXPECT_EQ(a, emit_scenario_cpp(*s, "day"));
  EXPECT_EQ(a.rfind("// Generated by metergen ", 0), 0u);
  EXPECT_NE(a.find("from scenario 'day-profile.yaml'"), std::string::npos);
  EXPECT_EQ(a.find(METERGEN_SOURCE_DIR), std::string::npos);
  EXPECT_NE(a.find("constexpr metergen::simulation::Scenario day = {"), std::string::npos);
}

TEST(ScenarioEmit, CommandWritesTheFileAndReportsErrors) {
  const fs::path dir = fs::temp_directory_path() / ("scenario_emit_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ScenarioOptions options;
  options.emit = true;
  options.file = std::string(METERGEN_SOURCE_DIR) + "/scenarios/steady-balanced.yaml";
  options.output = (dir / "out" / "steady.cpp").string();
  options.name = "steady";
  Diagnostics diags;
  std::ostringstream out;
  EXPECT_EQ(run_scenario(options, out, diags), 0);
  std::ifstream written(options.output);
  std::stringstream text;
  text << written.rdbuf();
  Diagnostics d2;
  EXPECT_EQ(text.str(), emit_scenario_cpp(*load_scenario(options.file, d2), "steady"));
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 1);

  options.emit = false;
  EXPECT_EQ(run_scenario(options, out, diags), 0);
  EXPECT_NE(out.str().find("steady-balanced.yaml: ok (1 segment, 3600 s of meter time, then the last held)"),
            std::string::npos);
  options.file = std::string(METERGEN_TESTS_DIR) + "/bad_scenarios/segments_empty.yaml";
  EXPECT_EQ(run_scenario(options, out, diags), 1);
  EXPECT_TRUE(diags.has_errors());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace metergen
