// Register (class_id 3): 2 value, 3 scaler_unit; method 1 reset. The helpers
// here also serve Extended register and Demand register.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

DataAccessResult get_value_or_scaler_unit(const ClassContext& c, std::int8_t attribute, ByteWriter& out) {
  const std::uint8_t* value = c.state();
  if (attribute == 2 && value != nullptr) {
    out.bytes(value, c.def.value_size);
    return DataAccessResult::success;
  }
  if (attribute == 3) {
    put_scaler_unit(out, c.def.scaler, c.def.unit);
    return DataAccessResult::success;
  }
  return DataAccessResult::object_unavailable;
}

ActionResult reset_register(const ClassContext& c, ByteReader params) {
  if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
  std::uint8_t* value = c.state();
  if (value == nullptr) return ActionResult::object_unavailable;
  put_zero_value(value, c.def.value_type, c.def.value_size);
  c.hooks.register_reset(c.index);
  return ActionResult::success;
}

namespace {

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  return get_value_or_scaler_unit(c, attribute, out);
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  if (attribute == 2 && c.def.role == tables::Role::alarm_descriptor)
    return clear_written_bits(c.state(), c.def.value_type, c.def.value_size, value);  // docs/events.md
  if (attribute == 2) return set_value(c.state(), c.def.value_type, c.def.value_size, value);
  return attribute == 3 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  return method == 1 ? reset_register(c, params) : ActionResult::object_unavailable;
}

}  // namespace

const ClassHandler kRegisterClass{.get = get, .set = set, .action = action, .state_bytes = value_only_state,
                                  .default_state = default_value_state, .engine_offset = value_engine_offset,
                                  .engine_value = true};

}  // namespace metergen::cosem
