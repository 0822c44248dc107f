// Clock (class_id 8): local time from hal.utc_ms() with the time zone and DST
// rule of the ClockSettings, the settings attributes 3, 5..9, and methods
// adjust_to_quarter (1), adjust_to_minute (3), shift_time (6).
//
// Signs: ClockSettings::time_zone_min is local standard time minus UTC (CET =
// +60, as in the spec); attribute 3 and the date-time deviation are minutes from
// local time to UTC (CET = -60, CEST deviation = -120; dlms-protocol.md §14).
// DST begin is a local standard time, DST end a local daylight time (EU rule:
// both 01:00 UTC).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::DataType;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::uint8_t kLast = 0xFE, kSecondLast = 0xFD, kAny = 0xFF;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 1 = Monday .. 7 = Sunday; day 0 (1970-01-01) was a Thursday.
unsigned weekday(std::int64_t days) { return static_cast<unsigned>(((days % 7) + 10) % 7) + 1; }

// Local seconds since the epoch at which the pattern (month, day of month, day
// of week, hour, minute of a date-time) falls in `year`; false when it names no day.
bool pattern_in_year(const std::uint8_t* p, std::int32_t year, std::int64_t& local_s) {
  const unsigned month = p[2], dom = p[3], dow = p[4];
  if (month < 1 || month > 12) return false;
  const std::int64_t first = axdr::days_from_civil(year, month, 1);
  const std::int64_t next = month == 12 ? axdr::days_from_civil(year + 1, 1, 1) : axdr::days_from_civil(year, month + 1, 1);
  const std::int64_t length = next - first;
  std::int64_t day;
  if (dom == kLast || dom == kSecondLast) {
    day = next - 1 - (dom == kSecondLast ? (dow == kAny ? 1 : 7) : 0);
    if (dow != kAny)
      while (weekday(day) != dow && day > first) --day;
  } else {
    const unsigned start = dom == kAny ? 1 : dom;
    if (start < 1 || start > length) return false;
    day = first + start - 1;
    if (dow != kAny)
      for (int i = 0; i < 6 && weekday(day) != dow; ++i) ++day;
  }
  if (dow != kAny && (dow < 1 || dow > 7 || weekday(day) != dow)) return false;
  const unsigned hour = p[5] == kAny ? 0 : p[5], minute = p[6] == kAny ? 0 : p[6];
  local_s = day * kDay + hour * 3600 + minute * 60;
  return true;
}

bool dst_active(const ClockSettings& c, std::int64_t utc_s) {
  if (!c.dst_enabled) return false;
  const std::int64_t standard = utc_s + c.time_zone_min * 60;
  std::int32_t year;
  unsigned month, day;
  axdr::civil_from_days(floor_div(standard, kDay), year, month, day);
  std::int64_t begin, end;
  if (!pattern_in_year(c.dst_begin, year, begin) || !pattern_in_year(c.dst_end, year, end)) return false;
  end -= c.dst_deviation_min * 60;
  return begin < end ? (standard >= begin && standard < end) : (standard >= begin || standard < end);
}

void rule_pattern(const tables::DstRuleDef& r, std::uint8_t* p) {
  const std::uint8_t pattern[12] = {
      0xFF, 0xFF, r.month,
      static_cast<std::uint8_t>(r.week == 0 ? r.day : r.week == 5 ? kLast : 1 + 7 * (r.week - 1)),
      static_cast<std::uint8_t>(r.week == 0 ? kAny : r.weekday),
      static_cast<std::uint8_t>(r.minute / 60), static_cast<std::uint8_t>(r.minute % 60), 0, 0, 0x80, 0x00, 0xFF};
  copy_bytes(p, pattern, 12);
}

bool valid_pattern(const std::uint8_t* p) {
  return p[2] >= 1 && p[2] <= 12 && ((p[3] >= 1 && p[3] <= 31) || p[3] >= kSecondLast) &&
         ((p[4] >= 1 && p[4] <= 7) || p[4] == kAny) && (p[5] < 24 || p[5] == kAny) && (p[6] < 60 || p[6] == kAny);
}

// Reads exactly one value of `type` and nothing more; false otherwise.
bool read_only(ByteReader& r, DataType type, std::int64_t& v) {
  if (r.u8() != static_cast<std::uint8_t>(type)) return false;
  switch (type) {
    case DataType::long_: v = static_cast<std::int16_t>(r.be16()); break;
    case DataType::integer: v = static_cast<std::int8_t>(r.u8()); break;
    default: v = r.u8(); break;  // boolean, enum, unsigned
  }
  return !r.error() && r.empty();
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  const ClockSettings& s = c.clock;
  switch (attribute) {
    case 2: axdr::put_date_time_octets(out, local_now(c.hal, s)); break;
    case 3: axdr::put_long(out, static_cast<std::int16_t>(-s.time_zone_min)); break;
    case 4: axdr::put_unsigned(out, local_now(c.hal, s).status); break;
    case 5: axdr::put_octet_string(out, s.dst_begin, 12); break;
    case 6: axdr::put_octet_string(out, s.dst_end, 12); break;
    case 7: axdr::put_integer(out, s.dst_deviation_min); break;
    case 8: axdr::put_boolean(out, s.dst_enabled != 0); break;
    case 9: axdr::put_enum(out, s.clock_base); break;
    default: return DataAccessResult::object_unavailable;
  }
  return DataAccessResult::success;
}

DataAccessResult set_time(const ClassContext& c, ByteReader value) {
  axdr::DateTime t;
  if (!axdr::get_date_time(value, t) || !value.empty()) return DataAccessResult::type_unmatched;
  const bool zone_given = t.deviation != axdr::kDeviationNotSpecified;
  if (!zone_given) t.deviation = static_cast<std::int16_t>(-c.clock.time_zone_min);
  std::int64_t utc;
  if (!axdr::to_utc_seconds(t, utc) || utc < 0) return DataAccessResult::other_reason;
  if (!zone_given && dst_active(c.clock, utc - c.clock.dst_deviation_min * 60)) utc -= c.clock.dst_deviation_min * 60;
  const std::uint64_t hundredths = t.hundredths < 100 ? t.hundredths : 0;
  // A time that could not be kept is not acknowledged (nor logged as set).
  if (!c.hal.set_utc_ms(static_cast<std::uint64_t>(utc) * 1000 + hundredths * 10)) return DataAccessResult::hardware_fault;
  c.hooks.clock_set();
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (sel != nullptr || attribute < 2 || attribute > 9) return DataAccessResult::object_unavailable;
  if (attribute == 2) return set_time(c, value);
  if (attribute == 4) return DataAccessResult::read_write_denied;
  ClockSettings next = c.clock;
  std::int64_t v = 0;
  switch (attribute) {
    case 3:
      if (!read_only(value, DataType::long_, v)) return DataAccessResult::type_unmatched;
      if (v < -840 || v > 720) return DataAccessResult::other_reason;
      next.time_zone_min = static_cast<std::int16_t>(-v);
      break;
    case 5: case 6: {
      const std::uint8_t* p = nullptr;
      if (value.u8() != static_cast<std::uint8_t>(DataType::octet_string) || value.u8() != 12 ||
          (p = value.take(12)) == nullptr || !value.empty())
        return DataAccessResult::type_unmatched;
      if (!valid_pattern(p)) return DataAccessResult::other_reason;
      copy_bytes(attribute == 5 ? next.dst_begin : next.dst_end, p, 12);
      break;
    }
    case 7:
      if (!read_only(value, DataType::integer, v)) return DataAccessResult::type_unmatched;
      if (v < -120 || v > 120) return DataAccessResult::other_reason;
      next.dst_deviation_min = static_cast<std::int8_t>(v);
      break;
    case 8:
      if (!read_only(value, DataType::boolean, v)) return DataAccessResult::type_unmatched;
      next.dst_enabled = v != 0;
      break;
    default:  // 9
      if (!read_only(value, DataType::enum_, v)) return DataAccessResult::type_unmatched;
      if (v > 5) return DataAccessResult::other_reason;
      next.clock_base = static_cast<std::uint8_t>(v);
      break;
  }
  c.clock = next;
  c.hooks.clock_set();
  return DataAccessResult::success;
}

ActionResult shift(const ClassContext& c, std::int64_t new_ms) {
  if (new_ms < 0) return ActionResult::other_reason;
  if (!c.hal.set_utc_ms(static_cast<std::uint64_t>(new_ms))) return ActionResult::hardware_fault;
  c.hooks.clock_set();
  return ActionResult::success;
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  const std::int64_t now = static_cast<std::int64_t>(c.hal.utc_ms());
  switch (method) {
    case 1: case 3: {
      if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
      const std::int64_t step = method == 1 ? 900000 : 60000;  // quarter hour / minute, to the nearest
      return shift(c, (now + step / 2) / step * step);
    }
    case 6: {
      std::int64_t seconds;
      if (!read_only(params, DataType::long_, seconds)) return ActionResult::type_unmatched;
      if (seconds < -900 || seconds > 900) return ActionResult::other_reason;
      return shift(c, now + seconds * 1000);
    }
    case 2: case 4: case 5: return ActionResult::other_reason;
    default: return ActionResult::object_unavailable;
  }
}

}  // namespace

axdr::DateTime local_time(const ClockSettings& clock, std::int64_t utc_s) {
  const bool dst = dst_active(clock, utc_s);
  const std::int16_t deviation = static_cast<std::int16_t>(-(clock.time_zone_min + (dst ? clock.dst_deviation_min : 0)));
  return axdr::from_utc_seconds(utc_s, deviation, dst ? axdr::kStatusDaylightSaving : 0);
}

axdr::DateTime local_now(hal::Hal& hal, const ClockSettings& clock) {
  const std::uint64_t ms = hal.utc_ms();
  axdr::DateTime t = local_time(clock, static_cast<std::int64_t>(ms / 1000));
  t.hundredths = static_cast<std::uint8_t>(ms % 1000 / 10);
  if (!hal.clock_valid()) t.status |= axdr::kStatusInvalid;
  return t;
}

ClockSettings default_clock_settings(const tables::ClockDef& def) {
  ClockSettings s{};
  s.time_zone_min = def.time_zone_min;
  rule_pattern(def.dst_begin, s.dst_begin);
  rule_pattern(def.dst_end, s.dst_end);
  s.dst_deviation_min = def.dst_deviation_min;
  s.dst_enabled = def.dst_enabled ? 1 : 0;
  s.clock_base = def.clock_base;
  return s;
}

const ClassHandler kClockClass{get, set, action};

}  // namespace metergen::cosem
