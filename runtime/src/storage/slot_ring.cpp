// Slot rings in NVM (see storage/slot_ring.hpp and docs/nvm-format.md).
#include <metergen/bytes.hpp>
#include <metergen/storage/crc32.hpp>
#include <metergen/storage/slot_ring.hpp>

namespace metergen::storage {
namespace {

constexpr std::uint32_t kErased = 0xFFFFFFFFu;
constexpr std::uint32_t kChunk = 64;  // bytes per NVM read while checking

std::uint32_t be32(const std::uint8_t* b) { return ByteReader(b, 4).be32(); }

}  // namespace

SlotRing::SlotRing(std::uint32_t base, std::uint32_t payload_bytes, std::uint32_t slots, std::uint32_t erase_unit,
                   std::uint32_t tag)
    : base_(base), payload_(payload_bytes), slots_(slots), erase_unit_(erase_unit), tag_(tag) {}

std::uint32_t SlotRing::erase_spare(std::uint32_t payload_bytes, std::uint32_t erase_unit) {
  if (erase_unit == 0) return 0;
  const std::uint32_t slot = payload_bytes + kFrameBytes;
  // A unit beginning at the slot's last byte reaches erase_unit - 1 bytes further.
  return (slot + erase_unit - 2) / slot;
}

std::uint32_t SlotRing::bytes(std::uint32_t payload_bytes, std::uint32_t slots, std::uint32_t erase_unit) {
  return Allocator::align(slots * (payload_bytes + kFrameBytes), erase_unit);
}

std::uint32_t SlotRing::payload_offset(std::uint32_t sequence) const {
  return slot_offset(sequence % slots_) + 4;
}

bool SlotRing::check(hal::Hal& hal, std::uint32_t sequence) const {
  if (slots_ == 0 || sequence == kNoSequence || sequence == kErased) return false;
  const std::uint32_t at = slot_offset(sequence % slots_);
  std::uint8_t chunk[kChunk];
  if (!hal.nvm_read(at, chunk, 4) || be32(chunk) != sequence) return false;
  std::uint32_t crc = crc32_update_be32(crc32_update_be32(kCrc32Init, tag_), sequence);
  for (std::uint32_t done = 0; done < payload_;) {
    const std::uint32_t n = payload_ - done < kChunk ? payload_ - done : kChunk;
    if (!hal.nvm_read(at + 4 + done, chunk, n)) return false;
    crc = crc32_update(crc, chunk, n);
    done += n;
  }
  return hal.nvm_read(at + 4 + payload_, chunk, 4) && be32(chunk) == ~crc;
}

bool SlotRing::read(hal::Hal& hal, std::uint32_t sequence, std::uint8_t* out) const {
  if (slots_ == 0 || sequence == kNoSequence || sequence == kErased) return false;
  const std::uint32_t at = slot_offset(sequence % slots_);
  std::uint8_t b[4];
  if (!hal.nvm_read(at, b, 4) || be32(b) != sequence || !hal.nvm_read(at + 4, out, payload_)) return false;
  const std::uint32_t crc = crc32_update(crc32_update_be32(crc32_update_be32(kCrc32Init, tag_), sequence), out, payload_);
  return hal.nvm_read(at + 4 + payload_, b, 4) && be32(b) == ~crc;
}

SlotRing::Scan SlotRing::scan(hal::Hal& hal) const {
  // Only a slot claiming more than the best so far is checked in full: a torn or
  // flipped slot, whatever it claims, leaves the newest one that checks out.
  Scan r;
  std::uint32_t highest_claim = kNoSequence;  // of the slots that did not check out
  for (std::uint32_t slot = 0; slot < slots_; ++slot) {
    std::uint8_t b[4];
    if (!hal.nvm_read(slot_offset(slot), b, 4)) continue;
    const std::uint32_t s = be32(b);
    if (s == kErased || s == kNoSequence) continue;
    r.blank = false;
    if (s <= r.newest || s % slots_ != slot) continue;
    if (check(hal, s)) r.newest = s;
    else if (s > highest_claim) highest_claim = s;
  }
  r.damaged_newer = highest_claim > r.newest && r.newest != kNoSequence;
  if (r.damaged_newer) r.damaged_claim = highest_claim;
  return r;
}

bool SlotRing::programmable(hal::Hal& hal, std::uint32_t slot) const {
  std::uint8_t chunk[kChunk];
  const std::uint32_t size = payload_ + kFrameBytes;
  for (std::uint32_t done = 0; done < size;) {
    const std::uint32_t n = size - done < kChunk ? size - done : kChunk;
    if (!hal.nvm_read(slot_offset(slot) + done, chunk, n)) return false;
    for (std::uint32_t i = 0; i < n; ++i)
      if (chunk[i] != 0xFF) return false;
    done += n;
  }
  return true;
}

bool SlotRing::erase_for(hal::Hal& hal, std::uint32_t slot, std::uint32_t keep) const {
  const std::uint32_t size = payload_ + kFrameBytes;
  const std::uint32_t start = slot_offset(slot);
  const std::uint32_t keep_start = keep == kNoSequence ? 0 : slot_offset(keep % slots_);
  for (std::uint32_t unit = Allocator::align(start, erase_unit_); unit < start + size; unit += erase_unit_) {
    if (keep != kNoSequence && keep_start < unit + erase_unit_ && unit < keep_start + size) return false;
    if (!hal.nvm_erase(unit)) return false;
  }
  return true;
}

bool SlotRing::begin(hal::Hal& hal, std::uint32_t& sequence, std::uint32_t keep, Writer& w) const {
  w.ok_ = false;
  if (slots_ == 0) return false;
  for (std::uint32_t tries = 0; tries < slots_; ++tries, ++sequence) {
    if (sequence == kNoSequence || sequence == kErased) return false;
    const std::uint32_t slot = sequence % slots_;
    if (erase_unit_ != 0) {
      if (!erase_for(hal, slot, keep)) return false;
      if (!programmable(hal, slot)) continue;  // programmed since its erase: a hole
    }
    std::uint8_t head[4];
    ByteWriter(head, 4).be32(sequence);
    if (!hal.nvm_write(slot_offset(slot), head, 4)) return false;
    w.hal_ = &hal;
    w.at_ = slot_offset(slot) + 4;
    w.left_ = payload_;
    w.crc_ = crc32_update_be32(crc32_update_be32(kCrc32Init, tag_), sequence);
    w.ok_ = true;
    return true;
  }
  return false;
}

bool SlotRing::discard(hal::Hal& hal) const {
  bool ok = true;
  if (erase_unit_ != 0) {
    for (std::uint32_t unit = 0; unit < bytes(); unit += erase_unit_) ok = hal.nvm_erase(base_ + unit) && ok;
    return ok;
  }
  const std::uint8_t zero[4] = {};
  for (std::uint32_t slot = 0; slot < slots_; ++slot) ok = hal.nvm_write(slot_offset(slot), zero, 4) && ok;
  return ok;
}

bool SlotRing::Writer::put(const std::uint8_t* p, std::uint32_t n) {
  if (!ok_ || n > left_ || (n > 0 && !hal_->nvm_write(at_, p, n))) return ok_ = false;
  crc_ = crc32_update(crc_, p, n);
  at_ += n;
  left_ -= n;
  return true;
}

bool SlotRing::Writer::finish() {
  if (!ok_ || left_ != 0) return ok_ = false;
  std::uint8_t tail[4];
  ByteWriter(tail, 4).be32(~crc_);
  ok_ = false;
  return hal_->nvm_write(at_, tail, 4);
}

}  // namespace metergen::storage
