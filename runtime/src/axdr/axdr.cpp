// A-XDR validation, typed readers and compact-array (see axdr/axdr.hpp).
// Uses only bytes.hpp; every length is checked against the bytes that remain.
#include <metergen/axdr/axdr.hpp>

namespace metergen::axdr {
namespace {

constexpr std::uint8_t kArray = 0x01, kStructure = 0x02, kBitString = 0x04, kCompactArray = 0x13;

// Content size of a fixed-size type, or -1. bcd is Integer8 in IEC 62056-6-2.
constexpr int fixed_size(std::uint8_t tag) {
  switch (tag) {
    case 0x00: return 0;
    case 0x03: case 0x0D: case 0x0F: case 0x11: case 0x16: return 1;
    case 0x10: case 0x12: return 2;
    case 0x05: case 0x06: case 0x17: case 0x1B: return 4;
    case 0x1A: return 5;
    case 0x14: case 0x15: case 0x18: return 8;
    case 0x19: return 12;
    default: return -1;
  }
}

// octet-string, visible-string, utf8-string: length in bytes.
constexpr bool is_byte_string(std::uint8_t tag) { return tag == 0x09 || tag == 0x0A || tag == 0x0C; }

// A count or byte length that must fit in what is left of the reader.
bool get_bounded_length(ByteReader& r, std::uint32_t& n) {
  n = get_length(r);
  return !r.error() && n <= r.remaining();
}

// Content of a simple (non-container) type after its tag; false for other tags.
bool skip_simple_content(ByteReader& r, std::uint8_t tag) {
  int size = fixed_size(tag);
  if (size >= 0) {
    r.take(static_cast<std::size_t>(size));
    return !r.error();
  }
  std::uint32_t n = get_length(r);
  if (r.error()) return false;
  if (is_byte_string(tag)) return r.take(n) != nullptr;
  if (tag == kBitString) {
    std::uint64_t bytes = (static_cast<std::uint64_t>(n) + 7) / 8;
    return bytes <= r.remaining() && r.take(static_cast<std::size_t>(bytes)) != nullptr;
  }
  return false;
}

constexpr bool is_simple(std::uint8_t tag) { return fixed_size(tag) >= 0 || is_byte_string(tag) || tag == kBitString; }

// Untagged values may be zero bytes long (null-data, empty structures), so
// compact-array validation counts visited nodes against a budget linear in the input.
bool skip_untagged_bounded(ByteReader& description, ByteReader& value, int depth, std::size_t& budget) {
  if (budget == 0) return false;
  --budget;
  std::uint8_t tag = description.u8();
  if (description.error()) return false;
  if (tag == kArray) {
    if (depth <= 0) return false;
    std::uint16_t count = description.be16();
    const ByteReader element = description;
    for (std::uint32_t i = 0; i < count; ++i) {
      ByteReader d = element;
      if (!skip_untagged_bounded(d, value, depth - 1, budget)) return false;
    }
    return skip_type_description(description, depth - 1);
  }
  if (tag == kStructure) {
    if (depth <= 0) return false;
    std::uint32_t count = 0;
    if (!get_bounded_length(description, count)) return false;
    for (std::uint32_t i = 0; i < count; ++i)
      if (!skip_untagged_bounded(description, value, depth - 1, budget)) return false;
    return true;
  }
  return is_simple(tag) && skip_simple_content(value, tag);
}

std::size_t untagged_budget(const ByteReader& value) { return 8 * value.remaining() + 64; }

bool expect_tag(ByteReader& r, std::uint8_t tag) {
  if (r.empty() || r.peek() != tag) return false;
  r.u8();
  return true;
}

bool get_string_view(ByteReader& r, std::uint8_t tag, const std::uint8_t*& p, std::size_t& n) {
  std::uint32_t length = 0;
  if (!expect_tag(r, tag) || !get_bounded_length(r, length)) return false;
  p = r.take(length);
  n = length;
  return !r.error();
}

bool get_container(ByteReader& r, std::uint8_t tag, std::uint32_t& count) {
  return expect_tag(r, tag) && get_bounded_length(r, count);  // every element takes at least its tag byte
}

}  // namespace

bool skip_value(ByteReader& r, int max_depth) {
  if (r.empty()) return false;
  std::uint8_t tag = r.peek();
  if (tag == kCompactArray) {
    CompactArray unused;
    return get_compact_array(r, unused, max_depth);
  }
  r.u8();
  if (tag == kArray || tag == kStructure) {
    std::uint32_t count = 0;
    if (max_depth <= 0 || !get_bounded_length(r, count)) return false;
    for (std::uint32_t i = 0; i < count; ++i)
      if (!skip_value(r, max_depth - 1)) return false;
    return true;
  }
  return skip_simple_content(r, tag);
}

bool take_value(ByteReader& r, ByteReader& value, int max_depth) {
  const std::uint8_t* start = r.current();
  std::size_t before = r.remaining();
  if (!skip_value(r, max_depth)) return false;
  value = ByteReader(start, before - r.remaining());
  return true;
}

bool get_u8(ByteReader& r, std::uint8_t& v) {
  if (!expect_tag(r, 0x11)) return false;
  v = r.u8();
  return !r.error();
}
bool get_u16(ByteReader& r, std::uint16_t& v) {
  if (!expect_tag(r, 0x12)) return false;
  v = r.be16();
  return !r.error();
}
bool get_u32(ByteReader& r, std::uint32_t& v) {
  if (!expect_tag(r, 0x06)) return false;
  v = r.be32();
  return !r.error();
}
bool get_u64(ByteReader& r, std::uint64_t& v) {
  if (!expect_tag(r, 0x15)) return false;
  v = r.be64();
  return !r.error();
}
bool get_i8(ByteReader& r, std::int8_t& v) {
  if (!expect_tag(r, 0x0F)) return false;
  v = static_cast<std::int8_t>(r.u8());
  return !r.error();
}
bool get_i16(ByteReader& r, std::int16_t& v) {
  if (!expect_tag(r, 0x10)) return false;
  v = static_cast<std::int16_t>(r.be16());
  return !r.error();
}
bool get_i32(ByteReader& r, std::int32_t& v) {
  if (!expect_tag(r, 0x05)) return false;
  v = static_cast<std::int32_t>(r.be32());
  return !r.error();
}
bool get_i64(ByteReader& r, std::int64_t& v) {
  if (!expect_tag(r, 0x14)) return false;
  v = static_cast<std::int64_t>(r.be64());
  return !r.error();
}
bool get_enum(ByteReader& r, std::uint8_t& v) {
  if (!expect_tag(r, 0x16)) return false;
  v = r.u8();
  return !r.error();
}
bool get_bool(ByteReader& r, bool& v) {
  if (!expect_tag(r, 0x03)) return false;
  v = r.u8() != 0;
  return !r.error();
}
bool get_null(ByteReader& r) { return expect_tag(r, 0x00); }

bool get_integer_any(ByteReader& r, std::int64_t& v) {
  if (r.empty()) return false;
  switch (r.peek()) {
    case 0x0F: { std::int8_t x; if (!get_i8(r, x)) return false; v = x; return true; }
    case 0x10: { std::int16_t x; if (!get_i16(r, x)) return false; v = x; return true; }
    case 0x05: { std::int32_t x; if (!get_i32(r, x)) return false; v = x; return true; }
    case 0x14: return get_i64(r, v);
    case 0x11: { std::uint8_t x; if (!get_u8(r, x)) return false; v = x; return true; }
    case 0x16: { std::uint8_t x; if (!get_enum(r, x)) return false; v = x; return true; }
    case 0x12: { std::uint16_t x; if (!get_u16(r, x)) return false; v = x; return true; }
    case 0x06: { std::uint32_t x; if (!get_u32(r, x)) return false; v = x; return true; }
    case 0x15: {
      std::uint64_t x;
      if (!get_u64(r, x) || x > static_cast<std::uint64_t>(INT64_MAX)) return false;
      v = static_cast<std::int64_t>(x);
      return true;
    }
    default: return false;
  }
}

bool get_array(ByteReader& r, std::uint32_t& count) { return get_container(r, kArray, count); }
bool get_structure(ByteReader& r, std::uint32_t& count) { return get_container(r, kStructure, count); }

bool get_octet_string_view(ByteReader& r, const std::uint8_t*& p, std::size_t& n) {
  return get_string_view(r, 0x09, p, n);
}
bool get_visible_string_view(ByteReader& r, const std::uint8_t*& p, std::size_t& n) {
  return get_string_view(r, 0x0A, p, n);
}
bool get_octet_string(ByteReader& r, std::uint8_t* buf, std::size_t cap, std::size_t& n) {
  const std::uint8_t* p = nullptr;
  if (!get_octet_string_view(r, p, n) || n > cap) return false;
  copy_bytes(buf, p, n);
  return true;
}
bool get_logical_name(ByteReader& r, tables::LogicalName& ln) {
  std::size_t n = 0;
  return get_octet_string(r, ln.b, sizeof ln.b, n) && n == sizeof ln.b;
}

bool skip_type_description(ByteReader& r, int max_depth) {
  std::uint8_t tag = r.u8();
  if (r.error()) return false;
  if (tag == kArray) {
    r.be16();
    return max_depth > 0 && !r.error() && skip_type_description(r, max_depth - 1);
  }
  if (tag == kStructure) {
    std::uint32_t count = 0;
    if (max_depth <= 0 || !get_bounded_length(r, count)) return false;
    for (std::uint32_t i = 0; i < count; ++i)
      if (!skip_type_description(r, max_depth - 1)) return false;
    return true;
  }
  return is_simple(tag);
}

bool skip_untagged(ByteReader& description, ByteReader& value, int max_depth) {
  std::size_t budget = untagged_budget(value);
  return skip_untagged_bounded(description, value, max_depth, budget);
}

bool get_compact_array(ByteReader& r, CompactArray& out, int max_depth) {
  if (max_depth <= 0 || !expect_tag(r, kCompactArray)) return false;
  const std::uint8_t* description = r.current();
  std::size_t before = r.remaining();
  if (!skip_type_description(r, max_depth - 1)) return false;
  out.description = ByteReader(description, before - r.remaining());
  std::uint32_t content_size = 0;
  if (!get_bounded_length(r, content_size)) return false;
  out.contents = r.sub(content_size);
  out.element_count = 0;
  ByteReader walk = out.contents;
  std::size_t budget = untagged_budget(walk);
  while (!walk.empty()) {
    ByteReader d = out.description;
    if (!skip_untagged_bounded(d, walk, max_depth - 1, budget)) return false;
    ++out.element_count;
  }
  return true;
}

bool next_compact_element(CompactArray& array, ByteReader& element) {
  if (array.contents.empty()) return false;
  const std::uint8_t* start = array.contents.current();
  std::size_t before = array.contents.remaining();
  ByteReader d = array.description;
  if (!skip_untagged(d, array.contents)) return false;
  element = ByteReader(start, before - array.contents.remaining());
  return true;
}

void put_compact_array_header(ByteWriter& w, const std::uint8_t* description, std::size_t description_size,
                              std::uint32_t content_bytes) {
  put_tag(w, DataType::compact_array);
  w.bytes(description, description_size);
  put_length(w, content_bytes);
}

}  // namespace metergen::axdr
