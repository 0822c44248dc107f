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

inline constexpr std::uint16_t kDefaultMaxInfo = 128;
// The meter's own link on every target (its IEC HDLC setup objects say so):
// information fields of up to 128 bytes each way, one frame per window.
inline constexpr std::uint16_t kServerMaxInfo = 128;
inline constexpr std::uint8_t kServerWindowSize = 1;

struct LinkParameters {
  std::uint16_t max_info_transmit = kDefaultMaxInfo;
  std::uint16_t max_info_receive = kDefaultMaxInfo;
  std::uint32_t window_transmit = 1;
  std::uint32_t window_receive = 1;
};

// Parses an SNRM/UA info field; empty means all defaults, absent parameters keep
// their default. Values may be 1, 2 or 4 bytes; info lengths above 0xFFFF are
// clamped, unknown parameter ids skipped. False when malformed (bad identifiers,
// lengths, zero values).
bool parse_parameters(ByteReader info, LinkParameters& out);

// Writes 81 80 LL … : 05/06 in one byte below 256 else two, 07/08 in four bytes.
void encode_parameters(ByteWriter& w, const LinkParameters& p);

// The server's parameters (its own view, as sent in UA) from a client's proposal
// (the client's view) and the server's limits: each length the minimum of both
// sides, window 1 (the only window size supported).
LinkParameters negotiate(const LinkParameters& client_proposal, std::uint16_t server_max_transmit,
                         std::uint16_t server_max_receive);

}  // namespace metergen::hdlc
