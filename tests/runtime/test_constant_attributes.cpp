// Attributes of objects whose class has no behaviour in the runtime answer
// the spec's `attributes:` values as constants (tables::AttributeValueDef);
// what the spec does not give, the class's default (generator/src/class_defaults.cpp);
// a SET of a constant is denied.
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
  EXPECT_EQ(m.value(port, 5), (Bytes{0x16, 0x00})) << "response_time is not in the spec: 20 ms";
  EXPECT_EQ(m.set(port, 3, {0x16, 0x03}), mg::dlms::DataAccessResult::read_write_denied);
  EXPECT_EQ(m.set(port, 5, {0x16, 0x01}), mg::dlms::DataAccessResult::read_write_denied);
  EXPECT_EQ(m.value(port, 3), (Bytes{0x16, 0x05}));
}

// hxf300-eu gives its HDLC setups, TCP-UDP setup and image transfer no
// attributes: they read what the meter does. Its HDLC link (hdlc::ServerLink on
// both targets): 128-byte information fields (12 00 80), window 1 (11 01),
// physical address 17 (12 00 11); the wrapper's port 4059 (12 0F DB); no image
// transfer: not enabled (03 00), not initiated (16 00), nothing to activate (01 00).
TEST(ConstantAttributes, SetupsTheSpecLeavesOutReadWhatTheMeterDoes) {
  const mg::tables::Model& model = mg::models::hxf300_eu::model;
  mg::test::TimedMeter m{model, mg::test::utc_of(2027, 3, 3, 10, 0, 0)};
  const std::uint16_t hdlc = mg::tables::find_object(model, {{0, 0, 22, 0, 0, 255}});
  const std::uint16_t tcp = mg::tables::find_object(model, {{0, 0, 25, 0, 0, 255}});
  const std::uint16_t image = mg::tables::find_object(model, {{0, 0, 44, 0, 0, 255}});
  ASSERT_NE(hdlc, mg::tables::kNone);
  ASSERT_NE(tcp, mg::tables::kNone);
  ASSERT_NE(image, mg::tables::kNone);
  EXPECT_EQ(m.value(hdlc, 3), (Bytes{0x11, 0x01}));
  EXPECT_EQ(m.value(hdlc, 5), (Bytes{0x12, 0x00, 0x80}));
  EXPECT_EQ(m.value(hdlc, 6), (Bytes{0x12, 0x00, 0x80}));
  EXPECT_EQ(m.value(hdlc, 9), (Bytes{0x12, 0x00, 0x11}));
  EXPECT_EQ(m.value(tcp, 2), (Bytes{0x12, 0x0F, 0xDB}));
  EXPECT_EQ(m.value(image, 5), (Bytes{0x03, 0x00}));
  EXPECT_EQ(m.value(image, 6), (Bytes{0x16, 0x00}));
  EXPECT_EQ(m.value(image, 7), (Bytes{0x01, 0x00}));
}
