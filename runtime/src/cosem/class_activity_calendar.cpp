// Activity calendar (class_id 20, version 0): attributes 2..5 (the active
// calendar, read-only), 6..9 (the passive calendar, settable), 10
// activate_passive_calendar_time (settable) and method 1
// activate_passive_calendar, which copies 6..9 into 2..5.
//
// State: the active calendar | the passive calendar | attribute 10 (09 0C +
// 12 bytes). A calendar is its four attributes A-XDR encoded back to back
// (name, season_profile, week_profile_table, day_profile_table) in value_size
// bytes (activity_calendar_value_size, zeros after the end), so a GET is a copy
// of one of them. Both calendars start as the model's CalendarDef
// (calendar.hpp: names and day_id numbering); every day schedule action names
// the script table with role tariff_script and the tariff as script_selector.
//
// A SET is checked whole before anything changes: the value's shape and
// lengths, the counts against calendar_capacity, names up to
// kProfileNameBytes (kCalendarNameBytes for the calendar name), season starts
// with a month 1..12 and day 1..31, week_names that the passive week profile
// table has, day_ids that the passive day profile table has, unique day_ids,
// start times that are times of day, and actions that name the tariff script
// table with a selector 1..tariffs. Write the day profiles first, then the week
// profiles, then the seasons. Shape errors answer type_unmatched, the rest
// other_reason. Attribute 10 takes an instant (compared as local time) or any
// value whose year is not specified, which never activates.
#include <metergen/cosem/calendar.hpp>

#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

constexpr std::uint32_t kTimeBytes = 14;  // attribute 10 in the state: 09 0C + 12 bytes
constexpr std::uint8_t kTimeUnset[kTimeBytes] = {0x09, 0x0C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF};
constexpr std::uint32_t kSeasonBytes = 2 + (2 + kProfileNameBytes) + (2 + 12) + (2 + kProfileNameBytes);
constexpr std::uint32_t kWeekBytes = 2 + (2 + kProfileNameBytes) + 7 * 2;
constexpr std::uint32_t kActionBytes = 2 + (2 + 4) + (2 + 6) + 3;  // structure{time, logical name, selector}

std::uint32_t array_header(std::uint32_t n) { return 1 + static_cast<std::uint32_t>(axdr::length_size(n)); }

// Parts of one calendar in the state.
enum Part : int { kName = 0, kSeasons = 1, kWeeks = 2, kDays = 3 };

struct Calendar {
  std::uint8_t* at = nullptr;
  std::uint16_t cap = 0;
  std::uint32_t offset[5] = {};  // start of each part; offset[4] is the end

  bool parse() {
    ByteReader r(at, cap);
    for (int i = 0; i < 4; ++i) {
      offset[i] = static_cast<std::uint32_t>(r.position());
      if (!axdr::skip_value(r)) return false;
    }
    offset[4] = static_cast<std::uint32_t>(r.position());
    return true;
  }
  ByteReader part(int i) const { return ByteReader(at + offset[i], offset[i + 1] - offset[i]); }
};

// The state of an activity calendar object, nullptr when it has none.
std::uint8_t* state_of(const tables::Model& m, std::uint16_t index) {
  if (index >= m.object_count) return nullptr;
  const tables::ObjectDef& d = m.objects[index];
  if (d.class_id != 20 || d.state_offset == tables::kNoState || d.value_size == 0) return nullptr;
  return m.state + d.state_offset;
}

bool open(std::uint8_t* s, std::uint16_t value_size, bool passive, Calendar& c) {
  c.at = s + (passive ? value_size : 0);
  c.cap = value_size;
  return c.parse();
}

// ---- Reading a calendar (state written by this file: trusted shape, still bounded) ----

// The 7 day_ids of the week profile named `name`.
bool find_week(ByteReader weeks, const std::uint8_t* name, std::size_t n, std::uint8_t day_ids[7]) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(weeks, count)) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* p = nullptr;
    std::size_t len = 0;
    if (!axdr::get_structure(weeks, k) || k != 8 || !axdr::get_octet_string_view(weeks, p, len)) return false;
    for (int d = 0; d < 7; ++d)
      if (!axdr::get_u8(weeks, day_ids[d])) return false;
    if (len == n && equal_bytes(p, name, n)) return true;
  }
  return false;
}

// The day profile `day_id`; its day_schedule into *schedule when given.
bool find_day(ByteReader days, std::uint8_t day_id, ByteReader* schedule) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(days, count)) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t id = 0;
    ByteReader actions;
    if (!axdr::get_structure(days, k) || k != 2 || !axdr::get_u8(days, id) || !axdr::take_value(days, actions))
      return false;
    if (id != day_id) continue;
    if (schedule != nullptr) *schedule = actions;
    return true;
  }
  return false;
}

// The week_name of the season in force on month/day: the latest start not
// after it, else (before every start) the latest start of all.
bool season_week(ByteReader seasons, unsigned month, unsigned day, const std::uint8_t*& week, std::size_t& n) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(seasons, count)) return false;
  const unsigned today = month * 32 + day;
  int best = -1, latest = -1;
  const std::uint8_t* best_week = nullptr;
  const std::uint8_t* latest_week = nullptr;
  std::size_t best_n = 0, latest_n = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *name = nullptr, *start = nullptr, *w = nullptr;
    std::size_t name_n = 0, start_n = 0, w_n = 0;
    if (!axdr::get_structure(seasons, k) || k != 3 || !axdr::get_octet_string_view(seasons, name, name_n) ||
        !axdr::get_octet_string_view(seasons, start, start_n) || start_n != 12 ||
        !axdr::get_octet_string_view(seasons, w, w_n))
      return false;
    const int key = start[2] * 32 + start[3];
    if (key <= static_cast<int>(today) && key >= best) best = key, best_week = w, best_n = w_n;
    if (key >= latest) latest = key, latest_week = w, latest_n = w_n;
  }
  if (best >= 0) week = best_week, n = best_n;
  else if (latest >= 0) week = latest_week, n = latest_n;
  else return false;
  return true;
}

// The script_selector of the action with the latest start_time not after h:m:s; 0 when none.
std::uint16_t selector_at(ByteReader actions, unsigned h, unsigned m, unsigned s) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(actions, count)) return 0;
  const long now = static_cast<long>(h * 3600 + m * 60 + s);
  long best = -1;
  std::uint16_t selector = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *t = nullptr, *ln = nullptr;
    std::size_t t_n = 0, ln_n = 0;
    std::uint16_t sel = 0;
    if (!axdr::get_structure(actions, k) || k != 3 || !axdr::get_octet_string_view(actions, t, t_n) || t_n != 4 ||
        !axdr::get_octet_string_view(actions, ln, ln_n) || !axdr::get_u16(actions, sel))
      return 0;
    const long start = static_cast<long>(t[0] * 3600 + t[1] * 60 + (t[2] == 0xFF ? 0 : t[2]));
    if (start <= now && start >= best) best = start, selector = sel;
  }
  return selector;
}

// ---- Checking a client's value ----

// Exactly one well-formed Data: what every check starts from.
bool one_value(ByteReader v) { return axdr::skip_value(v) && v.empty(); }

DataAccessResult check_name(ByteReader v) {
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  if (!axdr::get_octet_string_view(v, p, n) || !v.empty()) return DataAccessResult::type_unmatched;
  return n <= kCalendarNameBytes ? DataAccessResult::success : DataAccessResult::other_reason;
}

DataAccessResult check_seasons(ByteReader v, const CalendarCapacity& cap, ByteReader weeks) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(v, count)) return DataAccessResult::type_unmatched;
  DataAccessResult range = count <= cap.seasons ? DataAccessResult::success : DataAccessResult::other_reason;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *name = nullptr, *start = nullptr, *w = nullptr;
    std::size_t name_n = 0, start_n = 0, w_n = 0;
    if (!axdr::get_structure(v, k) || k != 3 || !axdr::get_octet_string_view(v, name, name_n) ||
        !axdr::get_octet_string_view(v, start, start_n) || start_n != 12 || !axdr::get_octet_string_view(v, w, w_n))
      return DataAccessResult::type_unmatched;
    std::uint8_t ids[7];
    if (name_n > kProfileNameBytes || w_n > kProfileNameBytes || start[2] < 1 || start[2] > 12 || start[3] < 1 ||
        start[3] > 31 || !find_week(weeks, w, w_n, ids))
      range = DataAccessResult::other_reason;
  }
  return v.empty() ? range : DataAccessResult::type_unmatched;
}

DataAccessResult check_weeks(ByteReader v, const CalendarCapacity& cap, ByteReader days) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(v, count)) return DataAccessResult::type_unmatched;
  DataAccessResult range = count <= cap.week_profiles ? DataAccessResult::success : DataAccessResult::other_reason;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* name = nullptr;
    std::size_t n = 0;
    if (!axdr::get_structure(v, k) || k != 8 || !axdr::get_octet_string_view(v, name, n))
      return DataAccessResult::type_unmatched;
    if (n > kProfileNameBytes) range = DataAccessResult::other_reason;
    for (int d = 0; d < 7; ++d) {
      std::uint8_t id = 0;
      if (!axdr::get_u8(v, id)) return DataAccessResult::type_unmatched;
      if (!find_day(days, id, nullptr)) range = DataAccessResult::other_reason;
    }
  }
  return v.empty() ? range : DataAccessResult::type_unmatched;
}

DataAccessResult check_days(ByteReader v, const CalendarCapacity& cap, const tables::Model& m) {
  const std::uint16_t script = tables::find_role(m, tables::Role::tariff_script);
  const unsigned tariffs = m.calendar != nullptr ? m.calendar->tariffs : 0;
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(v, count)) return DataAccessResult::type_unmatched;
  DataAccessResult range = count <= cap.day_profiles ? DataAccessResult::success : DataAccessResult::other_reason;
  std::uint8_t seen[32] = {};
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t id = 0;
    std::uint32_t actions = 0;
    if (!axdr::get_structure(v, k) || k != 2 || !axdr::get_u8(v, id) || !axdr::get_array(v, actions))
      return DataAccessResult::type_unmatched;
    if ((seen[id / 8] >> (id % 8)) & 1) range = DataAccessResult::other_reason;
    seen[id / 8] = static_cast<std::uint8_t>(seen[id / 8] | (1u << (id % 8)));
    if (actions > cap.switchings) range = DataAccessResult::other_reason;
    for (std::uint32_t a = 0; a < actions; ++a) {
      const std::uint8_t* t = nullptr;
      std::size_t t_n = 0;
      tables::LogicalName ln{};
      std::uint16_t selector = 0;
      if (!axdr::get_structure(v, k) || k != 3 || !axdr::get_octet_string_view(v, t, t_n) || t_n != 4 ||
          !axdr::get_logical_name(v, ln) || !axdr::get_u16(v, selector))
        return DataAccessResult::type_unmatched;
      const bool tariff_script = script != tables::kNone && m.objects[script].ln == ln;
      if (!valid_time(t) || !tariff_script || selector < 1 || selector > tariffs) range = DataAccessResult::other_reason;
    }
  }
  return v.empty() ? range : DataAccessResult::type_unmatched;
}

// An instant as local time, or any value whose year is not specified.
DataAccessResult check_activation_time(ByteReader v) {
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  if (!axdr::get_octet_string_view(v, p, n) || n != 12 || !v.empty()) return DataAccessResult::type_unmatched;
  if (p[0] == 0xFF && p[1] == 0xFF) return DataAccessResult::success;
  const unsigned year = (p[0] << 8) | p[1], month = p[2], day = p[3];
  if (month < 1 || month > 12 || day < 1) return DataAccessResult::other_reason;
  const std::int64_t first = axdr::days_from_civil(static_cast<std::int32_t>(year), month, 1);
  const std::int64_t next = month == 12 ? axdr::days_from_civil(static_cast<std::int32_t>(year) + 1, 1, 1)
                                        : axdr::days_from_civil(static_cast<std::int32_t>(year), month + 1, 1);
  const bool ok = day <= next - first && p[5] < 24 && p[6] < 60 && (p[7] < 60 || p[7] == 0xFF);
  return ok ? DataAccessResult::success : DataAccessResult::other_reason;
}

// Replaces one part of a calendar with `v`, moving the parts after it.
DataAccessResult replace(Calendar& c, int part, ByteReader v) {
  const std::uint32_t old_n = c.offset[part + 1] - c.offset[part], n = static_cast<std::uint32_t>(v.remaining());
  const std::uint32_t end = c.offset[4], new_end = end - old_n + n;
  if (new_end > c.cap) return DataAccessResult::other_reason;
  move_bytes(c.at + c.offset[part] + n, c.at + c.offset[part + 1], end - c.offset[part + 1]);
  copy_bytes(c.at + c.offset[part], v.current(), n);
  for (std::uint32_t i = new_end; i < end; ++i) c.at[i] = 0;
  return DataAccessResult::success;
}

// ---- Services ----

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || c.def.value_size == 0 || attribute < 2 || attribute > 10)
    return DataAccessResult::object_unavailable;
  if (attribute == 10) {
    out.bytes(s + 2u * c.def.value_size, kTimeBytes);
    return DataAccessResult::success;
  }
  Calendar cal;
  if (!open(s, c.def.value_size, attribute >= 6, cal)) return DataAccessResult::object_unavailable;
  const int part = (attribute - 2) % 4;
  out.bytes(cal.at + cal.offset[part], cal.offset[part + 1] - cal.offset[part]);
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || c.def.value_size == 0 || c.model.calendar == nullptr || attribute < 2 ||
      attribute > 10)
    return DataAccessResult::object_unavailable;
  if (attribute <= 5) return DataAccessResult::read_write_denied;
  if (!one_value(value)) return DataAccessResult::type_unmatched;
  if (attribute == 10) {
    const DataAccessResult r = check_activation_time(value);
    if (r == DataAccessResult::success) copy_bytes(s + 2u * c.def.value_size, value.current(), kTimeBytes);
    return r;
  }
  Calendar passive;
  if (!open(s, c.def.value_size, true, passive)) return DataAccessResult::other_reason;
  const CalendarCapacity cap = calendar_capacity(*c.model.calendar);
  DataAccessResult r = DataAccessResult::success;
  switch (attribute) {
    case 6: r = check_name(value); break;
    case 7: r = check_seasons(value, cap, passive.part(kWeeks)); break;
    case 8: r = check_weeks(value, cap, passive.part(kDays)); break;
    default: r = check_days(value, cap, c.model); break;
  }
  return r == DataAccessResult::success ? replace(passive, attribute - 6, value) : r;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  std::uint8_t* s = c.state();
  if (method != 1 || s == nullptr || c.def.value_size == 0) return ActionResult::object_unavailable;
  if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
  copy_bytes(s, s + c.def.value_size, c.def.value_size);
  return ActionResult::success;
}

std::uint32_t state_bytes(std::uint16_t value_size) { return value_size == 0 ? 0 : 2u * value_size + kTimeBytes; }

void put_default_calendar(const tables::Model& m, ByteWriter& w) {
  const tables::CalendarDef& cal = *m.calendar;
  std::size_t id_n = 0;
  while (m.id != nullptr && m.id[id_n] != '\0' && id_n < kCalendarNameBytes) ++id_n;
  axdr::put_octet_string(w, reinterpret_cast<const std::uint8_t*>(m.id), id_n);
  axdr::put_array(w, cal.season_count);
  for (std::uint8_t i = 0; i < cal.season_count; ++i) {
    const tables::SeasonDef& se = cal.seasons[i];
    const std::uint8_t name = static_cast<std::uint8_t>(i + 1), week = static_cast<std::uint8_t>(se.week + 1);
    const std::uint8_t start[12] = {0xFF, 0xFF, se.month, se.day, 0xFF, 0, 0, 0, 0, 0x80, 0x00, 0xFF};
    axdr::put_structure(w, 3);
    axdr::put_octet_string(w, &name, 1);
    axdr::put_octet_string(w, start, 12);
    axdr::put_octet_string(w, &week, 1);
  }
  axdr::put_array(w, cal.week_count);
  for (std::uint8_t i = 0; i < cal.week_count; ++i) {
    const std::uint8_t name = static_cast<std::uint8_t>(i + 1);
    axdr::put_structure(w, 8);
    axdr::put_octet_string(w, &name, 1);
    for (std::uint8_t d : cal.weeks[i].day) axdr::put_unsigned(w, static_cast<std::uint8_t>(d + 1));
  }
  const std::uint16_t script = tables::find_role(m, tables::Role::tariff_script);
  const tables::LogicalName script_ln = script != tables::kNone ? m.objects[script].ln : tables::LogicalName{};
  axdr::put_array(w, cal.day_count);
  for (std::uint8_t i = 0; i < cal.day_count; ++i) {
    const tables::DayProfileDef& day = cal.days[i];
    axdr::put_structure(w, 2);
    axdr::put_unsigned(w, static_cast<std::uint8_t>(i + 1));
    axdr::put_array(w, day.switching_count);
    for (std::uint8_t k = 0; k < day.switching_count; ++k) {
      const tables::SwitchingDef& sw = cal.switchings[day.first_switching + k];
      const std::uint8_t time[4] = {static_cast<std::uint8_t>(sw.minute / 60), static_cast<std::uint8_t>(sw.minute % 60), 0, 0};
      axdr::put_structure(w, 3);
      axdr::put_octet_string(w, time, 4);
      axdr::put_logical_name(w, script_ln);
      axdr::put_long_unsigned(w, sw.tariff);
    }
  }
}

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  const std::uint16_t n = m.objects[index].value_size;
  if (m.calendar == nullptr || n == 0) return;
  ByteWriter w(s, n);
  put_default_calendar(m, w);
  if (w.overflow()) {  // tables sized by another rule: an empty calendar rather than a cut one
    for (std::uint16_t i = 0; i < n; ++i) s[i] = 0;
    ByteWriter e(s, n);
    axdr::put_octet_string(e, nullptr, 0);
    for (int i = 0; i < 3; ++i) axdr::put_array(e, 0);
  }
  copy_bytes(s + n, s, n);
  copy_bytes(s + 2u * n, kTimeUnset, kTimeBytes);
}

}  // namespace

const ClassHandler kActivityCalendarClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                          .default_state = default_state};

// ---- Capacities (calendar.hpp) ----

CalendarCapacity calendar_capacity(const tables::CalendarDef& c) {
  std::uint16_t switchings = c.max_switchings;
  for (std::uint8_t i = 0; i < c.day_count; ++i)
    if (c.days != nullptr && c.days[i].switching_count > switchings) switchings = c.days[i].switching_count;
  auto larger = [](std::uint16_t a, std::uint16_t b) { return a > b ? a : b; };
  return {larger(c.max_seasons, c.season_count), larger(c.max_week_profiles, c.week_count),
          larger(c.max_day_profiles, c.day_count), switchings, larger(c.max_special_days, c.special_day_count)};
}

std::uint32_t activity_calendar_value_size(const CalendarCapacity& c) {
  const std::uint32_t day = 2 + 2 + array_header(c.switchings) + c.switchings * kActionBytes;
  return (2 + kCalendarNameBytes) + array_header(c.seasons) + c.seasons * kSeasonBytes +
         array_header(c.week_profiles) + c.week_profiles * kWeekBytes + array_header(c.day_profiles) +
         c.day_profiles * day;
}

// ---- Lookups (calendar.hpp) ----

std::uint8_t tariff_at(const tables::Model& m, const axdr::DateTime& local) {
  const std::uint16_t index = tables::find_role(m, tables::Role::activity_calendar);
  std::uint8_t* s = state_of(m, index);
  Calendar active;
  if (s == nullptr || !open(s, m.objects[index].value_size, false, active)) return 0;
  std::uint8_t day_id = 0;
  if (!special_day(m, local, day_id)) {
    const std::uint8_t* week = nullptr;
    std::size_t n = 0;
    std::uint8_t ids[7];
    if (!season_week(active.part(kSeasons), local.month, local.day, week, n) ||
        !find_week(active.part(kWeeks), week, n, ids))
      return 0;
    day_id = ids[weekday_of(local) - 1];
  }
  ByteReader actions;
  if (!find_day(active.part(kDays), day_id, &actions)) return 0;
  const std::uint16_t selector = selector_at(actions, local.hour, local.minute, local.second == 0xFF ? 0 : local.second);
  return selector <= 0xFF ? static_cast<std::uint8_t>(selector) : 0;
}

bool activate_passive_if_due(const tables::Model& m, const axdr::DateTime& local) {
  const std::uint16_t index = tables::find_role(m, tables::Role::activity_calendar);
  std::uint8_t* s = state_of(m, index);
  if (s == nullptr) return false;
  const std::uint16_t n = m.objects[index].value_size;
  const std::uint8_t* t = s + 2u * n + 2;
  if (t[0] == 0xFF && t[1] == 0xFF) return false;
  const std::uint32_t at[6] = {static_cast<std::uint32_t>((t[0] << 8) | t[1]), t[2], t[3], t[5], t[6],
                               t[7] == 0xFF ? 0u : t[7]};
  const std::uint32_t now[6] = {local.year, local.month, local.day, local.hour, local.minute,
                                local.second == 0xFF ? 0u : local.second};
  for (int i = 0; i < 6; ++i) {
    if (at[i] < now[i]) break;
    if (at[i] > now[i]) return false;
  }
  copy_bytes(s, s + n, n);
  copy_bytes(s + 2u * n, kTimeUnset, kTimeBytes);
  return true;
}

bool calendar_knows_day(const tables::Model& m, std::uint8_t day_id) {
  const std::uint16_t index = tables::find_role(m, tables::Role::activity_calendar);
  std::uint8_t* s = state_of(m, index);
  Calendar active;
  if (s == nullptr || !open(s, m.objects[index].value_size, false, active)) return true;
  return find_day(active.part(kDays), day_id, nullptr);
}

}  // namespace metergen::cosem
