// BoardHal (see board_hal.hpp).
#include "board_hal.hpp"

#include "board.hpp"
#include "demo_secrets.hpp"
#include "line_writer.hpp"

#include <metergen/display/display.hpp>
#include <metergen/log_line.hpp>

namespace metergen::mps2 {
namespace {

std::uint32_t systick_value() { return board::reg(board::kSysTickValue); }

}  // namespace

BoardHal::BoardHal(const tables::Model& model, RetainedMemory& retained, Uart& log_uart, SimulatedFrontEnd& front_end)
    : model_(model), retained_(retained), log_uart_(log_uart), front_end_(front_end) {}

RetainedMemory::Start BoardHal::start() {
  const RetainedMemory::Start start = retained_.open(RetainedMemory::model_tag(model_.id), kPowerOnUtcMs);
  board::reg(board::kSysTickLoad) = board::kSysclkHz / 1000 - 1;
  board::reg(board::kSysTickValue) = 0;
  board::reg(board::kSysTickCtrl) = board::kSysTickEnable | board::kSysTickInterrupt | board::kSysTickProcessorClock;
  front_end_.start(ticks_);
  return start;
}

void BoardHal::on_systick() {
  ticks_ = ticks_ + 1;
  retained_.advance_clock_ms();
}

void BoardHal::on_entropy_event() { pool_.stir(systick_value() ^ (ticks_ << 24)); }

std::uint64_t BoardHal::utc_ms() {
  const board::InterruptsMasked masked;
  return retained_.clock_ms();
}

bool BoardHal::set_utc_ms(std::uint64_t ms) {
  {
    const board::InterruptsMasked masked;
    retained_.set_clock_ms(ms);
  }
  char buffer[64];
  log(LineWriter(buffer, sizeof buffer).text("clock set to ").utc(ms).c_str());
  return true;
}

bool BoardHal::nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) {
  return retained_.read(offset, out, n);
}

bool BoardHal::nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) {
  return retained_.write(offset, in, n);
}

void BoardHal::random(std::uint8_t* out, std::size_t n) {
  std::uint8_t seed[EntropyPool::kBytes];
  {
    const board::InterruptsMasked masked;
    pool_.stir(systick_value());
    pool_.snapshot(seed);
  }
  generator_.reseed(seed);
  generator_.generate(out, n);
}

std::size_t BoardHal::secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) {
  return demo_secret(model_, association, kind, out, cap);
}

void BoardHal::log(const char* line) {
  char prefix[64];
  log_uart_.write(LineWriter(prefix, sizeof prefix).utc(utc_ms()).text(" meter[").text(model_.id).text("]: ").c_str());
  log_uart_.write(line);
  log_uart_.write("\n");
}

std::size_t BoardHal::adc_read(hal::AdcFrame* out, std::size_t cap) {
  const std::size_t n = front_end_.read(ticks_, out, cap);
  if (front_end_.take_segment_start()) segment_started();
  if (front_end_.skipped() != skipped_logged_) {
    skipped_logged_ = front_end_.skipped();
    char buffer[80];
    log(LineWriter(buffer, sizeof buffer)
            .text("adc: fell behind, ")
            .dec(skipped_logged_)
            .text(" frames skipped so far")
            .c_str());
  }
  return n;
}

void BoardHal::segment_started() {
  const simulation::Segment& s = front_end_.segment();
  LogLine line;
  line.text("scenario: segment ").number(front_end_.segment_index() + 1u);
  if (s.name != nullptr && s.name[0] != '\0') line.text(" '").text(s.name).text("'");
  line.text(" starts");
  std::size_t keys = 0;
  while (s.keys != nullptr && s.keys[keys] != '\0') ++keys;
  if (keys > 0) line.text(panel_.type(s.keys, keys) ? ", keys typed: " : ", no room for its keys: ").text(s.keys);
  log(line.c_str());
}

std::uint8_t BoardHal::buttons_held() {
  const std::uint8_t panel = panel_.buttons_held(static_cast<std::int64_t>(utc_ms() / 1000));
  return static_cast<std::uint8_t>(panel | front_end_.segment().buttons);
}

std::uint8_t BoardHal::inputs_active() {
  return static_cast<std::uint8_t>(panel_.inputs_active() | front_end_.segment().inputs);
}

void BoardHal::pulse(hal::PulseOutput output) {
  const bool active = output == hal::PulseOutput::active_energy;
  const std::uint32_t count = ++pulses_[active ? 0 : 1];
  char buffer[64];
  log(LineWriter(buffer, sizeof buffer)
          .text(active ? "pulse: active energy #" : "pulse: reactive energy #")
          .dec(count)
          .c_str());
}

// The simulated front end is behind the relay: an open relay cuts its load current.
void BoardHal::set_relay(bool connected) {
  front_end_.set_load_connected(connected);
  log(connected ? "relay: connected" : "relay: disconnected");
}

void BoardHal::lcd_show(const hal::LcdScreen& screen) {
  panel_.screen_shown(screen);
  char line[96] = "lcd: ";
  display::describe(screen, line + 5, sizeof line - 5);
  log(line);
}

bool BoardHal::push_open(const std::uint8_t*, std::size_t) {
  log("push: this board has no network interface; not sent");
  return false;
}

}  // namespace metergen::mps2
