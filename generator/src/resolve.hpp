// Stage "resolve": load a spec file, follow `extends` (merging the variant onto
// its base) and collect the catalog files it imports. The result is still a
// source tree; nothing here interprets meter semantics.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag.hpp"
#include "tree.hpp"

namespace metergen {

struct ResolvedSpec {
  Node tree;                          // merged spec (extends applied, remove lists kept for the builder)
  std::vector<std::string> imports;   // catalog paths, resolved, base first, no duplicates
  std::vector<std::string> files;     // every file read: spec, bases, imports (for dependency tracking)
  std::vector<Node> catalogs;         // parsed imports, parallel to `imports`
};

std::optional<ResolvedSpec> resolve_spec(const std::string& path, Diagnostics& diags);

}  // namespace metergen
