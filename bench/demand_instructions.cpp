// Demand engine instructions per second: one day (86,400 calls of
// demand::Demand::second) of a steady load, the tariff switching every 6 h,
// for hxf300-eu (sliding 15 x 1 min: 11 channels, 11 Demand and 55 maximum
// demand registers) or dtsd545 (block 30 min: 6 channels, 6 Demand and 54
// maximum demand registers). The run is checked: the total maximum demand of
// active import must end at the load's 7,200 W.
//
// Measure only the day with
//   valgrind --tool=callgrind --toggle-collect='*run_day*' bench_demand <model>
// and divide the total Ir by 86,400. Calls: the runtime's demand/ and cosem/.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <metergen/cosem/objects.hpp>
#include <metergen/demand/demand.hpp>

#include <dtsd545/model.hpp>
#include <hxf300-eu/model.hpp>

#include "../tests/support/memory_hal.hpp"

namespace {

using namespace metergen;

constexpr std::uint64_t kDayStart = 1'795'000'000 / 86400 * 86400;  // a UTC midnight in 2026
constexpr std::uint32_t kSeconds = 86400;

class NoHooks final : public cosem::Hooks {};

// Every energy quantity loaded on the total and on the phases.
energy::SecondPowers steady_load() {
  energy::SecondPowers p{};
  for (int phase = 0; phase <= metrology::kMaxPhases; ++phase) {
    const std::int64_t share = phase == 0 ? 3 : 1;
    for (int q = energy::kFirstEnergyQuantity; q <= energy::kLastEnergyQuantity; ++q)
      p.phase[phase][static_cast<tables::Quantity>(q)] = share * 2'400'000'000;  // 2.4 kW per phase
  }
  return p;
}

__attribute__((noinline)) void run_day(demand::Demand& d, const energy::SecondPowers& p) {
  for (std::uint32_t s = 1; s <= kSeconds; ++s)
    d.second(p, static_cast<std::uint8_t>(1 + (s - 1) / 21600), kDayStart + s);
}

}  // namespace

int main(int argc, char** argv) {
  const bool hxf = argc == 2 && std::strcmp(argv[1], "hxf300-eu") == 0;
  if (argc != 2 || (!hxf && std::strcmp(argv[1], "dtsd545") != 0)) {
    std::fprintf(stderr, "usage: bench_demand hxf300-eu|dtsd545\n");
    return 2;
  }
  const tables::Model& model = hxf ? models::hxf300_eu::model : models::dtsd545::model;
  const std::uint16_t maximum =
      hxf ? models::hxf300_eu::objects::active_import_max_demand : models::dtsd545::objects::active_import_max_demand;
  test::MemoryHal hal(64 * 1024);
  NoHooks hooks;
  cosem::Profiles profiles(model, hal);
  cosem::Objects objects(model, hal, hooks, profiles);
  objects.boot();
  demand::Demand engine(model, objects);
  if (!engine.active() || engine.unfed_registers() != 0) {
    std::fprintf(stderr, "bench_demand: the engine does not feed every register\n");
    return 1;
  }
  engine.recalculate(demand::Reason::power_off, kDayStart);
  run_day(engine, steady_load());

  std::uint8_t buf[8];
  ByteWriter w(buf, sizeof buf);
  objects.read(maximum, 2, w);
  const std::uint32_t value = (std::uint32_t{buf[1]} << 24) | (std::uint32_t{buf[2]} << 16) | (buf[3] << 8) | buf[4];
  if (w.size() != 5 || value != 7200) {
    std::fprintf(stderr, "bench_demand: maximum demand %u W, expected 7200 W\n", value);
    return 1;
  }
  std::printf("%s: %u seconds, sizeof(Demand) %zu bytes\n", model.id, kSeconds, sizeof(demand::Demand));
  return 0;
}
