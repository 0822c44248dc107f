// JSON Schema (draft 2020-12) of a schema::Type, for `metergen schema` and the
// committed generated/schema/ files. Kept out of input/schema.hpp so that the
// input library (validation) does not depend on nlohmann_json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "schema.hpp"

namespace metergen::schema {

nlohmann::ordered_json to_json_schema(const TypeP& root, const std::string& id, const std::string& title);

}  // namespace metergen::schema
