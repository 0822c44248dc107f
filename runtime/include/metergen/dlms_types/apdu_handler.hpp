// The seam between a transport (HDLC link, TCP wrapper) and the application
// layer: a transport delivers complete APDUs and sends back what it gets.
// dlms::Connection (dlms/server.hpp) implements it; see dlms_types/result.hpp
// for what this folder owns.
#pragma once

#include <cstdint>
#include <span>

#include <metergen/bytes.hpp>

namespace metergen::dlms {

class ApduHandler {
 public:
  // One complete APDU from client `client_sap` to server logical device
  // `server_logical`, in the transport's buffer: the handler may overwrite it
  // (a ciphered request is deciphered in place). Writes the reply APDU into
  // `out` (whose capacity is the transport's limit) and returns true, or
  // returns false for no reply.
  virtual bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, std::span<std::uint8_t> apdu,
                       ByteWriter& out) = 0;
  // The transport connection was opened, closed or reset (SNRM, DISC, TCP close):
  // drop the association and any transfer in progress.
  virtual void on_link_reset() = 0;
  // The transport sends each reply in frames of `unit` bytes after a `prefix`
  // of its own (HDLC: the negotiated information field, the LLC header), so a
  // long reply is best cut into blocks that fill whole frames. Transports that
  // do not frame replies never call it.
  virtual void on_reply_frames(std::uint16_t unit, std::uint8_t prefix) {
    (void)unit;
    (void)prefix;
  }

 protected:
  ~ApduHandler() = default;
};

}  // namespace metergen::dlms
