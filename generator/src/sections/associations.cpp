// Section `associations`: clients, their security, and access rights per object
// (association rules first, then each object's own `access` entries).
#include <algorithm>
#include <set>

#include "schema.hpp"
#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

AttrMode attr_mode_of(const std::string& s) {
  if (s == "read") return AttrMode::read;
  if (s == "write") return AttrMode::write;
  if (s == "read_write") return AttrMode::read_write;
  if (s == "auth_read") return AttrMode::auth_read;
  if (s == "auth_write") return AttrMode::auth_write;
  if (s == "auth_read_write") return AttrMode::auth_read_write;
  return AttrMode::none;
}

MethodMode method_mode_of(const std::string& s) {
  if (s == "access") return MethodMode::access;
  if (s == "auth_access") return MethodMode::auth_access;
  return MethodMode::none;
}

bool writes(AttrMode m) {
  return m == AttrMode::write || m == AttrMode::read_write || m == AttrMode::auth_write || m == AttrMode::auth_read_write;
}

AttrMode read_part(AttrMode m) {
  if (m == AttrMode::read_write) return AttrMode::read;
  if (m == AttrMode::auth_read_write) return AttrMode::auth_read;
  return AttrMode::none;
}

bool is_writable(const Object& o, int index) {
  if (!o.writable.empty()) return std::find(o.writable.begin(), o.writable.end(), index) != o.writable.end();
  const auto* a = cosem::find_attribute(*o.cls, index);
  return a && a->writable;
}

void init_access(const Model& m, Association& as) {
  as.access.resize(m.objects.size());
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    as.access[i].attributes.assign(m.objects[i].cls->attributes.size(), AttrMode::none);
    as.access[i].methods.assign(m.objects[i].cls->methods.size(), MethodMode::none);
  }
}

// A write mode given for all attributes writes only the writable ones; the others keep its read part.
void apply_attribute_modes(Context& ctx, AccessSet& acc, const Object& o, const Node& rule, const std::string& path) {
  const Node* am = rule.find("attributes");
  if (!am) return;
  AttrMode mode = attr_mode_of(am->scalar);
  if (const Node* only = rule.find("only_attributes")) {
    for (const auto& x : only->items) {
      int idx = static_cast<int>(*scalar_int(x));
      if (ctx.check_attribute(o, idx, x.mark, path + ".only_attributes"))
        acc.attributes[static_cast<std::size_t>(idx - 1)] = mode;
    }
    return;
  }
  for (const auto& a : o.cls->attributes) {
    auto& slot = acc.attributes[static_cast<std::size_t>(a.index - 1)];
    if (!writes(mode)) slot = mode;
    else if (is_writable(o, a.index)) slot = mode;
    else if (read_part(mode) != AttrMode::none) slot = read_part(mode);
  }
}

void apply_modes(Context& ctx, AccessSet& acc, const Object& o, const Node& rule, const std::string& path) {
  acc.listed = true;
  apply_attribute_modes(ctx, acc, o, rule, path);
  const Node* mm = rule.find("methods");
  if (!mm) return;
  MethodMode mode = method_mode_of(mm->scalar);
  if (const Node* only = rule.find("only_methods")) {
    for (const auto& x : only->items) {
      int idx = static_cast<int>(*scalar_int(x));
      if (ctx.check_method(o, idx, x.mark, path + ".only_methods")) acc.methods[static_cast<std::size_t>(idx - 1)] = mode;
    }
  } else {
    for (auto& s : acc.methods) s = mode;
  }
}

void select_groups(Context& ctx, const Node& groups, const std::string& path, std::vector<std::size_t>& selected) {
  const auto& objects = ctx.model.objects;
  for (const auto& g : groups.items) {
    bool any = false;
    for (std::size_t i = 0; i < objects.size(); ++i) {
      const auto& og = objects[i].groups;
      if (std::find(og.begin(), og.end(), g.scalar) != og.end()) {
        selected.push_back(i);
        any = true;
      }
    }
    if (!any)
      ctx.diags.warning(g.mark.pos(), path + ".groups", "group '" + g.scalar + "' selects no object",
                        "a group used by objects");
  }
}

void apply_rule(Context& ctx, Association& as, const Node& rule, const std::string& path) {
  const auto& objects = ctx.model.objects;
  std::vector<std::size_t> selected;
  if (flag(rule, "all", false))
    for (std::size_t i = 0; i < objects.size(); ++i) selected.push_back(i);
  if (const Node* objs = rule.find("objects"))
    for (const auto& r : objs->items)
      for (auto i : ctx.resolve(r, path + ".objects")) selected.push_back(i);
  if (const Node* groups = rule.find("groups")) select_groups(ctx, *groups, path, selected);
  if (const Node* classes = rule.find("classes"))
    for (const auto& c : classes->items) {
      const auto* cls = ctx.class_of(c, path + ".classes");
      if (!cls) continue;
      for (std::size_t i = 0; i < objects.size(); ++i)
        if (objects[i].cls == cls) selected.push_back(i);
    }
  std::sort(selected.begin(), selected.end());
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  for (auto i : selected) apply_modes(ctx, as.access[i], objects[i], rule, path);
}

// Per-object access entries apply after the association rules, to every object
// the declaration expanded into (same declaration mark).
void object_access(Context& ctx, const std::map<std::string, std::size_t>& names) {
  const Node* list = ctx.tree.find("objects");
  if (!list) return;
  Model& m = ctx.model;
  std::vector<std::string> known;
  for (const auto& [n, i] : names) known.push_back(n);
  for (std::size_t d = 0; d < list->items.size(); ++d) {
    const Node& decl = list->items[d];
    const Node* acc = decl.find("access");
    if (!acc) continue;
    std::string path = schema::item_path("objects", decl, d) + ".access";
    std::vector<std::size_t> expanded;
    for (std::size_t i = 0; i < m.objects.size(); ++i)
      if (!m.objects[i].implicit && m.objects[i].mark.line == decl.mark.line && m.objects[i].mark.file == decl.mark.file)
        expanded.push_back(i);
    for (const auto& entry : acc->items) {
      const Node* an = entry.find("association");
      auto it = names.find(an->scalar);
      if (it == names.end()) {
        ctx.diags.error(an->mark.pos(), path,
                        "access rights for unknown association '" + an->scalar + "'" + did_you_mean(an->scalar, known),
                        "one of " + join(known));
        continue;
      }
      for (auto i : expanded) apply_modes(ctx, m.associations[it->second].access[i], m.objects[i], entry, path);
    }
  }
}

void read_security(Context& ctx, Association& as, const Node& a, const std::string& path) {
  as.authentication = text(a, "authentication");
  as.fallback_authentication = text(a, "fallback_authentication");
  as.security_policy = strings(a, "security_policy");
  as.security_suite = static_cast<int>(integer(a, "security_suite", 0));
  if (const Node* ss = a.find("security_setup")) {
    as.security_setup = obis_of(ss->scalar);
    const auto& objects = ctx.model.objects;
    for (std::size_t i = 0; i < objects.size(); ++i)
      if (objects[i].ln == *as.security_setup) as.security_setup_object = i;
  }
  as.pre_established = flag(a, "pre_established", false);
  as.compact_profiles = flag(a, "compact_profiles", false);
  as.remote_only = flag(a, "remote_only", false);
  as.services = strings(a, "services");
  if (as.authentication == "none" && !as.security_policy.empty())
    ctx.diags.error(field_or(a, "security_policy").mark.pos(), path + ".security_policy",
                    "protection without authentication", "authentication lls or hls-gmac, or no security_policy");
}

const Obis kCurrentAssociation{0, 0, 40, 0, 0, 255};
constexpr int kSecretAttribute = 7;       // Association LN attribute 7: never readable
constexpr int kObjectListAttribute = 2;

// The Blue Book makes the current association (0.0.40.0.0.255) reachable in
// every association: it is how a client discovers its object list. One that
// does not list it gets read access to every attribute but the secret; one
// that lists it with its object_list unreadable is an error.
void reach_current_association(Context& ctx, const Node& list) {
  Model& m = ctx.model;
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    if (m.objects[i].ln != kCurrentAssociation) continue;
    for (std::size_t a = 0; a < m.associations.size(); ++a) {
      AccessSet& acc = m.associations[a].access[i];
      if (!acc.listed) {
        acc.listed = true;
        for (std::size_t k = 0; k < acc.attributes.size(); ++k)
          acc.attributes[k] = static_cast<int>(k) + 1 == kSecretAttribute ? AttrMode::none : AttrMode::read;
      } else if (acc.attributes.size() >= kObjectListAttribute &&
                 acc.attributes[kObjectListAttribute - 1] == AttrMode::none) {
        ctx.diags.error(list.items[a].mark.pos(), schema::item_path("associations", list.items[a], a) + ".access",
                        "the current association 0.0.40.0.0.255 is listed without a readable object_list",
                        "attribute 2 readable in every association (Blue Book, Association LN)");
      }
    }
  }
}

// An Association LN's secret (attribute 7) is never readable: the runtime
// keeps secrets with the HAL and refuses every GET of it, so a rule granting
// read (`all: true, attributes: read_write`) keeps only its write part. The
// object list then advertises the access the meter grants.
void withhold_secrets(Model& m) {
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    if (m.objects[i].cls->id != 15) continue;
    for (auto& as : m.associations) {
      auto& attributes = as.access[i].attributes;
      if (attributes.size() < kSecretAttribute) continue;
      AttrMode& secret = attributes[kSecretAttribute - 1];
      switch (secret) {
        case AttrMode::read: case AttrMode::auth_read: secret = AttrMode::none; break;
        case AttrMode::read_write: secret = AttrMode::write; break;
        case AttrMode::auth_read_write: secret = AttrMode::auth_write; break;
        default: break;
      }
    }
  }
}

}  // namespace

void add_association_objects(Context& ctx) {
  const Node& assocs = *ctx.tree.find("associations");
  ctx.add_implicit("current_association", obis_of("0.0.40.0.0.255"), "association_ln", {"association"}, assocs.mark,
                   "Current association", std::nullopt, "security");
  ctx.add_implicit("sap_assignment", obis_of("0.0.41.0.0.255"), "sap_assignment", {"association"}, assocs.mark,
                   "SAP assignment", std::nullopt, "security");
  std::set<Obis> security_setups;
  for (std::size_t i = 0; i < assocs.items.size(); ++i) {
    const Node& a = assocs.items[i];
    std::string name = text(a, "name");
    Obis ln = a.find("logical_name") ? obis_of(text(a, "logical_name"))
                                     : Obis{0, 0, 40, 0, static_cast<std::uint8_t>(i + 1), 255};
    ctx.add_implicit("association_" + name, ln, "association_ln", {"association"}, a.mark,
                     "Association LN of client " + name, std::nullopt, "security");
    if (const Node* ss = a.find("security_setup")) {
      Obis s = obis_of(ss->scalar);
      if (security_setups.insert(s).second)
        ctx.add_implicit("security_setup_" + name, s, "security_setup", {"security"}, ss->mark,
                         "Security setup of client " + name, std::nullopt, "security");
    }
  }
}

void build_associations(Context& ctx) {
  Model& m = ctx.model;
  const Node& list = *ctx.tree.find("associations");
  std::map<long long, const Node*> saps;
  std::map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const Node& a = list.items[i];
    Association as;
    as.mark = a.mark;
    as.name = text(a, "name");
    as.description = text(a, "description");
    as.sap = static_cast<int>(integer(a, "sap", 0));
    std::string path = schema::item_path("associations", a, i);
    if (auto [it, ok] = saps.emplace(as.sap, &a); !ok)
      ctx.diags.error(field_or(a, "sap").mark.pos(), path + ".sap",
                      "client SAP " + std::to_string(as.sap) + " already used by association '" +
                          text(*it->second, "name") + "'",
                      "a unique SAP per association");
    if (auto [it, ok] = names.emplace(as.name, i); !ok)
      ctx.diags.error(field_or(a, "name").mark.pos(), path + ".name", "association name used twice", "unique names");
    as.ln = ctx.has_object("association_" + as.name) ? m.objects[ctx.object("association_" + as.name)].ln : Obis{};
    read_security(ctx, as, a, path);
    init_access(m, as);
    if (const Node* rules = a.find("access"))
      for (std::size_t r = 0; r < rules->items.size(); ++r)
        apply_rule(ctx, as, rules->items[r], path + ".access[" + std::to_string(r) + "]");
    m.associations.push_back(std::move(as));
  }
  object_access(ctx, names);
  reach_current_association(ctx, list);
  // Every listed object's logical name is readable.
  for (auto& as : m.associations)
    for (auto& acc : as.access)
      if (acc.listed && acc.attributes[0] == AttrMode::none) acc.attributes[0] = AttrMode::read;
  withhold_secrets(m);
}

}  // namespace metergen::sections
