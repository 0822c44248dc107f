// Helpers shared by the HDLC and wrapper tests: hex literals, a recording sink,
// and an ApduHandler that answers with fixed bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <metergen/dlms/apdu_handler.hpp>
#include <metergen/hdlc/sink.hpp>

namespace hdlc_test {

using Bytes = std::vector<std::uint8_t>;

// "7E A0 08" → {0x7E, 0xA0, 0x08}; spaces are ignored.
inline Bytes hex(const std::string& s) {
  Bytes out;
  int high = -1;
  for (char c : s) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

inline Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct RecordingSink final : metergen::hdlc::FrameSink {
  std::vector<Bytes> sent;
  void send(const std::uint8_t* data, std::size_t size) override { sent.emplace_back(data, data + size); }
};

// Records every APDU and answers each with `reply` (no reply when empty).
struct FixedHandler final : metergen::dlms::ApduHandler {
  Bytes reply;
  std::vector<Bytes> requests;
  std::vector<std::uint16_t> client_saps;
  std::vector<std::uint16_t> server_logicals;
  int resets = 0;

  bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, metergen::ByteReader apdu,
               metergen::ByteWriter& out) override {
    requests.emplace_back(apdu.current(), apdu.current() + apdu.remaining());
    client_saps.push_back(client_sap);
    server_logicals.push_back(server_logical);
    if (reply.empty()) return false;
    out.bytes(reply.data(), reply.size());
    return true;
  }
  void on_link_reset() override { ++resets; }
};

}  // namespace hdlc_test
