// The accuracy grid of every seed model (accuracy_grid.hpp): each point of the
// tables of the classes a model claims, synthesised with noise by the
// simulated front end, measured by metrology and integrated as the energy
// registers integrate it, holds its row's limit against the closed-form energy
// P T (Q1 T); each family of points also holds the goals of the digital
// processing, 0.02 % active and 0.05 % fundamental reactive. Every point's
// errors are printed; the worst of each family are recorded as test properties.
#include <gtest/gtest.h>

#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "accuracy_grid.hpp"

namespace {

using namespace metergen;
using namespace metergen::accuracy;

// ---- The tables as typed ----

TEST(AccuracyTables, EverySeedModelsClassesHaveATable) {
  for (const SeedModel& s : kSeedModels) {
    const tables::MeteringDef& m = s.model.metering;
    EXPECT_NE(active_table(m).standard, nullptr) << s.id << " active class " << m.active_class;
    if (m.reactive_class[0] != '\0')
      EXPECT_NE(reactive_table(m).standard, nullptr) << s.id << " reactive class " << m.reactive_class;
  }
  // The classes the product cards claim.
  EXPECT_STREQ(models::hxf300_eu::model.metering.active_class, "0.2S");
  EXPECT_STREQ(models::hxf300_eu::model.metering.reactive_class, "1S");
  EXPECT_STREQ(models::dtsd545::model.metering.active_class, "1");
  EXPECT_STREQ(models::dtsd545::model.metering.reactive_class, "2");
  EXPECT_STREQ(models::clms100::model.metering.active_class, "B");
  EXPECT_STREQ(models::clms100::model.metering.reactive_class, "2");
  EXPECT_STREQ(models::hxe312_kp::model.metering.active_class, "1");
  EXPECT_STREQ(models::hxe312_kp::model.metering.reactive_class, "");
}

TEST(AccuracyTables, RowsStartAtTheirLowerCurrentAndEndBeforeTheNext) {
  const Table t = active_table(models::hxf300_eu::model.metering);  // 0.2S
  EXPECT_LT(limit(t, kPf1, 0.009, false), 0);
  EXPECT_EQ(limit(t, kPf1, 0.01, false), 0.4);
  EXPECT_EQ(limit(t, kPf1, 0.049, false), 0.4);
  EXPECT_EQ(limit(t, kPf1, 0.05, false), 0.2);
  EXPECT_EQ(limit(t, kPf1, 2.0, false), 0.2);  // Imax = 2 In
  EXPECT_LT(limit(t, kPf05Ind, 0.01, false), 0);
  EXPECT_EQ(limit(t, kPf08Cap, 0.02, false), 0.5);
  EXPECT_EQ(limit(t, kPf05Cap, 0.1, false), 0.5);
  EXPECT_LT(limit(t, kPf025Ind, 0.05, false), 0);
  EXPECT_LT(limit(t, kSin1Ind, 1, false), 0);  // no reactive rows in an active table
  // 62053-21 class 1, a three-phase meter with one phase loaded: 2 % from 0.1 Ib at PF 1,
  // from 0.2 Ib at PF 0.5 inductive, no row for 0.8 capacitive.
  const Table c1 = active_table(models::dtsd545::model.metering);
  EXPECT_EQ(limit(c1, kPf1, 0.1, true), 2.0);
  EXPECT_LT(limit(c1, kPf1, 0.05, true), 0);
  EXPECT_EQ(limit(c1, kPf05Ind, 0.2, true), 2.0);
  EXPECT_LT(limit(c1, kPf08Cap, 0.5, true), 0);
  EXPECT_EQ(limit(c1, kPf08Cap, 0.5, false), 1.0);
  // 62053-23 class 2: sin 0.25 from 0.2 Ib.
  const Table r2 = reactive_table(models::dtsd545::model.metering);
  EXPECT_EQ(limit(r2, kSin025Cap, 0.2, false), 2.5);
  EXPECT_EQ(limit(r2, kSin05Ind, 0.1, false), 2.5);
  EXPECT_EQ(limit(r2, kSin05Ind, 10, false), 2.0);  // Imax = 10 Ib
}

TEST(AccuracyTables, ClosedFormOfABalancedInductiveLoadWithHarmonics) {
  // dtsd545, 230 V, Ib = 10 A, PF 0.5 inductive, three phases:
  // P1 = 3 x 230 x 10 x 0.5 = 3450 W; Q1 = 3 x 230 x 10 x sin 60 = 5975.575 var.
  // Harmonics: 3 x (4.6 V x 1 A x cos 30 + 2.3 V x 0.5 A x cos 45) = 3 x (3.983717 + 0.813173) = 14.390671 W.
  const tables::MeteringDef& m = models::dtsd545::model.metering;
  Point p{kPf05Ind, 1, 230, 50, true, 0, 4, 1, -1};
  const Powers w = closed_form(p, m);
  EXPECT_NEAR(w.active, 3450 + 14.390671, 1e-5);
  EXPECT_NEAR(w.reactive, 5975.575, 1e-3);
  p.loaded = 2;
  p.harmonics = false;
  EXPECT_NEAR(closed_form(p, m).active, 1150, 1e-9);
}

// ---- The grid ----

struct Case {
  const SeedModel* seed;
  Family family;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const SeedModel& s : kSeedModels)
    for (int f = 0; f < kFamilies; ++f)
      if (!grid(s.model.metering, s.model.phases, static_cast<Family>(f)).empty())
        out.push_back({&s, static_cast<Family>(f)});
  return out;
}

void PrintTo(const Case& c, std::ostream* os) { *os << c.seed->id << " " << name(c.family); }

class AccuracyGrid : public ::testing::TestWithParam<Case> {};

TEST_P(AccuracyGrid, EveryPointWithinItsRowAndTheGoals) {
  const tables::Model& model = GetParam().seed->model;
  const tables::MeteringDef& m = model.metering;
  const std::vector<Point> points = grid(m, model.phases, GetParam().family);
  Tally tally;
  std::uint32_t seed = 1;
  for (const Point& p : points) {
    const std::string where = describe(p, m);
    const Outcome o = run(p, m, model.phases, seed++);
    EXPECT_TRUE(o.every_second_metered) << where;
    EXPECT_EQ(o.reverse_uj, 0) << where << ": energy in the opposite direction";
    if (p.active_limit >= 0)
      EXPECT_LE(std::fabs(o.active_error), p.active_limit / 100) << where << ": active " << percent(o.active_error);
    if (p.reactive_limit >= 0)
      EXPECT_LE(std::fabs(o.reactive_error), p.reactive_limit / 100)
          << where << ": reactive " << percent(o.reactive_error);
    std::printf("%-62s active %-14s reactive %s\n", where.c_str(),
                p.active_limit >= 0 ? percent(o.active_error).c_str() : "-",
                p.reactive_limit >= 0 ? percent(o.reactive_error).c_str() : "-");
    tally.add(p, o, where);
  }
  RecordProperty("points", static_cast<int>(points.size()));
  RecordProperty("worst_active", percent(tally.active.max) + " at " + tally.active.where);
  RecordProperty("worst_reactive", percent(tally.reactive.max) + " at " + tally.reactive.where);
  EXPECT_LE(tally.active.max, kActiveGoal) << "worst active at " << tally.active.where;
  EXPECT_LE(tally.reactive.max, kReactiveGoal) << "worst reactive at " << tally.reactive.where;
}

INSTANTIATE_TEST_SUITE_P(SeedModels, AccuracyGrid, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string test = std::string(info.param.seed->id) + "_" + name(info.param.family);
  for (char& c : test)
    if (c == '-') c = '_';
  return test;
});

}  // namespace
