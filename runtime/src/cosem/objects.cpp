// Objects: dispatch by class_id, access rights, boot defaults and the persisted
// record. Class behaviour lives in class_<name>.cpp behind ClassHandler.
//
// Persisted record (two copies, at 0 and at record_size(); the newer valid one wins):
//   magic "MGO1" | generation (be32) | model tag (be32, CRC-32 of Model::id) |
//   body length (be32) | Model::state | clock settings (29 bytes) | CRC-32 (be32) of all before.
// A copy is written piecewise with its CRC last, so a power cut mid-write leaves
// that copy invalid and the other one intact.
#include <metergen/cosem/objects.hpp>

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
    {17, &kSapAssignmentClass},
    {64, &kSecuritySetupClass}, {70, &kDisconnectControlClass}, {71, &kLimiterClass},
};

const ClassHandler& handler_for(std::uint16_t class_id) {
  for (const ClassEntry& e : kClasses)
    if (e.class_id == class_id) return *e.handler;
  return kGenericClass;
}

constexpr std::uint8_t kMagic[4] = {'M', 'G', 'O', '1'};
constexpr std::uint32_t kHeaderBytes = 16;
constexpr std::uint32_t kClockBytes = 29;
constexpr std::uint32_t kCrcBytes = 4;

std::uint32_t crc32_update(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return crc;
}

std::uint32_t model_tag(const tables::Model& m) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; m.id != nullptr && m.id[i] != 0 && i < 64; ++i) {
    std::uint8_t c = static_cast<std::uint8_t>(m.id[i]);
    crc = crc32_update(crc, &c, 1);
  }
  return ~crc;
}

void put_be32(std::uint8_t* at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
std::uint32_t get_be32(const std::uint8_t* at) {
  return (std::uint32_t{at[0]} << 24) | (std::uint32_t{at[1]} << 16) | (std::uint32_t{at[2]} << 8) | at[3];
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

constexpr axdr::DateTime kUnsetTime{axdr::kYearNotSpecified, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                    axdr::kDeviationNotSpecified, 0xFF};

// Default state of one object: value from the pool or zero, class-specific fields.
void default_state(const tables::Model& m, std::uint16_t index) {
  const tables::ObjectDef& d = m.objects[index];
  if (d.state_offset == tables::kNoState) return;
  std::uint8_t* s = m.state + d.state_offset;
  switch (d.class_id) {
    case 70: {
      const tables::DisconnectDef* dc = m.disconnect;
      s[0] = 1;  // output_state: connected
      s[1] = 1;  // control_state: connected
      s[2] = dc != nullptr && dc->object == index ? dc->default_mode : 0;
      return;
    }
    case 1: case 3: case 4: case 5: case 71:
      if (d.value_offset != kNone && d.value_offset + std::uint32_t{d.value_size} <= m.value_pool_size)
        copy_bytes(s, m.value_pool + d.value_offset, d.value_size);
      else
        put_zero_value(s, d.value_type, d.value_size);
      if (d.class_id == 71) {  // threshold_normal from the LimiterDef
        for (std::uint8_t i = 0; i < m.limiter_count; ++i) {
          ByteWriter w(s, d.value_size);
          if (m.limiters[i].object == index) put_integer_value(w, d.value_type, m.limiters[i].threshold_normal);
        }
      }
      if (d.class_id == 5) put_zero_value(s + d.value_size, d.value_type, d.value_size);  // last_average
      if (d.class_id == 4 || d.class_id == 5) {
        std::uint8_t* status = s + (d.class_id == 5 ? 2u * d.value_size : d.value_size);
        status[0] = static_cast<std::uint8_t>(tables::DataType::unsigned_);
        for (std::uint8_t* t = status + 2; t < s + tables::state_bytes(d.class_id, d.value_size); t += 13) {
          ByteWriter w(t, 13);  // capture / start times: not specified until the first capture
          axdr::put_date_time(w, kUnsetTime);
        }
      }
      return;
    default:
      return;
  }
}

// Offset into a class 4/5 object's state of an attribute engines write
// (layout in tables::state_bytes); -1 when it is not one.
std::int32_t engine_offset(const tables::ObjectDef& d, std::int8_t attribute, bool date_time) {
  const std::int32_t n = d.value_size;
  if (d.class_id == 4) {
    if (attribute == 2 && !date_time) return 0;
    if (attribute == 5 && date_time) return n + 2;
  } else if (d.class_id == 5) {
    if ((attribute == 2 || attribute == 3) && !date_time) return (attribute - 2) * n;
    if ((attribute == 6 || attribute == 7) && date_time) return 2 * n + 2 + (attribute - 6) * 13;
  }
  return -1;
}

}  // namespace

Objects::Objects(const tables::Model& model, hal::Hal& hal, Hooks& hooks, Profiles& profiles)
    : model_(model), hal_(hal), hooks_(hooks), profiles_(profiles), clock_(default_clock_settings(model.clock)) {}

std::uint32_t Objects::nvm_bytes() const {
  return 2 * (kHeaderBytes + model_.state_size + kClockBytes + kCrcBytes);
}

void Objects::boot() {
  for (std::uint32_t i = 0; i < model_.state_size; ++i) model_.state[i] = 0;
  for (std::uint16_t i = 0; i < model_.object_count; ++i) default_state(model_, i);
  clock_ = default_clock_settings(model_.clock);
  generation_ = 0;

  const std::uint32_t body = model_.state_size + kClockBytes;
  const std::uint32_t copy_size = nvm_bytes() / 2;
  if (hal_.nvm_size() < nvm_bytes()) return;
  std::uint32_t best_offset = 0;
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    const std::uint32_t base = copy * copy_size;
    std::uint8_t header[kHeaderBytes];
    if (!hal_.nvm_read(base, header, kHeaderBytes) || !equal_bytes(header, kMagic, 4) ||
        get_be32(header + 8) != model_tag(model_) || get_be32(header + 12) != body)
      continue;
    std::uint32_t crc = crc32_update(0xFFFFFFFFu, header, kHeaderBytes);
    std::uint8_t chunk[32];
    bool readable = true;
    for (std::uint32_t at = 0; at < body && readable; at += sizeof chunk) {
      const std::uint32_t n = body - at < sizeof chunk ? body - at : sizeof chunk;
      readable = hal_.nvm_read(base + kHeaderBytes + at, chunk, n);
      crc = crc32_update(crc, chunk, n);
    }
    std::uint8_t stored[kCrcBytes];
    if (!readable || !hal_.nvm_read(base + kHeaderBytes + body, stored, kCrcBytes) || get_be32(stored) != ~crc) continue;
    const std::uint32_t generation = get_be32(header + 4);
    if (!found || generation > generation_) {
      found = true;
      generation_ = generation;
      best_offset = base;
    }
  }
  if (!found) return;
  std::uint8_t clock[kClockBytes];
  if (!hal_.nvm_read(best_offset + kHeaderBytes, model_.state, model_.state_size) ||
      !hal_.nvm_read(best_offset + kHeaderBytes + model_.state_size, clock, kClockBytes)) {
    // The copy passed its CRC a moment ago; a failing re-read leaves the defaults.
    for (std::uint32_t i = 0; i < model_.state_size; ++i) model_.state[i] = 0;
    for (std::uint16_t i = 0; i < model_.object_count; ++i) default_state(model_, i);
    generation_ = 0;
    return;
  }
  decode_clock(clock, clock_);
}

bool Objects::persist() {
  const std::uint32_t body = model_.state_size + kClockBytes;
  if (hal_.nvm_size() < nvm_bytes()) return false;
  const std::uint32_t generation = generation_ + 1;
  const std::uint32_t base = (generation & 1u) * (nvm_bytes() / 2);
  std::uint8_t header[kHeaderBytes];
  copy_bytes(header, kMagic, 4);
  put_be32(header + 4, generation);
  put_be32(header + 8, model_tag(model_));
  put_be32(header + 12, body);
  std::uint8_t clock[kClockBytes];
  encode_clock(clock_, clock);
  std::uint32_t crc = crc32_update(0xFFFFFFFFu, header, kHeaderBytes);
  crc = crc32_update(crc, model_.state, model_.state_size);
  crc = crc32_update(crc, clock, kClockBytes);
  std::uint8_t trailer[kCrcBytes];
  put_be32(trailer, ~crc);
  const bool written = hal_.nvm_write(base, header, kHeaderBytes) &&
                       hal_.nvm_write(base + kHeaderBytes, model_.state, model_.state_size) &&
                       hal_.nvm_write(base + kHeaderBytes + model_.state_size, clock, kClockBytes) &&
                       hal_.nvm_write(base + kHeaderBytes + body, trailer, kCrcBytes);
  if (written) generation_ = generation;
  return written;
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
  if (attribute == 1) {
    axdr::put_logical_name(out, def.ln);
    return DataAccessResult::success;
  }
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, nullptr, object, def};
  return handler_for(def.class_id).get(ctx, attribute, nullptr, out);
}

DataAccessResult Objects::set(Session& session, std::uint16_t object, std::int8_t attribute, const Selection* sel,
                              ByteReader value) {
  if (object >= model_.object_count) return DataAccessResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  if (attribute == 1) return DataAccessResult::read_write_denied;
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, &session, object, def};
  return handler_for(def.class_id).set(ctx, attribute, sel, value);
}

ActionResult Objects::action(Session& session, std::uint16_t object, std::int8_t method, ByteReader params,
                             ByteWriter& ret, bool& has_return) {
  has_return = false;
  if (object >= model_.object_count) return ActionResult::object_undefined;
  const tables::ObjectDef& def = model_.objects[object];
  const ClassContext ctx{*this, model_, hal_, hooks_, profiles_, clock_, &session, object, def};
  return handler_for(def.class_id).action(ctx, method, params, ret, has_return);
}

bool Objects::write_value(std::uint16_t object, ByteReader encoded) {
  if (object >= model_.object_count) return false;
  const tables::ObjectDef& def = model_.objects[object];
  switch (def.class_id) {
    case 1: case 3: case 4: case 5: case 71: break;
    default: return false;
  }
  if (def.state_offset == tables::kNoState) return false;
  std::uint8_t* s = model_.state + def.state_offset;
  if (set_value(s, def.value_type, def.value_size, encoded) != DataAccessResult::success) return false;
  if (def.class_id == 4) {  // capture_time follows every new value
    ByteWriter w(s + def.value_size + 2, 13);
    axdr::put_date_time(w, local_now(hal_, clock_));
  }
  return true;
}

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
