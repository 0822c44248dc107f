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

// Largest APDU the server receives or sends (negotiated down per association).
inline constexpr std::uint16_t kMaxPdu = 1024;

class Meter {
 public:
  Meter(const tables::Model& model, hal::Hal& hal);

  // Restores persisted state; call once before serving.
  void boot();
  // Periodic work (profile captures, saving state); call at least once a second.
  void tick();
  // Saves state now (shutdown).
  bool persist();

  const tables::Model& model() const { return model_; }
  hal::Hal& hal() { return hal_; }

 private:
  const tables::Model& model_;
  hal::Hal& hal_;
};

class Connection final : public ApduHandler {
 public:
  explicit Connection(Meter& meter);

  bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, ByteReader apdu, ByteWriter& out) override;
  void on_link_reset() override;

  // The association this connection holds (index into Model::associations), or tables::kNone.
  std::uint16_t association() const { return association_; }

 private:
  Meter& meter_;
  std::uint16_t association_ = tables::kNone;
};

}  // namespace metergen::dlms
