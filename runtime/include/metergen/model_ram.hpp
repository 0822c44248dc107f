// The RAM the runtime keeps per profile, per association and for a push,
// reserved by the generated tables (Model::ram) so that an image holds what its
// model needs rather than the runtime's maxima.
//
// Owns: nothing but the layouts. The generated model.cpp defines one array of
// each for its model, zero at boot; the runtime engines named at each struct
// alone read and write them. Included by generated code and by those engines.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/model_tables.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/storage/slot_ring.hpp>
#include <metergen/wrapper/wrapper.hpp>

namespace metergen::tables {

// cosem::Profiles: where a profile's buffer lies in NVM and how far it is filled.
struct ProfileRam {
  storage::SlotRing buffer;
  std::uint32_t newest;            // sequence of the newest entry, storage::kNoSequence when none
  std::uint32_t next;              // sequence the next capture writes
  std::uint32_t cleared;           // sequence of the newest entry a reset dropped
  std::uint32_t capture_period_s;
  std::uint32_t last_period;       // utc_s / capture_period_s at the previous tick
  bool ticked;                     // last_period is valid
};

// dlms::FrameCounters and dlms::LoginGuard, per association.
struct AssociationRam {
  std::uint32_t client_expected;   // the lowest client invocation counter still accepted
  std::uint32_t client_floor;      // persisted reservation
  std::uint32_t server_used;
  std::uint32_t server_ceiling;    // persisted reservation
  std::uint32_t login_failures;    // in a row since the last success or lockout
  std::uint32_t lockout_until_ms;
  std::uint8_t lockouts;           // in a row since the last success
  bool locked;
};

// The most associations the runtime keeps state for (dlms::kMaxAssociations):
// an association past it has no frame counters nor login lockout.
inline constexpr std::uint8_t kMaxAssociations = 8;

// The associations whose AssociationRam the engines use: the model's,
// kMaxAssociations at most.
constexpr std::uint8_t association_ram_count(const Model& m) {
  return m.association_count < kMaxAssociations ? m.association_count : kMaxAssociations;
}

#ifndef METERGEN_MAX_PDU
#define METERGEN_MAX_PDU 1024
#endif
// push::Pusher's frame: the wrapper header, room for a general-glo header, the
// plain DataNotification APDU (the largest PDU) and the GCM tag. A model
// without push setups reserves none.
inline constexpr std::size_t kPushApduBytes = METERGEN_MAX_PDU;
inline constexpr std::size_t kPushFrameBytes =
    wrapper::kHeaderSize + security::kGeneralGloHeaderRoom + kPushApduBytes + security::kTagSize;

}  // namespace metergen::tables
