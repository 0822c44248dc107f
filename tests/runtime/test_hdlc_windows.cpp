// HDLC windows (IEC 62056-46 §6.4.4.4.3, go-back-N with modulo-8 numbers): the
// server sends a window of I-frames per poll with P/F on its last frame, goes
// back to the N(R) of an RR that acknowledges only part of a window, and takes
// a client's window of segments with one RR. Control bytes worked out by hand
// from dlms-protocol.md §2.2: I = N(R)<<5 | P<<4 | N(S)<<1, RR = N(R)<<5 | P<<4 | 1.
#include <gtest/gtest.h>

#include <metergen/hdlc/client_link.hpp>
#include <metergen/hdlc/server_link.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen::hdlc;
using hdlc_test::Bytes;

constexpr Address kServer{1, 17, 2};
constexpr Address kClient{16, 0, 1};

// A client frame to server 1/17 (the frame codec is verified in test_hdlc_frame).
Bytes client_frame(std::uint8_t control, const Bytes& info = {}, bool segmented = false) {
  Frame f;
  f.destination = kServer;
  f.source = kClient;
  f.control = control;
  f.segmented = segmented;
  f.info = info.data();
  f.info_size = info.size();
  std::uint8_t buf[300];
  metergen::ByteWriter w(buf, sizeof buf);
  EXPECT_TRUE(encode_frame(w, f));
  return Bytes(buf, buf + w.size());
}

// SNRM proposing (client's view) 128 bytes each way, window-transmit 3 and window-receive 3.
const Bytes kSnrmWindow3 = client_frame(
    kControlSnrm, metergen::test::hex("81 80 12 05 01 80 06 01 80 07 04 00 00 00 03 08 04 00 00 00 03"));

struct Sent {
  std::uint8_t control;
  bool segmented;
  std::size_t info_size;
  bool operator==(const Sent&) const = default;
};

struct HdlcWindows : ::testing::Test {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  ServerLink<128, 1024> link{ServerAddress{1, 17}, handler, sink, LinkParameters{128, 128, 7, 7}};

  std::vector<Sent> feed(const Bytes& b) {
    sink.sent.clear();
    link.receive(b.data(), b.size());
    std::vector<Sent> out;
    for (const Bytes& s : sink.sent) {
      Frame f;
      EXPECT_TRUE(decode_frame(s.data() + 1, s.size() - 2, f));
      out.push_back({f.control, f.segmented, f.info_size});
    }
    return out;
  }
  // Connects with window 3, then asks for a 500-byte reply: LLC + 500 = 503 bytes
  // = 128 + 128 + 128 + 119, four frames.
  void request_long_reply() {
    ASSERT_EQ(feed(kSnrmWindow3).size(), 1u);
    ASSERT_EQ(link.parameters().window_transmit, 3u);
    ASSERT_EQ(link.parameters().window_receive, 3u);
    handler.reply.assign(500, 0x5A);
    const Bytes request = metergen::test::hex("E6 E6 00 C0 01 C1 00 07 01 00 63 01 00 FF 02 00");
    // First window: N(R) = 1, N(S) 0, 1, 2; P/F only on the third.
    EXPECT_EQ(feed(client_frame(0x10, request)),
              (std::vector<Sent>{{0x20, true, 128}, {0x22, true, 128}, {0x34, true, 128}}));
  }
};

TEST_F(HdlcWindows, NegotiatedWindowIsTheClientsReceiveWindow) {
  ASSERT_EQ(feed(kSnrmWindow3).size(), 1u);
  EXPECT_EQ(link.parameters().window_transmit, 3u);
  EXPECT_EQ(link.parameters().window_receive, 3u);
  EXPECT_EQ(link.parameters().max_info_transmit, 128);
}

TEST_F(HdlcWindows, ReplyGoesOutAWindowPerPoll) {
  request_long_reply();
  // RR N(R) = 3 acknowledges the whole window: the last frame, N(S) 3, final.
  EXPECT_EQ(feed(client_frame(0x71)), (std::vector<Sent>{{0x36, false, 119}}));
  // RR N(R) = 4 after the last frame: nothing left, the server answers RR N(R) = 1.
  EXPECT_EQ(feed(client_frame(0x91)), (std::vector<Sent>{{0x31, false, 0}}));
}

TEST_F(HdlcWindows, PartialAcknowledgementGoesBackToNr) {
  request_long_reply();
  // RR N(R) = 1: frame 1 was lost, so frames 1, 2 and 3 go again (a window of
  // three from N(S) 1, the last of the reply final).
  EXPECT_EQ(feed(client_frame(0x31)),
            (std::vector<Sent>{{0x22, true, 128}, {0x24, true, 128}, {0x36, false, 119}}));
}

TEST_F(HdlcWindows, RepeatedRequestResendsTheWindow) {
  request_long_reply();
  // The client never saw the window and sends its request (N(S) 0) again.
  EXPECT_EQ(feed(client_frame(0x10, metergen::test::hex("E6 E6 00 C0 01 C1 00 07 01 00 63 01 00 FF 02 00"))),
            (std::vector<Sent>{{0x20, true, 128}, {0x22, true, 128}, {0x34, true, 128}}));
  EXPECT_EQ(handler.requests.size(), 1u);
}

TEST_F(HdlcWindows, ClientWindowOfSegmentsGetsOneRr) {
  ASSERT_EQ(feed(kSnrmWindow3).size(), 1u);
  handler.reply = metergen::test::hex("C4 01 C1 00 06 00 00 13 91");
  const Bytes part1 = metergen::test::hex("E6 E6 00 C0 01");
  const Bytes part2 = metergen::test::hex("C1 00 07 01 00");
  const Bytes part3 = metergen::test::hex("63 01 00 FF 02 00");
  // N(S) 0 without poll: no answer; N(S) 1 polls: RR N(R) = 2.
  EXPECT_TRUE(feed(client_frame(0x00, part1, true)).empty());
  EXPECT_EQ(feed(client_frame(0x12, part2, true)), (std::vector<Sent>{{0x51, false, 0}}));
  // The last segment: the reply, N(S) 0, N(R) 3.
  EXPECT_EQ(feed(client_frame(0x14, part3)), (std::vector<Sent>{{0x70, false, 12}}));
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], metergen::test::hex("C0 01 C1 00 07 01 00 63 01 00 FF 02 00"));
}

TEST_F(HdlcWindows, ClientSegmentOutOfSequenceIsDroppedAndRrAsksAgain) {
  ASSERT_EQ(feed(kSnrmWindow3).size(), 1u);
  EXPECT_TRUE(feed(client_frame(0x00, metergen::test::hex("E6 E6 00 C0"), true)).empty());
  // N(S) 2 (N(S) 1 lost) polls: dropped, RR N(R) = 1 asks for N(S) 1 again.
  EXPECT_EQ(feed(client_frame(0x14, metergen::test::hex("00 FF"), true)), (std::vector<Sent>{{0x31, false, 0}}));
  EXPECT_TRUE(handler.requests.empty());
}

// Client and server back to back, window 7 and 128-byte fields; the server's
// frames may lose one on the way.
struct Lossy final : FrameSink {
  ServerLinkCore* server = nullptr;
  int drop_server_frame = -1;  // index of the server frame to lose
  int server_frames = 0;
  int client_rr = 0;
  std::vector<Bytes> to_client;
  void send(const std::uint8_t* data, std::size_t size) override { server->receive(data, size); }
};

struct ToClient final : FrameSink {
  Lossy* lossy = nullptr;
  void send(const std::uint8_t* data, std::size_t size) override {
    if (lossy->server_frames++ == lossy->drop_server_frame) return;
    lossy->to_client.emplace_back(data, data + size);
  }
};

struct CountingClientSink final : FrameSink {
  Lossy* lossy = nullptr;
  void send(const std::uint8_t* data, std::size_t size) override {
    Frame f;
    if (decode_frame(data + 1, size - 2, f) && kind_of(f.control) == FrameKind::rr) ++lossy->client_rr;
    lossy->send(data, size);
  }
};

ClientEvent pump(Lossy& lossy, ClientLinkCore& client) {
  ClientEvent last = ClientEvent::none;
  for (int round = 0; round < 100 && !lossy.to_client.empty(); ++round) {
    std::vector<Bytes> frames;
    frames.swap(lossy.to_client);
    for (const Bytes& f : frames) {
      const ClientEvent e = client.receive(f.data(), f.size());
      if (e != ClientEvent::none) last = e;
    }
  }
  return last;
}

struct BackToBack {
  hdlc_test::FixedHandler handler;
  Lossy lossy;
  ToClient to_client;
  CountingClientSink to_server;
  ServerLink<128, 2048> server{ServerAddress{1, 17}, handler, to_client, LinkParameters{128, 128, 7, 7}};
  ClientLink<128, 2048> client{kServer, 16, to_server};

  BackToBack() {
    lossy.server = &server;
    to_client.lossy = &lossy;
    to_server.lossy = &lossy;
    for (int i = 0; i < 2000; ++i) handler.reply.push_back(static_cast<std::uint8_t>(i * 7));
  }
  void connect() {
    LinkParameters proposal{128, 128, 7, 7};
    client.connect(proposal);
    ASSERT_EQ(pump(lossy, client), ClientEvent::connected);
    ASSERT_EQ(client.parameters().window_receive, 7u);
    ASSERT_EQ(server.parameters().window_transmit, 7u);
  }
  Bytes reply() {
    metergen::ByteReader r = client.reply();
    return Bytes(r.current(), r.current() + r.remaining());
  }
};

// LLC + 2000 bytes = 2003 = 15 x 128 + 83: 16 frames in windows of 7, 7 and 2,
// so the client polls twice with RR (after frames 7 and 14).
TEST(HdlcWindowsBackToBack, ClientAcknowledgesEachWindowOnce) {
  BackToBack b;
  b.connect();
  b.lossy.server_frames = 0;
  const Bytes request{0xC0, 0x01};
  ASSERT_TRUE(b.client.send(request.data(), request.size()));
  ASSERT_EQ(pump(b.lossy, b.client), ClientEvent::reply);
  EXPECT_EQ(b.reply(), b.handler.reply);
  EXPECT_EQ(b.lossy.server_frames, 16);
  EXPECT_EQ(b.lossy.client_rr, 2);
}

// Frame 3 of the first window lost: frames 4..7 are out of sequence, the 7th
// polls, the client answers RR N(R) = 2 and the server goes back to N(S) 2.
TEST(HdlcWindowsBackToBack, LostFrameIsSentAgain) {
  BackToBack b;
  b.connect();
  b.lossy.server_frames = 0;
  b.lossy.drop_server_frame = 2;
  const Bytes request{0xC0, 0x01};
  ASSERT_TRUE(b.client.send(request.data(), request.size()));
  ASSERT_EQ(pump(b.lossy, b.client), ClientEvent::reply);
  EXPECT_EQ(b.reply(), b.handler.reply);
  // 16 frames + the 5 sent again (N(S) 2..6 of the first window).
  EXPECT_EQ(b.lossy.server_frames, 21);
}

}  // namespace
