// A 90-day load profile (15-minute period, 8,640 entries) read over HDLC in one
// process (tests/support/long_readout.hpp), with the link limits of the model's
// IEC HDLC setup object and with today's 128-byte window-1 link. The spec is
// bench/specs/long-readout.yaml: entries of 48 bytes (structure of 8: clock
// date-time 14, profile status 2, six double-long-unsigned energies 5 each).
// Frame counts are worked out by hand from the block and frame sizes below.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include <hxf300-eu/model.hpp>
#include <long-readout/model.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/hdlc/model_link.hpp>

#include "../support/long_readout.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::hdlc::LinkParameters;
using metergen::test::hex;
using metergen::test::Readout;
using Bytes = std::vector<std::uint8_t>;
namespace lr = metergen::models::long_readout;

constexpr std::uint64_t kT0 = 1'798'761'600'000;  // 2027-01-01T00:00:00Z, a Friday
constexpr std::uint64_t kQuarter = 900'000;
constexpr std::uint32_t kEntries = 8640;  // 90 days x 96
constexpr std::size_t kEntrySize = 48;
constexpr std::uint8_t kLoadProfile[6] = {1, 0, 99, 1, 0, 255};

// The meter after 90 days of quarter-hour captures.
struct NinetyDays {
  metergen::test::MemoryHal hal;
  metergen::dlms::Meter meter{lr::model, hal};
  NinetyDays() { metergen::test::capture_periods(meter, hal, kT0, kQuarter, kEntries); }
};

class LongReadout : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { days = new NinetyDays(); }
  static void TearDownTestSuite() {
    delete days;
    days = nullptr;
  }
  static Readout read(const LinkParameters& server, const LinkParameters& client) {
    auto readout = std::make_unique<metergen::test::HdlcReadout>(days->meter, server, client);
    return readout->read(7, kLoadProfile, 2);
  }
  // The whole buffer: array of 8,640 (01 82 21 C0), first entry captured at
  // 2027-01-01 00:15:00 (Friday), last at 2027-04-01 00:00:00 (Thursday),
  // deviation 0 (the spec's time zone), clock status 0.
  static void expect_buffer(const Readout& r) {
    ASSERT_TRUE(r.ok);
    ASSERT_EQ(r.data.size(), 4 + kEntries * kEntrySize);
    EXPECT_EQ(Bytes(r.data.begin(), r.data.begin() + 4), hex("01 82 21 C0"));
    const Bytes first_clock = hex("02 08 09 0C 07 EB 01 01 05 00 0F 00 00 00 00 00");
    const Bytes last_clock = hex("02 08 09 0C 07 EB 04 01 04 00 00 00 00 00 00 00");
    const auto first = r.data.begin() + 4;
    const auto last = r.data.end() - kEntrySize;
    EXPECT_EQ(Bytes(first, first + 16), first_clock);
    EXPECT_EQ(Bytes(last, last + 16), last_clock);
    for (std::uint32_t i = 0; i < kEntries; ++i)
      ASSERT_EQ(r.data[4 + i * kEntrySize], 0x02) << "entry " << i;
  }

  static NinetyDays* days;
};

NinetyDays* LongReadout::days = nullptr;

TEST(HdlcLinkDef, LimitsComeFromTheFirstHdlcSetupObject) {
  const auto& d = lr::model.hdlc;
  EXPECT_EQ(d.max_info_transmit, 2030);
  EXPECT_EQ(d.max_info_receive, 2030);
  EXPECT_EQ(d.window_transmit, 7);
  EXPECT_EQ(d.window_receive, 7);
  EXPECT_EQ(d.device_address, 17);
  EXPECT_EQ(d.frame_size, 2030 + 17);  // info field and the largest frame overhead
}

// hxf300-eu's two IEC HDLC setup objects leave the link attributes out: the
// IEC 62056-46 defaults, and a frame buffer for 128 bytes only.
TEST(HdlcLinkDef, ModelWithoutLinkValuesKeepsTheDefaults) {
  const auto& d = metergen::models::hxf300_eu::model.hdlc;
  EXPECT_EQ(d.max_info_transmit, 128);
  EXPECT_EQ(d.max_info_receive, 128);
  EXPECT_EQ(d.window_transmit, 1);
  EXPECT_EQ(d.window_receive, 1);
  EXPECT_EQ(d.device_address, 17);
  EXPECT_EQ(d.frame_size, 128 + 17);
}

// Window 7, 2,030-byte fields (the model's setup object; the client proposes
// the same). Blocks are limited by the server's PDU of 1,024: 12 bytes of
// header and 1,012 of raw data, so 414,724 bytes take 410 blocks, each one
// frame. Server: UA, AARE, 410 blocks, UA to DISC; client: SNRM, AARQ, GET,
// 409 GET-next, DISC. No RR: no reply is segmented.
TEST_F(LongReadout, Window7And2030ByteFields) {
  const Readout r = read(metergen::hdlc::link_limits(lr::model.hdlc), LinkParameters{2030, 2030, 7, 7});
  expect_buffer(r);
  EXPECT_EQ(r.blocks, 410u);
  EXPECT_EQ(r.to_client.frames, 413u);
  EXPECT_EQ(r.to_server.frames, 413u);
}

// Window 1, 128-byte fields (the defaults). Blocks fill whole frames: LLC 3 +
// APDU 1,021 = 8 x 128, so 1,009 raw bytes a block: 411 full blocks and a last
// one of 25 bytes (414,724 - 411 x 1,009), in one frame. Server: UA, AARE,
// 411 x 8 + 1 block frames, UA; client: SNRM, AARQ, GET, 411 GET-next, DISC and
// an RR after each of the 7 segmented frames of a full block.
TEST_F(LongReadout, Window1And128ByteFields) {
  const Readout r = read(LinkParameters{128, 128, 1, 1}, LinkParameters{128, 128, 1, 1});
  expect_buffer(r);
  EXPECT_EQ(r.blocks, 412u);
  EXPECT_EQ(r.to_client.frames, 2u + 411u * 8u + 1u + 1u);
  EXPECT_EQ(r.to_server.frames, 3u + 411u + 1u + 411u * 7u);
}

// Window 7, 128-byte fields: the same blocks and server frames as window 1,
// but one RR per full block (after its 7th frame) instead of seven.
TEST_F(LongReadout, Window7And128ByteFields) {
  const Readout r = read(LinkParameters{128, 128, 7, 7}, LinkParameters{128, 128, 7, 7});
  expect_buffer(r);
  EXPECT_EQ(r.blocks, 412u);
  EXPECT_EQ(r.to_client.frames, 2u + 411u * 8u + 1u + 1u);
  EXPECT_EQ(r.to_server.frames, 3u + 411u + 1u + 411u);
}

}  // namespace
