// HostHal against its state directory: secrets file parsing and creation, NVM
// persistence across reopening, clock offset persistence; its front end and
// clock with and without a scenario (meter time = start + samples read / 4000
// per second, plus a client's setting) and adc_read's bounds. Expected values are
// the documented formats and rules of docs/host-meter.md.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "host_hal.hpp"

namespace metergen::host {
namespace {

namespace fs = std::filesystem;

// 2030-01-01T00:00:00Z = 1893456000 s since the epoch.
constexpr std::uint64_t k2030 = 1893456000000ull;

// 230 V, 5 A on three phases for an hour.
const simulation::Segment kRatedLoad = {
    "rated load", 3600, 50, {{230, 5, 0, 0, 0, {}}, {230, 5, 0, -120, 0, {}}, {230, 5, 0, 120, 0, {}}}, -1};
const simulation::Scenario kScenario = {&kRatedLoad, 1, false, 1, 0};

// Reads everything readable from the HAL's front end.
std::uint64_t drain(HostHal& hal) {
  hal::AdcFrame frames[512];
  std::uint64_t total = 0;
  while (std::size_t n = hal.adc_read(frames, 512)) total += n;
  return total;
}

class HostHalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/host_hal_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string state() const { return dir_ + "/state"; }

  std::string dir_;
};

TEST_F(HostHalTest, ParsesPasswordsAsTextAndKeysAsHex) {
  std::map<std::string, std::vector<std::uint8_t>> secrets;
  std::string error;
  ASSERT_TRUE(HostHal::parse_secrets("# comment\n\nsap.2.lls_password = 12345678\nsap.1.ek=000102030405060708090a0b0c0d0e0F\n",
                                     &secrets, &error))
      << error;
  // "12345678" as ASCII: 0x31..0x38.
  EXPECT_EQ(secrets["sap.2.lls_password"], (std::vector<std::uint8_t>{0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38}));
  EXPECT_EQ(secrets["sap.1.ek"].size(), 16u);
  EXPECT_EQ(secrets["sap.1.ek"][10], 0x0A);
  EXPECT_EQ(secrets["sap.1.ek"][15], 0x0F);
}

TEST_F(HostHalTest, RejectsBadSecretLinesWithTheirNumber) {
  std::map<std::string, std::vector<std::uint8_t>> secrets;
  std::string error;
  EXPECT_FALSE(HostHal::parse_secrets("sap.1.ak = 0G\n", &secrets, &error));
  EXPECT_EQ(error, "1: sap.1.ak: expected hex bytes");
  EXPECT_FALSE(HostHal::parse_secrets("\nno equals sign\n", &secrets, &error));
  EXPECT_EQ(error, "2: expected `key = value`");
}

// The error of parsing `text` as a whole secrets file.
std::string secrets_error(const std::string& text) {
  std::map<std::string, std::vector<std::uint8_t>> secrets;
  std::string error;
  EXPECT_FALSE(HostHal::parse_secrets(text, &secrets, &error)) << text;
  return error;
}

TEST_F(HostHalTest, RejectsEmptyPasswordsWrongLengthsUnknownKeysRepeatsAndEmptyFiles) {
  EXPECT_EQ(secrets_error("sap.2.lls_password =\n"), "1: sap.2.lls_password: empty password");
  EXPECT_EQ(secrets_error("# keys\nsap.1.ek = 00\n"), "2: sap.1.ek: expected 16 bytes, got 1");
  EXPECT_EQ(secrets_error("sap.1.ak = 000102030405060708090A0B0C0D0E0F10\n"), "1: sap.1.ak: expected 16 bytes, got 17");
  EXPECT_EQ(secrets_error("server_system_title = 4D474D00000001\n"), "1: server_system_title: expected 8 bytes, got 7");
  EXPECT_EQ(secrets_error("sap.one.ek = 000102030405060708090A0B0C0D0E0F\n"),
            "1: sap.one.ek: unknown key; expected server_system_title, sts_decoder_key or sap.<SAP>.lls_password, .ek, .ak");
  EXPECT_EQ(secrets_error("sap.2.password = x\n"),
            "1: sap.2.password: unknown key; expected server_system_title, sts_decoder_key or sap.<SAP>.lls_password, .ek, .ak");
  EXPECT_EQ(secrets_error("sap.2.lls_password = a\nsap.2.lls_password = b\n"), "2: sap.2.lls_password: given twice");
  EXPECT_EQ(secrets_error(""), " no secrets in the file");
  EXPECT_EQ(secrets_error("# only a comment\n"), " no secrets in the file");
}

// Opens a HAL on state() and returns its error ("" when it opened), with what it logged in *log.
std::string open_error(const std::string& state, std::string* log) {
  HostHal hal(models::clms100::model, state);
  std::string error;
  ::testing::internal::CaptureStderr();
  const bool opened = hal.open(&error);
  *log = ::testing::internal::GetCapturedStderr();
  return opened ? std::string() : error;
}

TEST_F(HostHalTest, ASecretsFileThatCannotBeReadStopsTheMeterAndIsNeverReplaced) {
  const std::string path = state() + "/secrets.conf";
  fs::create_directories(path);  // a directory where the file should be
  std::string log;
  EXPECT_EQ(open_error(state(), &log),
            "cannot read the secrets: " + path + ": not a regular file (the meter never replaces them)");
  EXPECT_TRUE(fs::is_directory(path));
  fs::remove(path);
  if (geteuid() != 0) {  // root reads a file whatever its mode
    std::ofstream(path) << "sap.2.lls_password = secret\n";
    fs::permissions(path, fs::perms::none);
    EXPECT_EQ(open_error(state(), &log),
              "cannot read the secrets: " + path + ": Permission denied (the meter never replaces them)");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    std::ifstream in(path);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
              "sap.2.lls_password = secret\n");
  }
}

TEST_F(HostHalTest, AMalformedSecretsFileStopsTheMeterWithTheLine) {
  fs::create_directories(state());
  std::ofstream(state() + "/secrets.conf") << "server_system_title = 4D474D0000000001\nsap.1.ek = 01\n";
  fs::permissions(state() + "/secrets.conf", fs::perms::owner_read | fs::perms::owner_write);
  std::string log;
  EXPECT_EQ(open_error(state(), &log), state() + "/secrets.conf:2: sap.1.ek: expected 16 bytes, got 1");
}

TEST_F(HostHalTest, ASecretsFileOthersCanReadIsWarnedAbout) {
  fs::create_directories(state());
  const std::string path = state() + "/secrets.conf";
  std::ofstream(path) << "sap.2.lls_password = 12345678\n";
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  std::string log;
  EXPECT_EQ(open_error(state(), &log), "");
  EXPECT_NE(log.find("warning: " + path + " is readable by others than its owner (mode 0644); chmod 600 it"),
            std::string::npos)
      << log;
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(open_error(state(), &log), "");
  EXPECT_EQ(log.find("warning"), std::string::npos) << log;
}

TEST_F(HostHalTest, CreatesDemoSecretsKeyedByClientSap) {
  HostHal hal(models::clms100::model, state());
  std::string error;
  ASSERT_TRUE(hal.open(&error)) << error;
  struct stat st{};
  ASSERT_EQ(stat((state() + "/secrets.conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  // clms100: association 1 "reader" is client SAP 2 with LLS; association 2
  // "utility" is SAP 1 with HLS-GMAC; the public association has no secrets.
  std::uint8_t out[32];
  ASSERT_EQ(hal.secret(models::clms100::associations::reader, hal::Secret::lls_password, out, sizeof out), 8u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 8), "12345678");
  ASSERT_EQ(hal.secret(models::clms100::associations::utility, hal::Secret::encryption_key, out, sizeof out), 16u);
  EXPECT_EQ(out[0], 0x00);
  EXPECT_EQ(out[15], 0x0F);
  ASSERT_EQ(hal.secret(models::clms100::associations::utility, hal::Secret::authentication_key, out, sizeof out), 16u);
  EXPECT_EQ(out[0], 0xD0);
  EXPECT_EQ(hal.secret(models::clms100::associations::public_, hal::Secret::lls_password, out, sizeof out), 0u);
  ASSERT_EQ(hal.secret(models::clms100::associations::public_, hal::Secret::server_system_title, out, sizeof out), 8u);
  EXPECT_EQ(out[0], 0x4D);  // 'M'
  EXPECT_EQ(out[1], 0x47);  // 'G'
  EXPECT_EQ(hal.secret(200, hal::Secret::lls_password, out, sizeof out), 0u);
}

TEST_F(HostHalTest, NvmKeepsCompletedWritesAcrossReopen) {
  const std::uint8_t data[] = {0xDE, 0xAD, 0xBE, 0xEF};
  std::string error;
  {
    HostHal hal(models::clms100::model, state());
    ASSERT_TRUE(hal.open(&error)) << error;
    EXPECT_EQ(hal.nvm_size(), kNvmSize);
    ASSERT_TRUE(hal.nvm_write(kNvmSize - 4, data, 4));
    EXPECT_FALSE(hal.nvm_write(kNvmSize - 3, data, 4));
    EXPECT_FALSE(hal.nvm_read(kNvmSize, nullptr, 1));
  }  // no sync(): the file already holds every completed write
  HostHal hal(models::clms100::model, state());
  ASSERT_TRUE(hal.open(&error)) << error;
  std::uint8_t back[4] = {};
  ASSERT_TRUE(hal.nvm_read(kNvmSize - 4, back, 4));
  EXPECT_EQ(std::vector<std::uint8_t>(back, back + 4), std::vector<std::uint8_t>(data, data + 4));
  std::uint8_t erased[2] = {0xFF, 0xFF};
  ASSERT_TRUE(hal.nvm_read(0, erased, 2));
  EXPECT_EQ(erased[0], 0);
  EXPECT_EQ(fs::file_size(state() + "/nvm.bin"), kNvmSize);
}

TEST_F(HostHalTest, ClockOffsetSurvivesRestart) {
  constexpr std::uint64_t kSetMs = k2030;
  std::string error;
  {
    HostHal hal(models::clms100::model, state());
    ASSERT_TRUE(hal.open(&error)) << error;
    hal.set_utc_ms(kSetMs);
  }
  HostHal hal(models::clms100::model, state());
  ASSERT_TRUE(hal.open(&error)) << error;
  const std::uint64_t now = hal.utc_ms();
  EXPECT_GE(now, kSetMs);
  EXPECT_LT(now, kSetMs + 5000);
}

// A clock offset that cannot be written (here a directory in its place, which
// a rename cannot replace even as root) is not used: the clock keeps its time.
TEST_F(HostHalTest, AClockSetThatCannotBeKeptLeavesTheClock) {
  std::string error;
  HostHal hal(models::clms100::model, state());
  ASSERT_TRUE(hal.open(&error)) << error;
  fs::create_directories(state() + "/clock_offset/blocked");
  const std::uint64_t before = hal.utc_ms();
  EXPECT_FALSE(hal.set_utc_ms(k2030));
  EXPECT_LT(hal.utc_ms(), before + 5000);
}

TEST_F(HostHalTest, TicksAreMonotonic) {
  HostHal hal(models::clms100::model, state());
  const std::uint32_t a = hal.ticks_ms();
  EXPECT_LE(static_cast<std::uint32_t>(hal.ticks_ms() - a), 1000u);
}

TEST_F(HostHalTest, WithoutAScenarioThereIsNoFrontEnd) {
  HostHal hal(models::clms100::model, state());
  std::string error;
  ASSERT_TRUE(hal.open(&error)) << error;
  EXPECT_EQ(hal.front_end().sample_rate_hz, 0u);
  hal::AdcFrame frame;
  EXPECT_EQ(hal.adc_read(&frame, 1), 0u);
  EXPECT_EQ(hal.simulated_front_end(), nullptr);
}

TEST_F(HostHalTest, TheClockRunsOnTheSamplesRead) {
  HostHal hal(models::dtsd545::model, state());
  std::string error;
  ASSERT_TRUE(hal.open(&error)) << error;
  hal.start_scenario(kScenario, SimulatedFrontEnd::kMaxSpeed, k2030);
  // dtsd545: 230 V reference, Imax 100 A -> 1.2 * sqrt(2) peaks of 390.323 V and 169.706 A.
  const hal::FrontEnd fe = hal.front_end();
  EXPECT_EQ(fe.sample_rate_hz, 4000u);
  EXPECT_EQ(fe.voltage_full_scale_mv, 390323u);
  EXPECT_EQ(fe.current_full_scale_ma, 169706u);
  EXPECT_EQ(hal.utc_ms(), k2030);

  SimulatedFrontEnd& sim = *hal.simulated_front_end();
  std::vector<hal::AdcFrame> frames(1000);
  EXPECT_EQ(hal.adc_read(frames.data(), frames.size()), 0u);  // nothing opened yet: never blocks
  std::uint64_t read = 0;
  for (int window = 0; window < 60; ++window) {  // one minute of samples, at most 1000 a call
    sim.pace(monotonic_ns());
    while (std::size_t n = hal.adc_read(frames.data(), frames.size())) {
      ASSERT_LE(n, frames.size());
      read += n;
    }
  }
  EXPECT_EQ(read, 240000u);
  EXPECT_EQ(hal.utc_ms(), k2030 + 60000);
  // Two more samples (0.5 ms) do not make a millisecond; four do.
  sim.pace(monotonic_ns());
  hal.adc_read(frames.data(), 2);
  EXPECT_EQ(hal.utc_ms(), k2030 + 60000);
  hal.adc_read(frames.data(), 2);
  EXPECT_EQ(hal.utc_ms(), k2030 + 60001);

  // A client sets the clock: from then on it runs from there on the samples.
  hal.set_utc_ms(k2030 + 3600000);
  EXPECT_EQ(hal.utc_ms(), k2030 + 3600000);
  hal.adc_read(frames.data(), 400);
  EXPECT_EQ(hal.utc_ms(), k2030 + 3600100);
}

TEST_F(HostHalTest, ACleanStopKeepsTheMeterTimeReached) {
  std::string error;
  {
    HostHal hal(models::dtsd545::model, state());
    ASSERT_TRUE(hal.open(&error)) << error;
    hal.start_scenario(kScenario, SimulatedFrontEnd::kMaxSpeed, k2030);
    hal.simulated_front_end()->pace(monotonic_ns());
    drain(hal);
    hal.sync();
  }
  HostHal hal(models::dtsd545::model, state());
  ASSERT_TRUE(hal.open(&error)) << error;
  // 2030 + 1 s of samples, then real time runs on (a few ms here).
  EXPECT_GE(hal.utc_ms(), k2030 + 1000);
  EXPECT_LT(hal.utc_ms(), k2030 + 6000);
}

}  // namespace
}  // namespace metergen::host

namespace metergen::host {
namespace {

// Readings fidelity: no ADC, the clock runs on whole seconds, a power-off
// segment plays only by skip(), and buttons_held() is the current segment's press set.
TEST_F(HostHalTest, ReadingsFidelityPowerCutsAndButtons) {
  const simulation::PhaseLoad l1{230, 5, 0, 0, 0, {}}, l2{230, 5, 0, -120, 0, {}}, l3{230, 5, 0, 120, 0, {}};
  const simulation::Segment segments[] = {
      {"load", 10, 50, {l1, l2, l3}, -1},
      {"press", 5, 50, {l1, l2, l3}, -1, false, hal::button_bit(hal::Button::billing)},
      {"outage", 20, 50, {}, -1, true, 0},
      {"after", 5, 50, {l1, l2, l3}, -1}};
  simulation::Scenario scenario = {segments, 4, false, 1, 0};
  scenario.fidelity = simulation::Fidelity::readings;
  HostHal hal(models::dtsd545::model, state());
  std::string error;
  ASSERT_TRUE(hal.open(&error)) << error;
  hal.start_scenario(scenario, SimulatedFrontEnd::kMaxSpeed, k2030, true);
  EXPECT_EQ(hal.front_end().sample_rate_hz, 0u);
  hal::AdcFrame frame;
  EXPECT_EQ(hal.adc_read(&frame, 1), 0u);
  SimulatedFrontEnd& sim = *hal.simulated_front_end();
  sim.pace(monotonic_ns());
  metrology::Readings r{};
  for (int s = 0; s < 10; ++s) {
    EXPECT_EQ(hal.buttons_held(), 0);
    ASSERT_TRUE(sim.next_second(r));
    EXPECT_EQ(r.phase[0].active_uw, 1'150'000'000);
  }
  EXPECT_EQ(hal.utc_ms(), k2030 + 10000);
  EXPECT_EQ(hal.buttons_held(), hal::button_bit(hal::Button::billing));
  for (int s = 0; s < 5; ++s) ASSERT_TRUE(sim.next_second(r));
  // The outage: no readings, only skip() moves the clock, by the whole segment.
  EXPECT_FALSE(sim.powered());
  EXPECT_EQ(hal.buttons_held(), 0);
  EXPECT_FALSE(sim.next_second(r));
  EXPECT_EQ(sim.skip(100), 20u);
  EXPECT_EQ(hal.utc_ms(), k2030 + 35000);
  EXPECT_TRUE(sim.powered());
  for (int s = 0; s < 5; ++s) ASSERT_TRUE(sim.next_second(r));
  // stop_at_end: nothing past the last segment.
  EXPECT_TRUE(sim.finished());
  sim.pace(monotonic_ns());
  EXPECT_FALSE(sim.next_second(r));
  EXPECT_EQ(hal.utc_ms(), k2030 + 40000);
}

}  // namespace
}  // namespace metergen::host
