// Stage "emit": the model becomes a set of files {relative path: text}. Nothing
// here touches the disk (output.cpp does) and nothing here decides anything the
// checks have not already validated.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "model.hpp"

namespace metergen {

using FileSet = std::map<std::string, std::string>;
// Receives each emitted file in turn: its path in the model's folder and its text.
using FileSink = std::function<void(const std::string& path, const std::string& text)>;

// The model's files, each handed to `sink` as soon as it is made and dropped
// after: a large model's outputs are never all in memory at once.
void emit_model(const Model& model, const FileSink& sink);
// The same, collected (tests).
FileSet emit_model(const Model& model);

// Individual emitters (used by emit_model; exposed for tests).
std::string emit_tables_cpp(const Model& model);
std::string emit_tables_hpp(const Model& model);
std::string emit_object_list_json(const Model& model);
FileSet emit_docs(const Model& model);
std::string model_json(const Model& model);
std::string list_objects(const Model& model, const std::string& format);

// Shared by emitters: renders an embedded template with a view.
std::string render(const std::string& template_name, const kainjow::mustache::data& view);
// The same for HTML: `{{x}}` is HTML-escaped, `{{{x}}}` is inserted as it is.
std::string render_html(const std::string& template_name, const kainjow::mustache::data& view);

// The static HTML report (emit_report.cpp): `<model id>.html` for a model, its
// differences from `base` highlighted when it is a variant; and the index page.
std::string emit_report_html(const Model& model, const Model* base);
std::string emit_report_index(const std::vector<const Model*>& models);

// Provenance: generator version and input files, no timestamps or absolute paths.
std::string provenance(const Model& model, const std::string& comment_prefix);

}  // namespace metergen
