// Register monitors (IC 21) over simulated time, tests/runtime/specs/monitors.yaml:
// the active power watched at 1,000 W (up: push script 1) and 2,000 W (up:
// end of billing period script; down: push script 1), the alarm register
// watched at 0 (up: push script 1). Attribute bytes are written by hand from
// cosem-interface-classes.md §14 (thresholds array, value definition
// {long-unsigned class_id, octet-string logical_name, integer attribute},
// action_set {script reference x2}, script reference {octet-string,
// long-unsigned}); the crossings from the thresholds and the load.
#include <gtest/gtest.h>

#include <monitors-test/model.hpp>

#include "hex_bytes.hpp"
#include "time_engine_support.hpp"

namespace {

namespace mg = metergen;
using mg::dlms::DataAccessResult;
using mg::test::Bytes;
using mg::test::hex;
using mg::test::TimedMeter;
namespace model = mg::models::monitors_test;

const std::int64_t kStart = mg::test::utc_of(2027, 3, 10, 12, 0, 0);

// One phase at 230 V drawing `watts` at PF 1.
mg::metrology::Readings load(double watts) { return mg::test::balanced(1, 230.0, watts / 230.0); }

class RegisterMonitors : public ::testing::Test {
 protected:
  std::uint16_t find(std::initializer_list<std::uint8_t> ln) {
    mg::tables::LogicalName name{};
    std::copy(ln.begin(), ln.end(), name.b);
    return mg::tables::find_object(model::model, name);
  }
  std::size_t pushes() const { return m.hal.memory.pushed.size(); }
  std::int64_t billings() { return m.integer(billing_counter); }

  TimedMeter m{model::model, kStart};
  const std::uint16_t power_monitor = find({0, 0, 16, 0, 0, 255});
  const std::uint16_t alarm_monitor = find({0, 0, 16, 1, 0, 255});
  const std::uint16_t alarm_register = find({0, 0, 97, 98, 0, 255});
  const std::uint16_t billing_counter = find({1, 0, 0, 1, 0, 255});
};

TEST_F(RegisterMonitors, AttributesAsTheSpecGivesThem) {
  // 1000 W and 2000 W as double-long-unsigned (the monitored value's type, scaler 0).
  EXPECT_EQ(m.value(power_monitor, 2), hex("01 02 06 00 00 03 E8 06 00 00 07 D0"));
  // Register (3) 1.0.1.7.0.255, attribute 2.
  EXPECT_EQ(m.value(power_monitor, 3), hex("02 03 12 00 03 09 06 01 00 01 07 00 FF 0F 02"));
  // Threshold 1: up push script table 0.0.10.0.108.255 script 1, no down (zeros);
  // threshold 2: up MDI reset script table 0.0.10.0.1.255 script 1, down push script 1.
  EXPECT_EQ(m.value(power_monitor, 4),
            hex("01 02"
                " 02 02 02 02 09 06 00 00 0A 00 6C FF 12 00 01 02 02 09 06 00 00 00 00 00 00 12 00 00"
                " 02 02 02 02 09 06 00 00 0A 00 01 FF 12 00 01 02 02 09 06 00 00 0A 00 6C FF 12 00 01"));
  EXPECT_EQ(m.value(alarm_monitor, 2), hex("01 01 06 00 00 00 00"));
  EXPECT_EQ(m.value(alarm_monitor, 3), hex("02 03 12 00 01 09 06 00 00 61 62 00 FF 0F 02"));
}

TEST_F(RegisterMonitors, EachCrossingRunsItsScriptOnce) {
  m.run(load(500), 10);
  EXPECT_EQ(pushes(), 0u);
  m.run(load(1500), 10);  // above 1,000 W: push
  EXPECT_EQ(pushes(), 1u);
  EXPECT_EQ(billings(), 0);
  m.run(load(2500), 10);  // above 2,000 W: end of billing period, no push
  EXPECT_EQ(billings(), 1);
  EXPECT_EQ(pushes(), 1u);
  m.run(load(2000), 10);  // back to 2,000 W (not above): push
  EXPECT_EQ(pushes(), 2u);
  m.run(load(500), 10);   // under 1,000 W: no action down
  EXPECT_EQ(pushes(), 2u);
  EXPECT_EQ(billings(), 1);
}

TEST_F(RegisterMonitors, TheAlarmMonitorPushesWhenAnAlarmBitIsSet) {
  m.run(load(500), 2);
  ASSERT_EQ(m.set(alarm_register, 2, hex("06 00 00 00 04")), DataAccessResult::success);
  m.run(load(500), 2);
  EXPECT_EQ(pushes(), 1u);
  ASSERT_EQ(m.set(alarm_register, 2, hex("06 00 00 00 05")), DataAccessResult::success);  // still above 0
  m.run(load(500), 2);
  EXPECT_EQ(pushes(), 1u);
  ASSERT_EQ(m.set(alarm_register, 2, hex("06 00 00 00 00")), DataAccessResult::success);  // cleared: no action down
  m.run(load(500), 2);
  ASSERT_EQ(m.set(alarm_register, 2, hex("06 00 00 00 01")), DataAccessResult::success);
  m.run(load(500), 2);
  EXPECT_EQ(pushes(), 2u);
}

TEST_F(RegisterMonitors, ACrossingDuringAPowerCutActsAtPowerUp) {
  m.run(load(2500), 5);  // up through both: a push and a billing
  ASSERT_EQ(pushes(), 1u);
  ASSERT_EQ(billings(), 1);
  m.power_cut(600);
  m.run(load(500), 5);  // down through 2,000 W since the last look: its push
  EXPECT_EQ(pushes(), 2u);
  EXPECT_EQ(billings(), 1);
  m.power_cut(600);
  m.run(load(500), 5);  // nothing crossed
  EXPECT_EQ(pushes(), 2u);
}

TEST_F(RegisterMonitors, AClientSetsThresholdsOfTheSameTypeAndCount) {
  // 100 W and 2,000 W: 500 W is now above the first threshold.
  ASSERT_EQ(m.set(power_monitor, 2, hex("01 02 06 00 00 00 64 06 00 00 07 D0")), DataAccessResult::success);
  m.run(load(500), 2);
  EXPECT_EQ(pushes(), 1u);
  EXPECT_EQ(m.value(power_monitor, 2), hex("01 02 06 00 00 00 64 06 00 00 07 D0"));
  // Another count, another type of the same size, a short value: refused, nothing changed.
  EXPECT_EQ(m.set(power_monitor, 2, hex("01 01 06 00 00 00 64")), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(power_monitor, 2, hex("01 02 05 00 00 00 64 06 00 00 07 D0")), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(power_monitor, 2, hex("01 02 06 00 00 00 64 06 00 00 07")), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.value(power_monitor, 2), hex("01 02 06 00 00 00 64 06 00 00 07 D0"));
  // The monitored value and the actions are the spec's.
  EXPECT_EQ(m.set(power_monitor, 3, hex("02 03 12 00 03 09 06 01 00 01 07 00 FF 0F 02")),
            DataAccessResult::read_write_denied);
  EXPECT_EQ(m.set(power_monitor, 4, hex("01 00")), DataAccessResult::read_write_denied);
}

}  // namespace
