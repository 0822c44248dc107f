// HDLC frame codec (IEC 62056-46, frame format type 3): format field, addresses,
// control field, HCS/FCS. Layout:
//   7E | format(2) | destination(1,2,4) | source(1,2,4) | control | HCS(2) [| info | FCS(2)] | 7E
//
// Owns: the byte layout of one frame. Calls: crc16 and bytes.hpp only. Stateless;
// every byte given to a decoder is untrusted.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>

namespace metergen::hdlc {

inline constexpr std::uint8_t kFlag = 0x7E;
// The format field's 11-bit length counts every byte between the flags.
inline constexpr std::size_t kMaxFrameLength = 2047;
// A frame's bytes besides its info field, at most: two flags, format, two 4-byte
// addresses, control, HCS, FCS.
inline constexpr std::size_t kMaxFrameOverhead = 2 + 2 + 4 + 4 + 1 + 2 + 2;
// Bytes between the flags when the info field is empty and both addresses are 4 bytes.
inline constexpr std::size_t kMaxHeaderSize = 2 + 4 + 4 + 1 + 2;

// LLC header in front of every APDU (IEC 62056-46 §1 of dlms-protocol.md).
inline constexpr std::size_t kLlcSize = 3;
inline constexpr std::uint8_t kLlcRequest[kLlcSize] = {0xE6, 0xE6, 0x00};
inline constexpr std::uint8_t kLlcReply[kLlcSize] = {0xE6, 0xE7, 0x00};

// An HDLC address. A server address names a logical device (upper part) and a
// physical device (lower part); a client address is one byte carrying the client
// SAP in `logical`. Wire forms: 1 byte = logical only (7 bits); 2 bytes = 7 + 7
// bits; 4 bytes = 14 + 14 bits.
struct Address {
  std::uint16_t logical = 0;
  std::uint16_t physical = 0;
  std::uint8_t size = 1;  // 1, 2 or 4 bytes on the wire
};

// Writes the address in its `size` form; false (nothing written) when size is not
// 1, 2 or 4 or a part does not fit that form.
bool encode_address(ByteWriter& w, const Address& a);
// Reads an address up to and including the byte with bit 0 set; false when that
// byte is not the 1st, 2nd or 4th.
bool decode_address(ByteReader& r, Address& out);

// Control field (dlms-protocol.md §2.2). All frames built here carry P/F = 1.
enum class FrameKind : std::uint8_t { i, rr, rnr, snrm, disc, ua, dm, frmr, ui, invalid };

inline constexpr std::uint8_t kPollFinal = 0x10;
inline constexpr std::uint8_t kControlSnrm = 0x93;
inline constexpr std::uint8_t kControlDisc = 0x53;
inline constexpr std::uint8_t kControlUa = 0x73;
inline constexpr std::uint8_t kControlDm = 0x1F;
inline constexpr std::uint8_t kControlFrmr = 0x97;
inline constexpr std::uint8_t kControlUi = 0x13;

// I-frame control: N(R) in bits 7-5, P/F, N(S) in bits 3-1 (both modulo 8).
constexpr std::uint8_t control_i(std::uint8_t send_seq, std::uint8_t receive_seq) {
  return static_cast<std::uint8_t>(((receive_seq & 7) << 5) | kPollFinal | ((send_seq & 7) << 1));
}
constexpr std::uint8_t control_rr(std::uint8_t receive_seq) {
  return static_cast<std::uint8_t>(((receive_seq & 7) << 5) | kPollFinal | 0x01);
}
constexpr std::uint8_t send_sequence(std::uint8_t control) { return static_cast<std::uint8_t>((control >> 1) & 7); }
constexpr std::uint8_t receive_sequence(std::uint8_t control) { return static_cast<std::uint8_t>(control >> 5); }
// Kind of a control byte regardless of its P/F bit; REJ, SREJ and unknown
// U-frames are `invalid` (not used by IEC 62056-46).
FrameKind kind_of(std::uint8_t control);

struct Frame {
  Address destination;
  Address source;
  std::uint8_t control = 0;
  bool segmented = false;  // S bit: more segments of this info field follow
  const std::uint8_t* info = nullptr;
  std::size_t info_size = 0;  // 0: frame without info field (one CRC only)
};

enum class HeaderStatus : std::uint8_t { incomplete, invalid, valid };

struct FrameHeader {
  Frame frame;              // info and info_size: where the info field lies in the scanned bytes
  std::size_t length = 0;   // frame length from the format field
  std::size_t size = 0;     // bytes from format to HCS inclusive
};

// Checks the header at the start of `p` (the bytes after the opening flag):
// format type A, length, address forms, control kind not checked, HCS. `incomplete`:
// every byte so far fits and fewer than min(length, kMaxHeaderSize) have arrived;
// from that many on the answer is `valid` or `invalid`. Lets a receiver reject
// garbage and oversized frames before their end arrives.
HeaderStatus scan_header(const std::uint8_t* p, std::size_t n, FrameHeader& out);

// Decodes the bytes between one frame's flags (flags excluded): header as above,
// length field equal to n, FCS when there is an info field. out.info points into p.
bool decode_frame(const std::uint8_t* p, std::size_t n, Frame& out);

// Writes the whole frame, both flags included, in one pass. False (writer contents
// then unspecified) when an address is invalid, the frame would exceed 2047 bytes
// or the writer overflows.
bool encode_frame(ByteWriter& w, const Frame& f);

}  // namespace metergen::hdlc
