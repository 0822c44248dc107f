// Acknowledged means kept: a SET or ACTION whose change cannot be written
// (the metering test HAL's writes_left at 0: the NVM and the clock refuse
// every write) answers hardware-fault, and the meter's RAM does not claim the
// new value; once writes succeed again the same request is kept across a restart.
#include <gtest/gtest.h>

#include <vector>

#include <clms100/model.hpp>
#include <metergen/dlms/server.hpp>

#include "hex_bytes.hpp"
#include "metering_test_hal.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;
namespace clms = metergen::models::clms100;

// Utility client (SAP 1), LLS (its fallback) in the plain LN context.
const Bytes kUtilityLls = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
                              " AC 0A 80 08 31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
// Clock (class 8, 0.0.1.0.0.255).
const Bytes kSetTime = hex("C1 01 C1 00 08 00 00 01 00 00 FF 02 00 09 0C 07 EA 01 01 FF 0C 00 00 00 80 00 00");
const Bytes kSetTimeZone = hex("C1 01 C1 00 08 00 00 01 00 00 FF 03 00 10 00 B4");  // time zone 180 min
const Bytes kGetTimeZone = hex("C0 01 C1 00 08 00 00 01 00 00 FF 03 00");
const Bytes kShiftTime = hex("C3 01 C1 00 08 00 00 01 00 00 FF 06 01 10 00 3C");  // shift_time +60 s
// Under-voltage threshold (register, 1.0.12.31.0.255) attribute 2.
const Bytes kSetThreshold = hex("C1 01 C1 00 03 01 00 0C 1F 00 FF 02 00 12 4E 20");  // 20000
const Bytes kGetThreshold = hex("C0 01 C1 00 03 01 00 0C 1F 00 FF 02 00");

struct Device {
  explicit Device(metergen::test::MeteringHal& hal) : meter(clms::model, hal), connection(meter) {
    meter.boot();
    const Bytes aare = request(kUtilityLls);
    EXPECT_TRUE(aare.size() >= 18 && Bytes(aare.begin() + 15, aare.begin() + 18) == hex("02 01 00"));
  }
  Bytes request(Bytes apdu) {
    Bytes out(2048);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection.on_apdu(1, 1, apdu, w));
    out.resize(w.size());
    return out;
  }
  metergen::dlms::Meter meter;
  metergen::dlms::Connection connection;
};

const Bytes kHardwareFaultSet = hex("C5 01 C1 01");  // hardware-fault (1)
const Bytes kSuccessSet = hex("C5 01 C1 00");

TEST(AcknowledgedWrites, AClockSetThatCannotBeKeptIsAHardwareFault) {
  metergen::test::MeteringHal hal;
  Device d(hal);
  const std::uint64_t before = hal.memory.now_ms;
  hal.writes_left = 0;
  EXPECT_EQ(d.request(kSetTime), kHardwareFaultSet);
  EXPECT_EQ(hal.memory.now_ms, before);
  // shift_time: action-response hardware-fault.
  const Bytes shifted = d.request(kShiftTime);
  ASSERT_GE(shifted.size(), 4u);
  EXPECT_EQ(Bytes(shifted.begin(), shifted.begin() + 4), hex("C7 01 C1 01"));
  EXPECT_EQ(hal.memory.now_ms, before);
}

// A SET refused while writes fail leaves `get` answering as before; once
// writes succeed the same SET is acknowledged, `get` answers something new
// and that is kept across a restart. Returns that answer.
Bytes refused_then_kept(const Bytes& set, const Bytes& get) {
  metergen::test::MeteringHal hal;
  Device d(hal);
  const Bytes before = d.request(get);
  hal.writes_left = 0;
  EXPECT_EQ(d.request(set), kHardwareFaultSet);
  EXPECT_EQ(d.request(get), before);
  hal.writes_left = -1;
  EXPECT_EQ(d.request(set), kSuccessSet);
  const Bytes kept = d.request(get);
  EXPECT_NE(kept, before);
  Device again(hal);
  EXPECT_EQ(again.request(get), kept);
  return kept;
}

TEST(AcknowledgedWrites, ClockSettingsThatCannotBeKeptStayAsTheyWere) {
  // Get-Response-Normal, data long (0x10) 180 = 0x00B4: the time zone SET.
  EXPECT_EQ(refused_then_kept(kSetTimeZone, kGetTimeZone), hex("C4 01 C1 00 10 00 B4"));
}

TEST(AcknowledgedWrites, AValueThatCannotBeKeptStaysAsItWas) {
  // Get-Response-Normal, data long-unsigned (0x12) 20000 = 0x4E20: the threshold SET.
  EXPECT_EQ(refused_then_kept(kSetThreshold, kGetThreshold), hex("C4 01 C1 00 12 4E 20"));
}

}  // namespace
