#include <metergen/axdr/axdr.hpp>
#include <metergen/monitoring/register_monitors.hpp>

namespace metergen::monitoring {

namespace {

// Largest thresholds attribute: 01 count, then per threshold a tag and up to 8 bytes.
constexpr std::size_t kThresholdsBytes = 2 + kMaxThresholds * 9;

}  // namespace

RegisterMonitors::RegisterMonitors(const tables::Model& model, cosem::Objects& objects, const metering::Engine& engine,
                                   cosem::Hooks& scripts)
    : model_(model), objects_(objects), engine_(engine), scripts_(scripts) {}

void RegisterMonitors::tick() {
  if (engine_.seconds_metered() == seen_seconds_) return;
  seen_seconds_ = engine_.seconds_metered();
  for (std::uint8_t i = 0; i < model_.register_monitor_count; ++i) run(model_.register_monitors[i]);
}

// Over threshold k means strictly greater: the value crosses upwards when it
// rises above it and downwards when it comes back to it or below.
void RegisterMonitors::run(const tables::RegisterMonitorDef& r) {
  std::uint8_t* above = objects_.register_monitor_above(r.object);
  std::int64_t value = 0;
  std::uint8_t buf[kThresholdsBytes];
  ByteWriter w(buf, sizeof buf);
  if (above == nullptr || !engine_.current_value(r.monitored, r.attribute, value) ||
      objects_.read(r.object, 2, w) != dlms::DataAccessResult::success || w.overflow())
    return;
  ByteReader thresholds(buf, w.size());
  std::uint32_t count = 0;
  if (!axdr::get_array(thresholds, count) || count != r.threshold_count) return;
  for (std::uint8_t k = 0; k < r.threshold_count && k < kMaxThresholds; ++k) {
    std::int64_t threshold = 0;
    if (!axdr::get_integer_any(thresholds, threshold)) return;
    const std::uint8_t bit = static_cast<std::uint8_t>(1u << k);
    const bool over = value > threshold;
    if (over == ((*above & bit) != 0)) continue;
    *above ^= bit;
    const tables::MonitorActionDef& a = model_.monitor_actions[r.first_action + k];
    act(over ? a.up : a.down);
  }
}

void RegisterMonitors::act(const tables::ScriptRefDef& script) {
  if (script.table < model_.object_count) scripts_.script_executed(script.table, script.selector);
}

}  // namespace metergen::monitoring
