// Segment order of a scenario (timeline.hpp).
#include <metergen/simulation/timeline.hpp>

namespace metergen::simulation {

Timeline::Timeline(const Scenario& scenario, std::uint32_t units_per_second)
    : scenario_(scenario), units_per_second_(units_per_second) {
  for (std::uint16_t i = 0; i < scenario_.segment_count; ++i)
    pass_units_ += static_cast<std::uint64_t>(scenario_.segments[i].duration_s) * units_per_second_;
  if (scenario_.segment_count > 0) {
    enter(0);
    advance(0);
  }
}

std::uint64_t Timeline::left_in_segment() const {
  if (scenario_.segment_count == 0 || held()) return kForever;
  return segment_start_ + segment_units_ - position_;
}

void Timeline::enter(std::uint16_t segment) {
  segment_ = segment;
  segment_units_ = static_cast<std::uint64_t>(scenario_.segments[segment].duration_s) * units_per_second_;
}

bool Timeline::advance(std::uint64_t n) {
  position_ += n;
  bool moved = false;
  // Bounded: a scenario of zero-length segments only is held in its last one.
  for (std::uint16_t tries = 0; tries < scenario_.segment_count && position_ - segment_start_ >= segment_units_;
       ++tries) {
    if (held()) break;
    segment_start_ = position_;
    moved = true;
    if (segment_ + 1 >= scenario_.segment_count) {
      ++pass_;
      enter(0);
    } else {
      enter(static_cast<std::uint16_t>(segment_ + 1));
    }
  }
  return moved;
}

}  // namespace metergen::simulation
