// The receiving half of `metergen listen` without its sockets: one
// connection's bytes → wrapper frames → DataNotifications (deciphered when
// general-glo-ciphered) → printed lines. Every byte comes from the network and
// is untrusted: a bad frame, a bad cipher or a malformed body is reported on
// the error stream and the next frame is read (tests/fuzz/fuzz_push_listener.cpp).
//
// Owns: the wrapper reassembly per connection and the printing of
// notifications. May call: runtime wrapper/, push/data_notification,
// security/, client/data and client/session (the secrets file).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <metergen/wrapper/wrapper.hpp>

#include "client/transport.hpp"

namespace metergen::client {

// Where the keys of ciphered notifications come from: `ek`/`ak` (16 bytes each,
// empty when not given), else the secrets file's keys of `client_sap` (of each
// frame's destination wPort when negative).
struct NotificationKeys {
  Bytes ek, ak;
  std::string secrets;
  int client_sap = -1;
};

// Decodes and prints notifications, as a table line or one JSON object per line.
class NotificationPrinter {
 public:
  NotificationPrinter(NotificationKeys keys, bool json, std::ostream& out, std::ostream& err);

  // Prints the notification one wrapper APDU holds; false (and a line on the
  // error stream) when it holds none.
  bool print(const wrapper::Header& header, const Bytes& apdu);
  int printed() const { return printed_; }

 private:
  struct Received;
  bool decipher(const Bytes& apdu, Received& r);

  NotificationKeys keys_;
  bool json_;
  std::ostream& out_;
  std::ostream& err_;
  int printed_ = 0;
};

// One connection's wrapper reassembly.
class NotificationConnection {
 public:
  NotificationConnection();
  // Hands every complete APDU in `data` to `printer` until it has printed
  // `limit` notifications; false on a header that ends the connection (another
  // wrapper version, or an APDU over kMaxApdu), said on the error stream.
  bool feed(const std::uint8_t* data, std::size_t size, NotificationPrinter& printer, int limit, std::ostream& err);

 private:
  std::vector<std::uint8_t> buffer_;
  std::unique_ptr<wrapper::Reassembler> frames_;
};

}  // namespace metergen::client
