// C++ identifiers derived from spec names. Rule: lower-case the name, replace
// every character outside [a-z0-9] by '_', prefix 'n' when it is empty or starts
// with a digit, and append '_' to C++ keywords (and `main`, `final`, `override`).
#pragma once

#include <string>

namespace metergen {

std::string cpp_identifier(const std::string& name);
// Namespace for a model id: "hxf300-eu" -> "hxf300_eu".
std::string model_namespace(const std::string& model_id);

}  // namespace metergen
