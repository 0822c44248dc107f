// The values the generator gives the attributes of the classes the runtime
// serves as constants when a spec leaves them out (generator/src/class_defaults.cpp).
// Expected encodings worked out by hand: long-unsigned 12 hi lo, unsigned 11 n,
// enum 16 n, boolean 03 00/FF, double-long-unsigned 06 + 4 bytes, empty array 01 00.
#include <gtest/gtest.h>

#include <metergen/cosem/objects.hpp>

#include "class_defaults.hpp"
#include "cosem.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes default_of(int class_id, int index) {
  auto d = metergen::class_default(class_id, index);
  return d ? d->bytes : Bytes{};
}

TEST(ClassDefaults, TheHdlcSetupIsTheMetersOwnLink) {
  EXPECT_EQ(default_of(23, 2), (Bytes{0x16, 0x05}));        // 9600 Bd
  EXPECT_EQ(default_of(23, 3), (Bytes{0x11, 0x01}));        // window 1
  EXPECT_EQ(default_of(23, 4), (Bytes{0x11, 0x01}));
  EXPECT_EQ(default_of(23, 5), (Bytes{0x12, 0x00, 0x80}));  // 128-byte information field
  EXPECT_EQ(default_of(23, 6), (Bytes{0x12, 0x00, 0x80}));
  EXPECT_EQ(default_of(23, 7), (Bytes{0x12, 0x00, 0x19}));  // 25 ms
  EXPECT_EQ(default_of(23, 8), (Bytes{0x12, 0x00, 0x78}));  // 120 s
  EXPECT_EQ(default_of(23, 9), (Bytes{0x12, 0x00, 0x11}));  // physical address 17
}

TEST(ClassDefaults, TcpUdpSetupAndImageTransfer) {
  EXPECT_EQ(default_of(41, 2), (Bytes{0x12, 0x0F, 0xDB}));  // port 4059
  EXPECT_EQ(default_of(41, 3), (Bytes{0x09, 0x06, 0x00, 0x00, 0x19, 0x01, 0x00, 0xFF}));
  EXPECT_EQ(default_of(18, 5), (Bytes{0x03, 0x00}));        // image transfer not enabled
  EXPECT_EQ(default_of(18, 6), (Bytes{0x16, 0x00}));        // not initiated
  EXPECT_EQ(default_of(18, 7), (Bytes{0x01, 0x00}));        // no image to activate
  EXPECT_FALSE(metergen::class_default(1, 2)) << "Data has behaviour: no constant default";
}

// Whatever a spec leaves out of a class served as constants, its default fills in.
TEST(ClassDefaults, EveryAttributeOfAClassWithoutBehaviourHasOne) {
  int classes = 0;
  for (const auto& c : metergen::cosem::classes()) {
    if (metergen::cosem::has_class_behaviour(static_cast<std::uint16_t>(c.id))) continue;
    ++classes;
    for (const auto& a : c.attributes)
      if (a.index != 1) EXPECT_TRUE(metergen::class_default(c.id, a.index)) << c.title << " attribute " << a.index;
  }
  EXPECT_EQ(classes, 4);  // image transfer, IEC local port setup, IEC HDLC setup, TCP-UDP setup
}

}  // namespace
