// The DLMS/COSEM server: one Meter (the logical device over one model's tables)
// and one Connection per transport connection (association state, security
// context, long transfers in progress).
//
// Owns: ACSE (AARQ/AARE, RLRQ/RLRE), authentication (none, LLS, HLS-GMAC),
// security suite 0 ciphering and frame counters, the GET/SET/ACTION services
// with their block-transfer and with-list variants, and the error replies.
// Uses: acse/, xdlms/, security/, cosem/ and the HAL. Every byte it is given is
// untrusted; a malformed APDU yields the protocol's error reply, never a fault.
//
// Transports (hdlc/, wrapper/) hand it complete APDUs and send what it returns.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::dlms {

class Meter;

class Connection {
 public:
  explicit Connection(Meter& meter);

  // Transport connected or disconnected (HDLC SNRM/DISC, TCP accept/close):
  // drops any association and transfer in progress.
  void reset();

  // One complete APDU from `client_sap`. Writes the reply APDU into `out` and
  // returns true, or returns false when the request gets no reply (unknown
  // client SAP, unconfirmed service). `max_reply` is the transport's limit on
  // one APDU (the negotiated PDU size is applied on top of it).
  bool on_apdu(std::uint8_t client_sap, ByteReader apdu, ByteWriter& out);

  // The association this connection holds, or kNone.
  std::uint16_t association() const;
};

}  // namespace metergen::dlms
