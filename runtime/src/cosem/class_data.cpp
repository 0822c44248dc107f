// Data (class_id 1): attribute 2 value, kept A-XDR encoded in Model::state. No methods.
// By role, a value read when read: local time (octet-string 4: hour, minute,
// second, hundredths) and local date (octet-string 5: year, month, day,
// weekday) from the clock; a serial number nobody set is the server system
// title's manufacturing number; an alarm descriptor's SET clears the bits
// written (docs/events.md).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::DataAccessResult;

namespace {

constexpr std::size_t kDateBytes = 5, kTimeBytes = 4;

// Local date or time: the first 5 or the 4 time bytes of the clock's date-time.
void put_local_part(const ClassContext& c, bool date, ByteWriter& out) {
  std::uint8_t raw[12];
  ByteWriter w(raw, sizeof raw);
  axdr::put_date_time_raw(w, local_now(c.hal, c.clock));
  if (date) axdr::put_octet_string(out, raw, kDateBytes);
  else axdr::put_octet_string(out, raw + kDateBytes, kTimeBytes);
}

bool all_zero(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != 0) return false;
  return true;
}

// `number` in decimal, right-aligned in out[0..n) and zero-padded (its low
// digits when longer). Eight digits at a time in 32 bits: a Cortex-M4 divides
// a 64-bit number in a library call.
void put_decimal(std::uint64_t number, std::uint8_t* out, std::size_t n) {
  constexpr std::uint32_t kEightDigits = 100000000u;
  std::size_t i = n;
  while (i > 0 && number != 0) {
    auto chunk = static_cast<std::uint32_t>(number % kEightDigits);
    number /= kEightDigits;
    for (int d = 0; d < 8 && i > 0; ++d, chunk /= 10) out[--i] = static_cast<std::uint8_t>('0' + chunk % 10);
  }
  while (i > 0) out[--i] = '0';
}

// The system title is the FLAG id (3 bytes) then the manufacturing number (5
// bytes): that number in decimal, right-aligned and zero-padded to the
// string's length (its low digits when longer). False without a title.
bool put_title_serial(const ClassContext& c, const std::uint8_t* value, ByteWriter& out) {
  std::uint8_t title[8];
  if (c.hal.secret(0, hal::Secret::server_system_title, title, sizeof title) != sizeof title) return false;
  std::uint64_t number = 0;
  for (std::size_t i = 3; i < sizeof title; ++i) number = number << 8 | title[i];
  constexpr std::size_t kHeader = 2;  // tag, one-byte length (the caller checked the size)
  std::uint8_t digits[0x80];
  const std::size_t n = c.def.value_size - kHeader;
  put_decimal(number, digits, n);
  out.bytes(value, kHeader);
  out.bytes(digits, n);
  return true;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  if (attribute != 2 || sel != nullptr) return DataAccessResult::object_unavailable;
  if (c.def.role == tables::Role::local_time || c.def.role == tables::Role::local_date) {
    put_local_part(c, c.def.role == tables::Role::local_date, out);
    return DataAccessResult::success;
  }
  const std::uint8_t* value = c.state();
  if (value == nullptr) return DataAccessResult::object_unavailable;
  const bool unset_serial = c.def.role == tables::Role::serial_number && c.def.value_size > 2 &&
                            c.def.value_size < 0x80 && all_zero(value + 2, c.def.value_size - 2u);
  if (unset_serial && put_title_serial(c, value, out)) return DataAccessResult::success;
  out.bytes(value, c.def.value_size);
  return DataAccessResult::success;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  if (attribute != 2 || sel != nullptr) return DataAccessResult::object_unavailable;
  if (!value_fits(value, c.def.value_type, c.def.value_size)) return DataAccessResult::type_unmatched;
  if (const DataAccessResult r = check_display_time(c, value); r != DataAccessResult::success) return r;
  if (c.def.role == tables::Role::alarm_descriptor)
    return clear_written_bits(c.state(), c.def.value_type, c.def.value_size, value);
  return set_value(c.state(), c.def.value_type, c.def.value_size, value);
}

dlms::ActionResult action(const ClassContext&, std::int8_t, ByteReader, ByteWriter&, bool&) {
  return dlms::ActionResult::object_unavailable;
}

}  // namespace

const ClassHandler kDataClass{.get = get, .set = set, .action = action, .state_bytes = value_only_state,
                              .default_state = default_value_state, .engine_offset = value_engine_offset,
                              .engine_value = true};

}  // namespace metergen::cosem
