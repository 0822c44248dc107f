// OBIS logical names (IEC 62056-61): six value groups A.B.C.D.E.F, 0..255 each.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace metergen {

using Obis = std::array<std::uint8_t, 6>;

struct ObisParse {
  std::optional<Obis> value;
  std::string problem;  // set when value is empty
};

// Accepts the dotted COSEM form "1.0.1.8.0.255" and the IEC form "1-0:1.8.0*255"
// (F defaults to 255 when the IEC form omits it).
ObisParse parse_obis(const std::string& text);

// Like parse_obis, but any group may be a range "N-M" (dotted form only); expands in
// ascending order. "1.0.1.8.0-4.255" names five objects.
struct ObisPatternParse {
  std::vector<Obis> values;
  std::string problem;
};
ObisPatternParse parse_obis_pattern(const std::string& text);
bool looks_like_obis(const std::string& text);

std::string format_obis(const Obis& o);          // 1.0.1.8.0.255
std::string format_obis_hex(const Obis& o);      // 0x01, 0x00, ...
std::string obis_identifier(const Obis& o);      // 1_0_1_8_0_255
// Short display code as on the LCD: C.D.E, with C=96 shown as "C" and C=97 as "F",
// and ".F" appended for billing values (F != 255).
std::string display_code(const Obis& o);

}  // namespace metergen
