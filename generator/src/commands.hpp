// The CLI's commands as functions over (arguments, diagnostics) so that tests
// run them without a process. Only run_generate writes files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "diag.hpp"

namespace metergen {

struct GenerateOptions {
  std::vector<std::string> specs;
  std::string output_dir;
  bool check = false;
  std::string depfile;
  bool quiet = false;
};

int run_validate(const std::vector<std::string>& specs, Diagnostics& diags);
int run_generate(const GenerateOptions& options, Diagnostics& diags);
int run_list(const std::string& spec, const std::string& format, std::ostream& out, Diagnostics& diags);
std::string schema_text(const std::string& kind);

}  // namespace metergen
