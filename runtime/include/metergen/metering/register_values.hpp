// Register values as COSEM encodes them: a physical value scaled by the
// object's scaler and written in its integer data type.
//
// Owns: decimal scaling with rounding and saturation, clamping to a data
// type's range, the DLMS unit each metered quantity must carry, and an
// engine's write of a value to the objects bound to a quantity. May call:
// axdr/, the tables and cosem::Objects.
#pragma once

#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/cosem/objects.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::metering {

// v * 10^e: e < 0 rounds half away from zero, e > 0 saturates at the int64 range.
std::int64_t scale_pow10(std::int64_t v, int e);

// Encodes v as `type` (one of the integer types or enum), clamped to the type's range
// (unsigned types never negative); false for any other type.
bool put_clamped(ByteWriter& w, tables::DataType type, std::int64_t v);

// Writes v * 10^exponent (in the quantity's unit) as the value of every
// object bound to `q` (a quantity an engine keeps: disconnect reason, power
// quality event parameters), in each object's scaler, clamped to its type.
// A linear search: for values that change rarely.
void write_bound(cosem::Objects& objects, tables::Quantity q, std::int64_t v, int exponent = 0);

// The DLMS unit (cosem-interface-classes.md §0.3) an object of this source and
// quantity must declare for the metering engine to write it: Wh 30, varh 32,
// VAh 31, W 27, var 29, VA 28, V 35, A 33, Hz 44, degree 8, % 56, none 255;
// 0 when the engine does not feed that source/quantity.
std::uint8_t expected_unit(tables::SourceKind kind, tables::Quantity q);

}  // namespace metergen::metering
