// Frames per second through metrology::Metrology::process (Google Benchmark):
// three-phase and single-phase streams, one second per call, per-second maths
// included. The frames are made once, outside the timed loop.
#include <benchmark/benchmark.h>

#include <vector>

#include <metergen/metrology/metrology.hpp>

#include "test_metrology_signal.hpp"

namespace {

using namespace metergen;
using namespace metergen::metrology;

constexpr tables::MeteringDef kHxf300{true, true, 57700, 277000, 5000, 10000, 5, 50, 10000, 10000, "0.2S", "1S"};
constexpr tables::MeteringDef kSinglePhase{false, false, 220000, 240000, 5000, 80000, 20, 50, 1000, 1000, "B", "2"};

void process_seconds(benchmark::State& state, const tables::MeteringDef& metering, std::uint8_t phases) {
  const hal::FrontEnd fe = test::front_end_for(metering);
  test::Signal s;
  s.frequency_hz = 50.37;
  const double angle[3] = {0, -120, 120};
  for (int p = 0; p < 3; ++p) s.phase[p] = {230, 5, 60, angle[p], {{5, 4, 20, 30}}};
  test::SignalSource source(s, fe);
  const std::vector<hal::AdcFrame> second = source.frames(fe.sample_rate_hz);
  test::PulseHal hal;
  Metrology m(metering, fe, phases, hal);
  for (auto _ : state) {
    m.process(second.data(), second.size());
    benchmark::DoNotOptimize(m.readings());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(second.size()));
}

void BM_MetrologyThreePhase(benchmark::State& state) { process_seconds(state, kHxf300, 3); }
void BM_MetrologySinglePhase(benchmark::State& state) { process_seconds(state, kSinglePhase, 1); }

BENCHMARK(BM_MetrologyThreePhase)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MetrologySinglePhase)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
