// A small schema language for the spec format. One description serves two
// purposes: validating a source tree (unknown keys with "did you mean", wrong
// types, missing fields, ranges, enumerations) and printing the JSON Schema that
// editors use (`metergen schema`, ../schema_json.hpp). Keeping both in one place means the editor
// never accepts what the generator rejects, or the other way round.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "diag.hpp"
#include "tree.hpp"

namespace metergen::schema {

struct Type;
using TypeP = std::shared_ptr<Type>;

struct Field {
  std::string name;
  TypeP type;
  bool required = false;
  std::string doc;
};

// Returns an empty string when the scalar text is acceptable, else what is wrong.
using ScalarCheck = std::function<std::string(const std::string&)>;

struct Type {
  enum class Kind { string, integer, number, boolean, enumeration, list, object, one_of, any };
  Kind kind = Kind::any;
  std::string def_name;   // emitted once under $defs when non-empty
  std::string doc;
  std::string expected;   // wording for diagnostics ("an OBIS code A.B.C.D.E.F")
  bool has_min = false, has_max = false;
  double min = 0, max = 0;
  std::vector<std::string> values;  // enumeration
  std::string pattern;              // string: JSON Schema pattern
  ScalarCheck check;                // string: validation beyond the pattern
  TypeP item;                       // list
  std::size_t min_items = 0;
  std::vector<Field> fields;        // object
  std::vector<TypeP> alternatives;  // one_of
};

// Builders.
TypeP string_type(std::string doc = {});
TypeP pattern_type(std::string def_name, std::string pattern, std::string expected, ScalarCheck check, std::string doc);
TypeP integer(double min, double max, std::string doc = {});
TypeP number(double min, double max, std::string doc = {});
TypeP boolean(std::string doc = {});
TypeP enumeration(std::vector<std::string> values, std::string doc = {});
TypeP list_of(TypeP item, std::string doc = {}, std::size_t min_items = 0);
TypeP object(std::string def_name, std::vector<Field> fields, std::string doc = {});
TypeP one_of(std::vector<TypeP> alternatives, std::string expected, std::string doc = {});
TypeP any(std::string doc = {});

// Validates `node` against `type`; reports every problem found. Returns true when clean.
bool validate(const Node& node, const Type& type, const std::string& path, Diagnostics& diags);

// Path segment for a list item: its `name` (or `use`) when it has one, else the index.
std::string item_path(const std::string& path, const Node& item, std::size_t index);

}  // namespace metergen::schema
