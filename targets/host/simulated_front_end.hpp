// The host meter's analogue front end in scenario mode (--scenario, --speed):
// the scenario played against real time, and the meter clock it drives. Uses
// the runtime's simulation/ module and a log callback; knows nothing of files,
// sockets or clocks (the caller passes the real time in), so tests can drive it
// with any elapsed time.
//
// Meter time moves in units: sample periods at Fidelity::samples (a
// simulation::Synthesizer makes the frames when they are read), whole seconds
// at Fidelity::readings (next_second() hands out a second's readings in closed
// form, simulation::readings_of). Meter time = start + units played / units per
// second. Pacing, the same for both: pace(now) makes readable the units due by
// `now` at `speed` times real time, but at most one window (kWindowFrames or
// kWindowSeconds) beyond those already played (bounded work per server-loop
// iteration). A reader that falls more than one real second behind is let off
// the rest (logged: the machine cannot keep up); with speed kMaxSpeed every
// pace() opens a full window.
//
// Segments with power: off are played by skip() instead (no frames, no
// readings: the meter is off); read() and next_second() stop at them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <optional>

#include <metergen/hal.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/synthesizer.hpp>
#include <metergen/simulation/timeline.hpp>

namespace metergen::host {

class SimulatedFrontEnd {
 public:
  static constexpr std::uint32_t kMaxSpeed = 0;  // --speed max
  // Frames one pace() may add at Fidelity::samples: one second of samples.
  static constexpr std::uint64_t kWindowFrames = simulation::kSampleRateHz;
  // Seconds one pace() may add at Fidelity::readings: an hour of meter time
  // (a few milliseconds of metering).
  static constexpr std::uint64_t kWindowSeconds = 3600;
  // Real time between progress lines (speed other than 1).
  static constexpr std::uint64_t kProgressPeriodNs = 10'000'000'000ull;

  using Log = std::function<void(const std::string&)>;

  // `scenario` and `model` must outlive this object. `now_ns` is the real
  // (monotonic) time of the start. Logs the first segment and any channel the
  // scenario drives past the front end's full scale. `stop_at_end`: nothing is
  // opened past the end of the last segment (a scenario that does not repeat).
  SimulatedFrontEnd(const simulation::Scenario& scenario, const tables::Model& model, std::uint32_t speed,
                    std::uint64_t start_utc_ms, std::uint64_t now_ns, Log log, bool stop_at_end = false);

  simulation::Fidelity fidelity() const { return scenario_.fidelity; }
  // The HAL's front end: the model's simulated ADC at Fidelity::samples, none
  // (sample_rate_hz 0) at Fidelity::readings.
  const hal::FrontEnd& front_end() const { return front_end_; }
  // Opens the units due at real time now_ns; logs progress and lag.
  void pace(std::uint64_t now_ns);
  // Fidelity::samples: at most cap readable frames, oldest first, up to the
  // next unpowered segment; never blocks. Logs each segment start.
  std::size_t read(hal::AdcFrame* out, std::size_t cap);
  // Fidelity::readings: the next readable second's readings (Readings::second
  // is the second's index since the start), unless none is readable or the
  // next second is unpowered. Logs each segment start.
  bool next_second(metrology::Readings& out);
  // Plays up to `max` readable units of unpowered segments (the meter is off:
  // nothing is sampled or metered, the clock runs on); returns how many.
  std::uint64_t skip(std::uint64_t max);

  // The meter's supply relay (hal::Hal::set_relay): while it is open the
  // segments are played without load current (simulation::without_load), at
  // both fidelities, from the next unit on.
  void set_load_connected(bool connected);
  bool load_connected() const { return load_connected_; }

  // The segment of the next unit: is the meter powered, which buttons are held
  // (hal::button_bit bits).
  bool powered() const { return !current().power_off; }
  std::uint8_t buttons() const { return current().buttons; }
  std::uint8_t inputs() const { return current().inputs; }
  // Keys the segments started so far typed on the keypad and nobody read yet
  // (at most `cap`, oldest first).
  std::size_t take_keys(char* out, std::size_t cap);
  // The last segment has been played (only with stop_at_end).
  bool finished() const { return position() >= end_; }

  // Units read() / next_second() / skip() would hand out now.
  std::uint64_t readable() const { return allowed_ - position(); }
  // More units are due than pace() has opened so far (the reader is behind).
  bool behind() const { return due_ > allowed_; }
  // Units played since the start: samples, or seconds at Fidelity::readings.
  std::uint64_t position() const { return timeline().position(); }
  std::uint64_t samples() const { return position(); }
  std::uint32_t units_per_second() const { return units_per_second_; }
  std::uint64_t meter_utc_ms() const;

 private:
  const simulation::Timeline& timeline() const { return synth_ ? synth_->timeline() : *seconds_; }
  const simulation::Segment& current() const { return timeline().current(); }
  std::uint64_t window() const;
  std::uint64_t due_at(std::uint64_t now_ns) const;
  void log_segment_start();
  std::string typed_keys_;
  void log_progress(std::uint64_t now_ns);
  void warn_clipping(const simulation::Scenario& scenario, const tables::Model& model);
  std::string meter_time_text(std::uint64_t samples) const;
  std::string segment_text() const;

  const simulation::Scenario& scenario_;
  const tables::Model& model_;
  const hal::FrontEnd front_end_;
  const std::uint32_t units_per_second_;
  std::optional<simulation::Synthesizer> synth_;  // Fidelity::samples
  std::optional<simulation::Timeline> seconds_;   // Fidelity::readings
  // Readings of the segment being played (readings fidelity), computed at its start.
  metrology::Readings segment_readings_{};
  bool segment_readings_valid_ = false;
  bool load_connected_ = true;
  const std::uint32_t speed_;
  const std::uint64_t start_utc_ms_;
  Log log_;
  std::uint64_t end_ = UINT64_MAX;  // with stop_at_end: the units of one pass

  // Pacing: due(now) = base_samples_ + (now - base_ns_) * speed * rate.
  std::uint64_t base_ns_;
  std::uint64_t base_samples_ = 0;
  std::uint64_t due_ = 0;
  std::uint64_t allowed_ = 0;

  // Progress since the last progress line.
  std::uint64_t period_start_ns_;
  std::uint64_t period_start_samples_ = 0;
  std::uint64_t forgiven_ = 0;     // due frames let off in this period
  bool reported_idle_ = false;     // "the runtime reads no frames" logged
};

}  // namespace metergen::host
