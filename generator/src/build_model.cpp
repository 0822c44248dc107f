#include "build_model.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "checks.hpp"
#include "spec_schema.hpp"
#include "values.hpp"

namespace metergen {

namespace {

using cosem::DataType;

const std::string kEmpty;

const std::string& text(const Node& map, const char* key, const std::string& fallback = kEmpty) {
  const Node* n = map.find(key);
  return n && n->is_scalar() ? n->scalar : fallback;
}

long long integer(const Node& map, const char* key, long long fallback) {
  const Node* n = map.find(key);
  if (!n) return fallback;
  auto v = scalar_int(*n);
  return v ? *v : fallback;
}

bool flag(const Node& map, const char* key, bool fallback) {
  const Node* n = map.find(key);
  if (!n) return fallback;
  auto v = scalar_bool(*n);
  return v ? *v : fallback;
}

std::vector<std::string> strings(const Node& map, const char* key) {
  std::vector<std::string> out;
  if (const Node* n = map.find(key); n && n->is_seq())
    for (const auto& i : n->items)
      if (i.is_scalar()) out.push_back(i.scalar);
  return out;
}

std::vector<long long> integers(const Node& map, const char* key) {
  std::vector<long long> out;
  if (const Node* n = map.find(key); n && n->is_seq())
    for (const auto& i : n->items)
      if (auto v = scalar_int(i)) out.push_back(*v);
  return out;
}

std::vector<double> numbers(const Node& map, const char* key) {
  std::vector<double> out;
  if (const Node* n = map.find(key); n && n->is_seq())
    for (const auto& i : n->items)
      if (auto v = scalar_number(i)) out.push_back(*v);
  return out;
}

int minutes_of(const std::string& hhmm) {
  return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

Obis obis_of(const std::string& s) { return *parse_obis(s).value; }

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string mark_text(const Mark& m) { return (m.file ? *m.file : std::string()) + ":" + std::to_string(m.line); }

const Node& field_or(const Node& map, const char* key) {
  const Node* n = map.find(key);
  return n ? *n : map;
}

struct CatalogEntry {
  const Node* node;
  bool per_tariff, per_phase;
};

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

class Builder {
 public:
  Builder(const ResolvedSpec& spec, Diagnostics& diags) : spec_(spec), tree_(spec.tree), diags_(diags) {}

  std::optional<Model> run() {
    bool ok = schema::validate(tree_, *spec_schema(), "", diags_);
    for (std::size_t i = 0; i < spec_.catalogs.size(); ++i) ok &= schema::validate(spec_.catalogs[i], *catalog_schema(), "", diags_);
    if (!ok) return std::nullopt;

    m_.inputs = spec_.files;
    identity();
    hardware();
    load_catalogs();
    declared_objects();
    implicit_objects();
    remove_objects();
    finalize_objects();
    if (diags_.has_errors()) return std::nullopt;

    clock();
    associations();
    profiles();
    event_logs();
    disconnect();
    limiters();
    demand();
    billing();
    calendar();
    display();
    if (diags_.has_errors()) return std::nullopt;
    return std::move(m_);
  }

 private:
  // ---- identity and hardware -------------------------------------------------
  void identity() {
    const Node& model = *tree_.find("model");
    m_.id = text(model, "id");
    m_.vendor = text(model, "vendor");
    m_.name = text(model, "name");
    m_.description = text(model, "description");
    if (const Node* manual = model.find("manual")) {
      m_.manual_title = text(*manual, "title");
      m_.manual_revision = text(*manual, "revision");
      m_.manual_notes = text(*manual, "notes");
    }
  }

  void hardware() {
    const Node& hw = *tree_.find("hardware");
    m_.phases = static_cast<int>(integer(hw, "phases", 3));
    m_.networks = strings(hw, "networks");
    m_.connection = text(hw, "connection");
    m_.reference_voltage_v = numbers(hw, "reference_voltage_v");
    m_.basic_current_a = numbers(hw, "basic_current_a");
    m_.max_current_a = numbers(hw, "max_current_a");
    m_.frequency_hz = numbers(hw, "frequency_hz");
    if (const Node* a = hw.find("starting_current_a")) m_.starting_current_a = scalar_number(*a);
    if (const Node* r = hw.find("starting_current_ratio")) m_.starting_current_ratio = scalar_number(*r);
    if (const Node* mc = hw.find("meter_constants")) {
      m_.active_imp_per_kwh = static_cast<int>(integer(*mc, "active_imp_per_kwh", 0));
      m_.reactive_imp_per_kvarh = static_cast<int>(integer(*mc, "reactive_imp_per_kvarh", 0));
    }
    if (const Node* acc = hw.find("accuracy")) {
      m_.accuracy_active = strings(*acc, "active");
      m_.accuracy_reactive = strings(*acc, "reactive");
    }
    if (const Node* parts = hw.find("parts"))
      for (const auto& p : parts->items)
        m_.parts.push_back({text(p, "part"), text(p, "presence"), text(p, "description"),
                            static_cast<int>(integer(p, "count", 1))});
    if (const Node* ports = hw.find("ports"))
      for (const auto& p : ports->items)
        m_.ports.push_back({text(p, "name"), text(p, "kind"), text(p, "presence", "fitted"), strings(p, "protocols"),
                            static_cast<int>(integer(p, "default_baud", 0))});
    bool one_phase_network = std::find(m_.networks.begin(), m_.networks.end(), "1P2W") != m_.networks.end();
    if (one_phase_network != (m_.phases == 1))
      diags_.error(field_or(hw, "networks").mark.pos(), "hardware.networks",
                   "network types do not match phases: " + std::to_string(m_.phases),
                   m_.phases == 1 ? "1P2W for a single-phase meter" : "3P4W and/or 3P3W for a three-phase meter");
  }

  // ---- objects --------------------------------------------------------------
  void load_catalogs() {
    for (const auto& cat : spec_.catalogs) {
      for (const auto& q : cat.find("quantities")->items) {
        const std::string& name = text(q, "name");
        if (catalog_.count(name)) {
          diags_.error(field_or(q, "name").mark.pos(), "quantities[" + name + "]", "catalog name defined twice",
                       "unique names across imported catalogs");
          continue;
        }
        catalog_[name] = {&q, flag(q, "per_tariff", false), flag(q, "per_phase", false)};
        catalog_names_.push_back(name);
      }
    }
  }

  const cosem::InterfaceClass* class_of(const Node& n, const std::string& path) {
    if (auto id = scalar_int(n)) {
      if (const auto* c = cosem::class_by_id(static_cast<int>(*id))) return c;
      std::vector<std::string> ids;
      for (const auto& c : cosem::classes()) ids.push_back(std::to_string(c.id));
      diags_.error(n.mark.pos(), path, "unknown interface class " + n.scalar, "one of " + join(ids));
      return nullptr;
    }
    return cosem::class_by_name(n.scalar);  // the schema already checked the name
  }

  // Reads a field from the declaration, falling back to the catalog entry.
  const Node* pick(const Node& decl, const Node* cat, const char* key) {
    if (const Node* n = decl.find(key)) return n;
    return cat ? cat->find(key) : nullptr;
  }

  bool parse_source(Object& o, const Node& n, const std::string& path) {
    const std::string& s = n.scalar;
    auto dot = s.find('.');
    o.source_kind = s.substr(0, dot);
    o.source_quantity = dot == std::string::npos ? "" : s.substr(dot + 1);
    const auto& kinds = source_kinds();
    if (std::find(kinds.begin(), kinds.end(), o.source_kind) == kinds.end()) {
      std::string hint = closest_match(o.source_kind, kinds);
      diags_.error(n.mark.pos(), path, "unknown source kind '" + o.source_kind + "'" +
                                           (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                   "one of " + join(kinds));
      return false;
    }
    static const std::set<std::string> metrology = {"energy", "demand", "max_demand", "instantaneous",
                                                    "average", "maximum", "minimum"};
    if (metrology.count(o.source_kind)) {
      const auto& q = runtime_quantities();
      if (std::find(q.begin(), q.end(), o.source_quantity) == q.end()) {
        std::string hint = closest_match(o.source_quantity, q);
        diags_.error(n.mark.pos(), path, "unknown quantity '" + o.source_quantity + "' for source " + o.source_kind +
                                             (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                     "one of " + join(q));
        return false;
      }
    }
    return true;
  }

  std::vector<int> expansion_values(const Node& n) {
    std::vector<int> out;
    if (auto v = scalar_int(n)) {
      out.push_back(static_cast<int>(*v));
    } else if (n.is_scalar()) {
      auto dash = n.scalar.find('-');
      int lo = std::stoi(n.scalar.substr(0, dash));
      int hi = dash == std::string::npos ? lo : std::stoi(n.scalar.substr(dash + 1));
      if (hi < lo) diags_.error(n.mark.pos(), "", "empty range '" + n.scalar + "'", "N-M with N <= M");
      for (int i = lo; i <= hi; ++i) out.push_back(i);
    } else {
      for (const auto& i : n.items) out.push_back(static_cast<int>(*scalar_int(i)));
    }
    return out;
  }

  void declared_objects() {
    const Node* list = tree_.find("objects");
    if (!list) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& decl = list->items[i];
      std::string path = schema::item_path("objects", decl, i);
      const Node* cat = nullptr;
      bool per_tariff = true, per_phase = true;
      std::string base_name = text(decl, "name");
      if (const Node* use = decl.find("use")) {
        auto it = catalog_.find(use->scalar);
        if (it == catalog_.end()) {
          std::string hint = closest_match(use->scalar, catalog_names_);
          diags_.error(use->mark.pos(), path + ".use", "unknown catalog quantity '" + use->scalar + "'" +
                                                           (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                       "a name from the imported catalogs");
          continue;
        }
        cat = it->second.node;
        per_tariff = it->second.per_tariff;
        per_phase = it->second.per_phase;
        if (base_name.empty()) base_name = use->scalar;
      }
      if (base_name.empty()) {
        diags_.error(decl.mark.pos(), path + ".name", "object has neither name nor use", "a name or a catalog `use`");
        continue;
      }
      const Node* obis_node = pick(decl, cat, "obis");
      const Node* class_node = pick(decl, cat, "class");
      if (!obis_node) {
        diags_.error(decl.mark.pos(), path + ".obis", "missing required field 'obis'", "an OBIS code A.B.C.D.E.F");
        continue;
      }
      if (!class_node) {
        diags_.error(decl.mark.pos(), path + ".class", "missing required field 'class'", "an interface class");
        continue;
      }
      Object proto;
      proto.mark = decl.mark;
      proto.cls = class_of(*class_node, path + ".class");
      if (!proto.cls) continue;
      proto.version = proto.cls->version;
      if (const Node* v = pick(decl, cat, "version")) {
        int version = static_cast<int>(*scalar_int(*v));
        if (version != proto.cls->version) {
          diags_.error(v->mark.pos(), path + ".version",
                       std::string("version ") + v->scalar + " of class " + proto.cls->title + " is not supported",
                       "version " + std::to_string(proto.cls->version));
          continue;
        }
      }
      if (const Node* d = pick(decl, cat, "description")) proto.description = d->scalar;
      if (cat) proto.groups = strings(*cat, "groups");
      for (auto& g : strings(decl, "groups"))
        if (std::find(proto.groups.begin(), proto.groups.end(), g) == proto.groups.end()) proto.groups.push_back(g);
      if (const Node* t = pick(decl, cat, "type")) proto.type = cosem::data_type_by_name(t->scalar);
      if (const Node* u = pick(decl, cat, "unit")) proto.unit = *cosem::unit_by_name(u->scalar);
      if (const Node* s = pick(decl, cat, "scaler")) proto.scaler = static_cast<int>(*scalar_int(*s));
      if (const Node* s = pick(decl, cat, "source")) {
        if (!parse_source(proto, *s, path + ".source")) continue;
      } else {
        proto.source_kind = decl.find("value") ? "constant" : "parameter";
      }
      if (const Node* v = decl.find("value")) proto.value = v->is_scalar() ? v->scalar : std::string();
      if (const Node* v = decl.find("default")) proto.default_value = v->is_scalar() ? v->scalar : std::string();
      proto.length = static_cast<int>(integer(decl, "length", proto.value ? static_cast<long long>(proto.value->size()) : 0));
      if (const Node* w = pick(decl, cat, "writable"))
        for (const auto& x : w->items) proto.writable.push_back(static_cast<int>(*scalar_int(x)));
      proto.display_code = text(decl, "display_code");
      if (const Node* attrs = decl.find("attributes"))
        for (const auto& a : attrs->items) {
          StaticAttribute sa;
          sa.index = static_cast<int>(integer(a, "index", 0));
          if (const Node* t = a.find("type")) sa.type = cosem::data_type_by_name(t->scalar);
          sa.value = text(a, "value");
          if (!cosem::find_attribute(*proto.cls, sa.index))
            diags_.error(field_or(a, "index").mark.pos(), path + ".attributes",
                         "attribute " + std::to_string(sa.index) + " is not in class " + proto.cls->title,
                         "1.." + std::to_string(proto.cls->attributes.size()));
          proto.attributes.push_back(sa);
        }
      if (proto.source_kind == "constant" && !proto.value)
        diags_.error(decl.mark.pos(), path + ".value", "constant object without a value", "a `value`");
      for (const char* key : {"value", "default"}) {
        const Node* v = decl.find(key);
        if (!v || !proto.type) continue;
        Encoded enc = encode_value(*proto.type, v->is_scalar() ? v->scalar : std::string());
        if (!enc.problem.empty())
          diags_.error(v->mark.pos(), path + "." + key, "'" + v->scalar + "' " + enc.problem, enc.expected);
      }
      if (proto.cls->has_value && !proto.type)
        diags_.error(decl.mark.pos(), path + ".type", "missing value type of a " + std::string(proto.cls->title) + " object",
                     "an A-XDR type");
      for (int w : proto.writable)
        if (!cosem::find_attribute(*proto.cls, w))
          diags_.error(field_or(decl, "writable").mark.pos(), path + ".writable",
                       "attribute " + std::to_string(w) + " is not in class " + proto.cls->title,
                       "1.." + std::to_string(proto.cls->attributes.size()));

      Obis base_ln = obis_of(obis_node->scalar);
      std::vector<int> tariffs = {-1};
      if (const Node* t = decl.find("tariffs")) {
        if (!per_tariff) {
          diags_.error(t->mark.pos(), path + ".tariffs", "catalog quantity '" + base_name + "' has no tariff registers",
                       "tariffs only on per_tariff quantities");
          continue;
        }
        tariffs = expansion_values(*t);
        tariffs_node_[base_name] = t;
      }
      std::vector<int> phases = {0};
      if (const Node* p = decl.find("phases")) {
        phases.clear();
        for (const auto& x : p->items) phases.push_back(x.scalar == "total" ? 0 : x.scalar[1] - '0');
        if (!per_phase || base_ln[2] < 1 || base_ln[2] > 20) {
          diags_.error(p->mark.pos(), path + ".phases", "'" + base_name + "' has no per-phase family",
                       "phases only on quantities with C in 1..20");
          continue;
        }
        for (int ph : phases)
          if (ph > m_.phases) {
            diags_.error(p->mark.pos(), path + ".phases",
                         "phase L" + std::to_string(ph) + " on a " + std::to_string(m_.phases) + "-phase meter",
                         "phases up to L" + std::to_string(m_.phases));
            phases.clear();
            break;
          }
      }
      for (int ph : phases)
        for (int t : tariffs) {
          Object o = proto;
          o.ln = base_ln;
          o.name = base_name;
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
          add_object(std::move(o), decl.find("obis") ? obis_node->mark : decl.mark, path);
        }
    }
  }

  void add_object(Object o, const Mark& where, const std::string& path) {
    auto [it, inserted] = by_name_.emplace(o.name, pending_.size());
    if (!inserted) {
      diags_.error(where.pos(), path, "duplicate object name '" + o.name + "' (first at " +
                                          mark_text(pending_[it->second].mark) + ")",
                   "unique object names");
      return;
    }
    pending_marks_.push_back(where);
    pending_paths_.push_back(path);
    pending_.push_back(std::move(o));
  }

  std::size_t implicit(const std::string& name, const Obis& ln, const char* cls, std::vector<std::string> groups,
                       const Mark& mark, const std::string& description,
                       std::optional<DataType> type = std::nullopt, const std::string& source = "parameter") {
    Object o;
    o.name = name;
    o.ln = ln;
    o.cls = cosem::class_by_name(cls);
    o.version = o.cls->version;
    o.groups = std::move(groups);
    o.mark = mark;
    o.description = description;
    o.type = type;
    o.source_kind = source;
    o.implicit = true;
    add_object(std::move(o), mark, name);
    return pending_.size() - 1;
  }

  static Obis ln_or(const Node* section, const char* key, const char* fallback) {
    const Node* n = section ? section->find(key) : nullptr;
    return obis_of(n ? n->scalar : std::string(fallback));
  }

  void implicit_objects() {
    const Node* clock = tree_.find("clock");
    Mark root = tree_.mark;
    implicit("clock", ln_or(clock, "obis", "0.0.1.0.0.255"), "clock", {"clock"}, clock ? clock->mark : root,
             "Clock", std::nullopt, "clock");

    const Node& model = *tree_.find("model");
    if (const Node* ldn = model.find("logical_device_name")) {
      std::size_t i = implicit("logical_device_name", obis_of("0.0.42.0.0.255"), "data", {"identity"}, ldn->mark,
                               "COSEM logical device name", DataType::octet_string, "constant");
      if (i < pending_.size()) {
        pending_[i].value = ldn->scalar;
        pending_[i].length = static_cast<int>(ldn->scalar.size());
      }
    }
    if (const Node* fw = model.find("firmware"))
      for (const auto& f : fw->items) {
        std::size_t i = implicit(text(f, "name"), obis_of(text(f, "obis")), "data", {"identity", "firmware"}, f.mark,
                                 text(f, "description", "Firmware identifier"), DataType::visible_string, "constant");
        if (i < pending_.size()) {
          pending_[i].value = text(f, "value");
          pending_[i].length = static_cast<int>(text(f, "value").size());
          pending_[i].display_code = text(f, "display_code");
        }
      }

    const Node& assocs = *tree_.find("associations");
    implicit("current_association", obis_of("0.0.40.0.0.255"), "association_ln", {"association"}, assocs.mark,
             "Current association", std::nullopt, "security");
    implicit("sap_assignment", obis_of("0.0.41.0.0.255"), "sap_assignment", {"association"}, assocs.mark,
             "SAP assignment", std::nullopt, "security");
    std::set<Obis> security_setups;
    for (std::size_t i = 0; i < assocs.items.size(); ++i) {
      const Node& a = assocs.items[i];
      std::string name = text(a, "name");
      Obis ln = a.find("logical_name") ? obis_of(text(a, "logical_name"))
                                       : Obis{0, 0, 40, 0, static_cast<std::uint8_t>(i + 1), 255};
      implicit("association_" + name, ln, "association_ln", {"association"}, a.mark,
               "Association LN of client " + name, std::nullopt, "security");
      if (const Node* ss = a.find("security_setup")) {
        Obis s = obis_of(ss->scalar);
        if (security_setups.insert(s).second)
          implicit("security_setup_" + name, s, "security_setup", {"security"}, ss->mark,
                   "Security setup of client " + name, std::nullopt, "security");
      }
    }

    if (const Node* profiles = tree_.find("profiles"))
      for (const auto& p : profiles->items) {
        std::vector<std::string> groups = {"profile"};
        for (auto& g : strings(p, "groups")) groups.push_back(g);
        implicit(text(p, "name"), obis_of(text(p, "obis")), "profile_generic", groups, field_or(p, "obis").mark,
                 text(p, "description", "Profile"));
      }
    if (const Node* logs = tree_.find("event_logs"))
      for (const auto& l : logs->items) {
        std::string name = text(l, "name");
        std::vector<std::string> groups = {"event_log"};
        for (auto& g : strings(l, "groups")) groups.push_back(g);
        implicit(name, obis_of(text(l, "log")), "profile_generic", groups, field_or(l, "log").mark,
                 text(l, "description", "Event log"));
        implicit(name + "_code", obis_of(text(l, "code_object")), "data", groups, field_or(l, "code_object").mark,
                 "Event code of " + name, DataType::long_unsigned, "event");
        if (const Node* f = l.find("filter_object"))
          implicit(name + "_filter", obis_of(f->scalar), "data", groups, f->mark, "Log/push filter of " + name,
                   DataType::bit_string, "parameter");
      }
    if (const Node* dc = tree_.find("disconnect_control")) {
      std::vector<std::string> groups = {"disconnect"};
      for (auto& g : strings(*dc, "groups")) groups.push_back(g);
      implicit("disconnect_control", ln_or(dc, "obis", "0.0.96.3.10.255"), "disconnect_control", groups, dc->mark,
               text(*dc, "description", "Disconnect control"), std::nullopt, "relay");
      if (const Node* f = dc->find("tamper_filter_object"))
        implicit("tamper_disconnect_filter", obis_of(f->scalar), "data", groups, f->mark, "Tamper disconnect filter",
                 DataType::bit_string, "parameter");
    }
    if (const Node* limiters = tree_.find("limiters"))
      for (const auto& l : limiters->items) {
        std::vector<std::string> groups = {"limiter"};
        for (auto& g : strings(l, "groups")) groups.push_back(g);
        implicit(text(l, "name"), ln_or(&l, "obis", "0.0.17.0.0.255"), "limiter", groups, l.mark,
                 text(l, "description", "Limiter"), std::nullopt, "relay");
      }
    if (const Node* cal = tree_.find("calendar")) {
      implicit("activity_calendar", ln_or(cal, "activity_calendar", "0.0.13.0.0.255"), "activity_calendar",
               {"calendar"}, cal->mark, "Activity calendar", std::nullopt, "calendar");
      implicit("special_days_table", ln_or(cal, "special_days_table", "0.0.11.0.0.255"), "special_days_table",
               {"calendar"}, cal->mark, "Special days table", std::nullopt, "calendar");
      implicit("tariff_script_table", ln_or(cal, "tariff_script_table", "0.0.10.0.100.255"), "script_table",
               {"calendar"}, cal->mark, "Tariffication script table", std::nullopt, "calendar");
    }
    if (const Node* bill = tree_.find("billing")) {
      implicit("end_of_billing_schedule", ln_or(bill, "schedule", "0.0.15.0.0.255"), "single_action_schedule",
               {"billing"}, bill->mark, "End of billing period", std::nullopt, "billing");
      implicit("mdi_reset_script_table", ln_or(bill, "script_table", "0.0.10.0.1.255"), "script_table", {"billing"},
               bill->mark, "MDI reset / end of billing period script table", std::nullopt, "billing");
    }
  }

  void remove_objects() {
    const Node* remove = tree_.find("remove");
    const Node* list = remove ? remove->find("objects") : nullptr;
    if (!list) return;
    std::vector<bool> drop(pending_.size(), false);
    for (const auto& ref : list->items) {
      bool found = false;
      if (looks_like_obis(ref.scalar)) {
        for (const Obis& ln : parse_obis_pattern(ref.scalar).values)
          for (std::size_t i = 0; i < pending_.size(); ++i)
            if (pending_[i].ln == ln) drop[i] = found = true;
      } else if (auto it = by_name_.find(ref.scalar); it != by_name_.end()) {
        drop[it->second] = found = true;
      }
      if (!found)
        diags_.error(ref.mark.pos(), "remove.objects", "no object '" + ref.scalar + "' to remove",
                     "an object of the extended spec");
    }
    std::vector<Object> kept;
    std::vector<Mark> marks;
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < pending_.size(); ++i)
      if (!drop[i]) {
        kept.push_back(std::move(pending_[i]));
        marks.push_back(pending_marks_[i]);
        paths.push_back(pending_paths_[i]);
      }
    pending_ = std::move(kept);
    pending_marks_ = std::move(marks);
    pending_paths_ = std::move(paths);
  }

  void finalize_objects() {
    std::vector<std::size_t> order(pending_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return pending_[a].ln < pending_[b].ln; });
    for (std::size_t k = 1; k < order.size(); ++k) {
      const Object& prev = pending_[order[k - 1]];
      const Object& cur = pending_[order[k]];
      if (prev.ln == cur.ln) {
        // Report at the later declaration in the source, naming the earlier one.
        std::size_t first = order[k - 1], second = order[k];
        if (pending_marks_[second].pos().file == pending_marks_[first].pos().file &&
            pending_marks_[second].line < pending_marks_[first].line)
          std::swap(first, second);
        diags_.error(pending_marks_[second].pos(), pending_paths_[second],
                     "duplicate logical name " + format_obis(cur.ln) + " (also '" + pending_[first].name + "' at " +
                         mark_text(pending_marks_[first]) + ")",
                     "one object per logical name");
      }
    }
    for (std::size_t i : order) m_.objects.push_back(std::move(pending_[i]));
    by_name_.clear();
    for (std::size_t i = 0; i < m_.objects.size(); ++i) {
      by_name_[m_.objects[i].name] = i;
      by_ln_[m_.objects[i].ln] = i;
      object_names_.push_back(m_.objects[i].name);
    }
    for (const Object& o : m_.objects) {
      if (o.tariff > 0) {
        int limit = calendar_tariffs();
        if (o.tariff > limit) {
          auto it = tariffs_node_.find(o.name.substr(0, o.name.rfind("_t")));
          const Node* where = it != tariffs_node_.end() ? it->second : nullptr;
          diags_.error(where ? where->mark.pos() : o.mark.pos(), "objects[" + o.name + "]",
                       "tariff register " + std::to_string(o.tariff) + " beyond the tariff count " +
                           std::to_string(limit),
                       "tariffs 1.." + std::to_string(limit) + " (calendar.tariffs)");
        }
      }
    }
  }

  int calendar_tariffs() {
    const Node* cal = tree_.find("calendar");
    return cal ? static_cast<int>(integer(*cal, "tariffs", 1)) : 1;
  }

  // ---- references -------------------------------------------------------------
  std::vector<std::size_t> resolve(const Node& ref, const std::string& path) {
    std::vector<std::size_t> out;
    if (looks_like_obis(ref.scalar)) {
      for (const Obis& ln : parse_obis_pattern(ref.scalar).values) {
        auto it = by_ln_.find(ln);
        if (it == by_ln_.end())
          diags_.error(ref.mark.pos(), path, "no object with logical name " + format_obis(ln), "an object of this spec");
        else
          out.push_back(it->second);
      }
      return out;
    }
    auto it = by_name_.find(ref.scalar);
    if (it == by_name_.end()) {
      std::string hint = closest_match(ref.scalar, object_names_);
      diags_.error(ref.mark.pos(), path, "unknown object '" + ref.scalar + "'" +
                                             (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                   "an object name or OBIS code of this spec");
    } else {
      out.push_back(it->second);
    }
    return out;
  }

  std::optional<std::size_t> resolve_one(const Node& ref, const std::string& path) {
    auto v = resolve(ref, path);
    if (v.size() > 1) {
      diags_.error(ref.mark.pos(), path, "'" + ref.scalar + "' names " + std::to_string(v.size()) + " objects",
                   "exactly one object");
      return std::nullopt;
    }
    if (v.empty()) return std::nullopt;
    return v.front();
  }

  bool check_attribute(const Object& o, int index, const Mark& mark, const std::string& path) {
    if (cosem::find_attribute(*o.cls, index)) return true;
    diags_.error(mark.pos(), path,
                 "attribute " + std::to_string(index) + " is not in class " + o.cls->title + " ('" + o.name + "')",
                 "1.." + std::to_string(o.cls->attributes.size()));
    return false;
  }

  bool check_method(const Object& o, int index, const Mark& mark, const std::string& path) {
    if (cosem::has_method(*o.cls, index)) return true;
    diags_.error(mark.pos(), path,
                 "method " + std::to_string(index) + " is not in class " + o.cls->title + " ('" + o.name + "')",
                 o.cls->methods.empty() ? std::string("no methods") : "1.." + std::to_string(o.cls->methods.size()));
    return false;
  }

  // ---- sections ---------------------------------------------------------------
  void clock() {
    m_.clock.object = by_name_.at("clock");
    const Node* c = tree_.find("clock");
    if (!c) return;
    m_.clock.time_zone_min = static_cast<int>(integer(*c, "time_zone_min", 0));
    m_.clock.clock_base = text(*c, "clock_base", "crystal");
    if (const Node* a = c->find("accuracy_s_per_day")) m_.clock.accuracy_s_per_day = *scalar_number(*a);
    m_.clock.status_bits = filter_bits(c->find("status_bits"));
    if (const Node* dst = c->find("dst")) {
      m_.clock.dst_enabled = flag(*dst, "enabled", false);
      m_.clock.dst_deviation_min = static_cast<int>(integer(*dst, "deviation_min", 60));
      const Node* b = dst->find("begin");
      const Node* e = dst->find("end");
      if (m_.clock.dst_enabled && (!b || !e)) {
        diags_.error(dst->mark.pos(), "clock.dst", "DST enabled without begin and end rules", "begin and end");
        return;
      }
      if (b) m_.clock.dst_begin = dst_rule(*b, "clock.dst.begin");
      if (e) m_.clock.dst_end = dst_rule(*e, "clock.dst.end");
      if (b && e) check_dst_span(m_.clock, *dst, diags_);
    }
  }

  DstRule dst_rule(const Node& n, const std::string& path) {
    static const std::vector<std::string> weeks = {"first", "second", "third", "fourth", "last"};
    static const std::vector<std::string> days = {"monday", "tuesday", "wednesday", "thursday",
                                                  "friday", "saturday", "sunday"};
    DstRule r;
    r.month = static_cast<int>(integer(n, "month", 1));
    r.minute = minutes_of(text(n, "time", "00:00"));
    bool has_day = n.find("day"), has_week = n.find("week") && n.find("weekday");
    if (has_day == has_week) {
      diags_.error(n.mark.pos(), path, "DST rule needs either day, or week and weekday", "one of the two forms");
      return r;
    }
    if (has_day) {
      r.day = static_cast<int>(integer(n, "day", 1));
    } else {
      r.week = static_cast<int>(std::find(weeks.begin(), weeks.end(), text(n, "week")) - weeks.begin()) + 1;
      r.weekday = static_cast<int>(std::find(days.begin(), days.end(), text(n, "weekday")) - days.begin()) + 1;
    }
    return r;
  }

  std::vector<FilterBit> filter_bits(const Node* list) {
    std::vector<FilterBit> out;
    if (!list) return out;
    std::map<int, const Node*> seen;
    for (const auto& b : list->items) {
      FilterBit f{static_cast<int>(integer(b, "bit", 0)), text(b, "name"), text(b, "trigger"), flag(b, "enabled", false)};
      if (auto [it, ok] = seen.emplace(f.bit, &b); !ok)
        diags_.error(field_or(b, "bit").mark.pos(), "bit", "bit " + std::to_string(f.bit) + " defined twice",
                     "each bit once");
      out.push_back(f);
    }
    return out;
  }

  void associations() {
    const Node& list = *tree_.find("associations");
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
        diags_.error(field_or(a, "sap").mark.pos(), path + ".sap",
                     "client SAP " + std::to_string(as.sap) + " already used by association '" +
                         text(*it->second, "name") + "'",
                     "a unique SAP per association");
      if (auto [it, ok] = names.emplace(as.name, i); !ok)
        diags_.error(field_or(a, "name").mark.pos(), path + ".name", "association name used twice", "unique names");
      as.ln = by_name_.count("association_" + as.name) ? m_.objects[by_name_.at("association_" + as.name)].ln : Obis{};
      as.authentication = text(a, "authentication");
      as.fallback_authentication = text(a, "fallback_authentication");
      as.security_policy = strings(a, "security_policy");
      as.security_suite = static_cast<int>(integer(a, "security_suite", 0));
      if (const Node* ss = a.find("security_setup")) as.security_setup = obis_of(ss->scalar);
      as.pre_established = flag(a, "pre_established", false);
      as.remote_only = flag(a, "remote_only", false);
      as.services = strings(a, "services");
      if (as.authentication == "none" && !as.security_policy.empty())
        diags_.error(field_or(a, "security_policy").mark.pos(), path + ".security_policy",
                     "protection without authentication", "authentication lls or hls-gmac, or no security_policy");
      init_access(as);
      if (const Node* rules = a.find("access"))
        for (std::size_t r = 0; r < rules->items.size(); ++r) apply_rule(as, rules->items[r], path + ".access[" + std::to_string(r) + "]");
      m_.associations.push_back(std::move(as));
    }
    object_access(names);
    for (auto& as : m_.associations)
      for (auto& acc : as.access)
        if (acc.listed && acc.attributes[0] == AttrMode::none) acc.attributes[0] = AttrMode::read;
  }

  void init_access(Association& as) {
    as.access.resize(m_.objects.size());
    for (std::size_t i = 0; i < m_.objects.size(); ++i) {
      as.access[i].attributes.assign(m_.objects[i].cls->attributes.size(), AttrMode::none);
      as.access[i].methods.assign(m_.objects[i].cls->methods.size(), MethodMode::none);
    }
  }

  bool is_writable(const Object& o, int index) {
    if (!o.writable.empty()) return std::find(o.writable.begin(), o.writable.end(), index) != o.writable.end();
    const auto* a = cosem::find_attribute(*o.cls, index);
    return a && a->writable;
  }

  void apply_modes(AccessSet& acc, const Object& o, const Node& rule, const std::string& path) {
    acc.listed = true;
    if (const Node* am = rule.find("attributes")) {
      AttrMode mode = attr_mode_of(am->scalar);
      if (const Node* only = rule.find("only_attributes")) {
        for (const auto& x : only->items) {
          int idx = static_cast<int>(*scalar_int(x));
          if (check_attribute(o, idx, x.mark, path + ".only_attributes")) acc.attributes[static_cast<std::size_t>(idx - 1)] = mode;
        }
      } else {
        for (const auto& a : o.cls->attributes) {
          auto& slot = acc.attributes[static_cast<std::size_t>(a.index - 1)];
          if (!writes(mode)) slot = mode;
          else if (is_writable(o, a.index)) slot = mode;
          else if (read_part(mode) != AttrMode::none) slot = read_part(mode);
        }
      }
    }
    if (const Node* mm = rule.find("methods")) {
      MethodMode mode = method_mode_of(mm->scalar);
      if (const Node* only = rule.find("only_methods")) {
        for (const auto& x : only->items) {
          int idx = static_cast<int>(*scalar_int(x));
          if (check_method(o, idx, x.mark, path + ".only_methods")) acc.methods[static_cast<std::size_t>(idx - 1)] = mode;
        }
      } else {
        for (auto& s : acc.methods) s = mode;
      }
    }
  }

  void apply_rule(Association& as, const Node& rule, const std::string& path) {
    std::vector<std::size_t> selected;
    if (flag(rule, "all", false))
      for (std::size_t i = 0; i < m_.objects.size(); ++i) selected.push_back(i);
    if (const Node* objs = rule.find("objects"))
      for (const auto& r : objs->items)
        for (auto i : resolve(r, path + ".objects")) selected.push_back(i);
    if (const Node* groups = rule.find("groups"))
      for (const auto& g : groups->items) {
        bool any = false;
        for (std::size_t i = 0; i < m_.objects.size(); ++i) {
          const auto& og = m_.objects[i].groups;
          if (std::find(og.begin(), og.end(), g.scalar) != og.end()) {
            selected.push_back(i);
            any = true;
          }
        }
        if (!any) diags_.warning(g.mark.pos(), path + ".groups", "group '" + g.scalar + "' selects no object", "a group used by objects");
      }
    if (const Node* classes = rule.find("classes"))
      for (const auto& c : classes->items) {
        const auto* cls = class_of(c, path + ".classes");
        if (!cls) continue;
        for (std::size_t i = 0; i < m_.objects.size(); ++i)
          if (m_.objects[i].cls == cls) selected.push_back(i);
      }
    std::sort(selected.begin(), selected.end());
    selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
    for (auto i : selected) apply_modes(as.access[i], m_.objects[i], rule, path);
  }

  // Per-object access entries apply after the association rules, to every object
  // the declaration expanded into (same declaration mark).
  void object_access(const std::map<std::string, std::size_t>& names) {
    const Node* list = tree_.find("objects");
    if (!list) return;
    std::vector<std::string> known;
    for (const auto& [n, i] : names) known.push_back(n);
    for (std::size_t d = 0; d < list->items.size(); ++d) {
      const Node& decl = list->items[d];
      const Node* acc = decl.find("access");
      if (!acc) continue;
      std::string path = schema::item_path("objects", decl, d) + ".access";
      std::vector<std::size_t> expanded;
      for (std::size_t i = 0; i < m_.objects.size(); ++i)
        if (!m_.objects[i].implicit && m_.objects[i].mark.line == decl.mark.line && m_.objects[i].mark.file == decl.mark.file)
          expanded.push_back(i);
      for (const auto& entry : acc->items) {
        const Node* an = entry.find("association");
        auto it = names.find(an->scalar);
        if (it == names.end()) {
          std::string hint = closest_match(an->scalar, known);
          diags_.error(an->mark.pos(), path, "access rights for unknown association '" + an->scalar + "'" +
                                                 (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                       "one of " + join(known));
          continue;
        }
        for (auto i : expanded) apply_modes(m_.associations[it->second].access[i], m_.objects[i], entry, path);
      }
    }
  }

  int encoded_attribute_size(const Object& o, const cosem::Attribute& a) {
    switch (a.kind) {
      case cosem::AttrKind::logical_name: return 8;
      case cosem::AttrKind::scaler_unit: return 6;
      case cosem::AttrKind::date_time: return 14;
      case cosem::AttrKind::value: return o.type ? cosem::encoded_size(*o.type, o.length) : 1;
      case cosem::AttrKind::fixed: return cosem::encoded_size(a.type, a.type == DataType::octet_string ? 6 : 0);
      case cosem::AttrKind::complex: return -1;
    }
    return -1;
  }

  Profile make_profile(std::size_t object, const Node& p, const std::string& path) {
    Profile pr;
    pr.mark = p.mark;
    pr.object = object;
    pr.name = m_.objects[object].name;
    pr.description = text(p, "description");
    pr.purpose = text(p, "purpose", "other");
    pr.capture_period_s = static_cast<std::uint32_t>(integer(p, "capture_period_s", 0));
    for (auto v : integers(p, "allowed_periods_s")) pr.allowed_periods_s.push_back(static_cast<std::uint32_t>(v));
    pr.entries = static_cast<std::uint32_t>(integer(p, "entries", 1));
    pr.sort = text(p, "sort", "fifo");
    if (const Node* s = p.find("sort_object")) pr.sort_object = resolve_one(*s, path + ".sort_object");
    if (const Node* s = p.find("storage_bytes")) pr.storage_bytes = static_cast<std::uint64_t>(*scalar_int(*s));
    if (const Node* s = p.find("max_capture_objects")) pr.max_capture_objects = static_cast<int>(*scalar_int(*s));
    pr.selective_access = strings(p, "selective_access");
    if (!pr.allowed_periods_s.empty() && pr.capture_period_s != 0 &&
        std::find(pr.allowed_periods_s.begin(), pr.allowed_periods_s.end(), pr.capture_period_s) ==
            pr.allowed_periods_s.end())
      diags_.error(field_or(p, "capture_period_s").mark.pos(), path + ".capture_period_s",
                   "capture period " + std::to_string(pr.capture_period_s) + " s is not among the allowed periods",
                   "one of allowed_periods_s");
    return pr;
  }

  void add_capture(Profile& pr, std::size_t object, int attribute, int data_index, const Mark& mark,
                   const std::string& path, std::map<std::tuple<std::size_t, int, int>, Mark>& seen) {
    const Object& o = m_.objects[object];
    if (!check_attribute(o, attribute, mark, path)) return;
    const auto* attr = cosem::find_attribute(*o.cls, attribute);
    int size = encoded_attribute_size(o, *attr);
    if (size < 0) {
      diags_.error(mark.pos(), path, std::string("attribute ") + attr->name + " of '" + o.name + "' is not a capturable value",
                   "a value attribute");
      return;
    }
    auto key = std::make_tuple(object, attribute, data_index);
    if (auto [it, ok] = seen.emplace(key, mark); !ok) {
      diags_.error(mark.pos(), path, "'" + o.name + "' attribute " + std::to_string(attribute) +
                                         " captured twice (first at line " + std::to_string(it->second.line) + ")",
                   "each capture object once per profile");
      return;
    }
    pr.capture.push_back({object, attribute, data_index, size, mark});
  }

  void finish_profile(Profile& pr, const Node& p, const std::string& path) {
    // A buffer entry is a structure: tag + element count, then the captured values.
    std::uint32_t bytes = pr.capture.size() < 128 ? 2 : 3;
    for (const auto& c : pr.capture) bytes += static_cast<std::uint32_t>(c.encoded_bytes);
    pr.entry_bytes = bytes;
    if (pr.storage_bytes) {
      std::uint64_t need = std::uint64_t(pr.entries) * pr.entry_bytes;
      if (need > *pr.storage_bytes)
        diags_.error(field_or(p, "storage_bytes").mark.pos(), path + ".storage_bytes",
                     std::to_string(pr.entries) + " entries x " + std::to_string(pr.entry_bytes) + " bytes = " +
                         std::to_string(need) + " bytes exceed storage_bytes " + std::to_string(*pr.storage_bytes),
                     "at most " + std::to_string(*pr.storage_bytes / pr.entry_bytes) + " entries, or more storage");
    }
    if (pr.max_capture_objects && static_cast<int>(pr.capture.size()) > *pr.max_capture_objects)
      diags_.error(field_or(p, "capture").mark.pos(), path + ".capture",
                   std::to_string(pr.capture.size()) + " capture objects", "at most " + std::to_string(*pr.max_capture_objects));
  }

  void profiles() {
    const Node* list = tree_.find("profiles");
    if (!list) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& p = list->items[i];
      std::string path = schema::item_path("profiles", p, i);
      Profile pr = make_profile(by_name_.at(text(p, "name")), p, path);
      std::map<std::tuple<std::size_t, int, int>, Mark> seen;
      const Node& cap = *p.find("capture");
      for (std::size_t k = 0; k < cap.items.size(); ++k) {
        const Node& item = cap.items[k];
        std::string ipath = path + ".capture[" + std::to_string(k) + "]";
        const Node& ref = item.is_map() ? *item.find("object") : item;
        int attribute = item.is_map() ? static_cast<int>(integer(item, "attribute", 2)) : 2;
        int data_index = item.is_map() ? static_cast<int>(integer(item, "data_index", 0)) : 0;
        for (auto obj : resolve(ref, ipath)) add_capture(pr, obj, attribute, data_index, item.mark, ipath, seen);
      }
      finish_profile(pr, p, path);
      m_.profiles.push_back(std::move(pr));
    }
  }

  void event_logs() {
    const Node* list = tree_.find("event_logs");
    if (!list) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& l = list->items[i];
      std::string path = schema::item_path("event_logs", l, i);
      EventLog log;
      log.mark = l.mark;
      log.name = text(l, "name");
      log.description = text(l, "description");
      log.log_object = by_name_.at(log.name);
      log.code_object = by_name_.at(log.name + "_code");
      if (l.find("filter_object")) log.filter_object = by_name_.at(log.name + "_filter");
      log.capacity = static_cast<std::uint32_t>(integer(l, "capacity", 1));
      if (const Node* r = l.find("code_range")) {
        auto v = integers(l, "code_range");
        if (v.size() != 2 || v[0] > v[1]) {
          diags_.error(r->mark.pos(), path + ".code_range", "code range is not [min, max]", "two codes, min <= max");
        } else {
          log.code_min = static_cast<int>(v[0]);
          log.code_max = static_cast<int>(v[1]);
        }
      }
      bool log_default = flag(l, "log_by_default", true), push_default = flag(l, "push_by_default", false);
      std::map<int, const Node*> codes;
      if (const Node* events = l.find("events"))
        for (std::size_t k = 0; k < events->items.size(); ++k) {
          const Node& e = events->items[k];
          Event ev;
          ev.mark = e.mark;
          ev.code = static_cast<int>(integer(e, "code", 0));
          ev.name = text(e, "name");
          ev.group = text(e, "group");
          ev.description = text(e, "description");
          ev.log = flag(e, "log", log_default);
          ev.push = flag(e, "push", push_default);
          std::string epath = path + ".events[" + std::to_string(k) + "]";
          const Node& code_node = field_or(e, "code");
          if (auto [it, ok] = codes.emplace(ev.code, &e); !ok)
            diags_.error(code_node.mark.pos(), epath + ".code",
                         "duplicate event code " + std::to_string(ev.code) + " ('" + text(*it->second, "name") +
                             "' at line " + std::to_string(it->second->mark.line) + ")",
                         "each code once per log");
          if (ev.code < log.code_min || ev.code > log.code_max)
            diags_.error(code_node.mark.pos(), epath + ".code", "event code " + std::to_string(ev.code) + " outside the declared range",
                         std::to_string(log.code_min) + ".." + std::to_string(log.code_max));
          log.events.push_back(std::move(ev));
        }
      // The log itself is a profile capturing the clock time and the event code.
      Profile pr;
      pr.mark = l.mark;
      pr.object = log.log_object;
      pr.name = log.name;
      pr.description = log.description;
      pr.purpose = "event_log";
      pr.entries = log.capacity;
      pr.selective_access = {"range", "entry"};
      if (const Node* s = l.find("storage_bytes")) pr.storage_bytes = static_cast<std::uint64_t>(*scalar_int(*s));
      std::map<std::tuple<std::size_t, int, int>, Mark> seen;
      add_capture(pr, m_.clock.object, 2, 0, l.mark, path, seen);
      add_capture(pr, log.code_object, 2, 0, l.mark, path, seen);
      finish_profile(pr, l, path);
      m_.profiles.push_back(std::move(pr));
      m_.event_logs.push_back(std::move(log));
    }
  }

  void disconnect() {
    const Node* dc = tree_.find("disconnect_control");
    if (!dc) return;
    DisconnectControl d;
    d.mark = dc->mark;
    d.object = by_name_.at("disconnect_control");
    d.description = text(*dc, "description");
    d.default_mode = static_cast<int>(integer(*dc, "default_mode", 0));
    d.local_triggers = strings(*dc, "local_triggers");
    d.manual_reconnect_hold_s = static_cast<int>(integer(*dc, "manual_reconnect_hold_s", 0));
    if (dc->find("tamper_filter_object")) d.tamper_filter_object = by_name_.at("tamper_disconnect_filter");
    d.tamper_filter = filter_bits(dc->find("tamper_filter"));
    const Node& modes = *dc->find("supported_modes");
    for (const auto& m : modes.items) {
      int v = static_cast<int>(*scalar_int(m));
      if (v > 6)
        diags_.error(m.mark.pos(), "disconnect_control.supported_modes", "control_mode " + std::to_string(v) + " does not exist",
                     "modes 0..6 (IC 70)");
      d.supported_modes.push_back(v);
    }
    const Node& dm = *dc->find("default_mode");
    if (d.default_mode > 6)
      diags_.error(dm.mark.pos(), "disconnect_control.default_mode", "control_mode " + dm.scalar + " does not exist",
                   "modes 0..6 (IC 70)");
    else if (std::find(d.supported_modes.begin(), d.supported_modes.end(), d.default_mode) == d.supported_modes.end())
      diags_.error(dm.mark.pos(), "disconnect_control.default_mode",
                   "control_mode " + dm.scalar + " is not among the supported modes", "one of supported_modes");
    m_.disconnect = std::move(d);
  }

  void limiters() {
    const Node* list = tree_.find("limiters");
    if (!list) return;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& l = list->items[i];
      std::string path = schema::item_path("limiters", l, i);
      Limiter lim;
      lim.mark = l.mark;
      lim.name = text(l, "name");
      lim.description = text(l, "description");
      lim.object = by_name_.at(lim.name);
      auto monitored = resolve_one(*l.find("monitored"), path + ".monitored");
      if (!monitored) continue;
      lim.monitored = *monitored;
      if (!m_.objects[lim.monitored].cls->has_value)
        diags_.error(l.find("monitored")->mark.pos(), path + ".monitored", "'" + m_.objects[lim.monitored].name + "' has no value to monitor",
                     "a Data, Register or Demand register object");
      if (const Node* opts = l.find("monitored_options"))
        for (const auto& r : opts->items)
          for (auto o : resolve(r, path + ".monitored_options")) lim.monitored_options.push_back(o);
      if (const Node* t = l.find("threshold_normal")) lim.threshold_normal = *scalar_number(*t);
      if (const Node* t = l.find("threshold_emergency")) lim.threshold_emergency = *scalar_number(*t);
      lim.over_s = static_cast<std::uint32_t>(integer(l, "min_over_threshold_duration_s", 0));
      lim.under_s = static_cast<std::uint32_t>(integer(l, "min_under_threshold_duration_s", 0));
      lim.reconnect_delay_s = static_cast<std::uint32_t>(integer(l, "reconnect_delay_s", 0));
      lim.max_reconnects = static_cast<int>(integer(l, "max_reconnects", 0));
      lim.count_reset_s = static_cast<std::uint32_t>(integer(l, "reconnect_count_reset_s", 0));
      lim.final_state = text(l, "final_state", "disconnected");
      Object& obj = m_.objects[lim.object];
      obj.type = m_.objects[lim.monitored].type;
      if (const Node* t = l.find("type")) obj.type = cosem::data_type_by_name(t->scalar);
      m_.limiters.push_back(std::move(lim));
    }
  }

  void demand() {
    const Node* d = tree_.find("demand");
    if (!d) return;
    Demand dm;
    dm.mark = d->mark;
    dm.method = text(*d, "method");
    dm.period_s = static_cast<std::uint32_t>(integer(*d, "period_s", 900));
    dm.number_of_periods = static_cast<int>(integer(*d, "number_of_periods", 1));
    for (auto v : integers(*d, "allowed_periods_s")) dm.allowed_periods_s.push_back(static_cast<std::uint32_t>(v));
    dm.max_window_s = static_cast<std::uint32_t>(integer(*d, "max_window_s", 3600));
    dm.recalculate_on = strings(*d, "recalculate_on");
    dm.reset = strings(*d, "reset");
    if (dm.method == "sliding" && std::uint64_t(dm.period_s) * std::uint64_t(dm.number_of_periods) > dm.max_window_s)
      diags_.error(field_or(*d, "number_of_periods").mark.pos(), "demand.number_of_periods",
                   "sliding window " + std::to_string(dm.period_s) + " s x " + std::to_string(dm.number_of_periods) + " = " +
                       std::to_string(dm.period_s * static_cast<std::uint32_t>(dm.number_of_periods)) +
                       " s is longer than " + std::to_string(dm.max_window_s) + " s",
                   "period_s x number_of_periods <= " + std::to_string(dm.max_window_s) + " (HXF300 §7.1: 60 min)");
    if (dm.method == "block" && dm.number_of_periods != 1)
      diags_.error(field_or(*d, "number_of_periods").mark.pos(), "demand.number_of_periods",
                   "block demand with " + std::to_string(dm.number_of_periods) + " sub-periods", "1 for block demand");
    if (!dm.allowed_periods_s.empty() &&
        std::find(dm.allowed_periods_s.begin(), dm.allowed_periods_s.end(), dm.period_s) == dm.allowed_periods_s.end())
      diags_.error(field_or(*d, "period_s").mark.pos(), "demand.period_s",
                   "period " + std::to_string(dm.period_s) + " s is not among the allowed periods", "one of allowed_periods_s");
    m_.demand = std::move(dm);
  }

  std::optional<std::size_t> profile_ref(const Node& n, const std::string& path) {
    for (std::size_t i = 0; i < m_.profiles.size(); ++i)
      if (m_.profiles[i].name == n.scalar && m_.profiles[i].purpose != "event_log") return i;
    diags_.error(n.mark.pos(), path, "unknown profile '" + n.scalar + "'", "a profile name of this spec");
    return std::nullopt;
  }

  void billing() {
    const Node* b = tree_.find("billing");
    if (!b) return;
    if (const Node* d = b->find("daily")) {
      m_.billing.daily = true;
      m_.billing.daily_minute = minutes_of(text(*d, "time"));
      if (const Node* p = d->find("profile")) m_.billing.daily_profile = profile_ref(*p, "billing.daily.profile");
    }
    if (const Node* mo = b->find("monthly")) {
      m_.billing.monthly = true;
      m_.billing.monthly_day = static_cast<int>(integer(*mo, "day", 1));
      m_.billing.monthly_minute = minutes_of(text(*mo, "time"));
      if (const Node* p = mo->find("profile")) m_.billing.monthly_profile = profile_ref(*p, "billing.monthly.profile");
      m_.billing.methods = strings(*mo, "methods");
      m_.billing.lockout_s = static_cast<std::uint32_t>(integer(*mo, "lockout_s", 0));
      m_.billing.button_hold_s = static_cast<int>(integer(*mo, "button_hold_s", 0));
      m_.billing.catch_up = flag(*mo, "catch_up", false);
    }
  }

  void calendar() {
    const Node* c = tree_.find("calendar");
    if (!c) return;
    Calendar& cal = m_.calendar;
    cal.present = true;
    cal.mark = c->mark;
    cal.tariffs = static_cast<int>(integer(*c, "tariffs", 1));
    cal.passive = flag(*c, "passive", false);
    cal.fallback_tariff = static_cast<int>(integer(*c, "fallback_tariff", 1));
    if (const Node* lim = c->find("limits")) {
      cal.max_tariffs = static_cast<int>(integer(*lim, "tariffs", 0));
      cal.max_seasons = static_cast<int>(integer(*lim, "seasons", 0));
      cal.max_week_profiles = static_cast<int>(integer(*lim, "week_profiles", 0));
      cal.max_day_profiles = static_cast<int>(integer(*lim, "day_profiles", 0));
      cal.max_switchings = static_cast<int>(integer(*lim, "switchings_per_day", 0));
      cal.max_special_days = static_cast<int>(integer(*lim, "special_days", 0));
    }
    auto index_of = [](const auto& v, const std::string& name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i].name == name) return i;
      return std::nullopt;
    };
    if (const Node* days = c->find("days"))
      for (const auto& d : days->items) {
        Calendar::Day day{text(d, "name"), {}};
        for (const auto& s : d.find("switchings")->items) {
          Switching sw{minutes_of(text(s, "time")), static_cast<int>(integer(s, "tariff", 1))};
          if (sw.tariff > cal.tariffs)
            diags_.error(field_or(s, "tariff").mark.pos(), "calendar.days[" + day.name + "].switchings",
                         "tariff " + std::to_string(sw.tariff) + " beyond the tariff count",
                         "1.." + std::to_string(cal.tariffs));
          day.switchings.push_back(sw);
        }
        cal.days.push_back(std::move(day));
      }
    if (const Node* weeks = c->find("weeks"))
      for (const auto& w : weeks->items) {
        Calendar::Week week{text(w, "name"), {}};
        const Node& days = *w.find("days");
        if (days.items.size() != 7)
          diags_.error(days.mark.pos(), "calendar.weeks[" + week.name + "].days",
                       std::to_string(days.items.size()) + " day profiles", "7, Monday to Sunday");
        for (const auto& d : days.items) {
          auto idx = index_of(cal.days, d.scalar);
          if (!idx) diags_.error(d.mark.pos(), "calendar.weeks[" + week.name + "].days", "unknown day profile '" + d.scalar + "'",
                                 "a name from calendar.days");
          else week.days.push_back(*idx);
        }
        cal.weeks.push_back(std::move(week));
      }
    if (const Node* seasons = c->find("seasons"))
      for (const auto& s : seasons->items) {
        Calendar::Season season;
        season.name = text(s, "name");
        std::string start = text(s, "start");
        season.month = std::stoi(start.substr(0, 2));
        season.day = std::stoi(start.substr(3, 2));
        auto idx = index_of(cal.weeks, text(s, "week"));
        if (!idx) diags_.error(field_or(s, "week").mark.pos(), "calendar.seasons[" + season.name + "].week",
                               "unknown week profile '" + text(s, "week") + "'", "a name from calendar.weeks");
        else season.week = *idx;
        cal.seasons.push_back(season);
      }
    if (const Node* specials = c->find("special_days"))
      for (const auto& s : specials->items) {
        Calendar::Special sp;
        std::string date = text(s, "date");
        sp.month = std::stoi(date.substr(0, 2));
        sp.day = std::stoi(date.substr(3, 2));
        sp.name = text(s, "name");
        auto idx = index_of(cal.days, text(s, "day"));
        if (!idx) diags_.error(field_or(s, "day").mark.pos(), "calendar.special_days", "unknown day profile '" + text(s, "day") + "'",
                               "a name from calendar.days");
        else sp.day_profile = *idx;
        cal.special_days.push_back(sp);
      }
    check_calendar_limits(cal, *c, diags_);
  }

  void display() {
    const Node* d = tree_.find("display");
    if (!d) return;
    m_.display_digits = static_cast<int>(integer(*d, "digits", 8));
    int default_max = static_cast<int>(integer(*d, "max_items", 1000));
    const Node* lists = d->find("lists");
    if (!lists) return;
    std::set<std::string> modes;
    for (const auto& l : lists->items) modes.insert(text(l, "mode"));
    for (std::size_t i = 0; i < lists->items.size(); ++i) {
      const Node& l = lists->items[i];
      std::string path = schema::item_path("display.lists", l, i);
      DisplayList dl;
      dl.mark = l.mark;
      dl.mode = text(l, "mode");
      dl.description = text(l, "description");
      dl.same_as = text(l, "same_as");
      dl.scroll_s = static_cast<int>(integer(l, "scroll_s", 0));
      auto range = integers(l, "scroll_range_s");
      if (range.size() == 2) {
        dl.scroll_min_s = static_cast<int>(range[0]);
        dl.scroll_max_s = static_cast<int>(range[1]);
        if (dl.scroll_s && (dl.scroll_s < dl.scroll_min_s || dl.scroll_s > dl.scroll_max_s))
          diags_.error(field_or(l, "scroll_s").mark.pos(), path + ".scroll_s", "scroll time outside its configurable range",
                       std::to_string(dl.scroll_min_s) + ".." + std::to_string(dl.scroll_max_s) + " s");
      } else if (!range.empty()) {
        diags_.error(field_or(l, "scroll_range_s").mark.pos(), path + ".scroll_range_s", "range is not [min, max]", "two values");
      }
      dl.timeout_s = static_cast<int>(integer(l, "timeout_s", 0));
      dl.duration_s = static_cast<int>(integer(l, "duration_s", 0));
      dl.activations = static_cast<int>(integer(l, "activations", 0));
      dl.max_items = static_cast<int>(integer(l, "max_items", default_max));
      if (!dl.same_as.empty() && !modes.count(dl.same_as))
        diags_.error(field_or(l, "same_as").mark.pos(), path + ".same_as", "no display list with mode '" + dl.same_as + "'",
                     "a mode listed in display.lists");
      int decimals = static_cast<int>(integer(l, "decimals", 0));
      if (const Node* items = l.find("items")) {
        for (std::size_t k = 0; k < items->items.size(); ++k) display_item(dl, items->items[k], decimals,
                                                                           path + ".items[" + std::to_string(k) + "]");
        if (static_cast<int>(dl.items.size()) > dl.max_items)
          diags_.error(items->mark.pos(), path + ".items",
                       "display list has " + std::to_string(dl.items.size()) + " items",
                       "at most " + std::to_string(dl.max_items) + " (the model's limit)");
      }
      m_.display_lists.push_back(std::move(dl));
    }
  }

  void display_item(DisplayList& dl, const Node& item, int decimals, const std::string& path) {
    const Node* ref = item.is_map() ? item.find("object") : &item;
    std::string special = item.is_map() ? text(item, "special") : std::string();
    if (!ref && special.empty()) {
      diags_.error(item.mark.pos(), path, "display item shows nothing", "object or special");
      return;
    }
    std::vector<std::size_t> objs;
    if (ref) objs = resolve(*ref, path);
    else objs.push_back(SIZE_MAX);
    for (auto o : objs) {
      DisplayItem di;
      di.mark = item.mark;
      di.special = special;
      di.decimals = decimals;
      di.digits = m_.display_digits;
      if (item.is_map()) {
        di.attribute = static_cast<int>(integer(item, "attribute", 2));
        di.label = text(item, "label");
        di.format = text(item, "format", "value");
        di.unit = text(item, "unit");
        di.digits = static_cast<int>(integer(item, "digits", di.digits));
        di.decimals = static_cast<int>(integer(item, "decimals", di.decimals));
        di.show = text(item, "show");
      }
      if (o != SIZE_MAX) {
        di.object = o;
        const Object& obj = m_.objects[o];
        if (!check_attribute(obj, di.attribute, item.mark, path)) continue;
        if (di.show.empty()) di.show = obj.display_code.empty() ? display_code(obj.ln) : obj.display_code;
        if (di.unit.empty() && di.format == "value" && obj.unit >= 0 && obj.unit != 255) di.unit = cosem::unit_name(obj.unit);
      }
      dl.items.push_back(std::move(di));
    }
  }

  const ResolvedSpec& spec_;
  const Node& tree_;
  Diagnostics& diags_;
  Model m_;
  std::map<std::string, CatalogEntry> catalog_;
  std::vector<std::string> catalog_names_;
  std::vector<Object> pending_;
  std::vector<Mark> pending_marks_;
  std::vector<std::string> pending_paths_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::map<Obis, std::size_t> by_ln_;
  std::vector<std::string> object_names_;
  std::map<std::string, const Node*> tariffs_node_;
};

}  // namespace

std::optional<Model> build_model(const ResolvedSpec& spec, Diagnostics& diags) { return Builder(spec, diags).run(); }

std::optional<Model> load_model(const std::string& spec_path, Diagnostics& diags) {
  auto resolved = resolve_spec(spec_path, diags);
  if (!resolved || diags.has_errors()) return std::nullopt;
  auto model = build_model(*resolved, diags);
  if (!model) return std::nullopt;
  check_model(*model, diags);
  if (diags.has_errors()) return std::nullopt;
  return model;
}

}  // namespace metergen
