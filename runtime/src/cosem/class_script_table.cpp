// Script table (IC 9, version 0): attribute 2 scripts (read-only) and method 1
// execute(script_identifier), which hands the script to Hooks::script_executed.
//
// The scripts are not interpreted: the runtime's engines carry them out by the
// table's role (the metering engine: MD reset on the table with role
// md_reset_script; the time engines: tariff switching). Attribute 2 describes
// what they do and is encoded from the tables on every GET (a constant, so it
// takes no state):
// - role tariff_script: scripts 1..CalendarDef::tariffs, script N one action
//   {1 write attribute, class_id of the object with role current_tariff, its
//   logical name, attribute 2, unsigned N};
// - role md_reset_script: script 1 with one action {2 execute method, class 7,
//   the monthly billing profile (BillingDef::monthly_profile), method 2 capture,
//   integer 0}, no action when the model has no monthly billing profile;
// - role push_script: scripts 1..push setups, script N one action {2 execute
//   method, class 40, the N-th push setup (Model::push_setups), method 1 push,
//   integer 0};
// - any other table: no scripts.
// A SET of attribute 2 is read_write_denied.
#include "class_context.hpp"

namespace metergen::cosem {

namespace {

void put_action(ByteWriter& out, std::uint8_t service, const tables::ObjectDef& target, std::int8_t index) {
  axdr::put_structure(out, 5);
  axdr::put_enum(out, service);
  axdr::put_long_unsigned(out, target.class_id);
  axdr::put_logical_name(out, target.ln);
  axdr::put_integer(out, index);
}

void put_tariff_scripts(const tables::Model& m, std::uint16_t tariffs, ByteWriter& out) {
  const std::uint16_t target = tables::find_role(m, tables::Role::current_tariff);
  axdr::put_array(out, tariffs);
  for (std::uint16_t n = 1; n <= tariffs; ++n) {
    axdr::put_structure(out, 2);
    axdr::put_long_unsigned(out, n);
    axdr::put_array(out, target != tables::kNone ? 1 : 0);
    if (target == tables::kNone) continue;
    put_action(out, 1, m.objects[target], 2);
    axdr::put_unsigned(out, static_cast<std::uint8_t>(n));
  }
}

void put_md_reset_scripts(const tables::Model& m, ByteWriter& out) {
  const std::uint16_t p = m.billing.monthly_profile;
  const bool capture = p != tables::kNone && p < m.profile_count && m.profiles[p].object < m.object_count;
  axdr::put_array(out, 1);
  axdr::put_structure(out, 2);
  axdr::put_long_unsigned(out, 1);
  axdr::put_array(out, capture ? 1 : 0);
  if (!capture) return;
  put_action(out, 2, m.objects[m.profiles[p].object], 2);
  axdr::put_integer(out, 0);
}

void put_push_scripts(const tables::Model& m, std::uint16_t scripts, ByteWriter& out) {
  axdr::put_array(out, scripts);
  for (std::uint16_t n = 0; n < scripts; ++n) {
    axdr::put_structure(out, 2);
    axdr::put_long_unsigned(out, static_cast<std::uint16_t>(n + 1));
    axdr::put_array(out, 1);
    put_action(out, 2, m.objects[m.push_setups[n].object], 1);
    axdr::put_integer(out, 0);
  }
}

dlms::DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (sel != nullptr || attribute != 2) return dlms::DataAccessResult::object_unavailable;
  const std::uint16_t scripts = script_count(c.model, c.index);
  switch (c.def.role) {
    case tables::Role::tariff_script: put_tariff_scripts(c.model, scripts, out); break;
    case tables::Role::md_reset_script: put_md_reset_scripts(c.model, out); break;
    case tables::Role::push_script: put_push_scripts(c.model, scripts, out); break;
    default: axdr::put_array(out, 0); break;
  }
  return dlms::DataAccessResult::success;
}

dlms::DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  return attribute == 2 ? dlms::DataAccessResult::read_write_denied : dlms::DataAccessResult::object_unavailable;
}

dlms::ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  if (method != 1) return dlms::ActionResult::object_unavailable;
  std::uint16_t script = 0;
  if (!axdr::get_u16(params, script) || !params.empty()) return dlms::ActionResult::type_unmatched;
  return c.hooks.script_executed(c.index, script) ? dlms::ActionResult::success : dlms::ActionResult::temporary_failure;
}

}  // namespace

std::uint16_t script_count(const tables::Model& m, std::uint16_t table) {
  if (table >= m.object_count || m.objects[table].class_id != 9) return 0;
  switch (m.objects[table].role) {
    case tables::Role::tariff_script: return m.calendar != nullptr ? m.calendar->tariffs : 0;
    case tables::Role::md_reset_script: return 1;
    case tables::Role::push_script: return m.push_setup_count;
    default: return 0;
  }
}

const ClassHandler kScriptTableClass{get, set, action};

}  // namespace metergen::cosem
