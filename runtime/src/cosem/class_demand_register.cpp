// Demand register (class_id 5): 2 current_average_value, 3 last_average_value,
// 4 scaler_unit, 5 status, 6 capture_time, 7 start_time_current, 8 period,
// 9 number_of_periods; methods 1 reset, 2 next_period. State: current | last |
// status (unsigned) | capture_time (date-time) | start_time_current (date-time).
// The energy engine feeds current_average through Objects::write_value.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

struct DemandState {
  std::uint8_t* current;
  std::uint8_t* last;
  std::uint8_t* status;        // 11 xx
  std::uint8_t* capture_time;  // 19 + 12
  std::uint8_t* start_time;    // 19 + 12
};

DemandState layout(const ClassContext& c) {
  std::uint8_t* s = c.state();
  const std::uint16_t n = c.def.value_size;
  return {s, s + n, s + 2 * n, s + 2 * n + 2, s + 2 * n + 15};
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (sel != nullptr || c.state() == nullptr) return DataAccessResult::object_unavailable;
  const DemandState d = layout(c);
  const tables::DemandDef* def = c.model.demand;
  switch (attribute) {
    case 2: out.bytes(d.current, c.def.value_size); break;
    case 3: out.bytes(d.last, c.def.value_size); break;
    case 4: put_scaler_unit(out, c.def.scaler, c.def.unit); break;
    case 5: out.bytes(d.status, 2); break;
    case 6: axdr::put_octet_string(out, d.capture_time + 1, 12); break;
    case 7: axdr::put_octet_string(out, d.start_time + 1, 12); break;
    case 8: {
      // The period in force: the demand period object's (a client may set it), else the table's.
      const std::uint16_t period = tables::find_role(c.model, tables::Role::demand_period);
      if (period != tables::kNone) return c.objects.read(period, 2, out);
      axdr::put_double_long_unsigned(out, def != nullptr ? def->period_s : 0);
      break;
    }
    case 9: axdr::put_long_unsigned(out, def != nullptr ? def->number_of_periods : 1); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  // Period and number of periods come from the spec; values from the energy engine.
  return attribute >= 2 && attribute <= 9 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

// Starts a new period at the current time: capture_time = start_time_current = now.
void stamp_period(const ClassContext& c, const DemandState& d) {
  const axdr::DateTime now = local_now(c.hal, c.clock);
  ByteWriter capture(d.capture_time, 13);
  axdr::put_date_time(capture, now);
  copy_bytes(d.start_time, d.capture_time, 13);
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  if (c.state() == nullptr || (method != 1 && method != 2)) return ActionResult::object_unavailable;
  if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
  const DemandState d = layout(c);
  if (method == 1) {
    put_zero_value(d.last, c.def.value_type, c.def.value_size);
    d.status[1] = 0;
    reset_register(c, params);
  } else {
    copy_bytes(d.last, d.current, c.def.value_size);
    put_zero_value(d.current, c.def.value_type, c.def.value_size);
  }
  stamp_period(c, d);
  if (method == 2) c.hooks.demand_next_period(c.index);
  return ActionResult::success;
}

// State: current_average | last_average | status (2) | capture_time (13) | start_time_current (13).
std::uint32_t state_bytes(std::uint16_t value_size) { return 2u * value_size + 2u + 13u + 13u; }

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const tables::ObjectDef& d = m.objects[index];
  put_default_value(m, d, s);
  put_zero_value(s + d.value_size, d.value_type, d.value_size);
  put_unset_status_and_times(s + 2 * d.value_size, s + state_bytes(d.value_size));
}

std::int32_t engine_offset(const tables::ObjectDef& d, std::int8_t attribute, bool date_time) {
  const std::int32_t n = d.value_size;
  if ((attribute == 2 || attribute == 3) && !date_time) return (attribute - 2) * n;
  if ((attribute == 6 || attribute == 7) && date_time) return 2 * n + 2 + (attribute - 6) * 13;
  return -1;
}

}  // namespace

const ClassHandler kDemandRegisterClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                        .default_state = default_state, .engine_offset = engine_offset,
                                        .engine_value = true};

}  // namespace metergen::cosem
