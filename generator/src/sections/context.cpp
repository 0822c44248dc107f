#include "context.hpp"

#include <cmath>

#include "values.hpp"

namespace metergen::sections {

const std::string& text(const Node& map, const char* key, const std::string& fallback) {
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

const Node& field_or(const Node& map, const char* key) {
  const Node* n = map.find(key);
  return n ? *n : map;
}

int minutes_of(const std::string& hhmm) { return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)); }

std::int64_t raw_in_scaler(double value, int scaler) { return std::llround(value / std::pow(10.0, scaler)); }

Obis obis_of(const std::string& text) { return *parse_obis(text).value; }

Obis obis_or(const Node* section, const char* key, const char* fallback) {
  const Node* n = section ? section->find(key) : nullptr;
  return obis_of(n ? n->scalar : std::string(fallback));
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string mark_text(const Mark& m) { return (m.file ? *m.file : std::string()) + ":" + std::to_string(m.line); }

std::string did_you_mean(const std::string& word, const std::vector<std::string>& known) {
  std::string hint = closest_match(word, known);
  return hint.empty() ? "" : " (did you mean '" + hint + "'?)";
}

std::optional<std::size_t> Context::add_object(Object o, const Mark& where, const std::string& path) {
  auto [it, inserted] = by_name_.emplace(o.name, pending_.size());
  if (!inserted) {
    diags.error(where.pos(), path,
                "duplicate object name '" + o.name + "' (first at " + mark_text(pending_[it->second].object.mark) + ")",
                "unique object names");
    return std::nullopt;
  }
  pending_.push_back({std::move(o), where, path});
  return pending_.size() - 1;
}

std::optional<std::size_t> Context::add_implicit(const std::string& name, const Obis& ln, const char* cls,
                                                 std::vector<std::string> groups, const Mark& mark,
                                                 const std::string& description, std::optional<cosem::DataType> type,
                                                 const std::string& source) {
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
  return add_object(std::move(o), mark, name);
}

std::optional<std::size_t> Context::pending_index(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

void Context::index_objects() {
  by_name_.clear();
  for (std::size_t i = 0; i < model.objects.size(); ++i) {
    by_name_[model.objects[i].name] = i;
    by_ln_[model.objects[i].ln] = i;
    object_names_.push_back(model.objects[i].name);
  }
}

std::vector<std::size_t> Context::resolve(const Node& ref, const std::string& path) {
  std::vector<std::size_t> out;
  if (looks_like_obis(ref.scalar)) {
    for (const Obis& ln : parse_obis_pattern(ref.scalar).values) {
      auto it = by_ln_.find(ln);
      if (it == by_ln_.end())
        diags.error(ref.mark.pos(), path, "no object with logical name " + format_obis(ln), "an object of this spec");
      else
        out.push_back(it->second);
    }
    return out;
  }
  auto it = by_name_.find(ref.scalar);
  if (it == by_name_.end())
    diags.error(ref.mark.pos(), path, "unknown object '" + ref.scalar + "'" + did_you_mean(ref.scalar, object_names_),
                "an object name or OBIS code of this spec");
  else
    out.push_back(it->second);
  return out;
}

std::optional<std::size_t> Context::resolve_one(const Node& ref, const std::string& path) {
  auto v = resolve(ref, path);
  if (v.size() > 1) {
    diags.error(ref.mark.pos(), path, "'" + ref.scalar + "' names " + std::to_string(v.size()) + " objects",
                "exactly one object");
    return std::nullopt;
  }
  if (v.empty()) return std::nullopt;
  return v.front();
}

bool Context::check_attribute(const Object& o, int index, const Mark& mark, const std::string& path) {
  if (cosem::find_attribute(*o.cls, index)) return true;
  diags.error(mark.pos(), path,
              "attribute " + std::to_string(index) + " is not in class " + o.cls->title + " ('" + o.name + "')",
              "1.." + std::to_string(o.cls->attributes.size()));
  return false;
}

bool Context::check_method(const Object& o, int index, const Mark& mark, const std::string& path) {
  if (cosem::has_method(*o.cls, index)) return true;
  diags.error(mark.pos(), path,
              "method " + std::to_string(index) + " is not in class " + o.cls->title + " ('" + o.name + "')",
              o.cls->methods.empty() ? std::string("no methods") : "1.." + std::to_string(o.cls->methods.size()));
  return false;
}

const cosem::InterfaceClass* Context::class_of(const Node& n, const std::string& path) {
  if (auto id = scalar_int(n)) {
    if (const auto* c = cosem::class_by_id(static_cast<int>(*id))) return c;
    std::vector<std::string> ids;
    for (const auto& c : cosem::classes()) ids.push_back(std::to_string(c.id));
    diags.error(n.mark.pos(), path, "unknown interface class " + n.scalar, "one of " + join(ids));
    return nullptr;
  }
  return cosem::class_by_name(n.scalar);  // the schema already checked the name
}

std::vector<FilterBit> Context::filter_bits(const Node* list) {
  std::vector<FilterBit> out;
  if (!list) return out;
  std::map<int, const Node*> seen;
  for (const auto& b : list->items) {
    FilterBit f{static_cast<int>(integer(b, "bit", 0)), text(b, "name"), text(b, "trigger"), flag(b, "enabled", false)};
    if (auto [it, ok] = seen.emplace(f.bit, &b); !ok)
      diags.error(field_or(b, "bit").mark.pos(), "bit", "bit " + std::to_string(f.bit) + " defined twice",
                  "each bit once");
    out.push_back(f);
  }
  return out;
}

}  // namespace metergen::sections
