// The board's analogue front end, simulated: QEMU's mps2-an386 has no ADC, so
// the image carries a scenario (compiled in by `metergen scenario emit`, see
// CMakeLists.txt) and the runtime's simulation::Synthesizer turns it into the
// frames an ADC would have sampled, at simulation::kSampleRateHz in meter time.
//
// Paced by the millisecond tick: read() hands out the frames whose sampling
// instant has passed since start(). A caller that falls more than one second
// behind loses the oldest frames, as a real ADC's buffer would overrun; the
// scenario then plays that much later (skipped() counts them).
//
// The segment being played also says which buttons are held, which inputs are
// active and which keys were typed when it started (BoardHal hands them to the
// runtime): read() stops at each segment boundary, so that every segment start
// is seen (take_segment_start()).
//
// Owns: the synthesizer and the pacing. Uses: simulation/synthesizer.hpp.
// Portable (the host tests drive it with their own clock).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/scenario.hpp>
#include <metergen/simulation/synthesizer.hpp>

namespace metergen::mps2 {

class SimulatedFrontEnd {
 public:
  // The model's front end (simulation::front_end_for) playing `scenario`, which must outlive this.
  SimulatedFrontEnd(const tables::Model& model, const simulation::Scenario& scenario);

  const hal::FrontEnd& front_end() const { return front_end_; }
  // Sampling starts at tick now_ms.
  void start(std::uint32_t now_ms);
  // The frames sampled up to tick now_ms not handed out yet, at most cap, oldest first.
  std::size_t read(std::uint32_t now_ms, hal::AdcFrame* out, std::size_t cap);
  std::uint64_t skipped() const { return skipped_; }
  // The segment the next frame belongs to.
  const simulation::Segment& segment() const { return synthesizer_.timeline().current(); }
  // Its index in the scenario.
  std::uint16_t segment_index() const { return synthesizer_.segment(); }
  // True once for each segment start since the last call (the first segment
  // starts with the scenario).
  bool take_segment_start() {
    const bool started = segment_started_;
    segment_started_ = false;
    return started;
  }
  // The supply relay: while it is open the frames carry no load current
  // (simulation::Synthesizer::set_load_connected).
  void set_load_connected(bool connected) { synthesizer_.set_load_connected(connected); }

 private:
  hal::FrontEnd front_end_;
  simulation::Synthesizer synthesizer_;
  std::uint32_t last_ms_ = 0;
  std::uint64_t elapsed_ms_ = 0;  // since start, wide: ticks wrap after 49 days
  std::uint64_t skipped_ = 0;
  bool segment_started_ = true;
};

}  // namespace metergen::mps2
