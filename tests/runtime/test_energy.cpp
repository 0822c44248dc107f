// energy/: quadrant mapping, transformer ratios, exact accumulators, the
// tariff split and the NVM record, over clms100 (single phase) and hxf300-eu
// (three phases). Expected values are worked out by hand in the comments
// (IEC 62053-23 quadrants: QI +P +Q, QII -P +Q, QIII -P -Q, QIV +P -Q).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <clms100/model.hpp>
#include <hxf300-eu/model.hpp>
#include <metergen/energy/quadrants.hpp>
#include <metergen/energy/registers.hpp>
#include <metergen/storage/slot_ring.hpp>

#include "metering_test_hal.hpp"

namespace {

using metergen::energy::Accumulator;
using metergen::energy::EnergyRegisters;
using metergen::energy::QuantityPowers;
using metergen::energy::Ratios;
using metergen::energy::SecondPowers;
using metergen::metrology::Readings;
using metergen::tables::Quantity;
namespace clms = metergen::models::clms100;
namespace hxf = metergen::models::hxf300_eu;

constexpr std::int64_t kW = 1'000'000'000;  // uW
constexpr std::int64_t kMwhPerKwh = 1'000'000;

struct Expected {
  std::int64_t a_plus, a_minus, r_plus, r_minus, q1, q2, q3, q4, s_plus, s_minus, a_abs, a_net;
};

void expect_powers(const QuantityPowers& p, const Expected& e) {
  EXPECT_EQ(p[Quantity::active_import], e.a_plus);
  EXPECT_EQ(p[Quantity::active_export], e.a_minus);
  EXPECT_EQ(p[Quantity::reactive_import], e.r_plus);
  EXPECT_EQ(p[Quantity::reactive_export], e.r_minus);
  EXPECT_EQ(p[Quantity::reactive_q1], e.q1);
  EXPECT_EQ(p[Quantity::reactive_q2], e.q2);
  EXPECT_EQ(p[Quantity::reactive_q3], e.q3);
  EXPECT_EQ(p[Quantity::reactive_q4], e.q4);
  EXPECT_EQ(p[Quantity::apparent_import], e.s_plus);
  EXPECT_EQ(p[Quantity::apparent_export], e.s_minus);
  EXPECT_EQ(p[Quantity::active_absolute], e.a_abs);
  EXPECT_EQ(p[Quantity::active_net], e.a_net);
}

TEST(EnergyQuadrants, EachQuadrantFeedsItsQuantities) {
  // |P| = 3, |Q| = 4, S = 5 (any unit). +R = QI + QII, -R = QIII + QIV,
  // |A| = +A + -A, net = +A - -A, +S with P >= 0, -S with P < 0.
  using metergen::energy::split_quadrants;
  //                                   +A -A +R -R Q1 Q2 Q3 Q4 +S -S |A| net
  expect_powers(split_quadrants(3, 4, 5), {3, 0, 4, 0, 4, 0, 0, 0, 5, 0, 3, 3});       // QI
  expect_powers(split_quadrants(-3, 4, 5), {0, 3, 4, 0, 0, 4, 0, 0, 0, 5, 3, -3});     // QII
  expect_powers(split_quadrants(-3, -4, 5), {0, 3, 0, 4, 0, 0, 4, 0, 0, 5, 3, -3});    // QIII
  expect_powers(split_quadrants(3, -4, 5), {3, 0, 0, 4, 0, 0, 0, 4, 5, 0, 3, 3});      // QIV
  expect_powers(split_quadrants(0, 4, 4), {0, 0, 4, 0, 4, 0, 0, 0, 4, 0, 0, 0});       // P = 0 is import side
}

Readings three_phase(std::int64_t p1, std::int64_t q1, std::int64_t s1, std::int64_t p2, std::int64_t q2,
                     std::int64_t s2, std::int64_t p3, std::int64_t q3, std::int64_t s3) {
  Readings r{};
  r.phases = 3;
  r.phase[0].active_uw = p1, r.phase[0].reactive_uvar = q1, r.phase[0].apparent_uva = s1;
  r.phase[1].active_uw = p2, r.phase[1].reactive_uvar = q2, r.phase[1].apparent_uva = s2;
  r.phase[2].active_uw = p3, r.phase[2].reactive_uvar = q3, r.phase[2].apparent_uva = s3;
  return r;
}

TEST(EnergyQuadrants, TotalIsTheQuadrantOfTheSummedPower) {
  // L1 +5 kW +1 kvar 5.1 kVA (QI); L2 -2 kW -1 kvar 2.3 kVA (QIII); L3 +1 kW -3 kvar 3.2 kVA (QIV).
  // Sum: P = +4 kW, Q = -3 kvar (QIV), S = 5.1 + 2.3 + 3.2 = 10.6 kVA.
  const Readings r = three_phase(5 * kW, 1 * kW, 5100'000'000, -2 * kW, -1 * kW, 2300'000'000, 1 * kW, -3 * kW,
                                 3200'000'000);
  const SecondPowers p = metergen::energy::map_quadrants(r, Ratios{});
  expect_powers(p.phase[0], {4 * kW, 0, 0, 3 * kW, 0, 0, 0, 3 * kW, 10600'000'000, 0, 4 * kW, 4 * kW});
  expect_powers(p.phase[1], {5 * kW, 0, 1 * kW, 0, 1 * kW, 0, 0, 0, 5100'000'000, 0, 5 * kW, 5 * kW});
  expect_powers(p.phase[2], {0, 2 * kW, 0, 1 * kW, 0, 0, 1 * kW, 0, 0, 2300'000'000, 2 * kW, -2 * kW});
  expect_powers(p.phase[3], {1 * kW, 0, 0, 3 * kW, 0, 0, 0, 3 * kW, 3200'000'000, 0, 1 * kW, 1 * kW});
  // The per-phase import sums to 6 kW; the total nets L2's export out: 4 kW.
  EXPECT_NE(p.phase[1][Quantity::active_import] + p.phase[3][Quantity::active_import],
            p.phase[0][Quantity::active_import]);
}

TEST(EnergyQuadrants, RatiosMultiplyAsComputedByHand) {
  using metergen::energy::mul_ratio;
  const Ratios r{200, 5, 20000, 100};  // CT 200/5 = 40, VT 20000/100 = 200
  EXPECT_EQ(metergen::energy::primary_current(1'000'000, r), 40'000'000);           // 1 A -> 40 A
  EXPECT_EQ(metergen::energy::primary_voltage(100'000'000, r), 20'000'000'000);     // 100 V -> 20 kV
  EXPECT_EQ(metergen::energy::primary_power(100'000'000, r), 800'000'000'000);      // 100 W x 8000 = 800 kW
  EXPECT_EQ(metergen::energy::primary_power(-100'000'000, r), -800'000'000'000);
  // Rounding to nearest, halves away from zero: 1/3, 2/3, 1/2.
  EXPECT_EQ(mul_ratio(1, 1, 3), 0);
  EXPECT_EQ(mul_ratio(2, 1, 3), 1);
  EXPECT_EQ(mul_ratio(-2, 1, 3), -1);
  EXPECT_EQ(mul_ratio(1, 1, 2), 1);
  EXPECT_EQ(mul_ratio(-1, 1, 2), -1);
  // Exact beyond 64-bit intermediates: 9e18 * 3 / 4e9 = 6.75e9.
  EXPECT_EQ(mul_ratio(9'000'000'000'000'000'000, 3, 4'000'000'000u), 6'750'000'000);
  EXPECT_EQ(mul_ratio(9'000'000'000'000'000'000, 2, 1), INT64_MAX);  // saturates
}

TEST(EnergyAccumulator, CarriesTheRemainderExactly) {
  // 1 W for 1 s = 1 J = 10^6 uJ = 0.2777... mWh (1 mWh = 3.6 J).
  Accumulator a;
  for (int s = 0; s < 3; ++s) a.add(Accumulator::from_uj(1'000'000));
  EXPECT_EQ(a, (Accumulator{0, 3'000'000}));
  a.add(Accumulator::from_uj(1'000'000));  // 4 J = 1 mWh + 0.4 J
  EXPECT_EQ(a, (Accumulator{1, 400'000}));
  // 3600 s of 1 W = 1 Wh exactly, however it is split.
  Accumulator b;
  for (int s = 0; s < 3600; ++s) b.add(Accumulator::from_uj(1'000'000));
  EXPECT_EQ(b, (Accumulator{1000, 0}));
}

TEST(EnergyAccumulator, AYearOfConstantLoadIsExact) {
  // 1,150,000,007 uW (230 V x 5 A at PF 1, plus 7 uW) for 365 days = 31,536,000 s:
  // 1.15 kW x 8760 h = 10,074 kWh = 10,074,000,000 mWh, and 7 uW x 31,536,000 s =
  // 220,752,000 uJ = 61 mWh (219,600,000 uJ) + 1,152,000 uJ. Metrology hands over
  // integer powers, and nothing of them is lost however long the meter runs.
  const Accumulator second = Accumulator::from_uj(1'150'000'007);
  Accumulator year;
  for (int s = 0; s < 31'536'000; ++s) year.add(second);
  EXPECT_EQ(year, (Accumulator{10'074'000'061, 1'152'000}));
}

TEST(EnergyAccumulator, NegativeEnergyIsExactAndShownTowardZero) {
  // -1 uJ = -1 mWh + 3 599 999 uJ (floor form); shown in mWh: 0.
  EXPECT_EQ(Accumulator::from_uj(-1), (Accumulator{-1, 3'599'999}));
  EXPECT_EQ(Accumulator::from_uj(-1).in_units(-3), 0);
  // -3 600 001 uJ = -1.0000003 mWh -> -1 mWh; 2 mWh - 1 uJ = 1.9999997 mWh -> 1 mWh.
  EXPECT_EQ(Accumulator::from_uj(-3'600'001).in_units(-3), -1);
  EXPECT_EQ(Accumulator::from_uj(7'199'999).in_units(-3), 1);
  Accumulator net = Accumulator::from_uj(5 * 3'600'000);
  net.add(Accumulator::from_uj(-7 * 3'600'000));
  EXPECT_EQ(net, (Accumulator{-2, 0}));
}

TEST(EnergyAccumulator, UnitsOfTheScaler) {
  // 1 234 567.5 mWh = 1234.5675 Wh.
  const Accumulator a{1'234'567, 1'800'000};
  EXPECT_EQ(a.in_units(-6), 1'234'567'500);  // uWh
  EXPECT_EQ(a.in_units(-3), 1'234'567);      // mWh, the half is not completed
  EXPECT_EQ(a.in_units(0), 1234);            // Wh
  EXPECT_EQ(a.in_units(1), 123);             // 10 Wh
  EXPECT_EQ(a.in_units(3), 1);               // kWh
  EXPECT_EQ(a.in_units(7), 0);
}

// One second of one single-phase power for clms100 (phase 1 and the total are the same).
SecondPowers single_phase(std::int64_t p_uw, std::int64_t q_uvar, std::int64_t s_uva) {
  Readings r{};
  r.phases = 1;
  r.phase[0].active_uw = p_uw, r.phase[0].reactive_uvar = q_uvar, r.phase[0].apparent_uva = s_uva;
  return metergen::energy::map_quadrants(r, Ratios{});
}

const Accumulator& of(const EnergyRegisters& regs, std::uint16_t object) {
  const std::uint16_t i = regs.find(object);
  EXPECT_NE(i, metergen::tables::kNone);
  return regs.accumulator(i);
}

TEST(EnergyRegisters, BindsEveryEnergyObjectOfTheModel) {
  EnergyRegisters regs;
  ASSERT_TRUE(regs.bind(clms::model));
  // clms100: +A, -A, |A|, +R, -R, QI..QIV with tariffs 0-6 (9 x 7 = 63), +S and -S totals: 65.
  EXPECT_EQ(regs.count(), 65);
  EXPECT_EQ(regs.max_tariff(), 6);
  EXPECT_EQ(regs.find(clms::objects::active_import_power), metergen::tables::kNone);  // instantaneous
}

TEST(EnergyRegisters, OneHourAtTwoPointThreeKilowatts) {
  EnergyRegisters regs;
  ASSERT_TRUE(regs.bind(clms::model));
  // 2.3 kW, PF 1, for 3600 s = 2.3 kWh = 2 300 000 mWh, all in tariff 1.
  const SecondPowers p = single_phase(2300'000'000, 0, 2300'000'000);
  for (int s = 0; s < 3600; ++s) regs.add_second(p, 1);
  namespace o = clms::objects;
  EXPECT_EQ(of(regs, o::active_import_energy), (Accumulator{2'300'000, 0}));
  EXPECT_EQ(of(regs, o::active_import_energy_t1), (Accumulator{2'300'000, 0}));
  EXPECT_EQ(of(regs, o::active_import_energy_t2), (Accumulator{}));
  EXPECT_EQ(of(regs, o::active_absolute_energy), (Accumulator{2'300'000, 0}));
  EXPECT_EQ(of(regs, o::apparent_import_energy), (Accumulator{2'300'000, 0}));
  EXPECT_EQ(of(regs, o::active_export_energy), (Accumulator{}));
  EXPECT_EQ(of(regs, o::reactive_import_energy), (Accumulator{}));
}

TEST(EnergyRegisters, QuadrantsReachTheirRegisters) {
  EnergyRegisters regs;
  ASSERT_TRUE(regs.bind(clms::model));
  // One hour in each quadrant, |P| = 3 kW, |Q| = 4 kvar, S = 5 kVA: 3 kWh / 4 kvarh / 5 kVAh each.
  constexpr std::int64_t k3 = 3 * kW, k4 = 4 * kW, k5 = 5 * kW;
  for (const auto& [p, q] : {std::pair{k3, k4}, std::pair{-k3, k4}, std::pair{-k3, -k4}, std::pair{k3, -k4}})
    for (int s = 0; s < 3600; ++s) regs.add_second(single_phase(p, q, k5), 1);
  namespace o = clms::objects;
  const Accumulator four{4 * kMwhPerKwh, 0};
  EXPECT_EQ(of(regs, o::reactive_q1_energy), four);
  EXPECT_EQ(of(regs, o::reactive_q2_energy), four);
  EXPECT_EQ(of(regs, o::reactive_q3_energy), four);
  EXPECT_EQ(of(regs, o::reactive_q4_energy), four);
  EXPECT_EQ(of(regs, o::reactive_import_energy), (Accumulator{8 * kMwhPerKwh, 0}));   // QI + QII
  EXPECT_EQ(of(regs, o::reactive_export_energy), (Accumulator{8 * kMwhPerKwh, 0}));   // QIII + QIV
  EXPECT_EQ(of(regs, o::active_import_energy), (Accumulator{6 * kMwhPerKwh, 0}));     // QI + QIV
  EXPECT_EQ(of(regs, o::active_export_energy), (Accumulator{6 * kMwhPerKwh, 0}));     // QII + QIII
  EXPECT_EQ(of(regs, o::active_absolute_energy), (Accumulator{12 * kMwhPerKwh, 0}));
  EXPECT_EQ(of(regs, o::apparent_import_energy), (Accumulator{10 * kMwhPerKwh, 0}));
  EXPECT_EQ(of(regs, o::apparent_export_energy), (Accumulator{10 * kMwhPerKwh, 0}));
}

// Exact energy in uJ, for sums across accumulators.
__int128 uj(const Accumulator& a) { return static_cast<__int128>(a.mwh) * 3'600'000 + a.rem_uj; }

TEST(EnergyRegisters, TariffPartsSumExactlyToTheTotal) {
  EnergyRegisters regs;
  ASSERT_TRUE(regs.bind(clms::model));
  // 1000 s with P = 1 234 567 + 7919 s uW (never a whole mWh per second) and
  // the tariff switching every second through 1..6.
  // Sum = 1000 * 1 234 567 + 7919 * (999 * 1000 / 2) = 5 190 107 500 uJ
  //     = 1441 mWh (5 187 600 000 uJ) + 2 507 500 uJ.
  for (int s = 0; s < 1000; ++s) {
    const std::int64_t p = 1'234'567 + 7919 * s;
    regs.add_second(single_phase(p, -p / 3, p), static_cast<std::uint8_t>(1 + s % 6));
  }
  namespace o = clms::objects;
  EXPECT_EQ(of(regs, o::active_import_energy), (Accumulator{1441, 2'507'500}));
  const std::uint16_t totals[] = {o::active_import_energy, o::active_absolute_energy, o::reactive_export_energy,
                                  o::reactive_q4_energy};
  for (std::uint16_t total : totals) {
    __int128 parts = 0;
    for (std::uint16_t t = 1; t <= 6; ++t) parts += uj(of(regs, static_cast<std::uint16_t>(total + t)));
    EXPECT_EQ(parts, uj(of(regs, total))) << "object " << total;
  }
  // Tariff 1 got seconds 0, 6, 12, ..., 996 (167 of them): sum of 1 234 567 + 7919 * 6k, k = 0..166
  // = 167 * 1 234 567 + 47 514 * (166 * 167 / 2) = 206 172 689 + 47 514 * 13 861
  // = 206 172 689 + 658 591 554 = 864 764 243 uJ = 240 mWh (864 000 000 uJ) + 764 243 uJ.
  EXPECT_EQ(of(regs, o::active_import_energy_t1), (Accumulator{240, 764'243}));
}

TEST(EnergyRegisters, PerPhaseRegistersOfAThreePhaseMeter) {
  EnergyRegisters regs;
  ASSERT_TRUE(regs.bind(hxf::model));
  // One hour: L1 +1 kW, L2 +2 kW, L3 -0.5 kW (PF 1). Per phase 1, 2 kWh import and 0.5 kWh
  // export; the total imports 1 + 2 - 0.5 = 2.5 kWh and exports nothing.
  const Readings r = three_phase(1 * kW, 0, 1 * kW, 2 * kW, 0, 2 * kW, -kW / 2, 0, kW / 2);
  const SecondPowers p = metergen::energy::map_quadrants(r, Ratios{});
  for (int s = 0; s < 3600; ++s) regs.add_second(p, 2);
  namespace o = hxf::objects;
  EXPECT_EQ(of(regs, o::active_import_energy_l1), (Accumulator{1 * kMwhPerKwh, 0}));
  EXPECT_EQ(of(regs, o::active_import_energy_l2), (Accumulator{2 * kMwhPerKwh, 0}));
  EXPECT_EQ(of(regs, o::active_import_energy_l3), (Accumulator{}));
  EXPECT_EQ(of(regs, o::active_export_energy_l3), (Accumulator{kMwhPerKwh / 2, 0}));
  EXPECT_EQ(of(regs, o::apparent_export_energy_l3), (Accumulator{kMwhPerKwh / 2, 0}));
  EXPECT_EQ(of(regs, o::active_import_energy), (Accumulator{2'500'000, 0}));
  EXPECT_EQ(of(regs, o::active_export_energy), (Accumulator{}));
  // The net register (16.8.0) is signed: 2.5 kWh here.
  EXPECT_EQ(of(regs, o::active_net_energy), (Accumulator{2'500'000, 0}));
}

// ---- NVM record ----

constexpr std::uint32_t kBase = 1000;

std::vector<Accumulator> snapshot(const EnergyRegisters& regs) {
  std::vector<Accumulator> v;
  for (std::uint16_t i = 0; i < regs.count(); ++i) v.push_back(regs.accumulator(i));
  return v;
}

// Registers bound to `model` with their record placed from kBase, as a meter lays them out.
void bind_and_place(EnergyRegisters& regs, metergen::hal::Hal& hal, const metergen::tables::Model& model) {
  EXPECT_TRUE(regs.bind(model));
  metergen::storage::Allocator at(kBase, 0);
  regs.place(at, hal.nvm_geometry());
}

// What a meter finds at boot: registers bound to `model`, the record restored.
struct Rebooted {
  EnergyRegisters regs;
  std::uint8_t tariff = 0;
  bool restored = false;

  Rebooted(metergen::hal::Hal& hal, const metergen::tables::Model& model, std::uint8_t tariff_before = 0)
      : tariff(tariff_before) {
    bind_and_place(regs, hal, model);
    restored = regs.restore(hal, tariff);
  }
};

TEST(EnergyRecord, RestoresWhatWasPersisted) {
  metergen::test::MeteringHal hal;
  EnergyRegisters regs;
  bind_and_place(regs, hal, clms::model);
  for (int s = 0; s < 100; ++s) regs.add_second(single_phase(1'234'567 * (s + 1), -777'777, 2'000'000 * (s + 1)), 3);
  ASSERT_TRUE(regs.persist(hal, 3));

  const Rebooted again(hal, clms::model);
  ASSERT_TRUE(again.restored);
  EXPECT_EQ(again.tariff, 3);
  EXPECT_EQ(snapshot(again.regs), snapshot(regs));
}

TEST(EnergyRecord, APowerCutAtAnyWriteKeepsThePreviousRecord) {
  metergen::test::MeteringHal hal;
  EnergyRegisters regs;
  bind_and_place(regs, hal, clms::model);
  for (int s = 0; s < 10; ++s) regs.add_second(single_phase(5 * kW, kW, 6 * kW), 1);
  ASSERT_TRUE(regs.persist(hal, 1));
  const std::vector<Accumulator> first = snapshot(regs);
  const std::vector<std::uint8_t> nvm_after_first = hal.memory.nvm;
  for (int s = 0; s < 10; ++s) regs.add_second(single_phase(-2 * kW, kW, 3 * kW), 2);

  // One copy: sequence, record header, body header, ceil(65 / 16) = 5 chunks of entries, CRC = 9 writes.
  for (long cut = 0; cut < 9; ++cut) {
    hal.memory.nvm = nvm_after_first;
    hal.writes_left = cut;
    EnergyRegisters copy = regs;
    EXPECT_FALSE(copy.persist(hal, 2));
    const Rebooted rebooted(hal, clms::model);
    ASSERT_TRUE(rebooted.restored) << "cut at write " << cut;
    EXPECT_EQ(rebooted.tariff, 1);
    EXPECT_EQ(snapshot(rebooted.regs), first) << "cut at write " << cut;
  }
  hal.memory.nvm = nvm_after_first;
  hal.writes_left = -1;
  hal.writes = 0;
  ASSERT_TRUE(regs.persist(hal, 2));
  EXPECT_EQ(hal.writes, 9u);
  const Rebooted rebooted(hal, clms::model);
  ASSERT_TRUE(rebooted.restored);
  EXPECT_EQ(rebooted.tariff, 2);
  EXPECT_EQ(snapshot(rebooted.regs), snapshot(regs));
}

TEST(EnergyRecord, ARecordOfOtherTablesIsIgnored) {
  metergen::test::MeteringHal hal;
  EnergyRegisters regs;
  bind_and_place(regs, hal, clms::model);
  regs.add_second(single_phase(kW, 0, kW), 1);
  ASSERT_TRUE(regs.persist(hal, 1));
  const Rebooted other(hal, hxf::model, 7);
  EXPECT_FALSE(other.restored);
  EXPECT_EQ(other.tariff, 7);
  EXPECT_EQ(other.regs.accumulator(0), Accumulator{});
}

// CRC-32 (IEEE 802.3), bit by bit, independent of the runtime's nibble table.
std::uint32_t crc32(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int bit = 0; bit < 8; ++bit) crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return crc;
}
std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

TEST(EnergyRecord, LayoutOnNvmAsDocumented) {
  const std::uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  ASSERT_EQ(~crc32(0xFFFFFFFFu, check, sizeof check), 0xCBF43926u);  // the standard check value

  metergen::test::MeteringHal hal;
  EnergyRegisters regs;
  bind_and_place(regs, hal, clms::model);
  // 5 s of 1 W = 5 J = 1 mWh + 1 400 000 uJ in +A (1.0.1.8.0, the first energy object).
  for (int s = 0; s < 5; ++s) regs.add_second(single_phase(1'000'000, 0, 1'000'000), 4);
  ASSERT_TRUE(regs.persist(hal, 4));
  // docs/nvm-format.md: a slot is sequence | "MG" kind version | body length | body | CRC-32;
  // the body is count (be16) | tariff | 0 | 65 x 12 bytes = 784, so a slot is 800 bytes and
  // sequence 1 lives in slot 1, at kBase + 800; slot 0 stays erased.
  const std::uint8_t* slot = hal.memory.nvm.data() + kBase + 800;
  EXPECT_EQ(std::vector<std::uint8_t>(slot, slot + 16),
            (std::vector<std::uint8_t>{0, 0, 0, 1, 'M', 'G', 'E', 1, 0, 0, 0x03, 0x10, 0, 65, 4, 0}));
  EXPECT_EQ(std::vector<std::uint8_t>(slot + 16, slot + 28),
            (std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x15, 0x5C, 0xC0}));  // 1 mWh, 1 400 000 uJ
  // The CRC covers the tag (CRC-32 of the model id and the registers' logical names), the sequence and the payload.
  std::uint32_t layout = 0xFFFFFFFFu;
  layout = crc32(layout, reinterpret_cast<const std::uint8_t*>("clms100"), 7);
  for (std::uint16_t i = 0; i < clms::model.object_count; ++i)
    if (clms::model.objects[i].binding.kind == metergen::tables::SourceKind::energy)
      layout = crc32(layout, clms::model.objects[i].ln.b, 6);
  const std::uint8_t tag[4] = {static_cast<std::uint8_t>(~layout >> 24), static_cast<std::uint8_t>(~layout >> 16),
                               static_cast<std::uint8_t>(~layout >> 8), static_cast<std::uint8_t>(~layout)};
  EXPECT_EQ(be32(slot + 796), ~crc32(crc32(0xFFFFFFFFu, tag, 4), slot, 796));
  EXPECT_EQ(hal.memory.nvm[kBase], 0xFF);
}

}  // namespace
