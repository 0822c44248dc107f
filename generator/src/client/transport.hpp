// Client transports to a meter: the IEC 62056-47 TCP wrapper (tcp://HOST:PORT),
// HDLC over a TCP socket (hdlc+tcp://HOST:PORT) and HDLC on a serial device or
// pty (hdlc:/dev/ttyX, raw mode). Each carries one complete APDU each way per
// exchange; the protocol codecs are the runtime's (wrapper/, hdlc/ClientLink).
//
// Owns: URL parsing, sockets and file descriptors, timeouts. Throws ClientError.
// May call: runtime wrapper/ and hdlc/ headers, POSIX.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace metergen::client {

using Bytes = std::vector<std::uint8_t>;

// A protocol, transport or meter error: the CLI prints what() and exits 1.
struct ClientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The HDLC link was not set up: the meter answered SNRM with DM or FRMR, or
// not at all (how a data link layer refuses a client address it does not serve).
struct LinkRefused : ClientError {
  using ClientError::ClientError;
};

struct Endpoint {
  std::string url;               // as given, for messages
  int client_sap = 16;
  int server_logical = 1;
  int server_physical = -1;      // -1: not given (HDLC then uses the 1-byte address form)
  std::string server_address;    // the --server text; parse_server_address fills the two above
  double timeout_s = 5;
  int hdlc_max_info = 2030;      // HDLC information field proposed each way (with window 7)
};

// Parses "L" or "L/P" (0..16383 each) into the endpoint; false when malformed.
bool parse_server_address(const std::string& text, Endpoint& endpoint);

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one APDU and returns the meter's reply APDU; throws on timeout or link errors.
  virtual Bytes exchange(const Bytes& apdu) = 0;
  // Ends the link (HDLC: DISC/UA); never throws.
  virtual void close() = 0;
  // Bytes written and read on the link so far, framing included (HDLC flags,
  // addresses, CRCs, link set-up; wrapper headers).
  virtual std::uint64_t wire_bytes() const = 0;
};

// Opens the transport the URL names (and, for HDLC, connects with SNRM/UA).
// Throws ClientError for an unknown scheme, an unreachable meter or no answer.
std::unique_ptr<Transport> open_transport(const Endpoint& endpoint);

// The largest APDU a transport carries either way (client buffers).
inline constexpr std::size_t kMaxApdu = 4096;

}  // namespace metergen::client
