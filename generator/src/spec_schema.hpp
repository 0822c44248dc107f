// The spec format, declared once (see schema.hpp): used to validate spec and
// catalog files and to print the JSON Schema for editors.
#pragma once

#include "schema.hpp"

namespace metergen {

inline constexpr int kSpecFormat = 1;

schema::TypeP spec_schema();
schema::TypeP catalog_schema();

// Names shared between the schema and the model builder.
const std::vector<std::string>& metrology_quantities();  // quantities of the metrology-fed sources
const std::vector<std::string>& runtime_quantities();    // every tables::Quantity but none
const std::vector<std::string>& source_kinds();         // first part of `source`
std::vector<std::string> local_triggers();               // tables::LocalTrigger, in order

}  // namespace metergen
