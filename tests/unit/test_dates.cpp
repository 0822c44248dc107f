#include <gtest/gtest.h>

#include "sections/sections.hpp"

TEST(Dates, CivilDays) {
  EXPECT_EQ(metergen::sections::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(metergen::sections::days_from_civil(2000, 3, 1), 11017);  // 10957 (2000-01-01) + 31 + 29
  EXPECT_EQ(metergen::sections::weekday_of(2000, 1, 1), 6);            // a Saturday
}

TEST(Dates, EuDstRules2025) {
  // EU summer time 2025: Sunday 30 March to Sunday 26 October.
  metergen::DstRule begin{3, 5, 7, 0, 120}, end{10, 5, 7, 0, 180};
  EXPECT_EQ(metergen::sections::dst_rule_minutes(begin, 2025), metergen::sections::days_from_civil(2025, 3, 30) * 1440 + 120);
  EXPECT_EQ(metergen::sections::dst_rule_minutes(end, 2025), metergen::sections::days_from_civil(2025, 10, 26) * 1440 + 180);
  // Second Sunday of March 2025 (US rule) is the 9th.
  metergen::DstRule us{3, 2, 7, 0, 120};
  EXPECT_EQ(metergen::sections::dst_rule_minutes(us, 2025), metergen::sections::days_from_civil(2025, 3, 9) * 1440 + 120);
}
