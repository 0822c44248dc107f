// The only code that writes generated files. Writes are atomic (temporary file
// in the same directory, then rename) and skipped when the content is unchanged,
// so build systems see no spurious changes.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "diag.hpp"
#include "emit.hpp"

namespace metergen {

struct WriteReport {
  std::size_t written = 0, unchanged = 0;
};

// Files written as a generation emits them, so that only one is held in memory at
// a time. A changed file goes to a temporary beside its target and commit()
// renames them all into place: until then the targets are as they were, and the
// temporaries of an output never committed are removed with it.
class StagedOutput {
 public:
  explicit StagedOutput(std::string dir) : dir_(std::move(dir)) {}
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;
  ~StagedOutput();

  // Stages dir/rel with `text` unless it already holds it; after a failure
  // (reported in diags) stages nothing more.
  void add(const std::string& rel, const std::string& text, Diagnostics& diags);
  // Renames every staged file into place; false (reported) when one cannot be.
  bool commit(Diagnostics& diags);
  const WriteReport& report() const { return report_; }

 private:
  std::string dir_;
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> staged_;  // temporary, target
  WriteReport report_;
  bool failed_ = false;
};

WriteReport write_output(const std::string& dir, const FileSet& files, Diagnostics& diags);
// "missing PATH" or "differs PATH" when dir/rel does not hold `text`; empty when it does.
std::string compare_file(const std::string& dir, const std::string& rel, const std::string& text);
// "stray PATH" for each file inside the models' folders that `expected` (paths
// relative to dir) does not name.
std::vector<std::string> stray_files(const std::string& dir, const std::set<std::string>& expected,
                                     const std::vector<Model>& models);
// Differences between `dir` and `files` for the given models (missing, changed and
// stray files inside each model's folder).
std::vector<std::string> compare_output(const std::string& dir, const FileSet& files, const std::vector<Model>& models);
// A Makefile depfile: `first_output` (relative to dir) depends on every input.
void write_depfile(const std::string& depfile, const std::string& dir, const std::string& first_output,
                   const std::vector<std::string>& inputs, Diagnostics& diags);
bool write_file_atomic(const std::string& path, const std::string& content, std::string& error);

}  // namespace metergen
