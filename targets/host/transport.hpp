// Transport adapters of metergen-meter: one per connection, each in front of its
// own dlms::Connection. Owns the glue between a byte stream and the runtime's
// wrapper/ and hdlc/ modules; uses them and dlms/server.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <metergen/dlms/server.hpp>

namespace metergen::host {

class Transport {
 public:
  virtual ~Transport() = default;
  // Handles bytes received from the peer and appends what to send back to *out.
  // Returns false when the peer broke the protocol: the connection is to be closed.
  virtual bool receive(const std::uint8_t* data, std::size_t n, std::vector<std::uint8_t>* out) = 0;
  // True while part of a frame has arrived and its rest has not.
  virtual bool partial() const = 0;
  // True once the client logged in with a password or HLS.
  virtual bool authenticated() const = 0;
  // Applies the link's timeouts at now_ms, once every received byte has been
  // handled; returns what expired, for the log, or nullptr.
  virtual const char* poll(std::uint32_t now_ms) = 0;
};

// DLMS over the TCP wrapper (8-byte header + APDU).
std::unique_ptr<Transport> make_wrapper_transport(dlms::Meter& meter);

// Where HDLC runs: on a serial line the model's IEC HDLC setup applies both its
// timeouts; over TCP only the inactivity timeout, since TCP delivers a frame's
// octets with gaps of its own (--frame-timeout guards a frame begun there).
enum class HdlcMedium : std::uint8_t { serial_line, tcp };

// DLMS over HDLC, answering server address logical/physical (physical 0 = 1-byte address).
std::unique_ptr<Transport> make_hdlc_transport(dlms::Meter& meter, std::uint16_t logical, std::uint16_t physical,
                                               HdlcMedium medium);

}  // namespace metergen::host
