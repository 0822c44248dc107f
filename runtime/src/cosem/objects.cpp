// Objects: dispatch by class_id, access rights, boot defaults and the objects
// record. Class behaviour lives in class_<name>.cpp behind ClassHandler.
//
// Objects record (storage::Record, kind objects; docs/nvm-format.md): the state
// of every object that persists (tables::persists), in table order, then the
// clock settings (29 bytes). Its tag covers the model id and, per persisted
// object, its logical name and state size, so a record of other tables is not
// restored. It is written only when its bytes changed.
#include <metergen/cosem/objects.hpp>

#include <metergen/storage/crc32.hpp>

#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::kNone;

namespace {

struct ClassEntry {
  std::uint16_t class_id;
  const ClassHandler* handler;
};

constexpr ClassEntry kClasses[] = {
    {1, &kDataClass},          {3, &kRegisterClass},       {4, &kExtendedRegisterClass}, {5, &kDemandRegisterClass},
    {7, &kProfileGenericClass}, {8, &kClockClass},          {9, &kScriptTableClass},      {15, &kAssociationLnClass},
    {11, &kSpecialDaysTableClass}, {17, &kSapAssignmentClass}, {20, &kActivityCalendarClass},
    {21, &kRegisterMonitorClass}, {22, &kSingleActionScheduleClass}, {40, &kPushSetupClass},
    {64, &kSecuritySetupClass}, {70, &kDisconnectControlClass}, {71, &kLimiterClass},
    {111, &kPrepaymentClass}, {112, &kPrepaymentClass}, {113, &kPrepaymentClass}, {115, &kPrepaymentClass},
};

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kClockBytes = 29;
constexpr std::uint32_t kWritesPerDay = 96;  // settings changes and engine values every 15 minutes

std::uint32_t state_size(const tables::ObjectDef& d) { return state_bytes(d.class_id, d.value_size); }
bool persisted(const tables::ObjectDef& d) {
  return d.state_offset != tables::kNoState && state_size(d) > 0 && tables::persists(d.binding);
}

void encode_clock(const ClockSettings& c, std::uint8_t* out) {
  out[0] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(c.time_zone_min) >> 8);
  out[1] = static_cast<std::uint8_t>(c.time_zone_min);
  copy_bytes(out + 2, c.dst_begin, 12);
  copy_bytes(out + 14, c.dst_end, 12);
  out[26] = static_cast<std::uint8_t>(c.dst_deviation_min);
  out[27] = c.dst_enabled;
  out[28] = c.clock_base;
}
void decode_clock(const std::uint8_t* in, ClockSettings& c) {
  c.time_zone_min = static_cast<std::int16_t>((in[0] << 8) | in[1]);
  copy_bytes(c.dst_begin, in + 2, 12);
  copy_bytes(c.dst_end, in + 14, 12);
  c.dst_deviation_min = static_cast<std::int8_t>(in[26]);
  c.dst_enabled = in[27];
  c.clock_base = in[28];
}

// Default state of one object, as its class lays it out.
void default_state(const tables::Model& m, std::uint16_t index) {
  const tables::ObjectDef& d = m.objects[index];
  const ClassHandler& h = handler_for(d.class_id);
  if (d.state_offset != tables::kNoState && h.default_state != nullptr) h.default_state(m, index, m.state + d.state_offset);
}

}  // namespace

const ClassHandler& handler_for(std::uint16_t class_id) {
  for (const ClassEntry& e : kClasses)
    if (e.class_id == class_id) return *e.handler;
  return kGenericClass;
}

bool has_class_behaviour(std::uint16_t class_id) { return &handler_for(class_id) != &kGenericClass; }

std::uint32_t state_bytes(std::uint16_t class_id, std::uint16_t value_size) {
  const ClassHandler& h = handler_for(class_id);
  return h.state_bytes != nullptr ? h.state_bytes(value_size) : 0;
}

Objects::Objects(const tables::Model& model, hal::Hal& hal, Hooks& hooks, Profiles& profiles)
    : model_(model), hal_(hal), hooks_(hooks), profiles_(profiles), clock_(default_clock_settings(model.clock)) {}

void Objects::reset_state() {
  for (std::uint32_t i = 0; i < model_.state_size; ++i) model_.state[i] = 0;
  for (std::uint16_t i = 0; i < model_.object_count; ++i) default_state(model_, i);
  clock_ = default_clock_settings(model_.clock);
}

void Objects::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  std::uint32_t body = kClockBytes;
  std::uint32_t tag = ~storage::crc32_text(model_.id);
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    if (!persisted(d)) continue;
    body += state_size(d);
    tag = storage::crc32_update(tag, d.ln.b, 6);
    tag = storage::crc32_update_be32(tag, state_size(d));
  }
  const std::uint32_t slots = storage::Record::slots_for(body, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(body, slots, g.erase_unit)), body, slots, g.erase_unit,
                {storage::RecordKind::objects, kVersion, ~tag});
}

bool Objects::boot() {
  reset_state();
  saved_crc_ = 0;
  if (!record_.open(hal_)) return false;
  std::uint32_t at = 0;
  bool read = true;
  for (std::uint16_t i = 0; i < model_.object_count && read; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    if (!persisted(d)) continue;
    read = record_.read(hal_, at, model_.state + d.state_offset, state_size(d));
    at += state_size(d);
  }
  std::uint8_t clock[kClockBytes];
  if (!read || !record_.read(hal_, at, clock, kClockBytes)) {
    reset_state();  // the copy checked out a moment ago; a failing re-read leaves the defaults
    return false;
  }
  decode_clock(clock, clock_);
  saved_crc_ = body_crc();
  return true;
}

std::uint32_t Objects::body_crc() const {
  std::uint32_t crc = storage::kCrc32Init;
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    if (persisted(d)) crc = storage::crc32_update(crc, model_.state + d.state_offset, state_size(d));
  }
  std::uint8_t clock[kClockBytes];
  encode_clock(clock_, clock);
  return ~storage::crc32_update(crc, clock, kClockBytes);
}

void Objects::adopt_clock(const std::uint8_t* encoded) { decode_clock(encoded, clock_); }

bool Objects::persist() {
  const std::uint32_t crc = body_crc();
  if (record_.found() && crc == saved_crc_) return true;
  storage::SlotRing::Writer w;
  bool ok = record_.begin(hal_, w);
  for (std::uint16_t i = 0; i < model_.object_count && ok; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    if (persisted(d)) ok = w.put(model_.state + d.state_offset, state_size(d));
  }
  std::uint8_t clock[kClockBytes];
  encode_clock(clock_, clock);
  ok = ok && w.put(clock, kClockBytes);
  ok = record_.commit(w) && ok;
  if (ok) {
    saved_crc_ = crc;
    ++writes_;
  }
  return ok;
}

void Objects::revert(std::uint16_t object) {
  if (object >= model_.object_count) return;
  const tables::ObjectDef& d = model_.objects[object];
  std::uint32_t at = 0;
  for (std::uint16_t i = 0; i < object; ++i)
    if (persisted(model_.objects[i])) at += state_size(model_.objects[i]);
  if (persisted(d) && !record_.read(hal_, at, model_.state + d.state_offset, state_size(d))) default_state(model_, object);
  if (d.class_id == 8) {
    std::uint8_t clock[kClockBytes];
    if (record_.read(hal_, record_.body_bytes() - kClockBytes, clock, kClockBytes))
      decode_clock(clock, clock_);
    else
      clock_ = default_clock_settings(model_.clock);
  }
}

tables::AttrAccess Objects::attribute_access(std::uint16_t association, std::uint16_t object, std::int8_t attribute) const {
  if (association >= model_.association_count || object >= model_.object_count) return tables::AttrAccess::none;
  const std::uint16_t p = model_.associations[association].object_access[object];
  if (p == kNone || p >= model_.access_profile_count) return tables::AttrAccess::none;
  const tables::AccessProfile& ap = model_.access_profiles[p];
  if (attribute < 1 || attribute > ap.attribute_count) return tables::AttrAccess::none;
  return static_cast<tables::AttrAccess>(model_.access_modes[ap.offset + attribute - 1]);
}

tables::MethodAccess Objects::method_access(std::uint16_t association, std::uint16_t object, std::int8_t method) const {
  if (association >= model_.association_count || object >= model_.object_count) return tables::MethodAccess::none;
  const std::uint16_t p = model_.associations[association].object_access[object];
  if (p == kNone || p >= model_.access_profile_count) return tables::MethodAccess::none;
  const tables::AccessProfile& ap = model_.access_profiles[p];
  if (method < 1 || method > ap.method_count) return tables::MethodAccess::none;
  return static_cast<tables::MethodAccess>(model_.access_modes[ap.offset + ap.attribute_count + method - 1]);
}

DataAccessResult Objects::get(Session& session, std::uint16_t object, std::int8_t attribute, const Selection* sel,
                              ByteWriter& out) {
  if (object >= model_.object_count) return DataAccessResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  hooks_.before_read(object);
  if (attribute == 1) {
    if (sel != nullptr) return DataAccessResult::other_reason;
    axdr::put_logical_name(out, def.ln);
    return DataAccessResult::success;
  }
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, &session, object, def};
  return handler_for(def.class_id).get(ctx, attribute, sel, out);
}

DataAccessResult Objects::read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) {
  if (object >= model_.object_count) return DataAccessResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  hooks_.before_read(object);
  if (attribute == 1) {
    axdr::put_logical_name(out, def.ln);
    return DataAccessResult::success;
  }
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, nullptr, object, def};
  return handler_for(def.class_id).get(ctx, attribute, nullptr, out);
}

DataAccessResult Objects::read_at(std::uint16_t object, std::int8_t attribute, std::int64_t utc_s, ByteWriter& out) {
  if (object != model_.clock.object || attribute != 2) return read(object, attribute, out);
  axdr::put_date_time_octets(out, local_time(utc_s));
  return DataAccessResult::success;
}

DataAccessResult Objects::set(Session& session, std::uint16_t object, std::int8_t attribute, const Selection* sel,
                              ByteReader value) {
  if (object >= model_.object_count) return DataAccessResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  if (attribute == 1) return DataAccessResult::read_write_denied;
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, &session, object, def};
  const DataAccessResult r = handler_for(def.class_id).set(ctx, attribute, sel, value);
  if (r == DataAccessResult::success) hooks_.value_set(object, attribute);
  return r;
}

ActionResult Objects::action(Session& session, std::uint16_t object, std::int8_t method, ByteReader params,
                             ByteWriter& ret, bool& has_return) {
  has_return = false;
  if (object >= model_.object_count) return ActionResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, &session, object, def};
  const ActionResult result = handler_for(def.class_id).action(ctx, method, params, ret, has_return);
  if (result == ActionResult::success) hooks_.action_done(object, method);
  return result;
}

bool Objects::read_integer(std::uint16_t object, std::int8_t attribute, std::int64_t& v) {
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  if (read(object, attribute, w) != DataAccessResult::success || w.overflow()) return false;
  ByteReader r(buf, w.size());
  return axdr::get_integer_any(r, v);
}

bool Objects::write_value(std::uint16_t object, ByteReader encoded) {
  if (object >= model_.object_count) return false;
  const tables::ObjectDef& def = model_.objects[object];
  const ClassHandler& h = handler_for(def.class_id);
  if (!h.engine_value || def.state_offset == tables::kNoState) return false;
  std::uint8_t* s = model_.state + def.state_offset;
  if (set_value(s, def.value_type, def.value_size, encoded) != DataAccessResult::success) return false;
  if (h.value_written != nullptr) h.value_written(ClassContext{*this, model_, hal_, hooks_, profiles_, clock_, nullptr, object, def});
  return true;
}

bool Objects::write_integer_value(std::uint16_t object, std::int64_t v) {
  if (object >= model_.object_count) return false;
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  if (!put_integer_value(w, model_.objects[object].value_type, v)) return false;
  return write_value(object, ByteReader(buf, w.size()));
}

namespace {

// Offset of an attribute engines write, -1 when the object's class has none such.
std::int32_t engine_offset(const tables::ObjectDef& d, std::int8_t attribute, bool date_time) {
  const ClassHandler& h = handler_for(d.class_id);
  return h.engine_offset != nullptr ? h.engine_offset(d, attribute, date_time) : -1;
}

}  // namespace

bool Objects::write_integer(std::uint16_t object, std::int8_t attribute, std::int64_t v) {
  if (object >= model_.object_count) return false;
  const tables::ObjectDef& def = model_.objects[object];
  const std::int32_t at = engine_offset(def, attribute, false);
  if (def.state_offset == tables::kNoState || at < 0) return false;
  std::uint8_t encoded[9];
  ByteWriter w(encoded, sizeof encoded);
  if (!put_integer_value(w, def.value_type, v) || w.size() != def.value_size) return false;
  copy_bytes(model_.state + def.state_offset + at, encoded, def.value_size);
  return true;
}

bool Objects::write_time(std::uint16_t object, std::int8_t attribute, const axdr::DateTime& t) {
  if (object >= model_.object_count) return false;
  const tables::ObjectDef& def = model_.objects[object];
  const std::int32_t at = engine_offset(def, attribute, true);
  if (def.state_offset == tables::kNoState || at < 0) return false;
  ByteWriter w(model_.state + def.state_offset + at, 13);
  axdr::put_date_time(w, t);
  return true;
}

axdr::DateTime Objects::local_time(std::int64_t utc_s) const { return cosem::local_time(clock_, utc_s); }

}  // namespace metergen::cosem
