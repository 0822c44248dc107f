// A-XDR (IEC 61334-6 / DLMS data) encoding primitives.
//
// Owns: the tag + content layout of every DLMS data type, the length
// (element-count) encoding, and structural validation of untrusted encoded
// values. Uses: bytes.hpp and the DataType wire tags of the table seam.
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

}  // namespace metergen::axdr
