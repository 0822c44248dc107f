// Stage "build": validate the resolved tree against the schema, then turn it into
// the typed Model section by section (sections/: each reads, checks and models
// its part of the spec; docs/generator.md).
#pragma once

#include <optional>

#include "diag.hpp"
#include "model.hpp"
#include "resolve.hpp"

namespace metergen {

std::optional<Model> build_model(const ResolvedSpec& spec, Diagnostics& diags);

// Loads, resolves, builds and checks one spec: the whole front end.
std::optional<Model> load_model(const std::string& spec_path, Diagnostics& diags, const LoadOptions& options = {});

}  // namespace metergen
