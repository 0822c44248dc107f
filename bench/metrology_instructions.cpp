// Instructions per phase-sample of metrology::Metrology::process on a
// three-phase stream, for callgrind. The front end is the one an HXF300-class
// meter gets (4000 Hz, 16-bit voltage, 24-bit current); the load is 3 x 230 V,
// 5 A, PF 0.5 inductive, 5th and 7th harmonics, 50.37 Hz (crossings do not
// fall on the sample grid). The frames are made before counting starts; only
// run_process (the process() calls, one second per call, per-second maths
// included) is counted:
//   valgrind --tool=callgrind --toggle-collect='*run_process*' bench_metrology_instructions
// then divide the total Ir by the phase-samples the program prints.
#include <cstdio>
#include <vector>

#include <metergen/metrology/metrology.hpp>

#include "test_metrology_signal.hpp"

namespace {

using namespace metergen;
using namespace metergen::metrology;

constexpr tables::MeteringDef kHxf300{true, true, 57700, 277000, 5000, 10000, 5, 50, 10000, 10000, "0.2S", "1S"};
constexpr int kSeconds = 10;

test::Signal load() {
  test::Signal s;
  s.frequency_hz = 50.37;
  const double angle[3] = {0, -120, 120};
  for (int p = 0; p < 3; ++p) {
    s.phase[p] = {230, 5, 60, angle[p], {{5, 4, 20, 30}, {7, 3, 10, -45}}};
  }
  return s;
}

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
  test::SignalSource source(load(), fe);
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
