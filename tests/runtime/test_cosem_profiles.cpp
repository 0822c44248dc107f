// Profile generic (cosem/profiles.hpp) against clms100's tables, with an
// in-memory HAL whose NVM can be cut mid-write and a source of hand-built values.
// Expected bytes are laid out by hand from cosem-interface-classes.md §0.4/§5 and
// dlms-protocol.md §12–§14; the sources of each are noted beside them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include <metergen/cosem/profiles.hpp>
#include <metergen/storage/slot_ring.hpp>
#include <clms100/model.hpp>

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::cosem::AttributeSource;
using metergen::cosem::Profiles;
using metergen::cosem::Selection;
using metergen::dlms::ActionResult;
using metergen::dlms::DataAccessResult;
namespace clms = metergen::models::clms100;
using Bytes = std::vector<std::uint8_t>;

// clms100 profile indexes (generated/clms100/model.cpp kProfiles).
constexpr std::uint16_t kLoadProfile = 0;       // 13 columns, period 900 s
constexpr std::uint16_t kStandardLog = 4;       // clock + standard_event_log_code, 200 entries
constexpr std::uint16_t kTouLog = 5;            // clock + tou_event_log_code, 50 entries

class TestHal final : public metergen::hal::Hal {
 public:
  explicit TestHal(std::size_t size) : nvm(size, 0xFF) {}

  std::uint64_t utc_ms() override { return 0; }
  bool set_utc_ms(std::uint64_t) override { return true; }
  std::uint32_t ticks_ms() override { return 0; }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm.size()); }
  bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) override {
    if (offset + n > nvm.size()) return false;
    std::copy_n(nvm.begin() + offset, n, out);
    return true;
  }
  // With a write budget set, the write that exceeds it lands only partly and
  // every later write fails: a power cut in the middle of a write.
  bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) override {
    if (offset + n > nvm.size() || powered_off) return false;
    std::size_t n_landing = n;
    if (budget && *budget < n) {
      n_landing = *budget;
      powered_off = true;
    }
    std::copy_n(in, n_landing, nvm.begin() + offset);
    if (budget) *budget -= n_landing;
    return !powered_off;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::fill_n(out, n, 0x55); }
  std::size_t secret(std::uint8_t, metergen::hal::Secret, std::uint8_t*, std::size_t) override { return 0; }
  void log(const char*) override {}

  Bytes nvm;
  std::optional<std::size_t> budget;
  bool powered_off = false;
};

// Values by (object, attribute); an unknown one is unreadable.
class TestSource final : public AttributeSource {
 public:
  DataAccessResult read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) override {
    auto it = values.find({object, attribute});
    if (it == values.end()) return DataAccessResult::object_unavailable;
    out.bytes(it->second.data(), it->second.size());
    return DataAccessResult::success;
  }
  std::map<std::pair<std::uint16_t, std::int8_t>, Bytes> values;
};

// Clock attribute 2 as octet-string(12), dlms-protocol.md §14: year hi/lo,
// month, day, weekday, hour, minute, second, hundredths, deviation hi/lo, status.
// 2024-03-01 is a Friday (05); deviation FF C4 = -60 min (UTC+1).
Bytes clock_at(std::uint8_t hour, std::uint8_t minute) {
  return {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0x05, hour, minute, 0x00, 0x00, 0xFF, 0xC4, 0x00};
}
// long-unsigned (tag 12) event code.
Bytes code(std::uint8_t value) { return {0x12, 0x00, value}; }
// One event-log entry: structure of 2 (02 02) clock, code.
Bytes log_entry(std::uint8_t hour, std::uint8_t minute, std::uint8_t event) {
  Bytes e{0x02, 0x02};
  for (const Bytes& part : {clock_at(hour, minute), code(event)}) e.insert(e.end(), part.begin(), part.end());
  return e;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const Bytes& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

class ProfilesTest : public ::testing::Test {
 protected:
  static constexpr std::uint32_t kBase = 4096;  // buffers after some other module's record

  ProfilesTest() {
    reboot();
    EXPECT_LE(nvm_end, hal.nvm.size());
  }

  // A new engine over the same NVM bytes: what a power cycle leaves.
  void reboot() {
    profiles.emplace(clms::model, hal);
    metergen::storage::Allocator at(kBase, 0);
    profiles->place(at, hal.nvm_geometry());
    nvm_end = at.end();
    profiles->attach(source);
    profiles->boot();
  }
  std::uint32_t nvm_end = 0;
  void capture_event(std::uint16_t profile, std::uint16_t code_object, std::uint8_t hour, std::uint8_t minute,
                     std::uint8_t event) {
    source.values[{clms::objects::clock, 2}] = clock_at(hour, minute);
    source.values[{code_object, 2}] = code(event);
    ASSERT_EQ(profiles->capture(profile), ActionResult::success);
  }
  void capture_standard(std::uint8_t hour, std::uint8_t minute, std::uint8_t event) {
    capture_event(kStandardLog, clms::objects::standard_event_log_code, hour, minute, event);
  }
  Bytes get(std::uint16_t profile, std::int8_t attribute, const Selection* sel = nullptr,
            DataAccessResult expected = DataAccessResult::success) {
    Bytes out(64 * 1024);
    ByteWriter w(out.data(), out.size());
    EXPECT_EQ(profiles->get(profile, attribute, sel, w), expected);
    EXPECT_FALSE(w.overflow());
    out.resize(w.size());
    return out;
  }
  Bytes select(std::uint16_t profile, std::uint8_t selector, const Bytes& params,
               DataAccessResult expected = DataAccessResult::success) {
    Selection sel{selector, ByteReader(params.data(), params.size())};
    return get(profile, 2, &sel, expected);
  }

  TestHal hal{2u << 20};
  TestSource source;
  std::optional<Profiles> profiles;
};

// entry_descriptor (dlms-protocol.md §12): structure{from_entry dlu, to_entry dlu, from_col lu, to_col lu}.
Bytes by_entry(std::uint32_t from, std::uint32_t to, std::uint16_t from_col, std::uint16_t to_col) {
  return {0x02, 0x04, 0x06, std::uint8_t(from >> 24), std::uint8_t(from >> 16), std::uint8_t(from >> 8), std::uint8_t(from),
          0x06, std::uint8_t(to >> 24), std::uint8_t(to >> 16), std::uint8_t(to >> 8), std::uint8_t(to),
          0x12, std::uint8_t(from_col >> 8), std::uint8_t(from_col), 0x12, std::uint8_t(to_col >> 8), std::uint8_t(to_col)};
}

// Capture objects (cosem-interface-classes.md §0.4) of clms100's standard event
// log: clock 0.0.1.0.0.255 class 8 attr 2, and Data 0.0.96.11.1.255 class 1 attr 2.
const Bytes kClockColumn = {0x02, 0x04, 0x12, 0x00, 0x08, 0x09, 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x0F, 0x02, 0x12, 0x00, 0x00};
const Bytes kCodeColumn = {0x02, 0x04, 0x12, 0x00, 0x01, 0x09, 0x06, 0x00, 0x00, 0x60, 0x0B, 0x01, 0xFF, 0x0F, 0x02, 0x12, 0x00, 0x00};

// range_descriptor: structure of 4 (02 04), restricting object, from, to, selected_values.
Bytes by_range(const Bytes& from, const Bytes& to, std::initializer_list<Bytes> columns) {
  Bytes p = concat({{0x02, 0x04}, kClockColumn, from, to, {0x01, std::uint8_t(columns.size())}});
  for (const Bytes& c : columns) p.insert(p.end(), c.begin(), c.end());
  return p;
}

TEST_F(ProfilesTest, ThreeCapturesReadBackInFifoOrder) {
  capture_standard(10, 0x00, 1);
  capture_standard(10, 0x0F, 2);
  capture_standard(10, 0x1E, 3);
  // array of 3 (01 03), each structure{clock octet-string(12), long-unsigned code}.
  const Bytes expected = {
      0x01, 0x03,
      0x02, 0x02, 0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0x05, 0x0A, 0x00, 0x00, 0x00, 0xFF, 0xC4, 0x00, 0x12, 0x00, 0x01,
      0x02, 0x02, 0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0x05, 0x0A, 0x0F, 0x00, 0x00, 0xFF, 0xC4, 0x00, 0x12, 0x00, 0x02,
      0x02, 0x02, 0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0x05, 0x0A, 0x1E, 0x00, 0x00, 0xFF, 0xC4, 0x00, 0x12, 0x00, 0x03,
  };
  EXPECT_EQ(get(kStandardLog, 2), expected);
  EXPECT_EQ(profiles->entries_in_use(kStandardLog), 3u);
  EXPECT_EQ(get(kStandardLog, 7), (Bytes{0x06, 0x00, 0x00, 0x00, 0x03}));  // entries_in_use, double-long-unsigned
}

TEST_F(ProfilesTest, BlockWindowsConcatenateToTheWholeBuffer) {
  capture_standard(10, 0x00, 1);
  capture_standard(10, 0x0F, 2);
  const Bytes whole = get(kStandardLog, 2);
  Bytes joined;
  for (std::size_t skip = 0; skip < whole.size(); skip += 7) {
    std::uint8_t block[7];
    ByteWriter w(block, sizeof block, skip);
    ASSERT_EQ(profiles->get(kStandardLog, 2, nullptr, w), DataAccessResult::success);
    joined.insert(joined.end(), block, block + w.size());
  }
  EXPECT_EQ(joined, whole);
}

TEST_F(ProfilesTest, UnreadableCaptureObjectIsStoredAsNullData) {
  source.values[{clms::objects::clock, 2}] = clock_at(10, 0);
  ASSERT_EQ(profiles->capture(kStandardLog), ActionResult::success);
  // 01 01 array of 1; 02 02 structure; clock; 00 null-data for the missing code.
  EXPECT_EQ(get(kStandardLog, 2), concat({{0x01, 0x01, 0x02, 0x02}, clock_at(10, 0), {0x00}}));
}

TEST_F(ProfilesTest, WrapAroundKeepsTheNewestEntries) {
  // tou_event_log holds 50 entries; 53 captures drop the 3 oldest.
  for (std::uint8_t i = 0; i < 53; ++i)
    capture_event(kTouLog, clms::objects::tou_event_log_code, 10, i, i);
  EXPECT_EQ(profiles->entries_in_use(kTouLog), 50u);
  Bytes expected = {0x01, 0x32};  // array of 50
  for (std::uint8_t i = 3; i < 53; ++i) {
    const Bytes e = log_entry(10, i, i);
    expected.insert(expected.end(), e.begin(), e.end());
  }
  EXPECT_EQ(get(kTouLog, 2), expected);
  reboot();
  EXPECT_EQ(get(kTouLog, 2), expected);
}

TEST_F(ProfilesTest, ByEntryTwoToThreeWithColumnSelection) {
  capture_standard(10, 0x00, 1);
  capture_standard(10, 0x0F, 2);
  capture_standard(10, 0x1E, 3);
  capture_standard(10, 0x2D, 4);
  EXPECT_EQ(select(kStandardLog, 2, by_entry(2, 3, 1, 0)),
            concat({{0x01, 0x02}, log_entry(10, 0x0F, 2), log_entry(10, 0x1E, 3)}));
  // Column 2 only: each row is structure of 1 (02 01) holding the code.
  EXPECT_EQ(select(kStandardLog, 2, by_entry(2, 3, 2, 2)),
            (Bytes{0x01, 0x02, 0x02, 0x01, 0x12, 0x00, 0x02, 0x02, 0x01, 0x12, 0x00, 0x03}));
  // to_entry 0 = up to the last; from_entry past the end = no rows.
  EXPECT_EQ(select(kStandardLog, 2, by_entry(4, 0, 2, 2)), (Bytes{0x01, 0x01, 0x02, 0x01, 0x12, 0x00, 0x04}));
  EXPECT_EQ(select(kStandardLog, 2, by_entry(5, 0, 1, 0)), (Bytes{0x01, 0x00}));
  EXPECT_EQ(select(kStandardLog, 2, by_entry(3, 99, 1, 1)),
            concat({{0x01, 0x02, 0x02, 0x01}, clock_at(10, 0x1E), {0x02, 0x01}, clock_at(10, 0x2D)}));
}

TEST_F(ProfilesTest, ByRangeIncludesBothBoundsComparedAsInstants) {
  capture_standard(10, 0x00, 1);
  capture_standard(10, 0x0F, 2);
  capture_standard(10, 0x1E, 3);
  // From 09:15 UTC (deviation 0) = 10:15 UTC+1, the second entry; to 10:30 UTC+1, the third.
  const Bytes from = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x09, 0x0F, 0x00, 0xFF, 0x00, 0x00, 0x00};
  const Bytes to = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x0A, 0x1E, 0x00, 0xFF, 0xFF, 0xC4, 0x00};
  EXPECT_EQ(select(kStandardLog, 1, by_range(from, to, {})),
            concat({{0x01, 0x02}, log_entry(10, 0x0F, 2), log_entry(10, 0x1E, 3)}));
  // selected_values names the code column only.
  EXPECT_EQ(select(kStandardLog, 1, by_range(from, to, {kCodeColumn})),
            (Bytes{0x01, 0x02, 0x02, 0x01, 0x12, 0x00, 0x02, 0x02, 0x01, 0x12, 0x00, 0x03}));
  // One second before the first entry up to one second before the second: only the first.
  const Bytes before_first = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x09, 0x3B, 0x3B, 0xFF, 0xFF, 0xC4, 0x00};
  const Bytes before_second = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x0A, 0x0E, 0x3B, 0xFF, 0xFF, 0xC4, 0x00};
  EXPECT_EQ(select(kStandardLog, 1, by_range(before_first, before_second, {kClockColumn})),
            concat({{0x01, 0x01, 0x02, 0x01}, clock_at(10, 0x00)}));
}

TEST_F(ProfilesTest, ByRangeBoundsWithoutDeviationAreLocalTime) {
  // Entries at 10:00, 10:15, 10:30 local (deviation -60 = FFC4). Bounds 10:15 and 10:30
  // with deviation not specified (80 00) are the meter's local time: the second and third.
  capture_standard(10, 0x00, 1);
  capture_standard(10, 0x0F, 2);
  capture_standard(10, 0x1E, 3);
  const Bytes from = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x0A, 0x0F, 0x00, 0xFF, 0x80, 0x00, 0xFF};
  const Bytes to = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x0A, 0x1E, 0x00, 0xFF, 0x80, 0x00, 0xFF};
  EXPECT_EQ(select(kStandardLog, 1, by_range(from, to, {})),
            concat({{0x01, 0x02}, log_entry(10, 0x0F, 2), log_entry(10, 0x1E, 3)}));
  // A local lower bound with a UTC upper bound: from 10:15 local to 09:15 UTC (= 10:15 local).
  const Bytes to_utc = {0x09, 0x0C, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x09, 0x0F, 0x00, 0xFF, 0x00, 0x00, 0x00};
  EXPECT_EQ(select(kStandardLog, 1, by_range(from, to_utc, {})), concat({{0x01, 0x01}, log_entry(10, 0x0F, 2)}));
}

TEST_F(ProfilesTest, ByRangeWithTheStandardsRequestParameters) {
  // Parameters of the verified GET request in dlms-protocol.md §12 (dlms-cosem):
  // clock attribute 2 from 2018-06-01 00:03 UTC+2 to 2021-01-06 00:03 UTC+1, all columns.
  const Bytes params = {0x02, 0x04, 0x02, 0x04, 0x12, 0x00, 0x08, 0x09, 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF,
                        0x0F, 0x02, 0x12, 0x00, 0x00, 0x09, 0x0C, 0x07, 0xE2, 0x06, 0x01, 0xFF, 0x00, 0x03, 0x00,
                        0xFF, 0xFF, 0x88, 0x80, 0x09, 0x0C, 0x07, 0xE5, 0x01, 0x06, 0xFF, 0x00, 0x03, 0x00, 0xFF,
                        0xFF, 0xC4, 0x00, 0x01, 0x00};
  // 2018-05-31 22:02:59 UTC (out), 2018-05-31 22:03 UTC as 2018-06-01 00:03 UTC+2 (the lower bound),
  // 2021-01-05 23:03 UTC written as UTC (the upper bound), 2021-01-05 23:03:01 UTC (out).
  const Bytes dts[] = {
      {0x09, 0x0C, 0x07, 0xE2, 0x05, 0x1F, 0xFF, 0x16, 0x02, 0x3B, 0x00, 0x00, 0x00, 0x00},
      {0x09, 0x0C, 0x07, 0xE2, 0x06, 0x01, 0xFF, 0x00, 0x03, 0x00, 0x00, 0xFF, 0x88, 0x00},
      {0x09, 0x0C, 0x07, 0xE5, 0x01, 0x05, 0xFF, 0x17, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00},
      {0x09, 0x0C, 0x07, 0xE5, 0x01, 0x05, 0xFF, 0x17, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00},
  };
  for (std::uint8_t i = 0; i < 4; ++i) {
    source.values[{clms::objects::clock, 2}] = dts[i];
    source.values[{clms::objects::standard_event_log_code, 2}] = code(i);
    ASSERT_EQ(profiles->capture(kStandardLog), ActionResult::success);
  }
  EXPECT_EQ(select(kStandardLog, 1, params),
            concat({{0x01, 0x02, 0x02, 0x02}, dts[1], code(1), {0x02, 0x02}, dts[2], code(2)}));
}

TEST_F(ProfilesTest, ResetEmptiesAndSurvivesReboot) {
  capture_standard(10, 0, 1);
  capture_standard(10, 1, 2);
  ASSERT_EQ(profiles->reset(kStandardLog), ActionResult::success);
  EXPECT_EQ(get(kStandardLog, 2), (Bytes{0x01, 0x00}));
  EXPECT_EQ(profiles->entries_in_use(kStandardLog), 0u);
  reboot();
  EXPECT_EQ(get(kStandardLog, 2), (Bytes{0x01, 0x00}));
  capture_standard(10, 2, 3);
  EXPECT_EQ(get(kStandardLog, 2), concat({{0x01, 0x01}, log_entry(10, 2, 3)}));
}

TEST_F(ProfilesTest, RebootKeepsEntries) {
  capture_standard(10, 0, 1);
  capture_standard(10, 1, 2);
  capture_standard(10, 2, 3);
  const Bytes before = get(kStandardLog, 2);
  reboot();
  EXPECT_EQ(get(kStandardLog, 2), before);
  EXPECT_EQ(profiles->entries_in_use(kStandardLog), 3u);
  capture_standard(10, 3, 4);
  EXPECT_EQ(get(kStandardLog, 2), concat({{0x01, 0x04}, log_entry(10, 0, 1), log_entry(10, 1, 2),
                                          log_entry(10, 2, 3), log_entry(10, 3, 4)}));
}

TEST_F(ProfilesTest, ErasedOrForeignNvmBootsEmpty) {
  std::fill(hal.nvm.begin(), hal.nvm.end(), 0x00);
  reboot();
  EXPECT_EQ(get(kStandardLog, 2), (Bytes{0x01, 0x00}));
  EXPECT_EQ(get(kLoadProfile, 4), (Bytes{0x06, 0x00, 0x00, 0x03, 0x84}));  // table period 900
}

// A power cut at every byte of a capture (slot, then header) leaves either the
// old or the new buffer, and the ring keeps working after the reboot; both with
// free slots left and with a full ring that drops its oldest entry.
TEST_F(ProfilesTest, TornWriteAtEveryByteLeavesOldOrNewBuffer) {
  for (std::uint8_t already : {std::uint8_t{2}, std::uint8_t{50}}) {
    const Bytes pristine = hal.nvm;
    for (std::size_t cut = 0;; ++cut) {
      hal.nvm = pristine;
      hal.budget.reset();
      hal.powered_off = false;
      reboot();
      for (std::uint8_t i = 0; i < already; ++i) capture_event(kTouLog, clms::objects::tou_event_log_code, 9, i, i);
      const Bytes old_buffer = get(kTouLog, 2);

      hal.budget = cut;
      source.values[{clms::objects::clock, 2}] = clock_at(11, 0);
      source.values[{clms::objects::tou_event_log_code, 2}] = code(99);
      const bool landed = profiles->capture(kTouLog) == ActionResult::success;
      const Bytes new_expected = [&] {
        Bytes b = {0x01, std::uint8_t(std::min<int>(already + 1, 50))};
        for (std::uint8_t i = already + 1 > 50 ? 1 : 0; i < already; ++i) {
          const Bytes e = log_entry(9, i, i);
          b.insert(b.end(), e.begin(), e.end());
        }
        const Bytes e = log_entry(11, 0, 99);
        b.insert(b.end(), e.begin(), e.end());
        return b;
      }();

      hal.budget.reset();
      hal.powered_off = false;
      reboot();
      const Bytes after = get(kTouLog, 2);
      ASSERT_TRUE(after == old_buffer || after == new_expected) << "cut after " << cut << " bytes";
      if (landed) {
        EXPECT_EQ(after, new_expected);
        break;
      }
      // Still usable: the next capture appends after whichever state survived.
      capture_event(kTouLog, clms::objects::tou_event_log_code, 12, 0, 100);
      const Bytes appended = get(kTouLog, 2);
      EXPECT_EQ(Bytes(appended.end() - 19, appended.end()), log_entry(12, 0, 100));
      ASSERT_LT(cut, 200u);
    }
  }
}

TEST_F(ProfilesTest, FailedNvmWriteIsAHardwareFault) {
  hal.budget = 0;
  source.values[{clms::objects::clock, 2}] = clock_at(10, 0);
  EXPECT_EQ(profiles->capture(kStandardLog), ActionResult::hardware_fault);
  EXPECT_EQ(profiles->reset(kStandardLog), ActionResult::hardware_fault);
  EXPECT_EQ(profiles->entries_in_use(kStandardLog), 0u);
}

TEST_F(ProfilesTest, ScalarAttributes) {
  // logical_name 0.0.99.98.1.255 (octet-string 6).
  EXPECT_EQ(get(kStandardLog, 1), (Bytes{0x09, 0x06, 0x00, 0x00, 0x63, 0x62, 0x01, 0xFF}));
  // capture_objects: array of 2 capture-object structures.
  EXPECT_EQ(get(kStandardLog, 3), concat({{0x01, 0x02}, kClockColumn, kCodeColumn}));
  EXPECT_EQ(get(kLoadProfile, 4), (Bytes{0x06, 0x00, 0x00, 0x03, 0x84}));  // 900 s
  EXPECT_EQ(get(kStandardLog, 4), (Bytes{0x06, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(get(kStandardLog, 5), (Bytes{0x16, 0x01}));  // enum FIFO
  // sort_object: empty capture object, class 0, LN 0.0.0.0.0.0, attribute 0, data index 0.
  EXPECT_EQ(get(kStandardLog, 6), (Bytes{0x02, 0x04, 0x12, 0x00, 0x00, 0x09, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         0x00, 0x0F, 0x00, 0x12, 0x00, 0x00}));
  EXPECT_EQ(get(kStandardLog, 8), (Bytes{0x06, 0x00, 0x00, 0x00, 0xC8}));  // 200 entries
  get(kStandardLog, 9, nullptr, DataAccessResult::object_undefined);
  get(clms::model.profile_count, 2, nullptr, DataAccessResult::object_undefined);
}

TEST_F(ProfilesTest, CapturePeriodIsWritableAndPersisted) {
  const Bytes period = {0x06, 0x00, 0x00, 0x07, 0x08};  // 1800 s
  EXPECT_EQ(profiles->set(kLoadProfile, 4, ByteReader(period.data(), period.size())), DataAccessResult::success);
  reboot();
  EXPECT_EQ(get(kLoadProfile, 4), period);
  const Bytes wrong_type = {0x12, 0x07, 0x08};
  EXPECT_EQ(profiles->set(kLoadProfile, 4, ByteReader(wrong_type.data(), wrong_type.size())),
            DataAccessResult::type_unmatched);
  const Bytes trailing = {0x06, 0x00, 0x00, 0x07, 0x08, 0x00};
  EXPECT_EQ(profiles->set(kLoadProfile, 4, ByteReader(trailing.data(), trailing.size())),
            DataAccessResult::type_unmatched);
  EXPECT_EQ(profiles->set(kLoadProfile, 8, ByteReader(period.data(), period.size())),
            DataAccessResult::read_write_denied);
}

TEST_F(ProfilesTest, TickCapturesAtMultiplesOfThePeriod) {
  // Load profile, period 900 s; unreadable columns become null-data.
  constexpr std::uint64_t kQuarter = 900'000;
  const std::uint64_t t0 = 1'709'280'000'000;  // 2024-03-01 08:00 UTC, a multiple of 900 s
  profiles->tick(t0 + 5'000);                  // first tick after boot only notes the interval
  profiles->tick(t0 + kQuarter - 1);
  EXPECT_EQ(profiles->entries_in_use(kLoadProfile), 0u);
  profiles->tick(t0 + kQuarter);
  profiles->tick(t0 + kQuarter + 1'000);
  EXPECT_EQ(profiles->entries_in_use(kLoadProfile), 1u);
  profiles->tick(t0 + 3 * kQuarter + 10);  // two boundaries at once: one capture
  EXPECT_EQ(profiles->entries_in_use(kLoadProfile), 2u);
  EXPECT_EQ(profiles->entries_in_use(kStandardLog), 0u);  // period 0: captured on trigger only
  // Entry: structure of 13 (02 0D) null-data columns.
  const Bytes row = {0x02, 0x0D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(select(kLoadProfile, 2, by_entry(1, 1, 1, 0)), concat({{0x01, 0x01}, row}));
}

TEST_F(ProfilesTest, MalformedSelectiveAccessIsRejected) {
  capture_standard(10, 0, 1);
  capture_standard(10, 1, 2);
  const Bytes dt = clock_at(10, 0);
  // Unsupported selector.
  select(kStandardLog, 3, by_entry(1, 0, 1, 0), DataAccessResult::other_reason);
  // Selection on an attribute other than the buffer.
  Selection sel{2, ByteReader()};
  get(kStandardLog, 3, &sel, DataAccessResult::other_reason);
  // entry_descriptor: truncated, wrong tag, trailing byte, structure of 3.
  Bytes truncated = by_entry(1, 2, 1, 0);
  truncated.pop_back();
  select(kStandardLog, 2, truncated, DataAccessResult::type_unmatched);
  Bytes wrong_tag = by_entry(1, 2, 1, 0);
  wrong_tag[2] = 0x05;  // double-long instead of double-long-unsigned
  select(kStandardLog, 2, wrong_tag, DataAccessResult::type_unmatched);
  Bytes trailing = by_entry(1, 2, 1, 0);
  trailing.push_back(0x00);
  select(kStandardLog, 2, trailing, DataAccessResult::type_unmatched);
  Bytes three = by_entry(1, 2, 1, 0);
  three[1] = 0x03;
  select(kStandardLog, 2, three, DataAccessResult::type_unmatched);
  select(kStandardLog, 2, {}, DataAccessResult::type_unmatched);
  // entry_descriptor values: entry 0, to < from, column 0, column past the last, from column > to column.
  select(kStandardLog, 2, by_entry(0, 2, 1, 0), DataAccessResult::other_reason);
  select(kStandardLog, 2, by_entry(3, 2, 1, 0), DataAccessResult::other_reason);
  select(kStandardLog, 2, by_entry(1, 2, 0, 0), DataAccessResult::other_reason);
  select(kStandardLog, 2, by_entry(1, 2, 1, 3), DataAccessResult::other_reason);
  select(kStandardLog, 2, by_entry(1, 2, 2, 1), DataAccessResult::other_reason);
  // range_descriptor: restricting object not captured, bad date-times, unknown selected column.
  Bytes foreign = by_range(dt, dt, {});
  foreign[11] = 0x02;  // restricting LN 0.0.2.0.0.255
  select(kStandardLog, 1, foreign, DataAccessResult::other_reason);
  const Bytes short_dt = {0x09, 0x0B, 0x07, 0xE8, 0x03, 0x01, 0xFF, 0x0A, 0x00, 0x00, 0xFF, 0xFF, 0xC4};
  select(kStandardLog, 1, by_range(short_dt, dt, {}), DataAccessResult::type_unmatched);
  const Bytes no_year = {0x09, 0x0C, 0xFF, 0xFF, 0x03, 0x01, 0xFF, 0x0A, 0x00, 0x00, 0xFF, 0xFF, 0xC4, 0x00};
  select(kStandardLog, 1, by_range(no_year, dt, {}), DataAccessResult::other_reason);
  Bytes unknown_column = kCodeColumn;
  unknown_column[14] = 0x03;  // attribute 3
  select(kStandardLog, 1, by_range(dt, dt, {unknown_column}), DataAccessResult::other_reason);
  Bytes overlong = by_range(dt, dt, {});
  overlong.back() = 0x7F;  // 127 selected values announced, none present
  select(kStandardLog, 1, overlong, DataAccessResult::type_unmatched);
}

// Every truncation and every single-byte change of valid parameters yields a
// result code, never a crash or an out-of-bounds read (the fuzz harness's job in small).
TEST_F(ProfilesTest, MutatedParametersNeverMisbehave) {
  capture_standard(10, 0, 1);
  const Bytes valid[] = {by_entry(1, 0, 1, 0), by_range(clock_at(9, 0), clock_at(11, 0), {kCodeColumn, kClockColumn})};
  for (std::uint8_t selector : {std::uint8_t{2}, std::uint8_t{1}}) {
    const Bytes& base = valid[selector == 1];
    for (std::size_t n = 0; n <= base.size(); ++n) {
      const Bytes cut(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(n));
      Selection sel{selector, ByteReader(cut.data(), cut.size())};
      std::uint8_t out[256];
      ByteWriter w(out, sizeof out);
      const DataAccessResult r = profiles->get(kStandardLog, 2, &sel, w);
      EXPECT_TRUE(n == base.size() ? r == DataAccessResult::success : r == DataAccessResult::type_unmatched) << n;
    }
    for (std::size_t at = 0; at < base.size(); ++at) {
      for (int v = 0; v < 256; v += 17) {
        Bytes m = base;
        m[at] = static_cast<std::uint8_t>(v);
        Selection sel{selector, ByteReader(m.data(), m.size())};
        std::uint8_t out[256];
        ByteWriter w(out, sizeof out);
        const DataAccessResult r = profiles->get(kStandardLog, 2, &sel, w);
        EXPECT_TRUE(r == DataAccessResult::success || r == DataAccessResult::type_unmatched ||
                    r == DataAccessResult::other_reason);
      }
    }
  }
}

}  // namespace
