#include "commands.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "audit.hpp"
#include "build_model.hpp"
#include "cosem.hpp"
#include "emit.hpp"
#include "output.hpp"
#include "scenario_emit.hpp"
#include "schema_json.hpp"
#include "spec_schema.hpp"

namespace metergen {

int run_validate(const std::vector<std::string>& specs, Diagnostics& diags, const LoadOptions& load) {
  for (const auto& spec : specs) {
    std::size_t before = diags.error_count();
    auto model = load_model(spec, diags, load);
    if (model && diags.error_count() == before)
      std::cout << spec << ": ok (" << model->objects.size() << " objects, " << model->associations.size()
                << " associations, " << model->profiles.size() << " profiles)\n";
  }
  return 0;
}

int run_generate(const GenerateOptions& options, Diagnostics& diags) {
  std::vector<Model> models;
  std::vector<std::string> inputs;
  for (const auto& spec : options.specs) {
    auto model = load_model(spec, diags, options.load);
    if (model) {
      for (const auto& f : model->inputs) inputs.push_back(f);
      models.push_back(std::move(*model));
    }
  }
  if (diags.has_errors()) return 1;  // nothing is written when any spec has an error
  // Each file is compared or staged as soon as it is emitted (output.hpp).
  std::set<std::string> outputs;  // every file of the generation, relative to the output folder
  auto emit_all = [&](const FileSink& take) {
    for (const auto& m : models)
      emit_model(m, [&](const std::string& path, const std::string& text) {
        outputs.insert(m.id + "/" + path);
        take(m.id + "/" + path, text);
      });
  };
  if (options.check) {
    std::map<std::string, std::string> changed;  // by path, to report in order
    emit_all([&](const std::string& rel, const std::string& text) {
      if (auto d = compare_file(options.output_dir, rel, text); !d.empty()) changed[rel] = d;
    });
    std::vector<std::string> differences;
    for (auto& [rel, d] : changed) differences.push_back(std::move(d));
    for (auto& stray : stray_files(options.output_dir, outputs, models)) differences.push_back(std::move(stray));
    for (const auto& d : differences) std::cerr << "metergen: " << d << '\n';
    if (!differences.empty()) {
      std::cerr << "metergen: " << options.output_dir << " is out of date; run metergen generate\n";
      return 1;
    }
    if (!options.quiet) std::cout << options.output_dir << ": up to date (" << outputs.size() << " files)\n";
    return 0;
  }
  StagedOutput out(options.output_dir);
  emit_all([&](const std::string& rel, const std::string& text) { out.add(rel, text, diags); });
  if (!out.commit(diags)) return 1;
  if (!options.depfile.empty() && !outputs.empty())
    write_depfile(options.depfile, options.output_dir, *outputs.begin(), inputs, diags);
  if (!options.quiet)
    std::cout << "generated " << models.size() << " model(s) into " << options.output_dir << ": "
              << out.report().written << " written, " << out.report().unchanged << " unchanged\n";
  return diags.has_errors() ? 1 : 0;
}

int run_list(const std::string& spec, const std::string& format, std::ostream& out, Diagnostics& diags,
             const LoadOptions& load) {
  auto model = load_model(spec, diags, load);
  if (!model) return 1;
  out << list_objects(*model, format);
  return 0;
}

int run_audit(const AuditCommandOptions& options, std::ostream& out, Diagnostics& diags) {
  auto model = load_model(options.spec, diags, options.load);
  if (!model || diags.has_errors()) return 1;
  std::optional<ObjectList> actual;
  if (options.meter.endpoint.url.empty()) {
    actual = read_object_list(options.object_list, diags);
  } else {
    try {
      actual = client::read_object_lists(*model, options.meter, std::cerr);
    } catch (const client::ClientError& e) {
      std::cerr << "metergen audit: " << e.what() << '\n';
      return 1;
    }
  }
  if (!actual || diags.has_errors()) return 1;
  auto result = audit(object_list_from_model(*model), *actual, {options.association}, diags);
  if (!result) return 1;
  out << (options.format == "json" ? render_audit_json(*result) : render_audit_text(*result));
  return result->equal() ? 0 : kAuditDifferences;
}

int run_report(const ReportOptions& options, Diagnostics& diags) {
  std::vector<Model> models;
  std::vector<std::optional<Model>> bases;  // parallel to models: the base of a variant
  for (const auto& spec : options.specs) {
    auto model = load_model(spec, diags, options.load);
    if (!model) continue;
    std::optional<Model> base;
    if (!model->base_spec.empty()) {
      // The base was read as part of the variant: its warnings are already reported.
      Diagnostics base_diags;
      base = load_model(model->base_spec, base_diags, options.load);
      for (const auto& d : base_diags.items())
        if (d.severity == Severity::error) diags.error(d.pos, d.path, d.message, d.expected);
      if (!base && !base_diags.has_errors()) diags.error({model->base_spec, 0, 0}, "extends", "the base spec cannot be loaded");
    }
    models.push_back(std::move(*model));
    bases.push_back(std::move(base));
  }
  if (diags.has_errors()) return 1;  // nothing is written when any spec has an error
  FileSet files;
  std::vector<const Model*> index;
  for (std::size_t i = 0; i < models.size(); ++i) {
    files[models[i].id + ".html"] = emit_report_html(models[i], bases[i] ? &*bases[i] : nullptr);
    index.push_back(&models[i]);
  }
  std::sort(index.begin(), index.end(), [](const Model* a, const Model* b) { return a->id < b->id; });
  files["index.html"] = emit_report_index(index);
  WriteReport report = write_output(options.output_dir, files, diags);
  if (diags.has_errors()) return 1;
  if (!options.quiet)
    std::cout << "report of " << models.size() << " model(s) in " << options.output_dir << ": " << report.written
              << " written, " << report.unchanged << " unchanged\n";
  return 0;
}

std::string schema_text(const std::string& kind) {
  auto root = kind == "catalog" ? catalog_schema() : spec_schema();
  std::string id = kind == "catalog" ? "metergen-catalog.schema.json" : "metergen-spec.schema.json";
  return schema::to_json_schema(root, id, kind == "catalog" ? "metergen catalog" : "metergen spec").dump(2) + "\n";
}

int run_scenario(const ScenarioOptions& options, std::ostream& out, Diagnostics& diags) {
  auto loaded = load_scenario(options.file, diags);
  if (!loaded) return 1;
  if (!options.emit) {
    const std::size_t n = loaded->segments.size();
    out << options.file << ": ok (" << n << (n == 1 ? " segment, " : " segments, ") << loaded->total_seconds()
        << " s of meter time, " << (loaded->scenario.repeat ? "repeated" : "then the last held") << ")\n";
    return 0;
  }
  const std::string text = emit_scenario_cpp(*loaded, options.name);
  std::ifstream existing(options.output, std::ios::binary);
  std::ostringstream current;
  current << existing.rdbuf();
  if (existing && current.str() == text) return 0;  // unchanged: leave the file (and its time stamp) alone
  std::string error;
  if (!write_file_atomic(options.output, text, error)) {
    diags.error({options.output, 0, 0}, "", error, "a writable output file");
    return 1;
  }
  return 0;
}

}  // namespace metergen
