// Helpers shared by the HDLC and wrapper tests: hex literals, a recording sink,
// and an ApduHandler that answers with fixed bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <metergen/dlms_types/apdu_handler.hpp>
#include <metergen/hdlc/sink.hpp>

#include "hex_bytes.hpp"

namespace hdlc_test {

using Bytes = std::vector<std::uint8_t>;

using metergen::test::hex;

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

  bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, std::span<std::uint8_t> apdu,
               metergen::ByteWriter& out) override {
    requests.emplace_back(apdu.begin(), apdu.end());
    client_saps.push_back(client_sap);
    server_logicals.push_back(server_logical);
    if (reply.empty()) return false;
    out.bytes(reply.data(), reply.size());
    return true;
  }
  void on_link_reset() override { ++resets; }
};

}  // namespace hdlc_test
