// Fuzzes the HDLC receive path: the input's first byte chooses the chunk size
// and the mode, the rest is fed to a server link (with a handler that answers,
// sometimes longer than one segment) and to a connected client link. Raw mode
// feeds the bytes as they are; frame mode reads records (control, S bit + info
// length, info) and sends them as frames with valid CRCs, so the fuzzer reaches
// the sequencing and segmentation states that random CRCs never would. The
// server applies a 25 ms inter-octet and a 1 s inactivity timeout; each chunk
// arrives a time after the previous one taken from its own first byte (0..1,020
// ms), so partial frames are dropped and links disconnected between chunks.
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
  bool on_apdu(std::uint16_t, std::uint16_t, std::span<std::uint8_t> apdu, ByteWriter& out) override {
    if (apdu.empty()) return false;
    const std::size_t n = apdu.size();
    const std::size_t want = static_cast<std::size_t>(apdu[0]) * 2;
    for (std::size_t i = 0; i < want; ++i) out.u8(apdu[i % n]);
    return true;
  }
  void on_link_reset() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  const bool frame_mode = (data[0] & 0x80) != 0;
  ++data;
  --size;
  static std::uint8_t frames[16384];
  if (frame_mode) {
    ByteReader records(data, size);
    ByteWriter out(frames, sizeof frames);
    while (records.remaining() >= 2) {
      hdlc::Frame f;
      f.destination = hdlc::Address{1, 17, 2};
      f.source = hdlc::Address{16, 0, 1};
      f.control = records.u8();
      const std::uint8_t shape = records.u8();
      f.segmented = (shape & 0x80) != 0;
      f.info_size = shape & 0x7F;
      f.info = records.take(f.info_size);
      if (!f.info) break;
      if (!hdlc::encode_frame(out, f)) break;
    }
    data = frames;
    size = out.size();
  }

  NullSink sink;
  EchoHandler handler;
  hdlc::ServerLink<32, 300> server{hdlc::ServerAddress{1, 17}, handler, sink, hdlc::LinkParameters{32, 32, 1, 1},
                                   hdlc::LinkTimeouts{25, 1}};
  hdlc::ClientLink<32, 300> client{hdlc::Address{1, 17, 2}, 16, sink};
  client.connect(hdlc::LinkParameters{});
  std::uint32_t now_ms = 0xFFFFF000u;  // wraps within a long input
  for (std::size_t at = 0; at < size; at += chunk) {
    const std::size_t n = size - at < chunk ? size - at : chunk;
    now_ms += static_cast<std::uint32_t>(data[at]) * 4u;
    server.poll(now_ms);
    server.receive(data + at, n);
    server.poll(now_ms);
    client.receive(data + at, n);
  }
  return 0;
}
