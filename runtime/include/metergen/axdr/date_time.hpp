// COSEM date-time (IEC 62056-6-2 §4.1.6.1): the 12-byte value, its two wire
// forms, "not specified" fields, and conversion to and from UTC seconds.
//
// Owns: date-time encoding/decoding and civil-calendar arithmetic (no libc).
// Uses: bytes.hpp and axdr.hpp.
//
// Layout: year(2) month day day_of_week hour minute second hundredths
// deviation(int16, minutes) clock_status. Deviation is minutes from local time
// to UTC: UTC = local + deviation, so UTC+1 is -60 (0xFFC4).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/axdr/axdr.hpp>
#include <metergen/bytes.hpp>

namespace metergen::axdr {

inline constexpr std::uint16_t kYearNotSpecified = 0xFFFF;
inline constexpr std::uint8_t kNotSpecified = 0xFF;           // any one-byte field
inline constexpr std::int16_t kDeviationNotSpecified = -32768;  // 0x8000
inline constexpr std::size_t kDateTimeSize = 12;

// Clock status bits.
inline constexpr std::uint8_t kStatusInvalid = 0x01;
inline constexpr std::uint8_t kStatusDoubtful = 0x02;
inline constexpr std::uint8_t kStatusDifferentBase = 0x04;
inline constexpr std::uint8_t kStatusInvalidClock = 0x08;
inline constexpr std::uint8_t kStatusDaylightSaving = 0x80;

struct DateTime {
  std::uint16_t year;
  std::uint8_t month;        // 1..12, 0xFD DST end, 0xFE DST begin, 0xFF n.s.
  std::uint8_t day;          // 1..31, 0xFD second last, 0xFE last, 0xFF n.s.
  std::uint8_t day_of_week;  // 1 = Monday .. 7 = Sunday, 0xFF n.s.
  std::uint8_t hour;
  std::uint8_t minute;
  std::uint8_t second;
  std::uint8_t hundredths;
  std::int16_t deviation;    // minutes, local -> UTC
  std::uint8_t status;
};

// The 12 content bytes, no tag.
void put_date_time_raw(ByteWriter& w, const DateTime& t);
// octet-string(12): 09 0C + 12 bytes — the COSEM convention for clock time.
void put_date_time_octets(ByteWriter& w, const DateTime& t);
// date-time (tag 0x19) + 12 bytes.
void put_date_time(ByteWriter& w, const DateTime& t);

// Reads 12 content bytes (no tag). Fields are taken as they are (no range check).
bool get_date_time_raw(ByteReader& r, DateTime& t);
// Reads either wire form: 09 0C <12> or 19 <12>. On a tag mismatch nothing is consumed.
bool get_date_time(ByteReader& r, DateTime& t);

// True when the value names one instant: year, month 1..12, day 1..days in
// that month, hour < 24, minute < 60, second < 60, hundredths < 100 or n.s.
// (read as 0), and a deviation within ±15 h. day_of_week and status are ignored.
bool is_instant(const DateTime& t);

// Seconds since 1970-01-01 00:00 UTC; false unless is_instant(t). Hundredths are dropped.
bool to_utc_seconds(const DateTime& t, std::int64_t& utc);
// The local date-time of `utc` for a clock with the given deviation (local = UTC
// - deviation), day_of_week filled in, hundredths 0.
DateTime from_utc_seconds(std::int64_t utc, std::int16_t deviation, std::uint8_t status = 0);

// Compares two date-times as instants (hundredths included): order < 0, 0, > 0
// when a is before, at, after b. False when either is not an instant.
bool compare_instants(const DateTime& a, const DateTime& b, int& order);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int32_t year, unsigned month, unsigned day);
void civil_from_days(std::int64_t days, std::int32_t& year, unsigned& month, unsigned& day);

}  // namespace metergen::axdr
