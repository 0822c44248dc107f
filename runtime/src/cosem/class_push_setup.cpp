// Push setup (class_id 40, version 0): attributes 2 push_object_list, 3
// send_destination_and_method, 4 communication_window, 5
// randomisation_start_interval, 6 number_of_retries, 7 repetition_delay, all
// readable and settable; method 1 push hands the object to Hooks::push_requested.
//
// State (cosem/push_setup.hpp): each attribute A-XDR encoded in its own region,
// zeros after the value. Defaults from the model's PushSetupDef (an object
// without one starts with an empty list and no destination).
//
// SET checks the whole value before anything changes: shapes (type_unmatched),
// then values (other_reason): at most kPushObjects entries, each naming an
// object of the model by class and logical name with attribute >= 1 and
// data_index 0; transport TCP (0), message A-XDR (0) and a destination
// "host:port" (valid_push_destination); at most kPushWindows windows of two
// 12-byte date-times. The push engine sends only inside a window
// (push_window_open) when the list is not empty.
#include <metergen/cosem/push_setup.hpp>

#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

// One capture-object entry: 02 04 | 12 class | 09 06 ln | 0F attribute | 12 data_index.
constexpr std::uint32_t kEntryBytes = 2 + 3 + 8 + 2 + 3;
constexpr std::uint32_t kWindowBytes = 2 + 14 + 14;
// Regions, in attribute order.
constexpr std::uint32_t kListAt = 0;
constexpr std::uint32_t kListBytes = 2 + kPushObjects * kEntryBytes;
constexpr std::uint32_t kSendAt = kListAt + kListBytes;
constexpr std::uint32_t kSendBytes = 2 + 2 + 2 + kPushDestinationBytes + 2;
constexpr std::uint32_t kWindowAt = kSendAt + kSendBytes;
constexpr std::uint32_t kWindowRegion = 2 + kPushWindows * kWindowBytes;
constexpr std::uint32_t kRandomAt = kWindowAt + kWindowRegion;
constexpr std::uint32_t kRetriesAt = kRandomAt + 3;
constexpr std::uint32_t kDelayAt = kRetriesAt + 2;
constexpr std::uint32_t kStateBytes = kDelayAt + 3;

struct Region {
  std::uint32_t at;
  std::uint32_t size;
};

// The region of attribute 2..7.
Region region_of(std::int8_t attribute) {
  switch (attribute) {
    case 2: return {kListAt, kListBytes};
    case 3: return {kSendAt, kSendBytes};
    case 4: return {kWindowAt, kWindowRegion};
    case 5: return {kRandomAt, 3};
    case 6: return {kRetriesAt, 2};
    default: return {kDelayAt, 3};
  }
}

bool usable(const tables::ObjectDef& d) {
  return d.class_id == 40 && d.state_offset != tables::kNoState && d.value_size >= kStateBytes;
}

// The value held in a region (one encoded Data).
bool held(const std::uint8_t* s, std::int8_t attribute, ByteReader& value) {
  const Region r = region_of(attribute);
  ByteReader in(s + r.at, r.size);
  return axdr::take_value(in, value);
}

void store(std::uint8_t* s, std::int8_t attribute, ByteReader value) {
  const Region r = region_of(attribute);
  copy_bytes(s + r.at, value.current(), value.remaining());
  for (std::uint32_t i = static_cast<std::uint32_t>(value.remaining()); i < r.size; ++i) s[r.at + i] = 0;
}

// ---- shape and value checks (a value is checked whole before it is stored)

DataAccessResult check_entry(const tables::Model& m, ByteReader& v) {
  std::uint32_t k = 0;
  std::uint16_t class_id = 0, data_index = 0;
  tables::LogicalName ln{};
  std::int8_t attribute = 0;
  if (!axdr::get_structure(v, k) || k != 4 || !axdr::get_u16(v, class_id) || !axdr::get_logical_name(v, ln) ||
      !axdr::get_i8(v, attribute) || !axdr::get_u16(v, data_index))
    return DataAccessResult::type_unmatched;
  const std::uint16_t object = tables::find_object(m, ln);
  if (object == tables::kNone || m.objects[object].class_id != class_id || attribute < 1 || data_index != 0)
    return DataAccessResult::other_reason;
  return DataAccessResult::success;
}

DataAccessResult check_list(const tables::Model& m, ByteReader v) {
  std::uint32_t count = 0;
  if (!axdr::get_array(v, count)) return DataAccessResult::type_unmatched;
  DataAccessResult worst = count > kPushObjects ? DataAccessResult::other_reason : DataAccessResult::success;
  for (std::uint32_t i = 0; i < count; ++i) {
    const DataAccessResult r = check_entry(m, v);
    if (r == DataAccessResult::type_unmatched) return r;
    if (r != DataAccessResult::success) worst = r;
  }
  return v.empty() ? worst : DataAccessResult::type_unmatched;
}

DataAccessResult check_send(ByteReader v) {
  std::uint32_t k = 0;
  std::uint8_t transport = 0, message = 0;
  const std::uint8_t* destination = nullptr;
  std::size_t n = 0;
  if (!axdr::get_structure(v, k) || k != 3 || !axdr::get_enum(v, transport) ||
      !axdr::get_octet_string_view(v, destination, n) || !axdr::get_enum(v, message) || !v.empty())
    return DataAccessResult::type_unmatched;
  if (transport != kPushTransportTcp || message != kPushMessageAxdr || !valid_push_destination(destination, n))
    return DataAccessResult::other_reason;
  return DataAccessResult::success;
}

DataAccessResult check_windows(ByteReader v) {
  std::uint32_t count = 0, k = 0;
  if (!axdr::get_array(v, count)) return DataAccessResult::type_unmatched;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *start = nullptr, *end = nullptr;
    std::size_t sn = 0, en = 0;
    if (!axdr::get_structure(v, k) || k != 2 || !axdr::get_octet_string_view(v, start, sn) || sn != 12 ||
        !axdr::get_octet_string_view(v, end, en) || en != 12)
      return DataAccessResult::type_unmatched;
  }
  if (!v.empty()) return DataAccessResult::type_unmatched;
  return count > kPushWindows ? DataAccessResult::other_reason : DataAccessResult::success;
}

DataAccessResult check_fixed(std::int8_t attribute, ByteReader v) {
  std::uint16_t u16 = 0;
  std::uint8_t u8 = 0;
  const bool ok = attribute == 6 ? axdr::get_u8(v, u8) : axdr::get_u16(v, u16);
  return ok && v.empty() ? DataAccessResult::success : DataAccessResult::type_unmatched;
}

DataAccessResult check(const ClassContext& c, std::int8_t attribute, ByteReader value) {
  switch (attribute) {
    case 2: return check_list(c.model, value);
    case 3: return check_send(value);
    case 4: return check_windows(value);
    default: return check_fixed(attribute, value);
  }
}

// ---- services

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint8_t* s = c.state();
  ByteReader value;
  if (sel != nullptr || s == nullptr || !usable(c.def) || attribute < 2 || attribute > 7 || !held(s, attribute, value))
    return DataAccessResult::object_unavailable;
  out.bytes(value.current(), value.remaining());
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  std::uint8_t* s = c.state();
  if (sel != nullptr || s == nullptr || !usable(c.def) || attribute < 2 || attribute > 7)
    return DataAccessResult::object_unavailable;
  // One Data that fits its region, then the attribute's own checks.
  ByteReader whole = value, one;
  if (!axdr::take_value(whole, one) || !whole.empty()) return DataAccessResult::type_unmatched;
  const DataAccessResult r = check(c, attribute, one);
  if (r != DataAccessResult::success) return r;
  if (one.remaining() > region_of(attribute).size) return DataAccessResult::other_reason;
  store(s, attribute, one);
  return DataAccessResult::success;
}

dlms::ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  if (method != 1) return dlms::ActionResult::object_unavailable;
  if (!is_zero_parameter(params)) return dlms::ActionResult::type_unmatched;
  return c.hooks.push_requested(c.index) ? dlms::ActionResult::success : dlms::ActionResult::temporary_failure;
}

std::uint32_t state_bytes(std::uint16_t value_size) { return value_size; }

const tables::PushSetupDef* push_def(const tables::Model& m, std::uint16_t index) {
  for (std::uint8_t i = 0; i < m.push_setup_count; ++i)
    if (m.push_setups[i].object == index) return &m.push_setups[i];
  return nullptr;
}

void put_default_list(const tables::Model& m, const tables::PushSetupDef* p, ByteWriter& w) {
  const std::uint16_t n = p != nullptr && p->capture_count <= kPushObjects ? p->capture_count : 0;
  axdr::put_array(w, n);
  for (std::uint16_t i = 0; i < n; ++i) {
    const tables::CaptureDef& cd = m.captures[p->first_capture + i];
    axdr::put_structure(w, 4);
    axdr::put_long_unsigned(w, m.objects[cd.object].class_id);
    axdr::put_logical_name(w, m.objects[cd.object].ln);
    axdr::put_integer(w, cd.attribute);
    axdr::put_long_unsigned(w, cd.data_index);
  }
}

std::size_t text_size(const char* s) {
  std::size_t n = 0;
  while (s != nullptr && s[n] != '\0' && n < kPushDestinationBytes) ++n;
  return n;
}

void default_state(const tables::Model& m, std::uint16_t index, std::uint8_t* s) {
  if (!usable(m.objects[index])) return;
  const tables::PushSetupDef* p = push_def(m, index);
  ByteWriter list(s + kListAt, kListBytes);
  put_default_list(m, p, list);
  ByteWriter send(s + kSendAt, kSendBytes);
  axdr::put_structure(send, 3);
  axdr::put_enum(send, kPushTransportTcp);
  const char* destination = p != nullptr ? p->destination : nullptr;
  axdr::put_octet_string(send, reinterpret_cast<const std::uint8_t*>(destination), text_size(destination));
  axdr::put_enum(send, kPushMessageAxdr);
  ByteWriter window(s + kWindowAt, kWindowRegion);
  axdr::put_array(window, 0);
  ByteWriter fixed(s + kRandomAt, kStateBytes - kRandomAt);
  axdr::put_long_unsigned(fixed, p != nullptr ? p->randomisation_s : 0);
  axdr::put_unsigned(fixed, p != nullptr ? p->retries : 0);
  axdr::put_long_unsigned(fixed, p != nullptr ? p->repetition_delay_s : 0);
}

// A window bound with its wildcards resolved against `now` (local): a date
// field not specified is today's; a time field not specified is the start of
// its range for a start, the end of it for an end. The deviation is not
// looked at (the bound is local time). Seconds on the local time line, false
// when the bound names no day (a day the month lacks, DST month codes).
bool window_bound(const std::uint8_t* raw, const axdr::DateTime& now, bool start, std::int64_t& at) {
  ByteReader r(raw, axdr::kDateTimeSize);
  axdr::DateTime b{};
  if (!axdr::get_date_time_raw(r, b)) return false;
  auto unset = [](std::uint8_t v) { return v == axdr::kNotSpecified; };
  if (b.year == axdr::kYearNotSpecified) b.year = now.year;
  if (unset(b.month)) b.month = now.month;
  if (unset(b.day)) b.day = now.day;
  if (unset(b.hour)) b.hour = start ? 0 : 23;
  if (unset(b.minute)) b.minute = start ? 0 : 59;
  if (unset(b.second)) b.second = start ? 0 : 59;
  b.hundredths = 0;
  b.deviation = 0;
  return axdr::to_utc_seconds(b, at);
}

// Whether local time `now` is within [start, end) of one window; a window
// whose end comes before its start on the same day wraps past midnight.
bool within_window(const std::uint8_t* start_raw, const std::uint8_t* end_raw, const axdr::DateTime& now) {
  const std::uint8_t start_dow = start_raw[4];
  if (start_dow != axdr::kNotSpecified && start_dow != now.day_of_week) return false;
  axdr::DateTime local = now;
  local.hundredths = 0;
  local.deviation = 0;
  std::int64_t t = 0, start = 0, end = 0;
  if (!axdr::to_utc_seconds(local, t) || !window_bound(start_raw, now, true, start) ||
      !window_bound(end_raw, now, false, end))
    return false;
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

}  // namespace

const ClassHandler kPushSetupClass{.get = get, .set = set, .action = action, .state_bytes = state_bytes,
                                   .default_state = default_state};

std::uint32_t push_setup_value_size() { return kStateBytes; }

bool valid_push_destination(const std::uint8_t* text, std::size_t n) {
  if (text == nullptr || n > kPushDestinationBytes) return false;
  std::size_t colon = n;
  for (std::size_t i = 0; i < n; ++i)
    if (text[i] == ':') colon = i;
  if (colon == 0 || colon == n || n - colon - 1 > 5) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const std::uint8_t ch = text[i];
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
    if (!ok) return false;
  }
  std::uint32_t port = 0;
  for (std::size_t i = colon + 1; i < n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    port = port * 10 + (text[i] - '0');
  }
  return port >= 1 && port <= 65535 && text[colon + 1] != '0';
}

bool push_settings(const tables::Model& m, std::uint16_t object, PushSettings& out) {
  if (object >= m.object_count || !usable(m.objects[object])) return false;
  const std::uint8_t* s = m.state + m.objects[object].state_offset;
  ByteReader list, send, random, retries, delay;
  std::uint32_t k = 0;
  std::uint8_t transport = 0;
  if (!held(s, 2, list) || !axdr::get_array(list, out.object_count) || !held(s, 3, send) ||
      !axdr::get_structure(send, k) || !axdr::get_enum(send, transport) ||
      !axdr::get_octet_string_view(send, out.destination, out.destination_size))
    return false;
  return held(s, 5, random) && axdr::get_u16(random, out.randomisation_s) && held(s, 6, retries) &&
         axdr::get_u8(retries, out.retries) && held(s, 7, delay) && axdr::get_u16(delay, out.repetition_delay_s);
}

bool push_window_open(const tables::Model& m, std::uint16_t object, const axdr::DateTime& local) {
  if (object >= m.object_count || !usable(m.objects[object])) return true;
  ByteReader windows;
  std::uint32_t count = 0, k = 0;
  if (!held(m.state + m.objects[object].state_offset, 4, windows) || !axdr::get_array(windows, count) || count == 0)
    return true;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t *start = nullptr, *end = nullptr;
    std::size_t sn = 0, en = 0;
    if (!axdr::get_structure(windows, k) || !axdr::get_octet_string_view(windows, start, sn) ||
        !axdr::get_octet_string_view(windows, end, en))
      return false;
    if (within_window(start, end, local)) return true;
  }
  return false;
}

bool push_entry(const tables::Model& m, std::uint16_t object, std::uint32_t i, std::uint16_t& target,
                std::int8_t& attribute) {
  if (object >= m.object_count || !usable(m.objects[object])) return false;
  ByteReader list;
  std::uint32_t count = 0, k = 0;
  std::uint16_t class_id = 0, data_index = 0;
  tables::LogicalName ln{};
  if (!held(m.state + m.objects[object].state_offset, 2, list) || !axdr::get_array(list, count) || i >= count)
    return false;
  list.take(i * kEntryBytes);  // entries were checked when stored: each takes kEntryBytes
  if (!axdr::get_structure(list, k) || !axdr::get_u16(list, class_id) || !axdr::get_logical_name(list, ln) ||
      !axdr::get_i8(list, attribute) || !axdr::get_u16(list, data_index))
    return false;
  target = tables::find_object(m, ln);
  if (target != tables::kNone && m.objects[target].class_id != class_id) target = tables::kNone;
  return true;
}

}  // namespace metergen::cosem
