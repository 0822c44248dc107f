// A ring of fixed-size slots in NVM: the one primitive under every persisted
// record (docs/nvm-format.md). Owns: slot placement, erase-ahead on flash,
// framing and checking. May call: the HAL's NVM functions.
//
// Item number `sequence` (1, 2, 3, ...) lives in slot sequence % slots:
//   sequence (be32) | payload (payload_bytes) | CRC-32 (be32)
// The CRC covers the ring's tag (be32), the sequence and the payload, so a slot
// written for another model, layout or ring never checks out. Sequences 0 and
// 0xFFFFFFFF (erased flash) are never used.
//
// On a device with an erase unit, writing a slot first erases every unit that
// begins inside it; those units reach at most erase_spare() slots ahead, over
// the oldest items. A slot programmed since its unit's last erase is never
// programmed again: a writer that finds one skips its sequence (a hole).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>

namespace metergen::storage {

inline constexpr std::uint32_t kNoSequence = 0;

class SlotRing {
 public:
  static constexpr std::uint32_t kFrameBytes = 8;  // sequence + CRC

  SlotRing() = default;
  // `slots` slots of `payload_bytes` from `base` (a multiple of erase_unit).
  SlotRing(std::uint32_t base, std::uint32_t payload_bytes, std::uint32_t slots, std::uint32_t erase_unit,
           std::uint32_t tag);

  // Slots beyond the one being written that its erase may reach.
  static std::uint32_t erase_spare(std::uint32_t payload_bytes, std::uint32_t erase_unit);
  // NVM bytes of `slots` slots, rounded up to whole erase units.
  static std::uint32_t bytes(std::uint32_t payload_bytes, std::uint32_t slots, std::uint32_t erase_unit);

  std::uint32_t base() const { return base_; }
  std::uint32_t slots() const { return slots_; }
  std::uint32_t payload_bytes() const { return payload_; }
  std::uint32_t bytes() const { return bytes(payload_, slots_, erase_unit_); }
  // NVM offset of the payload in the slot of `sequence`.
  std::uint32_t payload_offset(std::uint32_t sequence) const;

  // True when the slot of `sequence` holds it and its CRC checks out.
  bool check(hal::Hal& hal, std::uint32_t sequence) const;
  // Reads the payload of `sequence` into out (payload_bytes) and checks it.
  bool read(hal::Hal& hal, std::uint32_t sequence, std::uint8_t* out) const;
  // The highest sequence whose slot checks out, kNoSequence when none does.
  std::uint32_t newest(hal::Hal& hal) const { return scan(hal).newest; }
  struct Scan {
    std::uint32_t newest = kNoSequence;  // as newest()
    bool damaged_newer = false;          // a slot claiming a higher sequence did not check out
    std::uint32_t damaged_claim = kNoSequence;  // the highest sequence such a slot claims
    bool blank = true;                   // every slot's sequence is 0 or erased: nothing was ever kept here
  };
  Scan scan(hal::Hal& hal) const;

  // Writes one item: begin() prepares its slot (erasing ahead on flash) and
  // writes the sequence, put() the payload in order, finish() the CRC once
  // exactly payload_bytes were put. The item is valid only after finish().
  class Writer {
   public:
    bool put(const std::uint8_t* p, std::uint32_t n);
    bool finish();

   private:
    friend class SlotRing;
    hal::Hal* hal_ = nullptr;
    std::uint32_t at_ = 0;
    std::uint32_t left_ = 0;
    std::uint32_t crc_ = 0;
    bool ok_ = false;
  };
  // `keep`: a sequence whose slot must survive (the newest valid item); an
  // erase that would reach it refuses. `sequence` is advanced past slots that
  // cannot be programmed without such an erase. False when nothing was begun.
  bool begin(hal::Hal& hal, std::uint32_t& sequence, std::uint32_t keep, Writer& w) const;
  // Makes every slot invalid (a sequence of 0, or erased units on flash).
  bool discard(hal::Hal& hal) const;
  // The sequence to try after `sequence` failed: the same slot where bytes are
  // rewritable, the next on flash (a slot is programmed once per erase).
  std::uint32_t after_failure(std::uint32_t sequence) const { return erase_unit_ != 0 ? sequence + 1 : sequence; }

 private:
  std::uint32_t slot_offset(std::uint32_t slot) const { return base_ + slot * (payload_ + kFrameBytes); }
  bool programmable(hal::Hal& hal, std::uint32_t slot) const;
  bool erase_for(hal::Hal& hal, std::uint32_t slot, std::uint32_t keep) const;

  std::uint32_t base_ = 0;
  std::uint32_t payload_ = 0;
  std::uint32_t slots_ = 0;
  std::uint32_t erase_unit_ = 0;
  std::uint32_t tag_ = 0;
};

// Hands out NVM regions in order, each starting on an erase unit.
class Allocator {
 public:
  Allocator(std::uint32_t base, std::uint32_t erase_unit) : next_(align(base, erase_unit)), unit_(erase_unit) {}
  std::uint32_t take(std::uint32_t bytes) {
    const std::uint32_t at = next_;
    next_ = align(next_ + bytes, unit_);
    return at;
  }
  std::uint32_t end() const { return next_; }
  std::uint32_t erase_unit() const { return unit_; }
  static std::uint32_t align(std::uint32_t v, std::uint32_t unit) { return unit == 0 ? v : (v + unit - 1) / unit * unit; }

 private:
  std::uint32_t next_;
  std::uint32_t unit_;
};

}  // namespace metergen::storage
