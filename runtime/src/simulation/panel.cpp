// The keypad and buttons worked by text commands (see simulation/panel.hpp).
#include <metergen/display/display.hpp>
#include <metergen/simulation/panel.hpp>
#include <metergen/simulation/scenario.hpp>

namespace metergen::simulation {
namespace {

constexpr char kCommands[] =
    "keys KEYS (0-9, * back, # enter), press BUTTON [SECONDS], input NAME on|off, lcd, help";

bool blank(char c) { return c == ' ' || c == '\t'; }

// The words of a line, one after the other.
class Words {
 public:
  Words(const char* text, std::size_t n) : text_(text), n_(n) {}
  // The next word (false when there is none).
  bool next(const char** word, std::size_t* length) {
    while (at_ < n_ && blank(text_[at_])) ++at_;
    if (at_ == n_) return false;
    *word = text_ + at_;
    while (at_ < n_ && !blank(text_[at_])) ++at_;
    *length = static_cast<std::size_t>(text_ + at_ - *word);
    return true;
  }
  // No word is left.
  bool done() {
    const char* word = nullptr;
    std::size_t length = 0;
    return !next(&word, &length);
  }

 private:
  const char* text_;
  std::size_t n_;
  std::size_t at_ = 0;
};

// The n bytes of `word` (which may hold NULs) are the whole of `name`.
bool equals(const char* word, std::size_t n, const char* name) {
  std::size_t i = 0;
  for (; i < n; ++i)
    if (name[i] == '\0' || name[i] != word[i]) return false;
  return name[i] == '\0';
}

// A word of the user's quoted in a reply; bytes that are not printable as \xNN.
void quoted(LogLine& reply, const char* word, std::size_t n) {
  constexpr char kHex[] = "0123456789ABCDEF";
  reply.text("\"");
  for (std::size_t i = 0; i < n && i < 32; ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    const char printable[2] = {static_cast<char>(c), '\0'};
    const char escaped[5] = {'\\', 'x', kHex[c >> 4], kHex[c & 0xF], '\0'};
    reply.text(c >= 0x20 && c < 0x7F ? printable : escaped);
  }
  reply.text(n > 32 ? "...\"" : "\"");
}

bool is_key(char c) { return (c >= '0' && c <= '9') || c == hal::kKeyBack || c == hal::kKeyEnter; }

}  // namespace

void Panel::command(const char* line, std::size_t n, LogLine& reply) {
  Words words(line, n);
  const char* verb = nullptr;
  std::size_t length = 0;
  if (!words.next(&verb, &length)) {
    reply.text("error: empty command; expected ").text(kCommands);
    return;
  }
  const char* rest = verb + length;
  const std::size_t rest_n = n - static_cast<std::size_t>(rest - line);
  const bool is_keys = equals(verb, length, "keys");
  if ((is_keys || equals(verb, length, "press")) && !powered_) {
    reply.text("error: the meter is off");
    return;
  }
  if (is_keys) return keys(rest, rest_n, reply);
  if (equals(verb, length, "press")) return press(rest, rest_n, reply);
  if (equals(verb, length, "input")) return input(rest, rest_n, reply);
  const bool bare = Words(rest, rest_n).done();
  const bool is_lcd = equals(verb, length, "lcd");
  if (is_lcd || equals(verb, length, "help")) {
    if (!bare) reply.text("error: ").text(is_lcd ? "lcd" : "help").text(" takes no arguments");
    else if (is_lcd) lcd(reply);
    else reply.text("ok: ").text(kCommands);
    return;
  }
  reply.text("error: unknown command ");
  quoted(reply, verb, length);
  reply.text("; expected ").text(kCommands);
}

void Panel::keys(const char* text, std::size_t n, LogLine& reply) {
  Words words(text, n);
  const char* typed = nullptr;
  std::size_t count = 0;
  if (!words.next(&typed, &count) || !words.done()) {
    reply.text("error: keys: expected one word of 1 to 64 keys (0-9, * back, # enter)");
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (is_key(typed[i])) continue;
    reply.text("error: keys: ");
    quoted(reply, typed + i, 1);
    reply.text(" is not a key; expected 0-9, * (back) and # (enter)");
    return;
  }
  if (count > kMaxKeysPerCommand) {
    reply.text("error: keys: ").number(static_cast<std::uint32_t>(count)).text(" keys; at most 64 at a time");
    return;
  }
  if (!type(typed, count)) {
    reply.text("error: keys: the keypad has room for ")
        .number(static_cast<std::uint32_t>(kKeyCapacity - key_count_))
        .text(" more keys until the meter reads them; try again");
    return;
  }
  reply.text("ok: ").number(static_cast<std::uint32_t>(count)).text(count == 1 ? " key typed" : " keys typed");
}

void Panel::press(const char* text, std::size_t n, LogLine& reply) {
  Words words(text, n);
  const char* name = nullptr;
  std::size_t name_n = 0;
  if (!words.next(&name, &name_n)) {
    reply.text("error: press: expected a button (display, billing, reconnect) and optional seconds");
    return;
  }
  std::size_t button = 0;
  while (button < kButtonCount && !equals(name, name_n, kButtonNames[button])) ++button;
  if (button == kButtonCount) {
    reply.text("error: unknown button ");
    quoted(reply, name, name_n);
    reply.text("; expected one of display, billing, reconnect");
    return;
  }
  std::uint32_t seconds = 1;
  const char* number = nullptr;
  std::size_t number_n = 0;
  if (words.next(&number, &number_n)) {
    seconds = 0;
    for (std::size_t i = 0; i < number_n && seconds <= kMaxHoldS; ++i)
      seconds = number[i] >= '0' && number[i] <= '9' ? seconds * 10 + static_cast<std::uint32_t>(number[i] - '0')
                                                     : kMaxHoldS + 1;
    if (seconds < 1 || seconds > kMaxHoldS || !words.done()) {
      reply.text("error: press: seconds must be a whole number from 1 to 600, got ");
      quoted(reply, number, static_cast<std::size_t>(text + n - number));
      return;
    }
  }
  if (press_count_ == kPressCapacity) {
    reply.text("error: press: 8 presses are waiting; try again when they are done");
    return;
  }
  presses_[press_count_++] = {hal::button_bit(static_cast<hal::Button>(button)), static_cast<std::uint16_t>(seconds)};
  reply.text("ok: ").text(kButtonNames[button]).text(" held for ").number(seconds).text(" s");
}

// An input is a switch or sensor: it stays as set, with the power on or off,
// until it is set again.
void Panel::input(const char* text, std::size_t n, LogLine& reply) {
  Words words(text, n);
  const char* name = nullptr;
  std::size_t name_n = 0;
  const char* state = nullptr;
  std::size_t state_n = 0;
  if (!words.next(&name, &name_n) || !words.next(&state, &state_n) || !words.done()) {
    reply.text("error: input: expected an input name and on or off, like input meter_cover_open on");
    return;
  }
  std::uint8_t k = 0;
  while (k < hal::kInputCount && !equals(name, name_n, kInputNames[k])) ++k;
  if (k == hal::kInputCount) {
    reply.text("error: unknown input ");
    quoted(reply, name, name_n);
    reply.text("; expected ");  // the longest reply still fits a LogLine
    for (std::uint8_t i = 0; i < hal::kInputCount; ++i) reply.text(i == 0 ? "" : ", ").text(kInputNames[i]);
    return;
  }
  const bool on = equals(state, state_n, "on");
  if (!on && !equals(state, state_n, "off")) {
    reply.text("error: input: the state must be on or off, got ");
    quoted(reply, state, state_n);
    return;
  }
  const std::uint8_t bit = hal::input_bit(static_cast<hal::Input>(k));
  inputs_ = static_cast<std::uint8_t>(on ? inputs_ | bit : inputs_ & ~bit);
  reply.text("ok: ").text(kInputNames[k]).text(on ? " on" : " off");
}

void Panel::lcd(LogLine& reply) const {
  if (!shown_) {
    reply.text("error: lcd: the LCD has shown nothing yet");
    return;
  }
  char line[96];
  display::describe(screen_, line, sizeof line);
  reply.text("ok: ").text(line);
}

void Panel::screen_shown(const hal::LcdScreen& screen) {
  screen_ = screen;
  shown_ = true;
}

void Panel::set_powered(bool on) {
  powered_ = on;
  if (on) return;
  key_count_ = press_count_ = 0;
  held_ = 0;
  held_left_s_ = 0;
}

bool Panel::type(const char* keys, std::size_t n) {
  if (n > kKeyCapacity - key_count_) return false;
  for (std::size_t i = 0; i < n; ++i) keys_[key_count_++] = keys[i];
  return true;
}

std::size_t Panel::keypad_read(char* out, std::size_t cap) {
  const std::size_t n = cap < key_count_ ? cap : key_count_;
  for (std::size_t i = 0; i < n; ++i) out[i] = keys_[i];
  for (std::size_t i = n; i < key_count_; ++i) keys_[i - n] = keys_[i];
  key_count_ -= n;
  return n;
}

// Each new second: the press held runs out (that second is released), or,
// after a released second, the next press waiting starts.
std::uint8_t Panel::buttons_held(std::int64_t utc_s) {
  if (utc_s == last_second_) return held_;
  last_second_ = utc_s;
  if (held_ != 0) {
    if (--held_left_s_ == 0) held_ = 0;
    return held_;
  }
  if (press_count_ == 0) return 0;
  held_ = presses_[0].buttons;
  held_left_s_ = presses_[0].seconds;
  for (std::size_t i = 1; i < press_count_; ++i) presses_[i - 1] = presses_[i];
  --press_count_;
  return held_;
}

void overlong_reply(LogLine& reply) {
  reply.text("error: line longer than ").number(kMaxCommandLine).text(" bytes");
}

LineReader::Result LineReader::take(const std::uint8_t* data, std::size_t n, std::size_t* used) {
  if (complete_) length_ = 0, complete_ = false;
  while (*used < n) {
    const char c = static_cast<char>(data[(*used)++]);
    if (c == '\n') {
      const bool overlong = overlong_;
      overlong_ = false;
      if (overlong) return length_ = 0, Result::overlong;
      if (length_ > 0 && line_[length_ - 1] == '\r') --length_;
      line_[length_] = '\0';
      complete_ = true;
      return Result::line;
    }
    if (overlong_) continue;
    if (length_ == kMaxCommandLine) {
      overlong_ = true;
      continue;
    }
    line_[length_++] = c;
  }
  return Result::none;
}

}  // namespace metergen::simulation
