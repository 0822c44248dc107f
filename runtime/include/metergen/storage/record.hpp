// A record: one value of fixed size kept in NVM as the newest valid item of a
// slot ring (storage/slot_ring.hpp). Two slots on memory rewritable in place;
// on flash as many as keep every erase unit within kWearShare of its endurance
// over kLifetimeDays at the record's expected write rate (with a tenth to
// spare for whole passes). A power cut, a failed
// or torn write or a flipped bit in one copy leaves the copy before it.
//
// Payload: "MG" | kind (1) | format version (1) | body length (be32) | body.
#pragma once

#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/storage/slot_ring.hpp>

namespace metergen::storage {

enum class RecordKind : std::uint8_t {
  objects = 'O',    // persisted object state and clock settings
  energy = 'E',     // energy accumulators
  counters = 'C',   // suite 0 frame-counter reservations
  profile = 'P',    // a profile's settings (capture period, reset point)
  billing = 'B',    // the billing engine's times and period bases
  demand = 'D',     // the running demand window
  events = 'V',     // the event engine's active conditions
  account = 'A',    // the prepayment account: credits, the STS decoder state, the last token
  keys = 'K',       // fingerprints of the keys the frame counters were kept for
  migration = 'M',  // an older format's contents while it is converted
};

inline constexpr std::uint32_t kLifetimeDays = 15 * 365 + 4;  // 15 years
inline constexpr std::uint32_t kWearShare = 10;                // percent of rated endurance

struct RecordFormat {
  RecordKind kind;
  std::uint8_t version;
  std::uint32_t tag;  // what the body is laid out for (model, objects); seeds the CRC
};

// Recoveries Record::open has logged so far (a damaged newer copy passed
// over, a ring holding no valid copy that is not blank): the meter compares
// it before and after its boot to raise nvm_error.
std::uint32_t recoveries();

class Record {
 public:
  static constexpr std::uint32_t kHeaderBytes = 8;

  // Slots for a record of `body` bytes written about writes_per_day times a day.
  static std::uint32_t slots_for(std::uint32_t body, std::uint32_t writes_per_day, const hal::NvmGeometry& g);
  static std::uint32_t bytes(std::uint32_t body, std::uint32_t slots, std::uint32_t erase_unit) {
    return SlotRing::bytes(body + kHeaderBytes, slots, erase_unit);
  }

  void place(std::uint32_t base, std::uint32_t body, std::uint32_t slots, std::uint32_t erase_unit, RecordFormat f);
  std::uint32_t bytes() const { return ring_.bytes(); }
  std::uint32_t body_bytes() const { return body_; }

  // Finds the newest valid copy; false when there is none.
  bool open(hal::Hal& hal);
  bool found() const { return newest_ != kNoSequence; }
  // After open(): true when no slot ever held a copy (erased or zeroed memory).
  bool blank() const { return blank_; }
  // NVM offset of the record's first byte (tests).
  std::uint32_t base() const { return ring_.base(); }
  // Body bytes [at, at + n) of the newest copy.
  bool read(hal::Hal& hal, std::uint32_t at, std::uint8_t* out, std::uint32_t n) const;

  // A new copy: begin(), the writer's put() of exactly body_bytes() in order,
  // commit(). Until commit() returns true the previous copy stays the record.
  bool begin(hal::Hal& hal, SlotRing::Writer& w);
  bool commit(SlotRing::Writer& w);
  // Invalidates every copy (a record that must not be read again).
  bool discard(hal::Hal& hal) {
    newest_ = kNoSequence;
    return ring_.discard(hal);
  }
  // Writes a whole body held in memory.
  bool write(hal::Hal& hal, const std::uint8_t* body);

 private:
  void settle(hal::Hal& hal, std::uint32_t damaged_claim);

  SlotRing ring_;
  std::uint32_t body_ = 0;
  std::uint32_t newest_ = kNoSequence;
  std::uint32_t next_ = 1;
  std::uint32_t pending_ = kNoSequence;
  bool blank_ = true;
  RecordKind kind_{};
  std::uint8_t version_ = 0;
};

}  // namespace metergen::storage
