// Account (111), credit (112), charge (113) and token gateway (115): every
// attribute but logical_name and every method goes to the prepayment engine
// (Objects::prepayment), which keeps their values in its own record.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  PrepaymentPort* p = c.objects.prepayment();
  if (p == nullptr || sel != nullptr) return DataAccessResult::object_unavailable;
  return p->prepayment_get(c.index, attribute, out);
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  PrepaymentPort* p = c.objects.prepayment();
  if (p == nullptr || sel != nullptr) return DataAccessResult::object_unavailable;
  return p->prepayment_set(c.index, attribute, value);
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  PrepaymentPort* p = c.objects.prepayment();
  return p == nullptr ? ActionResult::object_unavailable : p->prepayment_action(c.index, method, params);
}

}  // namespace

const ClassHandler kPrepaymentClass{get, set, action};

}  // namespace metergen::cosem
