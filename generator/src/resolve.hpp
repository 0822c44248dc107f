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

// Where imported and extended files may be: the folder of the spec named on the
// command line (and below it) and each of `allow_dirs` (and below them), after
// symbolic links are followed. The named spec itself may be anywhere.
struct LoadOptions {
  std::vector<std::string> allow_dirs;
};

std::optional<ResolvedSpec> resolve_spec(const std::string& path, Diagnostics& diags, const LoadOptions& options = {});

}  // namespace metergen
