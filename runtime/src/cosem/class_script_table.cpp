// Script table (IC 9, version 0): method 1 execute(script_identifier) hands the
// script to Hooks::script_executed, where the engines act on the scripts they
// own (the metering engine: MD reset). The scripts themselves (attribute 2) are
// not in the model tables yet, so reading or writing them is object_unavailable.
#include "class_context.hpp"

namespace metergen::cosem {

namespace {

dlms::ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  if (method != 1) return dlms::ActionResult::object_unavailable;
  std::uint16_t script = 0;
  if (!axdr::get_u16(params, script) || !params.empty()) return dlms::ActionResult::type_unmatched;
  return c.hooks.script_executed(c.index, script) ? dlms::ActionResult::success : dlms::ActionResult::temporary_failure;
}

}  // namespace

const ClassHandler kScriptTableClass{get_unavailable, set_unavailable, action};

}  // namespace metergen::cosem
