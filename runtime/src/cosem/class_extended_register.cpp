// Extended register (class_id 4): 2 value, 3 scaler_unit, 4 status, 5
// capture_time; method 1 reset. State: value | status (unsigned) | capture_time
// (date-time, tag 0x19, shown to clients as octet-string(12)).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr) return DataAccessResult::object_unavailable;
  const std::uint8_t* status = s + c.def.value_size;
  switch (attribute) {
    case 4: out.bytes(status, 2); return DataAccessResult::success;
    case 5: axdr::put_octet_string(out, status + 3, 12); return DataAccessResult::success;
    default: return get_value_or_scaler_unit(c, attribute, out);
  }
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  if (attribute == 2) return set_value(c.state(), c.def.value_type, c.def.value_size, value);
  return attribute <= 5 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  if (method != 1) return ActionResult::object_unavailable;
  const ActionResult r = reset_register(c, params);
  if (r == ActionResult::success) {
    std::uint8_t* status = c.state() + c.def.value_size;
    status[1] = 0;
    ByteWriter w(status + 2, 13);
    axdr::put_date_time(w, local_now(c.hal, c.clock));
  }
  return r;
}

// State: value | status (unsigned, 2) | capture_time (date-time, 13).
std::uint32_t state_bytes(std::uint16_t value_size) { return value_size + 2u + 13u; }

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const tables::ObjectDef& d = m.objects[index];
  put_default_value(m, d, s);
  put_unset_status_and_times(s + d.value_size, s + state_bytes(d.value_size));
}

std::int32_t engine_offset(const tables::ObjectDef& d, std::int8_t attribute, bool date_time) {
  if (attribute == 2 && !date_time) return 0;
  if (attribute == 5 && date_time) return d.value_size + 2;
  return -1;
}

// capture_time follows every new value an engine writes.
void value_written(const ClassContext& c) {
  ByteWriter w(c.state() + c.def.value_size + 2, 13);
  axdr::put_date_time(w, local_now(c.hal, c.clock));
}

}  // namespace

const ClassHandler kExtendedRegisterClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                          .default_state = default_state, .engine_offset = engine_offset,
                                          .engine_value = true, .value_written = value_written};

}  // namespace metergen::cosem
