#include <metergen/events/events.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/metering/register_values.hpp>

namespace metergen::events {

using tables::kNone;
using tables::Trigger;

namespace {

static_assert(static_cast<std::uint8_t>(tables::kFirstInputCondition) + hal::kInputCount ==
                  static_cast<std::uint8_t>(tables::kFirstInstant),
              "one input per input condition, in the same order");

constexpr std::uint8_t index_of(Trigger t) { return static_cast<std::uint8_t>(static_cast<std::uint8_t>(t) - 1); }
constexpr std::uint16_t slot_of(Trigger t, std::uint8_t phase) { return static_cast<std::uint16_t>(index_of(t) * 4u + phase); }
constexpr std::uint8_t kLongPowerFailure = kConditionCount;  // levels_ index of the long power failure threshold

}  // namespace

Events::Events(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Profiles& profiles,
               push::Pusher& pusher)
    : model_(model),
      hal_(hal),
      objects_(objects),
      profiles_(profiles),
      pusher_(pusher),
      alarm_register_(tables::find_role(model, tables::Role::alarm_register)),
      alarm_filter_(tables::find_role(model, tables::Role::alarm_filter)),
      alarm_descriptor_(tables::find_role(model, tables::Role::alarm_descriptor)),
      error_register_(tables::find_role(model, tables::Role::error_register)) {
  auto note = [&](Trigger t) {
    if (tables::is_condition(t)) used_ |= 1ull << index_of(t);
  };
  for (std::uint8_t l = 0; l < model.event_log_count; ++l) {
    const tables::EventLogDef& log = model.event_logs[l];
    for (std::uint16_t i = 0; i < log.event_count; ++i) note(model.events[log.first_event + i].trigger);
  }
  for (std::uint8_t i = 0; i < model.event_counter_count; ++i) note(model.event_counters[i].trigger);
}

bool Events::uses(Trigger t) const { return (used_ >> index_of(t)) & 1u; }

// ---------------------------------------------------------------------------
// Levels

void Events::read_levels() {
  for (std::uint8_t i = 0; i < model_.detection_count; ++i) {
    const tables::DetectionDef& d = model_.detections[i];
    Level l{d.level, d.restore, d.for_s, true};
    std::int64_t v = 0;
    if (d.level_object != kNone && objects_.read_integer(d.level_object, 2, v)) {
      const std::int64_t level = metering::scale_pow10(v, model_.objects[d.level_object].scaler + d.level_exponent);
      l.restore += level - l.level;  // the declared hysteresis is kept
      l.level = level;
    }
    if (d.for_object != kNone && objects_.read_integer(d.for_object, 2, v) && v >= 0)
      l.for_s = static_cast<std::uint32_t>(metering::scale_pow10(v, model_.objects[d.for_object].scaler));
    if (d.trigger == Trigger::authentication_failures) failures_level_ = l.level > 0 ? static_cast<std::uint32_t>(l.level) : 0;
    const std::uint8_t at = d.trigger == Trigger::long_power_down ? kLongPowerFailure : index_of(d.trigger);
    if (at <= kConditionCount) levels_[at] = l;
  }
}

const Events::Level& Events::level_of(Trigger t) const { return levels_[index_of(t)]; }

// ---------------------------------------------------------------------------
// Boot and instants

void Events::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  constexpr std::uint32_t kWritesPerDay = 4;  // power-fail saves
  const std::uint32_t slots = storage::Record::slots_for(kBodyBytes, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(kBodyBytes, slots, g.erase_unit)), kBodyBytes, slots, g.erase_unit,
                {storage::RecordKind::events, 1, kSlots});
}

bool Events::persist() {
  std::uint8_t raw[kBodyBytes];
  ByteWriter w(raw, kBodyBytes);
  w.bytes(active_, sizeof active_);
  w.be32(failures_in_row_);
  return record_.write(hal_, raw);
}

void Events::boot(std::int64_t down_utc_s) {
  std::uint8_t raw[kBodyBytes];
  if (record_.open(hal_) && record_.read(hal_, 0, raw, kBodyBytes)) {
    ByteReader r(raw, kBodyBytes);
    for (std::uint8_t& b : active_) b = r.u8();
    failures_in_row_ = r.be32();
  }
  end_supply_conditions();
  read_levels();
  const std::int64_t t = now();
  if (!hal_.clock_valid()) raise(Trigger::clock_invalid);
  if (down_utc_s <= 0 || down_utc_s > t) return;
  const Level& threshold = levels_[kLongPowerFailure];
  const bool long_failure = threshold.given && t - down_utc_s > static_cast<std::int64_t>(threshold.for_s);
  // Before the events are logged, so that a log capturing the object has this failure's duration.
  if (long_failure) metering::write_bound(objects_, tables::Quantity::long_power_failure_duration, t - down_utc_s);
  occurred(Trigger::power_down, 0, false, kNone, down_utc_s);
  occurred(long_failure ? Trigger::long_power_down : Trigger::short_power_down, 0, false, kNone, down_utc_s);
  occurred(Trigger::power_up, 0, false, kNone, t);
  occurred(long_failure ? Trigger::long_power_up : Trigger::short_power_up, 0, false, kNone, t);
}

// The power went down: the supply whose readings the conditions watched is
// gone, so every readings condition ended with it (silently: nothing was
// measured to end it), and one still there after power-up starts again after
// its duration. The inputs' conditions stay: the meter watches its covers and
// sensors on its battery (HXF300 §14.1).
void Events::end_supply_conditions() {
  const std::uint16_t first_input_slot = slot_of(tables::kFirstInputCondition, 0);
  for (std::uint16_t s = 0; s < first_input_slot; ++s)
    active_[s / 8] = static_cast<std::uint8_t>(active_[s / 8] & ~(1u << (s % 8)));
}

void Events::raise(Trigger trigger, std::uint8_t qualifier, std::uint16_t object) {
  occurred(trigger, qualifier, false, object, now());
}

void Events::clock_set() {
  const std::uint64_t old_ms = tick_utc_ms_ + (hal_.ticks_ms() - tick_ms_);
  if (tick_utc_ms_ != 0) occurred(Trigger::clock_adjusted_old, 0, false, kNone, static_cast<std::int64_t>(old_ms / 1000));
  raise(Trigger::clock_adjusted_new);
  tick_utc_ms_ = hal_.utc_ms();
  tick_ms_ = hal_.ticks_ms();
}

void Events::action_done(std::uint16_t object, std::int8_t method) {
  switch (model_.objects[object].class_id) {
    case 7: if (method == 1) raise(Trigger::log_cleared, 0, object); break;
    case 11: raise(Trigger::special_days_changed); break;
    case 20: raise(Trigger::passive_calendar_activated); break;
    case 64: if (method == 2) raise(Trigger::key_changed); break;
    default: break;
  }
}

void Events::value_set(std::uint16_t object, std::int8_t attribute) {
  for (std::uint8_t i = 0; i < model_.detection_count; ++i)
    if (model_.detections[i].level_object == object || model_.detections[i].for_object == object) {
      read_levels();
      break;
    }
  const tables::ObjectDef& d = model_.objects[object];
  if (d.class_id == 8 && attribute >= 5 && attribute <= 8) raise(Trigger::dst_changed);
  if (d.class_id == 20 && attribute >= 6 && attribute <= 10) raise(Trigger::passive_calendar_programmed);
  if (d.class_id == 64 && attribute >= 2) raise(Trigger::key_changed);
  raise(Trigger::parameter_changed, 0, object);
}

void Events::authentication(bool ok) {
  if (ok) {
    failures_in_row_ = 0;
    raise(Trigger::association_established);
    return;
  }
  ++failures_in_row_;
  raise(Trigger::authentication_failure);
  if (failures_level_ > 0 && failures_in_row_ % failures_level_ == 0) raise(Trigger::authentication_failures);
}

void Events::control_state_changed(std::uint8_t from, std::uint8_t to, cosem::RelayCause cause) {
  using Kind = cosem::RelayCause::Kind;
  const std::uint8_t q = cause.kind == Kind::remote   ? tables::kCauseRemote
                         : cause.kind == Kind::manual ? tables::kCauseManual
                                                      : static_cast<std::uint8_t>(tables::kCauseLocalTrigger +
                                                                                  static_cast<std::uint8_t>(cause.trigger));
  if (from == cosem::kConnected) raise(Trigger::relay_disconnected, q);
  if (to == cosem::kConnected) raise(Trigger::relay_connected, q);
  if (to == cosem::kReadyForReconnection) raise(Trigger::relay_ready, q);
}

bool Events::active(Trigger condition, std::uint8_t phase) const {
  if (!tables::is_condition(condition) || phase > 3) return false;
  const std::uint16_t s = slot_of(condition, phase);
  return (active_[s / 8] >> (s % 8)) & 1u;
}

// ---------------------------------------------------------------------------
// Conditions

// One slot's second: `beyond` (past the level) and `within` (back past the
// restore level) must hold for the level's duration before the condition
// starts or ends.
void Events::evaluate(Trigger t, std::uint8_t phase, bool beyond, bool within) {
  const std::uint16_t s = slot_of(t, phase);
  const bool on = (active_[s / 8] >> (s % 8)) & 1u;
  if (on ? within : beyond) held(t, phase, s, on);
  else held_[s] = 0;
}

// A second on the other side of the slot's level: the condition changes once
// it has held for the level's duration.
void Events::held(Trigger t, std::uint8_t phase, std::uint16_t s, bool on) {
  if (held_[s] < 0xFFFF) ++held_[s];
  if (held_[s] < levels_[index_of(t)].for_s && held_[s] != 0xFFFF) return;
  held_[s] = 0;
  active_[s / 8] = static_cast<std::uint8_t>(active_[s / 8] ^ (1u << (s % 8)));
  occurred(t, phase, on, kNone, now());
  if (!on) disconnect_for(t, phase);
  else if (voltage_back_to_normal(t, phase)) occurred(Trigger::voltage_normal, phase, false, kNone, now());
}

// "Voltage normal" (HXF300 §13): an under, over or missing voltage of the
// phase ended and none of the three is left.
bool Events::voltage_back_to_normal(Trigger ended, std::uint8_t phase) const {
  const Trigger abnormal[] = {Trigger::under_voltage, Trigger::over_voltage, Trigger::phase_loss};
  bool was_abnormal = false;
  for (Trigger t : abnormal) {
    if (t == ended) was_abnormal = true;
    else if (active(t, phase)) return false;
  }
  return was_abnormal;
}

namespace {

// The disconnect control's local trigger of a condition (false: none).
bool local_trigger_of(Trigger t, tables::LocalTrigger& out) {
  using L = tables::LocalTrigger;
  switch (t) {
    case Trigger::over_power: out = L::over_power; return true;
    case Trigger::over_current: out = L::over_current; return true;
    case Trigger::over_voltage: out = L::over_voltage; return true;
    case Trigger::high_voltage: out = L::high_voltage; return true;
    case Trigger::under_voltage: out = L::under_voltage; return true;
    case Trigger::reverse_current: out = L::current_reversal; return true;
    case Trigger::current_unbalance: out = L::current_unbalance; return true;
    case Trigger::cover_open: out = L::cover_open; return true;
    case Trigger::terminal_cover_open: out = L::terminal_cover_open; return true;
    case Trigger::module_removed: out = L::module_removed; return true;
    case Trigger::magnetic_field: out = L::magnetic_field; return true;
    case Trigger::reverse_sequence: out = L::phase_sequence_reversal; return true;
    case Trigger::phase_loss: out = L::voltage_missing; return true;
    case Trigger::current_without_voltage: out = L::current_without_voltage; return true;
    case Trigger::over_temperature: out = L::over_temperature; return true;
    default: return false;
  }
}

// Covers, module and magnet are also the generic `tamper` trigger.
bool is_tamper(Trigger t) {
  return t == Trigger::cover_open || t == Trigger::terminal_cover_open || t == Trigger::module_removed ||
         t == Trigger::magnetic_field || t == Trigger::bypass;
}

}  // namespace

// A condition that started opens the relay where the disconnect control lists
// its local trigger and, with a tamper filter object, the filter's bit for it
// (and its phase) is set. Reconnection is left to a command or the button.
void Events::disconnect_for(Trigger t, std::uint8_t phase) {
  const tables::DisconnectDef* d = model_.disconnect;
  tables::LocalTrigger lt{};
  if (d == nullptr) return;
  const bool specific = local_trigger_of(t, lt) && ((d->local_triggers >> static_cast<unsigned>(lt)) & 1u) != 0;
  if (!specific) {
    lt = tables::LocalTrigger::tamper;
    if (!is_tamper(t) || ((d->local_triggers >> static_cast<unsigned>(lt)) & 1u) == 0) return;
  }
  if (d->tamper_filter_object != kNone) {
    bool enabled = false;
    for (std::uint8_t i = 0; i < d->tamper_bit_count && !enabled; ++i) {
      const tables::TamperBitDef& b = d->tamper_bits[i];
      bool set = false;
      enabled = b.trigger == lt && (b.phase == 0 || b.phase == phase) && bit_of(d->tamper_filter_object, b.bit, set) && set;
    }
    if (!enabled) return;
  }
  objects_.local_disconnect(lt);
}

void Events::metering_second(const metrology::Readings& r, const energy::Ratios& ratios) {
  if (used_ == 0) return;
  for (std::uint8_t p = 1; p <= r.phases && p <= metrology::kMaxPhases; ++p) phase_conditions(r, ratios, p);
  total_conditions(r, ratios);
}

void Events::phase_conditions(const metrology::Readings& r, const energy::Ratios& ratios, std::uint8_t p) {
  const metrology::PhaseReadings& ph = r.phase[p - 1];
  const std::int64_t v = energy::primary_voltage(ph.voltage_uv, ratios);
  const std::int64_t i = energy::primary_current(ph.current_ua, ratios);
  auto below = [&](Trigger t) {
    if (!uses(t)) return;
    const Level& l = level_of(t);
    evaluate(t, p, v < l.level, v >= l.restore);
  };
  auto above = [&](Trigger t, std::int64_t x) {
    if (!uses(t)) return;
    const Level& l = level_of(t);
    evaluate(t, p, x > l.level, x <= l.restore);
  };
  below(Trigger::under_voltage);
  below(Trigger::voltage_sag);
  above(Trigger::over_voltage, v);
  above(Trigger::voltage_swell, v);
  track_excursion(Trigger::voltage_sag, p, v);
  track_excursion(Trigger::voltage_swell, p, v);
  above(Trigger::high_voltage, v);
  above(Trigger::over_current, i);
  above(Trigger::voltage_distortion, ph.thd_voltage_ppm);
  if (uses(Trigger::phase_loss)) {
    if (level_of(Trigger::phase_loss).given) below(Trigger::phase_loss);
    else evaluate(Trigger::phase_loss, p, !ph.voltage_present, ph.voltage_present);
  }
  if (uses(Trigger::current_without_voltage)) {
    const bool flowing = ph.current_ua > static_cast<std::int64_t>(model_.metering.starting_current_ma) * 1000;
    evaluate(Trigger::current_without_voltage, p, !ph.voltage_present && flowing, ph.voltage_present || !flowing);
  }
  if (uses(Trigger::reverse_current)) {
    const std::int64_t exported = ph.creeping ? 0 : -energy::primary_power(ph.active_uw, ratios);
    above(Trigger::reverse_current, exported);
  }
}

// DTSD545 §5.2.9 "event parameter": when a sag or swell ends, its duration
// (from the second its start was logged to the second its end was) and its
// magnitude (the lowest voltage of a sag, the highest of a swell, in the
// seconds it was active) go to the objects bound to pq_duration and
// pq_voltage. One still under way at a power cut restarts at power-up.
void Events::track_excursion(Trigger t, std::uint8_t phase, std::int64_t voltage) {
  if (!uses(t)) return;
  Excursion& e = excursions_[t == Trigger::voltage_sag ? 0 : 1][phase - 1];
  const bool lowest = t == Trigger::voltage_sag;
  if (active(t, phase)) {
    if (!e.running) e = {true, now(), voltage};
    else if (lowest ? voltage < e.extreme : voltage > e.extreme) e.extreme = voltage;
    return;
  }
  if (!e.running) return;
  e.running = false;
  metering::write_bound(objects_, tables::Quantity::pq_duration, now() - e.start_utc_s);
  metering::write_bound(objects_, tables::Quantity::pq_voltage, e.extreme, -6);
}

namespace {

struct Spread {
  std::int64_t min = INT64_MAX, max = 0;
  void add(std::int64_t v) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // (max - min) / max in ppm; 0 when max is 0.
  std::int64_t ppm() const { return max > 0 ? (max - min) * 1'000'000 / max : 0; }
};

struct Unit {
  float cos, sin;
};

// The unit vector at an angle in thousandths of a degree, to about 4e-6: the
// angle is reduced to within 45 degrees of a quadrant, where short Taylor
// series suffice (single precision: the Cortex-M4's FPU).
Unit unit_vector(std::int32_t mdeg) {
  std::int32_t a = mdeg % 360000;
  if (a < 0) a += 360000;
  const std::int32_t quadrant = (a + 45000) / 90000;
  const float r = static_cast<float>(a - quadrant * 90000) * (3.14159265f / 180000.0f);
  const float r2 = r * r;
  const float s = r * (1 - r2 / 6 * (1 - r2 / 20 * (1 - r2 / 42)));
  const float c = 1 - r2 / 2 * (1 - r2 / 12 * (1 - r2 / 30));
  switch (quadrant & 3) {
    case 0: return {c, s};
    case 1: return {-s, c};
    case 2: return {-c, -s};
    default: return {s, -c};
  }
}

// The squared magnitude of the vector sum of one value per phase at the given
// angles, relative to `reference` squared (0 when the reference is 0).
float relative_sum_squared(const std::int64_t* values, const std::int32_t* angles_mdeg, std::uint8_t n,
                           std::int64_t reference) {
  if (reference <= 0) return 0;
  float x = 0, y = 0;
  for (std::uint8_t k = 0; k < n; ++k) {
    const Unit u = unit_vector(angles_mdeg[k]);
    const float v = static_cast<float>(values[k]) / static_cast<float>(reference);
    x += v * u.cos;
    y += v * u.sin;
  }
  return x * x + y * y;
}

// A level in ppm as a squared ratio.
float squared_ratio(std::int64_t ppm) {
  const float r = static_cast<float>(ppm) * 1e-6f;
  return r * r;
}

}  // namespace

void Events::total_conditions(const metrology::Readings& r, const energy::Ratios& ratios) {
  const std::uint8_t n = r.phases <= metrology::kMaxPhases ? r.phases : metrology::kMaxPhases;
  std::int64_t active = 0, apparent = 0, volts[metrology::kMaxPhases]{}, amps[metrology::kMaxPhases]{};
  std::int32_t v_angle[metrology::kMaxPhases]{}, i_angle[metrology::kMaxPhases]{};
  Spread currents, voltages;
  for (std::uint8_t k = 0; k < n; ++k) {
    const metrology::PhaseReadings& ph = r.phase[k];
    active += ph.creeping ? 0 : ph.active_uw;
    apparent += ph.creeping ? 0 : ph.apparent_uva;
    volts[k] = ph.voltage_uv;
    amps[k] = ph.current_ua;
    v_angle[k] = ph.voltage_angle_mdeg;
    i_angle[k] = ph.voltage_angle_mdeg + ph.vi_angle_mdeg;
    currents.add(ph.current_ua);
    voltages.add(ph.voltage_uv);
  }
  auto above = [&](Trigger t, std::int64_t x, bool applies = true) {
    if (!uses(t)) return;
    const Level& l = level_of(t);
    evaluate(t, 0, applies && x > l.level, !applies || x <= l.restore);
  };
  const std::int64_t starting_ua = static_cast<std::int64_t>(model_.metering.starting_current_ma) * 1000;
  above(Trigger::over_power, energy::primary_power(active, ratios));
  above(Trigger::current_unbalance, currents.ppm(), n > 1 && currents.max > starting_ua);
  above(Trigger::voltage_unbalance, voltages.ppm(), n > 1);
  if (uses(Trigger::unexpected_consumption)) {
    // Current the open relay should have cut: a welded or bridged relay.
    const bool open = objects_.control_state() != cosem::kConnected;
    const bool flowing = currents.max > starting_ua;
    evaluate(Trigger::unexpected_consumption, 0, open && flowing, !open || !flowing);
  }
  if (uses(Trigger::low_power_factor)) {
    const Level& l = level_of(Trigger::low_power_factor);
    const bool loaded = apparent > 0 && active > 0;
    const std::int64_t pf = loaded ? active * 1000 / apparent : 1000;
    evaluate(Trigger::low_power_factor, 0, loaded && pf < l.level, !loaded || pf >= l.restore);
  }
  if (uses(Trigger::reverse_sequence)) {
    bool all = n == 3;
    for (std::uint8_t k = 0; k < n; ++k) all = all && r.phase[k].voltage_present;
    evaluate(Trigger::reverse_sequence, 0, all && r.phase_sequence_reversed, !r.phase_sequence_reversed);
  }
  // Ratios compared squared: no square root each second.
  auto above_squared = [&](Trigger t, float ratio2, bool applies) {
    const Level& l = level_of(t);
    evaluate(t, 0, applies && ratio2 > squared_ratio(l.level), !applies || ratio2 <= squared_ratio(l.restore));
  };
  if (uses(Trigger::missing_neutral) && n == 3) {
    const std::int64_t mean = (volts[0] + volts[1] + volts[2]) / 3;
    above_squared(Trigger::missing_neutral, relative_sum_squared(volts, v_angle, n, mean), mean > 0);
  }
  if (uses(Trigger::bypass) && model_.metering.neutral_current) {
    // The phases' current (the magnitude a of their vector sum) against the
    // neutral's (b), both relative to the largest current: |a - b| > level,
    // i.e. a^2 > (b + level)^2 or a^2 < (b - level)^2, compared squared.
    const std::int64_t largest = currents.max > r.neutral_current_ua ? currents.max : r.neutral_current_ua;
    const bool loaded = largest > starting_ua;
    const float a2 = loaded ? relative_sum_squared(amps, i_angle, n, largest) : 0;
    const float b = loaded ? static_cast<float>(r.neutral_current_ua) / static_cast<float>(largest) : 0;
    auto differ = [&](std::int64_t ppm) {
      const float l = static_cast<float>(ppm) * 1e-6f;
      return a2 > (b + l) * (b + l) || (b > l && a2 < (b - l) * (b - l));
    };
    const Level& l = level_of(Trigger::bypass);
    evaluate(Trigger::bypass, 0, loaded && differ(l.level), !loaded || !differ(l.restore));
  }
}

void Events::tick() {
  tick_utc_ms_ = hal_.utc_ms();
  tick_ms_ = hal_.ticks_ms();
  const std::int64_t t = now();
  if (t == last_input_second_) return;
  last_input_second_ = t;
  const std::uint8_t inputs = hal_.inputs_active();
  for (std::uint8_t k = 0; k < hal::kInputCount; ++k) {
    const auto trigger = static_cast<Trigger>(static_cast<std::uint8_t>(tables::kFirstInputCondition) + k);
    if (!uses(trigger)) continue;
    const bool on = (inputs >> k) & 1u;
    evaluate(trigger, 0, on, !on);
  }
}

// ---------------------------------------------------------------------------
// Logging

void Events::occurred(Trigger t, std::uint8_t qualifier, bool end, std::uint16_t object, std::int64_t at_utc_s) {
  for (std::uint8_t l = 0; l < model_.event_log_count; ++l) {
    const tables::EventLogDef& log = model_.event_logs[l];
    for (std::uint16_t i = 0; i < log.event_count; ++i) {
      const tables::EventDef& e = model_.events[log.first_event + i];
      if (e.trigger != t || e.end != end) continue;
      if (!qualifies(e, qualifier)) continue;
      if (e.object != kNone && e.object != object) continue;
      if (t == Trigger::log_cleared && log.log_object != object) continue;
      if (filter_bit(log, i, 0)) log_event(log, i, at_utc_s);
      bool alarm = false;
      if (!end) {
        set_bit(alarm_descriptor_, e.alarm_bit);  // every alarm, whatever the filter
        alarm = alarm_passes(e.alarm_bit) && set_bit(alarm_register_, e.alarm_bit);
        set_bit(error_register_, e.error_bit);
      }
      if (alarm || filter_bit(log, i, 1)) push();
    }
  }
  if (!end) count(t, qualifier);
}

// An event's qualifier (0: any) matches; kCauseLocal matches every local cause.
bool Events::qualifies(const tables::EventDef& e, std::uint8_t qualifier) {
  if (e.qualifier == 0 || e.qualifier == qualifier) return true;
  return e.qualifier == tables::kCauseLocal && qualifier >= tables::kCauseLocalTrigger &&
         (e.trigger == Trigger::relay_disconnected || e.trigger == Trigger::relay_connected ||
          e.trigger == Trigger::relay_ready);
}

// The filter's log (which 0) or push (which 1) bit, bit 2k + which of the
// k-th event; without a filter object, the table's default.
bool Events::filter_bit(const tables::EventLogDef& log, std::uint16_t index, std::uint8_t which) const {
  const tables::EventDef& e = model_.events[log.first_event + index];
  bool set = (e.flags & (which == 0 ? tables::kEventLogged : tables::kEventPushed)) != 0;
  if (log.filter_object != kNone && !bit_of(log.filter_object, 2u * index + which, set)) return false;
  return set;
}

// Bit `bit` (0 = the first) of a bit-string object's value; false when the
// object holds no such bit.
bool Events::bit_of(std::uint16_t object, std::uint32_t bit, bool& set) const {
  std::uint8_t buf[160];  // a bit-string of up to 1,250 bits: two per event of the longest log
  ByteWriter w(buf, sizeof buf);
  if (objects_.read(object, 2, w) != dlms::DataAccessResult::success || w.overflow()) return false;
  ByteReader r(buf, w.size());
  const bool bit_string = r.u8() == static_cast<std::uint8_t>(tables::DataType::bit_string);
  const std::uint32_t bits = axdr::get_length(r);
  if (!bit_string || r.error() || bit >= bits || bit / 8 >= r.remaining()) return false;
  set = ((r.current()[bit / 8] >> (7 - bit % 8)) & 1u) != 0;
  return true;
}

void Events::log_event(const tables::EventLogDef& log, std::uint16_t index, std::int64_t at_utc_s) {
  objects_.write_integer_value(log.code_object, model_.events[log.first_event + index].code);
  // A log entry written later than its event (a power down logged at power-up)
  // shows the event's time in its clock column.
  cosem::SourceAt source(objects_, at_utc_s);
  if (profiles_.capture(log.profile, &source) == dlms::ActionResult::success) ++logged_;
}

// Alarm register, descriptor and error register bits stay set until a client
// clears them; true when the bit was not set before.
bool Events::set_bit(std::uint16_t object, std::uint8_t bit) {
  std::int64_t bits = 0;
  if (object == kNone || bit == tables::kNoBit || !objects_.read_integer(object, 2, bits)) return false;
  const std::int64_t mask = std::int64_t{1} << bit;
  if ((bits & mask) != 0) return false;
  objects_.write_integer_value(object, bits | mask);
  return true;
}

// The alarm filter (Blue Book: an alarm whose filter bit is 0 is not
// registered, nor pushed); every alarm passes without one.
bool Events::alarm_passes(std::uint8_t bit) {
  std::int64_t filter = 0;
  if (alarm_filter_ == kNone || bit == tables::kNoBit) return true;
  return objects_.read_integer(alarm_filter_, 2, filter) && ((filter >> bit) & 1) != 0;
}

// Events and alarms go out through the model's first push setup (the event push).
void Events::push() {
  if (model_.push_setup_count != 0) pusher_.request(model_.push_setups[0].object);
}

void Events::count(Trigger t, std::uint8_t phase) {
  for (std::uint8_t i = 0; i < model_.event_counter_count; ++i) {
    const tables::EventCounterDef& c = model_.event_counters[i];
    if (c.trigger != t || (c.phase != 0 && c.phase != phase)) continue;
    std::int64_t n = 0;
    if (!objects_.read_integer(c.object, 2, n)) continue;
    objects_.write_integer_value(c.object, n + 1);
  }
}

}  // namespace metergen::events
