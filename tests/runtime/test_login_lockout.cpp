// Brute-force protection of LLS logins (dlms/login_guard.hpp, docs/runtime.md
// Login lockout): wrong passwords in a row lock the client SAP's association
// for a lockout time that doubles with each further lockout; the meter logs the
// lockout, the event engine logs the n-th failure and raises its alarm bit.
// The event model (tests/runtime/specs/events.yaml) locks after 3 failures for
// 30 s and logs code 7 with alarm bit 6; clms100 has no detection entry, so the
// defaults hold there (5 failures, 60 s). Expected values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <clms100/model.hpp>
#include <events-test/model.hpp>
#include <metergen/dlms/server.hpp>

#include "hex_bytes.hpp"
#include "time_engine_support.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;
namespace ev = metergen::models::events_test;

constexpr std::int64_t kStart = 1772445600;  // 2026-03-02 10:00:00 UTC

// AARQ, LN context, LLS, with an 8-character password (as test_server.cpp's).
Bytes lls_aarq(const char (&password)[9]) {
  Bytes aarq = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08");
  aarq.insert(aarq.end(), password, password + 8);
  const Bytes initiate = hex("BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  aarq.insert(aarq.end(), initiate.begin(), initiate.end());
  return aarq;
}

// AARE rejected-permanent, acse-service-user diagnostic authentication-failure (13).
const Bytes kRefused = hex("61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 0D");

// A meter with one connection, logging in by LLS.
class Logins {
 public:
  explicit Logins(const metergen::tables::Model& model) : meter(model, kStart), connection(meter.meter()) {}

  // True when the login was accepted; a refusal must be the AARE above.
  bool login(std::uint16_t client_sap, const char (&password)[9]) {
    Bytes aarq = lls_aarq(password);
    Bytes out(512);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection.on_apdu(client_sap, 1, aarq, w));
    out.resize(w.size());
    if (out.size() >= 18 && Bytes(out.begin() + 15, out.begin() + 18) == hex("02 01 00")) return true;
    EXPECT_EQ(out, kRefused);
    return false;
  }
  void wait_ms(std::uint32_t ms) { meter.hal.memory.ticks += ms; }
  std::vector<std::string> lockout_logs() const {
    std::vector<std::string> out;
    for (const auto& line : meter.hal.memory.logs)
      if (line.rfind("login:", 0) == 0) out.push_back(line);
    return out;
  }

  metergen::test::TimedMeter meter;
  metergen::dlms::Connection connection;
};

constexpr char kRight[9] = "12345678";
constexpr char kWrong[9] = "00000000";

TEST(LoginLockout, TheThirdWrongPasswordLocksTheAssociationForThirtySeconds) {
  Logins l(ev::model);
  EXPECT_FALSE(l.login(1, kWrong));
  EXPECT_FALSE(l.login(1, kWrong));
  EXPECT_TRUE(l.login(1, kRight));  // a success ends the row
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(l.login(1, kWrong));
  EXPECT_THAT(l.lockout_logs(), ::testing::ElementsAre("login: client SAP 1 locked for 30 s after 3 failed logins in a row"));
  EXPECT_EQ(l.meter.meter().login_locked_for_s(0), 30u);
  EXPECT_FALSE(l.login(1, kRight));  // refused unchecked while locked
  l.wait_ms(29999);
  EXPECT_EQ(l.meter.meter().login_locked_for_s(0), 1u);
  EXPECT_FALSE(l.login(1, kRight));
  l.wait_ms(1);
  EXPECT_TRUE(l.login(1, kRight));
}

TEST(LoginLockout, TheFailuresAreLoggedAndRaiseTheAlarmBit) {
  Logins l(ev::model);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(l.login(1, kWrong));
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(l.login(1, kWrong));  // refused while locked: not counted
  const auto rows = l.meter.entries(ev::objects::standard_log);
  ASSERT_EQ(rows.size(), 1u);  // code 7 once: the third failure in a row
  EXPECT_EQ(metergen::test::column_integer(rows[0][1]), 7);
  EXPECT_EQ(l.meter.integer(ev::objects::alarm_register), 1 << 6);
}

TEST(LoginLockout, EachFurtherLockoutLastsTwiceAsLongUpToSixteenTimes) {
  Logins l(ev::model);
  const std::uint32_t expected[] = {30, 60, 120, 240, 480, 480};
  for (std::uint32_t seconds : expected) {
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(l.login(1, kWrong));
    EXPECT_EQ(l.meter.meter().login_locked_for_s(0), seconds);
    l.wait_ms(seconds * 1000);
    l.meter.run(metergen::test::balanced(3, 230, 10), 1);  // the tick ends the lockout
  }
  EXPECT_TRUE(l.login(1, kRight));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(l.login(1, kWrong));
  EXPECT_EQ(l.meter.meter().login_locked_for_s(0), 30u);  // a success started over
}

TEST(LoginLockout, ALockedClientSapLeavesTheOthersOpenAndDefaultsHoldWithoutADetection) {
  Logins l(metergen::models::clms100::model);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(l.login(2, kWrong));
  EXPECT_TRUE(l.lockout_logs().empty());
  EXPECT_FALSE(l.login(2, kWrong));  // the fifth
  EXPECT_THAT(l.lockout_logs(), ::testing::ElementsAre("login: client SAP 2 locked for 60 s after 5 failed logins in a row"));
  EXPECT_FALSE(l.login(2, kRight));
  EXPECT_TRUE(l.login(1, kRight));   // the utility association (LLS as its fallback)
}

}  // namespace
