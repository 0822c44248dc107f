// HDLC frame codec: see frame.hpp.
#include <metergen/hdlc/crc16.hpp>
#include <metergen/hdlc/frame.hpp>

namespace metergen::hdlc {
namespace {

constexpr std::uint8_t kFormatTypeMask = 0xF0;
constexpr std::uint8_t kFormatType3 = 0xA0;
constexpr std::uint8_t kSegmentBit = 0x08;

// CRC check of n bytes followed by their CRC, low byte first.
bool crc_matches(const std::uint8_t* p, std::size_t n) {
  const std::uint16_t crc = crc16(p, n);
  return p[n] == static_cast<std::uint8_t>(crc) && p[n + 1] == static_cast<std::uint8_t>(crc >> 8);
}

void put_crc(ByteWriter& w, std::size_t from) {
  const std::uint16_t crc = crc16(w.data() + from, w.size() - from);
  w.u8(static_cast<std::uint8_t>(crc));
  w.u8(static_cast<std::uint8_t>(crc >> 8));
}

// Length of the address starting at p[0]: `incomplete` while no byte with bit 0
// set has arrived within 4 bytes, `invalid` when it ends at the 3rd or after the 4th.
HeaderStatus address_size(const std::uint8_t* p, std::size_t n, std::size_t& size) {
  for (std::size_t k = 0; k < 4; ++k) {
    if (k >= n) return HeaderStatus::incomplete;
    if (p[k] & 1) {
      size = k + 1;
      return size == 3 ? HeaderStatus::invalid : HeaderStatus::valid;
    }
  }
  return HeaderStatus::invalid;
}

}  // namespace

bool encode_address(ByteWriter& w, const Address& a) {
  const std::uint16_t limit = a.size == 4 ? 0x3FFF : 0x7F;
  if ((a.size != 1 && a.size != 2 && a.size != 4) || a.logical > limit || (a.size != 1 && a.physical > limit))
    return false;
  if (a.size == 1) {
    w.u8(static_cast<std::uint8_t>((a.logical << 1) | 1));
  } else if (a.size == 2) {
    w.u8(static_cast<std::uint8_t>(a.logical << 1));
    w.u8(static_cast<std::uint8_t>((a.physical << 1) | 1));
  } else {
    w.u8(static_cast<std::uint8_t>((a.logical >> 7) << 1));
    w.u8(static_cast<std::uint8_t>((a.logical & 0x7F) << 1));
    w.u8(static_cast<std::uint8_t>((a.physical >> 7) << 1));
    w.u8(static_cast<std::uint8_t>(((a.physical & 0x7F) << 1) | 1));
  }
  return true;
}

bool decode_address(ByteReader& r, Address& out) {
  std::size_t size = 0;
  if (address_size(r.current(), r.remaining(), size) != HeaderStatus::valid) {
    r.fail();
    return false;
  }
  std::uint8_t b[4] = {};
  for (std::size_t k = 0; k < size; ++k) b[k] = static_cast<std::uint8_t>(r.u8() >> 1);
  out.size = static_cast<std::uint8_t>(size);
  if (size == 1) {
    out.logical = b[0];
    out.physical = 0;
  } else if (size == 2) {
    out.logical = b[0];
    out.physical = b[1];
  } else {
    out.logical = static_cast<std::uint16_t>((b[0] << 7) | b[1]);
    out.physical = static_cast<std::uint16_t>((b[2] << 7) | b[3]);
  }
  return true;
}

FrameKind kind_of(std::uint8_t control) {
  if ((control & 1) == 0) return FrameKind::i;
  if ((control & 3) == 1) {
    switch ((control >> 2) & 3) {
      case 0: return FrameKind::rr;
      case 1: return FrameKind::rnr;
      default: return FrameKind::invalid;  // REJ, SREJ
    }
  }
  switch (control & ~kPollFinal) {
    case kControlSnrm & ~kPollFinal: return FrameKind::snrm;
    case kControlDisc & ~kPollFinal: return FrameKind::disc;
    case kControlUa & ~kPollFinal: return FrameKind::ua;
    case kControlDm & ~kPollFinal: return FrameKind::dm;
    case kControlFrmr & ~kPollFinal: return FrameKind::frmr;
    case kControlUi & ~kPollFinal: return FrameKind::ui;
    default: return FrameKind::invalid;
  }
}

HeaderStatus scan_header(const std::uint8_t* p, std::size_t n, FrameHeader& out) {
  if (n < 1) return HeaderStatus::incomplete;
  if ((p[0] & kFormatTypeMask) != kFormatType3) return HeaderStatus::invalid;
  if (n < 2) return HeaderStatus::incomplete;
  std::size_t destination_size = 0;
  std::size_t source_size = 0;
  HeaderStatus s = address_size(p + 2, n - 2, destination_size);
  if (s != HeaderStatus::valid) return s;
  s = address_size(p + 2 + destination_size, n - 2 - destination_size, source_size);
  if (s != HeaderStatus::valid) return s;
  const std::size_t size = 2 + destination_size + source_size + 1 + 2;
  if (n < size) return HeaderStatus::incomplete;

  const std::size_t length = static_cast<std::size_t>(((p[0] & 0x07) << 8) | p[1]);
  // Either no info field (one CRC) or at least one info byte and the FCS.
  if (length != size && length < size + 3) return HeaderStatus::invalid;
  if (!crc_matches(p, size - 2)) return HeaderStatus::invalid;

  ByteReader r(p + 2, n - 2);
  decode_address(r, out.frame.destination);
  decode_address(r, out.frame.source);
  out.frame.control = r.u8();
  out.frame.segmented = (p[0] & kSegmentBit) != 0;
  out.frame.info = nullptr;
  out.frame.info_size = 0;
  out.length = length;
  out.size = size;
  return HeaderStatus::valid;
}

bool decode_frame(const std::uint8_t* p, std::size_t n, Frame& out) {
  FrameHeader h;
  if (scan_header(p, n, h) != HeaderStatus::valid || h.length != n) return false;
  out = h.frame;
  if (n == h.size) return true;
  if (!crc_matches(p, n - 2)) return false;
  out.info = p + h.size;
  out.info_size = n - h.size - 2;
  return true;
}

bool encode_frame(ByteWriter& w, const Frame& f) {
  const std::size_t header_size = 2 + f.destination.size + f.source.size + 1 + 2;
  const std::size_t length = header_size + (f.info_size ? f.info_size + 2 : 0);
  // CRCs are computed over the stored bytes, so the writer must keep all of them.
  if (length > kMaxFrameLength || w.position() != w.size()) return false;
  w.u8(kFlag);
  const std::size_t start = w.size();
  w.u8(static_cast<std::uint8_t>(kFormatType3 | (f.segmented ? kSegmentBit : 0) | (length >> 8)));
  w.u8(static_cast<std::uint8_t>(length));
  if (!encode_address(w, f.destination) || !encode_address(w, f.source)) return false;
  w.u8(f.control);
  if (w.overflow()) return false;
  put_crc(w, start);
  if (f.info_size) {
    w.bytes(f.info, f.info_size);
    if (w.overflow()) return false;
    put_crc(w, start);
  }
  w.u8(kFlag);
  return !w.overflow();
}

}  // namespace metergen::hdlc
