// Every interface class without its own behaviour yet (image transfer, port
// setups): logical_name answers (before dispatch), an attribute the spec gives
// a value (Model::attribute_values) answers that constant, other attributes
// are object_unavailable; SETs are read-write-denied for the constants and
// methods other_reason.
#include "class_context.hpp"

namespace metergen::cosem {

dlms::DataAccessResult get_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteWriter&) {
  return dlms::DataAccessResult::object_unavailable;
}

dlms::DataAccessResult set_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteReader) {
  return dlms::DataAccessResult::object_unavailable;
}

namespace {

const tables::AttributeValueDef* constant_of(const ClassContext& c, std::int8_t attribute) {
  const tables::Model& m = c.model;
  std::uint16_t lo = 0, hi = m.attribute_value_count;
  while (lo < hi) {
    const std::uint16_t mid = static_cast<std::uint16_t>(lo + (hi - lo) / 2);
    const tables::AttributeValueDef& v = m.attribute_values[mid];
    if (v.object < c.index || (v.object == c.index && v.attribute < attribute)) lo = static_cast<std::uint16_t>(mid + 1);
    else hi = mid;
  }
  if (lo == m.attribute_value_count) return nullptr;
  const tables::AttributeValueDef& v = m.attribute_values[lo];
  return v.object == c.index && v.attribute == attribute ? &v : nullptr;
}

dlms::DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const tables::AttributeValueDef* v = constant_of(c, attribute);
  if (v == nullptr || sel != nullptr) return dlms::DataAccessResult::object_unavailable;
  out.bytes(c.model.value_pool + v->value_offset, v->value_size);
  return dlms::DataAccessResult::success;
}

dlms::DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection*, ByteReader) {
  return constant_of(c, attribute) != nullptr ? dlms::DataAccessResult::read_write_denied
                                              : dlms::DataAccessResult::object_unavailable;
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::other_reason;
}

}  // namespace

const ClassHandler kGenericClass{get, set, action};

}  // namespace metergen::cosem
