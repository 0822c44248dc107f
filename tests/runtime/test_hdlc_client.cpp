// HDLC client link: the frames it builds against dlms-protocol.md §3.5 and
// hand-worked frames (CRCs from an independent bitwise CRC-16/X.25), then a
// segmented exchange with the server link over a loopback.
#include <gtest/gtest.h>

#include <metergen/hdlc/client_link.hpp>
#include <metergen/hdlc/server_link.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen::hdlc;
using hdlc_test::Bytes;
using hdlc_test::concat;
using hdlc_test::hex;

const Address kServer{1, 17, 2};
const Bytes kAarqApdu =
    hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
const Bytes kAareApdu = hex(
    "61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 00 06 5F 1F 04 00 "
    "00 1E 1D 04 C8 00 07");

struct HdlcClient : ::testing::Test {
  hdlc_test::RecordingSink sink;
  ClientLink<128, 256> link{kServer, 16, sink};

  ClientEvent feed(const Bytes& b) { return link.receive(b.data(), b.size()); }
  Bytes reply() {
    metergen::ByteReader r = link.reply();
    return Bytes(r.current(), r.current() + r.remaining());
  }
};

TEST_F(HdlcClient, ConnectExchangeDisconnect) {
  link.connect(LinkParameters{});
  // Hand-worked SNRM proposing 128/128, window 1.
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0], hex("7E A0 1F 02 23 21 93 21 E0 81 80 12 05 01 80 06 01 80 07 04 00 00 00 01 08 04 00 00 "
                              "00 01 53 3B 7E"));
  // §2.3 verified UA (154 both ways): the client keeps its own 128.
  EXPECT_EQ(feed(hex("7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01 CC "
                     "A2 7E")),
            ClientEvent::connected);
  EXPECT_TRUE(link.connected());
  EXPECT_EQ(link.parameters().max_info_transmit, 128);

  // §3.5.2 AARQ I-frame, §3.5.3 AARE reply.
  ASSERT_TRUE(link.send(kAarqApdu.data(), kAarqApdu.size()));
  EXPECT_EQ(sink.sent.back(), concat(concat(hex("7E A0 2C 02 23 21 10 AF 9F E6 E6 00"), kAarqApdu), hex("C5 E4 7E")));
  EXPECT_FALSE(link.send(kAarqApdu.data(), kAarqApdu.size()));  // exchange in progress
  EXPECT_EQ(feed(concat(concat(hex("7E A0 38 21 02 23 30 34 E7 E6 E7 00"), kAareApdu), hex("B8 6A 7E"))),
            ClientEvent::reply);
  EXPECT_EQ(reply(), kAareApdu);

  // Next request carries control 32 (hand-worked frame).
  const Bytes get = hex("C0 01 C1 00 01 00 00 2B 01 00 FF 02 00");
  ASSERT_TRUE(link.send(get.data(), get.size()));
  EXPECT_EQ(sink.sent.back(),
            hex("7E A0 1A 02 23 21 32 F6 72 E6 E6 00 C0 01 C1 00 01 00 00 2B 01 00 FF 02 00 7D 8F 7E"));
  link.retransmit();
  EXPECT_EQ(sink.sent.back(), sink.sent[sink.sent.size() - 2]);
  EXPECT_EQ(feed(hex("7E A0 16 21 02 23 52 09 A6 E6 E7 00 C4 01 C1 00 06 00 00 13 91 84 22 7E")), ClientEvent::reply);
  EXPECT_EQ(reply(), hex("C4 01 C1 00 06 00 00 13 91"));

  // §3.5.4 DISC and UA.
  link.disconnect();
  EXPECT_EQ(sink.sent.back(), hex("7E A0 08 02 23 21 53 B1 A2 7E"));
  EXPECT_EQ(feed(hex("7E A0 08 21 02 23 73 7A 43 7E")), ClientEvent::disconnected);
  EXPECT_FALSE(link.connected());
}

TEST_F(HdlcClient, SegmentedReplyPolledWithRr) {
  link.connect(LinkParameters{});
  ASSERT_EQ(feed(hex("7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01 CC "
                     "A2 7E")),
            ClientEvent::connected);
  ASSERT_TRUE(link.send(kAarqApdu.data(), kAarqApdu.size()));
  // The hand-worked segments of the server test (16 + 7 bytes); RR N(R)=1 in between.
  EXPECT_EQ(feed(hex("7E A8 1A 21 02 23 30 75 B0 E6 E7 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 38 E0 7E")),
            ClientEvent::none);
  EXPECT_EQ(sink.sent.back(), hex("7E A0 08 02 23 21 31 A5 E2 7E"));
  EXPECT_EQ(feed(hex("7E A0 11 21 02 23 32 D3 F5 0E 0F 10 11 12 13 14 64 B8 7E")), ClientEvent::reply);
  EXPECT_EQ(reply(), hex("01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14"));
}

TEST_F(HdlcClient, RefusedByDm) {
  link.connect(LinkParameters{});
  EXPECT_EQ(feed(hex("7E A0 08 21 02 23 1F 10 EA 7E")), ClientEvent::refused);
  EXPECT_FALSE(link.connected());
  EXPECT_FALSE(link.send(kAarqApdu.data(), kAarqApdu.size()));
}

// Client and server links joined back to back with 20-byte info fields: a
// 100-byte request and a 150-byte reply both cross in segments.
struct Loopback final : FrameSink {
  ServerLinkCore* server = nullptr;
  std::vector<Bytes> to_client;
  void send(const std::uint8_t* data, std::size_t size) override { server->receive(data, size); }
};

TEST(HdlcClientServer, SegmentsBothWays) {
  hdlc_test::FixedHandler handler;
  for (int i = 0; i < 150; ++i) handler.reply.push_back(static_cast<std::uint8_t>(i));
  hdlc_test::RecordingSink to_client;
  ServerLink<128, 256> server{ServerAddress{1, 17}, handler, to_client};
  Loopback to_server;
  to_server.server = &server;
  ClientLink<128, 256> client{kServer, 16, to_server};

  auto pump = [&] {
    ClientEvent last = ClientEvent::none;
    for (int round = 0; round < 100 && !to_client.sent.empty(); ++round) {
      std::vector<Bytes> frames;
      frames.swap(to_client.sent);
      for (const Bytes& f : frames) {
        const ClientEvent e = client.receive(f.data(), f.size());
        if (e != ClientEvent::none) last = e;
      }
    }
    return last;
  };
  LinkParameters small;
  small.max_info_transmit = 20;
  small.max_info_receive = 20;
  client.connect(small);
  ASSERT_EQ(pump(), ClientEvent::connected);
  EXPECT_EQ(server.parameters().max_info_transmit, 20);
  Bytes request;
  for (int i = 0; i < 100; ++i) request.push_back(static_cast<std::uint8_t>(0xFF - i));
  ASSERT_TRUE(client.send(request.data(), request.size()));
  ASSERT_EQ(pump(), ClientEvent::reply);
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], request);
  metergen::ByteReader r = client.reply();
  EXPECT_EQ(Bytes(r.current(), r.current() + r.remaining()), handler.reply);
  client.disconnect();
  EXPECT_EQ(pump(), ClientEvent::disconnected);
}

}  // namespace
