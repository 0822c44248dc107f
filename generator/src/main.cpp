// metergen command line. The only place that touches the disk for output and
// the only place that turns diagnostics into exit codes:
//   0 ok, 1 spec errors (or --check differences), 2 usage errors,
//   3 audit found differences or conformance deviations (metergen::kAuditDifferences).
// `read` reports meter and protocol errors itself with exit 1.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>

#include "build_model.hpp"
#include "client/listen_command.hpp"
#include "commands.hpp"
#include "conformance.hpp"
#include "scenario_emit.hpp"
#include "spec_schema.hpp"

namespace {

constexpr int kExitSpecError = 1;
constexpr int kExitUsage = 2;

// Meter connection options shared by `read` and `audit --meter`. Client SAP and
// authentication are per association for audit, so only `read` offers them.
void add_connection_options(CLI::App* app, metergen::client::ConnectionOptions& c, bool per_client) {
  if (per_client) {
    app->add_option("--client", c.endpoint.client_sap, "Client SAP (default 16, the public client)")
        ->check(CLI::Range(1, 127));
    app->add_option("--auth", c.auth, "Authentication: none, lls or hls (HLS-GMAC)")
        ->check(CLI::IsMember({"none", "lls", "hls"}));
    app->add_option("--password", c.password, "LLS password");
    app->add_option("--ek", c.ek, "Global unicast encryption key, 16 bytes hex");
    app->add_option("--ak", c.ak, "Authentication key, 16 bytes hex");
    app->add_flag("--ciphered", c.ciphered, "Use the LN context with ciphering (security suite 0)");
  }
  app->add_option("--server", c.endpoint.server_address, "Server address: logical device L or L/P (HDLC physical)")
      ->default_str("1");
  app->add_option("--timeout", c.endpoint.timeout_s, "Seconds to wait for each answer")->check(CLI::Range(0.1, 3600.0));
  app->add_option("--hdlc-info", c.endpoint.hdlc_max_info,
                  "HDLC: largest information field proposed each way, with windows of 7 frames (default 2030; "
                  "the meter may lower both)")
      ->check(CLI::Range(32, 2030));
  app->add_option("--secrets", c.secrets, "Host meter secrets.conf: passwords and keys per client SAP")
      ->check(CLI::ExistingFile);
  app->add_option("--system-title", c.system_title, "Client system title, 8 bytes hex (default 4D47520000000001)");
  app->add_option("--invocation-counter", c.invocation_counter, "First invocation counter of ciphered APDUs (default 1)");
  app->add_option("--max-pdu", c.max_pdu, "Largest APDU the client receives (default 1024)");
  app->add_flag("--progress", c.progress, "Report GET blocks on stderr (always when stderr is a terminal)");
}

// Folders that imported and extended files may come from besides the spec's own
// (docs/generator.md, "What a spec may read"). One list: a run has one subcommand.
void add_allow_dir_option(CLI::App* app, std::vector<std::string>& dirs) {
  app->add_option("--allow-dir", dirs,
                  "Folder whose files the spec may import or extend, besides the spec's own folder (repeatable)")
      ->check(CLI::ExistingDirectory);
}

bool resolve_server_address(metergen::client::ConnectionOptions& c) {
  return c.endpoint.server_address.empty() || metergen::client::parse_server_address(c.endpoint.server_address, c.endpoint);
}

// `metergen read`, with the model of `--spec` when one is given. Its errors are
// reported before the meter is touched; its warnings (about the spec, not the
// reading) are not.
int run_read_with_spec(const std::string& spec, metergen::client::ReadOptions& options, const metergen::LoadOptions& load) {
  std::optional<metergen::Model> model;
  if (!spec.empty()) {
    metergen::Diagnostics spec_diags;
    model = metergen::load_model(spec, spec_diags, load);
    for (const auto& d : spec_diags.sorted())
      if (d.severity == metergen::Severity::error) std::cerr << d.format() << '\n';
    if (!model || spec_diags.has_errors()) return kExitSpecError;
    options.model = &*model;
  }
  return metergen::client::run_read(options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"metergen: compile meter-model specs into DLMS/COSEM runtime tables", "metergen"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("metergen ") + METERGEN_VERSION);
  bool werror = false;
  app.add_flag("--werror", werror, "Treat warnings as errors");

  // Spec arguments are not checked here: the loader reports a missing or
  // unreadable spec at its file with exit code 1, like any other input error.
  metergen::LoadOptions load_options;
  std::vector<std::string> validate_specs;
  auto* validate = app.add_subcommand("validate", "Check specs and report every problem");
  validate->add_option("spec", validate_specs, "Spec files")->required();
  add_allow_dir_option(validate, load_options.allow_dirs);

  metergen::GenerateOptions gen;
  auto* generate = app.add_subcommand("generate", "Generate tables, object lists and docs for each spec");
  generate->add_option("spec", gen.specs, "Spec files")->required();
  add_allow_dir_option(generate, load_options.allow_dirs);
  generate->add_option("-o,--output", gen.output_dir, "Output directory (one folder per model)")->required();
  generate->add_flag("--check", gen.check, "Write nothing; exit 1 when the output directory differs");
  generate->add_option("--depfile", gen.depfile, "Write a Makefile depfile naming every input");
  generate->add_flag("-q,--quiet", gen.quiet, "Only report problems");

  metergen::ReportOptions report_options;
  auto* report = app.add_subcommand("report", "Write a static HTML report per model (DIR/<model id>.html) and DIR/index.html");
  report->add_option("spec", report_options.specs, "Spec files")->required();
  add_allow_dir_option(report, load_options.allow_dirs);
  report->add_option("-o,--output", report_options.output_dir, "Output directory")->required();
  report->add_flag("-q,--quiet", report_options.quiet, "Only report problems");

  std::string list_spec, list_format = "table";
  auto* list = app.add_subcommand("list", "List the objects of a spec");
  list->add_option("spec", list_spec, "Spec file")->required();
  add_allow_dir_option(list, load_options.allow_dirs);
  list->add_option("--format", list_format, "table, json or csv")->check(CLI::IsMember({"table", "json", "csv"}));

  std::string schema_kind = "spec";
  auto* schema = app.add_subcommand("schema", "Print the JSON Schema of the spec (or catalog) format");
  schema->add_option("--kind", schema_kind, "spec or catalog")->check(CLI::IsMember({"spec", "catalog"}));

  metergen::AuditCommandOptions audit_options;
  auto* audit = app.add_subcommand("audit", "Compare a meter's object list with the spec's; exit 3 when they differ");
  audit->add_option("spec", audit_options.spec, "Spec file")->required();
  add_allow_dir_option(audit, load_options.allow_dirs);
  // Where the meter's list comes from: exactly one source (a network reader joins this group later).
  auto* sources = audit->add_option_group("source", "Where the meter's object list comes from");
  sources->add_option("--object-list", audit_options.object_list, "Object list file: .json (metergen) or .gxc (GXDLMSDirector)")
      ->check(CLI::ExistingFile);
  sources->add_option("--meter", audit_options.meter.endpoint.url,
                      "Read every association's object list from a meter: tcp://HOST:PORT, hdlc+tcp://HOST:PORT or hdlc:DEVICE");
  sources->require_option(1);
  add_connection_options(audit, audit_options.meter, false);
  audit->add_option("--association", audit_options.association, "Compare only this association of the spec");
  audit->add_option("--format", audit_options.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  metergen::ConformanceOptions conformance_options;
  auto* conformance = app.add_subcommand(
      "conformance", "Check that a meter grants what its spec gives, as the standard says; exit 3 on deviations");
  conformance->add_option("spec", conformance_options.spec, "Spec file")->required();
  add_allow_dir_option(conformance, load_options.allow_dirs);
  conformance->add_option("--meter", conformance_options.meter.endpoint.url,
                          "tcp://HOST:PORT (wrapper), hdlc+tcp://HOST:PORT or hdlc:DEVICE (HDLC)")
      ->required();
  add_connection_options(conformance, conformance_options.meter, false);
  conformance->add_option("--association", conformance_options.association, "Check only this association of the spec");
  conformance->add_option("--format", conformance_options.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  metergen::client::ReadOptions read_options;
  auto* read = app.add_subcommand("read", "Read from a meter over DLMS/COSEM: objects, get, set, action, profile");
  read->add_option("--meter", read_options.connection.endpoint.url,
                   "tcp://HOST:PORT (wrapper), hdlc+tcp://HOST:PORT or hdlc:DEVICE (HDLC)")
      ->required();
  add_connection_options(read, read_options.connection, true);
  read->add_option("--format", read_options.format, "json (typed values), table (readings) or csv")
      ->check(CLI::IsMember({"json", "table", "csv"}));
  std::string read_spec;
  read->add_option("--spec", read_spec, "The meter's spec: scalers, units, names and profile columns from it");
  add_allow_dir_option(read, load_options.allow_dirs);
  read->add_option("--class", read_options.class_id, "Class id (default: looked up in the object list)");
  read->require_subcommand(1);
  read->fallthrough();
  read->add_subcommand("objects", "The association's object list (as object_list.json)");
  auto* get = read->add_subcommand("get", "Read an attribute");
  get->add_option("target", read_options.target, "OBIS:ATTR")->required();
  auto* set = read->add_subcommand("set", "Write an attribute");
  set->add_option("target", read_options.target, "OBIS:ATTR")->required();
  set->add_option("value", read_options.value, "Hex A-XDR or typed JSON, e.g. '{\"long-unsigned\": 5}'")->required();
  auto* action = read->add_subcommand("action", "Invoke a method");
  action->add_option("target", read_options.target, "OBIS:METHOD")->required();
  action->add_option("value", read_options.value, "Parameter: hex A-XDR or typed JSON (default: none)");
  auto* profile = read->add_subcommand("profile", "Read a profile's buffer by range or by entry");
  profile->add_option("target", read_options.target, "OBIS of the profile")->required();
  profile->add_option("--from", read_options.from, "Start, ISO date-time (meter local time unless an offset is given)");
  profile->add_option("--to", read_options.to, "End, ISO date-time");
  profile->add_option("--entries", read_options.entries, "Entries A:B (1-based; B = 0: to the last)");
  profile->add_option("--columns", read_options.columns, "Columns C:D (1-based; D = 0: to the last)");

  metergen::client::ListenOptions listen_options;
  auto* listen = app.add_subcommand("listen", "Receive pushed DataNotifications on 127.0.0.1 and print them");
  listen->add_option("--port", listen_options.port, "TCP port (wrapper), 0 = ephemeral (default 4059)")
      ->check(CLI::Range(0, 65535));
  listen->add_option("--ek", listen_options.ek, "Global unicast encryption key, 16 bytes hex");
  listen->add_option("--ak", listen_options.ak, "Authentication key, 16 bytes hex");
  listen->add_option("--secrets", listen_options.secrets, "Host meter secrets.conf: keys per client SAP")
      ->check(CLI::ExistingFile);
  listen->add_option("--client", listen_options.client_sap,
                     "Client SAP whose keys --secrets gives (default: each frame's destination wPort)")
      ->check(CLI::Range(1, 65535));
  listen->add_option("--count", listen_options.count, "Notifications to receive, then exit 0 (default 1)")
      ->check(CLI::Range(1, 1000000));
  listen->add_option("--timeout", listen_options.timeout_s, "Seconds to wait for them, else exit 1 (default 60)")
      ->check(CLI::Range(0.1, 86400.0));
  listen->add_option("--format", listen_options.format, "table or json (one object per line)")
      ->check(CLI::IsMember({"table", "json"}));
  listen->add_option("--ready-file", listen_options.ready_file, "Written `port=N` once listening");

  metergen::ScenarioOptions scenario_options;
  auto* scenario = app.add_subcommand("scenario", "Check a front-end scenario file or emit it as C++ (docs/scenario.md)");
  scenario->require_subcommand(1);
  auto* scenario_check = scenario->add_subcommand("check", "Check a scenario file and report every problem");
  scenario_check->add_option("file", scenario_options.file, "Scenario file")->required();
  auto* scenario_emit = scenario->add_subcommand("emit", "Write a scenario as a constexpr metergen::simulation::Scenario");
  scenario_emit->add_option("file", scenario_options.file, "Scenario file")->required();
  scenario_emit->add_option("-o,--output", scenario_options.output, "C++ file to write")->required();
  scenario_emit->add_option("--name", scenario_options.name, "Identifier of the Scenario constant")
      ->required()
      ->check(CLI::Validator(
          [](std::string& name) { return metergen::is_scenario_identifier(name) ? std::string() : "not a C++ identifier"; },
          "IDENT"));

  try {
    app.parse(argc, argv);
    if (!resolve_server_address(read_options.connection) || !resolve_server_address(audit_options.meter) ||
        !resolve_server_address(conformance_options.meter))
      throw CLI::ValidationError("--server", "expected L or L/P, 0..16383 each");
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  gen.load = load_options;
  report_options.load = load_options;
  audit_options.load = load_options;
  conformance_options.load = load_options;
  metergen::Diagnostics diags;
  int result = 0;
  // Input errors are diagnostics; an exception here is a bug or an exhausted
  // machine, still reported as a message and exit 1 rather than an abort.
  try {
    if (*validate) {
      result = metergen::run_validate(validate_specs, diags, load_options);
    } else if (*generate) {
      result = metergen::run_generate(gen, diags);
    } else if (*report) {
      result = metergen::run_report(report_options, diags);
    } else if (*list) {
      result = metergen::run_list(list_spec, list_format, std::cout, diags, load_options);
    } else if (*audit) {
      result = metergen::run_audit(audit_options, std::cout, diags);
    } else if (*conformance) {
      result = metergen::run_conformance(conformance_options, std::cout, std::cerr);
    } else if (*read) {
      for (auto* sub : read->get_subcommands()) read_options.service = sub->get_name();
      result = run_read_with_spec(read_spec, read_options, load_options);
    } else if (*listen) {
      result = metergen::client::run_listen(listen_options, std::cout, std::cerr);
    } else if (*scenario) {
      scenario_options.emit = scenario_emit->parsed();
      result = metergen::run_scenario(scenario_options, std::cout, diags);
    } else if (*schema) {
      std::cout << metergen::schema_text(schema_kind);
    }
  } catch (const std::bad_alloc&) {
    std::cerr << "metergen: out of memory\n";
    result = kExitSpecError;
  } catch (const std::exception& e) {
    std::cerr << "metergen: internal error: " << e.what() << '\n';
    result = kExitSpecError;
  }
  for (const auto& d : diags.sorted()) std::cerr << d.format() << '\n';
  if (diags.has_errors() || (werror && diags.warning_count() > 0)) return kExitSpecError;
  return result;
}
