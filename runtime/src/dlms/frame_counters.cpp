// Frame counters reserved ahead (see dlms/frame_counters.hpp, docs/nvm-format.md).
#include <metergen/bytes.hpp>
#include <metergen/dlms/frame_counters.hpp>
#include <metergen/storage/crc32.hpp>

namespace metergen::dlms {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kBody = 8u * kMaxAssociations;  // client floor, server ceiling (be32 each)
constexpr std::uint32_t kWritesPerDay = 24;
constexpr std::uint32_t kLast = 0xFFFFFFFFu;

std::uint32_t reserve(std::uint32_t from) { return from > kLast - kCounterStep ? kLast : from + kCounterStep; }

}  // namespace

void FrameCounters::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t slots = storage::Record::slots_for(kBody, kWritesPerDay, g);
  const std::uint32_t tag = storage::crc32_update_be32(~storage::crc32_text(model_.id), model_.association_count);
  record_.place(at.take(storage::Record::bytes(kBody, slots, g.erase_unit)), kBody, slots, g.erase_unit,
                {storage::RecordKind::counters, kVersion, tag});
}

bool FrameCounters::boot() {
  std::uint8_t body[kBody];
  if (!record_.open(hal_) || !record_.read(hal_, 0, body, kBody)) return false;
  ByteReader r(body, kBody);
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) {
    client_floor_[i] = client_expected_[i] = r.be32();
    server_ceiling_[i] = server_used_[i] = r.be32();
  }
  return true;
}

bool FrameCounters::adopt(const std::uint32_t* client_expected, const std::uint32_t* server_used) {
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) {
    client_floor_[i] = client_expected_[i] = client_expected[i];
    server_ceiling_[i] = server_used_[i] = server_used[i];
  }
  return save();
}

bool FrameCounters::save() {
  std::uint8_t body[kBody];
  ByteWriter w(body, kBody);
  for (std::uint8_t i = 0; i < kMaxAssociations; ++i) {
    w.be32(client_floor_[i]);
    w.be32(server_ceiling_[i]);
  }
  ++writes_;
  return record_.write(hal_, body);
}

bool FrameCounters::accept_client(std::uint16_t association, std::uint32_t ic) {
  if (association >= kMaxAssociations || ic < client_expected_[association] || ic == kLast) return false;
  if (ic >= client_floor_[association]) {
    const std::uint32_t floor = client_floor_[association];
    client_floor_[association] = reserve(ic + 1);
    if (!save()) {
      client_floor_[association] = floor;
      return false;
    }
  }
  client_expected_[association] = ic + 1;
  return true;
}

std::uint32_t FrameCounters::expected_client(std::uint16_t association) const {
  return association < kMaxAssociations ? client_expected_[association] : 0;
}

std::uint32_t FrameCounters::next_server(std::uint16_t association) {
  if (association >= kMaxAssociations || server_used_[association] == kLast) return 0;
  const std::uint32_t ic = server_used_[association] + 1;
  if (ic > server_ceiling_[association]) {
    const std::uint32_t ceiling = server_ceiling_[association];
    server_ceiling_[association] = reserve(ic);
    if (!save()) {
      server_ceiling_[association] = ceiling;
      return 0;
    }
  }
  server_used_[association] = ic;
  return ic;
}

}  // namespace metergen::dlms
