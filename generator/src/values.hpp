// Static values written in a spec (constants, parameter defaults) encoded as
// A-XDR, as the runtime serves them. Range errors are spec errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cosem.hpp"

namespace metergen {

struct Encoded {
  std::vector<std::uint8_t> bytes;
  std::string problem;  // empty when bytes are valid
  std::string expected;
};

// Text forms: integers in decimal (or 0x hex); booleans true/false; octet-string as
// ASCII, or "0x" followed by hex digits; bit-string as a string of 0/1 digits.
Encoded encode_value(cosem::DataType type, const std::string& text);

}  // namespace metergen
