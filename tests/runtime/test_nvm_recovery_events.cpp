// Recoveries at boot are NVM errors: a record restored from an older copy or
// started from defaults over bytes that were there (damaged, another model's)
// raises the spec's nvm_error event (DTSD545: code 9 in the standard event
// log); a plain restart and a new meter's blank NVM raise nothing.
#include <gtest/gtest.h>

#include <algorithm>

#include <dtsd545/model.hpp>

#include "time_engine_support.hpp"

namespace {

using metergen::test::column_integer;
using metergen::test::TimedMeter;
namespace dt = metergen::models::dtsd545;

constexpr std::int64_t kStart = 1772445600;  // 2026-03-02 10:00:00 UTC

long nvm_errors(TimedMeter& m) {
  long n = 0;
  for (const auto& row : m.entries(dt::objects::standard_event_log)) n += column_integer(row[1]) == 9;
  return n;
}

TEST(NvmRecoveryEvents, APlainRestartIsNoNvmError) {
  TimedMeter m(dt::model, kStart);
  m.run(metergen::test::balanced(3, 230, 10), 60);
  m.power_cut(10);
  m.run(metergen::test::balanced(3, 230, 10), 5);
  EXPECT_EQ(nvm_errors(m), 0);
}

TEST(NvmRecoveryEvents, ADamagedRecordIsAnNvmErrorAtBoot) {
  TimedMeter m(dt::model, kStart);
  m.run(metergen::test::balanced(3, 230, 10), 60);
  // Every copy of the frame counters record damaged past its sequence (two
  // slots on rewritable memory): no valid copy, and the ring is not blank.
  const auto& counters = m.meter().counters();
  const std::uint32_t slot = counters.record_bytes() / 2;
  for (std::uint32_t s = 0; s < 2; ++s)
    for (std::uint32_t i = 4; i < slot; ++i) m.hal.memory.nvm[counters.record_base() + s * slot + i] ^= 0x21;
  m.power_cut(10);
  m.run(metergen::test::balanced(3, 230, 10), 5);
  EXPECT_EQ(nvm_errors(m), 1);
  EXPECT_TRUE(std::any_of(m.hal.memory.logs.begin(), m.hal.memory.logs.end(),
                          [](const std::string& l) { return l.find("frame counters record has no valid copy") != std::string::npos; }));
  // Formatted once: the next restart is plain again.
  m.power_cut(10);
  m.run(metergen::test::balanced(3, 230, 10), 5);
  EXPECT_EQ(nvm_errors(m), 1);
}

TEST(NvmRecoveryEvents, ATornNewerCopyIsAnNvmErrorOnce) {
  TimedMeter m(dt::model, kStart);
  m.run(metergen::test::balanced(3, 230, 10), 60);
  // The frame counters record has two slots on rewritable memory, each
  // sequence (be32) | header | body | CRC; with no ciphered traffic only
  // sequence 1 (slot 1) was written. During an outage, slot 0 gets what a
  // write of sequence 2 cut after its first half leaves: a newer claim whose
  // CRC does not check out.
  const std::uint32_t base = m.meter().counters().record_base();
  const std::uint32_t slot = m.meter().counters().record_bytes() / 2;
  auto& nvm = m.hal.memory.nvm;
  m.power_cut(10, [&] {
    ASSERT_EQ(nvm[base + slot + 3], 1);
    std::copy_n(nvm.begin() + base + slot, slot / 2, nvm.begin() + base);
    nvm[base + 3] = 2;
  });
  m.run(metergen::test::balanced(3, 230, 10), 5);
  EXPECT_EQ(nvm_errors(m), 1);
  EXPECT_TRUE(std::any_of(m.hal.memory.logs.begin(), m.hal.memory.logs.end(), [](const std::string& l) {
    return l.find("frame counters record had a damaged newer copy") != std::string::npos;
  }));
  // Reported at that boot only: the restored copy was written again over it.
  m.power_cut(10);
  m.run(metergen::test::balanced(3, 230, 10), 5);
  m.power_cut(10);
  m.run(metergen::test::balanced(3, 230, 10), 5);
  EXPECT_EQ(nvm_errors(m), 1);
}

}  // namespace
