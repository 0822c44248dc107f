// End to end at readings fidelity: the dtsd545 host meter plays two days of a
// balanced 3 x 230 V x 5 A load at PF 1, a six-hour power cut and an hour
// without load (--speed max --exit-at-end) and exits 0 by itself. A second
// meter process on the same state directory, without a scenario, serves what
// the first saved: +A = 3 x 230 V x 5 A x 48 h = 165.6 kWh by hand (the
// closed-form seconds are exact, so only the register's step truncates), no
// energy from the six hours without power, and a clock that ran on through
// them (2 d + 6 h + 1 h after the start).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using e2e::Result;

constexpr const char* kModel = "dtsd545";
constexpr const char* kStart = "2026-01-01T00:00:00Z";
constexpr std::time_t kStartUtc = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr std::time_t kEndUtc = kStartUtc + 2 * 86400 + 6 * 3600 + 3600;
constexpr double kExpectedWh = 3 * 230.0 * 5.0 * 48;  // 165,600 Wh

constexpr const char* kScenario = R"(fidelity: readings
segments:
  - name: load
    duration: 2d
    all: {voltage: 230 V, current: 5 A, pf: 1}
  - name: outage
    duration: 6h
    power: off
  - name: no load
    duration: 1h
    all: {voltage: 230 V, current: 0 A}
)";

TEST(ReadingsFidelity, TwoDaysAndAPowerCutReadTheHandComputedEnergy) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-readings");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path scenario = dir / "two-days.yaml";
  std::ofstream(scenario) << kScenario;

  // The first run plays the scenario and stops by itself.
  const Result played =
      e2e::run({METERGEN_METER_BIN, "--model", kModel, "--state", (dir / "state").string(), "--wrapper-port", "0",
                "--scenario", scenario.string(), "--speed", "max", "--start", kStart, "--exit-at-end"},
               dir);
  ASSERT_EQ(played.exit_code, 0) << played.err;
  EXPECT_NE(played.err.find("scenario: power off at meter time 2026-01-03T00:00:00Z"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("scenario: power on at meter time 2026-01-03T06:00:00Z"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("scenario: played to its end at meter time 2026-01-03T07:00:00Z; stopping"),
            std::string::npos)
      << played.err;

  // The second run, without a scenario, serves what the first saved.
  auto process = std::make_unique<e2e::HostMeter>(kModel, dir, std::vector<std::string>{}, /*fresh=*/false);
  e2e::HostMeter& meter = *process;
  ASSERT_TRUE(meter.ready()) << e2e::read_text(dir / "meter.log");
  e2e::Association management, reader;
  for (const auto& a : e2e::associations_of(kModel)) {
    if (a.sap == 1) management = a;
    if (a.sap == 16) reader = a;
  }
  auto read = [&](const e2e::Association& a, std::vector<std::string> service) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter.wrapper_url()};
    const auto options = e2e::client_options(a, meter);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), service.begin(), service.end());
    return e2e::run(args, dir);
  };

  const json model = json::parse(e2e::read_text(fs::path(METERGEN_SOURCE_DIR) / "generated" / kModel / "model.json"));
  int scaler = 0;
  for (const auto& o : model["objects"])
    if (o["logical_name"] == "1.0.1.8.0.255") scaler = o["scaler"];
  const Result value = read(management, {"get", "1.0.1.8.0.255:2", "--class", "3"});
  ASSERT_EQ(value.exit_code, 0) << value.err;
  const double step = std::pow(10.0, scaler);
  const double import_wh = json::parse(value.out)["value"].get<double>() * step;
  // Truncated to whole steps of the register: within one step below the exact energy.
  EXPECT_LE(import_wh, kExpectedWh);
  EXPECT_GT(import_wh, kExpectedWh - step - 1e-9);

  // The clock ran on through the outage: the meter time reached, plus the real time since.
  const Result clock = read(reader, {"get", "0.0.1.0.0.255:2", "--class", "8", "--format", "table"});
  ASSERT_EQ(clock.exit_code, 0) << clock.err;
  std::tm local{};
  char sign = 0;
  int offset_h = 0, offset_min = 0;
  ASSERT_EQ(std::sscanf(clock.out.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &local.tm_year, &local.tm_mon,
                        &local.tm_mday, &local.tm_hour, &local.tm_min, &local.tm_sec, &sign, &offset_h, &offset_min),
            9)
      << clock.out;
  local.tm_year -= 1900;
  local.tm_mon -= 1;
  const int offset_s = (offset_h * 60 + offset_min) * 60;
  const std::time_t utc = timegm(&local) - (sign == '-' ? -offset_s : offset_s);
  EXPECT_GE(utc, kEndUtc);
  EXPECT_LT(utc, kEndUtc + 120);
  process.reset();  // stopped by its PID before its directory goes
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
