// BoardHal: metergen::hal::Hal on the mps2-an386 board.
//
//  - time: SysTick interrupts every millisecond; they count ticks_ms() and
//    advance the real-time clock, which lives in retained RAM like a
//    battery-backed RTC: it keeps running across warm resets and restarts at
//    kPowerOnUtcMs on a cold start. set_utc_ms() sets it.
//  - NVM: the retained RAM region (retained.hpp), formatted on a cold start.
//  - front end: the simulated ADC (front_end.hpp) playing the image's scenario.
//  - random(): entropy pool and AES-CTR generator (random_source.hpp).
//  - secrets: the demo secrets compiled in (demo_secrets.hpp).
//  - log, relay, pulse outputs, LCD screens: lines on the log UART,
//    `YYYY-MM-DDThh:mm:ssZ meter[<model>]: <text>` (meter clock).
//  - keypad, buttons and inputs: what the scenario's current segment types,
//    presses and activates (as on the host meter), and panel()
//    (simulation::Panel), which the control UART's commands work (main.cpp).
//
// Owns: the tick counter, relay and pulse state. Uses: board.hpp, uart.hpp,
// retained.hpp, front_end.hpp, random_source.hpp, demo_secrets.hpp,
// line_writer.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/panel.hpp>

#include "front_end.hpp"
#include "random_source.hpp"
#include "retained.hpp"
#include "uart.hpp"

namespace metergen::mps2 {

// The clock after a cold start: 2024-01-01T00:00:00Z.
inline constexpr std::uint64_t kPowerOnUtcMs = 1'704'067'200'000ull;

class BoardHal final : public hal::Hal {
 public:
  BoardHal(const tables::Model& model, RetainedMemory& retained, Uart& log_uart, SimulatedFrontEnd& front_end);

  // Opens the retained memory (cold: format), starts the 1 ms SysTick and the front end.
  RetainedMemory::Start start();
  // Interrupt handlers' work: one millisecond passed; a byte arrived (timing sample).
  void on_systick();
  void on_entropy_event();

  std::uint64_t utc_ms() override;
  bool set_utc_ms(std::uint64_t ms) override;
  std::uint32_t ticks_ms() override { return ticks_; }
  std::uint32_t nvm_size() override { return retained_.nvm_size(); }
  bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) override;
  bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) override;
  void random(std::uint8_t* out, std::size_t n) override;
  std::size_t secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) override;
  void log(const char* line) override;
  hal::FrontEnd front_end() override { return front_end_.front_end(); }
  std::size_t adc_read(hal::AdcFrame* out, std::size_t cap) override;
  void pulse(hal::PulseOutput output) override;
  void set_relay(bool connected) override;
  // Each screen as a log line `lcd: <display::describe>`.
  void lcd_show(const hal::LcdScreen& screen) override;
  // The keys typed (by the scenario's segments and on the panel), the buttons
  // held and the inputs active (in the current segment or on the panel).
  std::size_t keypad_read(char* out, std::size_t cap) override { return panel_.keypad_read(out, cap); }
  std::uint8_t buttons_held() override;
  std::uint8_t inputs_active() override;
  simulation::Panel& panel() { return panel_; }
  // The board has no network: a push cannot be sent (logged, the attempt fails).
  bool push_open(const std::uint8_t* destination, std::size_t n) override;

 private:
  // A scenario segment started: logged, its keys typed on the panel.
  void segment_started();

  const tables::Model& model_;
  RetainedMemory& retained_;
  Uart& log_uart_;
  SimulatedFrontEnd& front_end_;
  std::uint64_t skipped_logged_ = 0;
  volatile std::uint32_t ticks_ = 0;
  EntropyPool pool_;
  Generator generator_;
  std::uint32_t pulses_[2]{};
  simulation::Panel panel_;
};

}  // namespace metergen::mps2
