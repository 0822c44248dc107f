// Data (class_id 1): attribute 2 value, kept A-XDR encoded in Model::state. No methods.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (attribute != 2 || sel != nullptr) return DataAccessResult::object_unavailable;
  const std::uint8_t* value = c.state();
  if (value == nullptr) return DataAccessResult::object_unavailable;
  out.bytes(value, c.def.value_size);
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (attribute != 2 || sel != nullptr) return DataAccessResult::object_unavailable;
  return set_value(c.state(), c.def.value_type, c.def.value_size, value);
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

}  // namespace

const ClassHandler kDataClass{.get = get, .set = set, .action = action, .state_bytes = value_only_state,
                              .default_state = default_value_state, .engine_offset = value_engine_offset,
                              .engine_value = true};

}  // namespace metergen::cosem
