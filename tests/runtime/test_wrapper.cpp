// IEC 62056-47 wrapper: header layout worked out by hand from dlms-protocol.md §4
// (four big-endian 16-bit fields), reassembly across chunks, error cases and the
// server adapter's wPort swap.
#include <gtest/gtest.h>

#include <metergen/wrapper/wrapper.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen;
using namespace metergen::wrapper;
using hdlc_test::Bytes;
using hdlc_test::concat;
using hdlc_test::hex;

// Public client 16 → management logical device 1, the 13-byte GET of §7.
const Bytes kGetApdu = hex("C0 01 C1 00 01 00 00 2B 01 00 FF 02 00");
const Bytes kGetFrame = concat(hex("00 01 00 10 00 01 00 0D"), kGetApdu);

TEST(Wrapper, HeaderEncodeDecode) {
  std::uint8_t buf[8];
  ByteWriter w(buf, sizeof buf);
  encode_header(w, Header{1, 16, 1, 13});
  EXPECT_EQ(Bytes(buf, buf + w.size()), hex("00 01 00 10 00 01 00 0D"));
  // Server 1 → client 102 (0x66), 1182-byte APDU (0x049E).
  const Bytes reply = hex("00 01 00 01 00 66 04 9E");
  ByteReader r(reply.data(), reply.size());
  Header h;
  ASSERT_TRUE(decode_header(r, h));
  EXPECT_EQ(h.version, 1);
  EXPECT_EQ(h.source, 1);
  EXPECT_EQ(h.destination, 102);
  EXPECT_EQ(h.length, 1182);
  ByteReader short_reader(reply.data(), 7);
  EXPECT_FALSE(decode_header(short_reader, h));
}

TEST(Wrapper, ReassemblesAcrossChunksAndBackToBack) {
  std::uint8_t buf[64];
  Reassembler reassembler(buf, sizeof buf);
  const Bytes stream = concat(kGetFrame, kGetFrame);
  std::vector<Bytes> apdus;
  for (std::size_t i = 0; i < stream.size(); i += 3) {  // 3-byte chunks split header and body
    const std::size_t n = stream.size() - i < 3 ? stream.size() - i : 3;
    std::size_t at = 0;
    while (at < n) {
      Reassembler::Event e;
      at += reassembler.feed(stream.data() + i + at, n - at, e);
      ASSERT_NE(e, Reassembler::Event::error);
      if (e == Reassembler::Event::apdu) {
        const std::span<std::uint8_t> a = reassembler.apdu();
        apdus.emplace_back(a.begin(), a.end());
        EXPECT_EQ(reassembler.header().source, 16);
      }
    }
  }
  EXPECT_EQ(apdus, (std::vector<Bytes>{kGetApdu, kGetApdu}));
}

TEST(Wrapper, RejectsWrongVersionAndOversizedLength) {
  std::uint8_t buf[16];
  Reassembler reassembler(buf, sizeof buf);
  Reassembler::Event e;
  const Bytes version2 = hex("00 02 00 10 00 01 00 01 00");
  reassembler.feed(version2.data(), version2.size(), e);
  EXPECT_EQ(e, Reassembler::Event::error);
  EXPECT_EQ(reassembler.feed(version2.data(), version2.size(), e), 0u);
  EXPECT_EQ(e, Reassembler::Event::error);
  reassembler.reset();
  const Bytes too_long = hex("00 01 00 10 00 01 00 11");  // 17 > 16
  reassembler.feed(too_long.data(), too_long.size(), e);
  EXPECT_EQ(e, Reassembler::Event::error);
  reassembler.reset();
  EXPECT_EQ(reassembler.feed(kGetFrame.data(), kGetFrame.size(), e), kGetFrame.size());
  EXPECT_EQ(e, Reassembler::Event::apdu);
}

TEST(Wrapper, ServerAdapterSwapsWPorts) {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  handler.reply = hex("C4 01 C1 00 06 00 00 13 91");  // §7 example response
  ServerAdapter<64> adapter(handler, sink);
  ASSERT_TRUE(adapter.receive(kGetFrame.data(), 5));
  EXPECT_TRUE(sink.sent.empty());
  ASSERT_TRUE(adapter.receive(kGetFrame.data() + 5, kGetFrame.size() - 5));
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], kGetApdu);
  EXPECT_EQ(handler.client_saps[0], 16);
  EXPECT_EQ(handler.server_logicals[0], 1);
  EXPECT_EQ(sink.sent, std::vector<Bytes>{hex("00 01 00 01 00 10 00 09 C4 01 C1 00 06 00 00 13 91")});

  handler.reply.clear();  // no reply → nothing sent
  ASSERT_TRUE(adapter.receive(kGetFrame.data(), kGetFrame.size()));
  EXPECT_EQ(sink.sent.size(), 1u);

  const Bytes bad = hex("00 03 00 10 00 01 00 00");
  EXPECT_FALSE(adapter.receive(bad.data(), bad.size()));
  adapter.reset();
  EXPECT_EQ(handler.resets, 1);
  handler.reply = hex("C5 01 C1 00");
  ASSERT_TRUE(adapter.receive(kGetFrame.data(), kGetFrame.size()));
  EXPECT_EQ(sink.sent.back(), hex("00 01 00 01 00 10 00 04 C5 01 C1 00"));
}

TEST(Wrapper, ServerAdapterDropsApdusForAnotherWPort) {
  // dlms-protocol.md §4: server wPort 1 is the management logical device, 0 no-station,
  // 127 all-station. The same GET sent to wPort 2, 0 and 127 reaches no handler and gets
  // no reply; the connection stays open and wPort 1 is still answered.
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  handler.reply = hex("C4 01 C1 00 06 00 00 13 91");
  ServerAdapter<64> adapter(handler, sink);
  for (const char* header : {"00 01 00 10 00 02 00 0D", "00 01 00 10 00 00 00 0D", "00 01 00 10 00 7F 00 0D"}) {
    const Bytes frame = concat(hex(header), kGetApdu);
    ASSERT_TRUE(adapter.receive(frame.data(), frame.size())) << header;
  }
  EXPECT_TRUE(handler.requests.empty());
  EXPECT_TRUE(sink.sent.empty());
  ASSERT_TRUE(adapter.receive(kGetFrame.data(), kGetFrame.size()));
  EXPECT_EQ(sink.sent.size(), 1u);
}

}  // namespace
