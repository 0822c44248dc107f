// End to end: the hxe312-kp host meter's prepayment account (specs/hxe312-kp.yaml:
// 50 kWh initial credit, credit_exhausted disconnects, docs/prepayment.md). The
// scenario (--speed max --exit-at-end, readings fidelity) types a 20.0 kWh STS
// token on the keypad in a first, unloaded segment, then loads the meter with
// 3 x 240 V x 50 A (36 kW, 10 Wh a second) for 7,200 s. By hand: 70 kWh last
// 7,000 s, so the relay opens at the 7,000th second of the load, no current
// flows behind it afterwards, and the meter registers 70,000 Wh. A second
// process without a scenario serves what the first saved.
//
// The control socket (--control-port, docs/host-meter.md) types a token on a
// meter without a scenario: the LCD echoes the last 8 of the first 10 digits
// (digits 3..10), then shows `Accept`; the credit is the 50 kWh of a new
// account plus the token's 20.0 kWh: 70,000 Wh.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/control_client.hpp"
#include "../support/sts_vending.hpp"
#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
namespace vend = metergen::test::sts_vending;
using json = nlohmann::json;

constexpr const char* kModel = "hxe312-kp";
constexpr std::uint64_t kDemoDecoderKey = 0x0123456789ABCDEFull;  // the host meter's demo secrets

std::string scenario_text(const std::string& token) {
  return R"(fidelity: readings
segments:
  - name: top-up
    duration: 10s
    all: {voltage: 240 V, current: 0 A, pf: 1}
    keys: ")" + token + R"(#"
  - name: load
    duration: 7200s
    all: {voltage: 240 V, current: 50 A, pf: 1}
)";
}

}  // namespace

TEST(Prepayment, ATokenTypedOnTheKeypadAndTheSupplyCutWhenTheCreditIsUsedUp) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-prepayment");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string token = vend::encode(kDemoDecoderKey, vend::Cipher::sta, 0, 0, vend::tid_data(1, 4242, 200));
  std::ofstream(dir / "prepayment.yaml") << scenario_text(token);
  const e2e::Result played =
      e2e::run({METERGEN_METER_BIN, "--model", kModel, "--state", (dir / "state").string(), "--wrapper-port", "0",
                "--scenario", (dir / "prepayment.yaml").string(), "--speed", "max", "--start", "2027-03-03T08:00:00Z",
                "--exit-at-end"},
               dir);
  ASSERT_EQ(played.exit_code, 0) << played.err;
  EXPECT_NE(played.err.find("keys typed: " + token + "#"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("prepayment: token accepted (accepted)"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("prepayment: credit exhausted, supply disconnected"), std::string::npos) << played.err;

  auto process = std::make_unique<e2e::HostMeter>(kModel, dir, std::vector<std::string>{}, /*fresh=*/false);
  ASSERT_TRUE(process->ready());
  e2e::Association management;
  for (const auto& a : e2e::associations_of(kModel))
    if (a.sap == 1) management = a;
  auto get = [&](const char* attribute, const char* class_id) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", process->wrapper_url()};
    const auto options = e2e::client_options(management, *process);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"get", attribute, "--class", class_id});
    const e2e::Result r = e2e::run(args, dir);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out)["value"] : json();
  };
  EXPECT_EQ(get("0.0.19.0.0.255:5", "111"), 0);          // available credit, Wh
  EXPECT_EQ(get("0.0.96.3.10.255:3", "70"), 2);          // ready for reconnection (g)
  const double wh = get("1.0.15.8.0.255:2", "3").get<double>();  // active absolute energy, Wh
  EXPECT_NEAR(wh, 70000.0, 10.0) << "at most the one second in which the credit ran out";
  EXPECT_NEAR(get("0.0.19.20.0.255:2", "113").get<double>(), wh, 1.0);  // total charged: the register's growth
  process.reset();
  fs::remove_all(dir);
}

namespace {

// Waits (5 s at most) until the LCD file has a line containing `screen`.
bool lcd_shows(const fs::path& lcd, const std::string& screen) {
  const auto deadline = e2e::Clock::now() + std::chrono::seconds(5);
  while (e2e::Clock::now() < deadline) {
    if (e2e::read_text(lcd).find(screen) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST(Prepayment, ATokenTypedOnTheControlSocketIsEchoedAndCredited) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-control");
  const fs::path lcd = dir / "lcd.txt";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto process = std::make_unique<e2e::HostMeter>(kModel, dir / "meter",
                                                  std::vector<std::string>{"--control-port", "0", "--lcd", lcd.string()});
  const e2e::HostMeter& meter = *process;
  ASSERT_TRUE(meter.ready());
  ASSERT_GT(meter.control_port(), 0);
  metergen::test::ControlClient control(meter.control_port());
  ASSERT_TRUE(control.valid());
  const std::string token = vend::encode(kDemoDecoderKey, vend::Cipher::sta, 0, 0, vend::tid_data(1, 4243, 200));
  EXPECT_EQ(control.command("keys " + token.substr(0, 10)), "ok: 10 keys typed");
  EXPECT_TRUE(lcd_shows(lcd, " token | " + token.substr(2, 8) + " |")) << e2e::read_text(lcd);
  EXPECT_EQ(control.command("keys " + token.substr(10) + "#"), "ok: 11 keys typed");
  EXPECT_TRUE(lcd_shows(lcd, " token | Accept |")) << e2e::read_text(lcd);
  EXPECT_EQ(control.command("lcd").rfind("ok: token | Accept |", 0), 0u) << "the message lasts 5 s";

  e2e::Association management;
  for (const auto& a : e2e::associations_of(kModel))
    if (a.sap == 1) management = a;
  std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter.wrapper_url()};
  const auto options = e2e::client_options(management, meter);
  args.insert(args.end(), options.begin(), options.end());
  args.insert(args.end(), {"get", "0.0.19.0.0.255:5", "--class", "111"});  // available credit, Wh
  const e2e::Result r = e2e::run(args, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["value"], 70000);
  process.reset();
  fs::remove_all(dir);
}
