// simulation::Panel, the keypad, buttons and inputs worked by text commands
// (the host meter's control socket, the firmware images' control UART): each
// command's reply as docs/host-meter.md writes it, bad commands refused with
// the reason, the keys handed to keypad_read in order, a press held for
// exactly its seconds of one-second samples with a released second before the
// next, inputs held as set, and LineReader's bounded lines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <metergen/simulation/panel.hpp>
#include <metergen/timing/button_hold.hpp>

namespace {

namespace mg = metergen;
using mg::simulation::LineReader;
using mg::simulation::Panel;

std::string reply_to(Panel& panel, const std::string& line) {
  mg::LogLine reply;
  panel.command(line.data(), line.size(), reply);
  return reply.c_str();
}

std::string read_keys(Panel& panel) {
  char keys[256];
  return std::string(keys, panel.keypad_read(keys, sizeof keys));
}

constexpr const char* kExpected = "expected keys KEYS (0-9, * back, # enter), press BUTTON [SECONDS], input NAME on|off, lcd, help";

}  // namespace

TEST(Panel, KeysAreTypedInOrderAndReadOnce) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "keys 12345678901234567890#"), "ok: 21 keys typed");
  EXPECT_EQ(reply_to(panel, "  keys\t*  "), "ok: 1 key typed");
  char two[2];
  ASSERT_EQ(panel.keypad_read(two, 2), 2u);
  EXPECT_EQ(std::string(two, 2), "12");
  EXPECT_EQ(read_keys(panel), "345678901234567890#*");
  EXPECT_EQ(read_keys(panel), "");
}

TEST(Panel, BadKeysAreRefusedWithTheReason) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "keys 12a4"), "error: keys: \"a\" is not a key; expected 0-9, * (back) and # (enter)");
  EXPECT_EQ(reply_to(panel, "keys"), "error: keys: expected one word of 1 to 64 keys (0-9, * back, # enter)");
  EXPECT_EQ(reply_to(panel, "keys 12 34"), "error: keys: expected one word of 1 to 64 keys (0-9, * back, # enter)");
  EXPECT_EQ(reply_to(panel, "keys " + std::string(65, '1')), "error: keys: 65 keys; at most 64 at a time");
  EXPECT_EQ(read_keys(panel), "") << "a refused command types nothing";
  // 128 keys wait at most: two commands of 64 fill the keypad until the meter reads them.
  EXPECT_EQ(reply_to(panel, "keys " + std::string(64, '1')), "ok: 64 keys typed");
  EXPECT_EQ(reply_to(panel, "keys " + std::string(64, '2')), "ok: 64 keys typed");
  EXPECT_EQ(reply_to(panel, "keys 3"), "error: keys: the keypad has room for 0 more keys until the meter reads them; try again");
  EXPECT_EQ(read_keys(panel), std::string(64, '1') + std::string(64, '2'));
}

TEST(Panel, UnknownCommandsAndButtonsAreNamed) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "frobnicate 3"), std::string("error: unknown command \"frobnicate\"; ") + kExpected);
  EXPECT_EQ(reply_to(panel, ""), std::string("error: empty command; ") + kExpected);
  EXPECT_EQ(reply_to(panel, std::string("\x01\xFF", 2)), std::string("error: unknown command \"\\x01\\xFF\"; ") + kExpected);
  // A command name followed by NUL bytes is no command (and is not read past its name).
  EXPECT_EQ(reply_to(panel, std::string("lcd\0\0", 5)), std::string("error: unknown command \"lcd\\x00\\x00\"; ") + kExpected);
  EXPECT_EQ(reply_to(panel, "press foo"), "error: unknown button \"foo\"; expected one of display, billing, reconnect");
  EXPECT_EQ(reply_to(panel, "press"), "error: press: expected a button (display, billing, reconnect) and optional seconds");
  for (const char* seconds : {"0", "601", "2x", "-1", "99999999999"})
    EXPECT_EQ(reply_to(panel, std::string("press display ") + seconds),
              std::string("error: press: seconds must be a whole number from 1 to 600, got \"") + seconds + "\"");
  EXPECT_EQ(reply_to(panel, "press display 2 3"),
            "error: press: seconds must be a whole number from 1 to 600, got \"2 3\"");
  EXPECT_EQ(reply_to(panel, "help"), std::string("ok: keys KEYS (0-9, * back, # enter), press BUTTON [SECONDS], input NAME on|off, lcd, help"));
  EXPECT_EQ(reply_to(panel, "lcd now"), "error: lcd takes no arguments");
  EXPECT_EQ(panel.buttons_held(100), 0) << "a refused press presses nothing";
}

// An input is a switch: on until set off, whatever the power (a cover opened
// while the meter is off is open when it powers up); bits in hal::Input order.
TEST(Panel, AnInputStaysAsSetUntilSetAgain) {
  Panel panel;
  const auto magnet = mg::hal::input_bit(mg::hal::Input::magnetic_field);   // bit 3
  EXPECT_EQ(panel.inputs_active(), 0);
  EXPECT_EQ(reply_to(panel, "input meter_cover_open on"), "ok: meter_cover_open on");
  EXPECT_EQ(reply_to(panel, " input\tmagnetic_field  on "), "ok: magnetic_field on");
  EXPECT_EQ(panel.inputs_active(), 0x09);  // bits 0 and 3
  panel.set_powered(false);
  EXPECT_EQ(reply_to(panel, "input meter_cover_open off"), "ok: meter_cover_open off");
  panel.set_powered(true);
  EXPECT_EQ(panel.inputs_active(), magnet);
  EXPECT_EQ(reply_to(panel, "input magnetic_field off"), "ok: magnetic_field off");
  EXPECT_EQ(reply_to(panel, "input magnetic_field off"), "ok: magnetic_field off") << "setting it again is no error";
  EXPECT_EQ(panel.inputs_active(), 0);
  EXPECT_EQ(reply_to(panel, "input over_temperature on"), "ok: over_temperature on");
  EXPECT_EQ(panel.inputs_active(), 0x40);  // the last of the seven inputs
}

TEST(Panel, BadInputsAreRefusedWithTheReason) {
  Panel panel;
  constexpr const char* kForm = "error: input: expected an input name and on or off, like input meter_cover_open on";
  EXPECT_EQ(reply_to(panel, "input"), kForm);
  EXPECT_EQ(reply_to(panel, "input meter_cover_open"), kForm);
  EXPECT_EQ(reply_to(panel, "input meter_cover_open on now"), kForm);
  EXPECT_EQ(reply_to(panel, "input cover on"),
            "error: unknown input \"cover\"; expected meter_cover_open, terminal_cover_open, module_removed, "
            "magnetic_field, battery_cover_open, low_battery, over_temperature");
  EXPECT_EQ(reply_to(panel, "input meter_cover_open open"), "error: input: the state must be on or off, got \"open\"");
  EXPECT_EQ(reply_to(panel, "input meter_cover_open ON"), "error: input: the state must be on or off, got \"ON\"");
  // The longest reply, a 32-byte name quoted in full, is not cut short.
  EXPECT_EQ(reply_to(panel, "input " + std::string(40, 'z') + " on"),
            "error: unknown input \"" + std::string(32, 'z') +
                "...\"; expected meter_cover_open, terminal_cover_open, module_removed, magnetic_field, "
                "battery_cover_open, low_battery, over_temperature");
  EXPECT_EQ(panel.inputs_active(), 0) << "a refused command sets nothing";
}

// A scenario segment's keys join those typed by command, in order, while they fit.
TEST(Panel, ASegmentsKeysAreTypedWhenThereIsRoom) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "keys 12"), "ok: 2 keys typed");
  EXPECT_TRUE(panel.type("34#", 3));
  EXPECT_EQ(read_keys(panel), "1234#");
  EXPECT_TRUE(panel.type(std::string(128, '5').c_str(), 128));
  EXPECT_FALSE(panel.type("6", 1)) << "128 keys wait at most";
  EXPECT_EQ(read_keys(panel), std::string(128, '5'));
}

TEST(Panel, LcdReadsBackTheLastScreen) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "lcd"), "error: lcd: the LCD has shown nothing yet");
  mg::hal::LcdScreen screen{"1.8.0", "1.96", "kWh", 2, mg::hal::kLcdPhase1 | mg::hal::kLcdPhase1 << 1 | mg::hal::kLcdPhase1 << 2};
  panel.screen_shown(screen);
  EXPECT_EQ(reply_to(panel, "lcd"), "ok: 1.8.0 | 1.96 kWh | T2 L1 L2 L3");
  panel.screen_shown(mg::hal::LcdScreen{});
  EXPECT_EQ(reply_to(panel, "lcd"), "ok: off");
}

// Samples at clock seconds 100.. (several engines sample the same second):
// display held 2 s from the first new second, one released second, then
// billing 1 s, then nothing.
TEST(Panel, APressIsHeldForItsSecondsThenReleasedBeforeTheNext) {
  Panel panel;
  const auto display = mg::hal::button_bit(mg::hal::Button::display);
  const auto billing = mg::hal::button_bit(mg::hal::Button::billing);
  EXPECT_EQ(reply_to(panel, "press display 2"), "ok: display held for 2 s");
  EXPECT_EQ(reply_to(panel, "press billing"), "ok: billing held for 1 s");
  const std::vector<std::pair<std::int64_t, std::uint8_t>> samples = {
      {100, display}, {100, display}, {101, display}, {102, 0}, {103, billing}, {103, billing}, {104, 0}, {105, 0}};
  for (const auto& [second, held] : samples) EXPECT_EQ(panel.buttons_held(second), held) << second;
  // Pressed within second 105, after its sample: held from 106.
  EXPECT_EQ(reply_to(panel, "press reconnect"), "ok: reconnect held for 1 s");
  EXPECT_EQ(panel.buttons_held(105), 0);
  EXPECT_EQ(panel.buttons_held(106), mg::hal::button_bit(mg::hal::Button::reconnect));
  EXPECT_EQ(panel.buttons_held(107), 0);
}

// `press display 9` is a long press to the display engine's 8 s hold
// (display::kServiceHoldS, CLMS100 §5.2.1): timing::ButtonHold acts at the
// 8th of the 9 held seconds, once.
TEST(Panel, ANineSecondPressIsOneEightSecondHold) {
  Panel panel;
  EXPECT_EQ(reply_to(panel, "press display 9"), "ok: display held for 9 s");
  mg::timing::ButtonHold hold;
  std::vector<std::int64_t> acted;
  for (std::int64_t s = 0; s < 12; ++s)
    if (hold.sample(panel.buttons_held(s) != 0, 8)) acted.push_back(s);
  EXPECT_EQ(acted, (std::vector<std::int64_t>{7}));
}

TEST(Panel, EightPressesWaitAtMost) {
  Panel panel;
  for (int i = 0; i < 8; ++i) EXPECT_EQ(reply_to(panel, "press display"), "ok: display held for 1 s");
  EXPECT_EQ(reply_to(panel, "press display"), "error: press: 8 presses are waiting; try again when they are done");
}

TEST(LineReader, CutsLinesAtLfAndDropsTheCrBeforeIt) {
  LineReader reader;
  const std::string bytes = "keys 1\r\npress display\nlc";
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  std::size_t used = 0;
  ASSERT_EQ(reader.take(data, bytes.size(), &used), LineReader::Result::line);
  EXPECT_EQ(std::string(reader.line(), reader.length()), "keys 1");
  EXPECT_EQ(used, 8u);
  ASSERT_EQ(reader.take(data, bytes.size(), &used), LineReader::Result::line);
  EXPECT_EQ(std::string(reader.line()), "press display");
  EXPECT_EQ(reader.take(data, bytes.size(), &used), LineReader::Result::none);
  EXPECT_EQ(used, bytes.size());
  EXPECT_TRUE(reader.partial());
  const std::uint8_t rest[] = {'d', '\n'};
  used = 0;
  ASSERT_EQ(reader.take(rest, 2, &used), LineReader::Result::line);
  EXPECT_EQ(std::string(reader.line()), "lcd");
  EXPECT_FALSE(reader.partial());
}

TEST(LineReader, ALineOfMoreThan128BytesIsRefusedWhole) {
  LineReader reader;
  const std::string exact = std::string(128, 'x') + "\n";
  const std::string over = std::string(129, 'y') + "\n" + "lcd\n";
  std::size_t used = 0;
  ASSERT_EQ(reader.take(reinterpret_cast<const std::uint8_t*>(exact.data()), exact.size(), &used),
            LineReader::Result::line);
  EXPECT_EQ(reader.length(), 128u);
  used = 0;
  const auto* data = reinterpret_cast<const std::uint8_t*>(over.data());
  ASSERT_EQ(reader.take(data, over.size(), &used), LineReader::Result::overlong);
  EXPECT_EQ(used, 130u);
  ASSERT_EQ(reader.take(data, over.size(), &used), LineReader::Result::line);
  EXPECT_EQ(std::string(reader.line()), "lcd");
}
