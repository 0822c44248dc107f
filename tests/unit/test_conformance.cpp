// What a conformance run expects of a value read from a meter: bytes as the
// Blue Book encodes them (IEC 62056-6-2; ../shared/reference/cosem-interface-classes.md),
// written out by hand, checked against the declared types, scaler_unit,
// enumeration ranges and logical names; the AARE diagnostics by their numbers.
#include <gtest/gtest.h>

#include "conformance.hpp"

namespace {

using metergen::Object;
using Bytes = std::vector<std::uint8_t>;

Object object(int class_id, metergen::Obis ln) {
  Object o;
  o.cls = metergen::cosem::class_by_id(class_id);
  o.ln = ln;
  return o;
}

TEST(ConformanceExpect, RegisterValueAndScalerUnit) {
  Object voltage = object(3, {1, 0, 32, 7, 0, 255});
  voltage.type = metergen::cosem::DataType::long_unsigned;
  voltage.scaler = -2;
  voltage.unit = 35;  // V
  EXPECT_EQ(metergen::value_problem(voltage, 2, Bytes{0x12, 0x59, 0xD8}), "");  // long-unsigned 23000
  EXPECT_EQ(metergen::value_problem(voltage, 2, Bytes{0x06, 0, 0, 0x59, 0xD8}),
            "expected long-unsigned, got double-long-unsigned");
  EXPECT_EQ(metergen::value_problem(voltage, 3, Bytes{0x02, 0x02, 0x0F, 0xFE, 0x16, 0x23}), "");  // {-2, V}
  EXPECT_EQ(metergen::value_problem(voltage, 3, Bytes{0x02, 0x02, 0x0F, 0x00, 0x16, 0x23}),
            "expected scaler_unit {-2, V}, got {0, V}");
  EXPECT_EQ(metergen::value_problem(voltage, 3, Bytes{0x02, 0x02, 0x11, 0xFE, 0x16, 0x23}),
            "expected scaler_unit structure {integer, enum}");
}

TEST(ConformanceExpect, LogicalNameIsTheObjects) {
  Object clock = object(8, {0, 0, 1, 0, 0, 255});
  EXPECT_EQ(metergen::value_problem(clock, 1, Bytes{0x09, 0x06, 0, 0, 1, 0, 0, 0xFF}), "");
  EXPECT_EQ(metergen::value_problem(clock, 1, Bytes{0x09, 0x06, 0, 0, 1, 0, 1, 0xFF}),
            "logical name expected 0000010000FF, got 0000010001FF");
  EXPECT_EQ(metergen::value_problem(clock, 1, Bytes{0x0A, 0x00}), "expected octet-string(6), got visible-string");
  // time: octet-string(12), 2021-01-24 14:48:57.80 UTC+1 (Green Book example)
  EXPECT_EQ(metergen::value_problem(clock, 2, Bytes{0x09, 0x0C, 0x07, 0xE5, 0x01, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50,
                                                    0xFF, 0xC4, 0x00}),
            "");
  EXPECT_EQ(metergen::value_problem(clock, 9, Bytes{0x16, 0x01}), "");  // clock_base internal crystal
  EXPECT_EQ(metergen::value_problem(clock, 9, Bytes{0x16, 0x06}), "enum value 6 outside 0..5");
}

TEST(ConformanceExpect, EnumerationRangesOfTheClass) {
  Object relay = object(70, {0, 0, 96, 3, 10, 255});
  EXPECT_EQ(metergen::value_problem(relay, 2, Bytes{0x03, 0x01}), "");  // output_state boolean
  EXPECT_EQ(metergen::value_problem(relay, 3, Bytes{0x16, 0x02}), "");  // ready_for_reconnection
  EXPECT_EQ(metergen::value_problem(relay, 3, Bytes{0x16, 0x03}), "enum value 3 outside 0..2");
  EXPECT_EQ(metergen::value_problem(relay, 4, Bytes{0x11, 0x01}), "expected enum, got unsigned");
  Object profile = object(7, {1, 0, 99, 1, 0, 255});
  EXPECT_EQ(metergen::value_problem(profile, 5, Bytes{0x16, 0x00}), "enum value 0 outside 1..6");  // sort_method
  EXPECT_EQ(metergen::value_problem(profile, 2, Bytes{0x01, 0x00}), "");                           // empty buffer
  EXPECT_EQ(metergen::value_problem(profile, 2, Bytes{0x00}), "expected array or structure, got null-data");
}

TEST(ConformanceExpect, ResultsAndDiagnosticsByTheirNumbers) {
  EXPECT_EQ(metergen::result_text(3), "read-write-denied (3)");
  EXPECT_EQ(metergen::result_text(4), "object-undefined (4)");
  EXPECT_EQ(metergen::aare_text(1, 13), "rejected-permanent, authentication failure (13)");
  EXPECT_EQ(metergen::aare_text(0, 14), "accepted, authentication required (14)");
  EXPECT_EQ(metergen::aare_text(1, 2), "rejected-permanent, application context name not supported (2)");
}

// Association-result (IEC 62056-5-3 ACSE): 0 accepted, 1 rejected-permanent,
// 2 rejected-transient. A client SAP the meter does not serve is refused by
// either rejection, or over HDLC by a link that is not set up (no AARE at all).
TEST(ConformanceExpect, AnUnknownClientIsRefusedInAnyWayTheStandardAllows) {
  EXPECT_TRUE(metergen::refuses_unknown_client(1, false));
  EXPECT_TRUE(metergen::refuses_unknown_client(2, false));
  EXPECT_FALSE(metergen::refuses_unknown_client(0, false));
  EXPECT_TRUE(metergen::refuses_unknown_client(std::nullopt, true));
  EXPECT_FALSE(metergen::refuses_unknown_client(std::nullopt, false)) << "an error that is not a refusal";
}

}  // namespace
