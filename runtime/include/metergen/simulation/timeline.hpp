// Where a scenario is: the segment being played, the pass through a repeating
// scenario and the meter time, in units of 1/units_per_second s (samples for
// the Synthesizer, seconds when readings are played in closed form). Owns the
// rules of segment order: segments in turn, then either the first again
// (repeat) or the last held for ever. May call: nothing but scenario.hpp.
#pragma once

#include <cstdint>

#include <metergen/simulation/scenario.hpp>

namespace metergen::simulation {

class Timeline {
 public:
  static constexpr std::uint64_t kForever = UINT64_MAX;

  // The scenario must outlive the timeline.
  Timeline(const Scenario& scenario, std::uint32_t units_per_second);

  // Units played since the start.
  std::uint64_t position() const { return position_; }
  // The segment the next unit belongs to (index into Scenario::segments).
  std::uint16_t segment() const { return segment_; }
  const Segment& current() const { return scenario_.segments[segment_]; }
  // Completed passes through every segment (only a repeating scenario completes any).
  std::uint32_t pass() const { return pass_; }
  // The unit at which the current segment began.
  std::uint64_t segment_start() const { return segment_start_; }
  // Units until the next segment begins; kForever when the current one is held.
  std::uint64_t left_in_segment() const;
  // Units of one pass through every segment (the end of a scenario that does not repeat).
  std::uint64_t pass_units() const { return pass_units_; }

  // Moves n units on, n <= left_in_segment(). True when that began another
  // segment (or another pass of the same one).
  bool advance(std::uint64_t n);

 private:
  bool held() const { return !scenario_.repeat && segment_ + 1 >= scenario_.segment_count; }
  void enter(std::uint16_t segment);

  const Scenario& scenario_;
  const std::uint32_t units_per_second_;
  std::uint64_t pass_units_ = 0;
  std::uint64_t position_ = 0;
  std::uint64_t segment_start_ = 0;
  std::uint64_t segment_units_ = 0;
  std::uint16_t segment_ = 0;
  std::uint32_t pass_ = 0;
};

}  // namespace metergen::simulation
