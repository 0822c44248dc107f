// What every spec section shares while the model is built: the located tree and
// its readers, the diagnostics, the model being filled and the name -> object map
// that references resolve against. Sections own everything else (sections.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "diag.hpp"
#include "model.hpp"
#include "resolve.hpp"
#include "schema.hpp"

namespace metergen::sections {

// ---- tree readers ------------------------------------------------------------
// The schema has validated the tree before any section reads it: a present key
// has the declared shape, so readers only fall back when a key is absent.
inline const std::string kNoText;
const std::string& text(const Node& map, const char* key, const std::string& fallback = kNoText);
long long integer(const Node& map, const char* key, long long fallback);
bool flag(const Node& map, const char* key, bool fallback);
std::vector<std::string> strings(const Node& map, const char* key);
std::vector<long long> integers(const Node& map, const char* key);
std::vector<double> numbers(const Node& map, const char* key);
// The key's node, or the map itself: where a diagnostic about the key points.
const Node& field_or(const Node& map, const char* key);
int minutes_of(const std::string& hhmm);
// A value in an object's unit as the object holds it: value / 10^scaler, rounded.
std::int64_t raw_in_scaler(double value, int scaler);
Obis obis_of(const std::string& text);  // text the schema checked as OBIS
// The logical name at `key` of a section (which may be absent), or the standard one.
Obis obis_or(const Node* section, const char* key, const char* fallback);

// Calls f(item, path) for each item of the list at `key` of `map`, if there is one;
// `path` names the item in diagnostics (`profiles[load_profile]`).
template <class F>
void for_each_item(const Node& map, const char* key, const std::string& path, F f) {
  const Node* list = map.find(key);
  if (!list) return;
  for (std::size_t i = 0; i < list->items.size(); ++i) f(list->items[i], schema::item_path(path, list->items[i], i));
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ");
std::string mark_text(const Mark& m);                                              // file:line
std::string did_you_mean(const std::string& word, const std::vector<std::string>& known);  // "" or " (did you mean 'x'?)"

// An object on its way into the model, with where diagnostics about it point.
struct PendingObject {
  Object object;
  Mark where;
  std::string path;
};

class Context {
 public:
  Context(const ResolvedSpec& spec, Diagnostics& diags, Model& model)
      : spec(spec), tree(spec.tree), diags(diags), model(model) {}

  const ResolvedSpec& spec;
  const Node& tree;
  Diagnostics& diags;
  Model& model;

  // Before the objects are final (declared, then implied by sections).
  std::optional<std::size_t> add_object(Object o, const Mark& where, const std::string& path);
  std::optional<std::size_t> add_implicit(const std::string& name, const Obis& ln, const char* cls,
                                          std::vector<std::string> groups, const Mark& mark,
                                          const std::string& description,
                                          std::optional<cosem::DataType> type = std::nullopt,
                                          const std::string& source = "parameter");
  std::vector<PendingObject>& pending() { return pending_; }
  std::optional<std::size_t> pending_index(const std::string& name) const;
  // The objects are final (sorted into model.objects): index them by name and LN.
  void index_objects();

  // After: references by name or OBIS (pattern) to indexes into model.objects.
  std::size_t object(const std::string& name) const { return by_name_.at(name); }
  bool has_object(const std::string& name) const { return by_name_.count(name) != 0; }
  std::vector<std::size_t> resolve(const Node& ref, const std::string& path);
  std::optional<std::size_t> resolve_one(const Node& ref, const std::string& path);

  // Checks shared by sections that name attributes, methods or classes.
  bool check_attribute(const Object& o, int index, const Mark& mark, const std::string& path);
  bool check_method(const Object& o, int index, const Mark& mark, const std::string& path);
  const cosem::InterfaceClass* class_of(const Node& n, const std::string& path);
  // A list of {bit, name, trigger, enabled}; a bit defined twice is an error.
  std::vector<FilterBit> filter_bits(const Node* list);

 private:
  std::vector<PendingObject> pending_;
  std::unordered_map<std::string, std::size_t> by_name_;  // into pending_, then into model.objects
  std::map<Obis, std::size_t> by_ln_;
  std::vector<std::string> object_names_;
};

}  // namespace metergen::sections
