// The metering engine (see metering/engine.hpp).
#include <metergen/axdr/axdr.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/metering/register_values.hpp>

namespace metergen::metering {

using tables::kNone;
using tables::Quantity;
using tables::SourceKind;

namespace {

constexpr std::uint8_t kAnglesC = 81;  // OBIS value group C of phase angles
constexpr std::int64_t kFullTurnMdeg = 360000;

std::uint8_t tariffs_of_calendar(const tables::Model& m) { return m.calendar != nullptr ? m.calendar->tariffs : 0; }

bool is_period_kind(SourceKind k) { return k == SourceKind::average || k == SourceKind::maximum || k == SourceKind::minimum; }

}  // namespace

Engine::Engine(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects)
    : model_(model),
      hal_(hal),
      objects_(objects),
      metrology_(model.metering, hal.front_end(), model.phases, hal),
      front_end_(hal.front_end().sample_rate_hz != 0),
      demand_(model, objects),
      ct_num_(tables::find_role(model, tables::Role::ct_numerator)),
      ct_den_(tables::find_role(model, tables::Role::ct_denominator)),
      vt_num_(tables::find_role(model, tables::Role::vt_numerator)),
      vt_den_(tables::find_role(model, tables::Role::vt_denominator)),
      tariff_object_(tables::find_role(model, tables::Role::current_tariff)),
      demand_period_(tables::find_role(model, tables::Role::demand_period)) {
  bind_period_profiles();
}

// Each periodic profile that captures an average, maximum or minimum object
// gets a PeriodValues (kMaxPeriodProfiles at most; objects of further profiles
// keep their boot value).
void Engine::bind_period_profiles() {
  for (std::uint16_t p = 0; p < model_.profile_count && period_count_ < kMaxPeriodProfiles; ++p) {
    const tables::ProfileDef& pr = model_.profiles[p];
    if (pr.capture_period_s == 0) continue;
    for (std::uint16_t c = 0; c < pr.capture_count; ++c) {
      if (!is_period_kind(model_.objects[model_.captures[pr.first_capture + c].object].binding.kind)) continue;
      period_profile_[period_count_++] = p;
      break;
    }
  }
}

void Engine::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  bound_ = registers_.bind(model_);
  registers_.place(at, g);
  demand_.place(at, g);
}

bool Engine::boot() {
  seconds_since_persist_ = 0;
  bool ok = bound_;
  if (!ok) hal_.log("metering: more energy registers than METERGEN_MAX_ENERGY_REGISTERS; the rest are not metered");
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    const std::uint8_t unit = expected_unit(d.binding.kind, d.binding.quantity);
    if (unit != 0 && unit != d.unit) {
      hal_.log("metering: an energy or instantaneous object has the wrong unit and is not written");
      ok = false;
    }
  }
  const std::uint8_t calendar = tariffs_of_calendar(model_);
  tariff_count_ = calendar > registers_.max_tariff() ? calendar : registers_.max_tariff();
  if (tariff_count_ == 0) tariff_count_ = 1;

  std::uint8_t stored = 1;
  registers_.restore(hal_, stored);
  tariff_ = stored >= 1 && stored <= tariff_count_ ? stored : 1;
  read_tariff();  // the object, restored with the object record, wins when valid
  read_ratios();
  write_energy_values();
  read_demand_period();
  // The window goes on from the power-fail save unless the model restarts it at power-up.
  demand_.restore(hal_);
  demand_.recalculate(demand::Reason::power_off, utc_s());
  drive_relay();
  return ok;
}

// The relay follows the disconnect control's output_state restored at boot.
void Engine::drive_relay() {
  if (model_.disconnect == nullptr) return;
  std::uint8_t buf[4];
  ByteWriter w(buf, sizeof buf);
  if (objects_.read(model_.disconnect->object, 2, w) != dlms::DataAccessResult::success || w.overflow()) return;
  ByteReader r(buf, w.size());
  bool connected = true;
  if (axdr::get_bool(r, connected)) hal_.set_relay(connected);
}

void Engine::tick() {
  if (!front_end_) return;
  hal::AdcFrame frames[kFramesPerRead];
  for (std::size_t done = 0; done < kMaxFramesPerTick;) {
    // Never past the end of a second: process() keeps one second's readings per call.
    std::size_t want = kMaxFramesPerTick - done < kFramesPerRead ? kMaxFramesPerTick - done : kFramesPerRead;
    if (metrology_.frames_to_second() < want) want = metrology_.frames_to_second();
    const std::size_t n = hal_.adc_read(frames, want);
    if (n == 0) return;
    metrology_.process(frames, n);
    if (metrology_.second_ready()) on_second(metrology_.readings());
    done += n;
  }
}

void Engine::on_second(const metrology::Readings& r) {
  ++seconds_metered_;
  readings_ = r;
  powers_ = energy::map_quadrants(r, ratios_);
  registers_.add_second(powers_, tariff_);
  demand_.second(powers_, tariff_, utc_s());
  values_stale_ = true;
  if (period_count_ != 0) {
    const std::int32_t total_pf = total_power_factor();
    for (std::uint8_t i = 0; i < period_count_; ++i) periods_[i].add(readings_, powers_, total_pf);
  }
  if (++seconds_since_persist_ >= kPersistEverySeconds) persist();
  if (observer_ != nullptr) observer_->metering_second(r);
}

void Engine::value_set(std::uint16_t object, std::int8_t attribute) {
  if (attribute != 2 || object == kNone) return;
  if (object == demand_period_) read_demand_period();
  if (object == tariff_object_) read_tariff();
  if (object == ct_num_ || object == ct_den_ || object == vt_num_ || object == vt_den_) read_ratios();
}

// The demand period object, restored or set by a client: a period the demand
// engine takes replaces the running one; anything else is overwritten with it.
void Engine::read_demand_period() {
  if (demand_period_ == kNone || !demand_.active()) return;
  const std::uint32_t v = read_unsigned(demand_period_, 0);
  if (!demand_.change_period(v, utc_s())) write_integer(demand_period_, demand_.period_s());
}

void Engine::before_read(std::uint16_t object) {
  if (!values_stale_) return;
  const SourceKind kind = model_.objects[object].binding.kind;
  if (kind != SourceKind::energy && kind != SourceKind::instantaneous) return;
  values_stale_ = false;
  write_energy_values();
  write_instantaneous_values();
}

void Engine::close_period(std::uint16_t profile) {
  for (std::uint8_t i = 0; i < period_count_; ++i) {
    if (period_profile_[i] != profile) continue;
    if (periods_[i].seconds() != 0) write_period_values(profile, periods_[i]);
    periods_[i].clear();
  }
}

// The readings of the last second are swapped for each reduction in turn, so
// the objects are computed exactly as the instantaneous ones are.
void Engine::write_period_values(std::uint16_t profile, const PeriodValues& values) {
  const metrology::Readings last_readings = readings_;
  const energy::SecondPowers last_powers = powers_;
  const tables::ProfileDef& pr = model_.profiles[profile];
  constexpr SourceKind kinds[] = {SourceKind::average, SourceKind::maximum, SourceKind::minimum};
  constexpr PeriodValues::Reduction reductions[] = {PeriodValues::Reduction::average, PeriodValues::Reduction::maximum,
                                                    PeriodValues::Reduction::minimum};
  for (int k = 0; k < 3; ++k) {
    reduced_total_pf_ = values.reduce(reductions[k], readings_, powers_);
    for (std::uint16_t c = 0; c < pr.capture_count; ++c) {
      const std::uint16_t object = model_.captures[pr.first_capture + c].object;
      const tables::ObjectDef& d = model_.objects[object];
      Physical v{};
      if (d.binding.kind != kinds[k] || d.unit != expected_unit(d.binding.kind, d.binding.quantity) ||
          !instantaneous(d, v))
        continue;
      write_integer(object, scale_pow10(v.value, v.exponent - d.scaler));
    }
    readings_ = last_readings;
    powers_ = last_powers;
  }
  reduced_total_pf_ = kNoReducedPf;
}

bool Engine::persist() {
  seconds_since_persist_ = 0;
  const bool energy = registers_.persist(hal_, tariff_);
  return demand_.persist(hal_) && energy;
}

bool Engine::set_tariff(std::uint8_t tariff) {
  if (tariff < 1 || tariff > tariff_count_) return false;
  tariff_ = tariff;
  if (tariff_object_ != kNone) write_integer(tariff_object_, tariff);
  return true;
}

void Engine::relay_changed(bool connected) { hal_.set_relay(connected); }

void Engine::clock_set() { demand_.recalculate(demand::Reason::clock_set, utc_s()); }

void Engine::billing_period_ended() {
  demand_.reset_maximum(utc_s());
  demand_.recalculate(demand::Reason::billing, utc_s());
}

void Engine::demand_next_period(std::uint16_t object) {
  if (demand_.feeds_demand(object)) demand_.next_period(tariff_, utc_s());
}

void Engine::register_reset(std::uint16_t object) {
  if (demand_.feeds_demand(object)) {
    demand_.restart(utc_s());
    return;
  }
  const std::uint16_t i = registers_.find(object);
  if (i == kNone) return;
  registers_.clear(i);
  persist();  // a reset must survive a power cut that comes before the next record
}

// ---------------------------------------------------------------------------
// Inputs from objects

std::uint32_t Engine::read_unsigned(std::uint16_t object, std::uint32_t fallback) {
  std::int64_t v = 0;
  if (object == kNone || !objects_.read_integer(object, 2, v)) return fallback;
  return v >= 0 && v <= 0xFFFFFFFFll ? static_cast<std::uint32_t>(v) : fallback;
}

// A ratio with a zero part (or no objects) is 1/1.
void Engine::read_ratios() {
  ratios_ = {};
  const std::uint32_t ct_num = read_unsigned(ct_num_, 1), ct_den = read_unsigned(ct_den_, 1);
  const std::uint32_t vt_num = read_unsigned(vt_num_, 1), vt_den = read_unsigned(vt_den_, 1);
  if (ct_num != 0 && ct_den != 0) ratios_.ct_num = ct_num, ratios_.ct_den = ct_den;
  if (vt_num != 0 && vt_den != 0) ratios_.vt_num = vt_num, ratios_.vt_den = vt_den;
}

// A client (or the calendar) may have set the object: a valid value becomes
// the tariff, anything else is overwritten with the tariff in use.
void Engine::read_tariff() {
  if (tariff_object_ == kNone) return;
  const std::uint32_t v = read_unsigned(tariff_object_, 0);
  if (v >= 1 && v <= tariff_count_) tariff_ = static_cast<std::uint8_t>(v);
  else write_integer(tariff_object_, tariff_);
}

// ---------------------------------------------------------------------------
// Register values

void Engine::write_integer(std::uint16_t object, std::int64_t raw) {
  const tables::ObjectDef& d = model_.objects[object];
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  if (!put_clamped(w, d.value_type, raw) || w.overflow()) return;
  objects_.write_value(object, ByteReader(buf, w.size()));
}

void Engine::write_energy_values() {
  std::int64_t raw = 0;
  for (std::uint16_t i = 0; i < registers_.count(); ++i)
    if (energy_value(i, raw)) write_integer(registers_.object(i), raw);
}

void Engine::write_instantaneous_values() {
  std::int64_t raw = 0;
  for (std::uint16_t i = 0; i < model_.object_count; ++i)
    if (instantaneous_value(model_.objects[i], raw)) write_integer(i, raw);
}

// Energy register `index` in its object's scaler; false when the unit is not the quantity's.
bool Engine::energy_value(std::uint16_t index, std::int64_t& raw) const {
  const tables::ObjectDef& d = model_.objects[registers_.object(index)];
  if (d.unit != expected_unit(d.binding.kind, d.binding.quantity)) return false;
  raw = registers_.accumulator(index).in_units(d.scaler);
  return true;
}

bool Engine::instantaneous_value(const tables::ObjectDef& d, std::int64_t& raw) const {
  Physical v{};
  if (d.binding.kind != SourceKind::instantaneous || d.unit != expected_unit(d.binding.kind, d.binding.quantity) ||
      !instantaneous(d, v))
    return false;
  raw = scale_pow10(v.value, v.exponent - d.scaler);
  return true;
}

bool Engine::fed_value(std::uint16_t object, std::int64_t& raw) const {
  if (object >= model_.object_count) return false;
  const tables::ObjectDef& d = model_.objects[object];
  if (d.binding.kind == SourceKind::instantaneous) return instantaneous_value(d, raw);
  if (d.binding.kind != SourceKind::energy) return false;
  const std::uint16_t i = registers_.find(object);
  return i != kNone && energy_value(i, raw);
}

bool Engine::current_value(std::uint16_t object, std::int8_t attribute, std::int64_t& raw) const {
  return (attribute == 2 && fed_value(object, raw)) || objects_.read_integer(object, attribute, raw);
}

// The value of an instantaneous-bound object from the last second, primary side.
bool Engine::instantaneous(const tables::ObjectDef& d, Physical& out) const {
  const tables::Binding& b = d.binding;
  if (b.phase > readings_.phases) return false;
  if (energy::is_energy_quantity(b.quantity)) {
    out = {powers_.phase[b.phase][b.quantity], -6};
    return true;
  }
  switch (b.quantity) {
    case Quantity::voltage:
      out = {per_phase(d, [](const metrology::PhaseReadings& p, const energy::Ratios& r) {
               return energy::primary_voltage(p.voltage_uv, r);
             }), -6};
      return true;
    case Quantity::current:
      out = {per_phase(d, [](const metrology::PhaseReadings& p, const energy::Ratios& r) {
               return energy::primary_current(p.current_ua, r);
             }), -6};
      return true;
    case Quantity::neutral_current: out = {energy::primary_current(readings_.neutral_current_ua, ratios_), -6}; return true;
    case Quantity::power_factor:
      out = {b.phase == 0 ? total_power_factor() : readings_.phase[b.phase - 1].power_factor_milli, -3};
      return true;
    case Quantity::frequency: out = {readings_.frequency_mhz, -3}; return true;
    case Quantity::thd_voltage:
      out = {per_phase(d, [](const metrology::PhaseReadings& p, const energy::Ratios&) -> std::int64_t {
               return p.thd_voltage_ppm;
             }), -4};  // ppm = 10^-4 %
      return true;
    case Quantity::thd_current:
      out = {per_phase(d, [](const metrology::PhaseReadings& p, const energy::Ratios&) -> std::int64_t {
               return p.thd_current_ppm;
             }), -4};
      return true;
    case Quantity::voltage_angle:
    case Quantity::current_angle: out.exponent = -3; return phase_angle(d, out.value);
    default: return false;
  }
}

// Phase 1..3 reads that phase; phase 0 ("any phase", OBIS C = 11, 12) the highest.
std::int64_t Engine::per_phase(const tables::ObjectDef& d,
                               std::int64_t (*of)(const metrology::PhaseReadings&, const energy::Ratios&)) const {
  if (d.binding.phase != 0) return of(readings_.phase[d.binding.phase - 1], ratios_);
  std::int64_t highest = 0;
  for (int i = 0; i < readings_.phases && i < metrology::kMaxPhases; ++i) {
    const std::int64_t v = of(readings_.phase[i], ratios_);
    if (v > highest) highest = v;
  }
  return highest;
}

// Sum of phases: P / S with S the arithmetic sum of the phases' apparent powers
// (the one phase 0 carries); 1 when there is no load.
std::int32_t Engine::total_power_factor() const {
  if (reduced_total_pf_ != kNoReducedPf) return reduced_total_pf_;
  std::int64_t p = powers_.phase[0][Quantity::active_net];
  std::int64_t s = powers_.phase[0][Quantity::apparent_import] + powers_.phase[0][Quantity::apparent_export];
  if (s <= 0) return 1000;
  while (s > 0xFFFFFFFFll) s >>= 1, p >>= 1;  // keep the divisor in 32 bits; relative error < 2^-31
  const std::int64_t pf = energy::mul_ratio(p, 1000, static_cast<std::uint32_t>(s));
  return static_cast<std::int32_t>(pf > 1000 ? 1000 : pf < -1000 ? -1000 : pf);
}

// OBIS C = 81, E = 10 * a + b: the angle of quantity b relative to quantity a,
// where 0..2 are U(L1..L3) and 4..6 are I(L1..L3) (IEC 62056-6-1 angle table;
// e.g. 81.7.1 = U(L2) relative to U(L1), 81.7.40 = U(L1) relative to I(L1)).
// 0..359.999 degrees, positive counter-clockwise as metrology reports angles.
bool Engine::phase_angle(const tables::ObjectDef& d, std::int64_t& mdeg) const {
  if (d.ln.b[2] != kAnglesC) return false;
  const int e = d.ln.b[4];
  std::int64_t angle[2];
  const int which[2] = {e / 10, e % 10};
  for (int k = 0; k < 2; ++k) {
    const int index = which[k] >= 4 ? which[k] - 4 : which[k];
    if (which[k] > 6 || which[k] == 3 || index >= readings_.phases) return false;
    const metrology::PhaseReadings& p = readings_.phase[index];
    angle[k] = p.voltage_angle_mdeg + (which[k] >= 4 ? p.vi_angle_mdeg : 0);
  }
  mdeg = ((angle[1] - angle[0]) % kFullTurnMdeg + kFullTurnMdeg) % kFullTurnMdeg;
  return true;
}

}  // namespace metergen::metering
