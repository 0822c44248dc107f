// The display settings a client may change (docs/display.md, Settable lists).
//
// A settable list (tables::DisplayListDef::list_object) is a display readout,
// an IC 7 object without a profile table (Blue Book 0.0.21.0.1.255 general,
// 0.0.21.0.2.255 alternate display readout). Its state is the list: the screen
// count (big-endian 16), then max_items pool indexes (big-endian 16).
// Attribute 3 (capture_objects) shows and sets it as the objects and
// attributes of its screens; no buffer is captured. A list's time object (a
// Data value, DisplayListDef::time_object) takes only its range.
// May call: the tables, axdr/.
//
// Untrusted: set() values. The state is the objects record's (CRC-checked),
// still bounded here by max_items and the pool.
#include "capture_object.hpp"
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr std::uint32_t kCountBytes = 2, kIndexBytes = 2;

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
void put_be16(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}

const std::uint8_t* list_state(const tables::Model& m, const tables::DisplayListDef& l) {
  return m.state + m.objects[l.list_object].state_offset;
}

const tables::DisplayListDef* list_shown_by(const tables::Model& m, std::uint16_t readout) {
  for (std::uint8_t i = 0; i < m.display_list_count; ++i)
    if (m.display_lists[i].list_object == readout) return &m.display_lists[i];
  return nullptr;
}

// The pool screen that shows what `c` names, kNone when none does.
std::uint16_t screen_of(const tables::Model& m, const CaptureObject& c) {
  const std::uint16_t object = tables::find_object(m, c.ln);
  if (object == tables::kNone || m.objects[object].class_id != c.class_id || c.data_index != 0) return tables::kNone;
  for (std::uint16_t i = 0; i < m.display_item_count; ++i)
    if (m.display_items[i].object == object && m.display_items[i].attribute == c.attribute) return i;
  return tables::kNone;
}

CaptureObject capture_object_of(const tables::Model& m, const tables::DisplayItemDef& item) {
  if (item.object == tables::kNone) return CaptureObject{};  // a special screen names no object
  const tables::ObjectDef& o = m.objects[item.object];
  return {o.class_id, o.ln, item.attribute, 0};
}

void put_list(const tables::Model& m, const tables::DisplayListDef& l, ByteWriter& out) {
  const std::uint16_t n = display_list_count(m, l);
  axdr::put_array(out, n);
  for (std::uint16_t i = 0; i < n; ++i) put_capture_object(out, capture_object_of(m, m.display_items[display_list_screen(m, l, i)]));
}

// other_reason for a list of no screen, more than max_items or a screen not in
// the pool; type_unmatched for anything but an array of capture objects.
DataAccessResult check_list(const tables::Model& m, const tables::DisplayListDef& l, ByteReader value) {
  std::uint32_t count = 0;
  if (!axdr::get_array(value, count)) return DataAccessResult::type_unmatched;
  DataAccessResult range = count >= 1 && count <= l.max_items ? DataAccessResult::success : DataAccessResult::other_reason;
  for (std::uint32_t i = 0; i < count; ++i) {  // bounded by the value's bytes: a read past them fails
    CaptureObject c{};
    if (!read_capture_object(value, c)) return DataAccessResult::type_unmatched;
    if (screen_of(m, c) == tables::kNone) range = DataAccessResult::other_reason;
  }
  return value.empty() ? range : DataAccessResult::type_unmatched;
}

}  // namespace

std::uint16_t display_list_count(const tables::Model& m, const tables::DisplayListDef& l) {
  if (l.list_object == tables::kNone) return l.item_count;
  const std::uint16_t n = be16(list_state(m, l));
  return n <= l.max_items ? n : l.max_items;
}

std::uint16_t display_list_screen(const tables::Model& m, const tables::DisplayListDef& l, std::uint16_t i) {
  if (l.list_object == tables::kNone) return m.display_list_items[l.first_item + i];
  const std::uint16_t screen = be16(list_state(m, l) + kCountBytes + kIndexBytes * i);
  return screen < m.display_item_count ? screen : 0;
}

DataAccessResult display_readout_get(const ClassContext& c, std::int8_t attribute, ByteWriter& out) {
  const tables::DisplayListDef* l = list_shown_by(c.model, c.index);
  if (l == nullptr || c.state() == nullptr) return DataAccessResult::object_unavailable;
  switch (attribute) {
    case 2: axdr::put_array(out, 0); break;  // buffer: nothing is captured
    case 3: put_list(c.model, *l, out); break;
    case 4: case 7: case 8: axdr::put_double_long_unsigned(out, 0); break;  // no capture period, no entries
    case 5: axdr::put_enum(out, static_cast<std::uint8_t>(tables::SortMethod::fifo)); break;
    case 6: put_capture_object(out, CaptureObject{}); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult display_readout_set(const ClassContext& c, std::int8_t attribute, ByteReader value) {
  const tables::DisplayListDef* l = list_shown_by(c.model, c.index);
  if (l == nullptr || c.state() == nullptr) return DataAccessResult::object_unavailable;
  if (attribute != 3) return DataAccessResult::read_write_denied;
  if (const DataAccessResult r = check_list(c.model, *l, value); r != DataAccessResult::success) return r;
  std::uint32_t count = 0;
  axdr::get_array(value, count);
  std::uint8_t* s = c.state();
  put_be16(s, count);
  for (std::uint32_t i = 0; i < count; ++i) {
    CaptureObject co{};
    read_capture_object(value, co);
    put_be16(s + kCountBytes + kIndexBytes * i, screen_of(c.model, co));
  }
  return DataAccessResult::success;
}

DataAccessResult check_display_time(const ClassContext& c, ByteReader value) {
  for (std::uint8_t i = 0; i < c.model.display_list_count; ++i) {
    const tables::DisplayListDef& l = c.model.display_lists[i];
    if (l.time_object != c.index) continue;
    std::int64_t v = 0;
    if (!axdr::get_integer_any(value, v)) return DataAccessResult::type_unmatched;
    return v >= l.time_min_s && v <= l.time_max_s ? DataAccessResult::success : DataAccessResult::other_reason;
  }
  return DataAccessResult::success;
}

}  // namespace metergen::cosem
