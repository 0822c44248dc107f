// JSON Schema output of a schema::Type (`metergen schema`): the same description
// that validates a source tree (input/schema.hpp) printed for editors.
#include "schema_json.hpp"

#include <map>

namespace metergen::schema {

namespace {

class SchemaWriter {
 public:
  nlohmann::ordered_json ref(const TypeP& t) {
    if (!t->def_name.empty()) {
      if (!defs_.contains(t->def_name)) {
        defs_[t->def_name] = nullptr;  // reserve first: recursive types terminate
        defs_[t->def_name] = inline_schema(*t);
      }
      return {{"$ref", "#/$defs/" + t->def_name}};
    }
    return inline_schema(*t);
  }
  nlohmann::ordered_json defs() const {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [k, v] : defs_) out[k] = v;  // std::map: sorted, deterministic
    return out;
  }

 private:
  nlohmann::ordered_json inline_schema(const Type& t) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    if (!t.doc.empty()) j["description"] = t.doc;
    switch (t.kind) {
      case Type::Kind::any: break;
      case Type::Kind::string:
        j["type"] = "string";
        if (!t.pattern.empty()) j["pattern"] = t.pattern;
        break;
      case Type::Kind::integer:
      case Type::Kind::number:
        j["type"] = t.kind == Type::Kind::integer ? "integer" : "number";
        if (t.has_min) j["minimum"] = t.min;
        if (t.has_max) j["maximum"] = t.max;
        break;
      case Type::Kind::boolean: j["type"] = "boolean"; break;
      case Type::Kind::enumeration: j["enum"] = t.values; break;
      case Type::Kind::list:
        j["type"] = "array";
        j["items"] = ref(t.item);
        if (t.min_items) j["minItems"] = t.min_items;
        break;
      case Type::Kind::object: {
        j["type"] = "object";
        nlohmann::ordered_json props = nlohmann::ordered_json::object();
        std::vector<std::string> required;
        for (const auto& f : t.fields) {
          auto p = ref(f.type);
          if (!f.doc.empty()) p["description"] = f.doc;
          props[f.name] = p;
          if (f.required) required.push_back(f.name);
        }
        j["properties"] = props;
        if (!required.empty()) j["required"] = required;
        j["additionalProperties"] = false;
        break;
      }
      case Type::Kind::one_of: {
        nlohmann::ordered_json alts = nlohmann::ordered_json::array();
        for (const auto& a : t.alternatives) alts.push_back(ref(a));
        j["anyOf"] = alts;
        break;
      }
    }
    return j;
  }

  std::map<std::string, nlohmann::ordered_json> defs_;
};

}  // namespace

nlohmann::ordered_json to_json_schema(const TypeP& root, const std::string& id, const std::string& title) {
  SchemaWriter w;
  nlohmann::ordered_json body = w.ref(root);
  nlohmann::ordered_json out;
  out["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  out["$id"] = id;
  out["title"] = title;
  for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = it.value();
  out["$defs"] = w.defs();
  return out;
}

}  // namespace metergen::schema
