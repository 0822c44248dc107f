// COSEM date-time codec and civil-calendar arithmetic (see axdr/date_time.hpp).
// Uses bytes.hpp and axdr.hpp only; no libc time functions.
#include <metergen/axdr/date_time.hpp>

namespace metergen::axdr {
namespace {

constexpr std::uint8_t kDateTimeTag = 0x19;
constexpr std::int16_t kMaxDeviation = 15 * 60;
constexpr std::int64_t kSecondsPerDay = 86400;

constexpr bool is_leap(std::int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(std::int32_t y, unsigned m) {
  constexpr std::uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

constexpr std::uint8_t hundredths_or_zero(const DateTime& t) { return t.hundredths == kNotSpecified ? 0 : t.hundredths; }

}  // namespace

void put_date_time_raw(ByteWriter& w, const DateTime& t) {
  w.be16(t.year);
  w.u8(t.month);
  w.u8(t.day);
  w.u8(t.day_of_week);
  w.u8(t.hour);
  w.u8(t.minute);
  w.u8(t.second);
  w.u8(t.hundredths);
  w.be16(static_cast<std::uint16_t>(t.deviation));
  w.u8(t.status);
}

void put_date_time_octets(ByteWriter& w, const DateTime& t) {
  put_tag(w, DataType::octet_string);
  put_length(w, kDateTimeSize);
  put_date_time_raw(w, t);
}

void put_date_time(ByteWriter& w, const DateTime& t) {
  put_tag(w, DataType::date_time);
  put_date_time_raw(w, t);
}

bool get_date_time_raw(ByteReader& r, DateTime& t) {
  if (r.remaining() < kDateTimeSize) return false;
  t.year = r.be16();
  t.month = r.u8();
  t.day = r.u8();
  t.day_of_week = r.u8();
  t.hour = r.u8();
  t.minute = r.u8();
  t.second = r.u8();
  t.hundredths = r.u8();
  t.deviation = static_cast<std::int16_t>(r.be16());
  t.status = r.u8();
  return !r.error();
}

bool get_date_time(ByteReader& r, DateTime& t) {
  if (r.remaining() < 1 + kDateTimeSize) return false;
  std::uint8_t tag = r.peek();
  if (tag == kDateTimeTag) {
    r.u8();
    return get_date_time_raw(r, t);
  }
  if (tag != static_cast<std::uint8_t>(DataType::octet_string) || r.remaining() < 2 + kDateTimeSize ||
      r.current()[1] != kDateTimeSize)
    return false;
  r.take(2);
  return get_date_time_raw(r, t);
}

bool is_instant(const DateTime& t) {
  return t.year != kYearNotSpecified && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
         t.day <= days_in_month(t.year, t.month) && t.hour < 24 && t.minute < 60 && t.second < 60 &&
         (t.hundredths < 100 || t.hundredths == kNotSpecified) && t.deviation >= -kMaxDeviation &&
         t.deviation <= kMaxDeviation;
}

std::int64_t days_from_civil(std::int32_t year, unsigned month, unsigned day) {
  // Years counted from March, so the leap day ends a year; 400-year eras of 146097 days.
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

void civil_from_days(std::int64_t days, std::int32_t& year, unsigned& month, unsigned& day) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  year = static_cast<std::int32_t>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
}

bool to_utc_seconds(const DateTime& t, std::int64_t& utc) {
  if (!is_instant(t)) return false;
  const std::int64_t local = days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 +
                             t.minute * 60 + t.second;
  utc = local + t.deviation * 60;
  return true;
}

DateTime from_utc_seconds(std::int64_t utc, std::int16_t deviation, std::uint8_t status) {
  const std::int64_t offset = deviation == kDeviationNotSpecified ? 0 : deviation;
  const std::int64_t local = utc - offset * 60;
  const std::int64_t days = floor_div(local, kSecondsPerDay);
  const std::int64_t seconds = local - days * kSecondsPerDay;
  std::int32_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, year, month, day);
  DateTime t{};
  t.year = static_cast<std::uint16_t>(year);
  t.month = static_cast<std::uint8_t>(month);
  t.day = static_cast<std::uint8_t>(day);
  t.day_of_week = static_cast<std::uint8_t>((days % 7 + 10) % 7 + 1);  // 1970-01-01 was a Thursday
  t.hour = static_cast<std::uint8_t>(seconds / 3600);
  t.minute = static_cast<std::uint8_t>(seconds / 60 % 60);
  t.second = static_cast<std::uint8_t>(seconds % 60);
  t.hundredths = 0;
  t.deviation = deviation;
  t.status = status;
  return t;
}

bool compare_instants(const DateTime& a, const DateTime& b, int& order) {
  std::int64_t ua = 0, ub = 0;
  if (!to_utc_seconds(a, ua) || !to_utc_seconds(b, ub)) return false;
  const std::int64_t ha = ua * 100 + hundredths_or_zero(a);
  const std::int64_t hb = ub * 100 + hundredths_or_zero(b);
  order = ha < hb ? -1 : ha > hb ? 1 : 0;
  return true;
}

}  // namespace metergen::axdr
