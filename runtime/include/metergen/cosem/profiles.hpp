// Profile generic (IC 7 v1): the capture engine and the power-fail-safe FIFO
// buffers of load profiles, billing profiles and event logs.
//
// Owns: each profile's ring in NVM, attributes 1..8, methods reset/capture,
// selective access on the buffer (range_descriptor, entry_descriptor) and the
// periodic capture. May call: the tables, axdr/, the HAL and an AttributeSource
// (the captured values).
//
// NVM layout, from nvm_base, per profile in table order (offsets computed from
// the table, nothing stored about the layout):
//   header copy 0 | header copy 1 | (entries + 1) slots of entry_bytes
// A slot holds one encoded entry `02 <n> <Data>...`. A capture writes the one
// slot outside the current ring, then the header copy not holding the newest
// state (each copy: first, count, sequence, capture_period, checksum over them
// and the table layout). A power cut at any point leaves the old or the new ring.
//
// Only FIFO is implemented; a profile whose sort_method is another value keeps
// FIFO order but still reports its sort_method (attribute 5).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/cosem/selection.hpp>
#include <metergen/dlms_types/result.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::cosem {

// Reads one attribute of any object as one encoded Data (implemented by cosem::Objects).
class AttributeSource {
 public:
  virtual dlms::DataAccessResult read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) = 0;

 protected:
  ~AttributeSource() = default;
};

class Profiles {
 public:
  // Capacity limits of this runtime: profiles beyond kMaxProfiles, or whose
  // entry is longer than kMaxEntryBytes or has more than kMaxColumns capture
  // objects, answer object_unavailable / hardware_fault.
  static constexpr std::uint16_t kMaxProfiles = 16;
  static constexpr std::uint16_t kMaxEntryBytes = 1024;
  static constexpr std::uint16_t kMaxColumns = 128;

  Profiles(const tables::Model& model, hal::Hal& hal);

  // Where captured values come from and where the buffers start in NVM; call before boot().
  void attach(AttributeSource& source, std::uint32_t nvm_base);
  // Loads each ring header from NVM (the valid copy with the newest sequence);
  // a profile with no valid copy starts empty with the table's capture_period.
  void boot();
  // NVM bytes used from nvm_base.
  std::uint32_t nvm_bytes() const;

  // Writes one encoded Data of attribute 1..8 of profile `profile` (index into
  // Model::profiles). `sel` (nullptr = none) applies to attribute 2 only.
  // Deterministic and without cursor state: a block transfer calls it again for
  // each block with a windowed writer; an overflowing writer is the caller's business.
  dlms::DataAccessResult get(std::uint16_t profile, std::int8_t attribute, const Selection* sel, ByteWriter& out);
  // Only capture_period (attribute 4, double-long-unsigned) is writable; it is
  // persisted with the ring header. Others: read_write_denied.
  dlms::DataAccessResult set(std::uint16_t profile, std::int8_t attribute, ByteReader value);
  // Method 1: empties the buffer.
  dlms::ActionResult reset(std::uint16_t profile);
  // Method 2: appends one entry with the current values of the capture objects
  // (a capture object that cannot be read is stored as null-data); when full,
  // the oldest entry is dropped.
  dlms::ActionResult capture(std::uint16_t profile);
  // Captures every profile with capture_period > 0 once each time the UTC clock
  // crosses a multiple of its period. The first call after boot only notes the
  // current period (intervals missed while off are not filled in).
  void tick(std::uint64_t utc_ms);
  // Attribute 7 as a number; 0 for an unknown profile.
  std::uint32_t entries_in_use(std::uint16_t profile) const;

 private:
  struct Ring {
    std::uint32_t first;     // slot of the oldest entry
    std::uint32_t count;     // entries in use
    std::uint32_t sequence;  // of the newest header copy; its parity is the copy
    std::uint32_t capture_period_s;
    std::uint64_t last_period;  // utc_s / capture_period_s at the previous tick
    bool ticked;                // last_period is valid
  };

  bool usable(std::uint16_t profile) const;
  std::uint32_t region_offset(std::uint16_t profile) const;
  std::uint32_t slot_offset(std::uint16_t profile, std::uint32_t slot) const;
  bool commit(std::uint16_t profile, Ring next);
  bool read_entry(std::uint16_t profile, std::uint32_t index, std::uint8_t* buf) const;
  dlms::DataAccessResult get_buffer(std::uint16_t profile, const Selection* sel, ByteWriter& out);

  const tables::Model& model_;
  hal::Hal& hal_;
  AttributeSource* source_ = nullptr;
  std::uint32_t nvm_base_ = 0;
  Ring rings_[kMaxProfiles]{};
};

}  // namespace metergen::cosem
