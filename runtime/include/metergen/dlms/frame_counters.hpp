// Security suite 0 frame counters of every association, with replay protection
// that survives a power cut without an NVM write per frame.
//
// Owns: the counters in RAM and their record in NVM (storage::Record, kind
// counters). Counters are reserved ahead in steps of kCounterStep: the record
// holds, per association, the lowest client counter that may be accepted after
// a restart and the highest server counter that may have been sent. It is
// written only when a counter leaves its reserved range, so a restart jumps
// past at most one step of unused counters and never accepts a replayed
// request nor reuses a server counter (a GCM nonce).
//
// When the record cannot be restored at boot (absent, damaged, another
// model's) and the NVM is not blank, every association's counters are
// exhausted: no client counter is accepted and no server counter handed out,
// so ciphered access and HLS-GMAC are refused, until that association's keys
// change. A second record, written at the end of the layout, keeps a
// fingerprint of each association's keys (AES-128 under the EK of the AK,
// 8 bytes) to notice the change at boot (docs/nvm-format.md, Frame counters).
#pragma once

#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/model_ram.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::dlms {

using tables::kMaxAssociations;  // model_ram.hpp, with the count of associations with RAM
inline constexpr std::uint32_t kCounterStep = 1024;

class FrameCounters {
 public:
  // Starts with no counters; the model's RAM per association (Model::ram) holds them.
  FrameCounters(const tables::Model& model, hal::Hal& hal);

  // Takes the record's place from `at`.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // Takes the key fingerprints' place from `at` (at the end of the layout).
  void place_keys(storage::Allocator& at, const hal::NvmGeometry& g);
  // Restores the reservations (counters start past them); true when a record was found.
  bool boot();
  // After boot() and any conversion: exhausts the counters when they were
  // lost, restarts exhausted counters whose keys changed, keeps the keys'
  // fingerprints. Logs what it decided; true when the counters were lost.
  bool settle();
  // True when the association may not use its keys (counters lost or used up).
  bool exhausted(std::uint16_t association) const;
  // NVM offset of the counters record (tests).
  std::uint32_t record_base() const { return record_.base(); }
  std::uint32_t record_bytes() const { return record_.bytes(); }
  // Starts from stored values (an older NVM format's counters) and writes them.
  bool adopt(const std::uint32_t* client_expected, const std::uint32_t* server_used);

  // A client counter is accepted only when it is not below every one accepted
  // before; false also when its reservation could not be written.
  bool accept_client(std::uint16_t association, std::uint32_t ic);
  std::uint32_t expected_client(std::uint16_t association) const;
  // The next server counter; 0 when none can be reserved (NVM failed).
  std::uint32_t next_server(std::uint16_t association);
  // NVM writes so far (benchmarks).
  std::uint32_t writes() const { return writes_; }

 private:
  bool save();
  void set_all(std::uint8_t association, std::uint32_t value);
  void fingerprint(std::uint8_t association, std::uint8_t* out) const;

  const tables::Model& model_;
  hal::Hal& hal_;
  storage::Record record_;
  storage::Record keys_;
  bool restored_ = false;
  tables::AssociationRam* ram_;  // client_expected, client_floor (persisted), server_used, server_ceiling (persisted)
  std::uint8_t count_;           // tables::association_ram_count(model)
  std::uint32_t writes_ = 0;
};

}  // namespace metergen::dlms
