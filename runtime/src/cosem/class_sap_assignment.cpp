// SAP assignment (class_id 17): one logical device, server SAP 1, named by the
// value of the Data object 0.0.42.0.0.255 (COSEM logical device name).
// Method 1 connect_logical_device is not supported.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr tables::LogicalName kDeviceName{{0, 0, 42, 0, 0, 255}};

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (attribute != 2 || sel != nullptr) return DataAccessResult::object_unavailable;
  const std::uint16_t name = tables::find_object(c.model, kDeviceName);
  const bool named = name != tables::kNone && c.model.objects[name].state_offset != tables::kNoState &&
                     c.model.objects[name].value_size >= 2;
  axdr::put_array(out, 1);
  axdr::put_structure(out, 2);
  axdr::put_long_unsigned(out, 1);
  if (named) {  // the stored string re-tagged as octet-string (it may be a visible-string)
    const tables::ObjectDef& d = c.model.objects[name];
    axdr::put_tag(out, tables::DataType::octet_string);
    out.bytes(c.model.state + d.state_offset + 1, d.value_size - 1u);
  } else {
    axdr::put_octet_string(out, nullptr, 0);
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  return attribute == 2 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

dlms::ActionResult action(const ClassContext&, std::int8_t method, ByteReader, ByteWriter&, bool&) {
  return method == 1 ? dlms::ActionResult::other_reason : dlms::ActionResult::object_unavailable;
}

}  // namespace

const ClassHandler kSapAssignmentClass{get, set, action};

}  // namespace metergen::cosem
