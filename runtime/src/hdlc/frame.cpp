// HDLC frame codec: see frame.hpp.
#include <metergen/hdlc/crc16.hpp>
#include <metergen/hdlc/frame.hpp>

namespace metergen::hdlc {
namespace {

constexpr std::uint8_t kFormatTypeMask = 0xF0;
constexpr std::uint8_t kFormatType3 = 0xA0;
constexpr std::uint8_t kSegmentBit = 0x08;

// Smallest header: format, 1-byte addresses, control, HCS.
constexpr std::size_t kMinHeaderSize = 2 + 1 + 1 + 1 + 2;

// Stores the complemented CRC of a register, low byte first; returns the next position.
std::uint8_t* put_crc(std::uint8_t* q, std::uint16_t reg) {
  const unsigned crc = ~reg & 0xFFFFu;
  q[0] = static_cast<std::uint8_t>(crc);
  q[1] = static_cast<std::uint8_t>(crc >> 8);
  return q + 2;
}

// Reads the address at p, up to and including the byte with bit 0 set:
// `incomplete` while no such byte has arrived within 4 bytes, `invalid` when it is
// the 3rd or comes after the 4th. Each byte carries 7 bits; in the 2- and 4-byte
// forms the upper half of them is the logical part, the lower half the physical.
HeaderStatus read_address(const std::uint8_t* p, std::size_t n, Address& a) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (k >= n) return HeaderStatus::incomplete;
    v = (v << 7) | (p[k] >> 1u);
    if (p[k] & 1) {
      if (k == 2) return HeaderStatus::invalid;
      const unsigned bits = 7 * static_cast<unsigned>((k + 1) / 2);  // of the physical part: 0, 7 or 14
      a.size = static_cast<std::uint8_t>(k + 1);
      a.logical = static_cast<std::uint16_t>(v >> bits);
      a.physical = static_cast<std::uint16_t>(v & ((1u << bits) - 1));
      return HeaderStatus::valid;
    }
  }
  return HeaderStatus::invalid;
}

// Writes the address in its `size` form at q; the number of bytes written, 0 (none)
// when size is not 1, 2 or 4 or a part does not fit that form.
std::size_t put_address(std::uint8_t* q, const Address& a) {
  const unsigned bits = a.size == 4 ? 14 : 7;  // of each part
  if ((a.size != 1 && a.size != 2 && a.size != 4) || (a.logical >> bits) != 0 ||
      (a.size != 1 && (a.physical >> bits) != 0))
    return 0;
  std::uint32_t v = a.size == 1 ? a.logical : (std::uint32_t{a.logical} << bits) | a.physical;
  for (std::size_t k = a.size; k-- > 0; v >>= 7) q[k] = static_cast<std::uint8_t>((v & 0x7F) << 1);
  q[a.size - 1] |= 1;
  return a.size;
}

}  // namespace

bool encode_address(ByteWriter& w, const Address& a) {
  std::uint8_t b[4];
  const std::size_t n = put_address(b, a);
  w.bytes(b, n);
  return n != 0;
}

bool decode_address(ByteReader& r, Address& out) {
  Address a;
  if (read_address(r.current(), r.remaining(), a) != HeaderStatus::valid) {
    r.fail();
    return false;
  }
  r.take(a.size);
  out = a;
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
  const std::size_t length = static_cast<std::size_t>(((p[0] & 0x07) << 8) | p[1]);
  if (length < kMinHeaderSize) return HeaderStatus::invalid;
  // Bytes past the frame's length cannot belong to its header.
  const std::size_t avail = n < length ? n : length;
  std::size_t at = 2;
  Address* const addresses[] = {&out.frame.destination, &out.frame.source};
  for (Address* a : addresses) {
    const HeaderStatus s = read_address(p + at, avail - at, *a);
    if (s != HeaderStatus::valid) return s == HeaderStatus::incomplete && avail < length ? s : HeaderStatus::invalid;
    at += a->size;
  }
  const std::size_t size = at + 1 + 2;
  // Either no info field (one CRC) or at least one info byte and the FCS.
  if (length != size && length < size + 3) return HeaderStatus::invalid;
  if (n < size) return HeaderStatus::incomplete;
  if (crc16_update(kCrc16Init, p, size) != kCrc16Residue) return HeaderStatus::invalid;

  out.frame.control = p[at];
  out.frame.segmented = (p[0] & kSegmentBit) != 0;
  out.frame.info = length == size ? nullptr : p + size;
  out.frame.info_size = length == size ? 0 : length - size - 2;
  out.length = length;
  out.size = size;
  return HeaderStatus::valid;
}

bool decode_frame(const std::uint8_t* p, std::size_t n, Frame& out) {
  FrameHeader h;
  if (scan_header(p, n, h) != HeaderStatus::valid || h.length != n) return false;
  // The register stands at the residue after a correct HCS; the FCS continues from there.
  if (n != h.size && crc16_update(kCrc16Residue, p + h.size, n - h.size) != kCrc16Residue) return false;
  out = h.frame;
  return true;
}

bool encode_frame(ByteWriter& w, const Frame& f) {
  const std::size_t header_size = 2 + f.destination.size + f.source.size + 1 + 2;
  const std::size_t length = header_size + (f.info_size ? f.info_size + 2 : 0);
  // The frame is stored directly behind what the writer holds, so it must hold all of it.
  if (length > kMaxFrameLength || w.position() != w.size() || w.capacity() - w.size() < length + 2) return false;
  std::uint8_t* const start = w.data() + w.size();
  std::uint8_t* q = start;
  *q++ = kFlag;
  *q++ = static_cast<std::uint8_t>(kFormatType3 | (f.segmented ? kSegmentBit : 0) | (length >> 8));
  *q++ = static_cast<std::uint8_t>(length);
  std::size_t k = put_address(q, f.destination);
  if (k == 0) return false;
  q += k;
  k = put_address(q, f.source);
  if (k == 0) return false;
  q += k;
  *q++ = f.control;
  q = put_crc(q, crc16_update(kCrc16Init, start + 1, header_size - 2));
  if (f.info_size) {
    // After the header and its HCS the register stands at the residue.
    const std::uint16_t reg = crc16_copy(kCrc16Residue, q, f.info, f.info_size);
    q = put_crc(q + f.info_size, reg);
  }
  *q++ = kFlag;
  w.commit(static_cast<std::size_t>(q - start));
  return true;
}

}  // namespace metergen::hdlc
