// End to end: the hxe312-kp host meter's limiter (specs/hxe312-kp.yaml: over
// 69,000 W for 60 s disconnects, mode 6 reconnects locally after 300 s) cuts
// the simulated supply. The scenario (--speed max --exit-at-end) plays 390 s
// of 3 x 240 V x 100 A (72 kW) and then 600 s of 3 x 240 V x 10 A (7.2 kW):
// the relay opens after the 60th second, no current flows for the 300 s it is
// open, it closes at the 360th second, and the light load never trips it. By
// hand: 60 s + 30 s at 72 kW and 600 s at 7.2 kW = 6,480 + 4,320 kJ = 3,000 Wh
// (9,000 Wh had the relay not cut). A second process without a scenario
// serves what the first saved; at samples fidelity metrology measures the
// same within its error.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kModel = "hxe312-kp";
constexpr double kExpectedWh = (90 * 72000.0 + 600 * 7200.0) / 3600;  // 3,000 Wh

std::string scenario_text(const char* fidelity) {
  return std::string("fidelity: ") + fidelity + R"(
segments:
  - name: overload
    duration: 390s
    all: {voltage: 240 V, current: 100 A, pf: 1}
  - name: light
    duration: 600s
    all: {voltage: 240 V, current: 10 A, pf: 1}
)";
}

// Plays the scenario at `fidelity`; the active import energy the meter saved, in Wh.
double played_energy_wh(const char* fidelity, std::string& log) {
  const fs::path dir = fs::temp_directory_path() /
                       ("metergen-e2e-" + std::to_string(getpid()) + "-load-control-" + fidelity);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path scenario = dir / "overload.yaml";
  std::ofstream(scenario) << scenario_text(fidelity);
  const e2e::Result played =
      e2e::run({METERGEN_METER_BIN, "--model", kModel, "--state", (dir / "state").string(), "--wrapper-port", "0",
                "--scenario", scenario.string(), "--speed", "max", "--start", "2026-03-02T10:00:00Z", "--exit-at-end"},
               dir);
  log = played.err;
  if (played.exit_code != 0) return -1;

  auto process = std::make_unique<e2e::HostMeter>(kModel, dir, std::vector<std::string>{}, /*fresh=*/false);
  if (!process->ready()) return -1;
  e2e::Association management;
  for (const auto& a : e2e::associations_of(kModel))
    if (a.sap == 1) management = a;
  std::vector<std::string> args{METERGEN_BIN, "read", "--meter", process->wrapper_url()};
  const auto options = e2e::client_options(management, *process);
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"get", "1.0.1.8.0.255:2", "--class", "3"});
  const e2e::Result value = e2e::run(args, dir);
  process.reset();
  if (value.exit_code != 0) {
    log += value.err;
    return -1;
  }
  fs::remove_all(dir);
  return json::parse(value.out)["value"].get<double>();  // scaler 0: Wh
}

TEST(LoadControl, TheLimiterCutsTheSimulatedSupplyAtReadingsFidelity) {
  std::string log;
  const double wh = played_energy_wh("readings", log);
  // Whole Wh, truncated: within one Wh below the exact energy.
  EXPECT_LE(wh, kExpectedWh) << log;
  EXPECT_GT(wh, kExpectedWh - 1.0 - 1e-9) << log;
  EXPECT_NE(log.find("relay: disconnected"), std::string::npos) << log;
  EXPECT_NE(log.find("relay: connected"), std::string::npos) << log;
}

TEST(LoadControl, TheLimiterCutsTheSimulatedSupplyAtSamplesFidelity) {
  std::string log;
  const double wh = played_energy_wh("samples", log);
  EXPECT_NEAR(wh, kExpectedWh, kExpectedWh * 0.005 + 1.0) << log;
  EXPECT_NE(log.find("relay: disconnected"), std::string::npos) << log;
}

}  // namespace
