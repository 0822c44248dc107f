// Metrology accuracy over the IEC accuracy grid of every seed model
// (tests/runtime/accuracy_grid.hpp): each point synthesised with noise by the
// simulated front end, measured by metrology, its energy integrated as the
// registers integrate it and compared with the closed form. Prints per model
// and family the points, the max and mean |error| of active and fundamental
// reactive energy and the worst points, then the same over every model,
// against the goals (0.02 % active, 0.05 % reactive). Exit 1 when a goal is
// missed. Figures and the command in bench/README.md ("Metrology accuracy").
#include <chrono>
#include <cstdio>
#include <string>

#include "accuracy_grid.hpp"

namespace {

using namespace metergen;
using namespace metergen::accuracy;

void print(const char* model, const char* family, int points, const Tally& t) {
  std::printf("%-10s %-16s %6d | %13s %13s | %13s %13s\n", model, family, points,
              percent(t.active.max).c_str() + 1, percent(t.active.mean()).c_str() + 1,
              t.reactive.count ? percent(t.reactive.max).c_str() + 1 : "-",
              t.reactive.count ? percent(t.reactive.mean()).c_str() + 1 : "-");
}

void merge(Tally::Worst& into, const Tally::Worst& w, const char* model) {
  if (w.count && w.max >= into.max) {
    into.max = w.max;
    into.where = std::string(model) + ", " + w.where;
  }
  into.sum += w.sum;
  into.count += w.count;
}

}  // namespace

int main() {
  const auto start = std::chrono::steady_clock::now();
  std::printf("%-10s %-16s %6s | %13s %13s | %13s %13s\n", "model", "family", "points", "active max", "active mean",
              "reactive max", "reactive mean");
  Tally all;
  int all_points = 0;
  std::uint64_t meter_seconds = 0;
  for (const SeedModel& s : kSeedModels) {
    const tables::MeteringDef& m = s.model.metering;
    Tally model_tally;
    int model_points = 0;
    for (int f = 0; f < kFamilies; ++f) {
      const std::vector<Point> points = grid(m, s.model.phases, static_cast<Family>(f));
      if (points.empty()) continue;
      Tally t;
      std::uint32_t seed = 1;  // as the grid test seeds its points
      for (const Point& p : points) {
        t.add(p, run(p, m, s.model.phases, seed++), describe(p, m));
        meter_seconds += p.seconds;
      }
      print(s.id, name(static_cast<Family>(f)), static_cast<int>(points.size()), t);
      merge(model_tally.active, t.active, name(static_cast<Family>(f)));
      merge(model_tally.reactive, t.reactive, name(static_cast<Family>(f)));
      model_points += static_cast<int>(points.size());
    }
    print(s.id, "all", model_points, model_tally);
    std::printf("  worst active:   %s at %s\n", percent(model_tally.active.max).c_str() + 1,
                model_tally.active.where.c_str());
    if (model_tally.reactive.count)
      std::printf("  worst reactive: %s at %s\n", percent(model_tally.reactive.max).c_str() + 1,
                  model_tally.reactive.where.c_str());
    merge(all.active, model_tally.active, s.id);
    merge(all.reactive, model_tally.reactive, s.id);
    all_points += model_points;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print("all", "", all_points, all);
  std::printf("worst active:   %s at %s (goal 0.02 %%)\n", percent(all.active.max).c_str() + 1, all.active.where.c_str());
  std::printf("worst reactive: %s at %s (goal 0.05 %%)\n", percent(all.reactive.max).c_str() + 1,
              all.reactive.where.c_str());
  std::printf("%d points (%d active, %d reactive), %llu meter seconds in %.2f s\n", all_points, all.active.count,
              all.reactive.count, static_cast<unsigned long long>(meter_seconds), elapsed);
  return all.active.max <= kActiveGoal && all.reactive.max <= kReactiveGoal ? 0 : 1;
}
