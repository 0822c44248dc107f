// HDLC server link: whole exchanges against the frames of dlms-protocol.md §2.3
// and §3.5, plus hand-worked frames whose CRCs come from an independent bitwise
// CRC-16/X.25 (marked "hand-worked").
#include <gtest/gtest.h>

#include <metergen/hdlc/server_link.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen::hdlc;
using hdlc_test::Bytes;
using hdlc_test::concat;
using hdlc_test::hex;

// §3.5.1, §3.5.2, §3.5.3
const Bytes kSnrm = hex("7E A0 08 02 23 21 93 BD 64 7E");
const Bytes kAarqApdu =
    hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
const Bytes kAarq = concat(concat(hex("7E A0 2C 02 23 21 10 AF 9F E6 E6 00"), kAarqApdu), hex("C5 E4 7E"));
const Bytes kAareApdu = hex(
    "61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 00 06 5F 1F 04 00 "
    "00 1E 1D 04 C8 00 07");
const Bytes kAare = concat(concat(hex("7E A0 38 21 02 23 30 34 E7 E6 E7 00"), kAareApdu), hex("B8 6A 7E"));
// §3.5.4
const Bytes kDisc = hex("7E A0 08 02 23 21 53 B1 A2 7E");
const Bytes kUaPlain = hex("7E A0 08 21 02 23 73 7A 43 7E");
const Bytes kDm = hex("7E A0 08 21 02 23 1F 10 EA 7E");
// Hand-worked: UA to an SNRM without parameters (defaults 128, window 1).
const Bytes kUa128 = hex(
    "7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 80 06 01 80 07 04 00 00 00 01 08 04 00 00 00 01 53 3B 7E");
// Hand-worked: FRMR without info, server 1/17 → client 16.
const Bytes kFrmr = hex("7E A0 08 21 02 23 97 50 E2 7E");
// Hand-worked: second exchange, GET (§7 example) with control 32, reply (§7 example) with control 52.
const Bytes kGetApdu = hex("C0 01 C1 00 01 00 00 2B 01 00 FF 02 00");
const Bytes kGet32 =
    hex("7E A0 1A 02 23 21 32 F6 72 E6 E6 00 C0 01 C1 00 01 00 00 2B 01 00 FF 02 00 7D 8F 7E");
const Bytes kGetResponseApdu = hex("C4 01 C1 00 06 00 00 13 91");
const Bytes kResponse52 = hex("7E A0 16 21 02 23 52 09 A6 E6 E7 00 C4 01 C1 00 06 00 00 13 91 84 22 7E");

struct HdlcServer : ::testing::Test {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  ServerLink<128, 256> link{ServerAddress{1, 17}, handler, sink};

  // Feeds bytes and returns what the link sent in answer.
  std::vector<Bytes> feed(const Bytes& b) {
    sink.sent.clear();
    link.receive(b.data(), b.size());
    return sink.sent;
  }
  void connect() { ASSERT_EQ(feed(kSnrm), std::vector<Bytes>{kUa128}); }
};

TEST_F(HdlcServer, SnrmAnsweredWithNegotiatedUa) {
  EXPECT_EQ(feed(kSnrm), std::vector<Bytes>{kUa128});
  EXPECT_TRUE(link.connected());
  EXPECT_EQ(handler.resets, 1);
}

// §2.3: a server allowing 154 bytes answers a client proposing 200 (hand-worked
// SNRM) with exactly the verified UA example.
TEST(HdlcServerNegotiation, VerifiedUaExample) {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  ServerLink<154, 256> link{ServerAddress{1, 17}, handler, sink};
  const Bytes snrm = hex(
      "7E A0 21 02 23 21 93 48 55 81 80 14 05 02 00 C8 06 02 00 C8 07 04 00 00 00 01 08 04 00 00 00 01 0B 87 7E");
  link.receive(snrm.data(), snrm.size());
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0], hex("7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 "
                              "00 01 CC A2 7E"));
  EXPECT_EQ(link.parameters().max_info_transmit, 154);
  EXPECT_EQ(link.parameters().max_info_receive, 154);
}

TEST_F(HdlcServer, AarqThenGetExchange) {
  connect();
  handler.reply = kAareApdu;
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], kAarqApdu);  // LLC removed
  EXPECT_EQ(handler.client_saps[0], 16);
  EXPECT_EQ(handler.server_logicals[0], 1);

  handler.reply = kGetResponseApdu;
  EXPECT_EQ(feed(kGet32), std::vector<Bytes>{kResponse52});
  ASSERT_EQ(handler.requests.size(), 2u);
  EXPECT_EQ(handler.requests[1], kGetApdu);
}

TEST_F(HdlcServer, ArbitraryChunksGiveTheSameAnswers) {
  handler.reply = kAareApdu;
  const Bytes stream = concat(concat(kSnrm, kAarq), kDisc);
  for (std::uint8_t b : stream) link.receive(&b, 1);
  EXPECT_EQ(sink.sent, (std::vector<Bytes>{kUa128, kAare, kUaPlain}));
}

TEST_F(HdlcServer, DiscWhenConnectedAndWhenNot) {
  EXPECT_EQ(feed(kDisc), std::vector<Bytes>{kDm});
  connect();
  EXPECT_EQ(feed(kDisc), std::vector<Bytes>{kUaPlain});
  EXPECT_FALSE(link.connected());
  EXPECT_EQ(handler.resets, 2);  // SNRM and DISC
  EXPECT_EQ(feed(kDisc), std::vector<Bytes>{kDm});
}

TEST_F(HdlcServer, IFrameAndRrWhenDisconnectedGetDm) {
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kDm});
  EXPECT_EQ(feed(hex("7E A0 08 02 23 21 11 A7 C3 7E")), std::vector<Bytes>{kDm});  // hand-worked RR N(R)=0
  EXPECT_TRUE(handler.requests.empty());
}

TEST_F(HdlcServer, SnrmWhileConnectedResetsSequence) {
  connect();
  handler.reply = kAareApdu;
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});
  connect();
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});  // N(S)=0 accepted again, reply again 30
  EXPECT_EQ(handler.requests.size(), 2u);
  EXPECT_EQ(handler.resets, 2);
}

TEST_F(HdlcServer, RepeatedIFrameResendsReplyWithoutExecutingAgain) {
  connect();
  handler.reply = kAareApdu;
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});
  EXPECT_EQ(handler.requests.size(), 1u);
  handler.reply = kGetResponseApdu;
  EXPECT_EQ(feed(kGet32), std::vector<Bytes>{kResponse52});
}

TEST_F(HdlcServer, SequenceErrorGetsFrmr) {
  connect();
  // Hand-worked: the GET with control 12 (N(S)=1) where N(S)=0 is expected.
  const Bytes out_of_sequence =
      hex("7E A0 1A 02 23 21 12 F4 53 E6 E6 00 C0 01 C1 00 01 00 00 2B 01 00 FF 02 00 7D 8F 7E");
  EXPECT_EQ(feed(out_of_sequence), std::vector<Bytes>{kFrmr});
  EXPECT_TRUE(handler.requests.empty());
  // N(S)=0 but N(R)=1 acknowledges a frame the server never sent.
  EXPECT_EQ(feed(kGet32), std::vector<Bytes>{kFrmr});
  handler.reply = kAareApdu;
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});
}

TEST_F(HdlcServer, InvalidControlAndOversizedFrameGetFrmr) {
  connect();
  EXPECT_EQ(feed(hex("7E A0 08 02 23 21 19 EF 4F 7E")), std::vector<Bytes>{kFrmr});  // hand-worked REJ
  // A frame of 0x7FF bytes for us (hand-worked HCS): FRMR once its header is in, before its end.
  const Bytes big = hex("7E A7 FF 02 23 21 10 85 61");
  EXPECT_EQ(feed(big), std::vector<Bytes>{kFrmr});
  // What follows is hunted through: a valid frame after it is still answered.
  EXPECT_EQ(feed(concat(Bytes(200, 0x00), kDisc)), std::vector<Bytes>{kUaPlain});
}

TEST_F(HdlcServer, GarbageIsSkippedAndFramesResynchronised) {
  // Noise before the first flag, a lone byte between flags, a truncated frame and
  // a frame-like start with a bad HCS, then the SNRM.
  const Bytes noise = hex("00 FF 13 7E 55 7E A0 08 02 23 7E A3 7E A0 08 02 23 21 93 00 00");
  EXPECT_EQ(feed(concat(noise, kSnrm)), std::vector<Bytes>{kUa128});
  // Between frames: repeated flags and junk.
  EXPECT_EQ(feed(concat(hex("7E 7E 7E 12 34"), kDisc)), std::vector<Bytes>{kUaPlain});
}

TEST_F(HdlcServer, FlagBytesInsideTheInfoField) {
  connect();
  handler.reply = hex("61 00");
  // Hand-worked: I-frame 10 with info E6 E6 00 7E 7E 01, answered by I-frame 30 with E6 E7 00 61 00.
  const Bytes frame = hex("7E A0 10 02 23 21 10 4E 3C E6 E6 00 7E 7E 01 7A E2 7E");
  EXPECT_EQ(feed(frame), std::vector<Bytes>{hex("7E A0 0F 21 02 23 30 39 03 E6 E7 00 61 00 28 03 7E")});
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], hex("7E 7E 01"));
}

TEST_F(HdlcServer, BadFcsAndForeignAddressesDroppedSilently) {
  connect();
  Bytes bad_fcs = kAarq;
  bad_fcs[bad_fcs.size() - 2] ^= 0x01;
  EXPECT_TRUE(feed(bad_fcs).empty());
  EXPECT_TRUE(handler.requests.empty());
  EXPECT_TRUE(feed(hex("7E A0 08 02 25 21 93 64 B2 7E")).empty());  // hand-worked SNRM to physical 18
  EXPECT_TRUE(feed(hex("7E A0 0E 02 23 21 13 2D DB E6 E6 00 01 6E C6 7E")).empty());  // hand-worked UI frame
  handler.reply = kAareApdu;
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{kAare});  // the link state was untouched
}

TEST_F(HdlcServer, OtherAddressForms) {
  // Hand-worked: SNRM to the 4-byte form of 1/17 and the 1-byte form of logical 1;
  // the UA comes back from the same form.
  EXPECT_EQ(feed(hex("7E A0 0A 00 02 00 23 21 93 18 71 7E")),
            std::vector<Bytes>{hex("7E A0 21 21 00 02 00 23 73 4D F2 81 80 12 05 01 80 06 01 80 07 04 00 00 00 01 "
                                   "08 04 00 00 00 01 53 3B 7E")});
  EXPECT_TRUE(link.connected());
  const auto sent = feed(hex("7E A0 07 03 21 93 0F 01 7E"));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(Bytes(sent[0].begin(), sent[0].begin() + 6), hex("7E A0 1E 21 03 73"));
}

TEST_F(HdlcServer, LlcHeaderRequired) {
  connect();
  handler.reply = kAareApdu;
  // Hand-worked: I-frame 10 with info 60 00 (no LLC) → acknowledged with RR N(R)=1 only.
  const Bytes frame = hex("7E A0 0C 02 23 21 10 3E FF 60 00 8B 99 7E");
  EXPECT_EQ(feed(frame), std::vector<Bytes>{hex("7E A0 08 21 02 23 31 6C 22 7E")});
  EXPECT_TRUE(handler.requests.empty());
}

// Client max receive 16: a 20-byte reply (+3 LLC = 23) goes out as 16 + 7 bytes,
// the second on the client's RR. All frames hand-worked.
TEST_F(HdlcServer, SegmentedReply) {
  EXPECT_EQ(feed(hex("7E A0 10 02 23 21 93 DD 8A 81 80 03 06 01 10 E2 F2 7E")),
            std::vector<Bytes>{hex("7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 10 06 01 80 07 04 00 00 00 01 08 04 "
                                   "00 00 00 01 CE BE 7E")});
  handler.reply = hex("01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13 14");
  const Bytes seg1 = hex("7E A8 1A 21 02 23 30 75 B0 E6 E7 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 38 E0 7E");
  const Bytes seg2 = hex("7E A0 11 21 02 23 32 D3 F5 0E 0F 10 11 12 13 14 64 B8 7E");
  const Bytes rr1 = hex("7E A0 08 02 23 21 31 A5 E2 7E");
  EXPECT_EQ(feed(kAarq), std::vector<Bytes>{seg1});
  EXPECT_EQ(feed(rr1), std::vector<Bytes>{seg2});
  // The client repeats its RR (segment 2 lost): segment 2 again.
  EXPECT_EQ(feed(rr1), std::vector<Bytes>{seg2});
  EXPECT_EQ(handler.requests.size(), 1u);
}

// The AARQ of §3.5.2 sent in two segments (20 + 14 info bytes); hand-worked frames.
TEST_F(HdlcServer, SegmentedRequest) {
  connect();
  handler.reply = hex("61 00");
  const Bytes seg1 = hex(
      "7E A8 1E 02 23 21 10 AE 7C E6 E6 00 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 47 01 7E");
  const Bytes seg2 = hex("7E A0 18 02 23 21 12 7C 45 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF 43 D4 7E");
  const Bytes rr1 = hex("7E A0 08 21 02 23 31 6C 22 7E");
  EXPECT_EQ(feed(seg1), std::vector<Bytes>{rr1});
  EXPECT_TRUE(handler.requests.empty());
  EXPECT_EQ(feed(seg1), std::vector<Bytes>{rr1});  // repeated: RR again, not appended twice
  EXPECT_EQ(feed(seg2), std::vector<Bytes>{hex("7E A0 0F 21 02 23 50 3F 60 E6 E7 00 61 00 28 03 7E")});
  ASSERT_EQ(handler.requests.size(), 1u);
  EXPECT_EQ(handler.requests[0], kAarqApdu);
}

TEST_F(HdlcServer, RequestLargerThanBufferIsNotExecuted) {
  hdlc_test::RecordingSink small_sink;
  ServerLink<128, 16> small{ServerAddress{1, 17}, handler, small_sink};
  small.receive(kSnrm.data(), kSnrm.size());
  small.receive(kAarq.data(), kAarq.size());  // 31-byte APDU > 16
  ASSERT_EQ(small_sink.sent.size(), 2u);
  EXPECT_EQ(small_sink.sent[1], hex("7E A0 08 21 02 23 31 6C 22 7E"));
  EXPECT_TRUE(handler.requests.empty());
}

// The IEC HDLC setup object's timeouts (Blue Book IC 23 attributes 7 and 8),
// here at their defaults: 25 ms between octets, 120 s without a frame.
struct HdlcTimeouts : ::testing::Test {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  ServerLink<128, 256> link{ServerAddress{1, 17}, handler, sink, LinkParameters{}, LinkTimeouts{25, 120}};

  // Bytes that arrive at now_ms: handed to the link, then the link polled.
  std::vector<Bytes> arrive(const Bytes& b, std::uint32_t now_ms) {
    sink.sent.clear();
    link.receive(b.data(), b.size());
    EXPECT_EQ(link.poll(now_ms), ServerLinkCore::Expiry::none);
    return sink.sent;
  }
  static Bytes part(const Bytes& b, std::size_t from, std::size_t to) { return Bytes(b.begin() + from, b.begin() + to); }
};

TEST_F(HdlcTimeouts, AFrameWhoseOctetsStopForOverTheInterOctetTimeoutIsDropped) {
  EXPECT_TRUE(arrive(part(kSnrm, 0, 5), 1000).empty());
  EXPECT_EQ(link.poll(1026), ServerLinkCore::Expiry::frame_dropped);
  EXPECT_FALSE(link.partial());
  // Had the first five octets been kept, this SNRM would have been read as their rest.
  EXPECT_EQ(arrive(kSnrm, 1030), std::vector<Bytes>{kUa128});
}

// The start of an I-frame of 33 octets (hand-worked HCS) whose rest never comes
// takes an SNRM sent with it as its rest; once dropped, the next SNRM is answered.
TEST_F(HdlcTimeouts, AStalledFrameTakesWhatFollowsUntilItIsDropped) {
  const Bytes stalled = concat(hex("7E A0 21 02 23 21 10 DB E3 E6 E6 00"), kSnrm);
  EXPECT_TRUE(arrive(stalled, 1000).empty());
  EXPECT_EQ(link.poll(1026), ServerLinkCore::Expiry::frame_dropped);
  EXPECT_EQ(arrive(kSnrm, 1300), std::vector<Bytes>{kUa128});
}

TEST_F(HdlcTimeouts, AGapOfExactlyTheInterOctetTimeoutKeepsTheFrame) {
  EXPECT_TRUE(arrive(part(kSnrm, 0, 5), 1000).empty());
  EXPECT_EQ(link.poll(1025), ServerLinkCore::Expiry::none);
  EXPECT_EQ(arrive(part(kSnrm, 5, kSnrm.size()), 1025), std::vector<Bytes>{kUa128});
}

// A receiver that was busy reads octets late: they count from when it read them.
TEST_F(HdlcTimeouts, OctetsReadLateAreNoGap) {
  EXPECT_TRUE(arrive(part(kSnrm, 0, 3), 1000).empty());
  EXPECT_TRUE(arrive(part(kSnrm, 3, 6), 1100).empty());
  EXPECT_EQ(arrive(part(kSnrm, 6, kSnrm.size()), 1120), std::vector<Bytes>{kUa128});
}

TEST_F(HdlcTimeouts, ALinkWithoutAFrameForTheInactivityTimeoutIsDisconnectedSilently) {
  const std::uint32_t start = 0xFFFFFFFFu - 1000;  // the millisecond clock wraps meanwhile
  ASSERT_EQ(arrive(kSnrm, start), std::vector<Bytes>{kUa128});
  ASSERT_EQ(handler.resets, 1);
  sink.sent.clear();
  EXPECT_EQ(link.poll(start + 119'999), ServerLinkCore::Expiry::none);
  EXPECT_TRUE(link.connected());
  EXPECT_EQ(link.poll(start + 120'000), ServerLinkCore::Expiry::disconnected);
  EXPECT_FALSE(link.connected());
  EXPECT_EQ(handler.resets, 2);  // the association goes with the link
  EXPECT_TRUE(sink.sent.empty());
  // The client's next I-frame finds the link disconnected.
  EXPECT_EQ(arrive(kAarq, start + 120'500), std::vector<Bytes>{kDm});
  EXPECT_TRUE(handler.requests.empty());
}

TEST_F(HdlcTimeouts, EachFrameRestartsTheInactivityTimeout) {
  ASSERT_EQ(arrive(kSnrm, 0), std::vector<Bytes>{kUa128});
  handler.reply = kAareApdu;
  ASSERT_EQ(arrive(kAarq, 60'000), std::vector<Bytes>{kAare});
  EXPECT_EQ(link.poll(179'999), ServerLinkCore::Expiry::none);
  EXPECT_EQ(link.poll(180'000), ServerLinkCore::Expiry::disconnected);
}

// Octets that make no valid frame do not keep the link alive: only frames do.
TEST_F(HdlcTimeouts, OctetsThatMakeNoFrameDoNotCount) {
  ASSERT_EQ(arrive(kSnrm, 0), std::vector<Bytes>{kUa128});
  Bytes broken = kSnrm;
  broken[broken.size() - 2] ^= 0xFF;  // its FCS
  EXPECT_TRUE(arrive(broken, 100'000).empty());
  EXPECT_EQ(link.poll(120'000), ServerLinkCore::Expiry::disconnected);
}

TEST(HdlcTimeoutsOff, ZeroMeansNotOperational) {
  hdlc_test::RecordingSink sink;
  hdlc_test::FixedHandler handler;
  ServerLink<128, 256> link{ServerAddress{1, 17}, handler, sink, LinkParameters{}, LinkTimeouts{0, 0}};
  link.receive(kSnrm.data(), kSnrm.size());
  link.receive(kSnrm.data(), 4);
  EXPECT_EQ(link.poll(0), ServerLinkCore::Expiry::none);
  EXPECT_EQ(link.poll(4'000'000'000u), ServerLinkCore::Expiry::none);
  EXPECT_TRUE(link.connected());
  EXPECT_TRUE(link.partial());
}

}  // namespace
