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
#include <metergen/dlms/apdu_handler.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::dlms {

class Meter;

class Connection final : public ApduHandler {
 public:
  explicit Connection(Meter& meter);

  bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, ByteReader apdu, ByteWriter& out) override;
  void on_link_reset() override;

  // The association this connection holds, or kNone.
  std::uint16_t association() const;
};

}  // namespace metergen::dlms
