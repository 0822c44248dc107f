// metergen command line. The only place that touches the disk for output and
// the only place that turns diagnostics into exit codes:
//   0 ok, 1 spec errors (or --check differences), 2 usage errors,
//   3 audit found differences (metergen::kAuditDifferences).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "build_model.hpp"
#include "commands.hpp"
#include "spec_schema.hpp"

namespace {

constexpr int kExitSpecError = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"metergen: compile meter-model specs into DLMS/COSEM runtime tables", "metergen"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("metergen ") + METERGEN_VERSION);
  bool werror = false;
  app.add_flag("--werror", werror, "Treat warnings as errors");

  std::vector<std::string> validate_specs;
  auto* validate = app.add_subcommand("validate", "Check specs and report every problem");
  validate->add_option("spec", validate_specs, "Spec files")->required()->check(CLI::ExistingFile);

  metergen::GenerateOptions gen;
  auto* generate = app.add_subcommand("generate", "Generate tables, object lists and docs for each spec");
  generate->add_option("spec", gen.specs, "Spec files")->required()->check(CLI::ExistingFile);
  generate->add_option("-o,--output", gen.output_dir, "Output directory (one folder per model)")->required();
  generate->add_flag("--check", gen.check, "Write nothing; exit 1 when the output directory differs");
  generate->add_option("--depfile", gen.depfile, "Write a Makefile depfile naming every input");
  generate->add_flag("-q,--quiet", gen.quiet, "Only report problems");

  std::string list_spec, list_format = "table";
  auto* list = app.add_subcommand("list", "List the objects of a spec");
  list->add_option("spec", list_spec, "Spec file")->required()->check(CLI::ExistingFile);
  list->add_option("--format", list_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));

  std::string schema_kind = "spec";
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of the spec (or catalog) format");
  schema->add_option("--kind", schema_kind, "spec or catalog")->check(CLI::IsMember({"spec", "catalog"}));

  metergen::AuditCommandOptions audit_options;
  auto* audit = app.add_subcommand("audit", "Compare a meter's object list with the spec's; exit 3 when they differ");
  audit->add_option("spec", audit_options.spec, "Spec file")->required()->check(CLI::ExistingFile);
  // Where the meter's list comes from: exactly one source (a network reader joins this group later).
  auto* sources = audit->add_option_group("source", "Where the meter's object list comes from");
  sources->add_option("--object-list", audit_options.object_list, "Object list file: .json (metergen) or .gxc (GXDLMSDirector)")
      ->check(CLI::ExistingFile);
  sources->require_option(1);
  audit->add_option("--association", audit_options.association, "Compare only this association of the spec");
  audit->add_option("--format", audit_options.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  metergen::Diagnostics diags;
  int result = 0;
  if (*validate) {
    result = metergen::run_validate(validate_specs, diags);
  } else if (*generate) {
    result = metergen::run_generate(gen, diags);
  } else if (*list) {
    result = metergen::run_list(list_spec, list_format, std::cout, diags);
  } else if (*audit) {
    result = metergen::run_audit(audit_options, std::cout, diags);
  } else if (*schema) {
    std::cout << metergen::schema_text(schema_kind);
  }
  for (const auto& d : diags.sorted()) std::cerr << d.format() << '\n';
  if (diags.has_errors() || (werror && diags.warning_count() > 0)) return kExitSpecError;
  return result;
}
