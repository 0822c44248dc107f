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
#include <metergen/axdr/axdr.hpp>
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
constexpr std::uint8_t kCompactClient = 17;  // the spec's association with compact_profiles
// Compact-array of structure {octet-string, unsigned, 6 x double-long-unsigned}:
// 13, then the TypeDescription 02 08 09 11 06 06 06 06 06 06.
const Bytes kCompactHead = hex("13 02 08 09 11 06 06 06 06 06 06");

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
  static Readout read(const LinkParameters& server, const LinkParameters& client, std::uint8_t client_sap = 16) {
    auto readout = std::make_unique<metergen::test::HdlcReadout>(days->meter, server, client, client_sap);
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

// The compact client reads the same buffer as a compact-array: 8,640 elements
// of 38 bytes (the clock's length 0C and 12 bytes, the status byte, 6 x 4
// bytes of energy, nothing metered: 0), 328,320 content bytes. With the 11
// bytes of tag and description and the content length (at most 5 bytes):
// 328,336 bytes at most, 325 blocks of 1,012 (324 x 1,012 = 327,888).
TEST_F(LongReadout, CompactArrayWithWindow7And2030ByteFields) {
  const Readout r =
      read(metergen::hdlc::link_limits(lr::model.hdlc), LinkParameters{2030, 2030, 7, 7}, kCompactClient);
  ASSERT_TRUE(r.ok);
  ASSERT_GE(r.data.size(), kCompactHead.size());
  EXPECT_EQ(Bytes(r.data.begin(), r.data.begin() + 11), kCompactHead);
  metergen::ByteReader whole(r.data.data(), r.data.size());
  metergen::axdr::CompactArray array{};
  ASSERT_TRUE(metergen::axdr::get_compact_array(whole, array));
  EXPECT_TRUE(whole.empty());
  EXPECT_EQ(array.element_count, kEntries);
  EXPECT_EQ(array.contents.remaining(), kEntries * 38u);
  const Bytes zero_energies(24, 0x00);
  const std::uint8_t* first = array.contents.current();
  const std::uint8_t* last = first + (kEntries - 1) * 38;
  EXPECT_EQ(Bytes(first, first + 13), hex("0C 07 EB 01 01 05 00 0F 00 00 00 00 00"));
  EXPECT_EQ(Bytes(first + 14, first + 38), zero_energies);
  EXPECT_EQ(Bytes(last, last + 13), hex("0C 07 EB 04 01 04 00 00 00 00 00 00 00"));
  EXPECT_EQ(Bytes(last + 14, last + 38), zero_energies);
  EXPECT_EQ(r.blocks, 325u);
  EXPECT_EQ(r.to_client.frames, 2u + 325u + 1u);
  EXPECT_EQ(r.to_server.frames, 3u + 324u + 1u);
}

// A meter with two entries: the compact-array's contents are the array's rows
// (01 02, then 02 08 and the tagged columns) with the structure header and the
// tag of each column dropped (an octet-string keeps its length), 2 x 38 = 76
// (4C) bytes.
TEST(LongReadoutCompact, RowsAreTheArrayRowsWithoutTags) {
  auto two = std::make_unique<metergen::test::MemoryHal>();
  auto meter = std::make_unique<metergen::dlms::Meter>(lr::model, *two);
  metergen::test::capture_periods(*meter, *two, kT0, kQuarter, 2);
  const LinkParameters link{128, 128, 1, 1};
  const Readout array = metergen::test::HdlcReadout(*meter, link, link).read(7, kLoadProfile, 2);
  const Readout compact = metergen::test::HdlcReadout(*meter, link, link, kCompactClient).read(7, kLoadProfile, 2);
  ASSERT_TRUE(array.ok);
  ASSERT_TRUE(compact.ok);
  ASSERT_EQ(array.data.size(), 2u + 2u * kEntrySize);
  ASSERT_EQ(Bytes(array.data.begin(), array.data.begin() + 2), hex("01 02"));
  Bytes expected = kCompactHead;
  expected.push_back(0x4C);
  for (std::size_t row = 0; row < 2; ++row) {
    const auto at = array.data.begin() + 2 + row * kEntrySize;
    ASSERT_EQ(Bytes(at, at + 4), hex("02 08 09 0C"));
    expected.insert(expected.end(), at + 3, at + 16);   // 0C and the 12 date-time bytes
    ASSERT_EQ(at[16], 0x11);                             // the status, unsigned
    expected.push_back(at[17]);
    for (std::size_t e = 0; e < 6; ++e) {
      ASSERT_EQ(at[18 + e * 5], 0x06);                   // an energy, double-long-unsigned
      expected.insert(expected.end(), at + 19 + e * 5, at + 23 + e * 5);
    }
  }
  EXPECT_EQ(compact.data, expected);
}

}  // namespace
