// SNRM/UA parameter field: see parameters.hpp.
#include <metergen/hdlc/parameters.hpp>

namespace metergen::hdlc {
namespace {

constexpr std::uint8_t kFormatIdentifier = 0x81;
constexpr std::uint8_t kGroupIdentifier = 0x80;
constexpr std::uint8_t kMaxInfoTransmit = 0x05;
constexpr std::uint8_t kMaxInfoReceive = 0x06;
constexpr std::uint8_t kWindowTransmit = 0x07;
constexpr std::uint8_t kWindowReceive = 0x08;

std::uint16_t clamp16(std::uint32_t v) { return v > 0xFFFF ? 0xFFFF : static_cast<std::uint16_t>(v); }
std::uint16_t min16(std::uint16_t a, std::uint16_t b) { return a < b ? a : b; }
std::uint32_t min32(std::uint32_t a, std::uint32_t b) { return a < b ? a : b; }

void put_length_parameter(ByteWriter& w, std::uint8_t id, std::uint16_t v) {
  w.u8(id);
  if (v < 0x100) {
    w.u8(1);
    w.u8(static_cast<std::uint8_t>(v));
  } else {
    w.u8(2);
    w.be16(v);
  }
}

void put_window_parameter(ByteWriter& w, std::uint8_t id, std::uint32_t v) {
  w.u8(id);
  w.u8(4);
  w.be32(v);
}

}  // namespace

bool parse_parameters(ByteReader info, LinkParameters& out) {
  out = LinkParameters{};
  if (info.empty()) return true;
  if (info.u8() != kFormatIdentifier || info.u8() != kGroupIdentifier) return false;
  ByteReader group = info.sub(info.u8());
  if (info.error() || !info.empty()) return false;
  while (!group.empty()) {
    const std::uint8_t id = group.u8();
    const std::uint8_t size = group.u8();
    ByteReader value = group.sub(size);
    if (group.error()) return false;
    if (id < kMaxInfoTransmit || id > kWindowReceive) continue;  // not ours to interpret
    if (size != 1 && size != 2 && size != 4) return false;
    std::uint32_t v = 0;
    for (std::uint8_t k = 0; k < size; ++k) v = (v << 8) | value.u8();
    if (v == 0) return false;
    switch (id) {
      case kMaxInfoTransmit: out.max_info_transmit = clamp16(v); break;
      case kMaxInfoReceive: out.max_info_receive = clamp16(v); break;
      case kWindowTransmit: out.window_transmit = v; break;
      default: out.window_receive = v; break;
    }
  }
  return true;
}

void encode_parameters(ByteWriter& w, const LinkParameters& p) {
  w.u8(kFormatIdentifier);
  w.u8(kGroupIdentifier);
  const std::size_t length_at = w.position();
  w.u8(0);
  put_length_parameter(w, kMaxInfoTransmit, p.max_info_transmit);
  put_length_parameter(w, kMaxInfoReceive, p.max_info_receive);
  put_window_parameter(w, kWindowTransmit, p.window_transmit);
  put_window_parameter(w, kWindowReceive, p.window_receive);
  w.patch(length_at, static_cast<std::uint8_t>(w.position() - length_at - 1));
}

LinkParameters negotiate(const LinkParameters& own_limits, const LinkParameters& other) {
  LinkParameters p;
  p.max_info_transmit = min16(own_limits.max_info_transmit, other.max_info_receive);
  p.max_info_receive = min16(own_limits.max_info_receive, other.max_info_transmit);
  p.window_transmit = min32(own_limits.window_transmit, other.window_receive);
  p.window_receive = min32(own_limits.window_receive, other.window_transmit);
  return p;
}

}  // namespace metergen::hdlc
