// The rule that no value on the wire is empty by neglect: every attribute a
// client may read gets its value from a runtime engine, from the spec (a value
// or default, or an `attributes:` constant), from the meter's identity, or from
// the class's default (class_defaults.hpp); a value that gets none is inert,
// and the generator says so.
#include <set>
#include <string>

#include "sections.hpp"

namespace metergen::sections {

namespace {

// Source kinds whose value a runtime engine keeps (metrology-fed kinds count
// only with a quantity the runtime measures, Object::runtime_quantity).
bool kept_by_an_engine(const std::string& kind) {
  static const std::set<std::string> kinds = {"clock", "calendar", "billing", "relay", "prepayment", "security"};
  return kinds.count(kind) != 0;
}

// Whether a runtime engine writes object `i`'s value attribute. Counters are
// counted by the event engine (Model::event_counters); one that nothing counts
// has its own warning (event_logs.cpp, bind_counters).
bool written(const Model& m, std::size_t i) {
  const Object& o = m.objects[i];
  if (o.role != "none" || o.runtime_quantity != "none" || kept_by_an_engine(o.source_kind) || o.source_kind == "counter")
    return true;
  for (const EventLog& l : m.event_logs)
    if (l.code_object == i) return true;
  for (const Profile& p : m.profiles)
    if (p.status_object == i) return true;
  return false;
}

bool read_by_someone(const Model& m, std::size_t i, int attribute) {
  const auto k = static_cast<std::size_t>(attribute - 1);
  for (const Association& a : m.associations) {
    const AccessSet& s = a.access[i];
    if (s.listed && k < s.attributes.size() && readable(s.attributes[k])) return true;
  }
  return false;
}

void warn_inert(const Object& o, const cosem::Attribute& attribute, Diagnostics& diags) {
  diags.warning(o.mark.pos(), "objects[" + o.name + "]",
                "'" + o.name + "' (" + format_obis(o.ln) + ") attribute " + std::to_string(attribute.index) + " (" +
                    attribute.name + ") is inert: nothing in the meter writes it and the spec gives it no value",
                "a `value` or `default`, or an `attributes:` value");
}

}  // namespace

// The value attribute of Data, Register and the like. The classes the runtime
// serves as constants get every attribute from the spec or the class's
// default (ObjectsSection::encode_constant_attributes), and every other class's
// attributes its runtime class file serves.
void check_value_sources(const Model& model, Diagnostics& diags) {
  for (std::size_t i = 0; i < model.objects.size(); ++i) {
    const Object& o = model.objects[i];
    if (!o.cls->has_value || o.value || o.default_value || !read_by_someone(model, i, 2) || written(model, i)) continue;
    warn_inert(o, *cosem::find_attribute(*o.cls, 2), diags);
  }
}

}  // namespace metergen::sections
