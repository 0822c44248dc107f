// Simulated front end (see front_end.hpp).
#include "front_end.hpp"

namespace metergen::mps2 {

SimulatedFrontEnd::SimulatedFrontEnd(const tables::Model& model, const simulation::Scenario& scenario)
    : front_end_(simulation::front_end_for(model.metering)),
      synthesizer_(scenario, front_end_, model.phases, model.metering.neutral_current) {}

void SimulatedFrontEnd::start(std::uint32_t now_ms) { last_ms_ = now_ms; }

std::size_t SimulatedFrontEnd::read(std::uint32_t now_ms, hal::AdcFrame* out, std::size_t cap) {
  elapsed_ms_ += now_ms - last_ms_;
  last_ms_ = now_ms;
  const std::uint64_t sampled = elapsed_ms_ * front_end_.sample_rate_hz / 1000;
  const std::uint64_t handed_out = synthesizer_.samples() + skipped_;
  std::uint64_t waiting = sampled - handed_out;
  const std::uint64_t kept = front_end_.sample_rate_hz;  // one second of frames
  if (waiting > kept) {
    skipped_ += waiting - kept;
    waiting = kept;
  }
  const std::uint64_t left = synthesizer_.samples_left_in_segment();
  if (waiting > left) waiting = left;  // the next read starts the next segment
  const std::size_t n = waiting < cap ? static_cast<std::size_t>(waiting) : cap;
  const std::uint16_t segment = synthesizer_.segment();
  const std::uint32_t pass = synthesizer_.pass();
  synthesizer_.generate(out, n);
  if (synthesizer_.segment() != segment || synthesizer_.pass() != pass) segment_started_ = true;
  return n;
}

}  // namespace metergen::mps2
