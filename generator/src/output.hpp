// The only code that writes generated files. Writes are atomic (temporary file
// in the same directory, then rename) and skipped when the content is unchanged,
// so build systems see no spurious changes.
#pragma once

#include <string>
#include <vector>

#include "diag.hpp"
#include "emit.hpp"

namespace metergen {

struct WriteReport {
  std::size_t written = 0, unchanged = 0;
};

WriteReport write_output(const std::string& dir, const FileSet& files, Diagnostics& diags);
// Differences between `dir` and `files` for the given models (missing, changed and
// stray files inside each model's folder).
std::vector<std::string> compare_output(const std::string& dir, const FileSet& files, const std::vector<Model>& models);
void write_depfile(const std::string& depfile, const std::string& dir, const FileSet& files,
                   const std::vector<std::string>& inputs, Diagnostics& diags);
bool write_file_atomic(const std::string& path, const std::string& content, std::string& error);

}  // namespace metergen
