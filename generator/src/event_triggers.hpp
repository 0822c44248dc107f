// The catalogue of event triggers: what the runtime's event engine can detect
// and what a spec's event codes may name (`trigger:`). The names are the
// runtime's tables::Trigger enumerators; emitted code refers to them by name,
// so a catalogue that disagrees with the runtime fails to compile.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace metergen::events {

// How a trigger's event is qualified in the spec.
enum class Qualifier {
  none,
  phase,   // `phase: 1..3` (absent: any phase; the total where the trigger has one)
  object,  // `object: <name>` (absent: any object)
  cause,   // `cause: remote | manual | local | <local trigger>` (absent: any cause)
};

// What a condition's detection level is measured in (`detection.<trigger>.level`).
enum class LevelUnit { none, volt, ampere, watt, percent, power_factor, count };

struct TriggerInfo {
  const char* name;
  bool condition;      // starts and ends (`edge: start | end`); else an instant
  Qualifier qualifier;
  LevelUnit unit;      // none: no level
  bool needs_level;    // a spec that names this trigger must give detection.<name>.level
  const char* summary;
};

const std::vector<TriggerInfo>& triggers();
const TriggerInfo* find_trigger(const std::string& name);
std::vector<std::string> trigger_names();
// Detection entries that are not triggers themselves (long_power_failure).
std::vector<std::string> detection_names();

// Causes of a relay change (`cause:`), in the order of their runtime values
// (tables::kCauseRemote...): remote, manual, local, then one per local trigger.
std::optional<int> relay_cause(const std::string& name, const std::vector<std::string>& local_triggers);

// The trigger and phase a counter source (`counter.<name>`) counts, if any.
struct CountedTrigger {
  std::string trigger;
  int phase = 0;
};
std::optional<CountedTrigger> counted_trigger(const std::string& counter);

}  // namespace metergen::events
