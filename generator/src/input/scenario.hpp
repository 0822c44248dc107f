// Scenario files (docs/scenario.md): the simulated front end's input as YAML,
// loaded on the located source tree (tree.hpp), validated against a schema
// (unknown keys with "did you mean", types, units, ranges) and checked
// (every phase has a voltage and a current, harmonics below half the simulated
// sample rate), then turned into the runtime's simulation::Scenario. Rendering
// a scenario as C++ is the generator's (scenario_emit.hpp); the host meter
// links only this part (library metergen_input).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <metergen/simulation/scenario.hpp>

#include "diag.hpp"
#include "schema.hpp"
#include "tree.hpp"

namespace metergen {

// A checked scenario. `scenario` points into `segments`, whose names and keys
// point into `names` and `keys`: movable (a vector's move keeps its elements in
// place), not copyable.
struct LoadedScenario {
  std::string file;                            // as given, for provenance and logs
  std::vector<std::string> names;              // one per segment, "" = unnamed
  std::vector<std::string> keys;               // one per segment, "" = none typed
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

// The shortest text that reads back as `v` (std::to_chars): how diagnostics and
// the emitted C++ (scenario_emit.hpp) write a scenario's numbers.
std::string scenario_number(double v);

}  // namespace metergen
