// The load-control engine (see load_control/load_control.hpp).
#include <metergen/load_control/load_control.hpp>
#include <metergen/metering/register_values.hpp>

namespace metergen::load_control {

using cosem::kConnected;
using cosem::kDisconnected;
using cosem::kReadyForReconnection;

namespace {

constexpr std::uint8_t kNoLimiter = 0xFF;

}  // namespace

std::uint8_t disconnect_reason(cosem::RelayCause cause) {
  switch (cause.kind) {
    case cosem::RelayCause::Kind::remote: return kReasonRemote;
    case cosem::RelayCause::Kind::manual: return kReasonManual;
    default: return static_cast<std::uint8_t>(kReasonLocal + static_cast<std::uint8_t>(cause.trigger));
  }
}

bool is_disconnection(std::uint8_t from, std::uint8_t to) {
  return to == kDisconnected || (from == kConnected && to == kReadyForReconnection);
}

LimiterState LimiterState::read(const std::uint8_t* bytes) {
  ByteReader r(bytes, cosem::kLimiterEngineBytes);
  LimiterState st;
  st.phase = r.u8();
  st.reconnections = r.u8();
  st.flags = r.u8();
  r.u8();
  st.timer_s = r.be32();
  if (st.phase != tripped) st.phase = monitoring;
  return st;
}

void LimiterState::write(std::uint8_t* bytes) const {
  ByteWriter w(bytes, cosem::kLimiterEngineBytes);
  w.u8(phase);
  w.u8(reconnections);
  w.u8(flags);
  w.u8(0);
  w.be32(timer_s);
}

LoadControl::LoadControl(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects,
                         const metering::Engine& engine, cosem::Hooks& scripts)
    : model_(model),
      hal_(hal),
      objects_(objects),
      engine_(engine),
      scripts_(scripts),
      count_(model.limiter_count < kMaxLimiters ? model.limiter_count : kMaxLimiters) {}

void LoadControl::boot() {
  last_clock_second_ = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  for (std::uint8_t i = 0; i < count_; ++i) {
    objects_.update_limiter_emergency(model_.limiters[i].object, last_clock_second_);
    read_thresholds(i);
    LimiterState st = limiter_state(i);
    st.reconnections = 0;
    if (st.phase == LimiterState::tripped && objects_.control_state() != kReadyForReconnection) {
      st.phase = LimiterState::monitoring;
      st.timer_s = 0;
    }
    store(i, st);
  }
  seen_seconds_ = engine_.seconds_metered();
}

void LoadControl::tick() {
  while (seen_seconds_ != engine_.seconds_metered()) {
    ++seen_seconds_;
    metering_second();
  }
  const std::int64_t t = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  if (t == last_clock_second_) return;
  last_clock_second_ = t;
  update_emergency_profiles(t);
  sample_buttons();
}

// An emergency profile that began or ended switches threshold_active.
void LoadControl::update_emergency_profiles(std::int64_t utc_s) {
  for (std::uint8_t i = 0; i < count_; ++i)
    if (objects_.update_limiter_emergency(model_.limiters[i].object, utc_s)) read_thresholds(i);
}

LimiterState LoadControl::limiter_state(std::uint8_t limiter) {
  const std::uint8_t* bytes = limiter < count_ ? objects_.limiter_engine_state(model_.limiters[limiter].object) : nullptr;
  return bytes != nullptr ? LimiterState::read(bytes) : LimiterState{};
}

void LoadControl::store(std::uint8_t limiter, const LimiterState& st) {
  std::uint8_t* bytes = objects_.limiter_engine_state(model_.limiters[limiter].object);
  if (bytes != nullptr) st.write(bytes);
}

// threshold_active (attribute 3: the emergency threshold while the emergency
// profile is active), the minimum durations (6, 7), the monitored value (2) and
// the actions (11); disabled when the normal and emergency thresholds are both 0.
void LoadControl::read_thresholds(std::uint8_t limiter) {
  const std::uint16_t object = model_.limiters[limiter].object;
  Threshold& t = thresholds_[limiter];
  t.watch = cosem::LimiterSettings{};
  objects_.limiter_settings(object, t.watch);
  std::int64_t normal = 0, emergency = 0, over = 0, under = 0;
  t.enabled = objects_.read_integer(object, 3, t.active) && objects_.read_integer(object, 4, normal) &&
              objects_.read_integer(object, 5, emergency) && objects_.read_integer(object, 6, over) &&
              objects_.read_integer(object, 7, under) && (normal != 0 || emergency != 0);
  t.min_over_s = static_cast<std::uint32_t>(over);
  t.min_under_s = static_cast<std::uint32_t>(under);
}

// A new monitored value starts its over/under timer again: the seconds
// counted were the old value's.
void LoadControl::value_set(std::uint16_t object, std::int8_t attribute) {
  for (std::uint8_t i = 0; i < count_; ++i) {
    if (model_.limiters[i].object != object) continue;
    objects_.update_limiter_emergency(object, last_clock_second_);
    read_thresholds(i);
    LimiterState st = limiter_state(i);
    if (attribute != 2 || st.phase != LimiterState::monitoring) continue;
    st.flags &= static_cast<std::uint8_t>(~LimiterState::kOver);
    st.timer_s = 0;
    store(i, st);
  }
}

void LoadControl::run_script(std::uint16_t table, std::uint16_t selector) {
  if (table < model_.object_count) scripts_.script_executed(table, selector);
}

// ---------------------------------------------------------------------------
// Limiters, once per metering second

void LoadControl::metering_second() {
  for (std::uint8_t i = 0; i < count_; ++i) run_limiter(i);
}

void LoadControl::run_limiter(std::uint8_t limiter) {
  if (objects_.limiter_engine_state(model_.limiters[limiter].object) == nullptr) return;
  LimiterState st = limiter_state(limiter);
  if (st.phase == LimiterState::tripped) reconnect_after_delay(limiter, st);
  else monitor(limiter, st);
  store(limiter, st);
}

// The value of the second just metered, compared with threshold_active while
// the supply is connected (an open relay leaves nothing to limit). Over it for
// the minimum over duration: the trip, and action_over_threshold once until
// the value has been back under it for the minimum under duration.
void LoadControl::monitor(std::uint8_t limiter, LimiterState& st) {
  if (objects_.control_state() != kConnected) {
    st.flags &= static_cast<std::uint8_t>(~LimiterState::kOver);
    st.timer_s = 0;
    return;
  }
  std::int64_t v = 0;
  const Threshold& t = thresholds_[limiter];
  const bool over = t.enabled && engine_.current_value(t.watch.monitored, t.watch.attribute, v) && v > t.active;
  if (over != ((st.flags & LimiterState::kOver) != 0)) {
    st.flags ^= LimiterState::kOver;
    st.timer_s = 0;
  }
  if (!over) {
    quiet_second(limiter, st);
    return;
  }
  if (st.timer_s < t.min_over_s) ++st.timer_s;
  if (st.timer_s < t.min_over_s) return;
  trip(limiter, st);
  if (st.flags & LimiterState::kActedOver) return;
  st.flags |= LimiterState::kActedOver;
  run_script(t.watch.over_table, t.watch.over_selector);
}

// Over the threshold for min_over_threshold_duration: disconnect locally (g),
// or, once max_reconnects automatic reconnections are used up, the final state.
void LoadControl::trip(std::uint8_t limiter, LimiterState& st) {
  const tables::LimiterDef& l = model_.limiters[limiter];
  if (st.reconnections < l.max_reconnects) {
    if (!local_disconnect(limiter)) return;
    st.phase = LimiterState::tripped;
    st.flags &= LimiterState::kActedOver;
    st.timer_s = 0;
    return;
  }
  switch (l.final_state) {
    case tables::FinalState::connected:
    case tables::FinalState::initial:
      return;  // the supply stays on: no more switching until the count resets
    case tables::FinalState::ready_for_reconnection:
      if (!local_disconnect(limiter)) return;
      break;
    case tables::FinalState::disconnected:
      if (!local_disconnect(limiter)) return;
      st.flags |= LimiterState::kLocked;
      break;
  }
  st.flags &= static_cast<std::uint8_t>(~LimiterState::kOver);
  st.timer_s = 0;
}

// Disconnected by this limiter: after reconnect_delay the local reconnection
// (h), counted when the control mode allows it (else the supply waits for the
// button, e).
void LoadControl::reconnect_after_delay(std::uint8_t limiter, LimiterState& st) {
  const tables::LimiterDef& l = model_.limiters[limiter];
  if (st.timer_s < l.reconnect_delay_s) ++st.timer_s;
  if (st.timer_s < l.reconnect_delay_s) return;
  st.phase = LimiterState::monitoring;
  st.flags &= LimiterState::kActedOver;
  st.timer_s = 0;
  if (local_reconnect(limiter) && st.reconnections < 0xFF) ++st.reconnections;
}

// A connected second at or under the threshold: after min_under_threshold_duration
// of them in a row action_under_threshold, when action_over_threshold ran
// before; after min_under_threshold_duration and reconnect_count_reset_s of
// them the count starts again (HXF300 §11 E; with both 0 the first such
// second, DTSD545: "reset after the power below the power threshold"). The
// timer stops at what is still to come, so a quiet limiter changes no byte.
void LoadControl::quiet_second(std::uint8_t limiter, LimiterState& st) {
  const tables::LimiterDef& l = model_.limiters[limiter];
  const Threshold& t = thresholds_[limiter];
  const bool under_due = (st.flags & LimiterState::kActedOver) != 0;
  if (st.reconnections == 0 && !under_due) return;
  const std::uint32_t reset = t.min_under_s > l.count_reset_s ? t.min_under_s : l.count_reset_s;
  const std::uint32_t until = st.reconnections != 0 ? reset : t.min_under_s;
  if (st.timer_s < until) ++st.timer_s;
  if (under_due && st.timer_s >= t.min_under_s) {
    st.flags &= static_cast<std::uint8_t>(~LimiterState::kActedOver);
    run_script(t.watch.under_table, t.watch.under_selector);
  }
  if (st.reconnections == 0 || st.timer_s < reset) return;
  st.reconnections = 0;
  st.timer_s = 0;
}

// Energy- and instantaneous-bound values straight from the metering engine
// (fresh, and without writing every fed object each second); others as read.
bool LoadControl::local_disconnect(std::uint8_t limiter) {
  acting_ = limiter;
  const bool done = objects_.local_disconnect(tables::LocalTrigger::limiter);
  acting_ = kNoLimiter;
  return done;
}

bool LoadControl::local_reconnect(std::uint8_t limiter) {
  acting_ = limiter;
  const bool done = objects_.local_reconnect(tables::LocalTrigger::limiter);
  acting_ = kNoLimiter;
  return done;
}

// ---------------------------------------------------------------------------
// What others did to the relay

// The reason of a disconnection is written; a limiter waiting to reconnect
// leaves a supply someone else switched alone, and a client's reconnection
// (a, d) clears the counts and the lock of the final state (DTSD545 §5.2.8).
void LoadControl::control_state_changed(std::uint8_t from, std::uint8_t to, cosem::RelayCause cause) {
  if (is_disconnection(from, to)) write_disconnect_reason(disconnect_reason(cause));
  const bool remote_reconnection = cause.kind == cosem::RelayCause::Kind::remote && !is_disconnection(from, to);
  for (std::uint8_t i = 0; i < count_; ++i) {
    if (i == acting_) continue;
    LimiterState st = limiter_state(i);
    if (st.phase == LimiterState::tripped) {
      st.phase = LimiterState::monitoring;
      st.timer_s = 0;
    }
    if (remote_reconnection) {
      const std::uint8_t acted = st.flags & LimiterState::kActedOver;
      st = LimiterState{};
      st.flags = acted;
    }
    store(i, st);
  }
}

void LoadControl::write_disconnect_reason(std::uint8_t reason) {
  metering::write_bound(objects_, tables::Quantity::disconnect_reason, reason);
}

// ---------------------------------------------------------------------------
// The reconnect button, once per clock second

// Held manual_reconnect_hold_s (a press when 0): manual reconnection (e) from
// Ready, unless a limiter's final state locked it. Held together with the
// billing (sealable) button as long: manual disconnection (f), where the
// control mode allows it (HXF300 §10.1).
void LoadControl::sample_buttons() {
  if (model_.disconnect == nullptr) return;
  const std::uint8_t held = hal_.buttons_held();
  const bool reconnect = (held & hal::button_bit(hal::Button::reconnect)) != 0;
  const bool billing = (held & hal::button_bit(hal::Button::billing)) != 0;
  const std::uint32_t hold = model_.disconnect->manual_reconnect_hold_s;
  if (reconnect_button_.sample(reconnect && !billing, hold) && !reconnection_locked()) objects_.manual_reconnect();
  if (disconnect_gesture_.sample(reconnect && billing, hold)) objects_.manual_disconnect();
}

bool LoadControl::reconnection_locked() {
  for (std::uint8_t i = 0; i < count_; ++i)
    if (limiter_state(i).flags & LimiterState::kLocked) return true;
  return false;
}

}  // namespace metergen::load_control
