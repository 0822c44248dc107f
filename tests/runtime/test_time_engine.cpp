// The time engine over simulated time, on the seed models: tariffs by the
// calendar (workday, weekend, special day, both DST days), the monthly billing
// and the daily freeze at local time, billing by command and by button with the
// lock-out, profile status bits after an outage and a clock set, and the
// averages, maxima and minima of a profile period.
//
// Every expected value is worked out by hand from the spec (specs/*.yaml) and
// the load: energies are power x hours per tariff of the spec's calendar.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <hxe312-kp/model.hpp>
#include <hxf300-eu/model.hpp>

#include "hex_bytes.hpp"
#include "time_engine_support.hpp"

namespace {

using metergen::test::balanced;
using metergen::test::column_integer;
using metergen::test::column_time;
using metergen::test::TimedMeter;
using metergen::test::utc_of;
namespace hxf = metergen::models::hxf300_eu;
namespace clms = metergen::models::clms100;
namespace dtsd = metergen::models::dtsd545;
namespace kp = metergen::models::hxe312_kp;

constexpr int kCet = 60, kCest = 120;
constexpr std::int64_t kHour = 3600;

// hxf300-eu: 3 x 230 V x 4.347826 A = 1 kW per phase, 3 kW in all. Its energy
// registers count in 10 Wh (scaler 1): 3 kWh an hour is 300.
const metergen::metrology::Readings kThreeKw = balanced(3, 230.0, 1000.0 / 230.0);
constexpr std::int64_t kHxfUnitsPerHour = 300;

// Monthly billing columns of hxf300-eu: clock, serial number, +A total, T1..T4.
constexpr int kMonthlyTotal = 2;

TEST(Hxf300TimeEngine, TariffsFollowTheCalendarAndTheMonthEndIsBilledAtLocalMidnight) {
  // Sunday 2027-01-31 22:00 CET to Monday 2027-02-01 08:00 CET at 3 kW. The calendar
  // (spec calendar:) has weekends in T4; Monday 00:00 T1, 07:00 T2.
  TimedMeter m(hxf::model, utc_of(2027, 1, 31, 22, 0, kCet));
  m.run(kThreeKw, 10 * kHour);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t4), 2 * kHxfUnitsPerHour);  // Sunday 22..24
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t1), 7 * kHxfUnitsPerHour);  // Monday 00..07
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t2), 1 * kHxfUnitsPerHour);  // Monday 07..08
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t3), 0);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy), 10 * kHxfUnitsPerHour);
  EXPECT_EQ(m.integer(hxf::objects::current_tariff), 2);

  // One monthly billing at 2027-02-01 00:00 local (CET, deviation -60): the energies
  // of that moment, T4 the two Sunday hours.
  const auto monthly = m.entries(hxf::objects::monthly_billing);
  ASSERT_EQ(monthly.size(), 1u);
  const metergen::axdr::DateTime at = column_time(monthly[0][0]);
  EXPECT_EQ(at.year, 2027);
  EXPECT_EQ(at.month, 2);
  EXPECT_EQ(at.day, 1);
  EXPECT_EQ(at.hour, 0);
  EXPECT_EQ(at.minute, 0);
  EXPECT_EQ(at.deviation, -60);
  EXPECT_EQ(column_integer(monthly[0][kMonthlyTotal]), 2 * kHxfUnitsPerHour);
  EXPECT_EQ(column_integer(monthly[0][kMonthlyTotal + 1]), 0);                      // T1
  EXPECT_EQ(column_integer(monthly[0][kMonthlyTotal + 4]), 2 * kHxfUnitsPerHour);  // T4
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 1);

  // The daily freeze at the same local midnight (daily_billing: clock, +A, T1..T4).
  const auto daily = m.entries(hxf::objects::daily_billing);
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(column_time(daily[0][0]).day, 1);
  EXPECT_EQ(column_time(daily[0][0]).hour, 0);
  EXPECT_EQ(column_integer(daily[0][1]), 2 * kHxfUnitsPerHour);
}

// The meter's second ticks 0.37 s after the civil second, so the first tick
// of Monday 2027-02-01 is at 00:00:00.37 CET. The month-end billing (a single
// action schedule) and the daily freeze both fire in that tick; their entries
// read the boundary itself: 2027-02-01 (07 EB 02 01), Monday (01),
// 00:00:00.00, deviation -60 (FF C4), status 00 (no daylight saving in February).
TEST(Hxf300TimeEngine, BillingCapturesReadTheirBoundaryWithoutHundredths) {
  TimedMeter m(hxf::model, utc_of(2027, 1, 31, 23, 58, kCet));
  m.hal.memory.now_ms += 370;
  m.run(kThreeKw, 5 * 60);
  const metergen::test::Bytes midnight{0x09, 0x0C, 0x07, 0xEB, 0x02, 0x01, 0x01, 0x00,
                                       0x00, 0x00, 0x00, 0xFF, 0xC4, 0x00};
  const auto monthly = m.entries(hxf::objects::monthly_billing);
  ASSERT_EQ(monthly.size(), 1u);
  EXPECT_EQ(monthly[0][0], midnight);
  const auto daily = m.entries(hxf::objects::daily_billing);
  ASSERT_EQ(daily.size(), 1u);
  EXPECT_EQ(daily[0][0], midnight);
  // The clock itself reads the hundredths of the tick (00:03:00.37 now).
  EXPECT_EQ(m.value(hxf::objects::clock, 2)[10], 37);
}

TEST(Hxf300TimeEngine, ASpecialDayTakesItsDayProfile) {
  // Thursday 2026-12-24 06:30 CET to Friday 2026-12-25 08:00: Thursday is a workday
  // (06:30-07:00 T1, 07-17 T2, 17-21 T3, 21-23 T2, 23-24 T1), Christmas a special day
  // with the weekend profile (00:00-08:00 T4) although it is a Friday.
  TimedMeter m(hxf::model, utc_of(2026, 12, 24, 6, 30, kCet));
  m.run(kThreeKw, 25 * kHour + kHour / 2);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t1), kHxfUnitsPerHour * 3 / 2);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t2), 12 * kHxfUnitsPerHour);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t3), 4 * kHxfUnitsPerHour);
  EXPECT_EQ(m.integer(hxf::objects::active_import_energy_t4), 8 * kHxfUnitsPerHour);
}

TEST(Hxf300TimeEngine, AYearSpecificSpecialDayCountsInItsYearOnly) {
  // specs/hxf300-eu.yaml: special day "2027-03-29" (a Monday) with the weekend profile (T4).
  // 07:00-08:00 CEST that day is T4; on Wednesday 2028-03-29 the same hour is T2.
  TimedMeter m2027(hxf::model, utc_of(2027, 3, 29, 7, 0, kCest));
  m2027.run(kThreeKw, kHour);
  EXPECT_EQ(m2027.integer(hxf::objects::active_import_energy_t4), kHxfUnitsPerHour);
  EXPECT_EQ(m2027.integer(hxf::objects::active_import_energy_t2), 0);
  TimedMeter m2028(hxf::model, utc_of(2028, 3, 29, 7, 0, kCest));
  m2028.run(kThreeKw, kHour);
  EXPECT_EQ(m2028.integer(hxf::objects::active_import_energy_t2), kHxfUnitsPerHour);
  EXPECT_EQ(m2028.integer(hxf::objects::active_import_energy_t4), 0);
}

TEST(Hxf300TimeEngine, DailyFreezesStayAtLocalMidnightAcrossBothDstChanges) {
  // Spring: Saturday 2027-03-27 23:30 CET; DST begins Sunday 02:00 CET -> 03:00 CEST; the
  // Sunday has 23 hours, the next local midnight (2027-03-29 00:00 CEST = 2027-03-28
  // 22:00 UTC) comes 23.5 h after the start.
  TimedMeter spring(hxf::model, utc_of(2027, 3, 27, 23, 30, kCet));
  spring.run(kThreeKw, 24 * kHour);
  auto daily = spring.entries(hxf::objects::daily_billing);
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(column_time(daily[0][0]).day, 28);
  EXPECT_EQ(column_time(daily[0][0]).hour, 0);
  EXPECT_EQ(column_time(daily[0][0]).deviation, -60);
  EXPECT_EQ(column_time(daily[1][0]).day, 29);
  EXPECT_EQ(column_time(daily[1][0]).hour, 0);
  EXPECT_EQ(column_time(daily[1][0]).deviation, -120);
  EXPECT_EQ(column_time(daily[1][0]).status & 0x80, 0x80);  // daylight saving active
  EXPECT_EQ(column_integer(daily[0][1]), kHxfUnitsPerHour / 2);
  EXPECT_EQ(column_integer(daily[1][1]), kHxfUnitsPerHour * 47 / 2);  // 0.5 h + the 23-hour Sunday
  // Weekend all along: T4.
  EXPECT_EQ(column_integer(daily[1][5]), kHxfUnitsPerHour * 47 / 2);

  // Autumn: Saturday 2027-10-30 23:30 CEST; DST ends Sunday 03:00 CEST -> 02:00 CET; the
  // Sunday has 25 hours, the next local midnight comes 25.5 h after the start.
  TimedMeter autumn(hxf::model, utc_of(2027, 10, 30, 23, 30, kCest));
  autumn.run(kThreeKw, 26 * kHour);
  daily = autumn.entries(hxf::objects::daily_billing);
  ASSERT_EQ(daily.size(), 2u);
  EXPECT_EQ(column_time(daily[0][0]).day, 31);
  EXPECT_EQ(column_time(daily[0][0]).deviation, -120);
  EXPECT_EQ(column_time(daily[1][0]).month, 11);
  EXPECT_EQ(column_time(daily[1][0]).day, 1);
  EXPECT_EQ(column_time(daily[1][0]).hour, 0);
  EXPECT_EQ(column_time(daily[1][0]).deviation, -60);
  EXPECT_EQ(column_integer(daily[1][1]), kHxfUnitsPerHour * 51 / 2);  // 0.5 h + 25 h
}

TEST(Hxf300TimeEngine, BillingByCommandAndButtonObeysTheLockout) {
  // hxf300-eu: billing lockout time 3600 s (1.0.0.9.12 default), button held 10 s.
  TimedMeter m(hxf::model, utc_of(2027, 5, 12, 10, 0, kCest));
  m.run(kThreeKw, kHour);
  // The billing button, held 9 s: nothing; held 10 s: a billing.
  m.hal.buttons = metergen::hal::button_bit(metergen::hal::Button::billing);
  m.run(kThreeKw, 9);
  m.hal.buttons = 0;
  m.run(kThreeKw, 1);
  EXPECT_EQ(m.entries(hxf::objects::monthly_billing).size(), 0u);
  m.hal.buttons = metergen::hal::button_bit(metergen::hal::Button::billing);
  m.run(kThreeKw, 10);
  EXPECT_EQ(m.entries(hxf::objects::monthly_billing).size(), 1u);
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 1);
  // The billing reset the maximum demand (the next 1-minute sub-period sets it again).
  EXPECT_EQ(m.integer(hxf::objects::active_import_max_demand), 0);
  // Held on for a minute more, released and held again within the hour: locked out.
  m.run(kThreeKw, 60);
  m.hal.buttons = 0;
  m.run(kThreeKw, 1);
  m.hal.buttons = metergen::hal::button_bit(metergen::hal::Button::billing);
  m.run(kThreeKw, 10);
  m.hal.buttons = 0;
  EXPECT_EQ(m.entries(hxf::objects::monthly_billing).size(), 1u);
  // An hour after the button billing, a command (the billing script executed) bills.
  m.run(kThreeKw, kHour);
  EXPECT_TRUE(m.meter().time_engine().script_executed(hxf::objects::mdi_reset_script_table, 1));
  EXPECT_EQ(m.entries(hxf::objects::monthly_billing).size(), 2u);
  EXPECT_FALSE(m.meter().time_engine().script_executed(hxf::objects::mdi_reset_script_table, 1));
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 2);
}

TEST(Hxf300TimeEngine, ProfileStatusMarksPowerDownAndClockAdjustment) {
  // load_profile_1: 15 minutes, clock + status word. Powered up at 10:05 CET, run to
  // 10:50, off for an hour, run from 11:50 to 12:20; a client sets the clock to 13:05,
  // run to 13:35; then back to 13:20, run 20 minutes.
  TimedMeter m(hxf::model, utc_of(2027, 1, 13, 10, 5, kCet));
  m.run(kThreeKw, 45 * 60);
  m.power_cut(kHour);
  m.run(kThreeKw, 30 * 60);
  metergen::axdr::DateTime t{2027, 1, 13, 3, 13, 5, 0, 0, -60, 0};
  ASSERT_EQ(m.set_clock(hxf::objects::clock, t), metergen::dlms::DataAccessResult::success);
  m.run(kThreeKw, 30 * 60);
  t.minute = 20;
  ASSERT_EQ(m.set_clock(hxf::objects::clock, t), metergen::dlms::DataAccessResult::success);
  m.run(kThreeKw, 30 * 60);
  const auto lp = m.entries(hxf::objects::load_profile_1);
  // 10:15 (power down: the period began before power-up), 10:30, 10:45, then 12:00
  // (the outage is in its period), 12:15; 11:00 .. 11:45 are missing. The set forward
  // closes the interrupted period at once: an entry at 13:05 with clock-adjusted; 12:30
  // .. 13:00 are missing; 13:15 and 13:30 are plain. Set back to 13:20, the clock passes
  // 13:30 again without a second 13:30 entry, and 13:45 carries clock-adjusted.
  ASSERT_EQ(lp.size(), 9u);
  const int hours[] = {10, 10, 10, 12, 12, 13, 13, 13, 13}, minutes[] = {15, 30, 45, 0, 15, 5, 15, 30, 45};
  const std::int64_t status[] = {0x80, 0, 0, 0x80, 0, 0x20, 0, 0, 0x20};
  for (std::size_t i = 0; i < lp.size(); ++i) {
    EXPECT_EQ(column_time(lp[i][0]).hour, hours[i]) << i;
    EXPECT_EQ(column_time(lp[i][0]).minute, minutes[i]) << i;
    EXPECT_EQ(column_integer(lp[i][1]), status[i]) << i;
  }
}

TEST(Hxf300TimeEngine, AnInvalidClockFallsBackToTheFallbackTariff) {
  // hxf300-eu, Sunday 2027-01-17 10:00 CET (weekend: T4); fallback_tariff 1. The clock is
  // reported invalid: from the next minute T1, the clock's status has bit 0 (invalid),
  // and the 10:15 entry of load_profile_1 carries PDN | DNV | CIV = 0x86.
  TimedMeter m(hxf::model, utc_of(2027, 1, 17, 10, 0, kCet));
  EXPECT_EQ(m.integer(hxf::objects::current_tariff), 4);
  m.hal.clock_ok = false;
  m.run(kThreeKw, 15 * 60);
  EXPECT_EQ(m.integer(hxf::objects::current_tariff), 1);
  EXPECT_EQ(m.integer(hxf::objects::clock, 4) & 0x01, 0x01);
  const auto lp = m.entries(hxf::objects::load_profile_1);
  ASSERT_EQ(lp.size(), 1u);
  EXPECT_EQ(column_integer(lp[0][1]), 0x86);
  // A client sets the clock: valid again, the calendar's T4 at once.
  const metergen::axdr::DateTime t{2027, 1, 17, 7, 10, 20, 0, 0, -60, 0};
  ASSERT_EQ(m.set_clock(hxf::objects::clock, t), metergen::dlms::DataAccessResult::success);
  EXPECT_EQ(m.integer(hxf::objects::current_tariff), 4);
  EXPECT_EQ(m.integer(hxf::objects::clock, 4) & 0x01, 0);
}

TEST(Hxf300TimeEngine, HourlyAveragesMaximaAndMinima) {
  // load_profile_2 (hourly): 10:00-10:30 at 230 V, 5 A per phase; 10:30-11:00 at 240 V, 10 A.
  TimedMeter m(hxf::model, utc_of(2027, 1, 13, 9, 59, kCet));
  m.run(balanced(3, 230.0, 5.0), 60);
  m.run(balanced(3, 230.0, 5.0), 30 * 60);
  m.run(balanced(3, 240.0, 10.0), 30 * 60);
  const auto lp2 = m.entries(hxf::objects::load_profile_2);
  ASSERT_GE(lp2.size(), 2u);
  const auto& e = lp2.back();  // 11:00
  EXPECT_EQ(column_time(e[0]).hour, 11);
  // Columns 2.. : average voltage L1..L3 (scaler -2 V), average current L1..L3 (-3 A).
  EXPECT_EQ(column_integer(e[2]), 23500);   // (230 + 240) / 2 V
  EXPECT_EQ(column_integer(e[5]), 7500);    // (5 + 10) / 2 A
  // maximum voltage L1 = 240 V, minimum 230 V, located by object.
  EXPECT_EQ(m.integer(hxf::objects::maximum_voltage_l1), 24000);
  EXPECT_EQ(m.integer(hxf::objects::minimum_voltage_l1), 23000);
  EXPECT_EQ(m.integer(hxf::objects::maximum_current_l1), 10000);
  EXPECT_EQ(m.integer(hxf::objects::minimum_current_l1), 5000);
  // Average +P: half an hour at 3 x 1150 W, half at 3 x 2400 W: (3450 + 7200) / 2 = 5325 W (scaler 0).
  EXPECT_EQ(m.integer(hxf::objects::average_active_import_power), 5325);
}

TEST(Clms100TimeEngine, SundayIsNightTariff) {
  // clms100 (single phase, 230 V x 10 A = 2.3 kW, registers in Wh): Saturday
  // 2027-01-16 12:00 CET to Monday 2027-01-18 07:00: the weekend all in T3 (NT),
  // Monday 00:00-06:00 T3, 06:00-07:00 T2 (VT).
  TimedMeter m(clms::model, utc_of(2027, 1, 16, 12, 0, kCet));
  m.run(balanced(1, 230.0, 10.0), 43 * kHour);
  EXPECT_EQ(m.integer(clms::objects::active_import_energy_t3), 42 * 2300);
  EXPECT_EQ(m.integer(clms::objects::active_import_energy_t2), 1 * 2300);
  EXPECT_EQ(m.integer(clms::objects::active_import_energy_t1), 0);
}

TEST(Clms100TimeEngine, TimesOfOperationCountPoweredSecondsPerTariff) {
  // clms100 §1.1.3 (0.0.96.8.0..6, seconds): Monday 2027-01-18 05:00 CET, two hours on
  // (05-06 T3, 06-07 T2), an hour off, an hour on (08-09 T2): 3 h in all, 1 h in T3, 2 h in T2.
  namespace o = clms::objects;
  TimedMeter m(clms::model, utc_of(2027, 1, 18, 5, 0, kCet));
  m.run(balanced(1, 230.0, 10.0), 2 * kHour);
  m.power_cut(kHour);
  m.run(balanced(1, 230.0, 10.0), kHour);
  EXPECT_EQ(m.integer(o::operating_time), 3 * kHour);
  EXPECT_EQ(m.integer(o::operating_time_t3), kHour);
  EXPECT_EQ(m.integer(o::operating_time_t2), 2 * kHour);
  EXPECT_EQ(m.integer(o::operating_time_t1), 0);
}

TEST(Dtsd545Demand, AClientsPeriodResetAndNextPeriodReachTheDemandEngine) {
  // dtsd545: block demand, 1800 s (1.0.0.8.0 demand_integration_period, settable), window
  // at most 3600 s; +P demand 1.0.1.4.0 in W, scaler 0. Load 3 kW from 10:00 UTC.
  namespace o = dtsd::objects;
  TimedMeter m(dtsd::model, utc_of(2027, 6, 7, 10, 0, 0));
  EXPECT_EQ(m.integer(o::active_import_demand, 8), 1800);
  // The period set to 900 s: the demand register reports it and the window restarts.
  ASSERT_EQ(m.set(o::demand_integration_period, 2, {0x06, 0x00, 0x00, 0x03, 0x84}), metergen::dlms::DataAccessResult::success);
  EXPECT_EQ(m.integer(o::active_import_demand, 8), 900);
  m.run(kThreeKw, 900);
  EXPECT_EQ(m.integer(o::active_import_demand, 3), 3000);  // a whole 900 s block at 3 kW
  // A period the engine cannot run (2 h > the 3600 s window) is replaced by the one in force.
  ASSERT_EQ(m.set(o::demand_integration_period, 2, {0x06, 0x00, 0x00, 0x1C, 0x20}), metergen::dlms::DataAccessResult::success);
  EXPECT_EQ(m.integer(o::demand_integration_period), 900);
  // next_period 300 s into a block: the block closes with 300 s of 3 kW over 900 s = 1000 W.
  m.run(kThreeKw, 300);
  ASSERT_EQ(m.act(o::active_import_demand, 2), metergen::dlms::ActionResult::success);
  EXPECT_EQ(m.integer(o::active_import_demand, 3), 1000);
  // reset: the window restarts, the current average counts from zero.
  m.run(kThreeKw, 100);
  ASSERT_EQ(m.act(o::active_import_demand, 1), metergen::dlms::ActionResult::success);
  EXPECT_EQ(m.integer(o::active_import_demand, 2), 0);
  m.run(kThreeKw, 90);
  EXPECT_EQ(m.integer(o::active_import_demand, 2), 300);  // 90 s of 3 kW over 900 s
}

TEST(Dtsd545TimeEngine, APassiveCalendarActivatesAtItsTimeAndBillsTheContractChange) {
  // dtsd545: the default calendar is T1 all day (day_id 1); billing methods include
  // contract_change (§5.2.6). A client writes a passive day profile table with day_id 1
  // switching to T2 at 00:00 (script 0.0.10.0.100.255, selector 2) and an activation time
  // of Monday 2027-06-07 12:00:00 (clock in UTC). From 11:58 to 12:02 at 3 kW: 2 minutes
  // in T1 (100 Wh), 2 in T2 (100 Wh); the activation bills once.
  namespace o = dtsd::objects;
  TimedMeter m(dtsd::model, utc_of(2027, 6, 7, 11, 58, 0));
  EXPECT_EQ(m.integer(o::current_tariff), 1);
  ASSERT_EQ(m.set(o::activity_calendar, 9,
                  metergen::test::hex("01 01 02 02 11 01 01 01 02 03 09 04 00 00 00 00 09 06 00 00 0A 00 64 FF 12 00 02")),
            metergen::dlms::DataAccessResult::success);
  ASSERT_EQ(m.set(o::activity_calendar, 10, metergen::test::hex("09 0C 07 EB 06 07 01 0C 00 00 00 00 00 00")),
            metergen::dlms::DataAccessResult::success);
  m.run(kThreeKw, 4 * 60);
  EXPECT_EQ(m.integer(o::current_tariff), 2);
  EXPECT_EQ(m.integer(o::active_import_energy_t1), 100);
  EXPECT_EQ(m.integer(o::active_import_energy_t2), 100);
  EXPECT_EQ(m.entries(o::monthly_billing).size(), 1u);
  EXPECT_EQ(m.integer(o::billing_period_counter), 1);
}

TEST(Hxf300Demand, TheSlidingWindowSurvivesAPowerCut) {
  // hxf300-eu: sliding demand, 15 sub-periods of 60 s, no recalculation at power-up.
  // Ten minutes at 3 kW from 10:00, off for 30 s, on again at 10:10:30; at 10:11 the
  // window holds 630 s of 3 kW: 3000 x 630 / 900 = 2100 W. (Restarted at power-up it
  // would hold only the last 30 s: 100 W.)
  namespace o = hxf::objects;
  TimedMeter m(hxf::model, utc_of(2027, 6, 7, 10, 0, kCest));
  m.run(kThreeKw, 600);
  EXPECT_EQ(m.integer(o::active_import_demand), 2000);
  m.power_cut(30);
  m.run(kThreeKw, 30);
  EXPECT_EQ(m.integer(o::active_import_demand), 2100);
}

// ---------------------------------------------------------------------------
// A year of month ends on every seed model: at each month end the meter runs
// the last hour of the month and the first of the next at a constant load;
// between them it is switched off (the clock runs on, nothing is missed: no
// billing time falls in the outage). Every monthly billing entry must hold the
// energies per tariff at that month end, worked out here from the spec's
// calendar; the counter counts the periods.

namespace year {

// Day of week of a civil date, 1 = Monday .. 7 = Sunday (Sakamoto's method).
int weekday(int y, int m, int d) {
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (m < 3) y -= 1;
  const int sunday0 = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
  return sunday0 == 0 ? 7 : sunday0;
}

struct Date {
  int year, month, day;
};

// The month ends of 2027 (last day) and the first days after them, with the
// local UTC offset at 23:00 and at 00:00 (DST: last Sunday of March to the last
// Sunday of October, which is 2027-10-31: 23:00 that day is CET again).
struct MonthEnd {
  Date last, first;
  int offset_last, offset_first;
};
const MonthEnd kMonthEnds[] = {
    {{2027, 1, 31}, {2027, 2, 1}, kCet, kCet},     {{2027, 2, 28}, {2027, 3, 1}, kCet, kCet},
    {{2027, 3, 31}, {2027, 4, 1}, kCest, kCest},   {{2027, 4, 30}, {2027, 5, 1}, kCest, kCest},
    {{2027, 5, 31}, {2027, 6, 1}, kCest, kCest},   {{2027, 6, 30}, {2027, 7, 1}, kCest, kCest},
    {{2027, 7, 31}, {2027, 8, 1}, kCest, kCest},   {{2027, 8, 31}, {2027, 9, 1}, kCest, kCest},
    {{2027, 9, 30}, {2027, 10, 1}, kCest, kCest},  {{2027, 10, 31}, {2027, 11, 1}, kCet, kCet},
    {{2027, 11, 30}, {2027, 12, 1}, kCet, kCet},   {{2027, 12, 31}, {2028, 1, 1}, kCet, kCet},
};

// The tariff a model's spec calendar gives an hour starting at `hour` on `d`.
using TariffOf = int (*)(const Date& d, int hour);

// hxf300-eu: workdays 00-07 T1, 07-17 T2, 17-21 T3, 21-23 T2, 23-24 T1; weekends and
// the special days 01-01 and 12-25 T4.
int hxf300_tariff(const Date& d, int hour) {
  const bool special = (d.month == 1 && d.day == 1) || (d.month == 12 && d.day == 25);
  if (special || weekday(d.year, d.month, d.day) >= 6) return 4;
  return hour < 7 ? 1 : hour < 17 ? 2 : hour < 21 ? 3 : hour < 23 ? 2 : 1;
}
// clms100: workdays 06-22 T2, otherwise T3; weekends T3.
int clms100_tariff(const Date& d, int hour) {
  return weekday(d.year, d.month, d.day) <= 5 && hour >= 6 && hour < 22 ? 2 : 3;
}
// dtsd545: T1 all year round.
int dtsd545_tariff(const Date&, int) { return 1; }

struct Case {
  const metergen::tables::Model* model;
  metergen::metrology::Readings load;
  std::int64_t units_per_hour;  // energy register steps an hour at `load`
  std::uint16_t monthly_profile;
  int total_column;             // +A total in the monthly entry
  int first_tariff_column;      // +A T1 in the monthly entry, -1: none
  int tariffs;
  TariffOf tariff_of;           // nullptr: no calendar
  bool central_european = true;  // the spec's clock: CET with EU DST; false: UTC (time zone 0, no DST)
  // Further checks after month end k (0-based), at 01:00 on the first.
  void (*after)(TimedMeter& m, std::size_t k) = nullptr;
};

void run_year(const Case& c) {
  TimedMeter m(*c.model, utc_of(2027, 1, 31, 23, 0, c.central_european ? kCet : 0));
  std::int64_t total = 0, per_tariff[9] = {};
  for (std::size_t k = 0; k < std::size(kMonthEnds); ++k) {
    MonthEnd e = kMonthEnds[k];
    if (!c.central_european) e.offset_last = e.offset_first = 0;
    if (k != 0) m.power_cut(utc_of(e.last.year, e.last.month, e.last.day, 23, 0, e.offset_last) - m.now());
    ASSERT_EQ(m.now(), utc_of(e.last.year, e.last.month, e.last.day, 23, 0, e.offset_last));
    m.run(c.load, kHour);
    // The hour before the month end is in the entry; the hour after it is not.
    total += c.units_per_hour;
    if (c.tariff_of) per_tariff[c.tariff_of(e.last, 23)] += c.units_per_hour;
    const std::int64_t total_at_end = total;
    std::int64_t tariffs_at_end[9];
    std::copy(std::begin(per_tariff), std::end(per_tariff), tariffs_at_end);
    m.run(c.load, kHour);
    total += c.units_per_hour;
    if (c.tariff_of) per_tariff[c.tariff_of(e.first, 0)] += c.units_per_hour;

    const auto entries = m.entries(c.monthly_profile);
    ASSERT_EQ(entries.size(), k + 1) << "month end " << k + 1;
    const auto& entry = entries.back();
    const metergen::axdr::DateTime at = column_time(entry[0]);
    EXPECT_EQ(at.year, e.first.year);
    EXPECT_EQ(at.month, e.first.month);
    EXPECT_EQ(at.day, e.first.day);
    EXPECT_EQ(at.hour, 0);
    EXPECT_EQ(at.minute, 0);
    EXPECT_EQ(at.deviation, -e.offset_first);
    EXPECT_EQ(column_integer(entry[static_cast<std::size_t>(c.total_column)]), total_at_end) << "month end " << k + 1;
    for (int t = 1; c.first_tariff_column >= 0 && t <= c.tariffs; ++t)
      EXPECT_EQ(column_integer(entry[static_cast<std::size_t>(c.first_tariff_column + t - 1)]), tariffs_at_end[t])
          << "month end " << k + 1 << " T" << t;
    if (c.after) c.after(m, k);
  }
}

}  // namespace year

TEST(TimeEngineYear, Hxf300EveryMonthEndIsBilledWithTheCalendarsTariffs) {
  year::run_year({&hxf::model, kThreeKw, kHxfUnitsPerHour, hxf::objects::monthly_billing, 2, 3, 4,
                  year::hxf300_tariff});
}

TEST(TimeEngineYear, Clms100EveryMonthEndIsBilledWithTheCalendarsTariffs) {
  // 230 V x 10 A = 2.3 kW, registers in Wh; monthly_profile: clock, +A total, T1..T6.
  year::run_year({&clms::model, balanced(1, 230.0, 10.0), 2300, clms::objects::monthly_profile, 1, 2, 6,
                  year::clms100_tariff});
}

TEST(TimeEngineYear, Dtsd545EveryMonthEndIsBilled) {
  // 3 x 230 V x 4.347826 A = 3 kW, registers in Wh; monthly_billing: clock, internal
  // status, +A -A +R -R totals, +A T1..T4. The default calendar is T1 all year.
  // Its clock is UTC (time_zone_min 0, no DST).
  year::run_year({&dtsd::model, kThreeKw, 3000, dtsd::objects::monthly_billing, 2, 6, 4, year::dtsd545_tariff, false,
                  [](TimedMeter& m, std::size_t k) {
                    EXPECT_EQ(m.integer(dtsd::objects::billing_period_counter), static_cast<std::int64_t>(k + 1));
                    // The last billing period's +A (F = 101): the total at this month end.
                    EXPECT_EQ(m.integer(dtsd::objects::active_import_energy_last_month),
                              static_cast<std::int64_t>(2 * k + 1) * 3000);
                  }});
}

TEST(TimeEngineYear, Hxe312KpKeepsTheLastSixMonthsConsumption) {
  // 3 kW, registers in Wh; monthly_billing: clock, +A, ... (no tariffs). Consumption of
  // month j back (1.0.1.9.0.10j): the first period had 1 hour of load, every later one 2.
  // Its clock is UTC (time_zone_min 0, no DST).
  year::run_year({&kp::model, kThreeKw, 3000, kp::objects::monthly_billing, 1, -1, 0, nullptr, false,
                  [](TimedMeter& m, std::size_t k) {
                    const std::uint16_t months[] = {kp::objects::consumption_month_1, kp::objects::consumption_month_2,
                                                    kp::objects::consumption_month_3, kp::objects::consumption_month_4,
                                                    kp::objects::consumption_month_5, kp::objects::consumption_month_6};
                    for (std::size_t j = 0; j < 6; ++j) {
                      const std::int64_t expected = j > k ? 0 : j == k ? 3000 : 6000;
                      EXPECT_EQ(m.integer(months[j]), expected) << "month end " << k + 1 << ", month " << j + 1;
                    }
                    EXPECT_EQ(m.integer(kp::objects::billing_period_counter), static_cast<std::int64_t>(k + 1));
                  }});
}

}  // namespace
