// Register monitor (class_id 21, version 0) from its RegisterMonitorDef: 2
// thresholds (an array of the monitored attribute's type; a client may set
// new values of the same type and count), 3 monitored_value {class_id,
// logical_name, attribute_index}, 4 actions, per threshold {action_up,
// action_down}, each a script reference {script_logical_name,
// script_selector} (all zeros: no action). Attributes 3 and 4 are the spec's
// (a SET answers read-write-denied). No methods.
//
// State: the thresholds as encoded (the object's value) | one byte whose bit n
// says the monitored value was above threshold n when the register-monitor
// engine last looked (Objects::register_monitor_above; kept with the objects
// record, so a crossing during a power cut is acted on at power-up).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr tables::LogicalName kNoObject{{0, 0, 0, 0, 0, 0}};
constexpr std::uint32_t kArrayHeader = 2;  // 01 count (at most kMaxMonitorThresholds)

const tables::RegisterMonitorDef* monitor_of(const ClassContext& c) {
  for (std::uint8_t i = 0; i < c.model.register_monitor_count; ++i)
    if (c.model.register_monitors[i].object == c.index) return &c.model.register_monitors[i];
  return nullptr;
}

void put_script_ref(const tables::Model& m, ByteWriter& out, const tables::ScriptRefDef& ref) {
  const bool known = ref.table < m.object_count;
  axdr::put_structure(out, 2);
  axdr::put_logical_name(out, known ? m.objects[ref.table].ln : kNoObject);
  axdr::put_long_unsigned(out, known ? ref.selector : 0);
}

// Same length, same count and the same element tags: a fixed-size integer
// array of the monitored type, so each element's tag is at a fixed offset.
bool same_shape(const std::uint8_t* now, ByteReader value, std::uint16_t size, std::uint8_t count) {
  if (value.remaining() != size || count == 0) return false;
  const std::uint8_t* v = value.current();
  const std::uint32_t element = (size - kArrayHeader) / count;
  if (!equal_bytes(v, now, kArrayHeader)) return false;
  for (std::uint32_t k = 0; k < count; ++k)
    if (v[kArrayHeader + k * element] != now[kArrayHeader + k * element]) return false;
  return true;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const tables::RegisterMonitorDef* r = monitor_of(c);
  const std::uint8_t* s = c.state();
  if (sel != nullptr || r == nullptr || s == nullptr) return DataAccessResult::object_unavailable;
  switch (attribute) {
    case 2: out.bytes(s, c.def.value_size); break;
    case 3: {
      const bool known = r->monitored < c.model.object_count;
      axdr::put_structure(out, 3);
      axdr::put_long_unsigned(out, known ? c.model.objects[r->monitored].class_id : 0);
      axdr::put_logical_name(out, known ? c.model.objects[r->monitored].ln : kNoObject);
      axdr::put_integer(out, r->attribute);
      break;
    }
    case 4:
      axdr::put_array(out, r->threshold_count);
      for (std::uint8_t k = 0; k < r->threshold_count; ++k) {
        const tables::MonitorActionDef& a = c.model.monitor_actions[r->first_action + k];
        axdr::put_structure(out, 2);
        put_script_ref(c.model, out, a.up);
        put_script_ref(c.model, out, a.down);
      }
      break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  const tables::RegisterMonitorDef* r = monitor_of(c);
  std::uint8_t* s = c.state();
  if (sel != nullptr || r == nullptr || s == nullptr || attribute < 2 || attribute > 4)
    return DataAccessResult::object_unavailable;
  if (attribute != 2) return DataAccessResult::read_write_denied;
  if (!same_shape(s, value, c.def.value_size, r->threshold_count)) return DataAccessResult::type_unmatched;
  copy_bytes(s, value.current(), c.def.value_size);
  return DataAccessResult::success;
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

// State: thresholds | above bits.
std::uint32_t state_bytes(std::uint16_t value_size) { return value_size + 1u; }

}  // namespace

std::uint8_t* Objects::register_monitor_above(std::uint16_t object) {
  if (object >= model_.object_count) return nullptr;
  const tables::ObjectDef& d = model_.objects[object];
  if (d.class_id != 21 || d.state_offset == tables::kNoState) return nullptr;
  return model_.state + d.state_offset + d.value_size;
}

const ClassHandler kRegisterMonitorClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                         .default_state = default_value_state};

}  // namespace metergen::cosem
