// Test helper for the energy and metering tests: a MemoryHal whose NVM writes
// can be cut off after a given number (a power cut: that write and every later
// one never land), that records the relay drive, serves ADC frames queued
// by the test, reports the buttons the test holds and keeps the LCD's screens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <metergen/hal.hpp>

#include "../support/memory_hal.hpp"

namespace metergen::test {

class MeteringHal final : public hal::Hal {
 public:
  explicit MeteringHal(std::size_t nvm_bytes = 4u << 20) : memory(nvm_bytes) {}

  MemoryHal memory;
  long writes_left = -1;  // < 0: no power cut
  std::size_t writes = 0;
  std::vector<bool> relay;
  hal::FrontEnd front{};
  std::deque<hal::AdcFrame> frames;
  std::size_t max_read = 0;  // largest cap adc_read was called with

  std::uint64_t utc_ms() override { return memory.utc_ms(); }
  // The clock is kept like an NVM write: refused when writes_left is 0.
  bool set_utc_ms(std::uint64_t ms) override {
    if (writes_left == 0) return false;
    memory.set_utc_ms(ms);
    clock_ok = true;
    return true;
  }
  bool clock_ok = true;  // clock_valid(); setting the clock makes it valid
  bool clock_valid() override { return clock_ok; }
  std::uint32_t ticks_ms() override { return memory.ticks_ms(); }
  std::uint32_t nvm_size() override { return memory.nvm_size(); }
  bool nvm_read(std::uint32_t at, std::uint8_t* out, std::size_t n) override { return memory.nvm_read(at, out, n); }
  bool nvm_write(std::uint32_t at, const std::uint8_t* in, std::size_t n) override {
    if (writes_left == 0) return false;
    if (writes_left > 0) --writes_left;
    ++writes;
    return memory.nvm_write(at, in, n);
  }
  void random(std::uint8_t* out, std::size_t n) override { memory.random(out, n); }
  std::size_t secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) override {
    return memory.secret(association, kind, out, cap);
  }
  void log(const char* line) override { memory.log(line); }
  // Pushes reach MemoryHal (memory.push_opened, memory.pushed).
  bool push_open(const std::uint8_t* destination, std::size_t n) override { return memory.push_open(destination, n); }
  hal::PushState push_send(const std::uint8_t* frame, std::size_t n) override { return memory.push_send(frame, n); }
  hal::FrontEnd front_end() override { return front; }
  std::size_t adc_read(hal::AdcFrame* out, std::size_t cap) override {
    if (cap > max_read) max_read = cap;
    std::size_t n = 0;
    for (; n < cap && !frames.empty(); ++n) {
      out[n] = frames.front();
      frames.pop_front();
    }
    return n;
  }
  void set_relay(bool connected) override { relay.push_back(connected); }
  // The relay as last driven (closed before the first drive).
  bool relay_connected() const { return relay.empty() || relay.back(); }
  std::uint8_t buttons = 0;  // hal::button_bit per button held
  std::uint8_t buttons_held() override { return buttons; }
  // Every screen the LCD was given, with the meter time (UTC seconds) it came at.
  struct Shown {
    std::int64_t utc_s;
    hal::LcdScreen screen;
  };
  std::vector<Shown> lcd;
  void lcd_show(const hal::LcdScreen& s) override { lcd.push_back({static_cast<std::int64_t>(memory.now_ms / 1000), s}); }
  std::uint8_t inputs = 0;  // hal::input_bit per input active
  std::uint8_t inputs_active() override { return inputs; }
  std::string keys;  // pressed on the keypad, not yet read by the meter
  std::size_t keypad_read(char* out, std::size_t cap) override {
    const std::size_t n = keys.size() < cap ? keys.size() : cap;
    keys.copy(out, n);
    keys.erase(0, n);
    return n;
  }
};

}  // namespace metergen::test
