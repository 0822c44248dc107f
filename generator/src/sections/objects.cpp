#include "objects.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <metergen/cosem/calendar.hpp>
#include <metergen/cosem/objects.hpp>
#include <metergen/cosem/push_setup.hpp>
#include <metergen/hdlc/parameters.hpp>
#include <metergen/model_tables.hpp>

#include "class_defaults.hpp"
#include "sections.hpp"
#include "spec_schema.hpp"
#include "values.hpp"

namespace metergen::sections {

void ObjectsSection::load_catalogs() {
  for (const auto& cat : ctx_.spec.catalogs) {
    for (const auto& q : cat.find("quantities")->items) {
      const std::string& name = text(q, "name");
      if (catalog_.count(name)) {
        ctx_.diags.error(field_or(q, "name").mark.pos(), "quantities[" + name + "]", "catalog name defined twice",
                         "unique names across imported catalogs");
        continue;
      }
      catalog_[name] = {&q, flag(q, "per_tariff", false), flag(q, "per_phase", false)};
      catalog_names_.push_back(name);
    }
  }
}

namespace {
// Reads a field from the declaration, falling back to the catalog entry.
const Node* pick(const Node& decl, const Node* cat, const char* key) {
  if (const Node* n = decl.find(key)) return n;
  return cat ? cat->find(key) : nullptr;
}
}  // namespace

void ObjectsSection::declare() {
  for_each_item(ctx_.tree, "objects", "objects", [&](const Node& decl, const std::string& path) {
    if (auto d = read_declaration(decl, path)) expand(*d, decl, path);
  });
}

std::optional<ObjectsSection::Declared> ObjectsSection::read_declaration(const Node& decl, const std::string& path) {
  Declared d;
  const Node* cat = nullptr;
  d.base_name = text(decl, "name");
  if (const Node* use = decl.find("use")) {
    auto it = catalog_.find(use->scalar);
    if (it == catalog_.end()) {
      ctx_.diags.error(use->mark.pos(), path + ".use",
                       "unknown catalog quantity '" + use->scalar + "'" + did_you_mean(use->scalar, catalog_names_),
                       "a name from the imported catalogs");
      return std::nullopt;
    }
    cat = it->second.node;
    d.per_tariff = it->second.per_tariff;
    d.per_phase = it->second.per_phase;
    if (d.base_name.empty()) d.base_name = use->scalar;
  }
  if (!read_identity(d, decl, cat, path)) return std::nullopt;
  Object& o = d.proto;
  read_fields(o, decl, cat);
  if (const Node* s = pick(decl, cat, "source")) {
    if (!parse_source(o, *s, path + ".source")) return std::nullopt;
  } else {
    o.source_kind = decl.find("value") ? "constant" : "parameter";
  }
  read_attributes(o, decl, path);
  check_values(o, decl, path);
  return d;
}

// Name, OBIS, class and version: without them there is nothing to expand.
bool ObjectsSection::read_identity(Declared& d, const Node& decl, const Node* cat, const std::string& path) {
  auto& diags = ctx_.diags;
  if (d.base_name.empty()) {
    diags.error(decl.mark.pos(), path + ".name", "object has neither name nor use", "a name or a catalog `use`");
    return false;
  }
  d.obis = pick(decl, cat, "obis");
  const Node* class_node = pick(decl, cat, "class");
  if (!d.obis) {
    diags.error(decl.mark.pos(), path + ".obis", "missing required field 'obis'", "an OBIS code A.B.C.D.E.F");
    return false;
  }
  if (!class_node) {
    diags.error(decl.mark.pos(), path + ".class", "missing required field 'class'", "an interface class");
    return false;
  }
  Object& o = d.proto;
  o.mark = decl.mark;
  o.cls = ctx_.class_of(*class_node, path + ".class");
  if (!o.cls) return false;
  o.version = o.cls->version;
  if (const Node* v = pick(decl, cat, "version")) {
    if (static_cast<int>(*scalar_int(*v)) != o.cls->version) {
      diags.error(v->mark.pos(), path + ".version",
                  std::string("version ") + v->scalar + " of class " + o.cls->title + " is not supported",
                  "version " + std::to_string(o.cls->version));
      return false;
    }
  }
  return true;
}

void ObjectsSection::read_fields(Object& o, const Node& decl, const Node* cat) {
  if (const Node* d = pick(decl, cat, "description")) o.description = d->scalar;
  if (cat) o.groups = strings(*cat, "groups");
  for (auto& g : strings(decl, "groups"))
    if (std::find(o.groups.begin(), o.groups.end(), g) == o.groups.end()) o.groups.push_back(g);
  if (const Node* t = pick(decl, cat, "type")) o.type = cosem::data_type_by_name(t->scalar);
  if (const Node* u = pick(decl, cat, "unit")) o.unit = *cosem::unit_by_name(u->scalar);
  if (const Node* s = pick(decl, cat, "scaler")) o.scaler = static_cast<int>(*scalar_int(*s));
  if (const Node* v = decl.find("value")) o.value = v->is_scalar() ? v->scalar : std::string();
  if (const Node* v = decl.find("default")) o.default_value = v->is_scalar() ? v->scalar : std::string();
  if (const Node* l = pick(decl, cat, "length")) o.length = static_cast<int>(*scalar_int(*l));
  else o.length = o.value ? static_cast<int>(o.value->size()) : 0;
  if (const Node* w = pick(decl, cat, "writable"))
    for (const auto& x : w->items) o.writable.push_back(static_cast<int>(*scalar_int(x)));
  o.display_code = text(decl, "display_code");
  if (const Node* r = pick(decl, cat, "role")) o.role = r->scalar;
}

void ObjectsSection::read_attributes(Object& o, const Node& decl, const std::string& path) {
  const Node* attrs = decl.find("attributes");
  if (!attrs) return;
  for (const auto& a : attrs->items) {
    StaticAttribute sa;
    sa.index = static_cast<int>(integer(a, "index", 0));
    if (const Node* t = a.find("type")) sa.type = cosem::data_type_by_name(t->scalar);
    sa.value = text(a, "value");
    sa.mark = a.mark;
    if (!cosem::find_attribute(*o.cls, sa.index))
      ctx_.diags.error(field_or(a, "index").mark.pos(), path + ".attributes",
                       "attribute " + std::to_string(sa.index) + " is not in class " + o.cls->title,
                       "1.." + std::to_string(o.cls->attributes.size()));
    o.attributes.push_back(sa);
  }
}

// The `attributes:` of an object whose class the runtime has no behaviour for
// become constants it serves (tables::AttributeValueDef): each needs a type
// (its own, or the class's fixed one) and a value of that type. The attributes
// the spec leaves out take the class's default (class_defaults.hpp).
void ObjectsSection::encode_constant_attributes(Object& o) {
  if (metergen::cosem::has_class_behaviour(static_cast<std::uint16_t>(o.cls->id))) return;
  for (StaticAttribute& a : o.attributes) {
    const cosem::Attribute* def = cosem::find_attribute(*o.cls, a.index);
    if (def == nullptr) continue;  // reported by read_attributes
    const std::string path = "objects." + o.name + ".attributes[" + std::to_string(a.index) + "]";
    const bool fixed = def->kind == cosem::AttrKind::fixed;
    if (!a.type && !fixed) {
      ctx_.diags.error(a.mark.pos(), path, std::string("attribute ") + def->name + " has no type", "a `type`");
      continue;
    }
    const cosem::DataType type = a.type ? *a.type : def->type;
    if (fixed && type != def->type) {
      ctx_.diags.error(a.mark.pos(), path + ".type",
                       std::string(def->name) + " is " + cosem::data_type_info(def->type).name + " in " + o.cls->title,
                       cosem::data_type_info(def->type).name);
      continue;
    }
    Encoded e = encode_value(type, a.value);
    if (!e.problem.empty()) {
      ctx_.diags.error(a.mark.pos(), path + ".value", "'" + a.value + "' " + e.problem, e.expected);
      continue;
    }
    if (!check_link_limit(o, a, e.bytes, path)) continue;
    pool_constant(a, e.bytes);
  }
  // Every other attribute but logical_name takes the class's default.
  for (const cosem::Attribute& def : o.cls->attributes) {
    const bool given = std::any_of(o.attributes.begin(), o.attributes.end(),
                                   [&](const StaticAttribute& a) { return a.index == def.index; });
    const std::optional<ClassDefault> d = def.index == 1 || given ? std::nullopt : class_default(o.cls->id, def.index);
    if (!d) continue;
    StaticAttribute a;
    a.index = def.index;
    a.mark = o.mark;
    a.origin = d->origin;
    pool_constant(a, d->bytes);
    o.attributes.push_back(a);
  }
  std::sort(o.attributes.begin(), o.attributes.end(),
            [](const StaticAttribute& x, const StaticAttribute& y) { return x.index < y.index; });
}

// An IEC HDLC setup object's windows, information field lengths and inter-octet
// timeout drive the meter's HDLC link (tables::HdlcLinkDef): they must be what
// the link can do and what the Blue Book allows.
bool ObjectsSection::check_link_limit(const Object& o, const StaticAttribute& a, const std::vector<std::uint8_t>& bytes,
                                      const std::string& path) {
  if (o.cls->id != 23) return true;
  struct Range {
    const char* what;
    unsigned lo, hi;
  };
  Range r{};
  if (a.index == 3 || a.index == 4) r = {"HDLC window size ", 1, hdlc::kMaxWindow};
  else if (a.index == 5 || a.index == 6) r = {"HDLC information field length ", hdlc::kMinInfoLimit, hdlc::kMaxInfoLimit};
  else if (a.index == 7) r = {"HDLC inter-octet timeout ", hdlc::kMinInterOctetMs, hdlc::kMaxInterOctetMs};
  else return true;
  unsigned v = 0;
  for (std::size_t k = 1; k < bytes.size(); ++k) v = (v << 8) | bytes[k];  // after the type tag
  if (v >= r.lo && v <= r.hi) return true;
  ctx_.diags.error(a.mark.pos(), path + ".value", std::string(r.what) + std::to_string(v) + " is out of range",
                   std::to_string(r.lo) + ".." + std::to_string(r.hi));
  return false;
}

void ObjectsSection::pool_constant(StaticAttribute& a, const std::vector<std::uint8_t>& bytes) {
  a.value_offset = ctx_.model.value_pool.size();
  a.value_size = static_cast<int>(bytes.size());
  ctx_.model.value_pool.insert(ctx_.model.value_pool.end(), bytes.begin(), bytes.end());
}

void ObjectsSection::check_values(const Object& o, const Node& decl, const std::string& path) {
  auto& diags = ctx_.diags;
  if (o.source_kind == "constant" && !o.value)
    diags.error(decl.mark.pos(), path + ".value", "constant object without a value", "a `value`");
  for (const char* key : {"value", "default"}) {
    const Node* v = decl.find(key);
    if (!v || !o.type) continue;
    Encoded enc = encode_value(*o.type, v->is_scalar() ? v->scalar : std::string());
    if (!enc.problem.empty()) diags.error(v->mark.pos(), path + "." + key, "'" + v->scalar + "' " + enc.problem, enc.expected);
  }
  if (o.cls->has_value && !o.type)
    diags.error(decl.mark.pos(), path + ".type", "missing value type of a " + std::string(o.cls->title) + " object",
                "an A-XDR type");
  for (int w : o.writable)
    if (!cosem::find_attribute(*o.cls, w))
      diags.error(field_or(decl, "writable").mark.pos(), path + ".writable",
                  "attribute " + std::to_string(w) + " is not in class " + o.cls->title,
                  "1.." + std::to_string(o.cls->attributes.size()));
}

bool ObjectsSection::parse_source(Object& o, const Node& n, const std::string& path) {
  const std::string& s = n.scalar;
  auto dot = s.find('.');
  o.source_kind = s.substr(0, dot);
  o.source_quantity = dot == std::string::npos ? "" : s.substr(dot + 1);
  const auto& kinds = source_kinds();
  if (std::find(kinds.begin(), kinds.end(), o.source_kind) == kinds.end()) {
    ctx_.diags.error(n.mark.pos(), path, "unknown source kind '" + o.source_kind + "'" + did_you_mean(o.source_kind, kinds),
                     "one of " + join(kinds));
    return false;
  }
  static const std::set<std::string> metrology = {"energy", "demand", "max_demand", "instantaneous",
                                                  "average", "maximum", "minimum"};
  if (!metrology.count(o.source_kind)) return true;
  const auto& q = metrology_quantities();
  if (std::find(q.begin(), q.end(), o.source_quantity) != q.end()) return true;
  ctx_.diags.error(n.mark.pos(), path,
                   "unknown quantity '" + o.source_quantity + "' for source " + o.source_kind +
                       did_you_mean(o.source_quantity, q),
                   "one of " + join(q));
  return false;
}

// `tariffs:` values: N, "N-M" or a list.
std::vector<int> ObjectsSection::expansion_values(const Node& n) {
  std::vector<int> out;
  if (auto v = scalar_int(n)) {
    out.push_back(static_cast<int>(*v));
  } else if (n.is_scalar()) {
    auto dash = n.scalar.find('-');
    int lo = std::stoi(n.scalar.substr(0, dash));
    int hi = dash == std::string::npos ? lo : std::stoi(n.scalar.substr(dash + 1));
    if (hi < lo) ctx_.diags.error(n.mark.pos(), "", "empty range '" + n.scalar + "'", "N-M with N <= M");
    for (int i = lo; i <= hi; ++i) out.push_back(i);
  } else {
    for (const auto& i : n.items) out.push_back(static_cast<int>(*scalar_int(i)));
  }
  return out;
}

// Tariff values E to expand into ({-1}: no tariff expansion); none on an error.
std::optional<std::vector<int>> ObjectsSection::tariffs(const Declared& d, const Node& decl, const std::string& path) {
  const Node* t = decl.find("tariffs");
  if (!t) return std::vector<int>{-1};
  if (!d.per_tariff) {
    ctx_.diags.error(t->mark.pos(), path + ".tariffs", "catalog quantity '" + d.base_name + "' has no tariff registers",
                     "tariffs only on per_tariff quantities");
    return std::nullopt;
  }
  auto values = expansion_values(*t);
  tariffs_node_[d.base_name] = t;
  return values;
}

// Phases to expand into (0 = total); none on an error, empty when a phase is beyond the meter's.
std::optional<std::vector<int>> ObjectsSection::phases(const Declared& d, const Node& decl, const std::string& path) {
  const Node* p = decl.find("phases");
  if (!p) return std::vector<int>{0};
  std::vector<int> out;
  for (const auto& x : p->items) out.push_back(x.scalar == "total" ? 0 : x.scalar[1] - '0');
  Obis base_ln = obis_of(d.obis->scalar);
  if (!d.per_phase || base_ln[2] < 1 || base_ln[2] > 20) {
    ctx_.diags.error(p->mark.pos(), path + ".phases", "'" + d.base_name + "' has no per-phase family",
                     "phases only on quantities with C in 1..20");
    return std::nullopt;
  }
  int meter_phases = ctx_.model.phases;
  for (int ph : out)
    if (ph > meter_phases) {
      ctx_.diags.error(p->mark.pos(), path + ".phases",
                       "phase L" + std::to_string(ph) + " on a " + std::to_string(meter_phases) + "-phase meter",
                       "phases up to L" + std::to_string(meter_phases));
      return std::vector<int>{};
    }
  return out;
}

// One object per phase and tariff: E carries the tariff, C moves by 20 per phase.
void ObjectsSection::expand(const Declared& d, const Node& decl, const std::string& path) {
  auto tariff_values = tariffs(d, decl, path);
  if (!tariff_values) return;
  auto phase_values = phases(d, decl, path);
  if (!phase_values) return;
  Obis base_ln = obis_of(d.obis->scalar);
  for (int ph : *phase_values)
    for (int t : *tariff_values) {
      Object o = d.proto;
      o.ln = base_ln;
      o.name = d.base_name;
      if (t >= 0) {
        o.ln[4] = static_cast<std::uint8_t>(t);
        o.tariff = t;
        if (t > 0) o.name += "_t" + std::to_string(t);
      }
      if (ph > 0) {
        o.ln[2] = static_cast<std::uint8_t>(o.ln[2] + 20 * ph);
        o.phase = ph;
        o.name += "_l" + std::to_string(ph);
      }
      ctx_.add_object(std::move(o), decl.find("obis") ? d.obis->mark : decl.mark, path);
    }
}

void ObjectsSection::remove() {
  const Node* remove = ctx_.tree.find("remove");
  const Node* list = remove ? remove->find("objects") : nullptr;
  if (!list) return;
  auto& pending = ctx_.pending();
  std::vector<bool> drop(pending.size(), false);
  for (const auto& ref : list->items) {
    bool found = false;
    if (looks_like_obis(ref.scalar)) {
      for (const Obis& ln : parse_obis_pattern(ref.scalar).values)
        for (std::size_t i = 0; i < pending.size(); ++i)
          if (pending[i].object.ln == ln) drop[i] = found = true;
    } else if (auto i = ctx_.pending_index(ref.scalar)) {
      drop[*i] = found = true;
    }
    if (!found)
      ctx_.diags.error(ref.mark.pos(), "remove.objects", "no object '" + ref.scalar + "' to remove",
                       "an object of the extended spec");
  }
  std::vector<PendingObject> kept;
  for (std::size_t i = 0; i < pending.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(pending[i]));
  pending = std::move(kept);
}

void ObjectsSection::finalize() {
  auto& pending = ctx_.pending();
  std::vector<std::size_t> order(pending.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return pending[a].object.ln < pending[b].object.ln; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    std::size_t first = order[k - 1], second = order[k];
    if (!(pending[first].object.ln == pending[second].object.ln)) continue;
    // Report at the later declaration in the source, naming the earlier one.
    if (pending[second].where.pos().file == pending[first].where.pos().file &&
        pending[second].where.line < pending[first].where.line)
      std::swap(first, second);
    ctx_.diags.error(pending[second].where.pos(), pending[second].path,
                     "duplicate logical name " + format_obis(pending[second].object.ln) + " (also '" +
                         pending[first].object.name + "' at " + mark_text(pending[first].where) + ")",
                     "one object per logical name");
  }
  for (std::size_t i : order) ctx_.model.objects.push_back(std::move(pending[i].object));
  pending.clear();
  ctx_.index_objects();
  check_tariff_registers();
  check_roles();
}

// An engine finds one object per role.
void ObjectsSection::check_roles() {
  std::map<std::string, const Object*> taken;
  for (const Object& o : ctx_.model.objects) {
    if (o.role == "none") continue;
    auto [it, fresh] = taken.emplace(o.role, &o);
    if (!fresh)
      ctx_.diags.error(o.mark.pos(), "objects[" + o.name + "].role",
                       "role " + o.role + " taken twice (also '" + it->second->name + "' at " + mark_text(it->second->mark) + ")",
                       "one object per role");
  }
  check_bit_string_roles();
}

// The alarm register, filter and descriptor are 32-bit bit strings the event
// engine reads and writes as double-long-unsigned values of attribute 2
// (Blue Book OBIS 0-0:97.98.0..29.255: Data or Register).
void ObjectsSection::check_bit_string_roles() {
  static const char* const kRoles[] = {"alarm_register", "alarm_filter", "alarm_descriptor"};
  for (const Object& o : ctx_.model.objects)
    for (const char* role : kRoles) {
      if (o.role != role) continue;
      const bool data_or_register = o.cls->id == 1 || o.cls->id == 3;
      if (data_or_register && o.type == cosem::DataType::double_long_unsigned) continue;
      const std::string what = std::string(o.cls->name) + (o.type ? std::string(", ") + cosem::data_type_info(*o.type).name : "");
      ctx_.diags.error(o.mark.pos(), "objects[" + o.name + "].role",
                       "'" + o.name + "' (" + what + ") cannot hold role " + role,
                       "a data or register object of type double-long-unsigned");
    }
}

void ObjectsSection::check_tariff_registers() {
  int limit = calendar_tariffs(ctx_.tree);
  for (const Object& o : ctx_.model.objects) {
    if (o.tariff <= 0 || o.tariff <= limit) continue;
    auto it = tariffs_node_.find(o.name.substr(0, o.name.rfind("_t")));
    const Node* where = it != tariffs_node_.end() ? it->second : nullptr;
    ctx_.diags.error(where ? where->mark.pos() : o.mark.pos(), "objects[" + o.name + "]",
                     "tariff register " + std::to_string(o.tariff) + " beyond the tariff count " + std::to_string(limit),
                     "tariffs 1.." + std::to_string(limit) + " (calendar.tariffs)");
  }
}

void ObjectsSection::layout() {
  Model& m = ctx_.model;
  const auto& quantities = runtime_quantities();
  for (Object& o : m.objects) {
    if (std::find(quantities.begin(), quantities.end(), o.source_quantity) != quantities.end())
      o.runtime_quantity = o.source_quantity;
    const auto& value = o.value ? o.value : o.default_value;
    if (value && o.type) {
      Encoded e = encode_value(*o.type, *value);
      o.value_offset = m.value_pool.size();
      o.value_size = static_cast<int>(e.bytes.size());
      m.value_pool.insert(m.value_pool.end(), e.bytes.begin(), e.bytes.end());
    } else if (o.type) {
      o.value_size = cosem::encoded_size(*o.type, o.length);
    } else if (o.cls->id == 22) {
      o.value_size = static_cast<int>(metergen::cosem::single_action_schedule_value_size());
    } else if (o.cls->id == 40) {
      o.value_size = static_cast<int>(metergen::cosem::push_setup_value_size());
    }  // else: a section sized it (calendar objects) or it has no value
    encode_constant_attributes(o);
    // The runtime's own sizing (each class file's), so both sides agree.
    std::uint32_t bytes = metergen::cosem::state_bytes(static_cast<std::uint16_t>(o.cls->id), static_cast<std::uint16_t>(o.value_size));
    if (bytes) o.state_offset = m.state_size;
    m.state_size += bytes;
  }
}

}  // namespace metergen::sections
