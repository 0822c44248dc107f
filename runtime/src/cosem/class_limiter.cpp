// Limiter (class_id 71) from its LimiterDef: 2 monitored_value, 3
// threshold_active, 4 threshold_normal, 5 threshold_emergency, 6/7 minimum
// over/under threshold durations, 8 emergency_profile, 9 group id list, 10
// emergency_profile_active, 11 actions. Attributes 2 and 4..9 and 11 are
// settable (4 and 5 with the monitored value's exact type), start from the spec
// and persist with the objects record; 3 and 10 are derived. No methods.
//
// monitored_value (2) names attribute 2 of a Data, Register, Extended register
// or Demand register of the model whose value has the thresholds' type (so the
// thresholds keep their meaning). actions (11) name scripts of script tables
// the runtime carries out (script_count), or no script (0.0.0.0.0.0,
// selector 0); they start with no script. A logical name the model lacks
// answers object-undefined, one of another class object-class-inconsistent,
// any other value the limiter cannot use other-reason, a wrong shape
// type-unmatched.
//
// The emergency profile is active while its id is one of the group id list's
// and the clock is within [activation time, activation time + duration) — a
// time without a deviation is local time (as the Blue Book reads 0x8000);
// threshold_active is then the emergency threshold, else the normal one. The
// load-control engine asks each clock second (Objects::update_limiter_emergency).
//
// State (big-endian): threshold_normal | threshold_emergency (value_size each)
// | min_over_s (4) | min_under_s (4) | profile id (2) | activation time (12, as
// on the wire) | duration_s (4) | group id count (1) | kGroupIds ids (2 each) |
// emergency_profile_active (1) | monitored_value (15, as on the wire) | actions
// (30, as on the wire) | the load-control engine's kLimiterEngineBytes
// (Objects::limiter_engine_state; their layout is load_control's).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr std::uint32_t kGroupIds = 4;  // group ids a limiter keeps; a longer list is refused
constexpr std::uint32_t kDateTimeBytes = 12;

// Offsets into a limiter's state after its two thresholds.
constexpr std::uint32_t kMinOver = 0;
constexpr std::uint32_t kMinUnder = kMinOver + 4;
constexpr std::uint32_t kProfileId = kMinUnder + 4;
constexpr std::uint32_t kActivation = kProfileId + 2;
constexpr std::uint32_t kDuration = kActivation + kDateTimeBytes;
constexpr std::uint32_t kGroupCount = kDuration + 4;
constexpr std::uint32_t kGroups = kGroupCount + 1;
constexpr std::uint32_t kActive = kGroups + 2 * kGroupIds;
// 02 03 | 12 class_id | 09 06 logical name | 0F attribute_index
constexpr std::uint32_t kMonitoredBytes = 2 + 3 + 8 + 2;
constexpr std::uint32_t kMonitored = kActive + 1;
// 02 02 | two script references 02 02 | 09 06 logical name | 12 selector
constexpr std::uint32_t kScriptRefBytes = 2 + 8 + 3;
constexpr std::uint32_t kActionsBytes = 2 + 2 * kScriptRefBytes;
constexpr std::uint32_t kActions = kMonitored + kMonitoredBytes;
constexpr std::uint32_t kSettingsBytes = kActions + kActionsBytes;

const tables::LimiterDef* limiter_of(const tables::Model& m, std::uint16_t index) {
  for (std::uint8_t i = 0; i < m.limiter_count; ++i)
    if (m.limiters[i].object == index) return &m.limiters[i];
  return nullptr;
}

// The settings after the two thresholds.
std::uint8_t* settings(std::uint8_t* state, std::uint16_t value_size) { return state + 2u * value_size; }

std::uint32_t be32_at(const std::uint8_t* p) { return ByteReader(p, 4).be32(); }
void put_be32_at(std::uint8_t* p, std::uint32_t v) { ByteWriter(p, 4).be32(v); }

void put_no_action(ByteWriter& out) {
  axdr::put_structure(out, 2);
  axdr::put_logical_name(out, tables::LogicalName{});
  axdr::put_long_unsigned(out, 0);
}

void put_monitored(ByteWriter& out, std::uint16_t class_id, const tables::LogicalName& ln) {
  axdr::put_structure(out, 3);
  axdr::put_long_unsigned(out, class_id);
  axdr::put_logical_name(out, ln);
  axdr::put_integer(out, 2);
}

// The object a logical name of the model names, checked against `class_id`.
DataAccessResult find_named(const tables::Model& m, const tables::LogicalName& ln, std::uint16_t class_id,
                            std::uint16_t& object) {
  object = tables::find_object(m, ln);
  if (object == tables::kNone) return DataAccessResult::object_undefined;
  return m.objects[object].class_id == class_id ? DataAccessResult::success
                                                : DataAccessResult::object_class_inconsistent;
}

// monitored_value: attribute 2 of a value object whose type is the thresholds'.
DataAccessResult set_monitored(const ClassContext& c, std::uint8_t* set, ByteReader value) {
  std::uint32_t fields = 0;
  std::uint16_t class_id = 0, object = 0;
  tables::LogicalName ln{};
  std::int8_t attribute = 0;
  const ByteReader whole = value;
  if (value.remaining() != kMonitoredBytes || !axdr::get_structure(value, fields) || fields != 3 ||
      !axdr::get_u16(value, class_id) || !axdr::get_logical_name(value, ln) || !axdr::get_i8(value, attribute))
    return DataAccessResult::type_unmatched;
  const DataAccessResult named = find_named(c.model, ln, class_id, object);
  if (named != DataAccessResult::success) return named;
  const bool value_class = class_id == 1 || class_id == 3 || class_id == 4 || class_id == 5;
  if (!value_class || attribute != 2 || c.model.objects[object].value_type != c.def.value_type)
    return DataAccessResult::other_reason;
  copy_bytes(set + kMonitored, whole.current(), kMonitoredBytes);
  return DataAccessResult::success;
}

// One script reference of actions: a script the runtime carries out, or none.
DataAccessResult check_script_ref(const tables::Model& m, ByteReader& value) {
  std::uint32_t fields = 0;
  std::uint16_t selector = 0, table = 0;
  tables::LogicalName ln{};
  if (!axdr::get_structure(value, fields) || fields != 2 || !axdr::get_logical_name(value, ln) ||
      !axdr::get_u16(value, selector))
    return DataAccessResult::type_unmatched;
  if (ln == tables::LogicalName{} && selector == 0) return DataAccessResult::success;
  const DataAccessResult named = find_named(m, ln, 9, table);
  if (named != DataAccessResult::success) return named;
  return selector >= 1 && selector <= script_count(m, table) ? DataAccessResult::success
                                                              : DataAccessResult::other_reason;
}

// actions: structure {action_over_threshold, action_under_threshold}.
DataAccessResult set_actions(const tables::Model& m, std::uint8_t* set, ByteReader value) {
  std::uint32_t fields = 0;
  const ByteReader whole = value;
  if (value.remaining() != kActionsBytes || !axdr::get_structure(value, fields) || fields != 2)
    return DataAccessResult::type_unmatched;
  DataAccessResult worst = DataAccessResult::success;
  for (int k = 0; k < 2; ++k) {
    const DataAccessResult r = check_script_ref(m, value);
    if (r == DataAccessResult::type_unmatched) return r;
    if (worst == DataAccessResult::success) worst = r;
  }
  if (worst == DataAccessResult::success) copy_bytes(set + kActions, whole.current(), kActionsBytes);
  return worst;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const tables::LimiterDef* l = limiter_of(c.model, c.index);
  std::uint8_t* s = c.state();
  if (sel != nullptr || l == nullptr || s == nullptr) return DataAccessResult::object_unavailable;
  const std::uint16_t size = c.def.value_size;
  const std::uint8_t* set = settings(s, size);
  switch (attribute) {
    case 2: out.bytes(set + kMonitored, kMonitoredBytes); break;
    case 3: out.bytes(set[kActive] != 0 ? s + size : s, size); break;
    case 4: out.bytes(s, size); break;
    case 5: out.bytes(s + size, size); break;
    case 6: axdr::put_double_long_unsigned(out, be32_at(set + kMinOver)); break;
    case 7: axdr::put_double_long_unsigned(out, be32_at(set + kMinUnder)); break;
    case 8:
      axdr::put_structure(out, 3);
      axdr::put_long_unsigned(out, ByteReader(set + kProfileId, 2).be16());
      axdr::put_octet_string(out, set + kActivation, kDateTimeBytes);
      axdr::put_double_long_unsigned(out, be32_at(set + kDuration));
      break;
    case 9:
      axdr::put_array(out, set[kGroupCount]);
      for (std::uint32_t i = 0; i < set[kGroupCount]; ++i)
        axdr::put_long_unsigned(out, ByteReader(set + kGroups + 2 * i, 2).be16());
      break;
    case 10: axdr::put_boolean(out, set[kActive] != 0); break;
    case 11: out.bytes(set + kActions, kActionsBytes); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

// emergency_profile: structure {long-unsigned, octet-string(12), double-long-unsigned}.
DataAccessResult set_emergency_profile(std::uint8_t* set, ByteReader value) {
  std::uint32_t fields = 0, duration = 0;
  std::uint16_t id = 0;
  const std::uint8_t* time = nullptr;
  std::size_t time_size = 0;
  if (!axdr::get_structure(value, fields) || fields != 3 || !axdr::get_u16(value, id) ||
      !axdr::get_octet_string_view(value, time, time_size) || time_size != kDateTimeBytes ||
      !axdr::get_u32(value, duration) || !value.empty())
    return DataAccessResult::type_unmatched;
  ByteWriter(set + kProfileId, 2).be16(id);
  copy_bytes(set + kActivation, time, kDateTimeBytes);
  put_be32_at(set + kDuration, duration);
  return DataAccessResult::success;
}

// emergency_profile_group_id_list: array of long-unsigned, at most kGroupIds.
DataAccessResult set_group_ids(std::uint8_t* set, ByteReader value) {
  std::uint32_t n = 0;
  if (!axdr::get_array(value, n)) return DataAccessResult::type_unmatched;
  if (n > kGroupIds) return DataAccessResult::other_reason;
  std::uint16_t ids[kGroupIds] = {};
  for (std::uint32_t i = 0; i < n; ++i)
    if (!axdr::get_u16(value, ids[i])) return DataAccessResult::type_unmatched;
  if (!value.empty()) return DataAccessResult::type_unmatched;
  set[kGroupCount] = static_cast<std::uint8_t>(n);
  for (std::uint32_t i = 0; i < kGroupIds; ++i) ByteWriter(set + kGroups + 2 * i, 2).be16(ids[i]);
  return DataAccessResult::success;
}

DataAccessResult set_duration(std::uint8_t* at, ByteReader value) {
  std::uint32_t v = 0;
  if (!axdr::get_u32(value, v) || !value.empty()) return DataAccessResult::type_unmatched;
  put_be32_at(at, v);
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || attribute < 2 || attribute > 11 || s == nullptr) return DataAccessResult::object_unavailable;
  const std::uint16_t size = c.def.value_size;
  std::uint8_t* set = settings(s, size);
  switch (attribute) {
    case 2: return set_monitored(c, set, value);
    case 4: return set_value(s, c.def.value_type, size, value);
    case 5: return set_value(s + size, c.def.value_type, size, value);
    case 6: return set_duration(set + kMinOver, value);
    case 7: return set_duration(set + kMinUnder, value);
    case 8: return set_emergency_profile(set, value);
    case 9: return set_group_ids(set, value);
    case 11: return set_actions(c.model, set, value);
    default: return DataAccessResult::read_write_denied;
  }
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

std::uint32_t state_bytes(std::uint16_t value_size) { return 2u * value_size + kSettingsBytes + kLimiterEngineBytes; }

// The spec's monitored value, thresholds and durations; no emergency profile
// (id 0, an unspecified time, no duration), no group ids and no scripts.
void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const tables::ObjectDef& d = m.objects[index];
  put_default_value(m, d, s);
  const tables::LimiterDef* l = limiter_of(m, index);
  if (l == nullptr) return;
  ByteWriter normal(s, d.value_size);
  put_integer_value(normal, d.value_type, l->threshold_normal);
  ByteWriter emergency(s + d.value_size, d.value_size);
  put_integer_value(emergency, d.value_type, l->threshold_emergency);
  std::uint8_t* set = settings(s, d.value_size);
  put_be32_at(set + kMinOver, l->min_over_s);
  put_be32_at(set + kMinUnder, l->min_under_s);
  static constexpr std::uint8_t kUnspecified[kDateTimeBytes] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                                0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF};
  copy_bytes(set + kActivation, kUnspecified, kDateTimeBytes);
  ByteWriter monitored(set + kMonitored, kMonitoredBytes);
  const bool known = l->monitored < m.object_count;
  put_monitored(monitored, known ? m.objects[l->monitored].class_id : 0,
                known ? m.objects[l->monitored].ln : tables::LogicalName{});
  ByteWriter actions(set + kActions, kActionsBytes);
  axdr::put_structure(actions, 2);
  put_no_action(actions);
  put_no_action(actions);
}

// The object a held script reference names (kNone: no script).
void held_script(const tables::Model& m, const std::uint8_t* ref, std::uint16_t& table, std::uint16_t& selector) {
  ByteReader r(ref, kScriptRefBytes);
  std::uint32_t fields = 0;
  tables::LogicalName ln{};
  table = tables::kNone;
  if (axdr::get_structure(r, fields) && axdr::get_logical_name(r, ln) && axdr::get_u16(r, selector) && selector != 0)
    table = tables::find_object(m, ln);
}

}  // namespace

std::uint8_t* Objects::limiter_engine_state(std::uint16_t object) {
  if (object >= model_.object_count) return nullptr;
  const tables::ObjectDef& d = model_.objects[object];
  if (d.class_id != 71 || d.state_offset == tables::kNoState) return nullptr;
  return model_.state + d.state_offset + 2u * d.value_size + kSettingsBytes;
}

bool Objects::update_limiter_emergency(std::uint16_t object, std::int64_t utc_s) {
  std::uint8_t* engine = limiter_engine_state(object);
  if (engine == nullptr) return false;
  std::uint8_t* set = engine - kSettingsBytes;
  bool listed = false;
  const std::uint16_t id = ByteReader(set + kProfileId, 2).be16();
  for (std::uint32_t i = 0; i < set[kGroupCount] && i < kGroupIds; ++i)
    listed |= ByteReader(set + kGroups + 2 * i, 2).be16() == id;
  axdr::DateTime at{};
  ByteReader time(set + kActivation, kDateTimeBytes);
  std::int64_t start = 0, now = utc_s;
  bool active = false;
  if (listed && axdr::get_date_time_raw(time, at)) {
    if (at.deviation == axdr::kDeviationNotSpecified) {
      // Local time: both instants counted in local fields.
      at.deviation = 0;
      axdr::DateTime local = local_time(utc_s);
      local.deviation = 0;
      axdr::to_utc_seconds(local, now);
    }
    active = axdr::to_utc_seconds(at, start) && now >= start && now - start < be32_at(set + kDuration);
  }
  if (active == (set[kActive] != 0)) return false;
  set[kActive] = active ? 1 : 0;
  return true;
}

bool Objects::limiter_settings(std::uint16_t object, LimiterSettings& out) {
  std::uint8_t* engine = limiter_engine_state(object);
  if (engine == nullptr) return false;
  const std::uint8_t* set = engine - kSettingsBytes;
  ByteReader monitored(set + kMonitored, kMonitoredBytes);
  std::uint32_t fields = 0;
  std::uint16_t class_id = 0;
  tables::LogicalName ln{};
  out.monitored = tables::kNone;
  if (axdr::get_structure(monitored, fields) && axdr::get_u16(monitored, class_id) &&
      axdr::get_logical_name(monitored, ln) && axdr::get_i8(monitored, out.attribute))
    out.monitored = tables::find_object(model_, ln);
  const std::uint8_t* actions = set + kActions + 2;
  held_script(model_, actions, out.over_table, out.over_selector);
  held_script(model_, actions + kScriptRefBytes, out.under_table, out.under_selector);
  return true;
}

const ClassHandler kLimiterClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                 .default_state = default_state, .engine_value = true};

}  // namespace metergen::cosem
