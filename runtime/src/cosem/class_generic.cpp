// Every interface class without its own behaviour yet (image transfer, port
// setups, monitors, push, payment classes): logical_name answers (before
// dispatch), other attributes are object_unavailable and methods other_reason.
#include "class_context.hpp"

namespace metergen::cosem {

dlms::DataAccessResult get_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteWriter&) {
  return dlms::DataAccessResult::object_unavailable;
}

dlms::DataAccessResult set_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteReader) {
  return dlms::DataAccessResult::object_unavailable;
}

namespace {

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::other_reason;
}

}  // namespace

const ClassHandler kGenericClass{get_unavailable, set_unavailable, action};

}  // namespace metergen::cosem
