// Test helper for fixtures that carry, on their second line, the exact first
// diagnostic the generator must report for them: `# expect: <diagnostic>`
// (tests/bad_specs, tests/bad_scenarios).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace metergen::test {

// The *.yaml file names in `dir`, sorted.
inline std::vector<std::string> yaml_fixtures(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// The expectation of a fixture, or "" when its second line has none.
inline std::string expected_diagnostic(const std::filesystem::path& fixture) {
  std::ifstream in(fixture);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const std::string prefix = "# expect: ";
  return line.rfind(prefix, 0) == 0 ? line.substr(prefix.size()) : std::string();
}

// A test name from a fixture's file name: without ".yaml".
inline std::string fixture_test_name(const std::string& file) { return file.substr(0, file.size() - 5); }

}  // namespace metergen::test
