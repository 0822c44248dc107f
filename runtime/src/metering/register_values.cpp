// Scaling, clamping and units of register values (see metering/register_values.hpp).
#include <metergen/axdr/axdr.hpp>
#include <metergen/metering/register_values.hpp>

namespace metergen::metering {

using tables::DataType;
using tables::Quantity;
using tables::SourceKind;

namespace {

constexpr std::int64_t kInt64Max = 0x7FFFFFFFFFFFFFFFll;

std::int64_t clamp(std::int64_t v, std::int64_t lo, std::int64_t hi) { return v < lo ? lo : v > hi ? hi : v; }

}  // namespace

std::int64_t scale_pow10(std::int64_t v, int e) {
  for (; e > 0; --e) {
    std::int64_t r;
    if (__builtin_mul_overflow(v, 10, &r)) return v < 0 ? -kInt64Max - 1 : kInt64Max;
    v = r;
  }
  if (e == 0) return v;
  if (e < -18) return 0;
  std::int64_t d = 1;
  for (; e < 0; ++e) d *= 10;
  const std::int64_t q = v / d, r = v % d;
  // |r| >= d/2, written without overflow: |r| >= d - |r|.
  const std::int64_t r_abs = r < 0 ? -r : r;
  if (r_abs >= d - r_abs) return v < 0 ? q - 1 : q + 1;
  return q;
}

bool put_clamped(ByteWriter& w, DataType type, std::int64_t v) {
  switch (type) {
    case DataType::integer: axdr::put_integer(w, static_cast<std::int8_t>(clamp(v, -128, 127))); return true;
    case DataType::unsigned_: axdr::put_unsigned(w, static_cast<std::uint8_t>(clamp(v, 0, 0xFF))); return true;
    case DataType::enum_: axdr::put_enum(w, static_cast<std::uint8_t>(clamp(v, 0, 0xFF))); return true;
    case DataType::long_: axdr::put_long(w, static_cast<std::int16_t>(clamp(v, -32768, 32767))); return true;
    case DataType::long_unsigned: axdr::put_long_unsigned(w, static_cast<std::uint16_t>(clamp(v, 0, 0xFFFF))); return true;
    case DataType::double_long:
      axdr::put_double_long(w, static_cast<std::int32_t>(clamp(v, -2147483647ll - 1, 2147483647ll)));
      return true;
    case DataType::double_long_unsigned:
      axdr::put_double_long_unsigned(w, static_cast<std::uint32_t>(clamp(v, 0, 0xFFFFFFFFll)));
      return true;
    case DataType::long64: axdr::put_long64(w, v); return true;
    case DataType::long64_unsigned: axdr::put_long64_unsigned(w, static_cast<std::uint64_t>(v < 0 ? 0 : v)); return true;
    default: return false;
  }
}

std::uint8_t expected_unit(SourceKind kind, Quantity q) {
  const bool energy = kind == SourceKind::energy;
  const bool per_second = kind == SourceKind::instantaneous || kind == SourceKind::average ||
                          kind == SourceKind::maximum || kind == SourceKind::minimum;
  if (!energy && !per_second) return 0;
  switch (q) {
    case Quantity::active_import: case Quantity::active_export: case Quantity::active_absolute: case Quantity::active_net:
      return energy ? 30 : 27;
    case Quantity::reactive_import: case Quantity::reactive_export: case Quantity::reactive_q1:
    case Quantity::reactive_q2: case Quantity::reactive_q3: case Quantity::reactive_q4:
      return energy ? 32 : 29;
    case Quantity::apparent_import: case Quantity::apparent_export: return energy ? 31 : 28;
    default: break;
  }
  if (energy) return 0;
  switch (q) {
    case Quantity::voltage: return 35;
    case Quantity::current: case Quantity::neutral_current: return 33;
    case Quantity::power_factor: return 255;
    case Quantity::frequency: return 44;
    case Quantity::voltage_angle: case Quantity::current_angle: return 8;
    case Quantity::thd_voltage: case Quantity::thd_current: return 56;
    default: return 0;  // battery voltage, temperature: not metrology's
  }
}

void write_bound(cosem::Objects& objects, tables::Quantity q, std::int64_t v, int exponent) {
  const tables::Model& m = objects.model();
  for (std::uint16_t i = 0; i < m.object_count; ++i) {
    const tables::ObjectDef& d = m.objects[i];
    if (d.binding.quantity != q) continue;
    std::uint8_t buf[16];
    ByteWriter w(buf, sizeof buf);
    if (put_clamped(w, d.value_type, scale_pow10(v, exponent - d.scaler)) && !w.overflow()) objects.write_value(i, ByteReader(buf, w.size()));
  }
}

}  // namespace metergen::metering
