// Profile generic (IC 7 v1): the capture engine and the power-fail-safe FIFO
// buffers of load profiles, billing profiles and event logs.
//
// Owns: each profile's ring in NVM, attributes 1..8, methods reset/capture,
// selective access on the buffer (range_descriptor, entry_descriptor) and the
// periodic capture. May call: the tables, axdr/, the HAL and an AttributeSource
// (the captured values).
//
// NVM (docs/nvm-format.md): one settings record (storage::Record, kind profile:
// per profile in table order its capture_period and the sequence number of the
// newest entry a reset dropped), then per profile its buffer, a storage::SlotRing of
// entries + 1 + erase-spare slots of entry_bytes, each holding one encoded entry
// `02 <n> <Data>...` padded with zeros. A capture writes one slot; nothing is
// rewritten in place, so a power cut leaves the buffer with or without the new
// entry, and flash wears evenly. The buffer holds the newest `entries` sequence
// numbers after the reset point; an entry whose slot does not check out (a
// failed write on flash) reads as a row of null-data.
//
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/cosem/selection.hpp>
#include <metergen/dlms_types/result.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_ram.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>
#include <metergen/storage/slot_ring.hpp>

namespace metergen::cosem {

// Reads one attribute of any object as one encoded Data (implemented by cosem::Objects).
class AttributeSource {
 public:
  virtual dlms::DataAccessResult read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) = 0;
  // The value as a capture stamped with the instant `utc_s` records it (a
  // periodic capture at its period's boundary, an event logged late): a
  // source that has the clock answers its time at that instant; every other
  // value is the value now.
  virtual dlms::DataAccessResult read_at(std::uint16_t object, std::int8_t attribute, std::int64_t utc_s,
                                         ByteWriter& out) {
    (void)utc_s;
    return read(object, attribute, out);
  }

 protected:
  ~AttributeSource() = default;
};

// `source` read at the instant `utc_s`: what a capture stamped with that instant reads.
class SourceAt final : public AttributeSource {
 public:
  SourceAt(AttributeSource& source, std::int64_t utc_s) : source_(source), utc_s_(utc_s) {}
  dlms::DataAccessResult read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) override {
    return source_.read_at(object, attribute, utc_s_, out);
  }

 private:
  AttributeSource& source_;
  std::int64_t utc_s_;
};

// Told just before a periodic capture, so the engines can close the period the
// entry reports (averages, extremes, the profile status word).
class PeriodHooks {
 public:
  virtual void period_closing(std::uint16_t profile) = 0;

 protected:
  ~PeriodHooks() = default;
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

  // Where captured values come from, and who closes a period before a
  // periodic capture (nullptr: nobody); call before boot().
  void attach(AttributeSource& source, PeriodHooks* hooks = nullptr) {
    source_ = &source;
    period_hooks_ = hooks;
  }
  // Takes the settings record's and each buffer's place from `at`.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // Loads each profile's settings and finds its newest entry; a profile with
  // no settings record has the table's capture_period.
  void boot();
  // An older NVM format's buffer: restart() empties the buffer (dropping what
  // an earlier attempt appended) and sets the capture period, adopt_entry()
  // appends one encoded entry (entry_bytes at most); both written through.
  bool restart(std::uint16_t profile, std::uint32_t period_s);
  bool adopt_entry(std::uint16_t profile, const std::uint8_t* entry, std::uint32_t n);

  // Writes one encoded Data of attribute 1..8 of profile `profile` (index into
  // Model::profiles). `sel` (nullptr = none) applies to attribute 2 only;
  // `compact`: attribute 2 as a compact-array (tag 0x13: one structure
  // description of the columns' types, then the rows without tags) when its
  // rows allow it (at least one; every row's columns of the first row's simple
  // types), else as the array of structures.
  // Deterministic and without cursor state: a block transfer calls it again for
  // each block with a windowed writer; an overflowing writer is the caller's business.
  dlms::DataAccessResult get(std::uint16_t profile, std::int8_t attribute, const Selection* sel, ByteWriter& out,
                             bool compact = false);
  // Only capture_period (attribute 4, double-long-unsigned) is writable; it is
  // persisted with the ring header. Others: read_write_denied.
  dlms::DataAccessResult set(std::uint16_t profile, std::int8_t attribute, ByteReader value);
  // Method 1: empties the buffer.
  dlms::ActionResult reset(std::uint16_t profile);
  // Method 2: appends one entry with the current values of the capture objects
  // (a capture object that cannot be read is stored as null-data); when full,
  // the oldest entry is dropped. `from` (nullptr: the attached source) gives
  // the values instead, for an entry written later than its event.
  dlms::ActionResult capture(std::uint16_t profile, AttributeSource* from = nullptr);
  // A capture stamped with the instant `utc_s` (a period's boundary): the
  // attached source read as SourceAt reads it.
  dlms::ActionResult capture_at(std::uint16_t profile, std::int64_t utc_s);
  // Captures every profile with capture_period > 0 once each time the UTC clock
  // reaches a multiple of its period later than the last one captured, so a
  // clock set back never gives a duplicate or out-of-order time stamp (the
  // profile waits until the clock passes its newest period again). The first
  // call after boot only notes the current period (intervals missed while off
  // are not filled in). The billing profiles (BillingDef daily_profile and
  // monthly_profile) are left to the billing engine, which captures them at
  // local time.
  void tick(std::uint64_t utc_ms);
  // Attribute 7 as a number; 0 for an unknown profile.
  std::uint32_t entries_in_use(std::uint16_t profile) const;

 private:
  using Ring = tables::ProfileRam;  // the generated tables' RAM per profile (Model::ram)

  bool usable(std::uint16_t profile) const;
  std::uint16_t count() const;  // profiles this runtime serves (kMaxProfiles at most)
  bool save_settings(std::uint16_t profile, std::uint32_t period_s, std::uint32_t cleared);
  bool append(std::uint16_t profile, std::uint8_t* entry, std::uint32_t used);
  void read_entry(std::uint16_t profile, std::uint32_t index, std::uint8_t* buf) const;
  dlms::DataAccessResult get_buffer(std::uint16_t profile, const Selection* sel, ByteWriter& out, bool compact);

  const tables::Model& model_;
  hal::Hal& hal_;
  AttributeSource* source_ = nullptr;
  PeriodHooks* period_hooks_ = nullptr;
  storage::Record settings_;
  Ring* rings_;
};

}  // namespace metergen::cosem
