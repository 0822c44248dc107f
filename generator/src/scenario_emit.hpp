// `metergen scenario emit`: a checked scenario (input/scenario.hpp) rendered as
// a C++ source file for firmware images without an ADC.
#pragma once

#include <string>

#include "scenario.hpp"

namespace metergen {

// True when `name` can name the emitted constant: a C++ identifier, not a keyword.
bool is_scenario_identifier(const std::string& name);

// The C++ file of `metergen scenario emit`: a constexpr simulation::Scenario
// named `identifier` with external linkage. Deterministic: the same scenario
// gives the same bytes; the provenance names the file without its directories.
std::string emit_scenario_cpp(const LoadedScenario& scenario, const std::string& identifier);

}  // namespace metergen
