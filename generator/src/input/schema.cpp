#include "schema.hpp"

#include <cmath>
#include <set>

namespace metergen::schema {

TypeP string_type(std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::string;
  t->doc = std::move(doc);
  t->expected = "a string";
  return t;
}

TypeP pattern_type(std::string def_name, std::string pattern, std::string expected, ScalarCheck check,
                   std::string doc) {
  auto t = string_type(std::move(doc));
  t->def_name = std::move(def_name);
  t->pattern = std::move(pattern);
  t->expected = std::move(expected);
  t->check = std::move(check);
  return t;
}

namespace {
std::string format_number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

TypeP ranged(Type::Kind kind, double min, double max, std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->has_min = true;
  t->has_max = true;
  t->min = min;
  t->max = max;
  t->doc = std::move(doc);
  std::string what = kind == Type::Kind::integer ? "an integer" : "a number";
  t->expected = what + " in " + format_number(min) + ".." + format_number(max);
  return t;
}
}  // namespace

TypeP integer(double min, double max, std::string doc) { return ranged(Type::Kind::integer, min, max, std::move(doc)); }
TypeP number(double min, double max, std::string doc) { return ranged(Type::Kind::number, min, max, std::move(doc)); }

TypeP boolean(std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::boolean;
  t->doc = std::move(doc);
  t->expected = "true or false";
  return t;
}

TypeP enumeration(std::vector<std::string> values, std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::enumeration;
  t->doc = std::move(doc);
  std::string joined;
  for (std::size_t i = 0; i < values.size(); ++i) joined += (i ? ", " : "") + values[i];
  t->expected = "one of " + joined;
  t->values = std::move(values);
  return t;
}

TypeP list_of(TypeP item, std::string doc, std::size_t min_items) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::list;
  t->doc = std::move(doc);
  t->expected = "a list";
  t->item = std::move(item);
  t->min_items = min_items;
  return t;
}

TypeP object(std::string def_name, std::vector<Field> fields, std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::object;
  t->def_name = std::move(def_name);
  t->doc = std::move(doc);
  t->expected = "a mapping";
  t->fields = std::move(fields);
  return t;
}

TypeP one_of(std::vector<TypeP> alternatives, std::string expected, std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::one_of;
  t->doc = std::move(doc);
  t->expected = std::move(expected);
  t->alternatives = std::move(alternatives);
  return t;
}

TypeP any(std::string doc) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::any;
  t->doc = std::move(doc);
  return t;
}

std::string item_path(const std::string& path, const Node& item, std::size_t index) {
  if (item.is_map()) {
    for (const char* key : {"name", "use", "mode"}) {
      const Node* n = item.find(key);
      if (n && n->is_scalar() && !n->scalar.empty()) return path + "[" + n->scalar + "]";
    }
  }
  return path + "[" + std::to_string(index) + "]";
}

namespace {

std::string join_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string describe(const Node& n) {
  if (n.is_scalar()) return "'" + n.scalar + "'";
  return kind_name(n.kind);
}

bool matches_kind(const Node& n, const Type& t) {
  switch (t.kind) {
    case Type::Kind::string:
    case Type::Kind::enumeration: return n.is_scalar();
    case Type::Kind::integer: return scalar_int(n).has_value();
    case Type::Kind::number: return scalar_number(n).has_value();
    case Type::Kind::boolean: return scalar_bool(n).has_value();
    case Type::Kind::list: return n.is_seq();
    case Type::Kind::object: return n.is_map();
    case Type::Kind::one_of:
      for (const auto& a : t.alternatives)
        if (matches_kind(n, *a)) return true;
      return false;
    case Type::Kind::any: return true;
  }
  return false;
}

}  // namespace

bool validate(const Node& node, const Type& type, const std::string& path, Diagnostics& diags) {
  const SourcePos pos = node.mark.pos();
  switch (type.kind) {
    case Type::Kind::any: return true;
    case Type::Kind::string:
      if (!node.is_scalar()) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      if (type.check) {
        std::string problem = type.check(node.scalar);
        if (!problem.empty()) {
          diags.error(pos, path, "'" + node.scalar + "' " + problem, type.expected);
          return false;
        }
      }
      return true;
    case Type::Kind::integer:
    case Type::Kind::number: {
      auto v = type.kind == Type::Kind::integer ? (scalar_int(node) ? std::optional<double>(double(*scalar_int(node)))
                                                                    : std::nullopt)
                                                : scalar_number(node);
      if (!v) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      if ((type.has_min && *v < type.min) || (type.has_max && *v > type.max)) {
        diags.error(pos, path, "value " + node.scalar + " out of range", type.expected);
        return false;
      }
      return true;
    }
    case Type::Kind::boolean:
      if (!scalar_bool(node)) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      return true;
    case Type::Kind::enumeration: {
      if (!node.is_scalar()) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      for (const auto& v : type.values)
        if (v == node.scalar) return true;
      std::string hint = closest_match(node.scalar, type.values);
      diags.error(pos, path, "unknown value '" + node.scalar + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                  type.expected);
      return false;
    }
    case Type::Kind::list: {
      if (!node.is_seq()) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      if (node.items.size() < type.min_items) {
        diags.error(pos, path, "list has " + std::to_string(node.items.size()) + " items",
                    "at least " + std::to_string(type.min_items));
        return false;
      }
      bool ok = true;
      for (std::size_t i = 0; i < node.items.size(); ++i)
        ok &= validate(node.items[i], *type.item, item_path(path, node.items[i], i), diags);
      return ok;
    }
    case Type::Kind::object: {
      if (!node.is_map()) {
        diags.error(pos, path, "wrong type: " + describe(node), type.expected);
        return false;
      }
      bool ok = true;
      std::vector<std::string> names;
      names.reserve(type.fields.size());
      for (const auto& f : type.fields) names.push_back(f.name);
      for (const auto& e : node.entries) {
        const Field* field = nullptr;
        for (const auto& f : type.fields)
          if (f.name == e.key) field = &f;
        if (!field) {
          std::string hint = closest_match(e.key, names);
          std::string allowed;
          for (std::size_t i = 0; i < names.size(); ++i) allowed += (i ? ", " : "") + names[i];
          diags.error(e.key_mark.pos(), join_path(path, e.key),
                      "unknown key '" + e.key + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"),
                      "one of " + allowed);
          ok = false;
          continue;
        }
        ok &= validate(*e.value, *field->type, join_path(path, e.key), diags);
      }
      for (const auto& f : type.fields) {
        if (f.required && !node.find(f.name)) {
          diags.error(pos, join_path(path, f.name), "missing required field '" + f.name + "'",
                      f.type->expected.empty() ? "a value" : f.type->expected);
          ok = false;
        }
      }
      return ok;
    }
    case Type::Kind::one_of: {
      for (const auto& alt : type.alternatives) {
        if (!matches_kind(node, *alt)) continue;
        return validate(node, *alt, path, diags);
      }
      diags.error(pos, path, "wrong type: " + describe(node), type.expected);
      return false;
    }
  }
  return false;
}

}  // namespace metergen::schema
