#include "report_view.hpp"

#include <cstdio>

namespace metergen::report {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string seconds(std::uint64_t s) { return s ? std::to_string(s) + " s" : "–"; }

std::string hhmm(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minute / 60) % 100, minute % 60);
  return buf;
}

std::string obis(const Model& m, std::size_t object) { return format_obis(m.objects[object].ln); }

std::string object_label(const Object& o) { return o.description.empty() ? o.name : o.description; }

std::string unit_of(const Object& o) {
  if (o.unit < 0 || o.unit == 255) return "";
  std::string unit = cosem::unit_name(o.unit);
  if (o.scaler) unit += " (×10^" + std::to_string(o.scaler) + ")";
  return unit;
}

std::string class_of(const Object& o) {
  return std::to_string(o.cls->id) + " " + o.cls->name + " v" + std::to_string(o.version);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  return join(items, sep, [](const std::string& s) { return s; });
}

Facts& Facts::add(const std::string& key, const std::string& value) {
  data d;
  d.set("key", key);
  d.set("value", value.empty() ? "–" : value);
  rows_.push_back(d);
  return *this;
}

data section_of(const std::string& css_class, const Facts& facts) {
  data d;
  d.set("class", css_class);
  d.set("facts", facts.rows());
  return d;
}

std::string row_class(const Changes& c, const std::string& key) { return c.changed.count(key) ? "changed" : ""; }

}  // namespace metergen::report
