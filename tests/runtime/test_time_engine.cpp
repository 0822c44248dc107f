// The time engine over simulated time, on the seed models: tariffs by the
// calendar (workday, weekend, special day, both DST days), the monthly billing
// and the daily freeze at local time, billing by command and by button with the
// lock-out, profile status bits after an outage and a clock set, and the
// averages, maxima and minima of a profile period.
//
// Every expected value is worked out by hand from the spec (specs/*.yaml) and
// the load: energies are power x hours per tariff of the spec's calendar.
#include <gtest/gtest.h>

#include <cstdint>

#include <clms100/model.hpp>
#include <hxf300-eu/model.hpp>

#include "time_engine_support.hpp"

namespace {

using metergen::test::balanced;
using metergen::test::column_integer;
using metergen::test::column_time;
using metergen::test::TimedMeter;
using metergen::test::utc_of;
namespace hxf = metergen::models::hxf300_eu;
namespace clms = metergen::models::clms100;

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
  // 10:50, off for an hour, run from 11:50 to 12:20.
  TimedMeter m(hxf::model, utc_of(2027, 1, 13, 10, 5, kCet));
  m.run(kThreeKw, 45 * 60);
  m.power_cut(kHour);
  m.run(kThreeKw, 30 * 60);
  const auto lp = m.entries(hxf::objects::load_profile_1);
  // 10:15 (power down: the period began before power-up), 10:30, 10:45, then 12:00
  // (the outage is in its period), 12:15; 11:00 .. 11:45 are missing.
  ASSERT_EQ(lp.size(), 5u);
  const int hours[] = {10, 10, 10, 12, 12}, minutes[] = {15, 30, 45, 0, 15};
  const std::int64_t status[] = {0x80, 0, 0, 0x80, 0};
  for (std::size_t i = 0; i < lp.size(); ++i) {
    EXPECT_EQ(column_time(lp[i][0]).hour, hours[i]) << i;
    EXPECT_EQ(column_time(lp[i][0]).minute, minutes[i]) << i;
    EXPECT_EQ(column_integer(lp[i][1]), status[i]) << i;
  }
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

}  // namespace
