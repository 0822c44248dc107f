// Scenario files (docs/scenario.md): the simulated front end's input as YAML,
// loaded on the located source tree (tree.hpp), validated against a schema
// (unknown keys with "did you mean", types, units, ranges) and checked
// (every phase has a voltage and a current, harmonics below half the simulated
// sample rate), then turned into the runtime's simulation::Scenario. Also
// renders a scenario as a C++ source file for firmware images without an ADC.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <metergen/simulation/scenario.hpp>

#include "diag.hpp"
#include "schema.hpp"
#include "tree.hpp"

namespace metergen {

// A checked scenario. `scenario` points into `segments`, whose names point into
// `names`: movable (a vector's move keeps its elements in place), not copyable.
struct LoadedScenario {
  std::string file;                            // as given, for provenance and logs
  std::vector<std::string> names;              // one per segment, "" = unnamed
  std::vector<simulation::Segment> segments;
  simulation::Scenario scenario{};

  LoadedScenario() = default;
  LoadedScenario(LoadedScenario&&) = default;
  LoadedScenario& operator=(LoadedScenario&&) = default;
  LoadedScenario(const LoadedScenario&) = delete;
  LoadedScenario& operator=(const LoadedScenario&) = delete;

  // Meter time of one pass through every segment, in seconds.
  std::uint64_t total_seconds() const;
};

// Loads and checks a scenario file; reports every problem found and returns
// nothing when there is an error.
std::optional<LoadedScenario> load_scenario(const std::string& path, Diagnostics& diags);
std::optional<LoadedScenario> parse_scenario(const Node& root, const std::string& file, Diagnostics& diags);

// The schema of the scenario format (also the wording of its diagnostics).
schema::TypeP scenario_schema();

// True when `name` can name the emitted constant: a C++ identifier, not a keyword.
bool is_scenario_identifier(const std::string& name);

// The C++ file of `metergen scenario emit`: a constexpr simulation::Scenario
// named `identifier` with external linkage. Deterministic: the same scenario
// gives the same bytes; the provenance names the file without its directories.
std::string emit_scenario_cpp(const LoadedScenario& scenario, const std::string& identifier);

}  // namespace metergen
