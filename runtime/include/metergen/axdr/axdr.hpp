// A-XDR (IEC 61334-6 / DLMS data) encoding primitives.
//
// Owns: the tag + content layout of every DLMS data type, the length
// (element-count) encoding, structural validation of untrusted encoded values
// (skip_value), typed readers and compact-array (tag 0x13). Date-time lives in
// axdr/date_time.hpp. Uses: bytes.hpp and the DataType wire tags of the table seam.
//
// Readers take untrusted bytes: every length is checked against what remains,
// recursion is bounded by max_depth, and a false return means "malformed or not
// the expected type" (the reader's position is then unspecified unless stated).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::axdr {

using tables::DataType;

// Length / count prefix: < 0x80 in one byte, else 0x81 xx, 0x82 xx xx, 0x84 xx xx xx xx.
constexpr void put_length(ByteWriter& w, std::uint32_t n) {
  if (n < 0x80) { w.u8(static_cast<std::uint8_t>(n)); return; }
  if (n <= 0xFF) { w.u8(0x81); w.u8(static_cast<std::uint8_t>(n)); return; }
  if (n <= 0xFFFF) { w.u8(0x82); w.be16(static_cast<std::uint16_t>(n)); return; }
  w.u8(0x84);
  w.be32(n);
}
constexpr std::size_t length_size(std::uint32_t n) { return n < 0x80 ? 1 : n <= 0xFF ? 2 : n <= 0xFFFF ? 3 : 5; }

// Reads a length prefix; sets the reader's error on a malformed prefix.
constexpr std::uint32_t get_length(ByteReader& r) {
  std::uint8_t b = r.u8();
  if (b < 0x80) return b;
  switch (b) {
    case 0x81: return r.u8();
    case 0x82: return r.be16();
    case 0x84: return r.be32();
    default: r.fail(); return 0;
  }
}

constexpr void put_tag(ByteWriter& w, DataType t) { w.u8(static_cast<std::uint8_t>(t)); }
constexpr void put_null(ByteWriter& w) { put_tag(w, DataType::null_data); }
constexpr void put_boolean(ByteWriter& w, bool v) { put_tag(w, DataType::boolean); w.u8(v ? 1 : 0); }
constexpr void put_integer(ByteWriter& w, std::int8_t v) { put_tag(w, DataType::integer); w.u8(static_cast<std::uint8_t>(v)); }
constexpr void put_unsigned(ByteWriter& w, std::uint8_t v) { put_tag(w, DataType::unsigned_); w.u8(v); }
constexpr void put_enum(ByteWriter& w, std::uint8_t v) { put_tag(w, DataType::enum_); w.u8(v); }
constexpr void put_long(ByteWriter& w, std::int16_t v) { put_tag(w, DataType::long_); w.be16(static_cast<std::uint16_t>(v)); }
constexpr void put_long_unsigned(ByteWriter& w, std::uint16_t v) { put_tag(w, DataType::long_unsigned); w.be16(v); }
constexpr void put_double_long(ByteWriter& w, std::int32_t v) { put_tag(w, DataType::double_long); w.be32(static_cast<std::uint32_t>(v)); }
constexpr void put_double_long_unsigned(ByteWriter& w, std::uint32_t v) { put_tag(w, DataType::double_long_unsigned); w.be32(v); }
constexpr void put_long64(ByteWriter& w, std::int64_t v) { put_tag(w, DataType::long64); w.be64(static_cast<std::uint64_t>(v)); }
constexpr void put_long64_unsigned(ByteWriter& w, std::uint64_t v) { put_tag(w, DataType::long64_unsigned); w.be64(v); }
constexpr void put_octet_string(ByteWriter& w, const std::uint8_t* p, std::size_t n) {
  put_tag(w, DataType::octet_string);
  put_length(w, static_cast<std::uint32_t>(n));
  w.bytes(p, n);
}
constexpr void put_visible_string(ByteWriter& w, const char* s, std::size_t n) {
  put_tag(w, DataType::visible_string);
  put_length(w, static_cast<std::uint32_t>(n));
  for (std::size_t i = 0; i < n; ++i) w.u8(static_cast<std::uint8_t>(s[i]));
}
constexpr void put_array(ByteWriter& w, std::uint32_t count) { put_tag(w, DataType::array); put_length(w, count); }
constexpr void put_structure(ByteWriter& w, std::uint32_t count) { put_tag(w, DataType::structure); put_length(w, count); }
constexpr void put_logical_name(ByteWriter& w, const tables::LogicalName& ln) { put_octet_string(w, ln.b, 6); }


// ---- Validation and typed readers (untrusted input) ----

// Default nesting limit for arrays/structures/compact-array descriptions.
inline constexpr int kMaxDepth = 8;

// Consumes one complete encoded Data (tag + content, nested arrays/structures,
// compact-array with its contents checked against the description). Returns
// false on an unknown tag, a truncated value, nesting deeper than max_depth, or
// counts larger than the remaining bytes allow. Work is linear in the input.
bool skip_value(ByteReader& r, int max_depth = kMaxDepth);

// A view over exactly one validated Data at r's position (consumed from r).
bool take_value(ByteReader& r, ByteReader& value, int max_depth = kMaxDepth);

// Typed readers: the tag must match exactly; on a tag mismatch nothing is consumed.
bool get_u8(ByteReader& r, std::uint8_t& v);     // unsigned (0x11)
bool get_u16(ByteReader& r, std::uint16_t& v);   // long-unsigned (0x12)
bool get_u32(ByteReader& r, std::uint32_t& v);   // double-long-unsigned (0x06)
bool get_u64(ByteReader& r, std::uint64_t& v);   // long64-unsigned (0x15)
bool get_i8(ByteReader& r, std::int8_t& v);      // integer (0x0F)
bool get_i16(ByteReader& r, std::int16_t& v);    // long (0x10)
bool get_i32(ByteReader& r, std::int32_t& v);    // double-long (0x05)
bool get_i64(ByteReader& r, std::int64_t& v);    // long64 (0x14)
bool get_enum(ByteReader& r, std::uint8_t& v);   // enum (0x16)
bool get_bool(ByteReader& r, bool& v);           // boolean (0x03), any non-zero byte is true
bool get_null(ByteReader& r);                    // null-data (0x00)
// Any of the ten integer tags (incl. enum); false for a long64-unsigned above INT64_MAX.
bool get_integer_any(ByteReader& r, std::int64_t& v);
// Array (0x01) / structure (0x02) header; the count is checked against the bytes left.
bool get_array(ByteReader& r, std::uint32_t& count);
bool get_structure(ByteReader& r, std::uint32_t& count);
// octet-string (0x09): a view into the reader's buffer.
bool get_octet_string_view(ByteReader& r, const std::uint8_t*& p, std::size_t& n);
// octet-string (0x09) copied into buf; false when longer than cap.
bool get_octet_string(ByteReader& r, std::uint8_t* buf, std::size_t cap, std::size_t& n);
// visible-string (0x0A): a view.
bool get_visible_string_view(ByteReader& r, const std::uint8_t*& p, std::size_t& n);
// octet-string of exactly 6 bytes.
bool get_logical_name(ByteReader& r, tables::LogicalName& ln);

// ---- Compact-array (tag 0x13), IEC 62056-6-2 ----
//
//   compact-array  = 13 | TypeDescription | length(content bytes) | contents
//   TypeDescription = simple tag (one byte, e.g. 12 for long-unsigned)
//                   | 01 | number-of-elements (u16, 2 bytes) | TypeDescription
//                   | 02 | count (length-encoded) | count x TypeDescription
//   contents: whole elements back to back, each laid out by the description
//   without tags, without array/structure counts; octet/visible/utf8-string and
//   bit-string keep their length prefix.

// A validated compact-array: views over its description and its contents.
struct CompactArray {
  ByteReader description;  // one TypeDescription
  ByteReader contents;     // element_count elements, untagged
  std::uint32_t element_count;
};

// Consumes one TypeDescription; false on unknown tags or nesting over max_depth.
bool skip_type_description(ByteReader& r, int max_depth = kMaxDepth);
// Consumes one untagged value laid out by `description` (a reader over a
// TypeDescription, consumed too).
bool skip_untagged(ByteReader& description, ByteReader& value, int max_depth = kMaxDepth);
// Reads and validates a compact-array (tag included): the contents must be a
// whole number of elements that each match the description.
bool get_compact_array(ByteReader& r, CompactArray& out, int max_depth = kMaxDepth);
// Next element of a validated compact-array as an untagged view (consumed from
// `contents`); false when none is left.
bool next_compact_element(CompactArray& array, ByteReader& element);

// Writes the compact-array header: tag, the given TypeDescription bytes and the
// content length; the caller then writes exactly content_bytes untagged bytes.
void put_compact_array_header(ByteWriter& w, const std::uint8_t* description, std::size_t description_size,
                              std::uint32_t content_bytes);

}  // namespace metergen::axdr
