// A-XDR: length prefix, typed readers, skip_value on nested and hostile input,
// compact-array. Expected bytes come from dlms-protocol.md (section noted at
// each test) or are worked out by hand from the layouts in §13.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <metergen/axdr/axdr.hpp>

namespace metergen::axdr {
namespace {

using Bytes = std::vector<std::uint8_t>;

ByteReader reader(const Bytes& b) { return ByteReader(b.data(), b.size()); }

Bytes written(void (*encode)(ByteWriter&)) {
  std::uint8_t buf[64];
  ByteWriter w(buf, sizeof buf);
  encode(w);
  return Bytes(buf, buf + w.size());
}

bool skips_whole(const Bytes& b, int depth = kMaxDepth) {
  ByteReader r = reader(b);
  return skip_value(r, depth) && r.empty();
}

// §13: "82 04 9E = 1182".
TEST(AxdrLength, DocumentExample) {
  Bytes b{0x82, 0x04, 0x9E};
  ByteReader r = reader(b);
  EXPECT_EQ(get_length(r), 1182u);
  EXPECT_FALSE(r.error());
  EXPECT_EQ(written([](ByteWriter& w) { put_length(w, 1182); }), b);
}

// By hand from §13: < 0x80 one byte, else 0x80 | number of following bytes.
TEST(AxdrLength, Boundaries) {
  EXPECT_EQ(written([](ByteWriter& w) { put_length(w, 0x7F); }), (Bytes{0x7F}));
  EXPECT_EQ(written([](ByteWriter& w) { put_length(w, 0x80); }), (Bytes{0x81, 0x80}));
  EXPECT_EQ(written([](ByteWriter& w) { put_length(w, 0x10000); }), (Bytes{0x84, 0x00, 0x01, 0x00, 0x00}));
  Bytes bad{0x83, 0x00, 0x00, 0x01};
  ByteReader r = reader(bad);
  get_length(r);
  EXPECT_TRUE(r.error());
}

// §7: "06 00 00 13 91" is double-long-unsigned 5009.
TEST(AxdrTypedReaders, DoubleLongUnsigned) {
  Bytes b{0x06, 0x00, 0x00, 0x13, 0x91};
  ByteReader r = reader(b);
  std::uint16_t wrong = 0;
  EXPECT_FALSE(get_u16(r, wrong));
  EXPECT_EQ(r.position(), 0u) << "a tag mismatch consumes nothing";
  std::uint32_t v = 0;
  ASSERT_TRUE(get_u32(r, v));
  EXPECT_EQ(v, 5009u);
  EXPECT_TRUE(r.empty());
}

// By hand: two's complement big-endian contents after the tags of §13.
TEST(AxdrTypedReaders, IntegerAnyAcceptsEveryIntegerTag) {
  struct Case {
    Bytes bytes;
    std::int64_t value;
  };
  const Case cases[] = {
      {{0x0F, 0x80}, -128},
      {{0x10, 0xFF, 0xFE}, -2},
      {{0x05, 0x80, 0x00, 0x00, 0x00}, -2147483648LL},
      {{0x14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, -1},
      {{0x11, 0xFF}, 255},
      {{0x16, 0x03}, 3},
      {{0x12, 0xFF, 0xFF}, 65535},
      {{0x06, 0xFF, 0xFF, 0xFF, 0xFF}, 4294967295LL},
      {{0x15, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, INT64_MAX},
  };
  for (const Case& c : cases) {
    ByteReader r = reader(c.bytes);
    std::int64_t v = 0;
    ASSERT_TRUE(get_integer_any(r, v)) << int(c.bytes[0]);
    EXPECT_EQ(v, c.value);
    EXPECT_TRUE(r.empty());
  }
  Bytes too_big{0x15, 0x80, 0, 0, 0, 0, 0, 0, 0};
  ByteReader r = reader(too_big);
  std::int64_t v = 0;
  EXPECT_FALSE(get_integer_any(r, v));
  Bytes not_integer{0x09, 0x00};
  ByteReader s = reader(not_integer);
  EXPECT_FALSE(get_integer_any(s, v));
  Bytes truncated{0x12, 0x01};
  ByteReader t = reader(truncated);
  EXPECT_FALSE(get_integer_any(t, v));
}

TEST(AxdrTypedReaders, SmallTypes) {
  Bytes b{0x03, 0x02, 0x16, 0x07, 0x00, 0x0F, 0xFF};
  ByteReader r = reader(b);
  bool flag = false;
  std::uint8_t e = 0;
  std::int8_t i = 0;
  EXPECT_TRUE(get_bool(r, flag));
  EXPECT_TRUE(flag) << "any non-zero byte is true (§13)";
  EXPECT_TRUE(get_enum(r, e));
  EXPECT_EQ(e, 7);
  EXPECT_TRUE(get_null(r));
  EXPECT_TRUE(get_i8(r, i));
  EXPECT_EQ(i, -1);
  EXPECT_TRUE(r.empty());
}

// §7 GET example: instance id 0.0.43.1.0.255 as an octet-string(6).
TEST(AxdrTypedReaders, OctetStrings) {
  Bytes b{0x09, 0x06, 0x00, 0x00, 0x2B, 0x01, 0x00, 0xFF};
  {
    ByteReader r = reader(b);
    tables::LogicalName ln{};
    ASSERT_TRUE(get_logical_name(r, ln));
    EXPECT_EQ(ln, (tables::LogicalName{{0, 0, 43, 1, 0, 255}}));
  }
  {
    ByteReader r = reader(b);
    std::uint8_t small[4];
    std::size_t n = 0;
    EXPECT_FALSE(get_octet_string(r, small, sizeof small, n));
  }
  {
    Bytes truncated{0x09, 0x06, 0x00, 0x00};
    ByteReader r = reader(truncated);
    const std::uint8_t* p = nullptr;
    std::size_t n = 0;
    EXPECT_FALSE(get_octet_string_view(r, p, n));
  }
  {
    Bytes text{0x0A, 0x03, 'A', 'B', 'C'};
    ByteReader r = reader(text);
    const std::uint8_t* p = nullptr;
    std::size_t n = 0;
    ASSERT_TRUE(get_visible_string_view(r, p, n));
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(p[2], 'C');
  }
}

TEST(AxdrTypedReaders, ContainerCountMustFitTheInput) {
  Bytes ok{0x02, 0x02, 0x11, 0x01, 0x11, 0x02};
  Bytes huge{0x01, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
  std::uint32_t count = 0;
  ByteReader r = reader(ok);
  EXPECT_TRUE(get_structure(r, count));
  EXPECT_EQ(count, 2u);
  ByteReader h = reader(huge);
  EXPECT_FALSE(get_array(h, count));
}

// §12: the range descriptor of the selective-access example is one Data.
TEST(AxdrSkipValue, RangeDescriptor) {
  Bytes b{0x02, 0x04, 0x02, 0x04, 0x12, 0x00, 0x08, 0x09, 0x06, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x0F,
          0x02, 0x12, 0x00, 0x00, 0x09, 0x0C, 0x07, 0xE2, 0x06, 0x01, 0xFF, 0x00, 0x03, 0x00, 0xFF, 0xFF,
          0x88, 0x80, 0x09, 0x0C, 0x07, 0xE5, 0x01, 0x06, 0xFF, 0x00, 0x03, 0x00, 0xFF, 0xFF, 0xC4, 0x00,
          0x01, 0x00};
  EXPECT_TRUE(skips_whole(b));
  for (std::size_t n = 0; n < b.size(); ++n) {
    Bytes cut(b.begin(), b.begin() + static_cast<long>(n));
    ByteReader r = reader(cut);
    EXPECT_FALSE(skip_value(r)) << "truncated to " << n;
  }
}

// By hand from the §13 table: one value of every fixed and variable type.
TEST(AxdrSkipValue, EveryType) {
  const Bytes values[] = {
      {0x00}, {0x03, 0x01}, {0x04, 0x0A, 0x12, 0x40}, {0x05, 1, 2, 3, 4}, {0x06, 1, 2, 3, 4},
      {0x09, 0x00}, {0x0A, 0x01, 'x'}, {0x0C, 0x02, 0xC3, 0xA9}, {0x0D, 0x12}, {0x0F, 1}, {0x10, 1, 2},
      {0x11, 1}, {0x12, 1, 2}, {0x14, 1, 2, 3, 4, 5, 6, 7, 8}, {0x15, 1, 2, 3, 4, 5, 6, 7, 8}, {0x16, 1},
      {0x17, 1, 2, 3, 4}, {0x18, 1, 2, 3, 4, 5, 6, 7, 8}, {0x19, 7, 0xE5, 1, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50, 0xFF, 0xC4, 0},
      {0x1A, 7, 0xE5, 1, 0x18, 7}, {0x1B, 0x0E, 0x30, 0x39, 0x50},
  };
  for (const Bytes& v : values) {
    EXPECT_TRUE(skips_whole(v)) << "tag " << int(v[0]);
    if (v.size() > 1) EXPECT_FALSE(skips_whole(Bytes(v.begin(), v.end() - 1))) << "truncated tag " << int(v[0]);
  }
  EXPECT_FALSE(skips_whole({0x07, 0x00})) << "tag 7 is not a DLMS data type";
  EXPECT_FALSE(skips_whole({0xFF}));
  EXPECT_FALSE(skips_whole({}));
}

TEST(AxdrSkipValue, HostileCounts) {
  EXPECT_FALSE(skips_whole({0x01, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_FALSE(skips_whole({0x09, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_FALSE(skips_whole({0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00})) << "bit count overflowing a byte count";
  EXPECT_FALSE(skips_whole({0x02, 0x03, 0x11, 0x01, 0x11}));
}

TEST(AxdrSkipValue, DepthLimit) {
  auto nested = [](int levels) {
    Bytes b;
    for (int i = 0; i < levels; ++i) {
      b.push_back(0x01);
      b.push_back(0x01);
    }
    b.push_back(0x00);
    return b;
  };
  EXPECT_TRUE(skips_whole(nested(kMaxDepth)));
  EXPECT_FALSE(skips_whole(nested(kMaxDepth + 1)));
  EXPECT_FALSE(skips_whole(nested(1), 0));
  EXPECT_TRUE(skips_whole({0x11, 0x05}, 0)) << "simple values need no depth";
}

TEST(AxdrSkipValue, TakeValueIsExactlyOneData) {
  Bytes b{0x02, 0x02, 0x11, 0x01, 0x00, 0x16, 0x02};
  ByteReader r = reader(b);
  ByteReader value;
  ASSERT_TRUE(take_value(r, value));
  EXPECT_EQ(value.remaining(), 5u);
  EXPECT_EQ(value.current(), b.data());
  EXPECT_EQ(r.remaining(), 2u);
}

// Compact-array layout (62056-6-2, recorded in axdr.hpp): 13 | TypeDescription |
// length of contents in bytes | untagged elements. Worked out by hand.
TEST(AxdrCompactArray, StructureElements) {
  // array of structure{long-unsigned, unsigned}: {1, 2}, {3, 4}
  Bytes b{0x13, 0x02, 0x02, 0x12, 0x11, 0x06, 0x00, 0x01, 0x02, 0x00, 0x03, 0x04};
  ByteReader r = reader(b);
  CompactArray array{};
  ASSERT_TRUE(get_compact_array(r, array));
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(array.element_count, 2u);
  EXPECT_EQ(array.description.remaining(), 4u);
  ByteReader element;
  ASSERT_TRUE(next_compact_element(array, element));
  EXPECT_EQ(Bytes(element.current(), element.current() + element.remaining()), (Bytes{0x00, 0x01, 0x02}));
  ASSERT_TRUE(next_compact_element(array, element));
  EXPECT_EQ(element.current()[2], 0x04);
  EXPECT_FALSE(next_compact_element(array, element));
  EXPECT_TRUE(skips_whole(b));

  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  const std::uint8_t description[] = {0x02, 0x02, 0x12, 0x11};
  put_compact_array_header(w, description, sizeof description, 6);
  EXPECT_EQ(Bytes(buf, buf + w.size()), Bytes(b.begin(), b.begin() + 6));
}

TEST(AxdrCompactArray, ArrayAndStringElements) {
  // element = array(3) of long-unsigned: 6 bytes each, two elements
  Bytes arrays{0x13, 0x01, 0x00, 0x03, 0x12, 0x0C, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6};
  ByteReader r = reader(arrays);
  CompactArray array{};
  ASSERT_TRUE(get_compact_array(r, array));
  EXPECT_EQ(array.element_count, 2u);
  // octet-strings keep their length: "AA BB" and ""
  Bytes strings{0x13, 0x09, 0x04, 0x02, 0xAA, 0xBB, 0x00};
  ByteReader s = reader(strings);
  ASSERT_TRUE(get_compact_array(s, array));
  EXPECT_EQ(array.element_count, 2u);
}

TEST(AxdrCompactArray, Malformed) {
  // partial element: 5 content bytes for 3-byte elements
  EXPECT_FALSE(skips_whole({0x13, 0x02, 0x02, 0x12, 0x11, 0x05, 0x00, 0x01, 0x02, 0x00, 0x03}));
  // content length beyond the input
  EXPECT_FALSE(skips_whole({0x13, 0x11, 0x05, 0x01}));
  // unknown type in the description
  EXPECT_FALSE(skips_whole({0x13, 0x07, 0x01, 0x00}));
  // compact-array is not allowed inside a description
  EXPECT_FALSE(skips_whole({0x13, 0x13, 0x11, 0x01, 0x00}));
  // array(65535) of array(65535) of null-data with one content byte: rejected, in bounded work
  EXPECT_FALSE(skips_whole({0x13, 0x01, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x00, 0x01, 0x11}));
  // zero-size elements can never fill non-empty contents
  EXPECT_FALSE(skips_whole({0x13, 0x00, 0x01, 0x11}));
  // description nested deeper than the limit
  Bytes deep{0x13};
  for (int i = 0; i < kMaxDepth; ++i) deep.insert(deep.end(), {0x01, 0x00, 0x01});
  deep.insert(deep.end(), {0x11, 0x00});
  EXPECT_FALSE(skips_whole(deep));
}

}  // namespace
}  // namespace metergen::axdr
