// The CLI's commands as functions over (arguments, diagnostics) so that tests
// run them without a process. Only run_generate writes files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "client/read_command.hpp"
#include "diag.hpp"
#include "resolve.hpp"

namespace metergen {

struct GenerateOptions {
  std::vector<std::string> specs;
  std::string output_dir;
  bool check = false;
  std::string depfile;
  bool quiet = false;
  LoadOptions load;
};

// `metergen audit`: the spec's object lists against one a meter exposed.
struct AuditCommandOptions {
  std::string spec;
  std::string object_list;  // .json (metergen) or .gxc (GXDLMSDirector)
  client::ConnectionOptions meter;  // or read from a meter: meter.endpoint.url set
  std::string association;  // empty: every association the object list holds
  std::string format = "text";
  LoadOptions load;
};
// 0 when the lists are equal, kAuditDifferences when they differ, 1 on errors.
constexpr int kAuditDifferences = 3;

// `metergen report SPEC... -o DIR`: a static HTML page per model and an index.
struct ReportOptions {
  std::vector<std::string> specs;
  std::string output_dir;
  bool quiet = false;
  LoadOptions load;
};

// `metergen scenario check FILE` and `metergen scenario emit FILE -o OUT --name IDENT`.
struct ScenarioOptions {
  bool emit = false;
  std::string file;
  std::string output;  // emit: the C++ file, written atomically when its content changes
  std::string name;    // emit: identifier of the Scenario constant
};

int run_validate(const std::vector<std::string>& specs, Diagnostics& diags, const LoadOptions& load = {});
int run_generate(const GenerateOptions& options, Diagnostics& diags);
int run_list(const std::string& spec, const std::string& format, std::ostream& out, Diagnostics& diags,
             const LoadOptions& load = {});
int run_audit(const AuditCommandOptions& options, std::ostream& out, Diagnostics& diags);
int run_report(const ReportOptions& options, Diagnostics& diags);
std::string schema_text(const std::string& kind);
int run_scenario(const ScenarioOptions& options, std::ostream& out, Diagnostics& diags);

}  // namespace metergen
