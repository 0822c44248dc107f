// `metergen read --format table|csv` against the hxf300-eu host meter playing
// scenarios/steady-balanced.yaml (3 x 230 V x 5 A, PF 1) at 600 times real time
// from 2026-01-01T00:00:00Z (01:00 local, UTC+1 in winter). Expected text worked
// out by hand: the L1 voltage 230.00 V (scaler -2), the relay connected, +P per
// demand period 3 x 230 V x 5 A = 3450 W, and load profile 1's first two entries:
// 01:15 and 01:30 local, +A 862.5 Wh and 1725 Wh held in units of 10 Wh (scaler 1)
// as 86 and 172, so 0.860 and 1.720 kWh. `--format json` keeps its shape.
#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using e2e::Clock;
using e2e::Result;

constexpr const char* kProfile = "1.0.99.1.0.255";

class ReadableValues : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-readable");
    const std::string scenario = (fs::path(METERGEN_SOURCE_DIR) / "scenarios" / "steady-balanced.yaml").string();
    meter_ = std::make_unique<e2e::HostMeter>(
        "hxf300-eu", dir_,
        std::vector<std::string>{"--scenario", scenario, "--speed", "600", "--start", "2026-01-01T00:00:00Z"});
    ASSERT_TRUE(meter_->ready()) << e2e::read_text(dir_ / "meter.log");
  }
  void TearDown() override {
    meter_.reset();
    fs::remove_all(dir_);
  }

  // `metergen read` as the management client (SAP 1, HLS-GMAC, ciphered).
  Result read(std::vector<std::string> service) {
    std::vector<std::string> argv{METERGEN_BIN, "read", "--meter", meter_->wrapper_url(), "--client", "1", "--auth",
                                  "hls", "--ciphered", "--secrets", meter_->secrets()};
    argv.insert(argv.end(), service.begin(), service.end());
    return e2e::run(argv, dir_);
  }

  // Waits (at most 30 s) until load profile 1 holds two entries: 01:30 local.
  bool two_profile_entries() {
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      Result r = read({"profile", kProfile, "--entries", "1:2", "--format", "csv"});
      if (r.exit_code == 0 && std::count(r.out.begin(), r.out.end(), '\n') == 3) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  fs::path dir_;
  std::unique_ptr<e2e::HostMeter> meter_;
};

TEST_F(ReadableValues, RegisterWithItsScalerAndUnit) {
  Result r = read({"get", "1.0.32.7.0.255:2", "--format", "table"});  // scaler_unit read from the meter
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("(229\\.99|230\\.00|230\\.01) V\n"))) << r.out;
  Result csv = read({"get", "1.0.32.7.0.255:2", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(std::regex_match(csv.out, std::regex("object,attribute,value,unit\r\n1\\.0\\.32\\.7\\.0\\.255,2,2(29\\.99|30\\.0[01]),V\r\n")))
      << csv.out;
}

TEST_F(ReadableValues, JsonKeepsItsShape) {
  Result r = read({"get", "1.0.32.7.0.255:3", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\n \"type\": \"structure\",\n \"value\": [\n  {\n   \"type\": \"integer\",\n   \"value\": -2\n  },\n"
            "  {\n   \"type\": \"enum\",\n   \"value\": 35\n  }\n ]\n}\n");
  Result v = read({"get", "1.0.32.7.0.255:2"});  // json is the default
  ASSERT_EQ(v.exit_code, 0) << v.err;
  EXPECT_TRUE(std::regex_match(v.out, std::regex("\\{\n \"type\": \"long-unsigned\",\n \"value\": 2(2999|300[01])\n\\}\n"))) << v.out;
}

TEST_F(ReadableValues, DemandRegisterAndClock) {
  ASSERT_TRUE(two_profile_entries());  // past several 15-minute demand periods
  Result demand = read({"get", "1.0.1.4.0.255:3", "--format", "table"});  // last_average_value, scaler_unit attribute 4
  ASSERT_EQ(demand.exit_code, 0) << demand.err;
  EXPECT_TRUE(std::regex_match(demand.out, std::regex("(3449|3450|3451) W\n"))) << demand.out;
  Result clock = read({"get", "0.0.1.0.0.255:2", "--format", "table"});
  ASSERT_EQ(clock.exit_code, 0) << clock.err;
  EXPECT_TRUE(std::regex_match(clock.out, std::regex("2026-01-01T0[1-9]:[0-5][0-9]:[0-5][0-9]\\+01:00\n"))) << clock.out;
}

TEST_F(ReadableValues, DisconnectControlByName) {
  Result output = read({"get", "0.0.96.3.10.255:2", "--format", "table"});
  Result control = read({"get", "0.0.96.3.10.255:3", "--format", "table"});
  ASSERT_EQ(output.exit_code, 0) << output.err;
  ASSERT_EQ(control.exit_code, 0) << control.err;
  EXPECT_EQ(output.out, "connected\n");
  EXPECT_EQ(control.out, "connected\n");
}

TEST_F(ReadableValues, ProfileWithTheSpecsColumnNames) {
  ASSERT_TRUE(two_profile_entries());
  const std::string spec = (fs::path(METERGEN_SOURCE_DIR) / "specs" / "hxf300-eu.yaml").string();
  Result table = read({"--spec", spec, "profile", kProfile, "--entries", "1:2", "--columns", "1:4", "--format", "table"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out,
            "clock                      profile_status  active_import_energy [kWh]  active_export_energy [kWh]\n"
            "-------------------------  --------------  --------------------------  --------------------------\n"
            "2026-01-01T01:15:00+01:00  128             0.860                       0.000\n"
            "2026-01-01T01:30:00+01:00  0               1.720                       0.000\n");
  Result csv = read({"profile", kProfile, "--entries", "1:2", "--columns", "1:3", "--format", "csv"});  // names from the meter
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out,
            "0.0.1.0.0.255:2,0.0.96.10.1.255:2,1.0.1.8.0.255:2 [kWh]\r\n"
            "2026-01-01T01:15:00+01:00,128,0.860\r\n"
            "2026-01-01T01:30:00+01:00,0,1.720\r\n");
}

}  // namespace
