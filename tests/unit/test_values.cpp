// A-XDR encodings of static values; expected bytes from the tag table of
// IEC 62056-62 (see reference/cosem-interface-classes.md §0.2), by hand.
#include <gtest/gtest.h>

#include "values.hpp"

using metergen::encode_value;
using T = metergen::cosem::DataType;
using Bytes = std::vector<std::uint8_t>;

TEST(Values, Integers) {
  EXPECT_EQ(encode_value(T::long_unsigned, "230").bytes, (Bytes{0x12, 0x00, 0xE6}));
  EXPECT_EQ(encode_value(T::double_long_unsigned, "0x01020304").bytes, (Bytes{0x06, 0x01, 0x02, 0x03, 0x04}));
  EXPECT_EQ(encode_value(T::integer, "-1").bytes, (Bytes{0x0F, 0xFF}));
  EXPECT_EQ(encode_value(T::long_, "-2").bytes, (Bytes{0x10, 0xFF, 0xFE}));
  EXPECT_EQ(encode_value(T::enum_, "5").bytes, (Bytes{0x16, 0x05}));
}

TEST(Values, RangeErrors) {
  auto e = encode_value(T::long_unsigned, "70000");
  EXPECT_EQ(e.problem, "does not fit type long-unsigned");
  EXPECT_EQ(e.expected, "an integer in 0..65535");
  EXPECT_FALSE(encode_value(T::unsigned_, "-1").problem.empty());
  EXPECT_FALSE(encode_value(T::boolean, "yes").problem.empty());
}

TEST(Values, StringsAndBits) {
  // HXF300 §5.1 legal software version "300_V31"
  EXPECT_EQ(encode_value(T::visible_string, "300_V31").bytes,
            (Bytes{0x0A, 0x07, 0x33, 0x30, 0x30, 0x5F, 0x56, 0x33, 0x31}));
  EXPECT_EQ(encode_value(T::octet_string, "0x9FECAA69").bytes, (Bytes{0x09, 0x04, 0x9F, 0xEC, 0xAA, 0x69}));
  EXPECT_EQ(encode_value(T::bit_string, "101").bytes, (Bytes{0x04, 0x03, 0xA0}));
  EXPECT_EQ(encode_value(T::boolean, "true").bytes, (Bytes{0x03, 0xFF}));
}
