// HDLC frame codec and SNRM/UA parameters against the frames of
// dlms-protocol.md §2.3 and §3.5 (verified by recomputation) and frames whose
// CRCs were worked out with an independent bitwise CRC-16/X.25 (noted per test).
#include <gtest/gtest.h>

#include <metergen/hdlc/frame.hpp>
#include <metergen/hdlc/parameters.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen;
using namespace metergen::hdlc;
using hdlc_test::Bytes;
using hdlc_test::hex;

const Address kServer{1, 17, 2};  // logical 1, physical 17 → 02 23
const Address kClient{16, 0, 1};  // public client → 21

Bytes encode(const Frame& f) {
  std::uint8_t buf[kMaxFrameLength + 2];
  ByteWriter w(buf, sizeof buf);
  EXPECT_TRUE(encode_frame(w, f));
  return Bytes(buf, buf + w.size());
}

// Decodes a whole frame given with its flags.
bool decode(const Bytes& wire, Frame& f) { return decode_frame(wire.data() + 1, wire.size() - 2, f); }

Frame make(Address destination, Address source, std::uint8_t control, const Bytes* info = nullptr) {
  Frame f;
  f.destination = destination;
  f.source = source;
  f.control = control;
  if (info) {
    f.info = info->data();
    f.info_size = info->size();
  }
  return f;
}

// §3.5.1
const Bytes kSnrm = hex("7E A0 08 02 23 21 93 BD 64 7E");
// §3.5.2
const Bytes kAarqInfo = hex(
    "E6 E6 00 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
const Bytes kAarq = hdlc_test::concat(hdlc_test::concat(hex("7E A0 2C 02 23 21 10 AF 9F"), kAarqInfo), hex("C5 E4 7E"));
// §3.5.3
const Bytes kAareInfo = hex(
    "E6 E7 00 61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 00 06 5F "
    "1F 04 00 00 1E 1D 04 C8 00 07");
const Bytes kAare = hdlc_test::concat(hdlc_test::concat(hex("7E A0 38 21 02 23 30 34 E7"), kAareInfo), hex("B8 6A 7E"));
// §2.3
const Bytes kUaParameters = hex("81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01");
const Bytes kUa = hex(
    "7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01 CC A2 7E");

TEST(HdlcFrame, SnrmBuildAndParse) {
  EXPECT_EQ(encode(make(kServer, kClient, kControlSnrm)), kSnrm);
  Frame f;
  ASSERT_TRUE(decode(kSnrm, f));
  EXPECT_EQ(f.destination.logical, 1);
  EXPECT_EQ(f.destination.physical, 17);
  EXPECT_EQ(f.destination.size, 2);
  EXPECT_EQ(f.source.logical, 16);
  EXPECT_EQ(f.source.size, 1);
  EXPECT_EQ(f.control, 0x93);
  EXPECT_FALSE(f.segmented);
  EXPECT_EQ(f.info_size, 0u);
  EXPECT_EQ(kind_of(f.control), FrameKind::snrm);
}

TEST(HdlcFrame, AarqIFrameBuildAndParse) {
  EXPECT_EQ(encode(make(kServer, kClient, control_i(0, 0), &kAarqInfo)), kAarq);
  Frame f;
  ASSERT_TRUE(decode(kAarq, f));
  EXPECT_EQ(f.control, 0x10);
  EXPECT_EQ(kind_of(f.control), FrameKind::i);
  EXPECT_EQ(send_sequence(f.control), 0);
  EXPECT_EQ(receive_sequence(f.control), 0);
  EXPECT_EQ(Bytes(f.info, f.info + f.info_size), kAarqInfo);
}

TEST(HdlcFrame, AareIFrameBuildAndParse) {
  EXPECT_EQ(control_i(0, 1), 0x30);
  EXPECT_EQ(encode(make(kClient, kServer, 0x30, &kAareInfo)), kAare);
  Frame f;
  ASSERT_TRUE(decode(kAare, f));
  EXPECT_EQ(f.destination.logical, 16);
  EXPECT_EQ(f.source.physical, 17);
  EXPECT_EQ(Bytes(f.info, f.info + f.info_size), kAareInfo);
}

// §2.2: next client I-frame 32, next server reply 52.
TEST(HdlcFrame, ControlFieldValues) {
  EXPECT_EQ(control_i(1, 1), 0x32);
  EXPECT_EQ(control_i(1, 2), 0x52);
  EXPECT_EQ(control_rr(0), 0x11);
  EXPECT_EQ(control_rr(1), 0x31);
  EXPECT_EQ(control_rr(2), 0x51);
  EXPECT_EQ(kind_of(0x11), FrameKind::rr);
  EXPECT_EQ(kind_of(0x35), FrameKind::rnr);
  EXPECT_EQ(kind_of(0x93), FrameKind::snrm);
  EXPECT_EQ(kind_of(0x83), FrameKind::snrm);
  EXPECT_EQ(kind_of(0x53), FrameKind::disc);
  EXPECT_EQ(kind_of(0x43), FrameKind::disc);
  EXPECT_EQ(kind_of(0x73), FrameKind::ua);
  EXPECT_EQ(kind_of(0x1F), FrameKind::dm);
  EXPECT_EQ(kind_of(0x97), FrameKind::frmr);
  EXPECT_EQ(kind_of(0x13), FrameKind::ui);
  EXPECT_EQ(kind_of(0x19), FrameKind::invalid);  // REJ
  EXPECT_EQ(kind_of(0x1D), FrameKind::invalid);  // SREJ
  EXPECT_EQ(kind_of(0xFF), FrameKind::invalid);
}

// §3.5.4
TEST(HdlcFrame, DiscUaDmWithoutInfo) {
  EXPECT_EQ(encode(make(kServer, kClient, kControlDisc)), hex("7E A0 08 02 23 21 53 B1 A2 7E"));
  EXPECT_EQ(encode(make(kClient, kServer, kControlUa)), hex("7E A0 08 21 02 23 73 7A 43 7E"));
  EXPECT_EQ(encode(make(kClient, kServer, kControlDm)), hex("7E A0 08 21 02 23 1F 10 EA 7E"));
  Frame f;
  ASSERT_TRUE(decode(hex("7E A0 08 21 02 23 1F 10 EA 7E"), f));
  EXPECT_EQ(kind_of(f.control), FrameKind::dm);
}

TEST(HdlcFrame, UaExampleBuildAndParse) {
  EXPECT_EQ(encode(make(kClient, kServer, kControlUa, &kUaParameters)), kUa);
  Frame f;
  ASSERT_TRUE(decode(kUa, f));
  LinkParameters p;
  ASSERT_TRUE(parse_parameters(ByteReader(f.info, f.info_size), p));
  EXPECT_EQ(p.max_info_transmit, 154);
  EXPECT_EQ(p.max_info_receive, 154);
  EXPECT_EQ(p.window_transmit, 1u);
  EXPECT_EQ(p.window_receive, 1u);

  std::uint8_t buf[32];
  ByteWriter w(buf, sizeof buf);
  encode_parameters(w, p);
  EXPECT_EQ(Bytes(buf, buf + w.size()), kUaParameters);
}

// §2.1: logical 1, physical 17 in four bytes → 00 02 00 23. SNRM CRC (18 71)
// from an independent bitwise CRC-16/X.25.
TEST(HdlcFrame, FourByteAddress) {
  const Address four{1, 17, 4};
  const Bytes wire = hex("7E A0 0A 00 02 00 23 21 93 18 71 7E");
  EXPECT_EQ(encode(make(four, kClient, kControlSnrm)), wire);
  Frame f;
  ASSERT_TRUE(decode(wire, f));
  EXPECT_EQ(f.destination.size, 4);
  EXPECT_EQ(f.destination.logical, 1);
  EXPECT_EQ(f.destination.physical, 17);

  // 14-bit parts: logical 0x3FFF, physical 0x0081 → FE FE 02 03.
  const Bytes big = hex("FE FE 02 03");
  ByteReader r(big.data(), big.size());
  Address a;
  ASSERT_TRUE(decode_address(r, a));
  EXPECT_EQ(a.logical, 0x3FFF);
  EXPECT_EQ(a.physical, 0x81);
  std::uint8_t buf[4];
  ByteWriter w(buf, sizeof buf);
  ASSERT_TRUE(encode_address(w, a));
  EXPECT_EQ(Bytes(buf, buf + 4), big);
}

TEST(HdlcFrame, AddressFormsRejected) {
  std::uint8_t buf[8];
  ByteWriter w(buf, sizeof buf);
  EXPECT_FALSE(encode_address(w, Address{0x80, 0, 1}));  // 7 bits only
  EXPECT_FALSE(encode_address(w, Address{1, 0x80, 2}));
  EXPECT_FALSE(encode_address(w, Address{0x4000, 0, 4}));
  EXPECT_FALSE(encode_address(w, Address{1, 1, 3}));
  EXPECT_EQ(w.size(), 0u);
  for (const Bytes& b : {hex("02 04 07"), hex("02 04 06 08 0A"), hex("02")}) {  // 3 bytes, 5 bytes, unterminated
    ByteReader r(b.data(), b.size());
    Address a;
    EXPECT_FALSE(decode_address(r, a));
  }
}

TEST(HdlcFrame, CorruptFramesRejected) {
  Frame f;
  Bytes bad_hcs = kAarq;
  bad_hcs[7] ^= 0x01;
  EXPECT_FALSE(decode(bad_hcs, f));
  Bytes bad_fcs = kAarq;
  bad_fcs[bad_fcs.size() - 2] ^= 0x80;
  EXPECT_FALSE(decode(bad_fcs, f));
  Bytes bad_info = kAarq;
  bad_info[20] ^= 0x04;
  EXPECT_FALSE(decode(bad_info, f));
  Bytes short_frame = kAarq;
  short_frame.erase(short_frame.end() - 3);  // one info byte less than the length field says
  EXPECT_FALSE(decode(short_frame, f));
  Bytes wrong_type = kSnrm;
  wrong_type[1] = 0x90;  // format type 9
  EXPECT_FALSE(decode(wrong_type, f));
  EXPECT_FALSE(decode_frame(kSnrm.data() + 1, 3, f));
  EXPECT_FALSE(decode_frame(nullptr, 0, f));
}

TEST(HdlcFrame, HeaderScanDecidesEarly) {
  FrameHeader h;
  EXPECT_EQ(scan_header(kAarq.data() + 1, 0, h), HeaderStatus::incomplete);
  EXPECT_EQ(scan_header(kAarq.data() + 1, 5, h), HeaderStatus::incomplete);
  ASSERT_EQ(scan_header(kAarq.data() + 1, 8, h), HeaderStatus::valid);
  EXPECT_EQ(h.length, 0x2Cu);
  EXPECT_EQ(h.size, 8u);
  const Bytes garbage = hex("55 A0");
  EXPECT_EQ(scan_header(garbage.data(), 1, h), HeaderStatus::invalid);
  const Bytes long_address = hex("A0 10 02 04 06 08");  // destination without an end bit in 4 bytes
  EXPECT_EQ(scan_header(long_address.data(), long_address.size(), h), HeaderStatus::invalid);
}

// The length field bounds the header: a length below 7 (format, two 1-byte addresses,
// control, HCS) is refused at once, and a header that cannot end within the length
// is refused as soon as that many bytes are there.
TEST(HdlcFrame, HeaderScanBoundedByTheLength) {
  FrameHeader h;
  const Bytes too_short = hex("A0 06 03 21 93");
  EXPECT_EQ(scan_header(too_short.data(), 2, h), HeaderStatus::invalid);
  // Length 7 with a 4-byte destination (02 04 06 09): no room for a source, control, HCS.
  const Bytes no_room = hex("A0 07 02 04 06 09 02 21");
  EXPECT_EQ(scan_header(no_room.data(), 6, h), HeaderStatus::incomplete);
  EXPECT_EQ(scan_header(no_room.data(), 7, h), HeaderStatus::invalid);
  EXPECT_EQ(scan_header(no_room.data(), 8, h), HeaderStatus::invalid);
}

TEST(HdlcFrame, EncodeRefusesOversizedFrame) {
  static std::uint8_t info[kMaxFrameLength];
  Frame f = make(kServer, kClient, control_i(0, 0));
  f.info = info;
  f.info_size = kMaxFrameLength - 10;  // header 8 + FCS 2 → exactly 2047
  std::uint8_t buf[kMaxFrameLength + 2];
  ByteWriter ok(buf, sizeof buf);
  EXPECT_TRUE(encode_frame(ok, f));
  EXPECT_EQ(ok.size(), kMaxFrameLength + 2);
  f.info_size += 1;
  ByteWriter too_long(buf, sizeof buf);
  EXPECT_FALSE(encode_frame(too_long, f));
  ByteWriter small(buf, 10);
  EXPECT_FALSE(encode_frame(small, make(kClient, kServer, kControlUa, &kUaParameters)));
}

TEST(HdlcParameters, DefaultsWhenAbsent) {
  LinkParameters p;
  ASSERT_TRUE(parse_parameters(ByteReader(), p));
  EXPECT_EQ(p.max_info_transmit, 128);
  EXPECT_EQ(p.max_info_receive, 128);
  EXPECT_EQ(p.window_transmit, 1u);
  EXPECT_EQ(p.window_receive, 1u);
}

TEST(HdlcParameters, SubsetAndValueSizes) {
  // Only 06 (2-byte 0x01F4 = 500) and 07 (1-byte 7); an unknown id 0x0A is skipped.
  const Bytes info = hex("81 80 0A 06 02 01 F4 07 01 07 0A 01 FF");
  LinkParameters p;
  ASSERT_TRUE(parse_parameters(ByteReader(info.data(), info.size()), p));
  EXPECT_EQ(p.max_info_transmit, 128);
  EXPECT_EQ(p.max_info_receive, 500);
  EXPECT_EQ(p.window_transmit, 7u);
  EXPECT_EQ(p.window_receive, 1u);
  // 4-byte length 0x00012345 is clamped to 0xFFFF.
  const Bytes big = hex("81 80 06 05 04 00 01 23 45");
  ASSERT_TRUE(parse_parameters(ByteReader(big.data(), big.size()), p));
  EXPECT_EQ(p.max_info_transmit, 0xFFFF);
  // A 2-byte length encodes in two bytes: 05 02 01 00 for 256.
  p = LinkParameters{};
  p.max_info_transmit = 256;
  std::uint8_t buf[32];
  ByteWriter w(buf, sizeof buf);
  encode_parameters(w, p);
  EXPECT_EQ(Bytes(buf, buf + w.size()), hex("81 80 13 05 02 01 00 06 01 80 07 04 00 00 00 01 08 04 00 00 00 01"));
}

TEST(HdlcParameters, MalformedRejected) {
  for (const char* s : {"81 80 03 05 03 00", "81 80 03 05 01 00", "81 81 03 05 01 10", "80 80 03 05 01 10",
                        "81 80 05 05 01 10", "81 80 03 05 01 10 00", "81 80 02 05 02", "81"}) {
    const Bytes b = hex(s);
    LinkParameters p;
    EXPECT_FALSE(parse_parameters(ByteReader(b.data(), b.size()), p)) << s;
  }
}

// The four parameters of `got` against those of `want`.
void expect_parameters(const LinkParameters& got, const LinkParameters& want) {
  EXPECT_EQ(got.max_info_transmit, want.max_info_transmit);
  EXPECT_EQ(got.max_info_receive, want.max_info_receive);
  EXPECT_EQ(got.window_transmit, want.window_transmit);
  EXPECT_EQ(got.window_receive, want.window_receive);
}

// Client (own view) sends 200 and receives 100; the server allows 154 each way:
// server transmit = min(client receive, 154), server receive = min(client transmit, 154).
TEST(HdlcParameters, NegotiateTakesMinimaFromEachView) {
  const LinkParameters proposal{.max_info_transmit = 200, .max_info_receive = 100, .window_transmit = 7,
                                .window_receive = 7};
  expect_parameters(negotiate(LinkParameters{154, 154, 1, 1}, proposal), LinkParameters{100, 154, 1, 1});
}

// Windows follow the same rule: the server sends at most what the client may
// receive (client window-receive 3 < server 7) and receives at most what it
// allows (server window-receive 2 < client window-transmit 5).
TEST(HdlcParameters, NegotiateTakesWindowMinima) {
  const LinkParameters proposal{.max_info_transmit = 2030, .max_info_receive = 2030, .window_transmit = 5,
                                .window_receive = 3};
  expect_parameters(negotiate(LinkParameters{1024, 512, 7, 2}, proposal), LinkParameters{1024, 512, 3, 2});
}

// No parameters in the SNRM: the defaults 128 and window 1 meet the server's limits.
TEST(HdlcParameters, NegotiateAgainstDefaultsGives128Window1) {
  LinkParameters none;
  ASSERT_TRUE(parse_parameters(ByteReader(), none));
  expect_parameters(negotiate(LinkParameters{2030, 2030, 7, 7}, none), LinkParameters{128, 128, 1, 1});
}

}  // namespace
