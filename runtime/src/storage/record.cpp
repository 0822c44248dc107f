// Records over slot rings (see storage/record.hpp and docs/nvm-format.md).
#include <metergen/bytes.hpp>
#include <metergen/log_line.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::storage {

std::uint32_t Record::slots_for(std::uint32_t body, std::uint32_t writes_per_day, const hal::NvmGeometry& g) {
  if (g.erase_unit == 0) return 2;
  // The copy before the one being written must lie beyond the erase's reach.
  const std::uint32_t least = SlotRing::erase_spare(body + kHeaderBytes, g.erase_unit) + 2;
  if (g.endurance == 0) return least;
  // One pass over the ring erases each unit once; whole passes round up, so
  // the ring is sized for 90 % of the share.
  const std::uint64_t writes = std::uint64_t{writes_per_day} * kLifetimeDays;
  const std::uint64_t passes = std::uint64_t{g.endurance} * kWearShare * 9 / 1000;
  const std::uint64_t wear = passes == 0 ? writes : (writes + passes - 1) / passes;
  return wear > least ? static_cast<std::uint32_t>(wear) : least;
}

void Record::place(std::uint32_t base, std::uint32_t body, std::uint32_t slots, std::uint32_t erase_unit,
                   RecordFormat f) {
  ring_ = SlotRing(base, body + kHeaderBytes, slots, erase_unit, f.tag);
  kind_ = f.kind;
  version_ = f.version;
  body_ = body;
  newest_ = kNoSequence;
  next_ = 1;
}

namespace {

std::uint32_t g_recoveries = 0;

const char* name_of(RecordKind kind) {
  switch (kind) {
    case RecordKind::objects: return "objects";
    case RecordKind::energy: return "energy";
    case RecordKind::counters: return "frame counters";
    case RecordKind::profile: return "profile settings";
    case RecordKind::billing: return "billing";
    case RecordKind::demand: return "demand";
    case RecordKind::events: return "events";
    case RecordKind::account: return "prepayment account";
    case RecordKind::keys: return "key fingerprints";
    case RecordKind::migration: return "migration";
  }
  return "?";
}

}  // namespace

bool Record::open(hal::Hal& hal) {
  const SlotRing::Scan scan = ring_.scan(hal);
  newest_ = scan.newest;
  blank_ = scan.blank;
  next_ = newest_ + 1;
  std::uint8_t h[kHeaderBytes];
  if (newest_ != kNoSequence &&
      (!hal.nvm_read(ring_.payload_offset(newest_), h, kHeaderBytes) || h[0] != 'M' || h[1] != 'G' ||
       h[2] != static_cast<std::uint8_t>(kind_) || h[3] != version_ ||
       ByteReader(h + 4, 4).be32() != body_))
    newest_ = kNoSequence;
  // Every recovery is logged; a blank ring (a fresh NVM) is none.
  LogLine line;
  line.text("storage: the ").text(name_of(kind_)).text(" record ");
  if (newest_ == kNoSequence && !scan.blank) {
    hal.log(line.text("has no valid copy (damaged, or written by another model or format); starting from defaults").c_str());
    ++g_recoveries;
  } else if (newest_ != kNoSequence && scan.damaged_newer) {
    hal.log(line.text("had a damaged newer copy; the copy before it was restored").c_str());
    ++g_recoveries;
    settle(hal, scan.damaged_claim);
  }
  return newest_ != kNoSequence;
}

// The restored copy is written again under the damaged copy's sequence: over
// its slot, or on flash, where that slot cannot be programmed again, under the
// next sequence that can. The next open then finds it newest and reports the
// damage no more (it would otherwise be found at every boot until the ring
// wrote over the slot). The damaged slot is never the newest copy's, as the
// claim lies less than a ring ahead; a claim a whole ring or more ahead is no
// torn write of this ring's and is left for the ring to write over.
void Record::settle(hal::Hal& hal, std::uint32_t damaged_claim) {
  if (damaged_claim - newest_ >= ring_.slots()) return;
  next_ = damaged_claim;
  SlotRing::Writer w;
  bool ok = begin(hal, w);
  std::uint8_t chunk[32];
  for (std::uint32_t at = 0; ok && at < body_; at += sizeof chunk) {
    const std::uint32_t n = body_ - at < sizeof chunk ? body_ - at : static_cast<std::uint32_t>(sizeof chunk);
    ok = read(hal, at, chunk, n) && w.put(chunk, n);
  }
  commit(w);
}

std::uint32_t recoveries() { return g_recoveries; }

bool Record::read(hal::Hal& hal, std::uint32_t at, std::uint8_t* out, std::uint32_t n) const {
  if (newest_ == kNoSequence || at > body_ || n > body_ - at) return false;
  return hal.nvm_read(ring_.payload_offset(newest_) + kHeaderBytes + at, out, n);
}

bool Record::begin(hal::Hal& hal, SlotRing::Writer& w) {
  pending_ = next_;
  if (!ring_.begin(hal, pending_, newest_, w)) return false;
  std::uint8_t h[kHeaderBytes] = {'M', 'G', static_cast<std::uint8_t>(kind_), version_};
  ByteWriter(h + 4, 4).be32(body_);
  return w.put(h, kHeaderBytes);
}

bool Record::commit(SlotRing::Writer& w) {
  const bool ok = w.finish();
  if (ok) newest_ = pending_;
  next_ = ok ? pending_ + 1 : ring_.after_failure(pending_);
  return ok;
}

bool Record::write(hal::Hal& hal, const std::uint8_t* body) {
  SlotRing::Writer w;
  const bool ok = begin(hal, w) && w.put(body, body_);
  return commit(w) && ok;
}

}  // namespace metergen::storage
