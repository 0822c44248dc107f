// Test helper: a spec's model, failing the test on any error. Warnings are
// allowed: the seed specs list event codes that nothing on a simulated meter
// detects (a modem's, a firmware update's), which the generator names.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "build_model.hpp"

namespace metergen::test {

// Test specs outside specs/ import the catalog from there (metergen --allow-dir specs).
inline LoadOptions with_catalog() { return {{std::string(METERGEN_SOURCE_DIR) + "/specs"}}; }

inline Model load_spec(const std::string& path) {
  Diagnostics d;
  auto m = load_model(path, d, with_catalog());
  for (const auto& x : d.items())
    if (x.severity == Severity::error) ADD_FAILURE() << x.format();
  if (!m) throw std::runtime_error("model did not load: " + path);
  return std::move(*m);
}

}  // namespace metergen::test
