// Load control: the limiters (IC 71) that switch the supply through the
// disconnect control (IC 70), the reconnect button, and the reason of the
// last disconnection (docs/load-control.md).
//
// Owns: once per metering second, each limiter's comparison of its monitored
// value with threshold_active, the minimum over-threshold duration, the local
// disconnection (transition g), the automatic reconnection after the
// reconnect delay (h, where the control mode allows it), the count of
// automatic reconnections with its reset and the final state (HXF300 §11,
// DTSD545 §5.2.8); once per clock second, the reconnect button (manual
// reconnection e, and with the billing button the manual disconnection f);
// the objects with source relay.disconnect_reason; each limiter's actions
// (attribute 11): the script of action_over_threshold when the value has been
// over the threshold for the minimum over duration, that of
// action_under_threshold when it has then been back under it for the minimum
// under duration. A limiter's timers live in its object's state
// (Objects::limiter_engine_state), so they persist as the objects record does.
// May call: the tables, the HAL (buttons, clock), cosem::Objects, the metering
// engine's values (current_value) and Hooks::script_executed, the path a
// client's execute takes.
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/hal.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/timing/button_hold.hpp>

namespace metergen::load_control {

#ifndef METERGEN_MAX_LIMITERS
#define METERGEN_MAX_LIMITERS 4
#endif
// Limiters the engine runs; further ones are served but never act.
inline constexpr std::uint8_t kMaxLimiters = METERGEN_MAX_LIMITERS;

// Values of the relay.disconnect_reason objects (docs/load-control.md): why
// the last disconnection (transitions b, c, f, g) happened.
inline constexpr std::uint8_t kReasonNone = 0;    // no disconnection since delivery
inline constexpr std::uint8_t kReasonRemote = 1;  // a client's remote_disconnect (b, c)
inline constexpr std::uint8_t kReasonManual = 2;  // the button (f)
inline constexpr std::uint8_t kReasonLocal = 3;   // + tables::LocalTrigger: a meter function (g)
std::uint8_t disconnect_reason(cosem::RelayCause cause);
// Whether IC 70 transition from -> to is a disconnection (b, c, f, g).
bool is_disconnection(std::uint8_t from, std::uint8_t to);

// A limiter's engine state, kept in its object's kLimiterEngineBytes:
// phase | reconnections | flags | 0 | timer_s (be32).
struct LimiterState {
  enum Phase : std::uint8_t { monitoring = 0, tripped = 1 };
  static constexpr std::uint8_t kOver = 0x01;    // timer_s counts seconds over the threshold (else under)
  static constexpr std::uint8_t kLocked = 0x02;  // final state "disconnected": the button does not reconnect
  static constexpr std::uint8_t kActedOver = 0x04;  // action_over_threshold ran; action_under_threshold is due

  std::uint8_t phase = monitoring;
  std::uint8_t reconnections = 0;  // automatic reconnections since the count was last reset
  std::uint8_t flags = 0;
  std::uint32_t timer_s = 0;  // seconds over or under the threshold (monitoring), disconnected (tripped)

  static LimiterState read(const std::uint8_t* bytes);
  void write(std::uint8_t* bytes) const;
};

class LoadControl {
 public:
  LoadControl(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, const metering::Engine& engine,
              cosem::Hooks& scripts);

  // After the objects and the metering engine booted (a power-up): the
  // thresholds read, every count of automatic reconnections cleared (DTSD545
  // §5.2.8: the counter resets at a power off).
  void boot();
  // Called by every Meter tick, after the metering engine's: the limiters for
  // each new metering second, the reconnect button for each new clock second.
  void tick();

  // cosem::Hooks, passed on by the Meter.
  void control_state_changed(std::uint8_t from, std::uint8_t to, cosem::RelayCause cause);
  void value_set(std::uint16_t object, std::int8_t attribute);

  LimiterState limiter_state(std::uint8_t limiter);
  std::uint8_t limiter_count() const { return count_; }

 private:
  // A limiter's settings as its object holds them (clients may set them).
  struct Threshold {
    std::int64_t active = 0;
    std::uint32_t min_over_s = 0;
    std::uint32_t min_under_s = 0;
    bool enabled = false;  // false when every threshold is 0 (DTSD545: the limitation is disabled)
    cosem::LimiterSettings watch;  // the monitored value and the actions' scripts
  };

  void read_thresholds(std::uint8_t limiter);
  void run_script(std::uint16_t table, std::uint16_t selector);
  void metering_second();
  void run_limiter(std::uint8_t limiter);
  void monitor(std::uint8_t limiter, LimiterState& st);
  void trip(std::uint8_t limiter, LimiterState& st);
  void reconnect_after_delay(std::uint8_t limiter, LimiterState& st);
  void quiet_second(std::uint8_t limiter, LimiterState& st);
  void update_emergency_profiles(std::int64_t utc_s);
  bool local_disconnect(std::uint8_t limiter);
  bool local_reconnect(std::uint8_t limiter);
  void store(std::uint8_t limiter, const LimiterState& st);
  void sample_buttons();
  bool reconnection_locked();
  void write_disconnect_reason(std::uint8_t reason);

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  const metering::Engine& engine_;
  cosem::Hooks& scripts_;
  std::uint8_t count_ = 0;
  Threshold thresholds_[kMaxLimiters];
  std::uint8_t acting_ = 0xFF;  // the limiter whose own transition is under way
  std::uint32_t seen_seconds_ = 0;
  std::int64_t last_clock_second_ = 0;
  timing::ButtonHold reconnect_button_;
  timing::ButtonHold disconnect_gesture_;
};

}  // namespace metergen::load_control
