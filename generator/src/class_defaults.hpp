// The values of the attributes the runtime serves as constants (interface
// classes without behaviour: image transfer, IEC local port setup, IEC HDLC
// setup, TCP-UDP setup) when the spec's `attributes:` gives none: what the
// meter really does where the runtime decides it (its HDLC link, its wrapper
// port), otherwise the Blue Book's default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace metergen {

struct ClassDefault {
  std::vector<std::uint8_t> bytes;  // encoded Data, tag included
  std::string origin;               // why this value: shown in the model JSON
};

// The default of attribute `index` of class `class_id`; none when there is none.
std::optional<ClassDefault> class_default(int class_id, int index);

}  // namespace metergen
