// End to end: a host meter plays a scenario of disturbances at readings
// fidelity (--speed max --exit-at-end) and a second process serves its event
// logs to `metergen read`. Expected entries worked out by hand from the spec and
// the scenario, which starts at 2026-03-02 10:00:00 UTC with a new meter.
//
// dtsd545 (UTC clock; sag below 207 V for 60 s, reverse current for 10 s, the
// cover input at once, a long power failure beyond 180 s):
//   10:02:00-10:04:00  L1 at 190 V     sag L1 starts at 10:03:00 (code 220), ends 60 s after 10:04:00 (221)
//   10:06:00-10:07:00  L2 reversed     reverse L2 at 10:06:10 (42), back at 10:07:10 (43)
//   10:08:00-10:08:30  cover open      opened at 10:08:00 (48), closed at 10:08:30 (49); its tamper
//                                      filter bit is clear at delivery: the relay stays closed
//   10:09:00-10:12:20  power off       long power off at 10:09:00 (1), long power on at 10:12:20 (2)
//   10:13:20           the end         the process stops; the one that serves the logs starts the meter
//                                      again at the time it stopped: a short power off and on (5, 6)
//
// clms100 (one phase, CET: local time is UTC + 1 h in March; over and under
// voltage past the threshold objects' 253 V / 207 V for 10 s, reverse current
// for 10 s, inputs at once, every power cut logged, every login logged):
//   11:01:00-11:01:30  260 V           over voltage at 11:01:10 (79); its end has no code of its own
//   11:02:00-11:02:30  200 V           under voltage at 11:02:10 (76)
//   11:03:00-11:03:30  reversed        reverse current at 11:03:10 (91)
//   11:04:00-11:04:20  terminal cover and magnet: 40 and 42 at 11:04:00, 41 and 43 at 11:04:20
//   11:05:00-11:06:40  power off       power down at 11:05:00 (1), up at 11:06:40 (2)
//   11:07:00           the end         the serving process: down and up at 11:07:00 (1, 2), then one
//                                      login (200) per `metergen read` of this test
//
// hxf300-eu (CET: local = UTC + 1 h) and hxe312-kp (UTC), the same codes in the
// same logs (under voltage below 207 V for 60 s, missing voltage by metrology's
// presence at once, the meter cover at once); hxf300-eu also watches a phase
// voltage unbalance above 10 % for 60 s (L2 at 200 V: 30 / 230 = 13 %):
//   10:00:30-10:02:00  L2 at 200 V     under voltage L2 at 10:01:30 (77) [hxf300: unbalance 90 too]
//   10:03:00-10:03:30  L3 lost         missing voltage L3 in its first second, 10:03:01 (84)
//   10:04:00-10:04:10  cover open      44 at 10:04:00, 45 at 10:04:10
//   10:04:30           the end         the serving process: power down and up (1, 2); hxf300-eu's
//                                      ciphered reads add a replay (50), see below
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/control_client.hpp"
#include "../support/cosem_date_time.hpp"
#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kDtsdScenario = R"(fidelity: readings
segments:
  - {name: normal, duration: 120s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: sag, duration: 120s, all: {voltage: 230 V, current: 10 A, pf: 1}, L1: {voltage: 190 V}}
  - {name: normal, duration: 120s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: export, duration: 60s, all: {voltage: 230 V, current: 10 A, pf: 1}, reverse: [L2]}
  - {name: normal, duration: 60s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: cover, duration: 30s, all: {voltage: 230 V, current: 10 A, pf: 1}, inputs: [meter_cover_open]}
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: outage, duration: 200s, power: off}
  - {name: normal, duration: 60s, all: {voltage: 230 V, current: 10 A, pf: 1}}
)";

constexpr const char* kClmsScenario = R"(fidelity: readings
segments:
  - {name: normal, duration: 60s, all: {voltage: 230 V, current: 5 A, pf: 1}}
  - {name: high, duration: 30s, all: {voltage: 260 V, current: 5 A, pf: 1}}
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 5 A, pf: 1}}
  - {name: low, duration: 30s, all: {voltage: 200 V, current: 5 A, pf: 1}}
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 5 A, pf: 1}}
  - {name: export, duration: 30s, all: {voltage: 230 V, current: 5 A, pf: 1}, reverse: [L1]}
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 5 A, pf: 1}}
  - {name: tamper, duration: 20s, all: {voltage: 230 V, current: 5 A, pf: 1}, inputs: [terminal_cover_open, magnetic_field]}
  - {name: normal, duration: 40s, all: {voltage: 230 V, current: 5 A, pf: 1}}
  - {name: outage, duration: 100s, power: off}
  - {name: normal, duration: 20s, all: {voltage: 230 V, current: 5 A, pf: 1}}
)";

constexpr const char* kThreePhaseScenario = R"(fidelity: readings
segments:
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: low, duration: 90s, all: {voltage: 230 V, current: 10 A, pf: 1}, L2: {voltage: 200 V}}
  - {name: normal, duration: 60s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: lost, duration: 30s, all: {voltage: 230 V, current: 10 A, pf: 1}, L3: {current: 0 A}, phase_loss: [L3]}
  - {name: normal, duration: 30s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: cover, duration: 10s, all: {voltage: 230 V, current: 10 A, pf: 1}, inputs: [meter_cover_open]}
  - {name: normal, duration: 20s, all: {voltage: 230 V, current: 10 A, pf: 1}}
)";

struct Entry {
  int code, hour, minute, second;
  bool operator==(const Entry& o) const {
    return code == o.code && hour == o.hour && minute == o.minute && second == o.second;
  }
};

std::ostream& operator<<(std::ostream& out, const Entry& e) {
  return out << e.code << " at " << e.hour << ":" << e.minute << ":" << e.second;
}

// A model's host meter that played `scenario`, then serves what it kept.
class PlayedMeter : public ::testing::Test {
 protected:
  void play(const char* model, const char* scenario_text) {
    dir_ = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-events-" + model);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path scenario = dir_ / "disturbances.yaml";
    std::ofstream(scenario) << scenario_text;
    const e2e::Result played =
        e2e::run({METERGEN_METER_BIN, "--model", model, "--state", (dir_ / "state").string(), "--wrapper-port", "0",
                  "--scenario", scenario.string(), "--speed", "max", "--start", "2026-03-02T10:00:00Z",
                  "--exit-at-end"},
                 dir_);
    ASSERT_EQ(played.exit_code, 0) << played.err;
    meter_ = std::make_unique<e2e::HostMeter>(model, dir_, std::vector<std::string>{}, /*fresh=*/false);
    ASSERT_TRUE(meter_->ready());
    for (const auto& a : e2e::associations_of(model))
      if (a.sap == 1) management_ = a;
  }
  void TearDown() override {
    meter_.reset();
    fs::remove_all(dir_);
  }

  json get(const std::string& attribute, const char* class_id) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter_->wrapper_url()};
    const auto options = e2e::client_options(management_, *meter_);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"get", attribute, "--class", class_id});
    const e2e::Result r = e2e::run(args, dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json();
  }

  // A log's buffer as (code, time of day): columns clock (octet-string) and code.
  std::vector<Entry> log(const std::string& ln) {
    std::vector<Entry> out;
    const json buffer = get(ln + ":2", "7");
    for (const json& row : buffer["value"]) {
      const std::string hex = row["value"][0]["value"];
      auto byte = [&](std::size_t i) { return std::stoi(hex.substr(2 * i, 2), nullptr, 16); };
      out.push_back({row["value"][1]["value"].get<int>(), byte(5), byte(6), byte(7)});
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<e2e::HostMeter> meter_;
  e2e::Association management_;
};

TEST_F(PlayedMeter, Dtsd545LogsTheScenariosDisturbancesAtTheirTimes) {
  ASSERT_NO_FATAL_FAILURE(play("dtsd545", kDtsdScenario));
  EXPECT_EQ(log("0.0.99.98.9.255"), (std::vector<Entry>{{220, 10, 3, 0}, {221, 10, 5, 0}}));  // power quality
  EXPECT_EQ(log("0.0.99.98.1.255"),
            (std::vector<Entry>{{42, 10, 6, 10}, {43, 10, 7, 10}, {48, 10, 8, 0}, {49, 10, 8, 30}}));  // fraud
  EXPECT_EQ(log("0.0.99.98.0.255"),
            (std::vector<Entry>{{1, 10, 9, 0}, {2, 10, 12, 20}, {5, 10, 13, 20}, {6, 10, 13, 20}}));  // standard
  EXPECT_TRUE(log("0.0.99.98.2.255").empty());  // disconnector: the relay never moved
  EXPECT_EQ(get("1.0.32.32.0.255:2", "1")["value"], 1);  // voltage sags L1
  EXPECT_EQ(get("0.0.96.3.10.255:2", "70")["value"], true);  // still connected
}

TEST_F(PlayedMeter, Clms100LogsTheScenariosDisturbancesAtTheirTimes) {
  ASSERT_NO_FATAL_FAILURE(play("clms100", kClmsScenario));
  EXPECT_EQ(log("0.0.99.98.4.255"), (std::vector<Entry>{{79, 11, 1, 10}, {76, 11, 2, 10}}));  // power quality
  EXPECT_EQ(log("0.0.99.98.3.255"),
            (std::vector<Entry>{{91, 11, 3, 10}, {40, 11, 4, 0}, {42, 11, 4, 0}, {41, 11, 4, 20}, {43, 11, 4, 20}}));
  const std::vector<Entry> standard = log("0.0.99.98.1.255");  // the third read of this test
  ASSERT_EQ(standard.size(), 7u);
  EXPECT_EQ(std::vector<Entry>(standard.begin(), standard.begin() + 4),
            (std::vector<Entry>{{1, 11, 5, 0}, {2, 11, 6, 40}, {1, 11, 7, 0}, {2, 11, 7, 0}}));
  for (std::size_t i = 4; i < 7; ++i) EXPECT_EQ(standard[i].code, 200) << "a login per read";
}

struct ThreePhase {
  const char* model;
  int hour;        // local hour of 10:00 UTC
  bool unbalance;  // the model watches the voltage unbalance (code 90)
  bool ciphered;   // its management association is ciphered (HLS)
};

class ThreePhaseMeter : public PlayedMeter, public ::testing::WithParamInterface<ThreePhase> {};

TEST_P(ThreePhaseMeter, LogsTheScenariosDisturbancesAtTheirTimes) {
  const ThreePhase& p = GetParam();
  ASSERT_NO_FATAL_FAILURE(play(p.model, kThreePhaseScenario));
  // Under voltage L2 held 60 s (1:30), back above 207 V for 60 s: voltage L2 normal (3:00);
  // L3 missing from its first second (3:01) to its return: voltage L3 normal (3:31).
  std::vector<Entry> quality{{77, p.hour, 1, 30}};
  if (p.unbalance) quality.push_back({90, p.hour, 1, 30});
  quality.insert(quality.end(), {{86, p.hour, 3, 0}, {84, p.hour, 3, 1}, {87, p.hour, 3, 31}});
  EXPECT_EQ(log("0.0.99.98.4.255"), quality);
  std::vector<Entry> fraud = log("0.0.99.98.1.255");
  if (p.ciphered) {
    // Each `metergen read` starts at its configured frame counter and takes up the
    // meter's on its exception-response: from the second read on, the meter sees
    // a counter it accepted before, a replay (code 50), once before this read's answer.
    ASSERT_EQ(fraud.size(), 3u);
    EXPECT_EQ(fraud.back().code, 50);
    fraud.pop_back();
  }
  EXPECT_EQ(fraud, (std::vector<Entry>{{44, p.hour, 4, 0}, {45, p.hour, 4, 10}}));
  EXPECT_EQ(log("0.0.99.98.0.255"), (std::vector<Entry>{{1, p.hour, 4, 30}, {2, p.hour, 4, 30}}));
}

INSTANTIATE_TEST_SUITE_P(Models, ThreePhaseMeter,
                         ::testing::Values(ThreePhase{"hxf300-eu", 11, true, true}, ThreePhase{"hxe312-kp", 10, false, false}),
                         [](const auto& info) { return std::string(info.param.hour == 11 ? "hxf300_eu" : "hxe312_kp"); });

// The control socket's `input` (docs/host-meter.md#control-socket) opens and
// closes hxe312-kp's meter cover on a meter without a scenario, whose clock is
// the host's UTC: its tamper log (0.0.99.98.1.255) gets "Meter cover opened"
// (44) stamped between the host time before the command and 2 s later (the
// inputs are sampled once a second, the cover logged at once), then "Meter
// cover closed" (45) likewise; the opening counter (0.0.96.20.0.255) is 1.
TEST(ControlSocket, OpensAndClosesTheMeterCoverAndTheEventsAreLogged) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-input-command");
  auto process = std::make_unique<e2e::HostMeter>("hxe312-kp", dir, std::vector<std::string>{"--control-port", "0"});
  const e2e::HostMeter& meter = *process;
  ASSERT_TRUE(meter.ready());
  ASSERT_GT(meter.control_port(), 0);
  metergen::test::ControlClient control(meter.control_port());
  ASSERT_TRUE(control.valid());
  const std::int64_t before = std::time(nullptr);
  EXPECT_EQ(control.command("input meter_cover_open on"), "ok: meter_cover_open on");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::int64_t opened = std::time(nullptr);
  EXPECT_EQ(control.command("input meter_cover_open off"), "ok: meter_cover_open off");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::int64_t closed = std::time(nullptr);

  e2e::Association management;
  for (const auto& a : e2e::associations_of("hxe312-kp"))
    if (a.sap == 1) management = a;
  auto get = [&](const std::string& attribute, const char* class_id) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter.wrapper_url()};
    const auto options = e2e::client_options(management, meter);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"get", attribute, "--class", class_id});
    const e2e::Result r = e2e::run(args, dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json();
  };
  std::vector<std::pair<int, std::int64_t>> entries;  // (code, UTC seconds)
  const json buffer = get("0.0.99.98.1.255:2", "7");
  for (const json& row : buffer["value"]) {
    entries.emplace_back(row["value"][1]["value"].get<int>(), metergen::test::utc_of_date_time(row["value"][0]["value"]));
  }
  ASSERT_EQ(entries.size(), 2u) << e2e::read_text(dir / "meter.log");
  EXPECT_EQ(entries[0].first, 44);
  EXPECT_GE(entries[0].second, before);
  EXPECT_LE(entries[0].second, opened);
  EXPECT_EQ(entries[1].first, 45);
  EXPECT_GE(entries[1].second, opened);
  EXPECT_LE(entries[1].second, closed);
  EXPECT_EQ(get("0.0.96.20.0.255:2", "1")["value"], 1);
  EXPECT_NE(e2e::read_text(dir / "meter.log").find(": input meter_cover_open on -> ok: meter_cover_open on"),
            std::string::npos);
  process.reset();
  fs::remove_all(dir);
}

// hxf300-eu pushes a meter cover opening (push: true) through its push setup:
// plain, to 127.0.0.1:4061 and wPort 102 (specs/hxf300-eu.yaml). The scenario
// plays in real time (--speed 1) so that the push is sent while it runs;
// `metergen listen` on that port decodes the DataNotification, whose last value
// is the fraud event code object: 44, the opening.
TEST(PushedEvent, AMeterCoverOpeningReachesTheListener) {
  const fs::path d = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-event-push");
  fs::remove_all(d);
  fs::create_directories(d);
  std::ofstream(d / "cover.yaml") << R"(fidelity: readings
segments:
  - {name: normal, duration: 2s, all: {voltage: 230 V, current: 10 A, pf: 1}}
  - {name: cover, duration: 2s, all: {voltage: 230 V, current: 10 A, pf: 1}, inputs: [meter_cover_open]}
  - {name: normal, duration: 3s, all: {voltage: 230 V, current: 10 A, pf: 1}}
)";
  e2e::Background listener({METERGEN_BIN, "listen", "--port", "4061", "--ready-file", (d / "listen.ready").string(),
                            "--count", "1", "--timeout", "30", "--format", "json"},
                           d, "listen");
  const auto deadline = e2e::Clock::now() + std::chrono::seconds(10);
  while (!fs::exists(d / "listen.ready") && e2e::Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(fs::exists(d / "listen.ready")) << listener.err();
  const e2e::Result played =
      e2e::run({METERGEN_METER_BIN, "--model", "hxf300-eu", "--state", (d / "state").string(), "--wrapper-port", "0",
                "--scenario", (d / "cover.yaml").string(), "--speed", "1", "--start", "2026-03-02T10:00:00Z",
                "--exit-at-end"},
               d);
  ASSERT_EQ(played.exit_code, 0) << played.err;
  ASSERT_EQ(listener.wait(std::chrono::seconds(30)), 0) << listener.err() << played.err;
  const json n = json::parse(listener.out());
  EXPECT_EQ(n["destination_wport"], 102);
  ASSERT_TRUE(n["body"]["value"].is_array()) << n.dump();
  EXPECT_EQ(n["body"]["value"].back()["value"], 44) << n.dump();
  fs::remove_all(d);
}

}  // namespace
