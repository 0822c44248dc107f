// Diagnostics: every problem found in a spec is one line
//   file:line:col: error: <object path>: <what>; expected <allowed>
// pointing at the offending node. Collected, never thrown past the CLI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace metergen {

struct SourcePos {
  std::string file;  // as given on the command line or resolved from the including spec
  int line = 0;      // 1-based; 0 means "no position" (whole file)
  int col = 0;       // 1-based
};

enum class Severity { warning, error };

struct Diagnostic {
  Severity severity = Severity::error;
  SourcePos pos;
  std::string path;      // object path, e.g. profiles[load_profile_1].capture[3]
  std::string message;   // what is wrong
  std::string expected;  // what is allowed (may be empty)

  std::string format() const;
};

class Diagnostics {
 public:
  void error(const SourcePos& pos, std::string path, std::string message, std::string expected = {});
  void warning(const SourcePos& pos, std::string path, std::string message, std::string expected = {});

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return items_.size() - errors_; }
  const std::vector<Diagnostic>& items() const { return items_; }

  // Sorted by file, line and column so the output does not depend on check order.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

// "did you mean" helper: the closest candidate within a small edit distance, or "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace metergen
