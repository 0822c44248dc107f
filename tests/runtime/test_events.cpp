// The event engine over simulated time (tests/runtime/specs/events.yaml): each
// trigger's start and end after its level held for its duration, the log entry
// (clock time, code, extra column), filters, counters, power failures, clock
// sets, parameter changes and failed logins. Expected times and values are
// worked out by hand from the spec's levels and the scenario below.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <dtsd545/model.hpp>
#include <events-test/model.hpp>

#include "time_engine_support.hpp"

namespace {

using metergen::test::Bytes;
using metergen::test::column_integer;
using metergen::test::column_time;
using metergen::test::TimedMeter;
using metergen::test::utc_of;
namespace ev = metergen::models::events_test;
namespace obj = ev::objects;

constexpr std::int64_t kStart = 1772445600;  // 2026-03-02 10:00:00 UTC (the meter's local time: UTC, no DST)
static_assert(kStart == 20514 * 86400LL + 10 * 3600);

metergen::metrology::Readings normal() { return metergen::test::balanced(3, 230, 10); }

metergen::metrology::Readings with_l1(double volts) {
  auto r = normal();
  r.phase[0].voltage_uv = static_cast<std::int64_t>(volts * 1e6);
  return r;
}

struct Entry {
  std::int64_t code;
  int hour, minute, second;
};

// The log's entries as (code, local time of day).
std::vector<Entry> log_of(TimedMeter& m, std::uint16_t log) {
  std::vector<Entry> out;
  for (const auto& row : m.entries(log)) {
    const auto t = column_time(row[0]);
    out.push_back({column_integer(row[1]), t.hour, t.minute, t.second});
  }
  return out;
}

MATCHER_P4(IsEntry, code, hour, minute, second, "") {
  return arg.code == code && arg.hour == hour && arg.minute == minute && arg.second == second;
}

Bytes long_unsigned(std::uint16_t v) { return {0x12, static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

TEST(Events, UnderVoltageStartsAfterItsDurationAndEndsPastTheRestoreLevel) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 100);                // 10:01:40
  m.run(with_l1(195), 59);             // 59 s below 200 V: not yet
  EXPECT_TRUE(log_of(m, obj::quality_log).empty());
  m.run(normal(), 10);                 // the count starts again
  m.run(with_l1(195), 60);             // 10:01:40 + 69 s + 60 s = 10:03:49
  m.run(with_l1(203), 120);            // above 200 V but below the restore level 207 V: still under
  m.run(with_l1(208), 60);             // 60 s past 207 V: ends at 10:03:49 + 180 s = 10:06:49
  const auto log = log_of(m, obj::quality_log);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_THAT(log[0], IsEntry(20, 10, 3, 49));
  EXPECT_THAT(log[1], IsEntry(21, 10, 6, 49));
  // The extra column: voltage L1 when the entry was written (scaler -2: 195.00 V, then 208.00 V).
  const auto rows = m.entries(obj::quality_log);
  EXPECT_EQ(column_integer(rows[0][2]), 19500);
  EXPECT_EQ(column_integer(rows[1][2]), 20800);
}

TEST(Events, ALevelObjectSetByAClientMovesTheThresholdAndIsLoggedAsAParameterChange) {
  TimedMeter m(ev::model, kStart);
  auto high = normal();
  high.phase[1].voltage_uv = 255'000'000;  // L2 255 V: above the object's 253.0 V
  m.run(high, 9);
  EXPECT_TRUE(m.hal.memory.push_opened.empty());
  m.run(high, 1);                          // 10 s: over voltage at 10:00:10
  // Its push bit: the meter connects to push the event.
  EXPECT_EQ(m.hal.memory.push_opened.size(), 1u);
  EXPECT_TRUE(m.meter().events().active(metergen::tables::Trigger::over_voltage, 2));
  ASSERT_EQ(m.set(obj::over_voltage_threshold, 2, long_unsigned(2600)), metergen::dlms::DataAccessResult::success);
  m.run(high, 10);                         // 255 V is within 260.0 V: ends after 10 s, 10:00:20
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(22, 10, 0, 10), IsEntry(23, 10, 0, 20)));
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(6, 10, 0, 10)));
}

TEST(Events, PhaseLossReverseCurrentAndSequenceAreLoggedAtOnce) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 5);
  auto lost = normal();
  lost.phase[1].voltage_uv = 0;
  lost.phase[1].voltage_present = false;
  m.run(lost, 3);                          // 10:00:06 lost (no duration), back at 10:00:09
  m.run(normal(), 1);
  auto exported = normal();
  exported.phase[2].active_uw = -2'300'000'000;  // L3 exports 2.3 kW
  m.run(exported, 1);                      // 10:00:10
  auto swapped = normal();
  swapped.phase_sequence_reversed = true;
  m.run(swapped, 1);                       // 10:00:11
  EXPECT_THAT(log_of(m, obj::quality_log),
              ::testing::ElementsAre(IsEntry(24, 10, 0, 6), IsEntry(25, 10, 0, 9), IsEntry(26, 10, 0, 10),
                                     IsEntry(27, 10, 0, 11)));
}

TEST(Events, TheFilterDecidesWhatIsLoggedAndAClientMayChangeIt) {
  TimedMeter m(ev::model, kStart);
  // Default filter: two bits per event as listed (log, push); code 28 (the 9th) is not logged.
  const Bytes filter = m.value(obj::quality_log_filter);
  ASSERT_EQ(filter.size(), 2u + 3u);  // bit-string of 22 bits
  EXPECT_EQ(filter[1], 22);
  EXPECT_EQ(filter[2], 0xAE);         // events 1..4 logged, event 3 (code 22) pushed
  EXPECT_EQ(filter[3], 0xAA);         // events 5..8 logged
  EXPECT_EQ(filter[4], 0x28);         // event 9 not, events 10 and 11 logged
  auto unbalanced = normal();
  unbalanced.phase[0].current_ua = 2'000'000;  // 2 A against 10 A: (10 - 2) / 10 = 80 % > 50 %
  m.run(unbalanced, 1);
  EXPECT_TRUE(m.meter().events().active(metergen::tables::Trigger::current_unbalance));
  EXPECT_TRUE(log_of(m, obj::quality_log).empty());
  m.run(normal(), 1);
  ASSERT_EQ(m.set(obj::quality_log_filter, 2, {0x04, 22, 0xAE, 0xAA, 0xA8}), metergen::dlms::DataAccessResult::success);
  m.run(unbalanced, 1);                   // 10:00:03
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(28, 10, 0, 3)));
}

TEST(Events, TheMeterCoverIsAnInputCountedAtEachOpening) {
  TimedMeter m(ev::model, kStart);
  const auto cover = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  m.run(normal(), 4);
  m.hal.inputs = cover;
  m.run(normal(), 2);                     // opened at 10:00:05
  m.hal.inputs = 0;
  m.run(normal(), 3);                     // closed at 10:00:07
  m.hal.inputs = cover;
  m.run(normal(), 1);                     // opened again at 10:00:10
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(29, 10, 0, 5), IsEntry(30, 10, 0, 7),
                                                                  IsEntry(29, 10, 0, 10)));
  EXPECT_EQ(m.integer(obj::meter_cover_open_count), 2);
  EXPECT_EQ(m.integer(obj::alarm_register), 1 << 5);  // the opening's alarm bit, latched
  ASSERT_EQ(m.set(obj::alarm_register, 2, {0x06, 0, 0, 0, 0}), metergen::dlms::DataAccessResult::success);
  m.hal.inputs = 0;
  m.run(normal(), 1);                     // closing sets no alarm
  EXPECT_EQ(m.integer(obj::alarm_register), 0);
}

TEST(Events, TheAlarmFilterKeepsAnAlarmOutOfTheRegisterAndThePush) {
  TimedMeter m(ev::model, kStart);
  const auto cover = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  EXPECT_EQ(m.integer(obj::alarm_filter), 0xFFFFFFFF);  // the spec's default: every alarm passes
  // Every bit but bit 5, the cover opening's alarm.
  ASSERT_EQ(m.set(obj::alarm_filter, 2, {0x06, 0xFF, 0xFF, 0xFF, 0xDF}), metergen::dlms::DataAccessResult::success);
  m.hal.inputs = cover;
  m.run(normal(), 2);
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(29, 10, 0, 1)));  // still logged
  EXPECT_EQ(m.integer(obj::alarm_register), 0);
  EXPECT_TRUE(m.hal.memory.push_opened.empty());
  m.hal.inputs = 0;
  m.run(normal(), 1);
  ASSERT_EQ(m.set(obj::alarm_filter, 2, {0x06, 0xFF, 0xFF, 0xFF, 0xFF}), metergen::dlms::DataAccessResult::success);
  m.hal.inputs = cover;
  m.run(normal(), 1);
  EXPECT_EQ(m.integer(obj::alarm_register), 1 << 5);
  EXPECT_EQ(m.hal.memory.push_opened.size(), 1u);  // a newly set alarm bit is pushed
}

TEST(Events, PowerFailuresAreLoggedAtTheirTimeAndCountedLongPastTheThreshold) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 60);                    // 10:01:00
  m.power_cut(100);                       // back at 10:02:40: 100 s is not longer than 180 s
  m.run(normal(), 60);                    // 10:03:40
  m.power_cut(200);                       // back at 10:07:00: long
  EXPECT_THAT(log_of(m, obj::standard_log),
              ::testing::ElementsAre(IsEntry(1, 10, 1, 0), IsEntry(2, 10, 2, 40), IsEntry(1, 10, 3, 40),
                                     IsEntry(3, 10, 3, 40), IsEntry(2, 10, 7, 0)));
  EXPECT_EQ(m.integer(obj::power_failure_count), 2);
  EXPECT_EQ(m.integer(obj::long_power_failure_count), 1);
}

// Long past the threshold object's 180 s (detection.long_power_failure): the
// duration object (0.0.96.7.19.255) holds the last long failure's up - down
// seconds, and the power failure log captures it with the failure's end.
TEST(Events, TheLastLongPowerFailuresDurationIsKeptAndLogged) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 60);                    // 10:01:00
  m.power_cut(180);                       // up at 10:04:00: 180 s is not longer than 180 s
  EXPECT_EQ(m.integer(obj::long_power_failure_duration), 0) << "a new meter's value, no long failure yet";
  m.run(normal(), 60);                    // 10:05:00
  m.power_cut(181);                       // down 10:05:00, up 10:08:01: 181 s, long
  EXPECT_EQ(m.integer(obj::long_power_failure_duration), 181);
  m.run(normal(), 59);                    // 10:09:00
  m.power_cut(100);                       // up 10:10:40: short, the last long one's duration stays
  EXPECT_EQ(m.integer(obj::long_power_failure_duration), 181);
  // A client raises the threshold to 300 s: 250 s is then short, 3600 s long.
  ASSERT_EQ(m.set(obj::long_power_failure_threshold, 2, long_unsigned(300)), metergen::dlms::DataAccessResult::success);
  m.run(normal(), 20);                    // 10:11:00
  m.power_cut(250);                       // up 10:15:10
  EXPECT_EQ(m.integer(obj::long_power_failure_duration), 181);
  m.run(normal(), 50);                    // 10:16:00
  m.power_cut(3600);                      // up 11:16:00
  EXPECT_EQ(m.integer(obj::long_power_failure_duration), 3600);
  EXPECT_THAT(log_of(m, obj::power_failure_log), ::testing::ElementsAre(IsEntry(1, 10, 8, 1), IsEntry(1, 11, 16, 0)));
  const auto rows = m.entries(obj::power_failure_log);
  EXPECT_EQ(column_integer(rows[0][2]), 181);
  EXPECT_EQ(column_integer(rows[1][2]), 3600);
}

TEST(Events, AClockSetLogsTheOldAndTheNewTime) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 30);                    // 10:00:30
  metergen::axdr::DateTime t = m.meter().objects().local_time(utc_of(2026, 3, 2, 12, 0, 0));
  ASSERT_EQ(m.set_clock(ev::model.clock.object, t), metergen::dlms::DataAccessResult::success);
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(4, 10, 0, 30), IsEntry(5, 12, 0, 0)));
}

TEST(Events, TheMonthlyBillingIsLogged) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 1);
  ASSERT_EQ(m.set_clock(ev::model.clock.object, m.meter().objects().local_time(utc_of(2026, 3, 31, 23, 59, 0))),
            metergen::dlms::DataAccessResult::success);
  m.run(normal(), 90);                    // the month ends at 2026-04-01 00:00
  EXPECT_THAT(log_of(m, obj::standard_log),
              ::testing::ElementsAre(IsEntry(4, 10, 0, 1), IsEntry(5, 23, 59, 0), IsEntry(9, 0, 0, 0)));
}

TEST(Events, EveryThirdFailedLoginInARowIsLogged) {
  TimedMeter m(ev::model, kStart);
  auto& events = m.meter().events();
  events.authentication(false);
  events.authentication(false);
  events.authentication(true);            // a success breaks the row
  for (int i = 0; i < 6; ++i) events.authentication(false);
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(7, 10, 0, 0), IsEntry(7, 10, 0, 0)));
}

TEST(Events, ClearingALogLeavesOnlyItsClearedEvent) {
  TimedMeter m(ev::model, kStart);
  m.run(normal(), 1);
  m.power_cut(10);
  ASSERT_EQ(log_of(m, obj::standard_log).size(), 2u);
  m.run(normal(), 5);                     // 10:00:16
  ASSERT_EQ(m.act(obj::standard_log, 1), metergen::dlms::ActionResult::success);
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(8, 10, 0, 16)));
}

}  // namespace

namespace {

TEST(Events, ATamperFilterBitMakesItsEventOpenTheRelay) {
  TimedMeter m(ev::model, kStart);
  namespace cosem = metergen::cosem;
  // Default filter: only bit 3 (the meter cover) of four.
  EXPECT_EQ(m.value(obj::tamper_disconnect_filter), (Bytes{0x04, 4, 0x10}));
  auto exported = normal();
  exported.phase[2].active_uw = -2'300'000'000;
  m.run(exported, 1);                      // reverse current L3: its bit (2) is clear
  m.run(normal(), 1);
  EXPECT_EQ(m.meter().objects().control_state(), cosem::kConnected);
  m.hal.inputs = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  m.run(normal(), 1);                      // 10:00:03: the cover opens the relay (g: ready for reconnection)
  m.hal.inputs = 0;
  EXPECT_EQ(m.meter().objects().control_state(), cosem::kReadyForReconnection);
  ASSERT_EQ(m.act(ev::model.disconnect->object, 2), metergen::dlms::ActionResult::success);  // remote reconnect
  EXPECT_EQ(m.meter().objects().control_state(), cosem::kReadyForReconnection);  // mode 5: d leads to ready
  ASSERT_EQ(m.act(ev::model.disconnect->object, 1), metergen::dlms::ActionResult::success);  // c, then a needs mode 2/4
  ASSERT_EQ(m.set(ev::model.disconnect->object, 4, {0x16, 2}), metergen::dlms::DataAccessResult::success);
  ASSERT_EQ(m.act(ev::model.disconnect->object, 2), metergen::dlms::ActionResult::success);  // 10:00:03 a: connected
  ASSERT_EQ(m.set(obj::tamper_disconnect_filter, 2, {0x04, 4, 0x30}), metergen::dlms::DataAccessResult::success);
  m.run(normal(), 1);
  m.run(exported, 1);                      // 10:00:05: bit 2 set, reverse current L3 opens the relay
  EXPECT_EQ(m.meter().objects().control_state(), cosem::kReadyForReconnection);
  // run() feeds the readings whatever the relay does: the current of 10:00:05 flowed with
  // the relay just opened, unexpected consumption.
  EXPECT_THAT(log_of(m, obj::relay_log), ::testing::ElementsAre(IsEntry(40, 10, 0, 3), IsEntry(42, 10, 0, 3),
                                                                IsEntry(43, 10, 0, 3), IsEntry(41, 10, 0, 5),
                                                                IsEntry(42, 10, 0, 5), IsEntry(44, 10, 0, 5)));
}

TEST(Events, CurrentWithTheRelayOpenIsUnexpectedConsumption) {
  TimedMeter m(ev::model, kStart);
  const std::uint16_t dc = ev::model.disconnect->object;
  ASSERT_EQ(m.act(dc, 1), metergen::dlms::ActionResult::success);  // 10:00:00 b: remote disconnection
  m.run(normal(), 2);                       // 10 A a phase with the relay open: from 10:00:01
  m.run(metergen::test::balanced(3, 230, 0), 1);  // none at 10:00:03
  ASSERT_EQ(m.set(dc, 4, {0x16, 2}), metergen::dlms::DataAccessResult::success);
  ASSERT_EQ(m.act(dc, 2), metergen::dlms::ActionResult::success);  // 10:00:03 a: connected
  m.run(normal(), 2);                       // current with the relay closed is expected
  EXPECT_THAT(log_of(m, obj::relay_log),
              ::testing::ElementsAre(IsEntry(44, 10, 0, 1), IsEntry(45, 10, 0, 3), IsEntry(43, 10, 0, 3)));
}

// DTSD545 §5.2.9 event parameters: sag 207.00 V, swell 253.00 V, both held 60 s
// (the threshold objects' defaults), duration and magnitude of the last one.
TEST(Events, TheLastSagOrSwellLeavesItsDurationAndMagnitude) {
  namespace dt = metergen::models::dtsd545;
  TimedMeter m(dt::model, kStart);
  auto at = [](int phase, double volts) {
    auto r = normal();
    r.phase[phase - 1].voltage_uv = static_cast<std::int64_t>(volts * 1e6);
    return r;
  };
  m.run(normal(), 5);
  m.run(at(1, 200), 60);   // below 207 V for 60 s: the sag starts at its 60th second (t + 65 s)
  m.run(at(1, 190), 30);   // its lowest voltage
  m.run(normal(), 60);     // back above 207 V for 60 s: it ends at t + 155 s
  EXPECT_EQ(m.integer(dt::objects::pq_event_duration), 90);
  EXPECT_EQ(m.integer(dt::objects::pq_event_voltage), 19000);  // 190.00 V, scaler -2
  m.run(at(2, 260), 60);   // above 253 V for 60 s: a swell on L2 starts
  m.run(at(2, 265), 10);
  m.run(normal(), 59);     // not ended yet: the sag's values stay
  EXPECT_EQ(m.integer(dt::objects::pq_event_duration), 90);
  m.run(normal(), 1);      // ended 10 + 60 s after it started
  EXPECT_EQ(m.integer(dt::objects::pq_event_duration), 70);
  EXPECT_EQ(m.integer(dt::objects::pq_event_voltage), 26500);
}

TEST(Events, VoltageNormalEndsTheLastAbnormalVoltageOfItsPhase) {
  TimedMeter m(ev::model, kStart);
  m.run(with_l1(195), 60);                // under 200 V for 60 s: under voltage L1 from 10:01:00
  m.run(with_l1(208), 59);
  EXPECT_TRUE(log_of(m, obj::standard_log).empty());
  m.run(with_l1(208), 1);                 // 60 s past the restore level 207 V: it ends at 10:02:00
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(10, 10, 2, 0)));
}

TEST(Events, AHighVoltageDistortionIsBadVoltageQuality) {
  TimedMeter m(ev::model, kStart);
  auto distorted = normal();
  distorted.phase[0].thd_voltage_ppm = 80'000;  // 8 %: at the level, not above
  m.run(distorted, 10);
  EXPECT_TRUE(log_of(m, obj::standard_log).empty());
  distorted.phase[0].thd_voltage_ppm = 100'000;  // 10 % for 5 s: from 10:00:15
  m.run(distorted, 5);
  EXPECT_THAT(log_of(m, obj::standard_log), ::testing::ElementsAre(IsEntry(11, 10, 0, 15)));
}

TEST(Events, OnlyABypassedRelayLetsTheSimulatedLoadFlowWhileOpen) {
  TimedMeter m(ev::model, kStart);
  auto s = metergen::test::balanced_segment(230, 10);
  ASSERT_EQ(m.act(ev::model.disconnect->object, 1), metergen::dlms::ActionResult::success);
  m.play(s, 5);                             // the open relay cuts the load: nothing flows
  EXPECT_TRUE(log_of(m, obj::relay_log).empty());
  s.relay_bypassed = true;
  m.play(s, 1);                             // 10:00:06: the load wired around the relay
  EXPECT_THAT(log_of(m, obj::relay_log), ::testing::ElementsAre(IsEntry(44, 10, 0, 6)));
}

}  // namespace

namespace {

// A power-down ends every readings condition (docs/events.md, "Across a power
// cut"): an over voltage on L1 (260 V against the object's 253.0 V, 10 s) under
// way at the cut has no end logged, and still there after power-up it starts
// again 10 s after it; the open cover, an input, is kept and not logged again.
TEST(Events, APowerDownEndsEveryLevelButNotTheInputs) {
  TimedMeter m(ev::model, kStart);
  m.hal.inputs = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  m.run(with_l1(260), 10);                // cover opened at 10:00:01, over voltage at 10:00:10
  m.power_cut(50);                        // down at 10:00:10, up at 10:01:00
  EXPECT_FALSE(m.meter().events().active(metergen::tables::Trigger::over_voltage, 1));
  EXPECT_TRUE(m.meter().events().active(metergen::tables::Trigger::cover_open));
  m.run(with_l1(260), 9);                 // 10:01:09: not yet
  EXPECT_EQ(log_of(m, obj::quality_log).size(), 2u);
  m.run(with_l1(260), 1);                 // 10:01:10
  EXPECT_THAT(log_of(m, obj::quality_log),
              ::testing::ElementsAre(IsEntry(29, 10, 0, 1), IsEntry(22, 10, 0, 10), IsEntry(22, 10, 1, 10)));
  EXPECT_EQ(m.integer(obj::meter_cover_open_count), 1);
}

// The seconds a level has held do not carry over a power cut either: 6 of the
// over voltage's 10 s before it, then 10 more after it.
TEST(Events, TheSecondsALevelHeldRestartAfterAPowerCut) {
  TimedMeter m(ev::model, kStart);
  m.run(with_l1(260), 6);                 // 10:00:06
  m.power_cut(30);                        // up at 10:00:36
  m.run(with_l1(260), 9);                 // 10:00:45: 6 + 9 would have been enough
  EXPECT_TRUE(log_of(m, obj::quality_log).empty());
  m.run(with_l1(260), 1);                 // 10:00:46
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(22, 10, 0, 46)));
}

TEST(Events, AConditionThatLastsThroughAPowerCutIsNotLoggedAgain) {
  TimedMeter m(ev::model, kStart);
  m.hal.inputs = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  m.run(normal(), 2);                     // opened at 10:00:01
  m.power_cut(58);                        // down at 10:00:02, up at 10:01:00, the cover still open
  m.run(normal(), 5);
  m.hal.inputs = 0;
  m.run(normal(), 1);                     // closed at 10:01:06
  EXPECT_THAT(log_of(m, obj::quality_log), ::testing::ElementsAre(IsEntry(29, 10, 0, 1), IsEntry(30, 10, 1, 6)));
  EXPECT_EQ(m.integer(obj::meter_cover_open_count), 1);
}

}  // namespace
