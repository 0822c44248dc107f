// End to end from the simulated front end to DLMS: the dtsd545 host meter plays
// rated_hour.yaml (exactly one hour of meter time of a balanced 3 x 230 V x
// 10 A load at PF 1, then no load) at --speed max from a fixed start. Once its
// clock, read over DLMS, is past the hour, the management client reads +A total
// and its scaler_unit: by hand 3 x 230 V x 10 A x 1 h = 6,900 Wh, in the scaler
// and unit the spec declares (generated/dtsd545/model.json); -A and both
// reactive totals read 0, and further meter time without load adds nothing.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using e2e::Clock;
using e2e::Result;

constexpr const char* kModel = "dtsd545";
constexpr const char* kStart = "2026-01-01T00:00:00Z";
constexpr std::time_t kStartUtc = 1'767'225'600;  // 2026-01-01T00:00:00Z: 20,454 days after 1970-01-01
constexpr std::time_t kLoadSeconds = 3600;
constexpr double kExpectedWh = 3 * 230.0 * 10.0 * 1.0;  // 6,900 Wh
constexpr double kPowerW = 3 * 230.0 * 10.0;
// Units of IEC 62056-6-2's table (scaler_unit's enum): Wh 30, varh 32.
constexpr int kWh = 30, kVarh = 32;
// The metrology tests hold every second's P and Q to 2e-5 of S without noise
// (docs/metrology.md); the accuracy grid measures dtsd545 below 4e-6.
constexpr double kAlgorithmError = 2e-5;
// The seconds' windows end at the reference's last zero crossing, so the
// change to no load can shift up to one cycle (20 ms) of energy.
constexpr double kEdgeWh = kPowerW * 0.020 / 3600;

class ScenarioEnergy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-scenario-energy");
    const std::string scenario = (fs::path(METERGEN_SOURCE_DIR) / "tests" / "e2e" / "rated_hour.yaml").string();
    meter_ = std::make_unique<e2e::HostMeter>(
        kModel, dir_, std::vector<std::string>{"--scenario", scenario, "--speed", "max", "--start", kStart});
    ASSERT_TRUE(meter_->ready()) << e2e::read_text(dir_ / "meter.log");
    for (const auto& a : e2e::associations_of(kModel)) {
      if (a.sap == 1) management_ = a;
      if (a.sap == 16) public_ = a;
    }
    ASSERT_EQ(management_.sap, 1) << "dtsd545 has no management association (SAP 1)";
    ASSERT_EQ(public_.sap, 16) << "dtsd545 has no public association (SAP 16)";
    model_ = json::parse(e2e::read_text(fs::path(METERGEN_SOURCE_DIR) / "generated" / kModel / "model.json"));
  }
  void TearDown() override {
    meter_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Result read(const e2e::Association& a, std::vector<std::string> service) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter_->wrapper_url()};
    const auto options = e2e::client_options(a, *meter_);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), service.begin(), service.end());
    return e2e::run(args, dir_);
  }

  // The meter clock in UTC, read by the public client. `--format table` shows
  // the date-time as ISO 8601 local time with its offset from UTC
  // ("2026-01-01T01:00:12+00:00"), so UTC = local - offset.
  std::optional<std::time_t> meter_utc() {
    Result r = read(public_, {"get", "0.0.1.0.0.255:2", "--class", "8", "--format", "table"});
    std::tm local{};
    char sign = 0;
    int offset_h = 0, offset_min = 0;
    if (r.exit_code != 0 ||
        std::sscanf(r.out.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &local.tm_year, &local.tm_mon,
                    &local.tm_mday, &local.tm_hour, &local.tm_min, &local.tm_sec, &sign, &offset_h, &offset_min) != 9)
      return std::nullopt;
    local.tm_year -= 1900;
    local.tm_mon -= 1;
    const int offset_s = (offset_h * 60 + offset_min) * 60;
    return timegm(&local) - (sign == '-' ? -offset_s : offset_s);
  }

  // Polls the clock (bounded: 60 s of real time) until meter time reaches `utc`.
  bool wait_for_meter_time(std::time_t utc) {
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      if (auto now = meter_utc(); now && *now >= utc) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // A register's value in its unit (value x 10^scaler) after checking that its
  // scaler_unit over DLMS is the spec's scaler and `unit`.
  double register_value(const std::string& obis, int unit) {
    json spec;
    for (const auto& o : model_["objects"])
      if (o["logical_name"] == obis) spec = o;
    EXPECT_FALSE(spec.is_null()) << obis << " not in the spec";
    if (spec.is_null()) return -1;
    const int scaler = spec["scaler"];
    Result su = read(management_, {"get", obis + ":3", "--class", "3"});
    EXPECT_EQ(su.exit_code, 0) << su.err;
    const json expected = {{"type", "structure"},
                           {"value", {{{"type", "integer"}, {"value", scaler}}, {{"type", "enum"}, {"value", unit}}}}};
    if (su.exit_code == 0) EXPECT_EQ(json::parse(su.out), expected) << obis;
    Result v = read(management_, {"get", obis + ":2", "--class", "3"});
    EXPECT_EQ(v.exit_code, 0) << v.err;
    if (v.exit_code != 0) return -1;
    return json::parse(v.out)["value"].get<double>() * std::pow(10.0, scaler);
  }

  double step(const std::string& obis) {
    for (const auto& o : model_["objects"])
      if (o["logical_name"] == obis) return std::pow(10.0, o["scaler"].get<int>());
    return 0;
  }

  fs::path dir_;
  std::unique_ptr<e2e::HostMeter> meter_;
  e2e::Association management_, public_;
  json model_;
};

TEST_F(ScenarioEnergy, AnHourOfRatedLoadReadsSixThousandNineHundredWattHours) {
  // Past the hour and a few seconds of no load, so the last loaded second is metered.
  ASSERT_TRUE(wait_for_meter_time(kStartUtc + kLoadSeconds + 10)) << e2e::read_text(dir_ / "meter.log");

  const double import_wh = register_value("1.0.1.8.0.255", kWh);
  // IEC 62053-21 class 1 at Ib, PF 1: 1.0 %.
  EXPECT_NEAR(import_wh, kExpectedWh, kExpectedWh * 0.01);
  // The register shows completed steps (truncated): the energy E is within the
  // algorithm's error and one cycle of the hand result, the value within one step below E.
  const double high = kExpectedWh * (1 + kAlgorithmError) + kEdgeWh;
  const double low = kExpectedWh * (1 - kAlgorithmError) - kEdgeWh - step("1.0.1.8.0.255");
  EXPECT_GT(import_wh, low);
  EXPECT_LE(import_wh, high);

  EXPECT_EQ(register_value("1.0.2.8.0.255", kWh), 0.0) << "-A";
  // |Q| <= 2e-5 of S each second: under 0.14 varh in the hour, less than a step.
  EXPECT_EQ(register_value("1.0.3.8.0.255", kVarh), 0.0) << "+R";
  EXPECT_EQ(register_value("1.0.4.8.0.255", kVarh), 0.0) << "-R";

  // Without load (below the starting current) nothing more registers.
  const std::optional<std::time_t> now = meter_utc();
  ASSERT_TRUE(now.has_value());
  ASSERT_TRUE(wait_for_meter_time(*now + 600));
  EXPECT_EQ(register_value("1.0.1.8.0.255", kWh), import_wh);
}

}  // namespace
