// NVM format 1 → format 2 (see dlms/nvm_format1.hpp). Format 1, from offset 0:
//   objects: two copies of  "MGO1" | generation | CRC-32(model id) | body length |
//            Model::state (without the calendar classes, state1_bytes) | clock settings (29) |
//            CRC-32 of all before   (be32 fields)
//   profiles, in table order: two 20-byte headers (first, count, sequence,
//            capture_period, FNV-1a of those and the table layout; be32) and
//            entries + 1 slots of entry_bytes
//   frame counters: two copies of { generation, client[8], server[8], FNV-1a }
//            (u32, little-endian)
//   energy: two copies of "MGE1" | generation | layout | count (be16) | tariff | 0 |
//            count x { mWh be64 | uJ be32 } | CRC-32 of all before
#include <metergen/bytes.hpp>
#include <metergen/dlms/nvm_format1.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/storage/crc32.hpp>

namespace metergen::dlms {
namespace {

constexpr std::uint32_t kObjectsHeader = 16;
constexpr std::uint32_t kClockBytes = 29;
constexpr std::uint32_t kProfileHeader = 20;
constexpr std::uint32_t kCountersBytes = 72;
constexpr std::uint32_t kEnergyHeader = 16;
constexpr std::uint32_t kEnergyEntry = 12;
constexpr std::uint32_t kChunk = 64;

std::uint32_t be32(const std::uint8_t* b) { return ByteReader(b, 4).be32(); }
// The frame-counter copies were a raw struct of the little-endian targets.
std::uint32_t le32(const std::uint8_t* b) {
  return (std::uint32_t{b[3]} << 24) | (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[1]} << 8) | b[0];
}

std::uint32_t fnv1a(std::uint32_t h, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}
constexpr std::uint32_t kFnvBasis = 2166136261u;

constexpr std::uint16_t kLimiterClass = 71;
constexpr std::uint32_t kLimiter1Flag = 1;  // format 1's emergency_profile_active byte, never set

// Format 1 kept no state for the calendar classes (11 special days table, 20
// activity calendar, 22 single action schedule) nor for push setups (40); a
// limiter's (71) was shorter (convert_limiter); every other object's state had
// the size and the place in table order it has now.
std::uint32_t state1_bytes(const tables::ObjectDef& d) {
  if (d.class_id == 11 || d.class_id == 20 || d.class_id == 22 || d.class_id == 40 ||
      d.state_offset == tables::kNoState)
    return 0;
  // Format 1 kept local time and date as empty octet-strings (09 00); they are
  // read from the clock now, so the 2 bytes converted are never used.
  if (d.role == tables::Role::local_time || d.role == tables::Role::local_date) return cosem::state_bytes(d.class_id, 2);
  if (d.class_id == kLimiterClass) return d.value_size + kLimiter1Flag + cosem::kLimiterEngineBytes;
  return cosem::state_bytes(d.class_id, d.value_size);
}

// Where format 1 put everything, from the tables alone.
struct Layout1 {
  std::uint32_t state;  // Model::state as format 1 laid it out
  std::uint32_t objects_copy;
  std::uint32_t profiles;
  std::uint32_t counters;
  std::uint32_t energy;
  std::uint32_t energy_copy;
  std::uint32_t end;
};

std::uint32_t region1(const tables::ProfileDef& d) { return 2 * kProfileHeader + (d.entries + 1) * d.entry_bytes; }

Layout1 layout1(const tables::Model& m, std::uint16_t energy_registers) {
  Layout1 l{};
  for (std::uint16_t i = 0; i < m.object_count; ++i) l.state += state1_bytes(m.objects[i]);
  l.objects_copy = kObjectsHeader + l.state + kClockBytes + 4;
  l.profiles = 2 * l.objects_copy;
  l.counters = l.profiles;
  for (std::uint16_t p = 0; p < m.profile_count; ++p) l.counters += region1(m.profiles[p]);
  l.energy = l.counters + 2 * kCountersBytes;
  l.energy_copy = kEnergyHeader + kEnergyEntry * std::uint32_t{energy_registers} + 4;
  l.end = l.energy + 2 * l.energy_copy;
  return l;
}

// A format-1 image: in NVM as it was, or in the migration record's copy.
class Image {
 public:
  Image(hal::Hal& hal, const storage::Record* copy) : hal_(hal), copy_(copy) {}
  bool read(std::uint32_t at, std::uint8_t* out, std::uint32_t n) const {
    return copy_ != nullptr ? copy_->read(hal_, at, out, n) : hal_.nvm_read(at, out, n);
  }
  // CRC-32 of [at, at + n) compared with the be32 stored right after it.
  bool crc_follows(std::uint32_t at, std::uint32_t n) const {
    std::uint8_t chunk[kChunk];
    std::uint32_t crc = storage::kCrc32Init;
    for (std::uint32_t done = 0; done < n;) {
      const std::uint32_t k = n - done < kChunk ? n - done : kChunk;
      if (!read(at + done, chunk, k)) return false;
      crc = storage::crc32_update(crc, chunk, k);
      done += k;
    }
    return read(at + n, chunk, 4) && be32(chunk) == ~crc;
  }

 private:
  hal::Hal& hal_;
  const storage::Record* copy_;
};

// Offset of the newest valid objects copy; false when neither is.
bool newest_objects(const Image& img, const tables::Model& m, const Layout1& l, std::uint32_t& at) {
  std::uint32_t best = 0;
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    const std::uint32_t base = copy * l.objects_copy;
    std::uint8_t h[kObjectsHeader];
    if (!img.read(base, h, kObjectsHeader) || h[0] != 'M' || h[1] != 'G' || h[2] != 'O' || h[3] != '1' ||
        be32(h + 8) != storage::crc32_text(m.id) || be32(h + 12) != l.state + kClockBytes ||
        !img.crc_follows(base, kObjectsHeader + l.state + kClockBytes))
      continue;
    if (!found || be32(h + 4) > best) {
      best = be32(h + 4);
      at = base;
      found = true;
    }
  }
  return found;
}

struct Ring1 {
  std::uint32_t first, count, sequence, period;
};

bool newest_ring(const Image& img, const tables::ProfileDef& d, std::uint32_t region, Ring1& ring) {
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    std::uint8_t h[kProfileHeader];
    if (!img.read(region + copy * kProfileHeader, h, kProfileHeader)) continue;
    const Ring1 r{be32(h), be32(h + 4), be32(h + 8), be32(h + 12)};
    std::uint8_t words[16];
    ByteWriter layout(words, sizeof words);
    const std::uint32_t fields[] = {d.entries, d.entry_bytes, d.capture_count, d.object};
    for (std::uint32_t v : fields) layout.be32(v);
    const std::uint32_t check = fnv1a(fnv1a(kFnvBasis, h, 16), words, 16);
    if (be32(h + 16) != check || (r.sequence & 1) != copy || r.first > d.entries || r.count > d.entries) continue;
    if (!found || static_cast<std::int32_t>(r.sequence - ring.sequence) > 0) ring = r;
    found = true;
  }
  return found;
}

bool convert_profiles(const Image& img, const tables::Model& m, const Layout1& l, cosem::Profiles& profiles) {
  std::uint32_t region = l.profiles;
  bool ok = true;
  for (std::uint16_t p = 0; p < m.profile_count; region += region1(m.profiles[p]), ++p) {
    const tables::ProfileDef& d = m.profiles[p];
    Ring1 ring{};
    if (p >= cosem::Profiles::kMaxProfiles || d.entry_bytes > cosem::Profiles::kMaxEntryBytes ||
        !newest_ring(img, d, region, ring))
      continue;
    ok = profiles.restart(p, ring.period) && ok;
    std::uint8_t entry[cosem::Profiles::kMaxEntryBytes];
    for (std::uint32_t i = 0; i < ring.count && ok; ++i) {
      const std::uint32_t slot = (ring.first + i) % (d.entries + 1);
      ok = img.read(region + 2 * kProfileHeader + slot * d.entry_bytes, entry, d.entry_bytes) &&
           profiles.adopt_entry(p, entry, d.entry_bytes);
    }
  }
  return ok;
}

bool convert_counters(const Image& img, const Layout1& l, FrameCounters& counters) {
  std::uint8_t best[kCountersBytes];
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    std::uint8_t c[kCountersBytes];
    if (!img.read(l.counters + copy * kCountersBytes, c, kCountersBytes) ||
        le32(c + kCountersBytes - 4) != fnv1a(kFnvBasis, c, kCountersBytes - 4))
      continue;
    if (!found || le32(c) > le32(best))
      for (std::uint32_t i = 0; i < kCountersBytes; ++i) best[i] = c[i];
    found = true;
  }
  std::uint32_t client[kMaxAssociations]{}, server[kMaxAssociations]{};
  if (!found) return counters.adopt(client, server);  // no ciphered exchange yet
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) {
    client[i] = le32(best + 4 + 4 * i);
    server[i] = le32(best + 36 + 4 * i);
  }
  return counters.adopt(client, server);
}

bool convert_energy(const Image& img, const tables::Model& m, const Layout1& l, energy::EnergyRegisters& regs,
                    hal::Hal& hal) {
  std::uint32_t layout = ~storage::crc32_text(m.id);
  for (std::uint16_t i = 0; i < regs.count(); ++i) layout = storage::crc32_update(layout, m.objects[regs.object(i)].ln.b, 6);
  layout = ~layout;
  std::uint32_t best_at = 0, best_generation = 0;
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    const std::uint32_t at = l.energy + copy * l.energy_copy;
    std::uint8_t h[kEnergyHeader];
    if (!img.read(at, h, kEnergyHeader) || h[0] != 'M' || h[1] != 'G' || h[2] != 'E' || h[3] != '1' ||
        be32(h + 8) != layout || ((h[12] << 8) | h[13]) != regs.count() ||
        !img.crc_follows(at, l.energy_copy - 4))
      continue;
    if (!found || be32(h + 4) > best_generation) {
      best_generation = be32(h + 4);
      best_at = at;
    }
    found = true;
  }
  if (!found) return true;  // nothing metered yet
  std::uint8_t h[kEnergyHeader];
  bool ok = img.read(best_at, h, kEnergyHeader);
  for (std::uint16_t i = 0; i < regs.count() && ok; ++i) {
    std::uint8_t e[kEnergyEntry];
    ok = img.read(best_at + kEnergyHeader + i * kEnergyEntry, e, kEnergyEntry) && regs.set_from_bytes(i, e);
  }
  return ok && regs.persist(hal, h[14]);
}

// A limiter's format-1 state (threshold_normal | emergency flag | the engine's
// bytes) into its state now, whose engine bytes come last: the threshold and
// the engine's bytes move, the settings format 1 did not keep stay the spec's.
bool convert_limiter(const Image& img, const tables::ObjectDef& d, std::uint8_t* to, std::uint32_t at) {
  const std::uint32_t engine = cosem::state_bytes(d.class_id, d.value_size) - cosem::kLimiterEngineBytes;
  return img.read(at, to, d.value_size) &&
         img.read(at + d.value_size + kLimiter1Flag, to + engine, cosem::kLimiterEngineBytes);
}

// Each object's format-1 state into its place now; the calendar classes keep their defaults.
bool convert_state(const Image& img, const tables::Model& m, std::uint32_t at) {
  for (std::uint16_t i = 0; i < m.object_count; ++i) {
    const tables::ObjectDef& d = m.objects[i];
    const std::uint32_t n = state1_bytes(d);
    if (n == 0) continue;
    std::uint8_t* to = m.state + d.state_offset;
    if (!(d.class_id == kLimiterClass ? convert_limiter(img, d, to, at) : img.read(at, to, n))) return false;
    at += n;
  }
  return true;
}

bool copy_image(hal::Hal& hal, storage::Record& copy, std::uint32_t bytes) {
  std::uint8_t chunk[kChunk];
  storage::SlotRing::Writer w;
  bool ok = copy.begin(hal, w);
  for (std::uint32_t done = 0; done < bytes && ok;) {
    const std::uint32_t n = bytes - done < kChunk ? bytes - done : kChunk;
    ok = hal.nvm_read(done, chunk, n) && w.put(chunk, n);
    done += n;
  }
  return copy.commit(w) && ok;
}

}  // namespace

bool convert_format1(Meter& meter, std::uint32_t scratch_base) {
  hal::Hal& hal = meter.hal();
  const tables::Model& m = meter.model();
  const Layout1 l = layout1(m, meter.metering().registers().count());
  const hal::NvmGeometry g = hal.nvm_geometry();
  // The copy goes past both layouts, so neither writing it nor the records touches it.
  storage::Allocator at(scratch_base > l.end ? scratch_base : l.end, g.erase_unit);
  storage::Record copy;
  copy.place(at.take(storage::Record::bytes(l.end, 1, g.erase_unit)), l.end, 1, g.erase_unit,
             {storage::RecordKind::migration, 1, storage::crc32_update_be32(~storage::crc32_text(m.id), l.end)});
  if (!copy.open(hal)) {
    std::uint32_t objects = 0;
    if (!newest_objects(Image(hal, nullptr), m, l, objects)) return false;  // no format-1 image
    if (at.end() > hal.nvm_size() || !copy_image(hal, copy, l.end) || !copy.open(hal)) {
      hal.log("storage: an NVM format 1 image was found but could not be copied for conversion");
      return false;
    }
    hal.log("storage: converting the NVM format 1 image");
  }
  const Image img(hal, &copy);
  std::uint32_t objects = 0;
  if (!newest_objects(img, m, l, objects)) return false;
  std::uint8_t clock[kClockBytes];
  const bool ok = convert_state(img, m, objects + kObjectsHeader) &&
                  img.read(objects + kObjectsHeader + l.state, clock, kClockBytes) &&
                  convert_profiles(img, m, l, meter.profiles()) && convert_counters(img, l, meter.counters()) &&
                  convert_energy(img, m, l, meter.metering().registers(), hal);
  if (ok) meter.objects().adopt_clock(clock);
  // The objects record last: once it is written, the conversion is done.
  if (!ok || !meter.objects().persist()) {
    hal.log("storage: converting the NVM format 1 image failed; it is tried again at the next boot");
    return false;
  }
  copy.discard(hal);
  hal.log("storage: NVM format 1 image converted");
  return true;
}

}  // namespace metergen::dlms
