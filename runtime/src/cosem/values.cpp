// Typed values in Model::state shared by the value-holding classes (1, 3, 4, 5,
// 71): the fixed-size check set() applies, zero values and scaler_unit.
// May call: axdr/ only.
#include "class_context.hpp"

namespace metergen::cosem {

using tables::DataType;

namespace {

// Content bytes of a fixed-size type, 0 for variable-size or structured types.
constexpr std::uint16_t fixed_content(DataType t) {
  switch (t) {
    case DataType::boolean: case DataType::integer: case DataType::unsigned_: case DataType::enum_: return 1;
    case DataType::long_: case DataType::long_unsigned: return 2;
    case DataType::double_long: case DataType::double_long_unsigned: case DataType::float32: case DataType::time: return 4;
    case DataType::date: return 5;
    case DataType::long64: case DataType::long64_unsigned: case DataType::float64: return 8;
    case DataType::date_time: return 12;
    default: return 0;
  }
}

constexpr bool is_string(DataType t) {
  return t == DataType::octet_string || t == DataType::visible_string || t == DataType::utf8_string ||
         t == DataType::bit_string;
}

// Content bytes n of a string whose whole encoding takes `size` bytes: 1 + length_size(n) + n.
std::uint32_t string_content(DataType t, std::uint16_t size) {
  constexpr std::uint32_t kPrefixSizes[] = {1, 2, 3, 5};
  for (std::uint32_t prefix : kPrefixSizes) {
    if (size < 1 + prefix) return 0;
    const std::uint32_t n = size - 1 - prefix;
    const std::uint32_t count = t == DataType::bit_string ? n * 8 : n;
    if (axdr::length_size(count) == prefix) return n;
  }
  return 0;
}

}  // namespace

bool value_fits(ByteReader value, DataType type, std::uint16_t size) {
  if (value.remaining() != size || value.u8() != static_cast<std::uint8_t>(type)) return false;
  if (const std::uint16_t n = fixed_content(type)) return value.remaining() == n;
  if (!is_string(type)) return false;
  const std::uint32_t count = axdr::get_length(value);
  const std::uint32_t bytes = type == DataType::bit_string ? (count + 7) / 8 : count;
  return !value.error() && value.remaining() == bytes;
}

void put_default_value(const tables::Model& m, const tables::ObjectDef& d, std::uint8_t* at) {
  if (d.value_offset != tables::kNone && d.value_offset + std::uint32_t{d.value_size} <= m.value_pool_size)
    copy_bytes(at, m.value_pool + d.value_offset, d.value_size);
  else
    put_zero_value(at, d.value_type, d.value_size);
}

void put_unset_status_and_times(std::uint8_t* status, const std::uint8_t* end) {
  constexpr axdr::DateTime kUnset{axdr::kYearNotSpecified, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                  axdr::kDeviationNotSpecified, 0xFF};
  status[0] = static_cast<std::uint8_t>(DataType::unsigned_);
  status[1] = 0;
  for (std::uint8_t* t = status + 2; t + 13 <= end; t += 13) {
    ByteWriter w(t, 13);
    axdr::put_date_time(w, kUnset);
  }
}

std::uint32_t value_only_state(std::uint16_t value_size) { return value_size; }

void default_value_state(const tables::Model& m, std::uint16_t index, std::uint8_t* state) {
  put_default_value(m, m.objects[index], state);
}

std::int32_t value_engine_offset(const tables::ObjectDef&, std::int8_t attribute, bool date_time) {
  return attribute == 2 && !date_time ? 0 : -1;
}

void put_zero_value(std::uint8_t* at, DataType type, std::uint16_t size) {
  for (std::uint16_t i = 0; i < size; ++i) at[i] = 0;
  if (size == 0) return;
  ByteWriter w(at, size);
  axdr::put_tag(w, type);
  if (is_string(type)) {
    const std::uint32_t n = string_content(type, size);
    axdr::put_length(w, type == DataType::bit_string ? n * 8 : n);
  }
}

bool put_integer_value(ByteWriter& w, DataType type, std::int64_t v) {
  switch (type) {
    case DataType::integer: axdr::put_integer(w, static_cast<std::int8_t>(v)); return true;
    case DataType::unsigned_: axdr::put_unsigned(w, static_cast<std::uint8_t>(v)); return true;
    case DataType::enum_: axdr::put_enum(w, static_cast<std::uint8_t>(v)); return true;
    case DataType::long_: axdr::put_long(w, static_cast<std::int16_t>(v)); return true;
    case DataType::long_unsigned: axdr::put_long_unsigned(w, static_cast<std::uint16_t>(v)); return true;
    case DataType::double_long: axdr::put_double_long(w, static_cast<std::int32_t>(v)); return true;
    case DataType::double_long_unsigned: axdr::put_double_long_unsigned(w, static_cast<std::uint32_t>(v)); return true;
    case DataType::long64: axdr::put_long64(w, v); return true;
    case DataType::long64_unsigned: axdr::put_long64_unsigned(w, static_cast<std::uint64_t>(v)); return true;
    default: return false;
  }
}

dlms::DataAccessResult set_value(std::uint8_t* at, DataType type, std::uint16_t size, ByteReader value) {
  if (at == nullptr) return dlms::DataAccessResult::read_write_denied;
  if (!value_fits(value, type, size)) return dlms::DataAccessResult::type_unmatched;
  copy_bytes(at, value.current(), size);
  return dlms::DataAccessResult::success;
}

dlms::DataAccessResult clear_written_bits(std::uint8_t* at, DataType type, std::uint16_t size, ByteReader value) {
  if (at == nullptr) return dlms::DataAccessResult::read_write_denied;
  if (type != DataType::double_long_unsigned || !value_fits(value, type, size)) return dlms::DataAccessResult::type_unmatched;
  value.u8();  // the tag value_fits checked
  const std::uint32_t written = value.be32();
  ByteReader old(at + 1, size - 1u);
  const std::uint32_t bits = old.be32() & ~written;
  ByteWriter w(at, size);
  axdr::put_double_long_unsigned(w, bits);
  return dlms::DataAccessResult::success;
}

void put_scaler_unit(ByteWriter& w, std::int8_t scaler, std::uint8_t unit) {
  axdr::put_structure(w, 2);
  axdr::put_integer(w, scaler);
  axdr::put_enum(w, unit);
}

bool is_zero_parameter(ByteReader params) {
  if (params.empty()) return true;
  return params.remaining() == 2 && params.u8() == static_cast<std::uint8_t>(DataType::integer) && params.u8() == 0;
}

}  // namespace metergen::cosem
