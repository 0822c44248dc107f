#include <gtest/gtest.h>

#include "obis.hpp"

using metergen::Obis;

TEST(Obis, ParsesDottedAndIecForms) {
  Obis a_plus{1, 0, 1, 8, 0, 255};
  EXPECT_EQ(*metergen::parse_obis("1.0.1.8.0.255").value, a_plus);
  EXPECT_EQ(*metergen::parse_obis("1-0:1.8.0*255").value, a_plus);
  EXPECT_EQ(*metergen::parse_obis("1-0:1.8.0").value, a_plus);  // IEC form without F means current value
}

TEST(Obis, RejectsBadShapesAndRanges) {
  EXPECT_FALSE(metergen::parse_obis("1.0.1.8.0").value);
  EXPECT_FALSE(metergen::parse_obis("1.0.1.8.0.255.1").value);
  EXPECT_EQ(metergen::parse_obis("1.0.1.8.0.256").problem, "has value group F = 256 above 255");
  EXPECT_EQ(metergen::parse_obis("1.0.x.8.0.255").problem, "has a non-numeric value group C");
}

TEST(Obis, PatternExpandsRangesInOrder) {
  auto p = metergen::parse_obis_pattern("1.0.1.6.0-4.255");
  ASSERT_EQ(p.values.size(), 5u);
  for (int e = 0; e <= 4; ++e) EXPECT_EQ(p.values[static_cast<std::size_t>(e)], (Obis{1, 0, 1, 6, static_cast<std::uint8_t>(e), 255}));
  EXPECT_FALSE(metergen::parse_obis_pattern("1.0.1.6.4-0.255").problem.empty());
}

TEST(Obis, DisplayCodesAsOnTheManualsLcd) {
  // HXF300 Annex A: "C.1.0" serial number, "F.F.0" error register; Holley: "1.8.0.101".
  EXPECT_EQ(metergen::display_code({0, 0, 96, 1, 0, 255}), "C.1.0");
  EXPECT_EQ(metergen::display_code({0, 0, 97, 97, 0, 255}), "F.F.0");
  EXPECT_EQ(metergen::display_code({1, 0, 1, 8, 0, 101}), "1.8.0.101");
  EXPECT_EQ(metergen::display_code({1, 0, 32, 7, 0, 255}), "32.7.0");
}
