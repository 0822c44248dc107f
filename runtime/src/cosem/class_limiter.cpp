// Limiter (class_id 71) from its LimiterDef: 2 monitored_value, 3
// threshold_active, 4 threshold_normal, 5 threshold_emergency, 6/7 minimum
// over/under threshold durations, 8 emergency_profile, 9 group id list, 10
// emergency_profile_active, 11 actions. State: threshold_normal (the object's
// value, writable with its exact type) | emergency_profile_active | the
// load-control engine's 8 bytes (Objects::limiter_engine_state; their layout
// is load_control's). threshold_active is the emergency threshold while the
// emergency profile is active, else the normal one. Attributes 6 and 7 are the
// spec's durations, the ones the engine times (not settable). No methods.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

const tables::LimiterDef* limiter_of(const ClassContext& c) {
  for (std::uint8_t i = 0; i < c.model.limiter_count; ++i)
    if (c.model.limiters[i].object == c.index) return &c.model.limiters[i];
  return nullptr;
}

void put_no_action(ByteWriter& out) {
  static constexpr tables::LogicalName kNoScript{{0, 0, 0, 0, 0, 0}};
  axdr::put_structure(out, 2);
  axdr::put_logical_name(out, kNoScript);
  axdr::put_long_unsigned(out, 0);
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const tables::LimiterDef* l = limiter_of(c);
  const std::uint8_t* s = c.state();
  if (sel != nullptr || l == nullptr || s == nullptr) return DataAccessResult::object_unavailable;
  const bool emergency = s[c.def.value_size] != 0;
  switch (attribute) {
    case 2: {
      const bool known = l->monitored < c.model.object_count;
      static constexpr tables::LogicalName kNoObject{{0, 0, 0, 0, 0, 0}};
      axdr::put_structure(out, 3);
      axdr::put_long_unsigned(out, known ? c.model.objects[l->monitored].class_id : 0);
      axdr::put_logical_name(out, known ? c.model.objects[l->monitored].ln : kNoObject);
      axdr::put_integer(out, 2);
      break;
    }
    case 3:
      if (!emergency) {
        out.bytes(s, c.def.value_size);
        break;
      }
      [[fallthrough]];
    case 5:
      if (!put_integer_value(out, c.def.value_type, l->threshold_emergency)) return DataAccessResult::object_unavailable;
      break;
    case 4: out.bytes(s, c.def.value_size); break;
    case 6: axdr::put_double_long_unsigned(out, l->min_over_s); break;
    case 7: axdr::put_double_long_unsigned(out, l->min_under_s); break;
    case 8: {
      static constexpr std::uint8_t kUnspecified[12] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                         0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF};
      axdr::put_structure(out, 3);
      axdr::put_long_unsigned(out, 0);
      axdr::put_octet_string(out, kUnspecified, sizeof kUnspecified);
      axdr::put_double_long_unsigned(out, 0);
      break;
    }
    case 9: axdr::put_array(out, 0); break;
    case 10: axdr::put_boolean(out, emergency); break;
    case 11:
      axdr::put_structure(out, 2);
      put_no_action(out);
      put_no_action(out);
      break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (sel != nullptr || attribute < 2 || attribute > 11) return DataAccessResult::object_unavailable;
  if (attribute != 4) return DataAccessResult::read_write_denied;
  return set_value(c.state(), c.def.value_type, c.def.value_size, value);
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

// State: value (threshold_normal) | emergency_profile_active | engine state.
std::uint32_t state_bytes(std::uint16_t value_size) { return value_size + 1u + kLimiterEngineBytes; }

// threshold_normal from the LimiterDef.
void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const tables::ObjectDef& d = m.objects[index];
  put_default_value(m, d, s);
  for (std::uint8_t i = 0; i < m.limiter_count; ++i) {
    ByteWriter w(s, d.value_size);
    if (m.limiters[i].object == index) put_integer_value(w, d.value_type, m.limiters[i].threshold_normal);
  }
}

}  // namespace

std::uint8_t* Objects::limiter_engine_state(std::uint16_t object) {
  if (object >= model_.object_count) return nullptr;
  const tables::ObjectDef& d = model_.objects[object];
  if (d.class_id != 71 || d.state_offset == tables::kNoState) return nullptr;
  return model_.state + d.state_offset + d.value_size + 1u;
}

const ClassHandler kLimiterClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                 .default_state = default_state, .engine_value = true};

}  // namespace metergen::cosem
