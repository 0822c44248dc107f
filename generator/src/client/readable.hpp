// Values as a meter engineer reads them, for `metergen read --format table|csv`:
// the scaler applied with the unit ("230.00 V", "1.790 kWh"), date-times in ISO
// 8601 with their deviation and clock status, enumerations and bit-strings by
// name, and profile buffers as tables or CSV with named columns.
//
// Input is the typed JSON of data.hpp (what `--format json` prints); what a value
// means (its scaler and unit, names) comes from the spec's model or from the meter
// (meanings.hpp). Pure functions, no I/O. May call: cosem (units), runtime axdr.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace metergen::client {

struct Meaning {
  enum class Kind { raw, scaled, date_time, names, bits };
  Kind kind = Kind::raw;
  int scaler = 0;                         // scaled: value × 10^scaler in `unit`
  int unit = 255;                         // DLMS unit enumeration (255: count, no unit)
  std::map<std::int64_t, std::string> names;  // names: value → name; bits: bit index → name
};

Meaning scaled(int scaler, int unit);
Meaning named(std::map<std::int64_t, std::string> names);
Meaning bit_names(std::map<std::int64_t, std::string> names);
Meaning date_time();

// An integer × 10^scaler written exactly, with -scaler decimals (none when
// scaler ≥ 0): (23000, -2) → "230.00", (179, 1) → "1790", (-5, -2) → "-0.05".
std::string decimal_text(std::int64_t value, int scaler);

// The unit as it is printed: energy units (Wh, varh, VAh) as kWh, kvarh, kVAh;
// "%" for percent; "" for count (255) and no unit; "unit N" for a code the
// table does not know.
std::string unit_label(int unit);

// An integer in `unit` × 10^scaler as it is printed beside unit_label(unit): the
// decimals of the scaler; energy in kilo-units, with 3 more decimals than it has
// in Wh (none for scaler ≥ 0), so no digit is lost and the resolution shows:
// (23000, -2, V) → "230.00", (1790, 0, Wh) → "1.790", (179, 1, Wh) → "1.790",
// (123456, -2, Wh) → "1.23456".
std::string scaled_text(std::int64_t value, int scaler, int unit);

// A COSEM date-time (12 bytes, hex as data.hpp writes octet-strings) in ISO 8601
// with its UTC offset ("2027-03-01T10:00:00+01:00"); unspecified fields as '*'
// of their width ("****-12-25T00:00:00"), no offset when the deviation is not
// specified, a set clock status named after it ("… (doubtful, dst)"). nullopt
// when the hex is not 12 bytes.
std::optional<std::string> date_time_text(const std::string& hex);

// A bit-string ("0110", first bit = bit 0) with the names of its set bits:
// "0110 (cover_open, magnet)"; a set bit without a name as "bit N"; "0000 (none)".
std::string bits_text(const std::string& bits, const std::map<std::int64_t, std::string>& names);
// An unsigned integer used as flags (bit N = 2^N, as alarm and error registers):
// "18 (cover_open, magnet)".
std::string flags_text(std::uint64_t value, const std::map<std::int64_t, std::string>& names);

// The unit printed with a value of this meaning: unit_label for a scaled one, else "".
std::string unit_text(const Meaning& meaning);
// One typed value as printed without its unit (a table cell, a CSV field).
std::string value_text(const nlohmann::json& typed, const Meaning& meaning);
// One typed value with its unit: "230.00 V", "connected", "2027-03-01T10:00:00+01:00".
std::string reading_text(const nlohmann::json& typed, const Meaning& meaning);

// A profile column: its heading (the spec's object name, or OBIS:attribute) and meaning.
struct Column {
  std::string name;
  Meaning meaning;
};
// "name [unit]", or "name" for a value without a unit.
std::string column_heading(const Column& column);

// Rows of text cells: a heading row, then one row per buffer entry (a typed
// array of structures); extra fields beyond `columns` are headed "column N".
std::vector<std::vector<std::string>> profile_rows(const nlohmann::json& buffer, const std::vector<Column>& columns);

// Cells as a text table: columns padded to their widest cell, two spaces apart,
// a dashed line under the heading row, no trailing blanks.
std::string table_text(const std::vector<std::vector<std::string>>& rows);
// Cells as CSV (RFC 4180: a field with a comma, quote or line break is quoted, its
// quotes doubled; lines end with \r\n).
std::string csv_text(const std::vector<std::vector<std::string>>& rows);

}  // namespace metergen::client
