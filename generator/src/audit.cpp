// The audit diff and its renderings. Both lists are sorted by logical name,
// class and id, so one merge walk yields the differences in report order.
#include "audit.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace metergen {

namespace {

std::string selector_text(const std::vector<int>& selectors) {
  std::string out = "[";
  for (std::size_t i = 0; i < selectors.size(); ++i) out += (i ? "," : "") + std::to_string(selectors[i]);
  return out + "]";
}

class Differ {
 public:
  Differ(const AssociationObjects& expected, const AssociationObjects& actual, std::vector<Difference>& out)
      : expected_(expected), actual_(actual), out_(out) {}

  void run() {
    if (!expected_.authentication.empty() && !actual_.authentication.empty() &&
        expected_.authentication != actual_.authentication)
      add(DifferenceKind::authentication, nullptr, 0, expected_.authentication, actual_.authentication);
    // Walk the logical names in order; within one name, objects pair by class.
    auto e = expected_.objects.begin(), a = actual_.objects.begin();
    while (e != expected_.objects.end() || a != actual_.objects.end()) {
      Obis ln = a == actual_.objects.end() || (e != expected_.objects.end() && e->logical_name < a->logical_name)
                    ? e->logical_name
                    : a->logical_name;
      auto e_end = std::find_if(e, expected_.objects.end(), [&](const auto& o) { return o.logical_name != ln; });
      auto a_end = std::find_if(a, actual_.objects.end(), [&](const auto& o) { return o.logical_name != ln; });
      same_name(e, e_end, a, a_end);
      e = e_end;
      a = a_end;
    }
  }

 private:
  static std::string describe(const ListedObject& o) {
    return "class " + std::to_string(o.class_id) + " version " + std::to_string(o.version);
  }

  void add(DifferenceKind kind, const ListedObject* object, int id, std::string expected, std::string actual) {
    Difference d;
    d.association = expected_.name;
    d.client_sap = expected_.client_sap;
    d.kind = kind;
    if (object) {
      d.logical_name = object->logical_name;
      d.object_name = object->name;
    }
    d.id = id;
    d.expected = std::move(expected);
    d.actual = std::move(actual);
    out_.push_back(std::move(d));
  }

  using Iter = std::vector<ListedObject>::const_iterator;

  // The objects of one logical name on each side (usually at most one each).
  // One object each side with different classes is a class_id difference;
  // otherwise unpaired objects are missing or extra.
  void same_name(Iter e, Iter e_end, Iter a, Iter a_end) {
    if (e_end - e == 1 && a_end - a == 1 && e->class_id != a->class_id) {
      add(DifferenceKind::class_id, &*e, 0, std::to_string(e->class_id), std::to_string(a->class_id));
      return;  // nothing else is comparable across classes
    }
    while (e != e_end || a != a_end) {
      if (a == a_end || (e != e_end && e->class_id < a->class_id)) {
        add(DifferenceKind::missing_object, &*e, 0, describe(*e), "");
        ++e;
      } else if (e == e_end || a->class_id < e->class_id) {
        add(DifferenceKind::extra_object, &*a, 0, "", describe(*a));
        ++a;
      } else {
        compare(*e, *a);
        ++e;
        ++a;
      }
    }
  }

  void compare(const ListedObject& e, const ListedObject& a) {
    if (e.version != a.version) add(DifferenceKind::version, &e, 0, std::to_string(e.version), std::to_string(a.version));
    walk(e, e.attributes, a.attributes, attribute_access_name,
         {DifferenceKind::attribute_access, DifferenceKind::attribute_missing, DifferenceKind::attribute_extra},
         [&](const AttributeAccess& x, const AttributeAccess& y) {
           // The spec declares selective access only where it supports it (profile
           // buffers); elsewhere a meter's extra selectors are not a difference.
           if (!x.selectors.empty() && x.selectors != y.selectors)
             add(DifferenceKind::selectors, &e, x.id, selector_text(x.selectors), selector_text(y.selectors));
         });
    walk(e, e.methods, a.methods, method_access_name,
         {DifferenceKind::method_access, DifferenceKind::method_missing, DifferenceKind::method_extra},
         [](const MethodAccess&, const MethodAccess&) {});
  }

  struct Kinds {
    DifferenceKind access, missing, extra;
  };

  // Merge walk over attribute (or method) lists sorted by id. An item listed on
  // one side only counts when it grants access: not listed means no access.
  template <typename Item, typename Extra>
  void walk(const ListedObject& owner, const std::vector<Item>& expected, const std::vector<Item>& actual,
            std::string (*mode_name)(int), Kinds kinds, Extra&& also_compare) {
    auto e = expected.begin(), a = actual.begin();
    while (e != expected.end() || a != actual.end()) {
      if (a == actual.end() || (e != expected.end() && e->id < a->id)) {
        if (e->access != 0) add(kinds.missing, &owner, e->id, mode_name(e->access), "");
        ++e;
      } else if (e == expected.end() || a->id < e->id) {
        if (a->access != 0) add(kinds.extra, &owner, a->id, "", mode_name(a->access));
        ++a;
      } else {
        if (e->access != a->access) add(kinds.access, &owner, e->id, mode_name(e->access), mode_name(a->access));
        also_compare(*e, *a);
        ++e;
        ++a;
      }
    }
  }

  const AssociationObjects& expected_;
  const AssociationObjects& actual_;
  std::vector<Difference>& out_;
};

const AssociationObjects* by_sap(const ObjectList& list, int sap) {
  for (const auto& a : list.associations)
    if (a.client_sap == sap) return &a;
  return nullptr;
}

void compare_pair(const AssociationObjects& expected, const AssociationObjects& actual, AuditResult& result) {
  result.associations.push_back({expected.name, expected.client_sap, expected.objects.size(), actual.objects.size()});
  Differ(expected, actual, result.differences).run();
}

std::string association_label(const std::string& name, int sap) {
  return (name.empty() ? "sap " + std::to_string(sap) : name + " (sap " + std::to_string(sap) + ")");
}

std::string subject(const Difference& d) {
  std::string s = association_label(d.association, d.client_sap) + ": ";
  if (!d.logical_name) return s;
  s += format_obis(*d.logical_name);
  if (!d.object_name.empty()) s += " " + d.object_name;
  return s + ": ";
}

std::string what(const Difference& d) {
  auto id = std::to_string(d.id);
  switch (d.kind) {
    case DifferenceKind::unknown_association: return "the meter lists a client the spec does not define (" + d.actual + ")";
    case DifferenceKind::authentication: return "authentication expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::missing_object: return "missing object (expected " + d.expected + ")";
    case DifferenceKind::extra_object: return "extra object (" + d.actual + ")";
    case DifferenceKind::class_id: return "class_id expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::version: return "version expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::attribute_access: return "attribute " + id + " access expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::attribute_missing: return "attribute " + id + " not listed (expected " + d.expected + ")";
    case DifferenceKind::attribute_extra: return "attribute " + id + " not expected (actual " + d.actual + ")";
    case DifferenceKind::selectors: return "attribute " + id + " selectors expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::method_access: return "method " + id + " access expected " + d.expected + ", actual " + d.actual;
    case DifferenceKind::method_missing: return "method " + id + " not listed (expected " + d.expected + ")";
    case DifferenceKind::method_extra: return "method " + id + " not expected (actual " + d.actual + ")";
  }
  return "";
}

}  // namespace

const char* difference_kind_name(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::unknown_association: return "unknown_association";
    case DifferenceKind::authentication: return "authentication";
    case DifferenceKind::missing_object: return "missing_object";
    case DifferenceKind::extra_object: return "extra_object";
    case DifferenceKind::class_id: return "class_id";
    case DifferenceKind::version: return "version";
    case DifferenceKind::attribute_access: return "attribute_access";
    case DifferenceKind::attribute_missing: return "attribute_missing";
    case DifferenceKind::attribute_extra: return "attribute_extra";
    case DifferenceKind::selectors: return "selectors";
    case DifferenceKind::method_access: return "method_access";
    case DifferenceKind::method_missing: return "method_missing";
    case DifferenceKind::method_extra: return "method_extra";
  }
  return "";
}

std::optional<AuditResult> audit(const ObjectList& expected, const ObjectList& actual, const AuditOptions& options,
                                 Diagnostics& diags) {
  AuditResult result;
  if (!options.association.empty()) {
    const AssociationObjects* e = nullptr;
    std::vector<std::string> names;
    for (const auto& a : expected.associations) {
      names.push_back(a.name);
      if (a.name == options.association) e = &a;
    }
    if (!e) {
      std::string hint = closest_match(options.association, names);
      diags.error({expected.source, 0, 0}, "--association",
                  "no association named '" + options.association + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                  "one of the spec's association names");
      return std::nullopt;
    }
    const AssociationObjects* a = by_sap(actual, e->client_sap);
    if (!a && actual.associations.size() == 1) a = &actual.associations.front();
    if (!a) {
      diags.error({actual.source, 0, 0}, "--association",
                  "no association with client SAP " + std::to_string(e->client_sap) + " in the object list",
                  "the SAP of association '" + e->name + "'");
      return std::nullopt;
    }
    compare_pair(*e, *a, result);
    return result;
  }
  // Every client the meter lists is audited; spec associations it does not list are not.
  for (const auto& e : expected.associations)
    if (const AssociationObjects* a = by_sap(actual, e.client_sap)) compare_pair(e, *a, result);
  for (const auto& a : actual.associations)
    if (!by_sap(expected, a.client_sap)) {
      Difference d;
      d.association = a.name;
      d.client_sap = a.client_sap;
      d.kind = DifferenceKind::unknown_association;
      d.actual = std::to_string(a.objects.size()) + " objects";
      result.differences.push_back(std::move(d));
    }
  if (result.associations.empty() && result.differences.empty()) {
    diags.error({actual.source, 0, 0}, "", "the object list has no association", "at least one client association");
    return std::nullopt;
  }
  return result;
}

std::string render_audit_text(const AuditResult& result) {
  std::string out;
  for (const auto& d : result.differences) out += subject(d) + what(d) + "\n";
  std::string compared;
  std::size_t objects = 0;
  for (const auto& a : result.associations) {
    compared += (compared.empty() ? "" : ", ") + association_label(a.name, a.client_sap);
    objects += a.expected_objects;
  }
  out += "audit: " + (result.equal() ? std::string("no differences") : std::to_string(result.differences.size()) +
                                                                         (result.differences.size() == 1 ? " difference" : " differences"));
  out += " (" + std::to_string(result.associations.size()) + " association(s) compared: " +
         (compared.empty() ? "none" : compared) + "; " + std::to_string(objects) + " objects expected)\n";
  return out;
}

std::string render_audit_json(const AuditResult& result) {
  nlohmann::ordered_json root;
  root["format"] = "metergen-audit/1";
  root["equal"] = result.equal();
  nlohmann::ordered_json assocs = nlohmann::ordered_json::array();
  for (const auto& a : result.associations)
    assocs.push_back({{"name", a.name},
                      {"client_sap", a.client_sap},
                      {"expected_objects", a.expected_objects},
                      {"actual_objects", a.actual_objects}});
  root["associations"] = assocs;
  nlohmann::ordered_json diffs = nlohmann::ordered_json::array();
  for (const auto& d : result.differences) {
    nlohmann::ordered_json jd;
    jd["association"] = d.association;
    jd["client_sap"] = d.client_sap;
    jd["kind"] = difference_kind_name(d.kind);
    if (d.logical_name) jd["logical_name"] = format_obis(*d.logical_name);
    if (!d.object_name.empty()) jd["name"] = d.object_name;
    if (d.id) jd["id"] = d.id;
    jd["expected"] = d.expected.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(d.expected);
    jd["actual"] = d.actual.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(d.actual);
    jd["message"] = what(d);
    diffs.push_back(jd);
  }
  root["differences"] = diffs;
  return root.dump(1) + "\n";
}

}  // namespace metergen
