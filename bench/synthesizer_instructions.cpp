// Cost of the simulated front end per ADC frame (see README.md): 60 s of frames
// (240,000) of a case, generated in batches of 480 frames.
// Run under callgrind with --toggle-collect='*run_minute*' for instructions per
// frame; without it, it prints frames per second of wall-clock time and the
// --speed that would leave the host meter no time for anything else.
//
//   bench_synthesizer CASE    CASE: pure3 (3 phases, fundamental only),
//                             distorted3 (3 phases, 3 harmonics each, noise),
//                             pure1 (1 phase)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include <metergen/simulation/synthesizer.hpp>

namespace {

using namespace metergen;

simulation::PhaseLoad load(double voltage_angle, bool distorted) {
  simulation::PhaseLoad l{};
  l.voltage_rms = 230;
  l.current_rms = 8;
  l.angle_deg = 31.8;
  l.voltage_angle_deg = voltage_angle;
  if (distorted) {
    l.harmonic_count = 3;
    l.harmonics[0] = {3, 1.5, 25, 10};
    l.harmonics[1] = {5, 2.5, 12, -20};
    l.harmonics[2] = {7, 1, 6, 0};
  }
  return l;
}

// Keeps the frames observable so the work is not optimised away.
std::int64_t checksum = 0;

__attribute__((noinline)) void run_minute(simulation::Synthesizer& s, std::vector<hal::AdcFrame>& batch) {
  for (std::size_t done = 0; done < 240000; done += batch.size()) {
    s.generate(batch.data(), batch.size());
    checksum += batch.back().voltage[0] + batch.back().current[3];
  }
}

}  // namespace

int main(int argc, char** argv) {
  const char* which = argc > 1 ? argv[1] : "distorted3";
  const bool distorted = std::strcmp(which, "distorted3") == 0;
  const std::uint8_t phases = std::strcmp(which, "pure1") == 0 ? 1 : 3;
  if (!distorted && std::strcmp(which, "pure3") != 0 && phases != 1) {
    std::fprintf(stderr, "usage: bench_synthesizer pure3|distorted3|pure1\n");
    return 2;
  }
  const simulation::Segment segment = {
      "bench", 3600, 50, {load(0, distorted), load(-120, distorted), load(120, distorted)}, -1};
  const simulation::Scenario scenario = {&segment, 1, false, 1, distorted ? 0.5 : 0.0};
  // dtsd545's front end: 230 V, Imax 100 A.
  const hal::FrontEnd front_end = {4000, 16, 24, 390323, 169706};
  simulation::Synthesizer synth(scenario, front_end, phases);
  std::vector<hal::AdcFrame> batch(480);  // 240,000 = 500 x 480

  const auto begin = std::chrono::steady_clock::now();
  run_minute(synth, batch);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  const double per_second = 240000 / seconds;
  std::printf("%s: %.0f frames/s, %.1f ns/frame, at most --speed %.0f (checksum %lld)\n", which, per_second,
              1e9 / per_second, per_second / 4000, static_cast<long long>(checksum));
  return 0;
}
