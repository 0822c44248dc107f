// object_list.json: per association, the object list a delivered meter must
// expose (class_id, version, logical name, attribute and method access), as
// Association LN attribute 2 carries it. Auditors diff real meters against it.
#include <nlohmann/json.hpp>

#include "emit.hpp"

namespace metergen {

namespace {

std::vector<int> access_selectors(const Model& m, std::size_t object, int attribute) {
  std::vector<int> out;
  if (attribute != 2) return out;
  for (const auto& p : m.profiles) {
    if (p.object != object) continue;
    for (const auto& s : p.selective_access) out.push_back(s == "range" ? 1 : 2);
  }
  return out;
}

}  // namespace

std::string emit_object_list_json(const Model& m) {
  nlohmann::ordered_json root;
  root["format"] = "metergen-object-list/1";
  root["model"] = m.id;
  root["generator"] = std::string("metergen ") + METERGEN_VERSION;
  root["access_modes"] = {{"attribute", "0 none, 1 read, 2 write, 3 read-write, 4-6 authenticated read/write/read-write"},
                          {"method", "0 none, 1 access, 2 authenticated access"}};
  nlohmann::ordered_json assocs = nlohmann::ordered_json::array();
  for (const auto& a : m.associations) {
    nlohmann::ordered_json ja;
    ja["name"] = a.name;
    ja["client_sap"] = a.sap;
    ja["logical_name"] = format_obis(a.ln);
    ja["authentication"] = a.authentication;
    nlohmann::ordered_json objects = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < m.objects.size(); ++i) {
      const AccessSet& acc = a.access[i];
      if (!acc.listed) continue;
      const Object& o = m.objects[i];
      nlohmann::ordered_json jo;
      jo["class_id"] = o.cls->id;
      jo["version"] = o.version;
      jo["logical_name"] = format_obis(o.ln);
      nlohmann::ordered_json attrs = nlohmann::ordered_json::array();
      for (std::size_t k = 0; k < acc.attributes.size(); ++k) {
        nlohmann::ordered_json at{{"id", k + 1}, {"access", static_cast<int>(acc.attributes[k])}};
        auto sel = access_selectors(m, i, static_cast<int>(k + 1));
        if (!sel.empty()) at["selectors"] = sel;
        attrs.push_back(at);
      }
      jo["attributes"] = attrs;
      nlohmann::ordered_json methods = nlohmann::ordered_json::array();
      for (std::size_t k = 0; k < acc.methods.size(); ++k)
        methods.push_back({{"id", k + 1}, {"access", static_cast<int>(acc.methods[k])}});
      jo["methods"] = methods;
      objects.push_back(jo);
    }
    ja["objects"] = objects;
    assocs.push_back(ja);
  }
  root["associations"] = assocs;
  return root.dump(1) + "\n";
}

}  // namespace metergen
