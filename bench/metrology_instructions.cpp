// Instructions per phase-sample of metrology::Metrology::process on a
// three-phase stream, for callgrind; the load is metrology_load.hpp's (the
// Cortex-M4 figure comes from metrology_guest.cpp). The frames are made before
// counting starts; only run_process (the process() calls, one second per call,
// per-second maths included) is counted:
//   valgrind --tool=callgrind --toggle-collect='*run_process*' bench_metrology_instructions
// then divide the total Ir by the phase-samples the program prints.
#include <cstdio>
#include <vector>

#include <metergen/metrology/metrology.hpp>

#include "metrology_load.hpp"

namespace {

using namespace metergen;
using namespace metergen::metrology;

using bench::kHxf300;
using bench::kSeconds;

__attribute__((noinline)) void run_process(Metrology& m, const std::vector<hal::AdcFrame>& frames) {
  for (std::size_t k = 0; k < frames.size();) {
    std::size_t n = m.frames_to_second();
    if (n > frames.size() - k) n = frames.size() - k;
    m.process(frames.data() + k, n);
    k += n;
  }
}

}  // namespace

int main() {
  const hal::FrontEnd fe = test::front_end_for(kHxf300);
  test::SignalSource source(bench::load(), fe);
  const std::vector<hal::AdcFrame> frames = source.frames(std::size_t{fe.sample_rate_hz} * kSeconds);
  test::PulseHal hal;
  Metrology m(kHxf300, fe, 3, hal);
  run_process(m, frames);
  const auto& r = m.readings();
  std::printf("phase-samples %zu\nseconds %u, L1 %lld uW %lld uvar, %zu active pulses\n", frames.size() * 3,
              r.second, static_cast<long long>(r.phase[0].active_uw), static_cast<long long>(r.phase[0].reactive_uvar),
              hal.active.size());
  return r.second == kSeconds ? 0 : 1;
}
