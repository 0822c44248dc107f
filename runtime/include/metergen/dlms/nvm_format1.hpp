// Conversion of an NVM image in format 1 (the layout before format 2,
// docs/nvm-format.md) into format 2's records, so a meter updated in the field
// keeps every value it had: object state and clock settings, energy, frame
// counters, profile buffers and capture periods.
//
// Power-cut safe: the format-1 bytes are first copied whole into a migration
// record past both layouts; the records are then written from that copy, the
// objects record last. A conversion cut short is started again from the copy.
#pragma once

#include <cstdint>

namespace metergen::dlms {

class Meter;

// Called by Meter::boot when no objects record was found, after every record
// was placed and booted. Converts a format-1 image (or finishes a conversion
// cut short), with its copy from `scratch_base`; false when there is none or
// it could not be converted (logged).
bool convert_format1(Meter& meter, std::uint32_t scratch_base);

}  // namespace metergen::dlms
