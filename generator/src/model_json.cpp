// The resolved model as stable JSON (model.json) and the `metergen list` views.
#include <nlohmann/json.hpp>

#include <sstream>

#include "emit.hpp"

namespace metergen {

namespace {

std::string source_of(const Object& o) {
  return o.source_quantity.empty() ? o.source_kind : o.source_kind + "." + o.source_quantity;
}

std::string type_of(const Object& o) { return o.type ? cosem::data_type_info(*o.type).name : ""; }

std::string unit_of(const Object& o) { return o.unit >= 0 ? cosem::unit_name(o.unit) : ""; }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string model_json(const Model& m) {
  nlohmann::ordered_json root;
  root["id"] = m.id;
  root["vendor"] = m.vendor;
  root["name"] = m.name;
  root["phases"] = m.phases;
  root["networks"] = m.networks;
  root["connection"] = m.connection;
  nlohmann::ordered_json objects = nlohmann::ordered_json::array();
  for (const auto& o : m.objects) {
    nlohmann::ordered_json j;
    j["name"] = o.name;
    j["logical_name"] = format_obis(o.ln);
    j["class_id"] = o.cls->id;
    j["version"] = o.version;
    if (o.type) j["type"] = type_of(o);
    if (o.unit >= 0) {
      j["scaler"] = o.scaler;
      j["unit"] = unit_of(o);
    }
    j["source"] = source_of(o);
    if (o.tariff) j["tariff"] = o.tariff;
    if (o.phase) j["phase"] = o.phase;
    if (o.value) j["value"] = *o.value;
    if (o.default_value) j["default"] = *o.default_value;
    j["groups"] = o.groups;
    objects.push_back(j);
  }
  root["objects"] = objects;
  nlohmann::ordered_json profiles = nlohmann::ordered_json::array();
  for (const auto& p : m.profiles) {
    nlohmann::ordered_json j;
    j["name"] = p.name;
    j["logical_name"] = format_obis(m.objects[p.object].ln);
    j["purpose"] = p.purpose;
    j["capture_period_s"] = p.capture_period_s;
    j["entries"] = p.entries;
    j["entry_bytes"] = p.entry_bytes;
    nlohmann::ordered_json cap = nlohmann::ordered_json::array();
    for (const auto& c : p.capture)
      cap.push_back({{"object", m.objects[c.object].name}, {"attribute", c.attribute}, {"bytes", c.encoded_bytes}});
    j["capture"] = cap;
    profiles.push_back(j);
  }
  root["profiles"] = profiles;
  return root.dump(1) + "\n";
}

std::string list_objects(const Model& m, const std::string& format) {
  std::ostringstream out;
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& o : m.objects)
      arr.push_back({{"logical_name", format_obis(o.ln)}, {"class_id", o.cls->id}, {"version", o.version},
                     {"name", o.name}, {"type", type_of(o)}, {"scaler", o.unit >= 0 ? o.scaler : 0},
                     {"unit", unit_of(o)}, {"source", source_of(o)}, {"description", o.description}});
    out << arr.dump(1) << '\n';
  } else if (format == "csv") {
    out << "logical_name,class_id,version,name,type,scaler,unit,source,description\n";
    for (const auto& o : m.objects)
      out << format_obis(o.ln) << ',' << o.cls->id << ',' << o.version << ',' << csv_field(o.name) << ','
          << type_of(o) << ',' << (o.unit >= 0 ? o.scaler : 0) << ',' << unit_of(o) << ',' << csv_field(source_of(o))
          << ',' << csv_field(o.description) << '\n';
  } else {
    std::size_t name_w = 4;
    for (const auto& o : m.objects) name_w = std::max(name_w, o.name.size());
    auto pad = [](std::string s, std::size_t w) {
      s.resize(std::max(w, s.size()), ' ');
      return s;
    };
    out << pad("LOGICAL NAME", 20) << pad("IC", 5) << pad("V", 3) << pad("NAME", name_w + 2) << pad("TYPE", 22)
        << pad("UNIT", 10) << "SOURCE\n";
    for (const auto& o : m.objects) {
      std::string unit = o.unit >= 0 ? unit_of(o) + (o.scaler ? " e" + std::to_string(o.scaler) : "") : "";
      out << pad(format_obis(o.ln), 20) << pad(std::to_string(o.cls->id), 5) << pad(std::to_string(o.version), 3)
          << pad(o.name, name_w + 2) << pad(type_of(o), 22) << pad(unit, 10) << source_of(o) << '\n';
    }
    out << m.objects.size() << " objects\n";
  }
  return out.str();
}

}  // namespace metergen
