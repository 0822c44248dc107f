// The display engine: the LCD lists of the spec's `display:` section
// (tables::DisplayListDef / DisplayItemDef) shown on hal::Hal::lcd_show
// (docs/display.md).
//
// Owns: once per clock second, the display button (a press steps the button
// list, a long press enters the service list), the scroll, timeout and
// duration timers of the list shown, the power-off wake (a press during an
// outage shows the power-off list, `activations` times per outage), the test
// mode (script tables with roles display_test_script / display_normal_script,
// or enter()), and the rendering of each item from the objects as a read
// gives them. Holds no persistent state: a power cycle leaves every mode; the
// lists and times a client set are objects' state (cosem::display_list_count).
// May call: the tables, the HAL (buttons, clock, LCD), cosem::Objects and the
// metering engine (tariff).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/hal.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/timing/button_hold.hpp>

namespace metergen::display {

// Seconds the display button is held to enter the service list (CLMS100 §5.2.1).
inline constexpr std::uint32_t kServiceHoldS = 8;
inline constexpr std::uint8_t kNoList = 0xFF;

// One item rendered into `out` as the LCD shows it (docs/display.md, Rendering).
void render(const tables::Model& model, cosem::Objects& objects, const tables::DisplayItemDef& item,
            hal::LcdScreen& out);
// A screen as one text line: "code | value unit | T1 L1 L2 L3 relay-open alarm
// test" ("off" for the empty screen). Returns the length written (NUL-terminated).
std::size_t describe(const hal::LcdScreen& screen, char* out, std::size_t cap);

class Display {
 public:
  Display(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, const metering::Engine& engine);

  // At power-up: the default list from its first item.
  void boot();
  // Called by every Meter tick: the buttons and timers once per clock second,
  // then the screen when it changed.
  void tick();
  // Each metering second: whether the mains is present (an outage switches the
  // LCD off) and the phases present.
  void metering_second(const metrology::Readings& r);
  void relay_changed(bool connected) { relay_open_ = !connected; }
  // A client set `object`: when it holds the list shown, its next scroll or
  // press shows the new list's first item.
  void value_set(std::uint16_t object);
  // cosem::Hooks script_executed for the display's script tables; true for others.
  bool script_executed(std::uint16_t object);

  // A command: shows the first list of `mode` from its first item; false when
  // the model has no such list.
  bool enter(tables::DisplayMode mode);
  // Shows `text` (value field) under `code` instead of the list for `seconds`
  // clock seconds from now, e.g. a token's result; the list's timers run on
  // meanwhile. 0 seconds ends the message shown.
  void message(const char* code, const char* text, std::uint8_t seconds);
  // The digits of the LCD's value field: the widest of the display items (the
  // spec's `display: digits`), at most the value field's 16 characters.
  std::uint8_t digits() const { return digits_; }
  // The list shown (index into Model::display_lists, kNoList when off) and its item.
  std::uint8_t list() const { return list_; }
  std::uint16_t item() const { return item_; }
  const hal::LcdScreen& screen() const { return screen_; }

 private:
  void second();
  void on_press(bool press, bool long_press);
  void outage_second(bool press);
  void run_timers();
  void show(std::uint8_t list);
  void step();
  std::uint8_t find(tables::DisplayMode mode) const;
  std::uint16_t scroll_s() const;
  std::uint16_t time_s(const tables::DisplayListDef& l, std::uint16_t fixed) const;
  void redraw();
  void indicators(hal::LcdScreen& s);

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  const metering::Engine& engine_;
  const std::uint16_t alarm_;  // the alarm register, kNone
  const std::uint8_t digits_;
  std::uint8_t default_ = kNoList;
  std::uint8_t list_ = kNoList;
  std::uint16_t item_ = 0;
  std::uint16_t shown_ = tables::kNone;  // the screen shown: index into Model::display_items
  bool restart_ = false;                 // the list shown was set: the next step starts it
  std::uint32_t item_s_ = 0;  // seconds the item is shown
  std::uint32_t idle_s_ = 0;  // seconds since the list was entered or the button last pressed
  std::uint32_t list_s_ = 0;  // seconds since the list was entered
  bool outage_ = false;
  std::uint8_t wakes_ = 0;    // power-off wakes in this outage
  std::uint8_t phases_ = 0;   // kLcdPhase1.. bits
  bool relay_open_ = false;
  std::int64_t last_second_ = 0;
  timing::ButtonHold press_;
  timing::ButtonHold hold_;
  hal::LcdScreen screen_{};
  bool drawn_ = false;
  hal::LcdScreen message_{};
  std::int64_t message_until_s_ = 0;  // the clock second the message ends
};

}  // namespace metergen::display
