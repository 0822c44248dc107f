// FrameReceiver: frames found in a byte stream cut anywhere, with garbage, bad
// HCS/FCS and oversized frames between them. The frames are those of
// dlms-protocol.md §3.5 (CRCs verified there by recomputation).
#include <gtest/gtest.h>

#include <metergen/hdlc/receiver.hpp>

#include "test_hdlc_support.hpp"

namespace {

using namespace metergen::hdlc;
using hdlc_test::Bytes;
using hdlc_test::concat;
using hdlc_test::hex;

// §3.5.1 and §3.5.2
const Bytes kSnrm = hex("7E A0 08 02 23 21 93 BD 64 7E");
const Bytes kAarqInfo = hex(
    "E6 E6 00 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
const Bytes kAarq = concat(concat(hex("7E A0 2C 02 23 21 10 AF 9F"), kAarqInfo), hex("C5 E4 7E"));

// What one event delivered: a frame's control byte and info, or an oversized header.
struct Received {
  bool oversized = false;
  std::uint8_t control = 0;
  Bytes info;
  bool operator==(const Received&) const = default;
};
const Received kSnrmReceived{false, 0x93, {}};
const Received kAarqReceived{false, 0x10, kAarqInfo};

void collect(FrameReceiver& r, const std::uint8_t* p, std::size_t n, std::vector<Received>& out) {
  while (n > 0) {
    FrameReceiver::Event event;
    const std::size_t used = r.feed(p, n, event);
    ASSERT_LE(used, n);
    p += used;
    n -= used;
    if (event == FrameReceiver::Event::frame) {
      const Frame& f = r.frame();
      out.push_back({false, f.control, Bytes(f.info, f.info + f.info_size)});
    } else if (event == FrameReceiver::Event::oversized) {
      out.push_back({true, r.header().frame.control, {}});
    } else {
      ASSERT_EQ(n, 0u) << "feed stopped early without an event";
    }
  }
}

// The events of `wire` fed in two pieces cut at `cut`.
std::vector<Received> receive_cut(const Bytes& wire, std::size_t cut, std::size_t capacity = 256) {
  std::vector<std::uint8_t> buffer(capacity);
  FrameReceiver r(buffer.data(), buffer.size());
  std::vector<Received> out;
  collect(r, wire.data(), cut, out);
  collect(r, wire.data() + cut, wire.size() - cut, out);
  // Bytes a rejected header left over are fed before any new input; an idle
  // line ends with nothing held.
  EXPECT_FALSE(r.partial());
  return out;
}

// Expects the same events whichever byte boundary the stream is cut at, and byte by byte.
void expect_events(const Bytes& wire, const std::vector<Received>& expected, std::size_t capacity = 256) {
  for (std::size_t cut = 0; cut <= wire.size(); ++cut)
    EXPECT_EQ(receive_cut(wire, cut, capacity), expected) << "cut at " << cut;
  std::vector<std::uint8_t> buffer(capacity);
  FrameReceiver r(buffer.data(), buffer.size());
  std::vector<Received> out;
  for (const std::uint8_t b : wire) collect(r, &b, 1, out);
  EXPECT_EQ(out, expected) << "byte by byte";
}

TEST(HdlcReceiver, WholeFrameInOneFeed) {
  std::uint8_t buffer[64];
  FrameReceiver r(buffer, sizeof buffer);
  FrameReceiver::Event event;
  ASSERT_EQ(r.feed(kAarq.data(), kAarq.size(), event), kAarq.size());
  ASSERT_EQ(event, FrameReceiver::Event::frame);
  const Frame& f = r.frame();
  EXPECT_EQ(f.destination.logical, 1);
  EXPECT_EQ(f.destination.physical, 17);
  EXPECT_EQ(f.destination.size, 2);
  EXPECT_EQ(f.source.logical, 16);
  EXPECT_EQ(f.source.size, 1);
  EXPECT_FALSE(f.segmented);
  EXPECT_EQ(Bytes(f.info, f.info + f.info_size), kAarqInfo);
  EXPECT_FALSE(r.partial());
}

TEST(HdlcReceiver, FrameCutAtEveryByteBoundary) {
  expect_events(kSnrm, {kSnrmReceived});
  expect_events(kAarq, {kAarqReceived});
}

TEST(HdlcReceiver, TwoFramesInOneFeed) {
  // Each with its own flags, then sharing one flag (closing the first, opening the second).
  expect_events(concat(kSnrm, kAarq), {kSnrmReceived, kAarqReceived});
  expect_events(concat(kSnrm, Bytes(kAarq.begin() + 1, kAarq.end())), {kSnrmReceived, kAarqReceived});
  // feed() stops right after the first frame's closing flag.
  const Bytes both = concat(kSnrm, kAarq);
  std::uint8_t buffer[64];
  FrameReceiver r(buffer, sizeof buffer);
  FrameReceiver::Event event;
  EXPECT_EQ(r.feed(both.data(), both.size(), event), kSnrm.size());
  EXPECT_EQ(event, FrameReceiver::Event::frame);
}

TEST(HdlcReceiver, GarbageBetweenFrames) {
  // Bytes without a flag, a flag followed by a wrong format type, a lone A0, flags.
  const Bytes garbage = hex("12 34 56 7E 55 A0 7E 7E A0 7E");
  expect_events(concat(concat(concat(garbage, kSnrm), garbage), kAarq), {kSnrmReceived, kAarqReceived});
}

TEST(HdlcReceiver, FrameInsideARejectedHeader) {
  // A0 20 opens a 32-byte candidate whose destination address (7E A0 08 02) has no
  // end bit: the candidate is rejected and the SNRM after its 7E is found, as is the
  // AARQ that shares the SNRM's closing flag.
  const Bytes wire = concat(concat(hex("7E A0 20"), kSnrm), Bytes(kAarq.begin() + 1, kAarq.end()));
  expect_events(wire, {kSnrmReceived, kAarqReceived});
  // A shorter candidate (length 10) whose rejection leaves part of the SNRM behind.
  expect_events(concat(hex("7E A0 0A"), kSnrm), {kSnrmReceived});
  // The bytes left over wait at the end of a buffer hardly larger than a header.
  expect_events(concat(concat(hex("7E A0 20"), kSnrm), kSnrm), {kSnrmReceived, kSnrmReceived}, kMaxHeaderSize + 1);
}

TEST(HdlcReceiver, BadHcsAndBadFcsAreDropped) {
  Bytes bad_hcs = kAarq;
  bad_hcs[7] ^= 0x01;
  expect_events(concat(bad_hcs, kSnrm), {kSnrmReceived});
  Bytes bad_fcs = kAarq;
  bad_fcs[bad_fcs.size() - 3] ^= 0x80;
  expect_events(concat(bad_fcs, kSnrm), {kSnrmReceived});
  // The closing flag of a frame with a bad FCS still opens the next frame.
  expect_events(concat(bad_fcs, Bytes(kSnrm.begin() + 1, kSnrm.end())), {kSnrmReceived});
  Bytes bad_info = kAarq;
  bad_info[20] ^= 0x04;
  expect_events(concat(bad_info, kAarq), {kAarqReceived});
}

TEST(HdlcReceiver, MissingClosingFlagDropsTheFrame) {
  Bytes unclosed = kAarq;
  unclosed.back() = 0x00;
  expect_events(concat(unclosed, kSnrm), {kSnrmReceived});
}

TEST(HdlcReceiver, OversizedFrameReportedByItsHeader) {
  // A 44-byte AARQ for a 20-byte buffer: reported once its header is checked.
  expect_events(concat(kAarq, kSnrm), {{true, 0x10, {}}, kSnrmReceived}, 20);
}

TEST(HdlcReceiver, ResetDropsAPartialFrame) {
  std::uint8_t buffer[64];
  FrameReceiver r(buffer, sizeof buffer);
  FrameReceiver::Event event;
  r.feed(kAarq.data(), 20, event);
  EXPECT_TRUE(r.partial());
  r.reset();
  EXPECT_FALSE(r.partial());
  std::vector<Received> out;
  collect(r, kAarq.data() + 20, kAarq.size() - 20, out);
  collect(r, kSnrm.data(), kSnrm.size(), out);
  EXPECT_EQ(out, std::vector<Received>{kSnrmReceived});
}

}  // namespace
