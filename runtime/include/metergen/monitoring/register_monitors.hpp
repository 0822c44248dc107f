// Register monitors (IC 21): scripts run when a watched value crosses a
// threshold (docs/events.md, Register monitors).
//
// Owns: once per metering second, each register monitor's comparison of its
// monitored attribute with each of its thresholds (attribute 2, as a client
// last set them), and the script of a crossing: action_up when the value rose
// above a threshold, action_down when it fell back to it or below. Which
// thresholds the value was above is kept in the monitor's state
// (Objects::register_monitor_above), so it persists with the objects record:
// a crossing during a power cut is acted on at the first metering second
// after power-up. May call: the tables, cosem::Objects, the metering engine's
// values (current_value) and Hooks::script_executed, the path a client's
// execute takes, so a monitor runs exactly the scripts the runtime carries
// out (tariff, end of billing, push).
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::monitoring {

// Thresholds one monitor may have (one bit each in its state).
inline constexpr std::uint8_t kMaxThresholds = 8;

class RegisterMonitors {
 public:
  RegisterMonitors(const tables::Model& model, cosem::Objects& objects, const metering::Engine& engine,
                   cosem::Hooks& scripts);

  // Called by every Meter tick after the engines that write values (metering,
  // events): each monitor once for each new metering second.
  void tick();

 private:
  void run(const tables::RegisterMonitorDef& r);
  void act(const tables::ScriptRefDef& script);

  const tables::Model& model_;
  cosem::Objects& objects_;
  const metering::Engine& engine_;
  cosem::Hooks& scripts_;
  std::uint32_t seen_seconds_ = 0;
};

}  // namespace metergen::monitoring
