// HostHal against its state directory: secrets file parsing and creation, NVM
// persistence across reopening, clock offset persistence. Expected values are the
// documented formats of docs/host-meter.md.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <clms100/model.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "host_hal.hpp"

namespace metergen::host {
namespace {

namespace fs = std::filesystem;

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
  // 2030-01-01T00:00:00Z = 1893456000 s since the epoch.
  constexpr std::uint64_t kSetMs = 1893456000000ull;
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

TEST_F(HostHalTest, TicksAreMonotonic) {
  HostHal hal(models::clms100::model, state());
  const std::uint32_t a = hal.ticks_ms();
  EXPECT_LE(static_cast<std::uint32_t>(hal.ticks_ms() - a), 1000u);
}

}  // namespace
}  // namespace metergen::host
