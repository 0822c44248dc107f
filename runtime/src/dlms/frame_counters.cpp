// Frame counters reserved ahead (see dlms/frame_counters.hpp, docs/nvm-format.md).
#include <metergen/bytes.hpp>
#include <metergen/crypto/aes.hpp>
#include <metergen/dlms/frame_counters.hpp>
#include <metergen/log_line.hpp>
#include <metergen/storage/crc32.hpp>

namespace metergen::dlms {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kBody = 8u * kMaxAssociations;  // client floor, server ceiling (be32 each)
constexpr std::uint32_t kWritesPerDay = 24;
constexpr std::uint32_t kLast = 0xFFFFFFFFu;
constexpr std::uint32_t kFingerprint = 8;
constexpr std::uint32_t kKeysBody = kFingerprint * kMaxAssociations;
constexpr std::uint8_t kKeysVersion = 1;

std::uint32_t reserve(std::uint32_t from) { return from > kLast - kCounterStep ? kLast : from + kCounterStep; }

}  // namespace

FrameCounters::FrameCounters(const tables::Model& model, hal::Hal& hal)
    : model_(model),
      hal_(hal),
      ram_(model.ram.associations),
      count_(tables::association_ram_count(model)) {
  for (std::uint8_t i = 0; i < count_; ++i) set_all(i, 0);
}

void FrameCounters::set_all(std::uint8_t association, std::uint32_t value) {
  tables::AssociationRam& a = ram_[association];
  a.client_floor = a.client_expected = a.server_ceiling = a.server_used = value;
}

void FrameCounters::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t slots = storage::Record::slots_for(kBody, kWritesPerDay, g);
  const std::uint32_t tag = storage::crc32_update_be32(~storage::crc32_text(model_.id), model_.association_count);
  record_.place(at.take(storage::Record::bytes(kBody, slots, g.erase_unit)), kBody, slots, g.erase_unit,
                {storage::RecordKind::counters, kVersion, tag});
}

void FrameCounters::place_keys(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t slots = storage::Record::slots_for(kKeysBody, 1, g);
  const std::uint32_t tag = storage::crc32_update_be32(~storage::crc32_text(model_.id), model_.association_count);
  keys_.place(at.take(storage::Record::bytes(kKeysBody, slots, g.erase_unit)), kKeysBody, slots, g.erase_unit,
              {storage::RecordKind::keys, kKeysVersion, tag});
}

bool FrameCounters::boot() {
  std::uint8_t body[kBody];
  restored_ = false;
  if (!record_.open(hal_) || !record_.read(hal_, 0, body, kBody)) return false;
  ByteReader r(body, kBody);
  for (std::uint8_t i = 0; i < count_; ++i) {
    ram_[i].client_floor = ram_[i].client_expected = r.be32();
    ram_[i].server_ceiling = ram_[i].server_used = r.be32();
  }
  restored_ = true;
  return true;
}

bool FrameCounters::adopt(const std::uint32_t* client_expected, const std::uint32_t* server_used) {
  for (std::uint8_t i = 0; i < count_; ++i) {
    ram_[i].client_floor = ram_[i].client_expected = client_expected[i];
    ram_[i].server_ceiling = ram_[i].server_used = server_used[i];
  }
  restored_ = save();
  return restored_;
}

// 8 bytes of AES-128 under the EK of the AK: changes with either key and
// tells nothing about them. All zero when the association has no keys.
void FrameCounters::fingerprint(std::uint8_t association, std::uint8_t* out) const {
  for (std::uint32_t i = 0; i < kFingerprint; ++i) out[i] = 0;
  std::uint8_t ek[crypto::kAes128KeySize], ak[crypto::kAesBlockSize];
  if (association < model_.association_count &&
      hal_.secret(association, hal::Secret::encryption_key, ek, sizeof ek) == sizeof ek &&
      hal_.secret(association, hal::Secret::authentication_key, ak, sizeof ak) == sizeof ak) {
    const crypto::Aes128 aes(ek);
    aes.encrypt_block(ak, ak);
    for (std::uint32_t i = 0; i < kFingerprint; ++i) out[i] = ak[i];
  }
  crypto::wipe(ek, sizeof ek);
  crypto::wipe(ak, sizeof ak);
}

bool FrameCounters::exhausted(std::uint16_t association) const {
  return association >= count_ || (ram_[association].client_expected == kLast && ram_[association].server_used == kLast);
}

// The rule (docs/nvm-format.md, Frame counters): a counter is accepted or sent
// only after a reservation covering it is in the counters record, and the key
// fingerprints are written at the first boot, before any counter. So when
// both rings are blank no counter was ever accepted (a new meter, or an NVM
// erased whole, which is the same thing); when the counters record is missing
// otherwise, counters may have been used and are exhausted until new keys.
bool FrameCounters::settle() {
  std::uint8_t now[kKeysBody], kept[kKeysBody];
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) fingerprint(i, now + kFingerprint * i);
  const bool have_kept = keys_.open(hal_) && keys_.read(hal_, 0, kept, kKeysBody);
  bool write_keys = !have_kept;
  bool lost = false;
  if (!restored_) {
    const bool fresh = record_.blank() && keys_.blank();
    lost = !fresh;
    for (std::uint8_t i = 0; i < count_; ++i) set_all(i, fresh ? 0 : kLast);
    if (!fresh)
      hal_.log("frame counters: the record was lost; every association refuses ciphered access and HLS-GMAC "
               "until its keys change");
    // Written now so that a missing record means a lost one from here on; the
    // fingerprints are those of the keys in use when the counters were lost.
    save();
    write_keys = true;
  } else if (have_kept) {
    bool restart = false;
    bool restarted[kMaxAssociations]{};
    for (std::uint8_t i = 0; i < count_; ++i) {
      bool same = true;
      for (std::uint32_t b = 0; b < kFingerprint; ++b) same = same && kept[kFingerprint * i + b] == now[kFingerprint * i + b];
      if (same) continue;
      write_keys = true;
      if (!exhausted(i)) continue;
      set_all(i, 0);
      restarted[i] = restart = true;
    }
    if (restart && !save()) {
      // Still exhausted: the old fingerprint stays, so the change is seen again.
      for (std::uint8_t i = 0; i < count_; ++i) {
        if (!restarted[i]) continue;
        set_all(i, kLast);
        for (std::uint32_t b = 0; b < kFingerprint; ++b) now[kFingerprint * i + b] = kept[kFingerprint * i + b];
        restarted[i] = false;
      }
    }
    for (std::uint8_t i = 0; i < count_; ++i)
      if (restarted[i]) {
        LogLine line;
        hal_.log(line.text("frame counters: the keys of client SAP ")
                     .number(model_.associations[i].client_sap)
                     .text(" changed; its counters start again")
                     .c_str());
      }
  }
  if (write_keys) keys_.write(hal_, now);
  for (std::uint8_t i = 0; i < count_; ++i)
    if (exhausted(i) && model_.associations[i].security_setup != tables::kNone) {
      LogLine line;
      hal_.log(line.text("frame counters: client SAP ")
                   .number(model_.associations[i].client_sap)
                   .text(" has no usable frame counters; ciphered access and HLS-GMAC are refused until its keys change")
                   .c_str());
    }
  return lost;
}

bool FrameCounters::save() {
  std::uint8_t body[kBody];
  ByteWriter w(body, kBody);
  // Every association of the format has its place; those the model lacks hold 0.
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) {
    w.be32(i < count_ ? ram_[i].client_floor : 0);
    w.be32(i < count_ ? ram_[i].server_ceiling : 0);
  }
  ++writes_;
  return record_.write(hal_, body);
}

bool FrameCounters::accept_client(std::uint16_t association, std::uint32_t ic) {
  if (association >= count_ || ic < ram_[association].client_expected || ic == kLast) return false;
  tables::AssociationRam& a = ram_[association];
  if (ic >= a.client_floor) {
    const std::uint32_t floor = a.client_floor;
    a.client_floor = reserve(ic + 1);
    if (!save()) {
      a.client_floor = floor;
      return false;
    }
  }
  a.client_expected = ic + 1;
  return true;
}

std::uint32_t FrameCounters::expected_client(std::uint16_t association) const {
  return association < count_ ? ram_[association].client_expected : 0;
}

std::uint32_t FrameCounters::next_server(std::uint16_t association) {
  if (association >= count_ || ram_[association].server_used == kLast) return 0;
  tables::AssociationRam& a = ram_[association];
  const std::uint32_t ic = a.server_used + 1;
  if (ic > a.server_ceiling) {
    const std::uint32_t ceiling = a.server_ceiling;
    a.server_ceiling = reserve(ic);
    if (!save()) {
      a.server_ceiling = ceiling;
      return 0;
    }
  }
  a.server_used = ic;
  return ic;
}

}  // namespace metergen::dlms
