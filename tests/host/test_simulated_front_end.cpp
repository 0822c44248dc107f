// The host meter's simulated front end: the speed cap driven by a made-up
// elapsed time (frames due = elapsed x speed x 4000, at most one 4000-frame
// window per pace, a reader more than a real second behind let off), and the
// log lines of segment starts, progress, lag and clipping.
#include <gtest/gtest.h>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <string>
#include <vector>

#include "simulated_front_end.hpp"

namespace metergen::host {
namespace {

constexpr std::uint64_t kSecondNs = 1'000'000'000ull;
// 2030-01-01T00:00:00Z = 1893456000 s since the epoch.
constexpr std::uint64_t k2030 = 1893456000000ull;

simulation::PhaseLoad load(double volts, double amps, double voltage_angle) {
  simulation::PhaseLoad l{};
  l.voltage_rms = volts;
  l.current_rms = amps;
  l.voltage_angle_deg = voltage_angle;
  return l;
}

simulation::Segment segment(const char* name, std::uint32_t seconds, double amps = 5) {
  return {name, seconds, 50, {load(230, amps, 0), load(230, amps, -120), load(230, amps, 120)}, -1};
}

struct Logged {
  std::vector<std::string> lines;
  SimulatedFrontEnd::Log sink() {
    return [this](const std::string& line) { lines.push_back(line); };
  }
  bool has(const std::string& text) const {
    for (const auto& l : lines)
      if (l == text) return true;
    return false;
  }
  bool has_prefix(const std::string& text) const {
    for (const auto& l : lines)
      if (l.rfind(text, 0) == 0) return true;
    return false;
  }
};

// Reads everything readable, `cap` frames at a time.
std::uint64_t drain(SimulatedFrontEnd& fe, std::size_t cap = 512) {
  std::vector<hal::AdcFrame> buffer(cap);
  std::uint64_t total = 0;
  while (std::size_t n = fe.read(buffer.data(), cap)) total += n;
  return total;
}

TEST(SimulatedFrontEnd, ProductionIsCappedAtSpeedTimesElapsedTime) {
  const std::vector<simulation::Segment> segments = {segment("", 3600)};
  const simulation::Scenario scenario = {segments.data(), 1, false, 1, 0};
  Logged log;
  const std::uint64_t t0 = 1000 * kSecondNs;
  SimulatedFrontEnd fe(scenario, models::dtsd545::model, 2, k2030, t0, log.sink());
  fe.pace(t0);
  EXPECT_EQ(fe.readable(), 0u);
  fe.pace(t0 + kSecondNs / 4);  // 0.25 s x 2 x 4000 = 2000 frames
  EXPECT_EQ(fe.readable(), 2000u);
  EXPECT_EQ(drain(fe, 300), 2000u);
  fe.pace(t0 + kSecondNs / 4);
  EXPECT_EQ(fe.readable(), 0u);
  EXPECT_FALSE(fe.behind());
  fe.pace(t0 + kSecondNs);  // 8000 due: 6000 more, but one window (4000) per pace
  EXPECT_EQ(fe.readable(), 4000u);
  EXPECT_TRUE(fe.behind());
  EXPECT_EQ(drain(fe), 4000u);
  fe.pace(t0 + kSecondNs);
  EXPECT_EQ(drain(fe), 2000u);
  EXPECT_EQ(fe.samples(), 8000u);
  EXPECT_EQ(fe.meter_utc_ms(), k2030 + 2000);  // two meter seconds in one real second
}

TEST(SimulatedFrontEnd, AReaderFarBehindIsLetOffAndTheLagLogged) {
  const std::vector<simulation::Segment> segments = {segment("", 3600)};
  const simulation::Scenario scenario = {segments.data(), 1, false, 1, 0};
  Logged log;
  SimulatedFrontEnd fe(scenario, models::dtsd545::model, 10, k2030, 0, log.sink());
  // 5 s at 10x = 200000 frames due; the reader gets through 4000 per second only.
  for (std::uint64_t s = 1; s <= 5; ++s) {
    fe.pace(s * kSecondNs);
    drain(fe);
  }
  EXPECT_EQ(fe.samples(), 20000u);
  // At most one real second (40000 frames) is still owed.
  fe.pace(5 * kSecondNs);
  EXPECT_TRUE(fe.behind());
  EXPECT_EQ(drain(fe), 4000u);
  for (std::uint64_t s = 6; s <= 10; ++s) {
    fe.pace(s * kSecondNs);
    drain(fe);
  }
  // The progress line comes with the pace at 10 s, before that second's read:
  // 40000 frames in 10 s of real time = 10 s of meter time, 1.0x.
  EXPECT_TRUE(log.has("scenario: meter time 2030-01-01T00:00:10Z, segment 1/1, 1.0x real time (--speed 10)"));
  EXPECT_TRUE(log.has("scenario: cannot keep up with --speed 10: 1.0x over the last 10 s"));
}

TEST(SimulatedFrontEnd, MaxSpeedOpensAWindowPerPace) {
  const std::vector<simulation::Segment> segments = {segment("", 3600)};
  const simulation::Scenario scenario = {segments.data(), 1, false, 1, 0};
  Logged log;
  SimulatedFrontEnd fe(scenario, models::dtsd545::model, SimulatedFrontEnd::kMaxSpeed, k2030, 0, log.sink());
  for (int i = 0; i < 3; ++i) {
    fe.pace(0);
    EXPECT_TRUE(fe.behind());
    EXPECT_EQ(fe.readable(), 4000u);
    EXPECT_EQ(drain(fe), 4000u);
  }
  EXPECT_EQ(fe.meter_utc_ms(), k2030 + 3000);
}

TEST(SimulatedFrontEnd, LogsEachSegmentStartAtItsMeterTime) {
  const std::vector<simulation::Segment> segments = {segment("a", 1), segment("b", 90)};
  const simulation::Scenario repeating = {segments.data(), 2, true, 1, 0};
  Logged log;
  SimulatedFrontEnd fe(repeating, models::dtsd545::model, SimulatedFrontEnd::kMaxSpeed, k2030, 0, log.sink());
  EXPECT_TRUE(log.has("scenario: segment 1/2 'a' starts at meter time 2030-01-01T00:00:00Z, 1s"));
  // 91 s of samples; a read of 2500 frames ends past the first boundary (4000).
  for (int i = 0; i < 92; ++i) {
    fe.pace(0);
    std::vector<hal::AdcFrame> frames(2500);
    while (fe.read(frames.data(), frames.size()) > 0) {
    }
  }
  EXPECT_TRUE(log.has("scenario: segment 2/2 'b' starts at meter time 2030-01-01T00:00:01Z, 90s"));
  EXPECT_TRUE(log.has("scenario: segment 1/2 'a' (pass 2) starts at meter time 2030-01-01T00:01:31Z, 1s"));

  const simulation::Scenario once = {segments.data(), 2, false, 1, 0};
  Logged held;
  SimulatedFrontEnd last(once, models::dtsd545::model, SimulatedFrontEnd::kMaxSpeed, k2030, 0, held.sink());
  last.pace(0);
  drain(last);
  EXPECT_TRUE(held.has("scenario: segment 2/2 'b' starts at meter time 2030-01-01T00:00:01Z and holds"));
}

TEST(SimulatedFrontEnd, SaysOnceWhenTheRuntimeReadsNothing) {
  const std::vector<simulation::Segment> segments = {segment("", 3600)};
  const simulation::Scenario scenario = {segments.data(), 1, false, 1, 0};
  Logged log;
  SimulatedFrontEnd fe(scenario, models::dtsd545::model, 1, k2030, 0, log.sink());
  for (std::uint64_t s = 1; s <= 30; ++s) fe.pace(s * kSecondNs);
  int idle = 0;
  for (const auto& l : log.lines)
    idle += l == "scenario: the runtime reads no ADC frames; the meter clock stands at 2030-01-01T00:00:00Z";
  EXPECT_EQ(idle, 1);
  EXPECT_FALSE(log.has_prefix("scenario: cannot keep up"));
}

TEST(SimulatedFrontEnd, WarnsWhenTheScenarioDrivesPastFullScale) {
  // clms100: Imax 80 A -> 135.765 A peak; 100 A RMS peaks at 141.421 A.
  const std::vector<simulation::Segment> segments = {segment("", 60, 100)};
  const simulation::Scenario scenario = {segments.data(), 1, false, 1, 0};
  Logged log;
  SimulatedFrontEnd fe(scenario, models::clms100::model, 1, k2030, 0, log.sink());
  EXPECT_TRUE(log.has("scenario: segment 1 L1 current peaks at up to 141.421 A, above the front end's full scale of "
                      "135.765 A: the codes clip"));
  EXPECT_FALSE(log.has_prefix("scenario: segment 1 L2"));  // single phase
}

}  // namespace
}  // namespace metergen::host
