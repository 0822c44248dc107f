// The meter's keypad, buttons and inputs worked from outside: the host meter's
// control socket and the firmware images' control UART send text commands, one
// per line, and a target's HAL hands what they typed, pressed and switched to
// the runtime through hal::Hal::keypad_read, buttons_held and inputs_active,
// the same way as a scenario segment's `keys:`, `press:` and `inputs:`
// (docs/host-meter.md, docs/firmware.md).
//
// Commands (one reply line each, `ok: ...` or `error: ...`):
//   keys KEYS               KEYS: 1 to 64 of 0-9, * (back), # (enter)
//   press BUTTON [SECONDS]  display, billing or reconnect, held SECONDS (1 to 600, default 1)
//   input NAME on|off       an input of scenario.hpp's kInputNames (meter_cover_open, ...)
//                           active (on) or not (off) until set again
//   lcd                     the screen the LCD shows now (display::describe)
//   help                    the commands
//
// A press is held for SECONDS of the runtime's one-second samples (the first
// sample on the next clock second), so the runtime's button timing
// (timing::ButtonHold) sees exactly that many seconds whatever the speed of
// the meter clock; presses queue, each after one released second.
//
// Owns: the typed keys not yet read, the presses waiting, the inputs set, the last LCD screen,
// and LineReader, which cuts a byte stream into bounded command lines. Holds
// no heap; uses log_line.hpp for the replies.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/log_line.hpp>

namespace metergen::simulation {

// Bytes of a command line without its newline.
inline constexpr std::size_t kMaxCommandLine = 128;
inline constexpr std::size_t kMaxKeysPerCommand = 64;
inline constexpr std::uint16_t kMaxHoldS = 600;

class Panel {
 public:
  // Runs one command line (without its line end) and writes its reply.
  void command(const char* line, std::size_t n, LogLine& reply);
  // The target's LCD showed `screen` (hal::Hal::lcd_show), for the `lcd` command.
  void screen_shown(const hal::LcdScreen& screen);
  // The meter lost (a host scenario's `power: off`) or regained its supply:
  // while it is off keys and presses are refused, and those waiting are
  // dropped; inputs keep their state.
  void set_powered(bool on);

  // Types n keys (a scenario segment's `keys:`, already checked) when they
  // all fit; false, typing none, when the keypad has no room for them.
  bool type(const char* keys, std::size_t n);
  // hal::Hal::keypad_read: typed keys, oldest first, at most cap.
  std::size_t keypad_read(char* out, std::size_t cap);
  // hal::Hal::buttons_held at meter second `utc_s` (hal::button_bit bits).
  std::uint8_t buttons_held(std::int64_t utc_s);
  // hal::Hal::inputs_active: the inputs set on (hal::input_bit bits).
  std::uint8_t inputs_active() const { return inputs_; }

  static constexpr std::size_t kKeyCapacity = 128;  // typed keys waiting to be read
  static constexpr std::size_t kPressCapacity = 8;  // presses waiting

 private:
  struct Press {
    std::uint8_t buttons;
    std::uint16_t seconds;
  };
  void keys(const char* text, std::size_t n, LogLine& reply);
  void press(const char* text, std::size_t n, LogLine& reply);
  void input(const char* text, std::size_t n, LogLine& reply);
  void lcd(LogLine& reply) const;

  char keys_[kKeyCapacity]{};
  std::size_t key_count_ = 0;
  Press presses_[kPressCapacity]{};
  std::size_t press_count_ = 0;
  std::uint8_t held_ = 0;          // the buttons held now
  std::uint16_t held_left_s_ = 0;  // samples they are still held, this one included
  std::int64_t last_second_ = -1;
  std::uint8_t inputs_ = 0;
  hal::LcdScreen screen_{};
  bool shown_ = false;
  bool powered_ = true;
};

// Cuts received bytes into command lines ending in LF (a CR before it is
// dropped). A line longer than kMaxCommandLine is refused whole: its bytes up
// to the next LF are skipped and it comes out as an overlong line.
// The reply to a line LineReader refused as overlong.
void overlong_reply(LogLine& reply);

class LineReader {
 public:
  enum class Result : std::uint8_t { none, line, overlong };
  // Takes bytes from data[*used..n) up to and including the next LF: `line`
  // (line() holds it), `overlong`, or `none` when every byte was taken
  // without completing a line. *used advances past the bytes taken.
  Result take(const std::uint8_t* data, std::size_t n, std::size_t* used);
  const char* line() const { return line_; }
  std::size_t length() const { return length_; }
  // Part of a line has arrived, its end has not.
  bool partial() const { return !complete_ && (length_ > 0 || overlong_); }

 private:
  char line_[kMaxCommandLine + 1]{};
  std::size_t length_ = 0;
  bool overlong_ = false;
  bool complete_ = false;  // line() holds a line handed out; the next take() starts a new one
};

}  // namespace metergen::simulation
