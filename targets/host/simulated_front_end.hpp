// The host meter's analogue front end in scenario mode (--scenario, --speed):
// a simulation::Synthesizer paced against real time, and the meter clock it
// drives. Uses the runtime's simulation/ module and a log callback; knows
// nothing of files, sockets or clocks (the caller passes the real time in), so
// tests can drive it with any elapsed time.
//
// Frames are synthesized when they are read, so every frame the runtime reads
// is one sample period of meter time: meter time = start + samples read /
// sample rate. Pacing: pace(now) makes readable the frames due by `now` at
// `speed` times real time, but at most kWindowFrames beyond those already read
// (bounded work per server-loop iteration). A reader that falls more than one
// real second behind is let off the rest (logged: the machine cannot keep up);
// with speed kMaxSpeed every pace() opens a full window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/synthesizer.hpp>

namespace metergen::host {

class SimulatedFrontEnd {
 public:
  static constexpr std::uint32_t kMaxSpeed = 0;  // --speed max
  // Frames one pace() may add: one second of samples.
  static constexpr std::uint64_t kWindowFrames = simulation::kSampleRateHz;
  // Real time between progress lines (speed other than 1).
  static constexpr std::uint64_t kProgressPeriodNs = 10'000'000'000ull;

  using Log = std::function<void(const std::string&)>;

  // `scenario` must outlive this object. `now_ns` is the real (monotonic) time
  // of the start. Logs the first segment and any channel the scenario drives
  // past the front end's full scale.
  SimulatedFrontEnd(const simulation::Scenario& scenario, const tables::Model& model, std::uint32_t speed,
                    std::uint64_t start_utc_ms, std::uint64_t now_ns, Log log);

  const hal::FrontEnd& front_end() const { return front_end_; }
  // Opens the frames due at real time now_ns; logs progress and lag.
  void pace(std::uint64_t now_ns);
  // At most cap readable frames, oldest first; never blocks. Logs each segment start.
  std::size_t read(hal::AdcFrame* out, std::size_t cap);

  // Frames read() would hand out now.
  std::uint64_t readable() const { return allowed_ - synth_.samples(); }
  // More frames are due than pace() has opened so far (the reader is behind).
  bool behind() const { return due_ > allowed_; }
  // Samples read since the start.
  std::uint64_t samples() const { return synth_.samples(); }
  std::uint64_t meter_utc_ms() const;

 private:
  std::uint64_t due_at(std::uint64_t now_ns) const;
  void log_segment_start();
  void log_progress(std::uint64_t now_ns);
  void warn_clipping(const simulation::Scenario& scenario, const tables::Model& model);
  std::string meter_time_text(std::uint64_t samples) const;
  std::string segment_text() const;

  const simulation::Scenario& scenario_;
  const hal::FrontEnd front_end_;
  simulation::Synthesizer synth_;
  const std::uint32_t speed_;
  const std::uint64_t start_utc_ms_;
  Log log_;

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
