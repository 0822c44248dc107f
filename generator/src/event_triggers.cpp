#include "event_triggers.hpp"

#include <algorithm>

namespace metergen::events {

const std::vector<TriggerInfo>& triggers() {
  using Q = Qualifier;
  using U = LevelUnit;
  // Order and names are tables::Trigger's (runtime/include/metergen/model_tables.hpp).
  static const std::vector<TriggerInfo> t = {
      // conditions measured every metering second
      {"under_voltage", true, Q::phase, U::volt, true, "phase voltage below the level"},
      {"over_voltage", true, Q::phase, U::volt, true, "phase voltage above the level"},
      {"voltage_sag", true, Q::phase, U::volt, true, "phase voltage below the sag level"},
      {"voltage_swell", true, Q::phase, U::volt, true, "phase voltage above the swell level"},
      {"high_voltage", true, Q::phase, U::volt, true, "phase voltage above the high-voltage level"},
      {"phase_loss", true, Q::phase, U::volt, false, "phase voltage missing (below the level, else metrology's presence)"},
      {"current_without_voltage", true, Q::phase, U::none, false, "current above the starting current on a phase without voltage"},
      {"reverse_current", true, Q::phase, U::watt, false, "a phase's active power exported beyond the level"},
      {"over_current", true, Q::phase, U::ampere, true, "phase current above the level"},
      {"over_power", true, Q::none, U::watt, true, "total active import power above the level"},
      {"low_power_factor", true, Q::none, U::power_factor, true, "total power factor below the level under load"},
      {"current_unbalance", true, Q::none, U::percent, true, "(max - min) / max of the phase currents above the level"},
      {"voltage_unbalance", true, Q::none, U::percent, true, "(max - min) / max of the phase voltages above the level"},
      {"reverse_sequence", true, Q::none, U::none, false, "phase sequence not L1-L2-L3"},
      {"missing_neutral", true, Q::none, U::percent, true, "neutral displacement: the phase voltages' vector sum above the level, % of their mean"},
      {"bypass", true, Q::none, U::percent, true, "neutral and phase currents differ by more than the level, % of the larger"},
      {"unexpected_consumption", true, Q::none, U::none, false, "current above the starting current while the supply relay is open"},
      {"voltage_distortion", true, Q::phase, U::percent, true, "a phase voltage's total harmonic distortion above the level"},
      // conditions of the meter's inputs (hal::Hal::status_inputs)
      {"cover_open", true, Q::none, U::none, false, "meter cover open"},
      {"terminal_cover_open", true, Q::none, U::none, false, "terminal cover open"},
      {"module_removed", true, Q::none, U::none, false, "communication module removed"},
      {"magnetic_field", true, Q::none, U::none, false, "strong magnetic field"},
      {"battery_cover_open", true, Q::none, U::none, false, "battery (or ripple relay) cover open"},
      {"low_battery", true, Q::none, U::none, false, "backup battery low"},
      {"over_temperature", true, Q::none, U::none, false, "internal temperature too high"},
      // instants
      {"power_down", false, Q::none, U::none, false, "supply lost (logged at power-up with the time it was lost)"},
      {"power_up", false, Q::none, U::none, false, "supply back"},
      {"long_power_down", false, Q::none, U::none, false, "power_down of an outage longer than detection.long_power_failure"},
      {"long_power_up", false, Q::none, U::none, false, "power_up after a long outage"},
      {"short_power_down", false, Q::none, U::none, false, "power_down of an outage not longer than the threshold"},
      {"short_power_up", false, Q::none, U::none, false, "power_up after a short outage"},
      {"clock_adjusted_old", false, Q::none, U::none, false, "the clock was set (logged at the time before the set)"},
      {"clock_adjusted_new", false, Q::none, U::none, false, "the clock was set (logged at the time after the set)"},
      {"clock_invalid", false, Q::none, U::none, false, "the clock lost its time (at power-up)"},
      {"dst_changed", false, Q::none, U::none, false, "a client set the daylight saving settings"},
      {"passive_calendar_programmed", false, Q::none, U::none, false, "a client set the passive calendar"},
      {"passive_calendar_activated", false, Q::none, U::none, false, "the passive calendar became active"},
      {"special_days_changed", false, Q::none, U::none, false, "a client inserted or deleted a special day"},
      {"parameter_changed", false, Q::object, U::none, false, "a client set an attribute (of the object named, or any)"},
      {"billing_period_ended", false, Q::none, U::none, false, "a billing period ended"},
      {"association_established", false, Q::none, U::none, false, "a client logged in"},
      {"authentication_failure", false, Q::none, U::none, false, "a client failed to authenticate"},
      {"authentication_failures", false, Q::none, U::count, true, "the level-th failed authentication in a row"},
      {"decryption_failure", false, Q::none, U::none, false, "a ciphered APDU failed to decipher or authenticate"},
      {"replay_attack", false, Q::none, U::none, false, "a ciphered APDU repeated an old frame counter"},
      {"key_changed", false, Q::none, U::none, false, "a client transferred a new key"},
      {"relay_disconnected", false, Q::cause, U::none, false, "the disconnect control opened the relay"},
      {"relay_connected", false, Q::cause, U::none, false, "the disconnect control closed the relay"},
      {"relay_ready", false, Q::cause, U::none, false, "the disconnect control became ready for reconnection"},
      {"nvm_error", false, Q::none, U::none, false, "a record could not be written"},
      {"log_cleared", false, Q::none, U::none, false, "a client reset this event log"},
      {"voltage_normal", false, Q::phase, U::none, false, "a phase's under voltage, over voltage or missing voltage ended and none is left"},
      {"credit_token_accepted", false, Q::none, U::none, false, "a credit token was accepted"},
      {"token_rejected", false, Q::none, U::none, false, "a token was rejected (format, authentication, used, old, expired key, over-crediting)"},
      {"key_change_token_accepted", false, Q::none, U::none, false, "a decoder key change took effect"},
      {"management_token_accepted", false, Q::none, U::none, false, "a management or test token was accepted"},
      {"low_credit", false, Q::none, U::none, false, "the available credit fell to the low-credit threshold"},
      {"credit_exhausted", false, Q::none, U::none, false, "the available credit ran out"},
      {"emergency_credit_activated", false, Q::none, U::none, false, "emergency credit was invoked"},
      {"friendly_period_started", false, Q::none, U::none, false, "a friendly period began"},
      {"friendly_period_ended", false, Q::none, U::none, false, "a friendly period ended"},
      {"payment_mode_changed", false, Q::none, U::none, false, "the account switched between prepayment and post-payment"},
      {"keypad_locked", false, Q::none, U::none, false, "token entry locked after the spec's rejected tokens in a row"},
  };
  return t;
}

const TriggerInfo* find_trigger(const std::string& name) {
  for (const auto& t : triggers())
    if (name == t.name) return &t;
  return nullptr;
}

std::vector<std::string> trigger_names() {
  std::vector<std::string> out;
  for (const auto& t : triggers()) out.push_back(t.name);
  return out;
}

std::vector<std::string> detection_names() {
  std::vector<std::string> out;
  for (const auto& t : triggers())
    if (t.unit != LevelUnit::none) out.push_back(t.name);
  out.push_back("long_power_failure");
  return out;
}

std::optional<int> relay_cause(const std::string& name, const std::vector<std::string>& local_triggers) {
  static const char* const kFixed[] = {"remote", "manual", "local"};
  for (int i = 0; i < 3; ++i)
    if (name == kFixed[i]) return i + 1;
  auto it = std::find(local_triggers.begin(), local_triggers.end(), name);
  if (it == local_triggers.end()) return std::nullopt;
  return 4 + static_cast<int>(it - local_triggers.begin());
}

std::optional<CountedTrigger> counted_trigger(const std::string& counter) {
  static const std::vector<std::pair<std::string, CountedTrigger>> k = {
      {"power_failures", {"power_down", 0}},
      {"long_power_failures", {"long_power_down", 0}},
      {"meter_cover_open", {"cover_open", 0}},
      {"terminal_cover_open", {"terminal_cover_open", 0}},
      {"magnetic_field", {"magnetic_field", 0}},
      {"voltage_sags_l1", {"voltage_sag", 1}},
      {"voltage_sags_l2", {"voltage_sag", 2}},
      {"voltage_sags_l3", {"voltage_sag", 3}},
      {"voltage_swells_l1", {"voltage_swell", 1}},
      {"voltage_swells_l2", {"voltage_swell", 2}},
      {"voltage_swells_l3", {"voltage_swell", 3}},
      {"credit_tokens", {"credit_token_accepted", 0}},
      {"rejected_tokens", {"token_rejected", 0}},
  };
  for (const auto& [name, t] : k)
    if (name == counter) return t;
  return std::nullopt;
}

}  // namespace metergen::events
