// Retained RAM: the board's emulated non-volatile memory and its battery-backed
// real-time clock, kept in a RAM region that no reset clears (the linker
// script's .retained NOLOAD section, outside every loadable segment, so
// neither the startup code nor QEMU's system_reset touch it).
//
// Layout, from the region's start (host byte order, 8-byte aligned):
//    0 header  magic "MGNV", layout version, NVM size, model tag (4 bytes each),
//              CRC-16/X.25 of those 16 bytes (as the HDLC FCS computes it, in 4)
//   32 clock   UTC milliseconds and their complement (written together by the
//              SysTick interrupt)
//   48 nvm     the Hal's non-volatile memory, nvm_size() bytes
// A header that does not check out (power-on: RAM holds garbage or zeros;
// another model's or layout's image) means a cold start: the NVM is formatted
// to the erased value 0xFF and the clock restarts at the power-on epoch.
//
// Owns: the layout and the warm/cold decision. Uses: hdlc/crc16.hpp. Portable
// (host tests run it over a plain buffer); interrupt masking is the caller's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::mps2 {

class RetainedMemory {
 public:
  static constexpr std::uint32_t kMagic = 0x564E474Du;  // "MGNV" in memory order
  static constexpr std::uint32_t kLayoutVersion = 2;
  static constexpr std::uint8_t kErased = 0xFF;
  static constexpr std::uint32_t kReservedBytes = 48;  // header and clock, before the NVM

  enum class Start : std::uint8_t { cold, warm };

  // region: the retained RAM, 8-byte aligned, region_size bytes (more than kReservedBytes).
  RetainedMemory(std::uint8_t* region, std::uint32_t region_size);

  // Keeps the contents when the header is valid for this model and the clock
  // cell is intact (warm), otherwise formats the NVM and sets the clock to
  // power_on_utc_ms (cold). A valid header with a damaged clock cell keeps the
  // NVM but restarts the clock: that start is reported as warm.
  Start open(std::uint32_t model_tag, std::uint64_t power_on_utc_ms);

  std::uint32_t nvm_size() const { return nvm_size_; }
  bool read(std::uint32_t offset, std::uint8_t* out, std::size_t n) const;
  bool write(std::uint32_t offset, const std::uint8_t* in, std::size_t n);

  // The clock cell; not atomic: mask the interrupt that advances it around calls.
  std::uint64_t clock_ms() const { return clock_->utc_ms; }
  void set_clock_ms(std::uint64_t utc_ms) {
    clock_->utc_ms = utc_ms;
    clock_->complement = ~utc_ms;
  }
  void advance_clock_ms() { set_clock_ms(clock_->utc_ms + 1); }

  // CRC-32 of the model id: a header written by another model's image is invalid.
  static std::uint32_t model_tag(const char* model_id);

 private:
  struct Header {
    std::uint32_t magic;
    std::uint32_t layout_version;
    std::uint32_t nvm_size;
    std::uint32_t model_tag;
    std::uint32_t check;
  };
  struct ClockCell {
    volatile std::uint64_t utc_ms;
    volatile std::uint64_t complement;
  };
  static constexpr std::uint32_t kClockOffset = 32;
  static_assert(sizeof(Header) <= kClockOffset && kClockOffset + sizeof(ClockCell) <= kReservedBytes,
                "header and clock must fit kReservedBytes");

  static std::uint32_t header_check(const Header& h);

  Header* header_;
  ClockCell* clock_;
  std::uint8_t* nvm_;
  std::uint32_t nvm_size_;
};

}  // namespace metergen::mps2
