// Attributes of objects whose class has no behaviour in the runtime (IC 19
// IEC local port setup here) answer the spec's `attributes:` values as
// constants (tables::AttributeValueDef); what the spec does not give stays
// object-unavailable, and a SET of a constant is denied.
#include <gtest/gtest.h>

#include <seed_models.hpp>

#include "time_engine_support.hpp"

namespace mg = metergen;
using mg::test::Bytes;

TEST(ConstantAttributes, APortSetupAnswersTheSpecsValues) {
  const mg::tables::Model& model = mg::models::hxe312_kp::model;
  mg::test::TimedMeter m{model, mg::test::utc_of(2027, 3, 3, 10, 0, 0)};
  // specs/hxe312-kp.yaml, rs485_port_setup 0.0.20.0.1.255: default_mode 1, default_baud 5, prop_baud 5.
  const std::uint16_t port = mg::tables::find_object(model, {{0, 0, 20, 0, 1, 255}});
  ASSERT_NE(port, mg::tables::kNone);
  EXPECT_EQ(m.value(port, 2), (Bytes{0x16, 0x01}));
  EXPECT_EQ(m.value(port, 3), (Bytes{0x16, 0x05}));
  EXPECT_EQ(m.value(port, 4), (Bytes{0x16, 0x05}));
  EXPECT_TRUE(m.value(port, 5).empty()) << "response_time is not in the spec";
  EXPECT_EQ(m.set(port, 3, {0x16, 0x03}), mg::dlms::DataAccessResult::read_write_denied);
  EXPECT_EQ(m.set(port, 5, {0x16, 0x00}), mg::dlms::DataAccessResult::object_unavailable);
  EXPECT_EQ(m.value(port, 3), (Bytes{0x16, 0x05}));
}
