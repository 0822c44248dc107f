// Single action schedule (class_id 22, version 0): attributes 2
// executed_script, 3 type, 4 execution_time, all settable; no methods.
//
// State: the three attributes A-XDR encoded in value_size bytes
// (single_action_schedule_value_size): executed_script (13 bytes: 02 02 | 09 06
// logical name | 12 selector), type (16 t), execution_time (an array of at most
// kScheduleEntries structure{time octet-string(4), date octet-string(5)}),
// zeros after the end. At boot the schedule with role billing_schedule runs
// script 1 of the script table with role md_reset_script, type 1, at
// BillingDef::monthly_minute on BillingDef::monthly_day of every month, when
// the model bills monthly and automatically (methods bit 0); every other
// schedule starts unset (logical name 0.0.0.0.0.0, selector 0, type 1, no entries).
//
// SET checks: executed_script names a script table of the model (or is the
// unset reference above); type 1..5; times of day (hour and minute without
// wildcards); dates with month 1..12 or 0xFF, day 1..31, 0xFD, 0xFE or 0xFF,
// day_of_week 1..7 or 0xFF; and the type's rules over the entries: type 1 at
// most one entry, types 2 and 3 one time for all entries, types 2 and 4 no
// wildcard in year, month or day. Setting the type checks the entries held,
// setting the entries checks them against the type held. Shape errors answer
// type_unmatched, the rest other_reason.
#include <metergen/cosem/calendar.hpp>

#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr std::uint32_t kScriptBytes = 13;
constexpr std::uint32_t kTypeAt = kScriptBytes;  // 16 t
constexpr std::uint32_t kTimesAt = kTypeAt + 2;
constexpr std::uint32_t kEntryBytes = 2 + (2 + 4) + (2 + 5);

bool usable(const tables::ObjectDef& d) {
  return d.class_id == 22 && d.state_offset != tables::kNoState && d.value_size >= single_action_schedule_value_size();
}

// The entries of an execution_time value (or of the state's), each 15 bytes
// once checked: time at +4, date at +10.
struct Times {
  const std::uint8_t* first = nullptr;
  std::uint32_t count = 0;
  const std::uint8_t* entry(std::uint32_t i) const { return first + i * kEntryBytes; }
};

// Reads a well-formed execution_time value; false on a shape error.
bool read_times(ByteReader v, Times& t) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(v, count)) return false;
  t.first = v.current();
  t.count = count;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *time = nullptr, *date = nullptr;
    std::size_t tn = 0, dn = 0;
    if (!axdr::get_structure(v, k) || k != 2 || !axdr::get_octet_string_view(v, time, tn) || tn != 4 ||
        !axdr::get_octet_string_view(v, date, dn) || dn != 5)
      return false;
  }
  return v.empty();
}

bool wildcard_date(const std::uint8_t* d) { return (d[0] == 0xFF && d[1] == 0xFF) || d[2] == 0xFF || d[3] >= 0xFD; }

// The entries' own validity and the rules of `type` over them.
bool conforms(const Times& t, std::uint8_t type) {
  if (type < 1 || type > 5 || t.count > kScheduleEntries || (type == 1 && t.count > 1)) return false;
  for (std::uint32_t i = 0; i < t.count; ++i) {
    const std::uint8_t* time = t.entry(i) + 4;
    const std::uint8_t* date = t.entry(i) + 10;
    if (!valid_time(time) || !valid_date_pattern(date)) return false;
    if ((type == 2 || type == 3) && !equal_bytes(time, t.entry(0) + 4, 4)) return false;
    if ((type == 2 || type == 4) && wildcard_date(date)) return false;
  }
  return true;
}

bool held_times(const std::uint8_t* s, std::uint16_t size, Times& t) {
  ByteReader r(s + kTimesAt, size - kTimesAt);
  ByteReader v;
  return axdr::take_value(r, v) && read_times(v, t);
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || !usable(c.def)) return DataAccessResult::object_unavailable;
  switch (attribute) {
    case 2: out.bytes(s, kScriptBytes); return DataAccessResult::success;
    case 3: out.bytes(s + kTypeAt, 2); return DataAccessResult::success;
    case 4: {
      ByteReader r(s + kTimesAt, c.def.value_size - kTimesAt);
      ByteReader v;
      if (!axdr::take_value(r, v)) return DataAccessResult::object_unavailable;
      out.bytes(v.current(), v.remaining());
      return DataAccessResult::success;
    }
    default: return DataAccessResult::object_unavailable;
  }
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || !usable(c.def) || attribute < 2 || attribute > 4)
    return DataAccessResult::object_unavailable;
  Times held;
  if (!held_times(s, c.def.value_size, held)) return DataAccessResult::other_reason;
  if (attribute == 2) {
    std::uint32_t k = 0;
    tables::LogicalName ln{};
    std::uint16_t selector = 0;
    const ByteReader whole = value;
    if (value.remaining() != kScriptBytes || !axdr::get_structure(value, k) || k != 2 || !axdr::get_logical_name(value, ln) ||
        !axdr::get_u16(value, selector) || !value.empty())
      return DataAccessResult::type_unmatched;
    const std::uint16_t table = tables::find_object(c.model, ln);
    const bool unset = ln == tables::LogicalName{} && selector == 0;
    if (!unset && (table == tables::kNone || c.model.objects[table].class_id != 9)) return DataAccessResult::other_reason;
    copy_bytes(s, whole.current(), kScriptBytes);
    return DataAccessResult::success;
  }
  if (attribute == 3) {
    std::uint8_t type = 0;
    if (!axdr::get_enum(value, type) || !value.empty()) return DataAccessResult::type_unmatched;
    if (!conforms(held, type)) return DataAccessResult::other_reason;
    s[kTypeAt + 1] = type;
    return DataAccessResult::success;
  }
  Times next;
  if (!read_times(value, next)) return DataAccessResult::type_unmatched;
  if (!conforms(next, s[kTypeAt + 1])) return DataAccessResult::other_reason;
  const std::uint32_t room = c.def.value_size - kTimesAt;
  if (value.remaining() > room) return DataAccessResult::other_reason;
  copy_bytes(s + kTimesAt, value.current(), value.remaining());
  for (std::uint32_t i = static_cast<std::uint32_t>(value.remaining()); i < room; ++i) s[kTimesAt + i] = 0;
  return DataAccessResult::success;
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

std::uint32_t state_bytes(std::uint16_t value_size) { return value_size; }

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const tables::ObjectDef& d = m.objects[index];
  if (!usable(d)) return;
  const tables::BillingDef& b = m.billing;
  const std::uint16_t script = tables::find_role(m, tables::Role::md_reset_script);
  const bool monthly = d.role == tables::Role::billing_schedule && b.monthly_minute != tables::kNone &&
                       (b.methods & 0x01) != 0 && script != tables::kNone;
  ByteWriter w(s, d.value_size);
  axdr::put_structure(w, 2);
  axdr::put_logical_name(w, monthly ? m.objects[script].ln : tables::LogicalName{});
  axdr::put_long_unsigned(w, monthly ? 1 : 0);
  axdr::put_enum(w, 1);
  axdr::put_array(w, monthly ? 1 : 0);
  if (!monthly) return;
  const std::uint8_t time[4] = {static_cast<std::uint8_t>(b.monthly_minute / 60),
                                static_cast<std::uint8_t>(b.monthly_minute % 60), 0, 0};
  const std::uint8_t date[5] = {0xFF, 0xFF, 0xFF, b.monthly_day, 0xFF};
  axdr::put_structure(w, 2);
  axdr::put_octet_string(w, time, 4);
  axdr::put_octet_string(w, date, 5);
}

}  // namespace

const ClassHandler kSingleActionScheduleClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                              .default_state = default_state};

std::uint32_t single_action_schedule_value_size() { return kTimesAt + 2 + kScheduleEntries * kEntryBytes; }

bool schedule_fires(const tables::Model& m, std::uint16_t object, const axdr::DateTime& local) {
  if (object >= m.object_count || !usable(m.objects[object])) return false;
  Times t;
  if (!held_times(m.state + m.objects[object].state_offset, m.objects[object].value_size, t)) return false;
  for (std::uint32_t i = 0; i < t.count; ++i) {
    const std::uint8_t* time = t.entry(i) + 4;
    if (time[0] == local.hour && time[1] == local.minute && date_matches(t.entry(i) + 10, local)) return true;
  }
  return false;
}

bool schedule_script(const tables::Model& m, std::uint16_t object, std::uint16_t& script_table, std::uint16_t& selector) {
  if (object >= m.object_count || !usable(m.objects[object])) return false;
  const std::uint8_t* s = m.state + m.objects[object].state_offset;
  tables::LogicalName ln{};
  copy_bytes(ln.b, s + 4, 6);
  const std::uint16_t sel = static_cast<std::uint16_t>((s[11] << 8) | s[12]);
  const std::uint16_t table = tables::find_object(m, ln);
  if (sel == 0 || table == tables::kNone || m.objects[table].class_id != 9) return false;
  script_table = table;
  selector = sel;
  return true;
}

}  // namespace metergen::cosem
