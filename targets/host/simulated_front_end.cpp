// Pacing, meter clock and logs of the host meter's simulated front end.
#include "simulated_front_end.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace metergen::host {
namespace {

constexpr double kSqrt2 = 1.4142135623730951;

std::string iso_utc(std::uint64_t ms) {
  const time_t seconds = static_cast<time_t>(ms / 1000u);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string duration_text(std::uint32_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + "min";
  return std::to_string(seconds) + "s";
}

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Largest instantaneous value a phase's waveform can reach: every harmonic at its peak together.
double peak(double rms, const simulation::PhaseLoad& load, bool voltage) {
  double sum = 1;
  for (std::uint8_t i = 0; i < load.harmonic_count && i < simulation::kMaxHarmonics; ++i)
    sum += (voltage ? load.harmonics[i].voltage_percent : load.harmonics[i].current_percent) / 100.0;
  return rms * kSqrt2 * sum;
}

}  // namespace

SimulatedFrontEnd::SimulatedFrontEnd(const simulation::Scenario& scenario, const tables::Model& model,
                                     std::uint32_t speed, std::uint64_t start_utc_ms, std::uint64_t now_ns, Log log)
    : scenario_(scenario),
      front_end_(simulation::front_end_for(model.metering)),
      synth_(scenario, front_end_, model.phases, model.metering.neutral_current),
      speed_(speed),
      start_utc_ms_(start_utc_ms),
      log_(std::move(log)),
      base_ns_(now_ns),
      period_start_ns_(now_ns) {
  warn_clipping(scenario, model);
  if (scenario.segment_count > 0) log_segment_start();
}

std::uint64_t SimulatedFrontEnd::meter_utc_ms() const {
  return start_utc_ms_ + synth_.samples() * 1000u / front_end_.sample_rate_hz;
}

std::uint64_t SimulatedFrontEnd::due_at(std::uint64_t now_ns) const {
  const unsigned __int128 elapsed = now_ns > base_ns_ ? now_ns - base_ns_ : 0;
  return base_samples_ +
         static_cast<std::uint64_t>(elapsed * speed_ * front_end_.sample_rate_hz / 1'000'000'000u);
}

void SimulatedFrontEnd::pace(std::uint64_t now_ns) {
  const std::uint64_t read = synth_.samples();
  if (speed_ == kMaxSpeed) {
    due_ = UINT64_MAX;
  } else {
    // A reader more than one real second behind is let off the rest, so it
    // does not race to catch up once it can.
    const std::uint64_t lag_limit = static_cast<std::uint64_t>(speed_) * front_end_.sample_rate_hz;
    due_ = due_at(now_ns);
    if (due_ > read + lag_limit) {
      forgiven_ += due_ - read - lag_limit;
      base_ns_ = now_ns;
      base_samples_ = read + lag_limit;
      due_ = base_samples_;
    }
  }
  allowed_ = std::min(due_, read + kWindowFrames);
  if (now_ns > period_start_ns_ && now_ns - period_start_ns_ >= kProgressPeriodNs) log_progress(now_ns);
}

std::size_t SimulatedFrontEnd::read(hal::AdcFrame* out, std::size_t cap) {
  std::size_t n = 0;
  // Chunks end at segment boundaries, so each segment start is logged at its own meter time.
  while (n < cap && readable() > 0) {
    const std::uint64_t chunk = std::min<std::uint64_t>({cap - n, readable(), synth_.samples_left_in_segment()});
    const std::uint16_t segment = synth_.segment();
    const std::uint32_t pass = synth_.pass();
    synth_.generate(out + n, static_cast<std::size_t>(chunk));
    n += static_cast<std::size_t>(chunk);
    if (synth_.segment() != segment || synth_.pass() != pass) log_segment_start();
  }
  return n;
}

std::string SimulatedFrontEnd::meter_time_text(std::uint64_t samples) const {
  return iso_utc(start_utc_ms_ + samples * 1000u / front_end_.sample_rate_hz);
}

std::string SimulatedFrontEnd::segment_text() const {
  const simulation::Segment& s = scenario_.segments[synth_.segment()];
  std::string text = "segment " + std::to_string(synth_.segment() + 1) + "/" + std::to_string(scenario_.segment_count);
  if (s.name != nullptr && s.name[0] != '\0') text += std::string(" '") + s.name + "'";
  if (synth_.pass() > 0) text += " (pass " + std::to_string(synth_.pass() + 1) + ")";
  return text;
}

void SimulatedFrontEnd::log_segment_start() {
  const simulation::Segment& s = scenario_.segments[synth_.segment()];
  std::string text = "scenario: " + segment_text() + " starts at meter time " + meter_time_text(synth_.segment_start());
  text += synth_.samples_left_in_segment() == UINT64_MAX ? " and holds" : ", " + duration_text(s.duration_s);
  log_(text);
}

void SimulatedFrontEnd::log_progress(std::uint64_t now_ns) {
  const std::uint64_t samples = synth_.samples() - period_start_samples_;
  const double real_s = static_cast<double>(now_ns - period_start_ns_) / 1e9;
  const double achieved = static_cast<double>(samples) / front_end_.sample_rate_hz / real_s;
  const std::string requested = speed_ == kMaxSpeed ? "max" : std::to_string(speed_);
  if (samples == 0) {
    if (!reported_idle_)
      log_("scenario: the runtime reads no ADC frames; the meter clock stands at " + meter_time_text(synth_.samples()));
    reported_idle_ = true;
  } else {
    reported_idle_ = false;
    if (speed_ != 1)
      log_("scenario: meter time " + meter_time_text(synth_.samples()) + ", " + segment_text() + ", " +
           fixed(achieved, 1) + "x real time (--speed " + requested + ")");
    if (forgiven_ > 0)
      log_("scenario: cannot keep up with --speed " + requested + ": " + fixed(achieved, 1) + "x over the last " +
           fixed(real_s, 0) + " s");
  }
  period_start_ns_ = now_ns;
  period_start_samples_ = synth_.samples();
  forgiven_ = 0;
}

void SimulatedFrontEnd::warn_clipping(const simulation::Scenario& scenario, const tables::Model& model) {
  const double volts = front_end_.voltage_full_scale_mv / 1000.0;
  const double amps = front_end_.current_full_scale_ma / 1000.0;
  for (std::uint16_t i = 0; i < scenario.segment_count; ++i) {
    for (int p = 0; p < model.phases && p < 3; ++p) {
      const simulation::PhaseLoad& load = scenario.segments[i].phase[p];
      const double v = peak(load.voltage_rms, load, true);
      const double a = peak(load.current_rms, load, false);
      const std::string where = "scenario: segment " + std::to_string(i + 1) + " L" + std::to_string(p + 1);
      if (v > volts)
        log_(where + " voltage peaks at up to " + fixed(v, 3) + " V, above the front end's full scale of " +
             fixed(volts, 3) + " V: the codes clip");
      if (a > amps)
        log_(where + " current peaks at up to " + fixed(a, 3) + " A, above the front end's full scale of " +
             fixed(amps, 3) + " A: the codes clip");
    }
  }
}

}  // namespace metergen::host
