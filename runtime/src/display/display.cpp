// The display engine's modes and timers (docs/display.md, Modes).
#include <metergen/display/display.hpp>

namespace metergen::display {

using tables::DisplayMode;

namespace {

std::uint8_t widest_item(const tables::Model& model) {
  constexpr std::uint8_t kValueField = sizeof(hal::LcdScreen::value) - 1;
  std::uint8_t widest = 0;
  for (std::uint16_t i = 0; i < model.display_item_count; ++i)
    if (model.display_items[i].digits > widest) widest = model.display_items[i].digits;
  return widest == 0 || widest > kValueField ? kValueField : widest;
}

}  // namespace

Display::Display(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, const metering::Engine& engine)
    : model_(model),
      hal_(hal),
      objects_(objects),
      engine_(engine),
      alarm_(tables::find_role(model, tables::Role::alarm_register)),
      digits_(widest_item(model)) {}

void Display::boot() {
  default_ = find(DisplayMode::auto_scroll);
  if (default_ == kNoList) default_ = find(DisplayMode::normal);
  if (default_ == kNoList && model_.display_list_count) default_ = 0;
  last_second_ = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  show(default_);
  redraw();
}

void Display::tick() {
  if (default_ == kNoList) return;
  const auto now = static_cast<std::int64_t>(hal_.utc_ms() / 1000);
  if (now == last_second_) return;
  last_second_ = now;
  second();
  redraw();
}

void Display::second() {
  const bool held = hal_.buttons_held() & hal::button_bit(hal::Button::display);
  const bool press = press_.sample(held, 0);
  const bool long_press = hold_.sample(held, kServiceHoldS);
  if (outage_) return outage_second(press);
  ++item_s_, ++idle_s_, ++list_s_;
  on_press(press, long_press);
  run_timers();
}

// A press steps the list shown, or enters the button list from the default
// list; a long press enters the service list.
void Display::on_press(bool press, bool long_press) {
  if (long_press && find(DisplayMode::service) != kNoList) return show(find(DisplayMode::service));
  if (!press) return;
  const std::uint8_t manual = find(DisplayMode::manual);
  if (list_ == default_ && manual != kNoList) return show(manual);
  idle_s_ = 0;
  step();
}

// During an outage the LCD is off; a press wakes it with the power-off list
// for its duration, at most `activations` times per outage (0: no limit).
void Display::outage_second(bool press) {
  const std::uint8_t off_list = find(DisplayMode::power_off);
  if (list_ == kNoList) {
    if (!press || off_list == kNoList) return;
    const std::uint8_t limit = model_.display_lists[off_list].activations;
    if (limit != 0 && wakes_ >= limit) return;
    ++wakes_;
    return show(off_list);
  }
  ++item_s_, ++idle_s_, ++list_s_;
  if (press) {
    idle_s_ = 0;
    step();
  }
  run_timers();
}

// Scroll, the timeout back to the default list (after the last press) and the
// list's duration (since it was entered).
void Display::run_timers() {
  const tables::DisplayListDef& l = model_.display_lists[list_];
  const std::uint8_t back = outage_ ? kNoList : default_;
  const std::uint16_t timeout = l.scroll_s ? l.timeout_s : time_s(l, l.timeout_s);
  if (l.duration_s && list_s_ >= l.duration_s) return show(back);
  if (timeout && idle_s_ >= timeout) return show(back);
  const std::uint16_t scroll = scroll_s();
  if (scroll && item_s_ >= scroll) step();
}

// A list's own scroll time; the power-off list scrolls as the default list does.
std::uint16_t Display::scroll_s() const {
  const tables::DisplayListDef& l = model_.display_lists[list_];
  if (l.scroll_s || l.mode != DisplayMode::power_off) return time_s(l, l.scroll_s);
  const tables::DisplayListDef& d = model_.display_lists[default_];
  return time_s(d, d.scroll_s);
}

// A time of the list, `fixed` from the tables; the one a client may set
// (a list's scroll time, or the timeout of one that does not scroll) from its time object.
std::uint16_t Display::time_s(const tables::DisplayListDef& l, std::uint16_t fixed) const {
  std::int64_t v = 0;
  if (l.time_object == tables::kNone || fixed == 0 || !objects_.read_integer(l.time_object, 2, v)) return fixed;
  return static_cast<std::uint16_t>(v);
}

void Display::show(std::uint8_t list) {
  list_ = list;
  item_ = 0;
  item_s_ = idle_s_ = list_s_ = 0;
  restart_ = false;
  const bool shows = list != kNoList && cosem::display_list_count(model_, model_.display_lists[list]) > 0;
  shown_ = shows ? cosem::display_list_screen(model_, model_.display_lists[list], 0) : tables::kNone;
}

void Display::step() {
  const tables::DisplayListDef& l = model_.display_lists[list_];
  const std::uint16_t count = cosem::display_list_count(model_, l);
  item_ = static_cast<std::uint16_t>(count && !restart_ ? (item_ + 1) % count : 0);
  restart_ = false;
  item_s_ = 0;
  shown_ = count ? cosem::display_list_screen(model_, l, item_) : tables::kNone;
}

void Display::value_set(std::uint16_t object) {
  if (list_ != kNoList && object != tables::kNone && model_.display_lists[list_].list_object == object) restart_ = true;
}

std::uint8_t Display::find(DisplayMode mode) const {
  for (std::uint8_t i = 0; i < model_.display_list_count; ++i)
    if (model_.display_lists[i].mode == mode) return i;
  return kNoList;
}

void Display::metering_second(const metrology::Readings& r) {
  std::uint8_t phases = 0;
  for (std::uint8_t i = 0; i < r.phases && i < model_.phases && i < 3; ++i)
    if (r.phase[i].voltage_present) phases = static_cast<std::uint8_t>(phases | hal::kLcdPhase1 << i);
  phases_ = phases;
  const bool outage = phases == 0;
  if (outage == outage_ || default_ == kNoList) return;
  outage_ = outage;
  wakes_ = 0;
  show(outage ? kNoList : default_);
}

bool Display::script_executed(std::uint16_t object) {
  if (object == tables::kNone) return true;
  const tables::Role role = model_.objects[object].role;
  if (role == tables::Role::display_test_script) return enter(DisplayMode::test);
  if (role == tables::Role::display_normal_script) return default_ != kNoList && (show(default_), true);
  return true;
}

bool Display::enter(DisplayMode mode) {
  const std::uint8_t list = find(mode);
  if (list == kNoList || outage_) return false;
  show(list);
  return true;
}

void Display::message(const char* code, const char* text, std::uint8_t seconds) {
  message_ = {};
  for (std::size_t i = 0; code[i] != '\0' && i + 1 < sizeof message_.code; ++i) message_.code[i] = code[i];
  for (std::size_t i = 0; text[i] != '\0' && i + 1 < sizeof message_.value; ++i) message_.value[i] = text[i];
  message_until_s_ = static_cast<std::int64_t>(hal_.utc_ms() / 1000) + seconds;
  if (!outage_ && default_ != kNoList) redraw();
}

void Display::redraw() {
  hal::LcdScreen s{};
  if (static_cast<std::int64_t>(hal_.utc_ms() / 1000) < message_until_s_ && !outage_) {
    s = message_;
    indicators(s);
  } else if (list_ != kNoList && shown_ != tables::kNone) {
    render(model_, objects_, model_.display_items[shown_], s);
    if (s.flags != 0xFF) indicators(s);
  }
  const bool same = drawn_ && s == screen_;
  screen_ = s;
  drawn_ = true;
  if (!same) hal_.lcd_show(screen_);
}

void Display::indicators(hal::LcdScreen& s) {
  if (engine_.tariff_count() > 1) s.tariff = engine_.tariff();
  s.flags = phases_;
  if (relay_open_) s.flags |= hal::kLcdRelayOpen;
  if (model_.display_lists[list_].mode == DisplayMode::test) s.flags |= hal::kLcdTest;
  std::int64_t v = 0;
  if (alarm_ != tables::kNone && objects_.read_integer(alarm_, 2, v) && v != 0) s.flags |= hal::kLcdAlarm;
}

}  // namespace metergen::display
