// COSEM date-time: wire forms, "not specified" fields, UTC conversion and
// ordering. Expected bytes from dlms-protocol.md §14; UTC seconds and weekdays
// worked out independently (calendar arithmetic by hand, checked against a
// desktop calendar: 2021-01-24 was a Sunday).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <metergen/axdr/date_time.hpp>

namespace metergen::axdr {
namespace {

using Bytes = std::vector<std::uint8_t>;

// §14: 2021-01-24 14:48:57.80, UTC+1 (deviation -60 = FF C4), status OK.
const Bytes kExample{0x07, 0xE5, 0x01, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50, 0xFF, 0xC4, 0x00};
constexpr DateTime kExampleValue{2021, 1, 24, 0xFF, 14, 48, 57, 80, -60, 0};
// 2021-01-24 13:48:57 UTC: 18651 days after 1970-01-01 (51 years, 13 leap days,
// + 23) × 86400 + 49737 s.
constexpr std::int64_t kExampleUtc = 1611496137;

Bytes encode(void (*put)(ByteWriter&, const DateTime&), const DateTime& t) {
  std::uint8_t buf[32];
  ByteWriter w(buf, sizeof buf);
  put(w, t);
  return Bytes(buf, buf + w.size());
}

Bytes with_prefix(Bytes prefix, const Bytes& content) {
  prefix.insert(prefix.end(), content.begin(), content.end());
  return prefix;
}

bool same(const DateTime& a, const DateTime& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day && a.day_of_week == b.day_of_week &&
         a.hour == b.hour && a.minute == b.minute && a.second == b.second && a.hundredths == b.hundredths &&
         a.deviation == b.deviation && a.status == b.status;
}

TEST(AxdrDateTime, EncodesDocumentExample) {
  EXPECT_EQ(encode(put_date_time_raw, kExampleValue), kExample);
  EXPECT_EQ(encode(put_date_time_octets, kExampleValue), with_prefix({0x09, 0x0C}, kExample));
  EXPECT_EQ(encode(put_date_time, kExampleValue), with_prefix({0x19}, kExample));
}

TEST(AxdrDateTime, DecodesBothWireForms) {
  for (const Bytes& b : {with_prefix({0x09, 0x0C}, kExample), with_prefix({0x19}, kExample)}) {
    ByteReader r(b.data(), b.size());
    DateTime t{};
    ASSERT_TRUE(get_date_time(r, t));
    EXPECT_TRUE(same(t, kExampleValue));
    EXPECT_TRUE(r.empty());
  }
}

TEST(AxdrDateTime, RejectsOtherForms) {
  const Bytes wrong_length = with_prefix({0x09, 0x0B}, kExample);
  const Bytes truncated = with_prefix({0x19}, Bytes(kExample.begin(), kExample.end() - 1));
  const Bytes other_tag = with_prefix({0x1A}, kExample);
  for (const Bytes& b : {wrong_length, truncated, other_tag}) {
    ByteReader r(b.data(), b.size());
    DateTime t{};
    EXPECT_FALSE(get_date_time(r, t));
    EXPECT_EQ(r.position(), 0u);
  }
}

TEST(AxdrDateTime, ToUtcHonoursDeviationSign) {
  std::int64_t utc = 0;
  ASSERT_TRUE(to_utc_seconds(kExampleValue, utc));
  EXPECT_EQ(utc, kExampleUtc);
  // §14 (dlms-cosem): 2020-01-01 00:03:00+02:00 = 07 E4 01 01 FF 00 03 00 00 FF 88 00
  // = 2019-12-31 22:03:00 UTC = 18261 days × 86400 - 7020 s.
  const Bytes b{0x07, 0xE4, 0x01, 0x01, 0xFF, 0x00, 0x03, 0x00, 0x00, 0xFF, 0x88, 0x00};
  ByteReader r(b.data(), b.size());
  DateTime t{};
  ASSERT_TRUE(get_date_time_raw(r, t));
  EXPECT_EQ(t.deviation, -120);
  ASSERT_TRUE(to_utc_seconds(t, utc));
  EXPECT_EQ(utc, 1577829780);
}

TEST(AxdrDateTime, FromUtcGivesLocalTimeAndWeekday) {
  DateTime t = from_utc_seconds(kExampleUtc, -60);
  DateTime expected = kExampleValue;
  expected.day_of_week = 7;  // Sunday
  expected.hundredths = 0;
  EXPECT_TRUE(same(t, expected));
  EXPECT_EQ(encode(put_date_time_raw, t),
            (Bytes{0x07, 0xE5, 0x01, 0x18, 0x07, 0x0E, 0x30, 0x39, 0x00, 0xFF, 0xC4, 0x00}));

  DateTime before_epoch = from_utc_seconds(-1, 0, kStatusDaylightSaving);
  EXPECT_TRUE(same(before_epoch, DateTime{1969, 12, 31, 3, 23, 59, 59, 0, 0, kStatusDaylightSaving}));
  DateTime epoch_east = from_utc_seconds(0, -120);  // 1970-01-01 02:00 local, a Thursday
  EXPECT_TRUE(same(epoch_east, DateTime{1970, 1, 1, 4, 2, 0, 0, 0, -120, 0}));
}

// Day counts by hand: 1970..1999 = 30 × 365 + 7 leap days = 10957 to 2000-01-01,
// + 31 + 29 = 11017 to 2000-03-01.
TEST(AxdrDateTime, CivilDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2000, 2, 29), 11016);
  std::int32_t y = 0;
  unsigned m = 0, d = 0;
  for (std::int64_t days = -800000; days <= 800000; days += 997) {
    civil_from_days(days, y, m, d);
    ASSERT_EQ(days_from_civil(y, m, d), days);
  }
  civil_from_days(11016, y, m, d);
  EXPECT_EQ(y, 2000);
  EXPECT_EQ(m, 2u);
  EXPECT_EQ(d, 29u);
}

TEST(AxdrDateTime, NotSpecifiedIsNotAnInstant) {
  std::int64_t utc = 0;
  DateTime t = kExampleValue;
  t.year = kYearNotSpecified;
  EXPECT_FALSE(to_utc_seconds(t, utc));
  t = kExampleValue;
  t.deviation = kDeviationNotSpecified;
  EXPECT_FALSE(is_instant(t));
  t = kExampleValue;
  t.hour = kNotSpecified;
  EXPECT_FALSE(is_instant(t));
  t = kExampleValue;
  t.month = 0xFE;  // DST begin
  EXPECT_FALSE(is_instant(t));
  t = DateTime{2023, 2, 29, 0xFF, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(is_instant(t)) << "2023 is not a leap year";
  t.year = 2024;
  EXPECT_TRUE(is_instant(t));
  t = kExampleValue;
  t.hundredths = kNotSpecified;
  EXPECT_TRUE(is_instant(t)) << "unspecified hundredths read as 0";
}

TEST(AxdrDateTime, CompareInstants) {
  int order = 2;
  DateTime same_instant_utc{2021, 1, 24, 7, 13, 48, 57, 80, 0, 0};
  ASSERT_TRUE(compare_instants(kExampleValue, same_instant_utc, order));
  EXPECT_EQ(order, 0);
  DateTime later = kExampleValue;
  later.hundredths = 81;
  ASSERT_TRUE(compare_instants(kExampleValue, later, order));
  EXPECT_EQ(order, -1);
  // 14:48:57 local UTC+1 is after 14:48:57 local UTC+2.
  DateTime east = kExampleValue;
  east.deviation = -120;
  ASSERT_TRUE(compare_instants(kExampleValue, east, order));
  EXPECT_EQ(order, 1);
  DateTime unknown = kExampleValue;
  unknown.year = kYearNotSpecified;
  EXPECT_FALSE(compare_instants(kExampleValue, unknown, order));
}

}  // namespace
}  // namespace metergen::axdr
