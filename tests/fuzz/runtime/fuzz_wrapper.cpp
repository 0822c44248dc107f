// Fuzzes the TCP wrapper: the input's first byte chooses the chunk size, the
// rest is the stream fed to a server adapter with an echoing handler; a closed
// connection is reset and the stream continues.
#include <cstddef>
#include <cstdint>

#include <metergen/wrapper/wrapper.hpp>

namespace {

using namespace metergen;

struct NullSink final : hdlc::FrameSink {
  void send(const std::uint8_t*, std::size_t) override {}
};

struct EchoHandler final : dlms::ApduHandler {
  bool on_apdu(std::uint16_t, std::uint16_t, std::span<std::uint8_t> apdu, ByteWriter& out) override {
    out.bytes(apdu.data(), apdu.size());
    return !apdu.empty();
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
  wrapper::ServerAdapter<64> adapter{handler, sink};
  for (std::size_t at = 0; at < size; at += chunk) {
    const std::size_t n = size - at < chunk ? size - at : chunk;
    if (!adapter.receive(data + at, n)) adapter.reset();
  }
  return 0;
}
