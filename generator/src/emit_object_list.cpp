// object_list.json: per association, the object list a delivered meter must
// expose (class_id, version, logical name, attribute and method access), as
// Association LN attribute 2 carries it. Auditors diff real meters against it.
// The list itself comes from object_list_from_model, which the audit shares.
#include <nlohmann/json.hpp>

#include "emit.hpp"
#include "object_list.hpp"

namespace metergen {

std::string emit_object_list_json(const Model& m) {
  nlohmann::ordered_json root;
  root["format"] = "metergen-object-list/1";
  root["model"] = m.id;
  root["generator"] = std::string("metergen ") + METERGEN_VERSION;
  root["access_modes"] = {{"attribute", "0 none, 1 read, 2 write, 3 read-write, 4-6 authenticated read/write/read-write"},
                          {"method", "0 none, 1 access, 2 authenticated access"}};
  nlohmann::ordered_json assocs = nlohmann::ordered_json::array();
  for (const auto& a : object_list_from_model(m).associations) {
    nlohmann::ordered_json ja;
    ja["name"] = a.name;
    ja["client_sap"] = a.client_sap;
    ja["logical_name"] = format_obis(*a.logical_name);
    ja["authentication"] = a.authentication;
    nlohmann::ordered_json objects = nlohmann::ordered_json::array();
    for (const auto& o : a.objects) {
      nlohmann::ordered_json jo;
      jo["class_id"] = o.class_id;
      jo["version"] = o.version;
      jo["logical_name"] = format_obis(o.logical_name);
      nlohmann::ordered_json attrs = nlohmann::ordered_json::array();
      for (const auto& at : o.attributes) {
        nlohmann::ordered_json ja_attr{{"id", at.id}, {"access", at.access}};
        if (!at.selectors.empty()) ja_attr["selectors"] = at.selectors;
        attrs.push_back(ja_attr);
      }
      jo["attributes"] = attrs;
      nlohmann::ordered_json methods = nlohmann::ordered_json::array();
      for (const auto& mt : o.methods) methods.push_back({{"id", mt.id}, {"access", mt.access}});
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
