// Test and benchmark helper: a hal::Hal whose NVM is an emulated device with
// faults injected on purpose (docs/nvm-format.md, "Faults").
//
// Devices: bytes rewritable in place (EEPROM, FRAM, the host meter's file), or
// NOR flash with erase units (a byte may be programmed once per erase; a write
// over programmed bytes is refused and counted as a violation; erases are
// counted per unit). Faults: a power cut after a number of writes (the next
// write lands only its first torn_bytes, nothing after it lands), a write that
// fails and changes nothing, and a flipped bit. Everything else (clock,
// secrets, randomness) is MemoryHal's.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <metergen/hal.hpp>

#include "memory_hal.hpp"

namespace metergen::test {

class NvmEmulator final : public hal::Hal {
 public:
  // erase_unit 0: rewritable bytes; otherwise NOR flash (erased = 0xFF).
  NvmEmulator(std::uint32_t size, std::uint32_t erase_unit = 0, std::uint32_t endurance = 0)
      : nvm(size, 0xFF), unit_(erase_unit), endurance_(endurance),
        erases_(erase_unit == 0 ? 0 : (size + erase_unit - 1) / erase_unit, 0) {}

  std::vector<std::uint8_t> nvm;
  MemoryHal base{0};

  // Faults. A power cut: `writes` more writes land, the next lands its first
  // `torn_bytes` bytes, later ones fail until restore_power().
  void cut_power_after(long writes, std::size_t torn_bytes = 0) { cut_after_ = writes, torn_ = torn_bytes; }
  // The write after `writes` more fails and changes nothing; later ones land.
  void fail_write_after(long writes) { fail_after_ = writes; }
  void restore_power() { cut_after_ = -1, off_ = false; }
  bool powered_off() const { return off_; }
  void flip_bit(std::uint32_t offset, int bit) { nvm[offset] ^= static_cast<std::uint8_t>(1u << bit); }

  // Counters.
  std::uint64_t writes = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t violations = 0;  // flash: writes over programmed bytes
  const std::vector<std::uint32_t>& erases() const { return erases_; }
  std::uint32_t max_erases() const { return erases_.empty() ? 0 : *std::max_element(erases_.begin(), erases_.end()); }
  void reset_counters() {
    writes = bytes_written = violations = 0;
    std::fill(erases_.begin(), erases_.end(), 0);
  }

  hal::NvmGeometry nvm_geometry() override { return {unit_, endurance_}; }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm.size()); }
  bool nvm_read(std::uint32_t at, std::uint8_t* out, std::size_t n) override {
    if (at > nvm.size() || n > nvm.size() - at) return false;
    std::copy_n(nvm.begin() + at, n, out);
    return true;
  }
  bool nvm_write(std::uint32_t at, const std::uint8_t* in, std::size_t n) override {
    if (off_ || at > nvm.size() || n > nvm.size() - at) return false;
    if (fail_after_ >= 0 && fail_after_-- == 0) return false;
    std::size_t landing = n;
    if (cut_after_ >= 0 && cut_after_-- == 0) {
      landing = std::min(torn_, n);
      off_ = true;
    }
    if (unit_ != 0 && !std::all_of(nvm.begin() + at, nvm.begin() + at + landing, [](std::uint8_t b) { return b == 0xFF; })) {
      ++violations;
      return false;
    }
    std::copy_n(in, landing, nvm.begin() + at);
    ++writes;
    bytes_written += landing;
    return !off_;
  }
  bool nvm_erase(std::uint32_t at) override {
    if (off_ || unit_ == 0 || at % unit_ != 0 || at >= nvm.size()) return false;
    std::fill_n(nvm.begin() + at, std::min<std::size_t>(unit_, nvm.size() - at), 0xFF);
    ++erases_[at / unit_];
    return true;
  }

  std::uint64_t utc_ms() override { return base.utc_ms(); }
  bool set_utc_ms(std::uint64_t ms) override { return base.set_utc_ms(ms); }
  std::uint32_t ticks_ms() override { return ticks; }
  void random(std::uint8_t* out, std::size_t n) override { base.random(out, n); }
  std::size_t secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) override {
    return base.secret(association, kind, out, cap);
  }
  void log(const char* line) override { logs.emplace_back(line); }

  std::uint32_t ticks = 0;
  std::vector<std::string> logs;

 private:
  std::uint32_t unit_;
  std::uint32_t endurance_;
  std::vector<std::uint32_t> erases_;
  long cut_after_ = -1;
  std::size_t torn_ = 0;
  long fail_after_ = -1;
  bool off_ = false;
};

}  // namespace metergen::test
