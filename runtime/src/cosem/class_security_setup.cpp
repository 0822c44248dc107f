// Security setup (class_id 64, version 1) of the association that references
// it (the current security setup: the caller's): 2 security_policy,
// 3 security_suite, 4 client_system_title (not kept: empty),
// 5 server_system_title (hal secret), 6 certificates (none). Key management
// methods are not supported.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

// The association the object describes: the caller's for the current
// security setup, else the one that references it.
std::uint16_t owner(const ClassContext& c) {
  if (is_current_security_setup(c.def)) return c.session != nullptr ? c.session->association() : tables::kNone;
  for (std::uint16_t a = 0; a < c.model.association_count; ++a)
    if (c.model.associations[a].security_setup == c.index) return a;
  return tables::kNone;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint16_t a = owner(c);
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  const tables::AssociationDef* def = a != tables::kNone ? &c.model.associations[a] : nullptr;
  switch (attribute) {
    case 2: axdr::put_enum(out, def != nullptr ? def->security_policy : 0); break;
    case 3: axdr::put_enum(out, def != nullptr ? def->security_suite : 0); break;
    case 4: axdr::put_octet_string(out, nullptr, 0); break;
    case 5: {
      std::uint8_t title[8];
      const std::size_t n = c.hal.secret(static_cast<std::uint8_t>(a != tables::kNone ? a : 0),
                                         hal::Secret::server_system_title, title, sizeof title);
      axdr::put_octet_string(out, title, n <= sizeof title ? n : 0);
      break;
    }
    case 6: axdr::put_array(out, 0); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  return attribute >= 2 && attribute <= 6 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

dlms::ActionResult action(const ClassContext&, std::int8_t method, ByteReader, ByteWriter&, bool&) {
  return method >= 1 && method <= 8 ? dlms::ActionResult::other_reason : dlms::ActionResult::object_unavailable;
}

}  // namespace

const ClassHandler kSecuritySetupClass{get, set, action};

}  // namespace metergen::cosem
