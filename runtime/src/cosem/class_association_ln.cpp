// Association LN (class_id 15, version 2) for the association an object names
// (0.0.40.0.0.255 = the caller's own): object_list in the shape of
// object_list.json, partners, context names, status, security_setup_reference,
// user list, and method 1 reply_to_HLS_authentication through the Session.
// The LLS secret (attribute 7) is never readable.
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::kNone;

namespace {

constexpr tables::LogicalName kCurrentAssociation{{0, 0, 40, 0, 0, 255}};

// Index into Model::associations, kNone when the object names none (or the
// caller's own without a session).
std::uint16_t association_of(const ClassContext& c) {
  if (c.def.ln == kCurrentAssociation) return c.session != nullptr ? c.session->association() : kNone;
  for (std::uint16_t a = 0; a < c.model.association_count; ++a)
    if (c.model.associations[a].ln == c.def.ln) return a;
  return kNone;
}

bool is_callers(const ClassContext& c, std::uint16_t association) {
  return c.session != nullptr && association == c.session->association();
}

void put_selectors(const ClassContext& c, std::uint16_t object, std::int8_t attribute, ByteWriter& out) {
  if (c.model.objects[object].class_id == 7 && attribute == 2) {
    for (std::uint16_t p = 0; p < c.model.profile_count; ++p) {
      const std::uint8_t bits = c.model.profiles[p].selective_access;
      if (c.model.profiles[p].object != object || bits == 0) continue;
      const bool by_range = (bits & tables::kSelectByRange) != 0, by_entry = (bits & tables::kSelectByEntry) != 0;
      axdr::put_array(out, (by_range ? 1u : 0u) + (by_entry ? 1u : 0u));
      if (by_range) axdr::put_integer(out, 1);
      if (by_entry) axdr::put_integer(out, 2);
      return;
    }
  }
  axdr::put_null(out);
}

void put_object_list(const ClassContext& c, std::uint16_t association, ByteWriter& out) {
  const tables::AssociationDef& a = c.model.associations[association];
  std::uint32_t listed = 0;
  for (std::uint16_t i = 0; i < c.model.object_count; ++i) listed += a.object_access[i] != kNone ? 1u : 0u;
  axdr::put_array(out, listed);
  for (std::uint16_t i = 0; i < c.model.object_count; ++i) {
    const std::uint16_t p = a.object_access[i];
    if (p == kNone) continue;
    const tables::ObjectDef& o = c.model.objects[i];
    const tables::AccessProfile& ap = c.model.access_profiles[p];
    axdr::put_structure(out, 4);
    axdr::put_long_unsigned(out, o.class_id);
    axdr::put_unsigned(out, o.version);
    axdr::put_logical_name(out, o.ln);
    axdr::put_structure(out, 2);
    axdr::put_array(out, ap.attribute_count);
    for (std::uint8_t id = 1; id <= ap.attribute_count; ++id) {
      axdr::put_structure(out, 3);
      axdr::put_integer(out, static_cast<std::int8_t>(id));
      axdr::put_enum(out, c.model.access_modes[ap.offset + id - 1]);
      put_selectors(c, i, static_cast<std::int8_t>(id), out);
    }
    axdr::put_array(out, ap.method_count);
    for (std::uint8_t id = 1; id <= ap.method_count; ++id) {
      axdr::put_structure(out, 2);
      axdr::put_integer(out, static_cast<std::int8_t>(id));
      axdr::put_enum(out, c.model.access_modes[ap.offset + ap.attribute_count + id - 1]);
    }
  }
}

// BER bodies of the OIDs 2.16.756.5.8.1.x (context) and 2.16.756.5.8.2.x (mechanism).
void put_oid(ByteWriter& out, std::uint8_t arc, std::uint8_t id) {
  const std::uint8_t oid[7] = {0x60, 0x85, 0x74, 0x05, 0x08, arc, id};
  axdr::put_octet_string(out, oid, sizeof oid);
}

// The association's own security setup; without one, the model's current
// security setup (which then describes this association), else no object.
tables::LogicalName security_setup_reference(const ClassContext& c, const tables::AssociationDef& def) {
  if (def.security_setup != kNone && def.security_setup < c.model.object_count)
    return c.model.objects[def.security_setup].ln;
  for (std::uint16_t i = 0; i < c.model.object_count; ++i)
    if (is_current_security_setup(c.model.objects[i])) return c.model.objects[i].ln;
  return tables::LogicalName{{0, 0, 0, 0, 0, 0}};
}

constexpr std::uint8_t kCipheringPolicy = tables::kEncryptedRequest | tables::kEncryptedResponse |
                                          tables::kAuthenticatedRequest | tables::kAuthenticatedResponse;

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint16_t a = association_of(c);
  if (sel != nullptr || a == kNone) return DataAccessResult::object_unavailable;
  const tables::AssociationDef& def = c.model.associations[a];
  switch (attribute) {
    case 2: put_object_list(c, a, out); break;
    case 3:
      axdr::put_structure(out, 2);
      axdr::put_integer(out, static_cast<std::int8_t>(def.client_sap));
      axdr::put_long_unsigned(out, 1);
      break;
    case 4: put_oid(out, 1, (def.security_policy & kCipheringPolicy) != 0 ? 3 : 1); break;
    case 5: {
      // The caller's negotiated values for its own association, zero for another one.
      const bool own = is_callers(c, a);
      const std::uint32_t conformance = own ? c.session->negotiated_conformance() : 0;
      const std::uint16_t pdu = own ? c.session->negotiated_max_pdu() : 0;
      axdr::put_structure(out, 6);
      axdr::put_tag(out, tables::DataType::bit_string);
      axdr::put_length(out, 24);
      out.u8(static_cast<std::uint8_t>(conformance >> 16));
      out.u8(static_cast<std::uint8_t>(conformance >> 8));
      out.u8(static_cast<std::uint8_t>(conformance));
      axdr::put_long_unsigned(out, pdu);
      axdr::put_long_unsigned(out, pdu);
      axdr::put_unsigned(out, 6);
      axdr::put_integer(out, 0);
      axdr::put_octet_string(out, nullptr, 0);
      break;
    }
    case 6: {
      // The mechanism the caller logged in with (LLS when it used the fallback).
      const tables::Authentication m = is_callers(c, a) ? c.session->mechanism() : def.authentication;
      put_oid(out, 2, static_cast<std::uint8_t>(m));
      break;
    }
    case 7: return DataAccessResult::read_write_denied;
    case 8: axdr::put_enum(out, is_callers(c, a) ? c.session->association_status() : 0); break;
    case 9: axdr::put_logical_name(out, security_setup_reference(c, def)); break;
    case 10: axdr::put_array(out, 0); break;
    case 11:
      axdr::put_structure(out, 2);
      axdr::put_unsigned(out, 0);
      axdr::put_visible_string(out, "", 0);
      break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  // Secrets live with the HAL and the lists with the spec: nothing is writable here.
  return attribute >= 2 && attribute <= 11 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter& ret, bool& has_return) {
  if (method < 1 || method > 6) return ActionResult::object_unavailable;
  if (method != 1) return ActionResult::other_reason;
  const std::uint16_t a = association_of(c);
  if (a == kNone || !is_callers(c, a)) return ActionResult::read_write_denied;
  // The Session gets f(StoC) itself, the content of the octet-string parameter.
  if (params.u8() != static_cast<std::uint8_t>(tables::DataType::octet_string)) return ActionResult::type_unmatched;
  const std::uint32_t n = axdr::get_length(params);
  if (params.error() || n != params.remaining()) return ActionResult::type_unmatched;
  const ActionResult r = c.session->reply_to_hls_authentication(params.sub(n), ret);
  has_return = r == ActionResult::success;
  return r;
}

}  // namespace

const ClassHandler kAssociationLnClass{get, set, action};

}  // namespace metergen::cosem
