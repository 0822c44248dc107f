// Fuzzes the HDLC receive path: the input's first byte chooses the chunk size,
// the rest is the byte stream fed to a server link (with a handler that answers,
// sometimes longer than one segment) and to a connected client link.
#include <cstddef>
#include <cstdint>

#include <metergen/hdlc/client_link.hpp>
#include <metergen/hdlc/server_link.hpp>

namespace {

using namespace metergen;

struct NullSink final : hdlc::FrameSink {
  void send(const std::uint8_t*, std::size_t) override {}
};

// Echoes the request, repeated to a length chosen by its first byte.
struct EchoHandler final : dlms::ApduHandler {
  bool on_apdu(std::uint16_t, std::uint16_t, ByteReader apdu, ByteWriter& out) override {
    if (apdu.empty()) return false;
    const std::size_t n = apdu.remaining();
    const std::size_t want = static_cast<std::size_t>(apdu.peek()) * 2;
    for (std::size_t i = 0; i < want; ++i) out.u8(apdu.current()[i % n]);
    return true;
  }
  void on_link_reset() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  ++data;
  --size;

  NullSink sink;
  EchoHandler handler;
  hdlc::ServerLink<32, 300> server{hdlc::ServerAddress{1, 17}, handler, sink};
  hdlc::ClientLink<32, 300> client{hdlc::Address{1, 17, 2}, 16, sink};
  client.connect(hdlc::LinkParameters{});
  for (std::size_t at = 0; at < size; at += chunk) {
    const std::size_t n = size - at < chunk ? size - at : chunk;
    server.receive(data + at, n);
    client.receive(data + at, n);
  }
  return 0;
}
