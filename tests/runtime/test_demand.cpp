// Demand engine (demand/demand.hpp) over three test models
// (tests/runtime/specs/): block 15 min in CET with every recalculation rule,
// sliding 15 x 1 min in UTC with none, and sliding 3 x 7 min in UTC+5:30.
//
// Expected values are worked out by hand from the load: a demand is the
// energy since start_time_current over number_of_periods x period (IC 5), so a
// 12 kW load for 480 s of a 900 s block is 12,000 W x 480 / 900 = 6,400 W.
// Date-times are laid out as IEC 62056-6-2 date-time bytes (year, month, day,
// weekday, h, min, s, hundredths, deviation = minutes from local time to UTC,
// status); 2024-01-15 was a Monday.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <metergen/cosem/objects.hpp>
#include <metergen/demand/demand.hpp>
#include <clms100/model.hpp>
#include <demand-block/model.hpp>
#include <demand-odd/model.hpp>
#include <demand-sliding/model.hpp>

#include "../support/memory_hal.hpp"

namespace {

using metergen::ByteWriter;
using metergen::cosem::Objects;
using metergen::cosem::Profiles;
using metergen::demand::Demand;
using metergen::demand::Reason;
using metergen::energy::SecondPowers;
using metergen::tables::Quantity;
using Bytes = std::vector<std::uint8_t>;
namespace block = metergen::models::demand_block::objects;
namespace sliding = metergen::models::demand_sliding::objects;
namespace odd = metergen::models::demand_odd::objects;

constexpr std::uint64_t kT0 = 1705305600;  // 2024-01-15 08:00:00 UTC (1704067200 = 2024-01-01)
constexpr std::uint64_t kMin = 60;
constexpr std::int64_t kKw = 1'000'000'000;  // 1 kW in uW

// Class 5 attributes and the class 4 ones of a maximum demand register.
constexpr std::int8_t kCurrent = 2, kLast = 3, kCaptureTime = 6, kStartTime = 7;
constexpr std::int8_t kMaxValue = 2, kMaxTime = 5;

class NoHooks final : public metergen::cosem::Hooks {};

// One model's objects, booted with an empty NVM, and its demand engine.
struct Meter {
  metergen::test::MemoryHal hal{64 * 1024};
  NoHooks hooks;
  Profiles profiles;
  Objects objects;
  Demand demand;

  explicit Meter(const metergen::tables::Model& model)
      : profiles(model, hal), objects(model, hal, hooks, profiles), demand(model, objects) {
    objects.boot();
  }

  // Calls second() for every second that ends in (from, to], with the load of
  // `power(start of the second)` and `tariff`.
  void run(std::uint64_t from, std::uint64_t to, const std::function<SecondPowers(std::uint64_t)>& power,
           std::uint8_t tariff = 1) {
    for (std::uint64_t t = from + 1; t <= to; ++t) demand.second(power(t - 1), tariff, t);
  }

  Bytes attribute(std::uint16_t object, std::int8_t attribute) {
    std::uint8_t buf[32];
    ByteWriter w(buf, sizeof buf);
    EXPECT_EQ(objects.read(object, attribute, w), metergen::dlms::DataAccessResult::success);
    return Bytes(buf, buf + w.size());
  }

  // A double-long-unsigned (06) or double-long (05) value, decoded by hand.
  std::int64_t value(std::uint16_t object, std::int8_t attribute) {
    const Bytes b = this->attribute(object, attribute);
    EXPECT_EQ(b.size(), 5u);
    if (b.size() != 5) return -1;
    const std::uint32_t raw = (std::uint32_t{b[1]} << 24) | (std::uint32_t{b[2]} << 16) | (b[3] << 8) | b[4];
    EXPECT_TRUE(b[0] == 0x06 || b[0] == 0x05);
    return b[0] == 0x05 ? std::int64_t{static_cast<std::int32_t>(raw)} : std::int64_t{raw};
  }
};

SecondPowers load(Quantity q, std::int64_t uw, int phase = 0) {
  SecondPowers p{};
  p.phase[phase][q] = uw;
  return p;
}

// Active import: 0 W before from_s, `kw` from then on.
std::function<SecondPowers(std::uint64_t)> step(std::uint64_t from_s, std::int64_t kw) {
  return [=](std::uint64_t t) { return load(Quantity::active_import, t >= from_s ? kw * kKw : 0); };
}

// A date-time attribute as clients read it: octet-string(12).
Bytes date_time(int day, int weekday, int hour, int minute, int second, std::int16_t deviation) {
  const auto dev = static_cast<std::uint16_t>(deviation);
  return {0x09, 0x0C, 0x07, 0xE8, 0x01, static_cast<std::uint8_t>(day), static_cast<std::uint8_t>(weekday),
          static_cast<std::uint8_t>(hour), static_cast<std::uint8_t>(minute), static_cast<std::uint8_t>(second), 0x00,
          static_cast<std::uint8_t>(dev >> 8), static_cast<std::uint8_t>(dev), 0x00};
}
Bytes cet(int hour, int minute, int second = 0) { return date_time(15, 1, hour, minute, second, -60); }
Bytes utc(int hour, int minute, int second = 0) { return date_time(15, 1, hour, minute, second, 0); }

// ---- block, 15 min (demand-block: CET, kT0 = 09:00 local) ----

TEST(DemandBlock, StepLoadCurrentAndLastAverage) {
  Meter m(metergen::models::demand_block::model);
  ASSERT_TRUE(m.demand.active());
  EXPECT_EQ(m.demand.unfed_registers(), 0);
  m.demand.recalculate(Reason::power_off, kT0);  // boot on a boundary: the block starts at 09:00
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 0));
  const auto power = step(kT0 + 7 * kMin, 12);

  m.run(kT0, kT0 + 5 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 0);
  m.run(kT0 + 5 * kMin, kT0 + 10 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 2400);  // 12 kW x 180 s / 900 s
  m.run(kT0 + 10 * kMin, kT0 + 15 * kMin - 1, power);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 6387);  // 12 kW x 479 s / 900 s = 6386.7
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 0);

  m.run(kT0 + 15 * kMin - 1, kT0 + 15 * kMin, power);  // the second ending at 09:15:00 closes the block
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 6400);  // 12 kW x 480 s / 900 s
  EXPECT_EQ(m.attribute(block::active_import_demand, kCaptureTime), cet(9, 15));
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 0);
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 15));

  m.run(kT0 + 15 * kMin, kT0 + 20 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 4000);  // 12 kW x 300 s / 900 s
  m.run(kT0 + 20 * kMin, kT0 + 30 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 12000);
  EXPECT_EQ(m.attribute(block::active_import_demand, kCaptureTime), cet(9, 30));
}

TEST(DemandBlock, RegisterScalersRoundHalfAwayFromZero) {
  Meter m(metergen::models::demand_block::model);
  m.demand.recalculate(Reason::power_off, kT0);
  const auto power = [](std::uint64_t) {
    SecondPowers p{};
    p.phase[0][Quantity::reactive_import] = 2'500'000'000;  // 2.5 kvar, register in kvar (scaler 3)
    p.phase[0][Quantity::apparent_import] = 1'234'500'000;  // 1234.5 VA, register in 0.1 VA (scaler -1)
    return p;
  };
  m.run(kT0, kT0 + kMin, power);
  EXPECT_EQ(m.value(block::reactive_import_demand, kCurrent), 0);     // 2.5 kvar x 60 / 900 = 0.17 kvar
  EXPECT_EQ(m.value(block::apparent_import_demand, kCurrent), 823);   // 1234.5 VA x 60 / 900 = 82.3 VA
  m.run(kT0 + kMin, kT0 + 9 * kMin, power);
  EXPECT_EQ(m.value(block::reactive_import_demand, kCurrent), 2);     // 2.5 x 540 / 900 = 1.5 kvar: half, up
  m.run(kT0 + 9 * kMin, kT0 + 15 * kMin, power);
  EXPECT_EQ(m.value(block::reactive_import_demand, kLast), 3);        // 2.5 kvar
  EXPECT_EQ(m.value(block::apparent_import_demand, kLast), 12345);    // 1234.5 VA
}

TEST(DemandBlock, MaximumDemandPerTariff) {
  Meter m(metergen::models::demand_block::model);
  m.demand.recalculate(Reason::power_off, kT0);
  auto constant = [](std::int64_t kw) { return step(0, kw); };
  m.run(kT0, kT0 + 15 * kMin, constant(5), 1);                   // 09:00-09:15 T1 5 kW
  EXPECT_EQ(m.value(block::active_import_max_demand_t1, kMaxValue), 5000);
  EXPECT_EQ(m.attribute(block::active_import_max_demand_t1, kMaxTime), cet(9, 15));
  EXPECT_EQ(m.value(block::active_import_max_demand, kMaxValue), 5000);
  EXPECT_EQ(m.value(block::active_import_max_demand_t2, kMaxValue), 0);

  m.run(kT0 + 15 * kMin, kT0 + 30 * kMin, constant(8), 2);       // 09:15-09:30 T2 8 kW
  m.run(kT0 + 30 * kMin, kT0 + 45 * kMin, constant(6), 1);       // 09:30-09:45 T1 6 kW
  m.run(kT0 + 45 * kMin, kT0 + 60 * kMin, constant(4), 1);       // 09:45-10:00 T1 4 kW: no new maximum
  EXPECT_EQ(m.value(block::active_import_max_demand_t1, kMaxValue), 6000);
  EXPECT_EQ(m.attribute(block::active_import_max_demand_t1, kMaxTime), cet(9, 45));
  EXPECT_EQ(m.value(block::active_import_max_demand_t2, kMaxValue), 8000);
  EXPECT_EQ(m.attribute(block::active_import_max_demand_t2, kMaxTime), cet(9, 30));
  EXPECT_EQ(m.value(block::active_import_max_demand, kMaxValue), 8000);  // max(T1, T2)
  EXPECT_EQ(m.attribute(block::active_import_max_demand, kMaxTime), cet(9, 30));

  m.demand.reset_maximum(kT0 + 60 * kMin);  // 10:00: billing reset
  for (std::uint16_t o : {block::active_import_max_demand, block::active_import_max_demand_t1,
                          block::active_import_max_demand_t2}) {
    EXPECT_EQ(m.value(o, kMaxValue), 0);
    EXPECT_EQ(m.attribute(o, kMaxTime), cet(10, 0));
  }
  m.run(kT0 + 60 * kMin, kT0 + 75 * kMin, constant(3), 2);       // 10:00-10:15 T2 3 kW
  EXPECT_EQ(m.value(block::active_import_max_demand_t2, kMaxValue), 3000);
  EXPECT_EQ(m.attribute(block::active_import_max_demand_t2, kMaxTime), cet(10, 15));
  EXPECT_EQ(m.value(block::active_import_max_demand, kMaxValue), 3000);
  EXPECT_EQ(m.value(block::active_import_max_demand_t1, kMaxValue), 0);
  EXPECT_EQ(m.attribute(block::active_import_max_demand_t1, kMaxTime), cet(10, 0));
}

// Every reason has its bit in demand-block: the block restarts where it is
// called and its first demand counts the energy since then over the full 900 s.
class DemandBlockRecalculation : public ::testing::TestWithParam<Reason> {};

TEST_P(DemandBlockRecalculation, RestartsTheBlock) {
  Meter m(metergen::models::demand_block::model);
  m.demand.recalculate(Reason::power_off, kT0);
  const auto power = step(0, 12);
  m.run(kT0, kT0 + 5 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 4000);  // 12 kW x 300 / 900

  m.demand.recalculate(GetParam(), kT0 + 5 * kMin);  // 09:05: the partial block is discarded
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 0);
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 5));
  m.run(kT0 + 5 * kMin, kT0 + 15 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 8000);      // 12 kW x 600 / 900
  EXPECT_EQ(m.attribute(block::active_import_demand, kCaptureTime), cet(9, 15));
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 15));  // next block aligned
  m.run(kT0 + 15 * kMin, kT0 + 30 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 12000);
}

std::string reason_name(const ::testing::TestParamInfo<Reason>& info) {
  static const char* const kNames[] = {"power_off", "clock_set", "period_change", "billing"};
  return kNames[static_cast<int>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(EveryReason, DemandBlockRecalculation,
                         ::testing::Values(Reason::power_off, Reason::clock_set, Reason::period_change, Reason::billing),
                         reason_name);

TEST(DemandBlock, ClockSetForwardRestartsAtTheNewTime) {
  Meter m(metergen::models::demand_block::model);
  m.demand.recalculate(Reason::power_off, kT0);
  const auto power = step(0, 12);
  m.run(kT0, kT0 + 5 * kMin, power);
  const std::uint64_t set_to = kT0 + 10 * kMin + 30;  // the clock is set from 09:05:00 to 09:10:30
  m.demand.recalculate(Reason::clock_set, set_to);
  m.run(set_to, kT0 + 15 * kMin, power);
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 3600);  // 12 kW x 270 s / 900 s
  EXPECT_EQ(m.value(block::active_import_max_demand, kMaxValue), 3600);
}

TEST(DemandBlock, PowerOffRestartsAtBoot) {
  Meter m(metergen::models::demand_block::model);
  const std::uint64_t boot = kT0 + 7 * kMin + 20;  // 09:07:20
  m.demand.recalculate(Reason::power_off, boot);
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 7, 20));
  m.run(boot, kT0 + 15 * kMin, step(0, 12));
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 6133);  // 12 kW x 460 s / 900 s = 6133.3
  EXPECT_EQ(m.attribute(block::active_import_demand, kCaptureTime), cet(9, 15));
}

// ---- sliding, 15 x 1 min (demand-sliding: UTC, no recalculation) ----

TEST(DemandSliding, StepLoadCurrentAndLastAverage) {
  Meter m(metergen::models::demand_sliding::model);
  ASSERT_TRUE(m.demand.active());
  EXPECT_EQ(m.demand.unfed_registers(), 0);
  const auto power = [](std::uint64_t t) {  // 12 kW from 08:07, a third of it on L1
    SecondPowers p{};
    const bool on = t >= kT0 + 7 * kMin;
    p.phase[0][Quantity::active_import] = on ? 12 * kKw : 0;
    p.phase[1][Quantity::active_import] = on ? 4 * kKw : 0;
    return p;
  };
  // Minute k (08:k-1 .. 08:k) holds 720,000 J from k = 8 on; a window is 900 s.
  m.run(kT0, kT0 + 7 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 0);
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kStartTime), utc(8, 0));
  m.run(kT0 + 7 * kMin, kT0 + 8 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 800);       // 720,000 J / 900 s
  EXPECT_EQ(m.value(sliding::active_import_demand_l1, kLast), 267);    // 240,000 J / 900 s = 266.7
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kCaptureTime), utc(8, 8));
  m.run(kT0 + 8 * kMin, kT0 + 9 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand_l1, kLast), 533);    // 480,000 J / 900 s = 533.3
  m.run(kT0 + 9 * kMin, kT0 + 10 * kMin + 30, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 2400);      // minutes 8..10
  EXPECT_EQ(m.value(sliding::active_import_demand, kCurrent), 2800);   // and 30 s: 12 kW x 210 / 900

  m.run(kT0 + 10 * kMin + 30, kT0 + 15 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 6400);      // minutes 1..15: 8 loaded
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kStartTime), utc(8, 1));  // minute 1 left
  EXPECT_EQ(m.value(sliding::active_import_demand, kCurrent), 6400);   // minutes 2..15 and nothing yet

  m.run(kT0 + 15 * kMin, kT0 + 21 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 11200);     // minutes 7..21: 14 loaded
  m.run(kT0 + 21 * kMin, kT0 + 22 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 12000);     // minutes 8..22
  EXPECT_EQ(m.value(sliding::active_import_demand_l1, kLast), 4000);
  EXPECT_EQ(m.value(sliding::active_import_demand, kCurrent), 11200);  // minutes 9..22
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kStartTime), utc(8, 8));
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kCaptureTime), utc(8, 22));

  // The maximum is reached at 08:22 and only equalled after: its time stays.
  m.run(kT0 + 22 * kMin, kT0 + 40 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_max_demand, kMaxValue), 12000);
  EXPECT_EQ(m.attribute(sliding::active_import_max_demand, kMaxTime), utc(8, 22));
  EXPECT_EQ(m.value(sliding::active_import_max_demand_t1, kMaxValue), 12000);
  EXPECT_EQ(m.value(sliding::active_import_max_demand_t2, kMaxValue), 0);
}

TEST(DemandSliding, NetExportIsNegativeInASignedRegister) {
  Meter m(metergen::models::demand_sliding::model);
  const auto power = [](std::uint64_t) { return load(Quantity::active_net, -3 * kKw); };
  m.run(kT0, kT0 + 5 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_net_demand, kLast), -1000);  // -3 kW x 300 s / 900 s
  m.run(kT0 + 5 * kMin, kT0 + 15 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_net_demand, kLast), -3000);
}

TEST(DemandSliding, RecalculationWithoutItsBitChangesNothing) {
  for (Reason r : {Reason::power_off, Reason::clock_set, Reason::period_change, Reason::billing}) {
    Meter m(metergen::models::demand_sliding::model);
    const Bytes unset = m.attribute(sliding::active_import_demand, kStartTime);
    m.demand.recalculate(r, kT0 + 7 * kMin + 20);  // at boot: nothing written
    EXPECT_EQ(m.attribute(sliding::active_import_demand, kStartTime), unset);
    m.run(kT0 + 7 * kMin + 20, kT0 + 10 * kMin, step(0, 12));
    EXPECT_EQ(m.attribute(sliding::active_import_demand, kStartTime), utc(8, 7));  // the aligned minute
    EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 2133);  // 12 kW x 160 s / 900 s = 2133.3
    m.demand.recalculate(r, kT0 + 10 * kMin);  // mid-window: the window goes on
    m.run(kT0 + 10 * kMin, kT0 + 11 * kMin, step(0, 12));
    EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 2933);  // 12 kW x 220 s / 900 s = 2933.3
  }
}

TEST(DemandSliding, ClockJumpForwardClosesTheSkippedSubPeriods) {
  Meter m(metergen::models::demand_sliding::model);
  const auto power = step(0, 12);
  m.run(kT0, kT0 + 10 * kMin + 30, power);
  EXPECT_EQ(m.value(sliding::active_import_max_demand, kMaxValue), 8000);  // minutes 1..10
  // 08:10:30 -> 08:13:30: minute 11 closes with 30 s, minutes 12 and 13 empty.
  m.run(kT0 + 13 * kMin + 30, kT0 + 13 * kMin + 31, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 8400);  // 12 kW x 630 s / 900 s
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kCaptureTime), utc(8, 13));
  EXPECT_EQ(m.value(sliding::active_import_max_demand, kMaxValue), 8400);
  EXPECT_EQ(m.attribute(sliding::active_import_max_demand, kMaxTime), utc(8, 11));
  EXPECT_EQ(m.value(sliding::active_import_demand, kCurrent), 8413);  // and 1 s: 12 kW x 631 / 900
}

TEST(DemandSliding, ClockJumpBackKeepsTheRunningEnergy) {
  Meter m(metergen::models::demand_sliding::model);
  const auto power = step(0, 12);
  m.run(kT0, kT0 + 5 * kMin + 30, power);
  // 08:05:30 -> 08:03:10: the running minute (30 s) goes on as 08:03 .. 08:04.
  m.run(kT0 + 3 * kMin + 10, kT0 + 4 * kMin, power);
  EXPECT_EQ(m.value(sliding::active_import_demand, kLast), 5067);  // 12 kW x (300 + 30 + 50) s / 900 s
  EXPECT_EQ(m.attribute(sliding::active_import_demand, kCaptureTime), utc(8, 4));
}

// ---- a 7 min sub-period in UTC+5:30 (demand-odd) ----

TEST(DemandOdd, SubPeriodsCountFromLocalMidnight) {
  Meter m(metergen::models::demand_odd::model);
  const auto power_42 = [](std::uint64_t) { return load(Quantity::active_import, 4'200'000'000); };  // 4.2 kW
  // kT0 + 2 h = 10:00 UTC = 15:30 local: the sub-period 15:24 .. 15:31 local
  // (55,440 .. 55,860 s of the local day), not 09:55 .. 10:02 as counted in UTC.
  const std::uint64_t start = kT0 + 120 * kMin;
  m.run(start, start + kMin, power_42);
  EXPECT_EQ(m.attribute(odd::active_import_demand, kCaptureTime), date_time(15, 1, 15, 31, 0, -330));
  EXPECT_EQ(m.value(odd::active_import_demand, kLast), 200);  // 4,200 W x 60 s / 1,260 s
  EXPECT_EQ(m.attribute(odd::active_import_demand, kStartTime), date_time(15, 1, 15, 24, 0, -330));

  // 205 x 7 min = 23:55 local (18:25 UTC); the day's last sub-period is 5 min.
  const std::uint64_t midnight = kT0 + 630 * kMin;  // 18:30 UTC = 00:00 local
  m.run(start + kMin, midnight - 5 * kMin, power_42);
  EXPECT_EQ(m.attribute(odd::active_import_demand, kCaptureTime), date_time(15, 1, 23, 55, 0, -330));
  EXPECT_EQ(m.value(odd::active_import_demand, kLast), 4200);
  m.run(midnight - 5 * kMin, midnight - 1, power_42);
  EXPECT_EQ(m.attribute(odd::active_import_demand, kCaptureTime), date_time(15, 1, 23, 55, 0, -330));
  m.run(midnight - 1, midnight, power_42);
  EXPECT_EQ(m.attribute(odd::active_import_demand, kCaptureTime), date_time(16, 2, 0, 0, 0, -330));
  EXPECT_EQ(m.value(odd::active_import_demand, kLast), 3800);  // 4,200 W x (420 + 420 + 300) s / 1,260 s
  m.run(midnight, midnight + 7 * kMin, power_42);
  EXPECT_EQ(m.attribute(odd::active_import_demand, kCaptureTime), date_time(16, 2, 0, 7, 0, -330));
  EXPECT_EQ(m.value(odd::active_import_demand, kLast), 3800);
  m.run(midnight + 7 * kMin, midnight + 21 * kMin, power_42);
  EXPECT_EQ(m.value(odd::active_import_demand, kLast), 4200);  // 00:00 .. 00:21: three full again
}

// ---- binding rules and the cosem::Objects writes the engine uses ----

TEST(Demand, FeedsOnlyRegistersItCanEncode) {
  using namespace metergen::tables;
  constexpr Binding kImport{SourceKind::demand, Quantity::active_import, 0, 0};
  constexpr Binding kExport{SourceKind::demand, Quantity::active_export, 0, 0};
  constexpr LogicalName kLn{{1, 0, 1, 4, 0, 255}};
  const ObjectDef defs[] = {
      {kLn, 5, 0, DataType::double_long_unsigned, 0, 27, kImport, Role::none, kNone, 5, 0},                  // fed
      {kLn, 4, 0, DataType::double_long_unsigned, 0, 27, {SourceKind::max_demand, Quantity::active_import, 2, 0},
       Role::none, kNone, 5, 38},                                                                            // fed
      {kLn, 5, 0, DataType::double_long_unsigned, 3, 27, kImport, Role::none, kNone, 5, 56},                 // 2nd of the channel
      {kLn, 3, 0, DataType::double_long_unsigned, 0, 27, kExport, Role::none, kNone, 5, 94},                 // not class 5
      {kLn, 5, 0, DataType::float32, 0, 27, kExport, Role::none, kNone, 5, 99},                              // not an integer
      {kLn, 5, 0, DataType::double_long_unsigned, 7, 27, kExport, Role::none, kNone, 5, 137},                // scaler 7
      {kLn, 5, 0, DataType::long_unsigned, 0, 35, {SourceKind::demand, Quantity::voltage, 0, 1}, Role::none, kNone, 3, 175},
  };
  std::uint8_t state[256] = {};
  DemandDef sliding{DemandMethod::sliding, 15, 0, 60, 3600};
  Model model{};
  model.abi_version = kAbiVersion;
  model.objects = defs;
  model.object_count = 7;
  model.demand = &sliding;
  model.state = state;
  model.state_size = sizeof state;
  metergen::test::MemoryHal hal(64 * 1024);
  NoHooks hooks;
  Profiles profiles(model, hal);
  Objects objects(model, hal, hooks, profiles);
  EXPECT_TRUE(Demand(model, objects).active());
  EXPECT_EQ(Demand(model, objects).unfed_registers(), 5);

  DemandDef too_many{DemandMethod::sliding, 16, 0, 60, 3600};  // beyond kMaxSubPeriods
  model.demand = &too_many;
  EXPECT_FALSE(Demand(model, objects).active());
  EXPECT_EQ(Demand(model, objects).unfed_registers(), 7);
}

TEST(Demand, ObjectsWriteOnlyTheNamedAttribute) {
  Meter m(metergen::models::demand_block::model);
  const Bytes time_before = m.attribute(block::active_import_max_demand, kMaxTime);
  EXPECT_TRUE(m.objects.write_integer(block::active_import_max_demand, kMaxValue, 4321));
  EXPECT_EQ(m.attribute(block::active_import_max_demand, kMaxValue), (Bytes{0x06, 0x00, 0x00, 0x10, 0xE1}));
  EXPECT_EQ(m.attribute(block::active_import_max_demand, kMaxTime), time_before);  // no capture stamp
  EXPECT_TRUE(m.objects.write_integer(block::active_import_demand, kLast, 7));
  EXPECT_EQ(m.value(block::active_import_demand, kLast), 7);
  EXPECT_EQ(m.value(block::active_import_demand, kCurrent), 0);
  EXPECT_TRUE(m.objects.write_time(block::active_import_demand, kStartTime, m.objects.local_time(kT0)));
  EXPECT_EQ(m.attribute(block::active_import_demand, kStartTime), cet(9, 0));

  EXPECT_FALSE(m.objects.write_integer(block::clock, 2, 1));                    // class 8
  EXPECT_FALSE(m.objects.write_integer(block::active_import_demand, 5, 1));     // status
  EXPECT_FALSE(m.objects.write_integer(block::active_import_max_demand, 5, 1)); // a date-time
  EXPECT_FALSE(m.objects.write_time(block::active_import_demand, kCurrent, m.objects.local_time(kT0)));
  EXPECT_FALSE(m.objects.write_time(block::active_import_max_demand, 4, m.objects.local_time(kT0)));
}

TEST(Demand, ModelWithoutDemandDoesNothing) {
  Meter m(metergen::models::clms100::model);
  EXPECT_FALSE(m.demand.active());
  EXPECT_EQ(m.demand.unfed_registers(), 0);
  m.run(kT0, kT0 + 20 * kMin, step(0, 12));
  m.demand.reset_maximum(kT0);
  m.demand.recalculate(Reason::power_off, kT0);
}

}  // namespace
