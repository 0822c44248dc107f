// The display engine over simulated time (TimedMeter: one clock second per
// run step): each seed model's default list in order at its scroll interval,
// the button list and its timeout, the power-off wake, the test mode, and
// items rendered as the manuals show them.
//
// Expected codes are the C.D.E(.F) of each item's OBIS code (C 96 shown as
// "C", IEC 62056-61: serial number C.1.0, current tariff C.14.0), or the code the
// spec gives (`show:`, `display_code:`), written out by hand from specs/*.yaml;
// expected values are worked out by hand: 240 V x 10 A on three phases is
// 7200 W, 2 Wh a second. Formats from HXF300 Annex A: energy "xxxxxxx kWh"
// (no leading zeros), date dd-mm-yy, time hh:mm:ss; DTSD545 Attachment A:
// maximum demand date-time "DD-MM-YY hhmm".
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <hxe312-kp/model.hpp>
#include <hxf300-eu/model.hpp>

#include <metergen/display/display.hpp>

#include "time_engine_support.hpp"

namespace {

namespace mg = metergen;
using mg::tables::DisplayMode;
using mg::test::TimedMeter;
using mg::test::utc_of;
namespace hxf = mg::models::hxf300_eu;

const std::int64_t kStart = utc_of(2027, 3, 1, 10, 0, 0);
const mg::metrology::Readings kMains = mg::test::balanced(3, 240.0, 10.0);  // 7200 W
mg::metrology::Readings outage() {
  mg::metrology::Readings r = mg::test::balanced(3, 0.0, 0.0);
  for (auto& p : r.phase) p.voltage_present = false;
  return r;
}
const mg::metrology::Readings kOutage = outage();
const std::uint8_t kDisplayButton = mg::hal::button_bit(mg::hal::Button::display);

std::string code(TimedMeter& m) { return m.meter().display().screen().code; }
std::string value(TimedMeter& m) { return m.meter().display().screen().value; }

DisplayMode mode(TimedMeter& m) {
  const std::uint8_t l = m.meter().display().list();
  return m.meter().model().display_lists[l].mode;
}

// The code shown at each of `count` screens `interval_s` apart, from now.
std::vector<std::string> scroll(TimedMeter& m, std::size_t count, std::int64_t interval_s,
                                const mg::metrology::Readings& r = kMains) {
  std::vector<std::string> codes{code(m)};
  while (codes.size() < count) {
    m.run(r, interval_s - 1);
    const std::uint16_t before = m.meter().display().item();
    m.run(r, 1);
    EXPECT_NE(before, m.meter().display().item()) << "scrolled before " << interval_s << " s";
    codes.push_back(code(m));
  }
  return codes;
}

// The display button held one second, then released one second.
void press(TimedMeter& m, const mg::metrology::Readings& r = kMains) {
  m.hal.buttons = kDisplayButton;
  m.run(r, 1);
  m.hal.buttons = 0;
  m.run(r, 1);
}

// Two presses show the first and the second screen of the manual list, and
// 3 s after the last press the display returns to a list of mode `back`.
void expect_two_presses_then_back_after_3s(TimedMeter& m, const char* first, const char* second, DisplayMode back) {
  press(m);
  EXPECT_EQ(mode(m), DisplayMode::manual);
  EXPECT_EQ(code(m), first);
  press(m);  // 1 s since this press
  EXPECT_EQ(code(m), second);
  m.run(kMains, 1);
  EXPECT_EQ(mode(m), DisplayMode::manual);
  m.run(kMains, 1);  // 3 s
  EXPECT_EQ(mode(m), back);
}

TEST(Display, Hxe312kpScrollsItsListEvery8Seconds) {
  TimedMeter m{mg::models::hxe312_kp::model, kStart};
  const std::vector<std::string> expected = {"19.0.0", "1.8.0", "2.8.0", "0.9.2", "0.9.1", "19.0.0"};
  EXPECT_EQ(scroll(m, expected.size(), 8), expected);
}

TEST(Display, Hxf300ScrollsAll42ItemsEvery8Seconds) {
  TimedMeter m{hxf::model, kStart};
  std::vector<std::string> expected = {"C.2.221", "0.9.2", "0.9.1", "C.1.0"};
  for (const char* c : {"1", "2", "3", "4"})
    for (const char* t : {"0", "1", "2", "3", "4"}) expected.push_back(std::string(c) + ".8." + t);
  for (const char* c : {"5", "6", "7", "8", "9", "10", "15", "16"}) expected.push_back(std::string(c) + ".8.0");
  for (const char* c : {"1.6.0", "1.6.0", "1.6.0", "2.6.0", "2.6.0", "2.6.0", "F.F.0", "C.6.3", "0.2.0", "0.2.8", "C.2.221"})
    expected.push_back(c);
  ASSERT_EQ(expected.size(), 43u);  // 42 items, then the first again
  EXPECT_EQ(scroll(m, expected.size(), 8), expected);
}

TEST(Display, Dtsd545ScrollsEvery10Seconds) {
  TimedMeter m{mg::models::dtsd545::model, kStart};
  std::vector<std::string> expected = {"C.1.0", "0.9.2", "0.9.1"};
  for (int t = 0; t <= 8; ++t) expected.push_back("1.8." + std::to_string(t));
  for (int t = 0; t <= 8; ++t) expected.push_back("2.8." + std::to_string(t));
  for (const char* c : {"3.8.0", "4.8.0", "15.8.0", "9.8.0", "10.8.0", "1.6.0", "1.6.0", "2.6.0", "2.6.0", "1.7.0",
                        "2.7.0", "3.7.0", "4.7.0", "9.7.0", "10.7.0", "32.7.0", "52.7.0", "72.7.0", "31.7.0", "51.7.0",
                        "71.7.0", "91.7.0", "13.7.0", "33.7.0", "53.7.0", "73.7.0", "C.1.0"})
    expected.push_back(c);
  ASSERT_EQ(expected.size(), 48u);  // the spec's 47 items, then the first again
  EXPECT_EQ(scroll(m, expected.size(), 10), expected);
}

TEST(Display, Clms100ScrollsItsNormalListEvery10Seconds) {
  TimedMeter m{mg::models::clms100::model, utc_of(2027, 3, 1, 10, 0, 60)};
  const std::vector<std::string> expected = {"0.9.2", "0.9.1", "1.8.0", "1.8.1", "1.8.2", "1.8.3",
                                             "1.8.4", "1.8.5", "1.8.6", "2.8.0", "C.14.0", "0.9.2"};
  EXPECT_EQ(scroll(m, expected.size(), 10), expected);
}

// DTSD545 §5.2.2: the button shows the button list, each press the next item;
// 60 s without a press returns to auto scroll from its first item.
TEST(Display, Dtsd545ButtonListTimesOutAfter60Seconds) {
  TimedMeter m{mg::models::dtsd545::model, kStart};
  m.run(kMains, 25);  // auto scroll at its third item
  EXPECT_EQ(code(m), "0.9.1");
  press(m);
  EXPECT_EQ(mode(m), DisplayMode::manual);
  EXPECT_EQ(code(m), "1.8.0.101");
  m.run(kMains, 30);
  EXPECT_EQ(code(m), "1.8.0.101");  // the button list does not scroll
  press(m);                         // 1 s since this press
  EXPECT_EQ(code(m), "1.8.1.101");
  m.run(kMains, 58);
  EXPECT_EQ(mode(m), DisplayMode::manual);
  m.run(kMains, 1);  // 60 s
  EXPECT_EQ(mode(m), DisplayMode::auto_scroll);
  EXPECT_EQ(code(m), "C.1.0");
}

// CLMS100 §5.2.2: manual scrolling through the normal list, back after 3 s.
TEST(Display, Clms100ManualModeReturnsAfter3Seconds) {
  TimedMeter m{mg::models::clms100::model, utc_of(2027, 3, 1, 10, 0, 60)};
  expect_two_presses_then_back_after_3s(m, "0.9.2", "0.9.1", DisplayMode::normal);
}

// CLMS100 §5.2.1: an 8 s press shows the service list, first the segment test.
TEST(Display, Clms100LongPressEntersServiceMode) {
  TimedMeter m{mg::models::clms100::model, utc_of(2027, 3, 1, 10, 0, 60)};
  m.hal.buttons = kDisplayButton;
  m.run(kMains, 8);
  m.hal.buttons = 0;
  EXPECT_EQ(mode(m), DisplayMode::service);
  EXPECT_EQ(value(m), "88888888");
  EXPECT_EQ(m.meter().display().screen().flags, 0xFF);
  m.run(kMains, 300);  // its duration
  EXPECT_EQ(mode(m), DisplayMode::normal);
}

// HXE312-KP: during an outage the LCD is off; a press shows the power-off list
// (the auto-scroll list) for 30 s, 5 times per outage.
TEST(Display, Hxe312kpPowerOffWakesFiveTimesFor30Seconds) {
  TimedMeter m{mg::models::hxe312_kp::model, kStart};
  m.run(kOutage, 2);
  EXPECT_EQ(code(m), "");
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "");
  for (int wake = 0; wake < 5; ++wake) {
    press(m, kOutage);  // 1 s since the wake
    EXPECT_EQ(mode(m), DisplayMode::power_off) << wake;
    EXPECT_EQ(code(m), "19.0.0");
    m.run(kOutage, 7);
    EXPECT_EQ(code(m), "1.8.0");  // it scrolls as the auto-scroll list does
    m.run(kOutage, 21);
    EXPECT_EQ(code(m), "0.9.2");
    m.run(kOutage, 1);  // 30 s
    EXPECT_EQ(code(m), "") << "off 30 s after the press";
  }
  press(m, kOutage);
  EXPECT_EQ(code(m), "") << "a sixth wake in the same outage";
  m.run(kMains, 1);
  EXPECT_FALSE(m.meter().display().screen().flags & mg::hal::kLcdAlarm);
  EXPECT_EQ(mode(m), DisplayMode::auto_scroll);
  EXPECT_EQ(code(m), "19.0.0");
}

// A client's execute (method 1) of script 1 of script table `object`.
mg::dlms::ActionResult execute(TimedMeter& m, std::uint16_t object) {
  static const std::uint8_t kScript1[] = {0x12, 0x00, 0x01};
  std::uint8_t ret[16];
  mg::ByteWriter w(ret, sizeof ret);
  bool has_return = false;
  mg::test::Session session;
  return m.meter().objects().action(session, object, 1, mg::ByteReader(kScript1, sizeof kScript1), w, has_return);
}

// HXF300 §6.3: test mode by its script table, high-resolution energy, ends after 2 h.
TEST(Display, Hxf300TestModeByScriptEndsAfterTwoHours) {
  TimedMeter m{hxf::model, kStart};
  EXPECT_EQ(execute(m, hxf::objects::test_mode_script_table), mg::dlms::ActionResult::success);
  m.run(kMains, 1);
  EXPECT_EQ(mode(m), DisplayMode::test);
  EXPECT_EQ(code(m), "1.8.0");
  EXPECT_TRUE(m.meter().display().screen().flags & mg::hal::kLcdTest);
  m.run(kMains, 7198);
  EXPECT_EQ(mode(m), DisplayMode::test);
  m.run(kMains, 1);
  EXPECT_EQ(mode(m), DisplayMode::auto_scroll);
}

// An item of `m`'s list `list` rendered now.
mg::hal::LcdScreen rendered(TimedMeter& m, std::uint8_t list, std::uint16_t item) {
  const mg::tables::Model& model = m.meter().model();
  mg::hal::LcdScreen s{};
  mg::display::render(model, m.meter().objects(),
                      model.display_items[model.display_list_items[model.display_lists[list].first_item + item]], s);
  return s;
}

// 7200 W for 983 s is 1966 Wh: 1.96 kWh truncated (rounding would show 1.97).
TEST(Display, Dtsd545EnergyIsTruncatedToTwoDecimals) {
  TimedMeter m{mg::models::dtsd545::model, kStart};
  m.run(kMains, 983);
  const mg::hal::LcdScreen s = rendered(m, 0, 3);
  EXPECT_STREQ(s.code, "1.8.0");
  EXPECT_STREQ(s.value, "1.96");
  EXPECT_STREQ(s.unit, "kWh");
}

// Net energy of an export of 7200 W for 1005 s: -2010 Wh, -2.01 kWh.
TEST(Display, Hxf300NetEnergyIsNegative) {
  TimedMeter m{hxf::model, kStart};
  mg::metrology::Readings r = kMains;
  for (auto& p : r.phase) p.active_uw = -p.active_uw, p.power_factor_milli = -p.power_factor_milli;
  m.run(r, 1005);
  const mg::hal::LcdScreen s = rendered(m, 0, 31);
  EXPECT_STREQ(s.code, "16.8.0");
  EXPECT_STREQ(s.value, "-2.01");
  EXPECT_STREQ(s.unit, "kWh");
}

// HXF300 Annex A: local date dd-mm-yy, local time hh:mm:ss (CET: 10:00 UTC is 11:00).
TEST(Display, Hxf300DateAndTime) {
  TimedMeter m{hxf::model, kStart};
  m.run(kMains, 7);
  EXPECT_STREQ(rendered(m, 0, 1).value, "01-03-27");
  EXPECT_STREQ(rendered(m, 0, 2).value, "11:00:07");
  EXPECT_STREQ(rendered(m, 0, 38).value, "00000000");  // error register F.F.0, no error, hex
  EXPECT_STREQ(rendered(m, 0, 40).value, "300_V31");   // legal firmware identifier, text
}

// DTSD545 Attachment A: maximum demand occurrence "DD-MM-YY hhmm" (UTC model).
TEST(Display, Dtsd545DemandTimeIsDateAndMinutes) {
  TimedMeter m{mg::models::dtsd545::model, kStart};
  m.run(kMains, 3600);
  const mg::hal::LcdScreen s = rendered(m, 0, 27);
  EXPECT_STREQ(s.code, "1.6.0");
  EXPECT_EQ(std::string(s.value).substr(0, 9), "01-03-27 ");
}

TEST(Display, ScreensGoToTheLcdOnlyWhenTheyChange) {
  // No load: the balance on the first screen stays as it is (a load uses it up).
  const mg::metrology::Readings idle = mg::test::balanced(3, 240.0, 0.0);
  TimedMeter m{mg::models::hxe312_kp::model, kStart};
  ASSERT_EQ(m.hal.lcd.size(), 1u);
  EXPECT_STREQ(m.hal.lcd[0].screen.code, "19.0.0");
  m.run(idle, 1);  // the first metering second lights the phase indicators
  ASSERT_EQ(m.hal.lcd.size(), 2u);
  EXPECT_EQ(m.hal.lcd[1].screen.flags, 0x0E);  // L1 L2 L3
  m.run(idle, 6);
  EXPECT_EQ(m.hal.lcd.size(), 2u) << "the balance did not change";
  m.run(idle, 1);
  ASSERT_EQ(m.hal.lcd.size(), 3u);
  EXPECT_EQ(m.hal.lcd.back().utc_s, kStart + 8);
  EXPECT_STREQ(m.hal.lcd.back().screen.code, "1.8.0");
}

// ---- DTSD545 §5.2.2: settable lists and times ----
//
// A client sets a list as the display readout's capture_objects (attribute 3),
// an array of capture_object_definition: structure {long-unsigned class_id,
// octet-string(6) logical name, integer attribute, long-unsigned data_index}
// (Blue Book IC 7), encoded here byte by byte; the times are long-unsigned
// seconds. The configuration event log (§5.2.9) logs each change: 190 auto
// scroll list, 191 button list, 192 display time of each item, 193 return time.

namespace dt = mg::models::dtsd545;
using mg::dlms::DataAccessResult;
using mg::test::Bytes;

Bytes capture_object(std::uint8_t class_id, const std::array<std::uint8_t, 6>& ln, std::uint8_t attribute) {
  Bytes b = {0x02, 0x04, 0x12, 0x00, class_id, 0x09, 0x06};
  b.insert(b.end(), ln.begin(), ln.end());
  b.insert(b.end(), {0x0F, attribute, 0x12, 0x00, 0x00});
  return b;
}
Bytes array_of(const std::vector<Bytes>& entries) {
  Bytes b = {0x01, static_cast<std::uint8_t>(entries.size())};  // fewer than 128 entries: one length byte
  for (const Bytes& e : entries) b.insert(b.end(), e.begin(), e.end());
  return b;
}
Bytes seconds(std::uint16_t s) { return {0x12, static_cast<std::uint8_t>(s >> 8), static_cast<std::uint8_t>(s)}; }

// Attachment A screens: L1 voltage (Register 1.0.32.7.0.255), +A total
// (Register 1.0.1.8.0.255), the time of the +A maximum demand (Extended
// register 1.0.1.6.0.255 attribute 5, shown "1.6.0"), -A total; frequency
// (1.0.14.7.0.255) is not one of them.
const Bytes kVoltageL1 = capture_object(3, {1, 0, 32, 7, 0, 255}, 2);
const Bytes kImportTotal = capture_object(3, {1, 0, 1, 8, 0, 255}, 2);
const Bytes kImportDemandTime = capture_object(4, {1, 0, 1, 6, 0, 255}, 5);
const Bytes kExportTotal = capture_object(3, {1, 0, 2, 8, 0, 255}, 2);
const Bytes kFrequency = capture_object(3, {1, 0, 14, 7, 0, 255}, 2);

std::vector<std::int64_t> logged_codes(TimedMeter& m) {
  std::vector<std::int64_t> codes;
  for (const auto& row : m.entries(dt::objects::configuration_event_log)) codes.push_back(mg::test::column_integer(row[1]));
  return codes;
}

// Runs a meter booted at kStart to its first scroll: the item shown has just begun.
void run_to_first_scroll(TimedMeter& m) {
  m.run(kMains, 10);
  EXPECT_EQ(code(m), "0.9.2");
}

TEST(DisplayLists, Dtsd545AutoScrollListSetByAClientScrollsAtTheTimeSet) {
  TimedMeter m{dt::model, kStart};
  run_to_first_scroll(m);
  const Bytes list = array_of({kVoltageL1, kImportTotal, kImportDemandTime});
  ASSERT_EQ(m.set(dt::objects::auto_scroll_display_list, 3, list), DataAccessResult::success);
  ASSERT_EQ(m.set(dt::objects::auto_scroll_display_time, 2, seconds(5)), DataAccessResult::success);
  EXPECT_EQ(m.value(dt::objects::auto_scroll_display_list, 3), list);  // read back as set
  m.run(kMains, 4);
  EXPECT_EQ(code(m), "0.9.2") << "the screen shown stays until the next scroll";
  m.run(kMains, 1);  // 5 s: the new list from its first screen, then every 5 s
  const std::vector<std::string> expected = {"32.7.0", "1.8.0", "1.6.0", "32.7.0", "1.8.0"};
  EXPECT_EQ(scroll(m, expected.size(), 5), expected);
  EXPECT_EQ(logged_codes(m), (std::vector<std::int64_t>{190, 192}));
}

TEST(DisplayLists, Dtsd545ButtonListAndReturnTimeSetByAClient) {
  TimedMeter m{dt::model, kStart};
  ASSERT_EQ(m.set(dt::objects::button_display_list, 3, array_of({kExportTotal, kVoltageL1})), DataAccessResult::success);
  ASSERT_EQ(m.set(dt::objects::button_display_return_time, 2, seconds(3)), DataAccessResult::success);
  expect_two_presses_then_back_after_3s(m, "2.8.0", "32.7.0", DisplayMode::auto_scroll);
  EXPECT_EQ(logged_codes(m), (std::vector<std::int64_t>{191, 193}));
}

TEST(DisplayLists, Dtsd545RefusesAListOutsideThePoolOrTooLongAndATimeOutside3To99) {
  TimedMeter m{dt::model, kStart};
  const std::uint16_t list = dt::objects::auto_scroll_display_list, time = dt::objects::auto_scroll_display_time;
  const Bytes before = m.value(list, 3);
  EXPECT_EQ(m.set(list, 3, array_of({kVoltageL1, kFrequency})), DataAccessResult::other_reason);
  EXPECT_EQ(m.set(list, 3, array_of({capture_object(1, {1, 0, 32, 7, 0, 255}, 2)})), DataAccessResult::other_reason)
      << "a class that is not the object's";
  EXPECT_EQ(m.set(list, 3, array_of(std::vector<Bytes>(49, kVoltageL1))), DataAccessResult::other_reason);
  EXPECT_EQ(m.set(list, 3, array_of({})), DataAccessResult::other_reason);
  EXPECT_EQ(m.set(list, 3, seconds(5)), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(list, 2, array_of({kVoltageL1})), DataAccessResult::read_write_denied) << "the buffer";
  EXPECT_EQ(m.value(list, 3), before);
  EXPECT_EQ(m.set(time, 2, seconds(2)), DataAccessResult::other_reason);
  EXPECT_EQ(m.set(time, 2, seconds(100)), DataAccessResult::other_reason);
  EXPECT_EQ(m.set(time, 2, Bytes{0x11, 5}), DataAccessResult::type_unmatched);  // unsigned, not long-unsigned
  EXPECT_EQ(m.integer(time), 10);
  EXPECT_TRUE(logged_codes(m).empty());
  // The limits themselves are taken: 48 screens, 3 s and 99 s.
  EXPECT_EQ(m.set(list, 3, array_of(std::vector<Bytes>(48, kVoltageL1))), DataAccessResult::success);
  EXPECT_EQ(m.set(time, 2, seconds(3)), DataAccessResult::success);
  EXPECT_EQ(m.set(time, 2, seconds(99)), DataAccessResult::success);
}

TEST(DisplayLists, Dtsd545ListAndTimeSetSurviveAPowerCut) {
  TimedMeter m{dt::model, kStart};
  const Bytes list = array_of({kImportTotal, kExportTotal});
  ASSERT_EQ(m.set(dt::objects::auto_scroll_display_list, 3, list), DataAccessResult::success);
  ASSERT_EQ(m.set(dt::objects::auto_scroll_display_time, 2, seconds(7)), DataAccessResult::success);
  m.power_cut(60);
  EXPECT_EQ(m.value(dt::objects::auto_scroll_display_list, 3), list);
  EXPECT_EQ(m.integer(dt::objects::auto_scroll_display_time), 7);
  const std::vector<std::string> expected = {"1.8.0", "2.8.0", "1.8.0"};
  EXPECT_EQ(scroll(m, expected.size(), 7), expected);
}

std::string described(const mg::hal::LcdScreen& s) {
  char line[96];
  mg::display::describe(s, line, sizeof line);
  return line;
}

TEST(Display, DescribeWritesOneLine) {
  EXPECT_EQ(described(mg::hal::LcdScreen{}), "off");
  const mg::hal::LcdScreen s{"1.8.0", "-2.01", "kWh", 2, mg::hal::kLcdPhase1 | mg::hal::kLcdRelayOpen};
  EXPECT_EQ(described(s), "1.8.0 | -2.01 kWh | T2 relay-open L1");
}

}  // namespace
