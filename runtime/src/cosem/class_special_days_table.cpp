// Special days table (class_id 11, version 0): attribute 2 entries, method 1
// insert (structure{index long-unsigned, date octet-string(5), day_id
// unsigned}: replaces the entry with the same index, refused when the table is
// full or the active calendar has no such day_id) and method 2 delete
// (long-unsigned index; other_reason when no entry has it).
//
// State: attribute 2 A-XDR encoded in value_size bytes (special_days_value_size),
// entries sorted by index, each exactly 14 bytes (02 03 | 12 index | 09 05 date
// | 11 day_id), zeros after the end. At boot it holds the model's special days:
// index 1..n in table order, yearly dates (year 0xFFFF, day_of_week 0xFF) and
// the day profile's day_id (index + 1, calendar.hpp).
//
// Also the calendar helpers the classes 11, 20 and 22 share (class_context.hpp).
#include <metergen/cosem/calendar.hpp>

#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

constexpr std::uint32_t kEntryBytes = 14;

std::uint32_t header_bytes(std::uint32_t count) { return 1 + static_cast<std::uint32_t>(axdr::length_size(count)); }

// Entries that fit in `value_size` bytes.
std::uint32_t capacity_of(std::uint16_t value_size) {
  std::uint32_t n = value_size / kEntryBytes;
  while (n > 0 && header_bytes(n) + n * kEntryBytes > value_size) --n;
  return n;
}

struct Table {
  std::uint8_t* at = nullptr;
  std::uint16_t size = 0;
  std::uint32_t count = 0;
  std::uint32_t header = 0;
  std::uint8_t* entry(std::uint32_t i) const { return at + header + i * kEntryBytes; }
  std::uint16_t index(std::uint32_t i) const { return static_cast<std::uint16_t>((entry(i)[3] << 8) | entry(i)[4]); }
};

bool open(std::uint8_t* s, std::uint16_t size, Table& t) {
  if (s == nullptr || size < 2) return false;
  ByteReader r(s, size);
  if (r.u8() != static_cast<std::uint8_t>(tables::DataType::array)) return false;
  t.count = axdr::get_length(r);
  t.at = s;
  t.size = size;
  t.header = static_cast<std::uint32_t>(r.position());
  return !r.error() && t.header + t.count * kEntryBytes <= size;
}

// Rewrites the header for `count` entries, moving the entries after it.
void recount(Table& t, std::uint32_t count) {
  const std::uint32_t header = header_bytes(count), keep = (count < t.count ? count : t.count) * kEntryBytes;
  const std::uint32_t end = t.header + t.count * kEntryBytes;
  move_bytes(t.at + header, t.at + t.header, keep);
  ByteWriter w(t.at, header);
  axdr::put_array(w, count);
  t.header = header;
  t.count = count;
  for (std::uint32_t i = header + count * kEntryBytes; i < end; ++i) t.at[i] = 0;
}

void put_entry(std::uint8_t* at, std::uint16_t index, const std::uint8_t* date, std::uint8_t day_id) {
  ByteWriter w(at, kEntryBytes);
  axdr::put_structure(w, 3);
  axdr::put_long_unsigned(w, index);
  axdr::put_octet_string(w, date, 5);
  axdr::put_unsigned(w, day_id);
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  Table t;
  if (sel != nullptr || attribute != 2 || !open(c.state(), c.def.value_size, t)) return DataAccessResult::object_unavailable;
  out.bytes(t.at, t.header + t.count * kEntryBytes);
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader) {
  return attribute == 2 ? DataAccessResult::read_write_denied : DataAccessResult::object_unavailable;
}

ActionResult insert(Table& t, const tables::Model& m, ByteReader params) {
  std::uint32_t k = 0;
  std::uint16_t index = 0;
  std::uint8_t day_id = 0;
  const std::uint8_t* date = nullptr;
  std::size_t n = 0;
  if (!axdr::get_structure(params, k) || k != 3 || !axdr::get_u16(params, index) ||
      !axdr::get_octet_string_view(params, date, n) || n != 5 || !axdr::get_u8(params, day_id) || !params.empty())
    return ActionResult::type_unmatched;
  if (!valid_date_pattern(date) || !calendar_knows_day(m, day_id)) return ActionResult::other_reason;
  std::uint32_t at = 0;
  while (at < t.count && t.index(at) < index) ++at;
  if (at < t.count && t.index(at) == index) {
    put_entry(t.entry(at), index, date, day_id);
    return ActionResult::success;
  }
  if (t.count >= capacity_of(t.size)) return ActionResult::other_reason;
  const std::uint32_t header = header_bytes(t.count + 1);
  // Entries from `at` on move one entry (and any header growth) along, the ones before only by the growth.
  move_bytes(t.at + header + (at + 1) * kEntryBytes, t.entry(at), (t.count - at) * kEntryBytes);
  move_bytes(t.at + header, t.at + t.header, at * kEntryBytes);
  ByteWriter w(t.at, header);
  axdr::put_array(w, t.count + 1);
  t.header = header;
  ++t.count;
  put_entry(t.entry(at), index, date, day_id);
  return ActionResult::success;
}

ActionResult remove(Table& t, ByteReader params) {
  std::uint16_t index = 0;
  if (!axdr::get_u16(params, index) || !params.empty()) return ActionResult::type_unmatched;
  std::uint32_t at = 0;
  while (at < t.count && t.index(at) != index) ++at;
  if (at == t.count) return ActionResult::other_reason;
  move_bytes(t.entry(at), t.entry(at + 1), (t.count - at - 1) * kEntryBytes);
  recount(t, t.count - 1);
  return ActionResult::success;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  Table t;
  if ((method != 1 && method != 2) || !open(c.state(), c.def.value_size, t)) return ActionResult::object_unavailable;
  return method == 1 ? insert(t, c.model, params) : remove(t, params);
}

std::uint32_t state_bytes(std::uint16_t value_size) { return value_size; }

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const std::uint16_t size = m.objects[index].value_size;
  if (size < 2) return;
  ByteWriter w(s, size);
  axdr::put_array(w, 0);
  Table t;
  if (m.calendar == nullptr || !open(s, size, t)) return;
  const std::uint32_t n = m.calendar->special_day_count;
  if (n > capacity_of(size)) return;
  recount(t, n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const tables::SpecialDayDef& d = m.calendar->special_days[i];
    const std::uint8_t date[5] = {static_cast<std::uint8_t>(d.year >> 8), static_cast<std::uint8_t>(d.year & 0xFF), d.month,
                                  d.day, 0xFF};
    put_entry(t.entry(i), static_cast<std::uint16_t>(i + 1), date, static_cast<std::uint8_t>(d.day_profile + 1));
  }
}

}  // namespace

const ClassHandler kSpecialDaysTableClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                          .default_state = default_state};

std::uint32_t special_days_value_size(const CalendarCapacity& c) {
  return header_bytes(c.special_days) + c.special_days * kEntryBytes;
}

bool special_day(const tables::Model& m, const axdr::DateTime& local, std::uint8_t& day_id) {
  const std::uint16_t index = tables::find_role(m, tables::Role::special_days_table);
  if (index == tables::kNone) return false;
  const tables::ObjectDef& d = m.objects[index];
  Table t;
  if (d.class_id != 11 || d.state_offset == tables::kNoState || !open(m.state + d.state_offset, d.value_size, t))
    return false;
  for (std::uint32_t i = 0; i < t.count; ++i) {
    if (!date_matches(t.entry(i) + 7, local)) continue;
    day_id = t.entry(i)[13];
    return true;
  }
  return false;
}

// ---- Calendar helpers (class_context.hpp) ----

void move_bytes(std::uint8_t* dst, const std::uint8_t* src, std::uint32_t n) {
  if (dst < src)
    for (std::uint32_t i = 0; i < n; ++i) dst[i] = src[i];
  else if (dst > src)
    for (std::uint32_t i = n; i > 0; --i) dst[i - 1] = src[i - 1];
}

std::uint8_t weekday_of(const axdr::DateTime& t) {
  if (t.day_of_week >= 1 && t.day_of_week <= 7) return t.day_of_week;
  const std::int64_t days = axdr::days_from_civil(t.year, t.month, t.day);  // day 0 was a Thursday
  return static_cast<std::uint8_t>(((days % 7) + 10) % 7 + 1);
}

bool valid_date_pattern(const std::uint8_t* d) {
  return ((d[2] >= 1 && d[2] <= 12) || d[2] == 0xFF) && ((d[3] >= 1 && d[3] <= 31) || d[3] >= 0xFD) &&
         ((d[4] >= 1 && d[4] <= 7) || d[4] == 0xFF);
}

bool date_matches(const std::uint8_t* d, const axdr::DateTime& local) {
  const unsigned year = (d[0] << 8) | d[1];
  if (year != 0xFFFF && year != local.year) return false;
  if (d[2] != 0xFF && d[2] != local.month) return false;
  if (d[4] != 0xFF && d[4] != weekday_of(local)) return false;
  if (d[3] == 0xFF) return true;
  if (d[3] < 0xFD) return d[3] == local.day;
  const std::int64_t next = local.month == 12 ? axdr::days_from_civil(local.year + 1, 1, 1)
                                              : axdr::days_from_civil(local.year, local.month + 1U, 1);
  const std::int64_t last = next - axdr::days_from_civil(local.year, local.month, 1);  // days in the month
  return d[3] == 0xFE ? local.day == last : d[3] == 0xFD && local.day == last - 1;
}

bool valid_time(const std::uint8_t* t) {
  return t[0] < 24 && t[1] < 60 && (t[2] < 60 || t[2] == 0xFF) && (t[3] < 100 || t[3] == 0xFF);
}

}  // namespace metergen::cosem
