// Stage "emit": the model becomes a set of files {relative path: text}. Nothing
// here touches the disk (output.cpp does) and nothing here decides anything the
// checks have not already validated.
#pragma once

#include <map>
#include <string>

#include <kainjow/mustache.hpp>

#include "model.hpp"

namespace metergen {

using FileSet = std::map<std::string, std::string>;

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

// Provenance: generator version and input files, no timestamps or absolute paths.
std::string provenance(const Model& model, const std::string& comment_prefix);

}  // namespace metergen
