// HDLC link parameter negotiation carried by SNRM and UA (dlms-protocol.md §2.3):
//   81 80 LL | 05 n max-info-transmit | 06 n max-info-receive | 07 n window-transmit | 08 n window-receive
// Each side states its own view: a client's "transmit" is the server's "receive".
//
// Owns: that TLV layout and the negotiation rule. Calls: bytes.hpp only.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>

namespace metergen::hdlc {

// What holds when the SNRM carries no parameter (IEC 62056-46): 128-byte
// information fields, one frame per window.
inline constexpr std::uint16_t kDefaultMaxInfo = 128;
inline constexpr std::uint8_t kDefaultWindow = 1;
// The ranges an IEC HDLC setup object (IC 23) may state: windows of 1..7 frames
// (modulo-8 sequence numbers), information fields of 32..2030 bytes.
inline constexpr std::uint8_t kMaxWindow = 7;
inline constexpr std::uint16_t kMinInfoLimit = 32;
inline constexpr std::uint16_t kMaxInfoLimit = 2030;

// The IEC HDLC setup object's timeouts (IC 23 attributes 7 and 8), as the
// server link applies them; 0 means not operational. The Blue Book allows 20..6000 ms
// between the octets of a frame (default 25) and 0..65535 s without a frame
// before the link is disconnected (default 120).
struct LinkTimeouts {
  std::uint16_t inter_octet_ms = 0;
  std::uint16_t inactivity_s = 0;
};
inline constexpr std::uint16_t kMinInterOctetMs = 20;
inline constexpr std::uint16_t kMaxInterOctetMs = 6000;
inline constexpr std::uint16_t kDefaultInterOctetMs = 25;
inline constexpr std::uint16_t kDefaultInactivityS = 120;

struct LinkParameters {
  std::uint16_t max_info_transmit = kDefaultMaxInfo;
  std::uint16_t max_info_receive = kDefaultMaxInfo;
  std::uint32_t window_transmit = kDefaultWindow;
  std::uint32_t window_receive = kDefaultWindow;
};

// Parses an SNRM/UA info field; empty means all defaults, absent parameters keep
// their default. Values may be 1, 2 or 4 bytes; info lengths above 0xFFFF are
// clamped, unknown parameter ids skipped. False when malformed (bad identifiers,
// lengths, zero values).
bool parse_parameters(ByteReader info, LinkParameters& out);

// Writes 81 80 LL … : 05/06 in one byte below 256 else two, 07/08 in four bytes.
void encode_parameters(ByteWriter& w, const LinkParameters& p);

// One side's parameters in force from its own limits and the other side's
// proposal or answer (the other side's view): each length and each window the
// minimum of what this side may send and the other side may receive, and the
// other way round (Green Book: the negotiated value is the smaller of both).
LinkParameters negotiate(const LinkParameters& own_limits, const LinkParameters& other);

}  // namespace metergen::hdlc
