// Metering engine instructions per second: one hour (3,600 calls of
// metering::Engine::on_second inside a booted dlms::Meter) of a three-phase
// load with every quadrant, for hxf300-eu, dtsd545 or clms100 (single phase).
// Each call reads the ratio and tariff objects, maps the quadrants, adds to
// every energy accumulator, runs demand, and writes every energy- and
// instantaneous-bound register; four energy records are written on the way.
// The run is checked: +A total must end at the hour's energy by hand.
//
// Measure only the hour with
//   valgrind --tool=callgrind --toggle-collect='*run_hour*' bench_metering <model>
// and divide the total Ir by 3,600.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <hxf300-eu/model.hpp>
#include <metergen/dlms/server.hpp>

#include "../tests/support/memory_hal.hpp"

namespace {

using namespace metergen;

constexpr int kSeconds = 3600;

// Per phase 230 V, 10 A, P = 1.6 kW, Q = -1.2 kvar (QIV), S = 2.3 kVA; L2 exports.
metrology::Readings load(std::uint8_t phases) {
  metrology::Readings r{};
  r.phases = phases;
  r.frequency_mhz = 50'000;
  for (int i = 0; i < phases; ++i) {
    metrology::PhaseReadings& p = r.phase[i];
    p.voltage_uv = 230'000'000;
    p.current_ua = 10'000'000;
    p.active_uw = i == 1 ? -1'600'000'000 : 1'600'000'000;
    p.reactive_uvar = -1'200'000'000;
    p.apparent_uva = 2'300'000'000;
    p.power_factor_milli = i == 1 ? -696 : 696;
    p.voltage_angle_mdeg = i * 120'000;
    p.vi_angle_mdeg = 36'870;
    p.thd_voltage_ppm = 12'000;
    p.thd_current_ppm = 85'000;
    p.voltage_present = true;
  }
  return r;
}

__attribute__((noinline)) void run_hour(dlms::Meter& meter, test::MemoryHal& hal, const metrology::Readings& r) {
  for (int s = 0; s < kSeconds; ++s) {
    hal.now_ms += 1000;
    meter.metering().on_second(r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  struct Choice {
    const char* name;
    const tables::Model* model;
  };
  const Choice choices[] = {{"hxf300-eu", &models::hxf300_eu::model},
                            {"dtsd545", &models::dtsd545::model},
                            {"clms100", &models::clms100::model}};
  const Choice* choice = nullptr;
  for (const Choice& c : choices)
    if (argc == 2 && std::strcmp(argv[1], c.name) == 0) choice = &c;
  if (choice == nullptr) {
    std::fprintf(stderr, "usage: bench_metering hxf300-eu|dtsd545|clms100\n");
    return 2;
  }
  const tables::Model& model = *choice->model;
  test::MemoryHal hal;
  auto meter = std::make_unique<dlms::Meter>(model, hal);
  meter->boot();
  run_hour(*meter, hal, load(model.phases));

  // +A total after one hour: three phases net 1.6 + 1.6 - 1.6 = 1.6 kWh, one phase 1.6 kWh.
  const energy::EnergyRegisters& regs = meter->metering().registers();
  const std::uint16_t a_plus = tables::find_object(model, tables::LogicalName{{1, 0, 1, 8, 0, 255}});
  const std::uint16_t i = regs.find(a_plus);
  if (i == tables::kNone || regs.accumulator(i).mwh != 1'600'000 || regs.accumulator(i).rem_uj != 0) {
    std::fprintf(stderr, "bench_metering: +A total is not 1.6 kWh\n");
    return 1;
  }
  std::printf("%s: %u energy registers, +A total 1.6 kWh after %d s\n", choice->name, regs.count(), kSeconds);
  return 0;
}
