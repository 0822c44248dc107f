// Pacing, meter clock and logs of the host meter's simulated front end.
#include "simulated_front_end.hpp"

#include <algorithm>

#include <metergen/simulation/closed_form.hpp>
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

// The names of the bits set in `bits`, comma separated (names[k] is bit k).
template <std::size_t N>
std::string names_of(std::uint8_t bits, const char* const (&names)[N]) {
  std::string text;
  for (std::size_t k = 0; k < N; ++k)
    if (bits & (1u << k)) text += (text.empty() ? "" : ", ") + std::string(names[k]);
  return text;
}

}  // namespace

SimulatedFrontEnd::SimulatedFrontEnd(const simulation::Scenario& scenario, const tables::Model& model,
                                     std::uint32_t speed, std::uint64_t start_utc_ms, std::uint64_t now_ns, Log log,
                                     bool stop_at_end)
    : scenario_(scenario),
      model_(model),
      front_end_(scenario.fidelity == simulation::Fidelity::readings ? hal::FrontEnd{}
                                                                     : simulation::front_end_for(model.metering)),
      units_per_second_(scenario.fidelity == simulation::Fidelity::readings ? 1u : front_end_.sample_rate_hz),
      speed_(speed),
      start_utc_ms_(start_utc_ms),
      log_(std::move(log)),
      base_ns_(now_ns),
      period_start_ns_(now_ns) {
  if (scenario.fidelity == simulation::Fidelity::readings) {
    seconds_.emplace(scenario, 1u);
  } else {
    synth_.emplace(scenario, front_end_, model.phases, model.metering.neutral_current);
    warn_clipping(scenario, model);
  }
  if (stop_at_end && !scenario.repeat) end_ = timeline().pass_units();
  if (scenario.segment_count > 0) log_segment_start();
}

std::uint64_t SimulatedFrontEnd::meter_utc_ms() const {
  return start_utc_ms_ + position() * 1000u / units_per_second_;
}

std::uint64_t SimulatedFrontEnd::window() const { return synth_ ? kWindowFrames : kWindowSeconds; }

std::uint64_t SimulatedFrontEnd::due_at(std::uint64_t now_ns) const {
  const unsigned __int128 elapsed = now_ns > base_ns_ ? now_ns - base_ns_ : 0;
  return base_samples_ +
         static_cast<std::uint64_t>(elapsed * speed_ * units_per_second_ / 1'000'000'000u);
}

void SimulatedFrontEnd::pace(std::uint64_t now_ns) {
  const std::uint64_t read = position();
  if (speed_ == kMaxSpeed) {
    due_ = UINT64_MAX;
  } else {
    // A reader more than one real second behind is let off the rest, so it
    // does not race to catch up once it can.
    const std::uint64_t lag_limit = static_cast<std::uint64_t>(speed_) * units_per_second_;
    due_ = due_at(now_ns);
    if (due_ > read + lag_limit) {
      forgiven_ += due_ - read - lag_limit;
      base_ns_ = now_ns;
      base_samples_ = read + lag_limit;
      due_ = base_samples_;
    }
  }
  allowed_ = std::min({due_, read + window(), std::max(end_, read)});
  if (now_ns > period_start_ns_ && now_ns - period_start_ns_ >= kProgressPeriodNs) log_progress(now_ns);
}

std::size_t SimulatedFrontEnd::read(hal::AdcFrame* out, std::size_t cap) {
  std::size_t n = 0;
  if (!synth_) return 0;
  // Chunks end at segment boundaries, so each segment start is logged at its own meter time.
  while (n < cap && readable() > 0 && powered()) {
    const std::uint64_t chunk = std::min<std::uint64_t>({cap - n, readable(), synth_->samples_left_in_segment()});
    const std::uint16_t segment = synth_->segment();
    const std::uint32_t pass = synth_->pass();
    synth_->generate(out + n, static_cast<std::size_t>(chunk));
    n += static_cast<std::size_t>(chunk);
    if (synth_->segment() != segment || synth_->pass() != pass) log_segment_start();
  }
  return n;
}

bool SimulatedFrontEnd::next_second(metrology::Readings& out) {
  if (!seconds_ || readable() == 0 || !powered()) return false;
  if (!segment_readings_valid_) {
    segment_readings_ = simulation::readings_of(load_connected_ ? current() : simulation::without_load(current()),
                                                model_, 0);
    segment_readings_valid_ = true;
  }
  out = segment_readings_;
  out.second = static_cast<std::uint32_t>(seconds_->position());
  if (seconds_->advance(1)) {
    segment_readings_valid_ = false;
    log_segment_start();
  }
  return true;
}

void SimulatedFrontEnd::set_load_connected(bool connected) {
  if (connected == load_connected_) return;
  load_connected_ = connected;
  segment_readings_valid_ = false;
  if (synth_) synth_->set_load_connected(connected);
}

std::uint64_t SimulatedFrontEnd::skip(std::uint64_t max) {
  std::uint64_t n = 0;
  while (n < max && readable() > 0 && !powered()) {
    const simulation::Timeline& t = timeline();
    const std::uint64_t chunk = std::min<std::uint64_t>({max - n, readable(), t.left_in_segment()});
    const bool moved = synth_ ? (synth_->skip(chunk), synth_->segment_start() == synth_->samples())
                              : seconds_->advance(chunk);
    n += chunk;
    if (moved) {
      segment_readings_valid_ = false;
      log_segment_start();
    }
  }
  return n;
}

std::string SimulatedFrontEnd::meter_time_text(std::uint64_t units) const {
  return iso_utc(start_utc_ms_ + units * 1000u / units_per_second_);
}

std::string SimulatedFrontEnd::segment_text() const {
  const simulation::Timeline& t = timeline();
  const simulation::Segment& s = t.current();
  std::string text = "segment " + std::to_string(t.segment() + 1) + "/" + std::to_string(scenario_.segment_count);
  if (s.name != nullptr && s.name[0] != '\0') text += std::string(" '") + s.name + "'";
  if (t.pass() > 0) text += " (pass " + std::to_string(t.pass() + 1) + ")";
  return text;
}

void SimulatedFrontEnd::log_segment_start() {
  const simulation::Timeline& t = timeline();
  const simulation::Segment& s = t.current();
  std::string text = "scenario: " + segment_text() + " starts at meter time " + meter_time_text(t.segment_start());
  const bool holds = t.left_in_segment() == simulation::Timeline::kForever && end_ == UINT64_MAX;
  text += holds ? " and holds" : ", " + duration_text(s.duration_s);
  if (s.power_off) text += ", power off";
  if (s.keys != nullptr && *s.keys != '\0') {
    text += std::string(", keys typed: ") + s.keys;
    typed_keys_ += s.keys;
  }
  if (s.buttons != 0) text += ", pressed: " + names_of(s.buttons, simulation::kButtonNames);
  if (s.inputs != 0) text += ", inputs: " + names_of(s.inputs, simulation::kInputNames);
  log_(text);
}

std::size_t SimulatedFrontEnd::take_keys(char* out, std::size_t cap) {
  const std::size_t n = typed_keys_.copy(out, cap);
  typed_keys_.erase(0, n);
  return n;
}

void SimulatedFrontEnd::log_progress(std::uint64_t now_ns) {
  const std::uint64_t samples = position() - period_start_samples_;
  const double real_s = static_cast<double>(now_ns - period_start_ns_) / 1e9;
  const double achieved = static_cast<double>(samples) / units_per_second_ / real_s;
  const std::string requested = speed_ == kMaxSpeed ? "max" : std::to_string(speed_);
  if (samples == 0) {
    if (!reported_idle_)
      log_("scenario: the runtime reads no ADC frames; the meter clock stands at " + meter_time_text(position()));
    reported_idle_ = true;
  } else {
    reported_idle_ = false;
    if (speed_ != 1)
      log_("scenario: meter time " + meter_time_text(position()) + ", " + segment_text() + ", " +
           fixed(achieved, 1) + "x real time (--speed " + requested + ")");
    if (forgiven_ > 0)
      log_("scenario: cannot keep up with --speed " + requested + ": " + fixed(achieved, 1) + "x over the last " +
           fixed(real_s, 0) + " s");
  }
  period_start_ns_ = now_ns;
  period_start_samples_ = position();
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
