// The alarm descriptor (role alarm_descriptor, docs/events.md *What an event
// does*, item 4) over simulated time (tests/runtime/specs/alarms.yaml): the
// meter cover's opening raises alarm bit 5, the terminal cover's bit 2, and
// the alarm filter (default 4) lets only bit 2 into the alarm register. The
// descriptor keeps every alarm, filtered or not, until a client writes the
// bits to clear; it survives a power cut. Expected values worked out by hand
// from the spec and that rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <alarms-test/model.hpp>
#include <metergen/dlms/server.hpp>

#include "hex_bytes.hpp"
#include "time_engine_support.hpp"

namespace {

using metergen::ByteWriter;
using metergen::dlms::DataAccessResult;
using metergen::test::Bytes;
using metergen::test::column_integer;
using metergen::test::hex;
using metergen::test::TimedMeter;
namespace al = metergen::models::alarms_test;
namespace obj = al::objects;

constexpr std::int64_t kStart = 1772445600;  // 2026-03-02 10:00:00 UTC

constexpr std::uint8_t kMeterCover = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
constexpr std::uint8_t kTerminalCover = metergen::hal::input_bit(metergen::hal::Input::terminal_cover_open);

metergen::metrology::Readings normal() { return metergen::test::balanced(1, 230, 5); }

std::vector<std::int64_t> codes(TimedMeter& m) {
  std::vector<std::int64_t> out;
  for (const auto& row : m.entries(obj::fraud_log)) out.push_back(column_integer(row[1]));
  return out;
}

Bytes dlu(std::uint32_t v) {
  return {0x06, static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v)};
}

// The meter cover opens (bit 5, filtered out), then the terminal cover (bit 2, let through).
void open_both_covers(TimedMeter& m) {
  m.run(normal(), 1);
  m.hal.inputs = kMeterCover;
  m.run(normal(), 1);
  m.hal.inputs = kMeterCover | kTerminalCover;
  m.run(normal(), 1);
}

TEST(AlarmDescriptor, AnAlarmTheFilterBlocksSetsTheDescriptorButNotTheRegister) {
  TimedMeter m(al::model, kStart);
  EXPECT_EQ(m.integer(obj::alarm_filter), 4);
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 0);
  m.run(normal(), 1);
  m.hal.inputs = kMeterCover;
  m.run(normal(), 1);
  EXPECT_THAT(codes(m), ::testing::ElementsAre(1));  // logged all the same
  EXPECT_EQ(m.integer(obj::alarm_register), 0);       // bit 5 filtered out
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 32);    // bit 5
  EXPECT_TRUE(m.hal.memory.push_opened.empty());      // nor pushed
  m.hal.inputs = kMeterCover | kTerminalCover;
  m.run(normal(), 1);
  EXPECT_THAT(codes(m), ::testing::ElementsAre(1, 3));
  EXPECT_EQ(m.integer(obj::alarm_register), 4);       // bit 2 passes
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 36);    // bits 5 and 2
  EXPECT_EQ(m.hal.memory.push_opened.size(), 1u);     // the register's new bit is pushed
}

TEST(AlarmDescriptor, AClientWriteClearsTheBitsItSetsAndABadValueChangesNothing) {
  TimedMeter m(al::model, kStart);
  open_both_covers(m);
  ASSERT_EQ(m.integer(obj::alarm_descriptor), 36);
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, dlu(32)), DataAccessResult::success);  // clear bit 5
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 4);
  EXPECT_EQ(m.integer(obj::alarm_register), 4);  // the register is not the descriptor
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, dlu(0)), DataAccessResult::success);  // clears nothing
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 4);
  // long-unsigned, double-long, a value cut short, one byte too many: type-unmatched, nothing changes.
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, {0x12, 0x00, 0x04}), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, {0x05, 0x00, 0x00, 0x00, 0x04}), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, {0x06, 0x00, 0x00, 0x04}), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, {0x06, 0x00, 0x00, 0x00, 0x04, 0x00}), DataAccessResult::type_unmatched);
  EXPECT_EQ(m.value(obj::alarm_descriptor), dlu(4));
  // The meter cover closes and opens again: bit 5 again, still only in the descriptor.
  m.hal.inputs = kTerminalCover;
  m.run(normal(), 1);
  m.hal.inputs = kMeterCover | kTerminalCover;
  m.run(normal(), 1);
  EXPECT_THAT(codes(m), ::testing::ElementsAre(1, 3, 2, 1));
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 36);
  EXPECT_EQ(m.integer(obj::alarm_register), 4);
  EXPECT_EQ(m.set(obj::alarm_descriptor, 2, dlu(0xFFFFFFFF)), DataAccessResult::success);  // every bit
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 0);
}

TEST(AlarmDescriptor, TheDescriptorSurvivesAPowerCut) {
  TimedMeter m(al::model, kStart);
  open_both_covers(m);
  m.power_cut(60);  // the covers stay open: nothing new at power-up
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 36);
  EXPECT_EQ(m.integer(obj::alarm_register), 4);
  ASSERT_EQ(m.set(obj::alarm_descriptor, 2, dlu(32)), DataAccessResult::success);
  m.power_cut(60);
  EXPECT_EQ(m.integer(obj::alarm_descriptor), 4);  // the client's clearing was kept
  EXPECT_THAT(codes(m), ::testing::ElementsAre(1, 3));
}

// The same over the meter's DLMS server: an LLS login (management, SAP 1),
// GET and SET of 0-0:97.98.20.255 attribute 2 as a client sends them.
TEST(AlarmDescriptor, ReadAndClearedOverDlms) {
  TimedMeter m(al::model, kStart);
  metergen::dlms::Connection connection(m.meter());
  auto exchange = [&](Bytes request) {
    Bytes out(512);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection.on_apdu(1, 1, request, w));
    out.resize(w.size());
    return out;
  };
  Bytes aarq = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08"
                   "31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  const Bytes aare = exchange(aarq);
  ASSERT_GE(aare.size(), 18u);
  ASSERT_EQ(Bytes(aare.begin() + 15, aare.begin() + 18), hex("02 01 00"));  // accepted
  m.hal.inputs = kMeterCover;
  m.run(normal(), 1);
  // GET-Request-Normal, Data 0-0:97.98.20.255 attribute 2 / the alarm register 0-0:97.98.0.255.
  EXPECT_EQ(exchange(hex("C0 01 C1 00 01 00 00 61 62 14 FF 02 00")), hex("C4 01 C1 00 06 00 00 00 20"));
  EXPECT_EQ(exchange(hex("C0 01 C1 00 01 00 00 61 62 00 FF 02 00")), hex("C4 01 C1 00 06 00 00 00 00"));
  // SET-Request-Normal with a long-unsigned: type-unmatched (12).
  EXPECT_EQ(exchange(hex("C1 01 C1 00 01 00 00 61 62 14 FF 02 00 12 00 20")), hex("C5 01 C1 0C"));
  EXPECT_EQ(exchange(hex("C0 01 C1 00 01 00 00 61 62 14 FF 02 00")), hex("C4 01 C1 00 06 00 00 00 20"));
  // Writing bit 5 back clears it.
  EXPECT_EQ(exchange(hex("C1 01 C1 00 01 00 00 61 62 14 FF 02 00 06 00 00 00 20")), hex("C5 01 C1 00"));
  EXPECT_EQ(exchange(hex("C0 01 C1 00 01 00 00 61 62 14 FF 02 00")), hex("C4 01 C1 00 06 00 00 00 00"));
}

}  // namespace
