// The calendar classes (activity calendar IC 20, special days table IC 11,
// single action schedule IC 22, script table IC 9 attribute 2) and the lookups
// of cosem/calendar.hpp, against hxf300-eu's and clms100's tables.
//
// Expected bytes are laid out by hand from cosem-interface-classes.md §7, §8,
// §13, §15 and the `calendar:` / `billing:` sections of specs/hxf300-eu.yaml
// and specs/clms100.yaml, with the numbering of calendar.hpp (day_id = day
// profile index + 1; season and week names one byte, index + 1; calendar name =
// model id). Weekdays: 2026-01-01 was a Thursday, so 2026-03-02 is a Monday,
// 2026-03-07 a Saturday, 2026-12-25 a Friday; 2027-01-01 is a Friday and
// 2027-12-25 a Saturday.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <metergen/cosem/calendar.hpp>
#include <metergen/cosem/objects.hpp>
#include <metergen/dlms/server.hpp>
#include <clms100/model.hpp>
#include <hxf300-eu/model.hpp>

#include "../support/memory_hal.hpp"
#include "../support/nvm_emulator.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::axdr::DateTime;
using metergen::cosem::Objects;
using metergen::cosem::Profiles;
using metergen::dlms::ActionResult;
using metergen::dlms::DataAccessResult;
using metergen::test::hex;
namespace hxf = metergen::models::hxf300_eu;
namespace clms = metergen::models::clms100;
using Bytes = std::vector<std::uint8_t>;

class AnySession final : public metergen::cosem::Session {
 public:
  std::uint16_t association() const override { return 0; }
  std::uint8_t association_status() const override { return 2; }
  std::uint32_t negotiated_conformance() const override { return 0x00101D; }
  std::uint16_t negotiated_max_pdu() const override { return 0x0400; }
  metergen::tables::Authentication mechanism() const override { return metergen::tables::Authentication::none; }
  ActionResult reply_to_hls_authentication(ByteReader, ByteWriter&) override { return ActionResult::other_reason; }
};

class NoHooks final : public metergen::cosem::Hooks {};

// Local time; the weekday is given, as the clock gives it.
DateTime at(std::uint16_t year, std::uint8_t month, std::uint8_t day, std::uint8_t weekday, std::uint8_t hour,
            std::uint8_t minute) {
  return DateTime{year, month, day, weekday, hour, minute, 0, 0, -60, 0};
}

constexpr std::uint8_t kMon = 1, kFri = 5, kSat = 6, kSun = 7;

class CalendarObjects : public ::testing::Test {
 protected:
  explicit CalendarObjects(const metergen::tables::Model& model = hxf::model) : model_(model) {}

  const metergen::tables::Model& model_;
  metergen::test::MemoryHal hal{1u << 16};
  NoHooks hooks;
  AnySession session;
  Profiles profiles{model_, hal};
  Objects objects{model_, hal, hooks, profiles};

  void SetUp() override { objects.boot(); }

  Bytes get(std::uint16_t object, std::int8_t attribute, DataAccessResult expected = DataAccessResult::success) {
    Bytes buf(8192);
    ByteWriter w(buf.data(), buf.size());
    EXPECT_EQ(objects.get(session, object, attribute, nullptr, w), expected);
    buf.resize(w.size());
    return buf;
  }
  DataAccessResult set(std::uint16_t object, std::int8_t attribute, const Bytes& value) {
    return objects.set(session, object, attribute, nullptr, ByteReader(value.data(), value.size()));
  }
  ActionResult act(std::uint16_t object, std::int8_t method, const Bytes& params) {
    std::uint8_t buf[16];
    ByteWriter ret(buf, sizeof buf);
    bool has_return = false;
    return objects.action(session, object, method, ByteReader(params.data(), params.size()), ret, has_return);
  }
  std::uint8_t tariff(const DateTime& t) const { return metergen::cosem::tariff_at(model_, t); }
};

// One day_schedule action: structure{time hh:mm:00.00, script 0.0.10.0.100.255, selector}.
Bytes action(std::uint8_t hour, std::uint8_t minute, std::uint8_t tariff) {
  Bytes b = hex("02 03 09 04");
  b.insert(b.end(), {hour, minute, 0x00, 0x00});
  const Bytes rest = hex("09 06 00 00 0A 00 64 FF 12 00");
  b.insert(b.end(), rest.begin(), rest.end());
  b.push_back(tariff);
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// ---- Activity calendar: GET of the defaults ----

TEST_F(CalendarObjects, ActiveAndPassiveStartAsTheSpecCalendar) {
  // calendar_name: octet-string "hxf300-eu".
  const Bytes name = hex("09 09 68 78 66 33 30 30 2D 65 75");
  // season_profile: one season {name 01, start FFFF-01-01 (weekday n.s.) 00:00:00.00, deviation n.s.,
  // status n.s., week_name 01}.
  const Bytes seasons = hex("01 01 02 03 09 01 01 09 0C FF FF 01 01 FF 00 00 00 00 80 00 FF 09 01 01");
  // week_profile_table: week 01, Monday..Friday workday (day_id 1), Saturday and Sunday weekend (2).
  const Bytes weeks = hex("01 01 02 08 09 01 01 11 01 11 01 11 01 11 01 11 01 11 02 11 02");
  // day_profile_table: workday 00:00 T1, 07:00 T2, 17:00 T3, 21:00 T2, 23:00 T1; weekend 00:00 T4.
  const Bytes days = cat({hex("01 02 02 02 11 01 01 05"),
                          hex("02 03 09 04 00 00 00 00 09 06 00 00 0A 00 64 FF 12 00 01"),
                          hex("02 03 09 04 07 00 00 00 09 06 00 00 0A 00 64 FF 12 00 02"),
                          hex("02 03 09 04 11 00 00 00 09 06 00 00 0A 00 64 FF 12 00 03"),
                          hex("02 03 09 04 15 00 00 00 09 06 00 00 0A 00 64 FF 12 00 02"),
                          hex("02 03 09 04 17 00 00 00 09 06 00 00 0A 00 64 FF 12 00 01"),
                          hex("02 02 11 02 01 01 02 03 09 04 00 00 00 00 09 06 00 00 0A 00 64 FF 12 00 04")});
  EXPECT_EQ(get(hxf::objects::activity_calendar, 2), name);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 3), seasons);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 4), weeks);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 5), days);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 6), name);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 7), seasons);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 8), weeks);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 9), days);
  // activate_passive_calendar_time not specified: FFFF FF FF FF FF FF FF FF, deviation 8000, status FF.
  EXPECT_EQ(get(hxf::objects::activity_calendar, 10), hex("09 0C FF FF FF FF FF FF FF FF FF 80 00 FF"));
  get(hxf::objects::activity_calendar, 11, DataAccessResult::object_unavailable);
}

TEST_F(CalendarObjects, SpecialDaysStartAsTheSpecSpecialDays) {
  // entries: {1, FFFF-01-01 weekday n.s., day_id 2 (weekend)}, {2, FFFF-12-25, 2} and the
  // one-year special day {3, 2027 (07EB)-03-29, 2}.
  EXPECT_EQ(get(hxf::objects::special_days_table, 2),
            hex("01 03 02 03 12 00 01 09 05 FF FF 01 01 FF 11 02 02 03 12 00 02 09 05 FF FF 0C 19 FF 11 02"
                " 02 03 12 00 03 09 05 07 EB 03 1D FF 11 02"));
}

// ---- tariff_at ----

TEST_F(CalendarObjects, TariffFollowsTheWorkdayProfile) {
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 6, 59)), 1);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 7, 0)), 2);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 16, 59)), 2);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 17, 0)), 3);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 21, 30)), 2);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 23, 0)), 1);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 0, 0)), 1);
}

TEST_F(CalendarObjects, WeekendsAndSpecialDaysAreTariffFour) {
  EXPECT_EQ(tariff(at(2026, 3, 7, kSat, 12, 0)), 4);
  EXPECT_EQ(tariff(at(2026, 3, 8, kSun, 8, 0)), 4);
  EXPECT_EQ(tariff(at(2027, 12, 25, kSat, 12, 0)), 4);
  EXPECT_EQ(tariff(at(2026, 12, 25, kFri, 12, 0)), 4);  // a Friday: the special day decides
  EXPECT_EQ(tariff(at(2027, 1, 1, kFri, 8, 0)), 4);
  EXPECT_EQ(tariff(at(2026, 12, 24, 4, 12, 0)), 2);     // the Thursday before is a workday
  // The weekday is computed when the clock leaves it unspecified.
  EXPECT_EQ(tariff(at(2026, 3, 7, 0xFF, 12, 0)), 4);
}

class ClmsCalendar : public CalendarObjects {
 protected:
  ClmsCalendar() : CalendarObjects(clms::model) {}
};

TEST_F(ClmsCalendar, TariffFollowsClms100Calendar) {
  // clms100: workday 00:00 T3, 06:00 T2, 22:00 T3; weekend T3; no special days.
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 5, 59)), 3);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 6, 0)), 2);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 21, 59)), 2);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 22, 0)), 3);
  EXPECT_EQ(tariff(at(2026, 3, 7, kSat, 12, 0)), 3);
  EXPECT_EQ(get(clms::objects::special_days_table, 2), hex("01 00"));
}

// ---- Passive calendar: SET, checks, activation ----

// A passive calendar "new": one day profile (id 1: 00:00 T1, 12:00 T4), one week "W" of it, one season "S" from 01-01.
const Bytes kNewDays = cat({hex("01 01 02 02 11 01 01 02"), action(0, 0, 1), action(12, 0, 4)});
const Bytes kNewWeeks = hex("01 01 02 08 09 01 57 11 01 11 01 11 01 11 01 11 01 11 01 11 01");
const Bytes kNewSeasons = hex("01 01 02 03 09 01 53 09 0C FF FF 01 01 FF 00 00 00 00 80 00 FF 09 01 57");

void set_new_passive(Objects& objects, metergen::cosem::Session& session) {
  auto set = [&](std::int8_t attribute, const Bytes& v) {
    return objects.set(session, hxf::objects::activity_calendar, attribute, nullptr, ByteReader(v.data(), v.size()));
  };
  ASSERT_EQ(set(6, hex("09 03 6E 65 77")), DataAccessResult::success);
  ASSERT_EQ(set(9, kNewDays), DataAccessResult::success);
  ASSERT_EQ(set(8, kNewWeeks), DataAccessResult::success);
  ASSERT_EQ(set(7, kNewSeasons), DataAccessResult::success);
}

TEST_F(CalendarObjects, PassiveCalendarActivatesByMethod) {
  set_new_passive(objects, session);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 9), kNewDays);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 6), hex("09 03 6E 65 77"));
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 13, 0)), 2);  // still the active one: 07:00 T2 until 17:00
  EXPECT_EQ(act(hxf::objects::activity_calendar, 1, hex("11 00")), ActionResult::type_unmatched);
  EXPECT_EQ(act(hxf::objects::activity_calendar, 1, hex("0F 00")), ActionResult::success);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 2), hex("09 03 6E 65 77"));
  EXPECT_EQ(get(hxf::objects::activity_calendar, 3), kNewSeasons);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 4), kNewWeeks);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 5), kNewDays);
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 13, 0)), 4);
  EXPECT_EQ(tariff(at(2026, 3, 7, kSat, 11, 59)), 1);
  // Special days name day_id 2, which the new calendar lacks: nothing matches.
  EXPECT_EQ(tariff(at(2026, 12, 25, kFri, 13, 0)), 0);
}

TEST_F(CalendarObjects, PassiveCalendarActivatesAtItsTime) {
  set_new_passive(objects, session);
  // 2026-03-02 12:00:00 local, weekday, hundredths, deviation and status not specified.
  ASSERT_EQ(set(hxf::objects::activity_calendar, 10, hex("09 0C 07 EA 03 02 FF 0C 00 00 FF 80 00 FF")),
            DataAccessResult::success);
  EXPECT_FALSE(metergen::cosem::activate_passive_if_due(hxf::model, at(2026, 3, 2, kMon, 11, 59)));
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 13, 0)), 2);
  EXPECT_TRUE(metergen::cosem::activate_passive_if_due(hxf::model, at(2026, 3, 2, kMon, 12, 0)));
  EXPECT_EQ(tariff(at(2026, 3, 2, kMon, 13, 0)), 4);
  EXPECT_EQ(get(hxf::objects::activity_calendar, 10), hex("09 0C FF FF FF FF FF FF FF FF FF 80 00 FF"));
  EXPECT_FALSE(metergen::cosem::activate_passive_if_due(hxf::model, at(2026, 3, 2, kMon, 12, 1)));
  // An activation time already past activates at the next call.
  ASSERT_EQ(set(hxf::objects::activity_calendar, 10, hex("09 0C 07 E9 01 01 FF 00 00 00 FF 80 00 FF")),
            DataAccessResult::success);
  EXPECT_TRUE(metergen::cosem::activate_passive_if_due(hxf::model, at(2026, 3, 2, kMon, 12, 5)));
}

TEST_F(CalendarObjects, BadSetsChangeNothing) {
  const std::uint16_t ac = hxf::objects::activity_calendar;
  const Bytes seasons = get(ac, 7), weeks = get(ac, 8), days = get(ac, 9);
  // The active calendar is not writable.
  EXPECT_EQ(set(ac, 3, seasons), DataAccessResult::read_write_denied);
  EXPECT_EQ(set(ac, 5, days), DataAccessResult::read_write_denied);
  // Wrong type.
  EXPECT_EQ(set(ac, 7, hex("11 01")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(ac, 6, hex("0A 03 6E 65 77")), DataAccessResult::type_unmatched);
  // Truncated: the last byte of a valid value missing.
  Bytes cut = kNewDays;
  cut.pop_back();
  EXPECT_EQ(set(ac, 9, cut), DataAccessResult::type_unmatched);
  // A trailing byte.
  Bytes longer = kNewWeeks;
  longer.push_back(0x00);
  EXPECT_EQ(set(ac, 8, longer), DataAccessResult::type_unmatched);
  // Seven seasons (the limit is 6).
  Bytes seven = hex("01 07");
  for (int i = 0; i < 7; ++i) {
    const Bytes s = hex("02 03 09 01 53 09 0C FF FF 01 01 FF 00 00 00 00 80 00 FF 09 01 01");
    seven.insert(seven.end(), s.begin(), s.end());
  }
  EXPECT_EQ(set(ac, 7, seven), DataAccessResult::other_reason);
  // A week naming day_id 9, which the passive day profile table lacks.
  EXPECT_EQ(set(ac, 8, hex("01 01 02 08 09 01 57 11 09 11 01 11 01 11 01 11 01 11 01 11 01")),
            DataAccessResult::other_reason);
  // A season naming a week the passive table lacks.
  EXPECT_EQ(set(ac, 7, hex("01 01 02 03 09 01 53 09 0C FF FF 01 01 FF 00 00 00 00 80 00 FF 09 01 57")),
            DataAccessResult::other_reason);
  // A season starting in month 13.
  EXPECT_EQ(set(ac, 7, hex("01 01 02 03 09 01 53 09 0C FF FF 0D 01 FF 00 00 00 00 80 00 FF 09 01 01")),
            DataAccessResult::other_reason);
  // A switching at 24:00, a tariff 9 (4 tariffs), another script table, a repeated day_id.
  EXPECT_EQ(set(ac, 9, cat({hex("01 01 02 02 11 01 01 01"), action(24, 0, 1)})), DataAccessResult::other_reason);
  EXPECT_EQ(set(ac, 9, cat({hex("01 01 02 02 11 01 01 01"), action(0, 0, 9)})), DataAccessResult::other_reason);
  EXPECT_EQ(set(ac, 9, hex("01 01 02 02 11 01 01 01 02 03 09 04 00 00 00 00 09 06 00 00 0A 00 01 FF 12 00 01")),
            DataAccessResult::other_reason);
  EXPECT_EQ(set(ac, 9, cat({hex("01 02 02 02 11 01 01 01"), action(0, 0, 1), hex("02 02 11 01 01 01"),
                            action(0, 0, 2)})),
            DataAccessResult::other_reason);
  // Nine switchings in a day (the limit is 8).
  Bytes nine = hex("01 01 02 02 11 01 01 09");
  for (std::uint8_t h = 0; h < 9; ++h) {
    const Bytes a = action(h, 0, 1);
    nine.insert(nine.end(), a.begin(), a.end());
  }
  EXPECT_EQ(set(ac, 9, nine), DataAccessResult::other_reason);
  // A name longer than 16 bytes; an activation time on 2026-02-30.
  EXPECT_EQ(set(ac, 6, hex("09 11 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41")), DataAccessResult::other_reason);
  EXPECT_EQ(set(ac, 10, hex("09 0C 07 EA 02 1E FF 00 00 00 FF 80 00 FF")), DataAccessResult::other_reason);
  EXPECT_EQ(get(ac, 7), seasons);
  EXPECT_EQ(get(ac, 8), weeks);
  EXPECT_EQ(get(ac, 9), days);
  EXPECT_EQ(get(ac, 6), hex("09 09 68 78 66 33 30 30 2D 65 75"));
  EXPECT_EQ(get(ac, 10), hex("09 0C FF FF FF FF FF FF FF FF FF 80 00 FF"));
}

TEST_F(CalendarObjects, APassiveCalendarSurvivesAReboot) {
  metergen::test::NvmEmulator nvm{4u << 20};
  {
    metergen::dlms::Meter m(hxf::model, nvm);
    m.boot();
    set_new_passive(m.objects(), session);
    ASSERT_TRUE(m.objects().persist());
  }
  metergen::dlms::Meter m(hxf::model, nvm);
  m.boot();
  Bytes buf(512);
  ByteWriter w(buf.data(), buf.size());
  ASSERT_EQ(m.objects().read(hxf::objects::activity_calendar, 9, w), DataAccessResult::success);
  buf.resize(w.size());
  EXPECT_EQ(buf, kNewDays);
}

// ---- Special days table ----

TEST_F(CalendarObjects, SpecialDaysInsertReplaceAndDelete) {
  const std::uint16_t sd = hxf::objects::special_days_table;
  // 2026-05-01, a Friday: a workday until day 3 makes it a weekend day.
  EXPECT_EQ(tariff(at(2026, 5, 1, kFri, 8, 0)), 2);
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 03 09 05 07 EA 05 01 FF 11 02")), ActionResult::success);
  EXPECT_EQ(get(sd, 2), hex("01 03 02 03 12 00 01 09 05 FF FF 01 01 FF 11 02 02 03 12 00 02 09 05 FF FF 0C 19 FF 11 02"
                            " 02 03 12 00 03 09 05 07 EA 05 01 FF 11 02"));
  EXPECT_EQ(tariff(at(2026, 5, 1, kFri, 8, 0)), 4);
  EXPECT_EQ(tariff(at(2027, 5, 1, kSat, 8, 0)), 4);  // a Saturday anyway
  // The same index again replaces the entry (day_id 1: workday).
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 03 09 05 07 EA 05 01 FF 11 01")), ActionResult::success);
  EXPECT_EQ(get(sd, 2).size(), 2u + 3 * 14);
  EXPECT_EQ(tariff(at(2026, 5, 1, kFri, 8, 0)), 2);
  // An index inserted before the others keeps them in index order.
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 00 09 05 FF FF FF FE FF 11 02")), ActionResult::success);  // last day of every month
  const Bytes four = get(sd, 2);
  EXPECT_EQ(Bytes(four.begin(), four.begin() + 16), hex("01 04 02 03 12 00 00 09 05 FF FF FF FE FF 11 02"));
  EXPECT_EQ(tariff(at(2026, 4, 30, 4, 8, 0)), 4);
  EXPECT_EQ(tariff(at(2026, 4, 29, 3, 8, 0)), 2);
  // Refused: an unknown day_id, a bad date, wrong types.
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 05 09 05 FF FF 06 01 FF 11 05")), ActionResult::other_reason);
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 05 09 05 FF FF 0D 01 FF 11 01")), ActionResult::other_reason);
  EXPECT_EQ(act(sd, 1, hex("02 03 11 05 09 05 FF FF 06 01 FF 11 01")), ActionResult::type_unmatched);
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 05 09 04 FF FF 06 01 11 01")), ActionResult::type_unmatched);
  // Delete.
  EXPECT_EQ(act(sd, 2, hex("12 00 00")), ActionResult::success);
  EXPECT_EQ(act(sd, 2, hex("12 00 03")), ActionResult::success);
  EXPECT_EQ(act(sd, 2, hex("12 00 03")), ActionResult::other_reason);
  EXPECT_EQ(act(sd, 2, hex("11 03")), ActionResult::type_unmatched);
  EXPECT_EQ(get(sd, 2),
            hex("01 02 02 03 12 00 01 09 05 FF FF 01 01 FF 11 02 02 03 12 00 02 09 05 FF FF 0C 19 FF 11 02"));
  EXPECT_EQ(set(sd, 2, hex("01 00")), DataAccessResult::read_write_denied);
}

TEST_F(CalendarObjects, SpecialDaysTableHoldsItsLimit) {
  const std::uint16_t sd = hxf::objects::special_days_table;
  // 3 entries at boot, the limit is 50.
  for (std::uint8_t i = 10; i < 57; ++i)
    ASSERT_EQ(act(sd, 1, Bytes{0x02, 0x03, 0x12, 0x00, i, 0x09, 0x05, 0xFF, 0xFF, 0x06, 0x01, 0xFF, 0x11, 0x01}),
              ActionResult::success);
  const Bytes full = get(sd, 2);
  EXPECT_EQ(full.size(), 2u + 50 * 14);
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 39 09 05 FF FF 06 01 FF 11 01")), ActionResult::other_reason);
  EXPECT_EQ(get(sd, 2), full);
  // Replacing an entry of a full table still works.
  EXPECT_EQ(act(sd, 1, hex("02 03 12 00 0A 09 05 FF FF 06 02 FF 11 01")), ActionResult::success);
}

// ---- Single action schedule ----

TEST_F(CalendarObjects, BillingScheduleRunsTheMdResetScriptMonthly) {
  const std::uint16_t s = hxf::objects::end_of_billing_schedule;
  // executed_script {0.0.10.0.1.255, 1}; type 1; one execution time {00:00:00.00, FFFF-FF-01 weekday n.s.}.
  EXPECT_EQ(get(s, 2), hex("02 02 09 06 00 00 0A 00 01 FF 12 00 01"));
  EXPECT_EQ(get(s, 3), hex("16 01"));
  EXPECT_EQ(get(s, 4), hex("01 01 02 02 09 04 00 00 00 00 09 05 FF FF FF 01 FF"));
  std::uint16_t table = 0, selector = 0;
  ASSERT_TRUE(metergen::cosem::schedule_script(hxf::model, s, table, selector));
  EXPECT_EQ(table, hxf::objects::mdi_reset_script_table);
  EXPECT_EQ(selector, 1);
  EXPECT_TRUE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 3, 1, kSun, 0, 0)));
  EXPECT_TRUE(metergen::cosem::schedule_fires(hxf::model, s, at(2027, 1, 1, kFri, 0, 0)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 3, 2, kMon, 0, 0)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 3, 1, kSun, 0, 1)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, hxf::objects::activity_calendar, at(2026, 3, 1, kSun, 0, 0)));
}

TEST_F(CalendarObjects, ScheduleSetsAreChecked) {
  const std::uint16_t s = hxf::objects::end_of_billing_schedule;
  // 23:30 on the last day of every month.
  ASSERT_EQ(set(s, 4, hex("01 01 02 02 09 04 17 1E 00 00 09 05 FF FF FF FE FF")), DataAccessResult::success);
  EXPECT_TRUE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 2, 28, kSat, 23, 30)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 2, 27, kFri, 23, 30)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 3, 1, kSun, 0, 0)));
  EXPECT_TRUE(metergen::cosem::schedule_fires(hxf::model, s, at(2028, 2, 29, 2, 23, 30)));  // leap year
  const Bytes held = get(s, 4);
  // Type 1 takes one entry; an hour 24; a month 13; a wrong type; truncated.
  EXPECT_EQ(set(s, 4, hex("01 02 02 02 09 04 00 00 00 00 09 05 FF FF FF 01 FF 02 02 09 04 00 00 00 00 09 05 FF FF FF 0F FF")),
            DataAccessResult::other_reason);
  EXPECT_EQ(set(s, 4, hex("01 01 02 02 09 04 18 00 00 00 09 05 FF FF FF 01 FF")), DataAccessResult::other_reason);
  EXPECT_EQ(set(s, 4, hex("01 01 02 02 09 04 00 00 00 00 09 05 FF FF 0D 01 FF")), DataAccessResult::other_reason);
  EXPECT_EQ(set(s, 4, hex("01 01 02 02 09 04 00 00 00 00 09 04 FF FF FF 01")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(s, 4, hex("01 01 02 02 09 04 00 00 00 00 09 05 FF FF FF 01")), DataAccessResult::type_unmatched);
  EXPECT_EQ(get(s, 4), held);
  // Type 2 forbids the wildcard dates held; type 5 allows them; then two entries at different times.
  EXPECT_EQ(set(s, 3, hex("16 02")), DataAccessResult::other_reason);
  EXPECT_EQ(set(s, 3, hex("16 06")), DataAccessResult::other_reason);
  EXPECT_EQ(set(s, 3, hex("11 05")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(s, 3, hex("16 05")), DataAccessResult::success);
  EXPECT_EQ(set(s, 4, hex("01 02 02 02 09 04 00 00 00 00 09 05 FF FF FF 01 FF 02 02 09 04 0C 00 00 00 09 05 07 EA 06 0F FF")),
            DataAccessResult::success);
  EXPECT_TRUE(metergen::cosem::schedule_fires(hxf::model, s, at(2026, 6, 15, kMon, 12, 0)));
  EXPECT_FALSE(metergen::cosem::schedule_fires(hxf::model, s, at(2027, 6, 15, 2, 12, 0)));
  // executed_script: a script table of the model, or unset; nothing else.
  EXPECT_EQ(set(s, 2, hex("02 02 09 06 00 00 0A 00 64 FF 12 00 02")), DataAccessResult::success);
  std::uint16_t table = 0, selector = 0;
  ASSERT_TRUE(metergen::cosem::schedule_script(hxf::model, s, table, selector));
  EXPECT_EQ(table, hxf::objects::tariff_script_table);
  EXPECT_EQ(selector, 2);
  EXPECT_EQ(set(s, 2, hex("02 02 09 06 00 00 0D 00 00 FF 12 00 01")), DataAccessResult::other_reason);  // the calendar
  EXPECT_EQ(set(s, 2, hex("02 02 09 05 00 00 0A 00 64 12 00 01")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(s, 2, hex("02 02 09 06 00 00 00 00 00 00 12 00 00")), DataAccessResult::success);
  EXPECT_FALSE(metergen::cosem::schedule_script(hxf::model, s, table, selector));
}

// ---- Script tables ----

TEST_F(CalendarObjects, ScriptTablesDescribeWhatTheEnginesDo) {
  // Tariff scripts 1..4: write attribute 2 of current_tariff (class 1, 0.0.96.14.0.255) with unsigned N.
  Bytes tariffs = hex("01 04");
  for (std::uint8_t n = 1; n <= 4; ++n) {
    const Bytes s = cat({hex("02 02 12 00"), Bytes{n}, hex("01 01 02 05 16 01 12 00 01 09 06 00 00 60 0E 00 FF 0F 02 11"),
                         Bytes{n}});
    tariffs.insert(tariffs.end(), s.begin(), s.end());
  }
  EXPECT_EQ(get(hxf::objects::tariff_script_table, 2), tariffs);
  // MD reset script 1: execute method 2 (capture) of monthly_billing (class 7, 1.0.98.1.0.255), integer 0.
  EXPECT_EQ(get(hxf::objects::mdi_reset_script_table, 2),
            hex("01 01 02 02 12 00 01 01 01 02 05 16 02 12 00 07 09 06 01 00 62 01 00 FF 0F 02 0F 00"));
  EXPECT_EQ(get(hxf::objects::broadcast_script_table, 2), hex("01 00"));
  EXPECT_EQ(set(hxf::objects::tariff_script_table, 2, hex("01 00")), DataAccessResult::read_write_denied);
}

}  // namespace
