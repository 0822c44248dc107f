// What the HTML report's section views share (emit_report.cpp,
// report_sections.cpp): number, time and object formats, the name/value rows of
// a section's facts table, and which keys a variant changes from its base.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "emit.hpp"

namespace metergen::report {

using kainjow::mustache::data;
using kainjow::mustache::list;

std::string num(double v);                     // shortest form: 10000, 0.5
std::string seconds(std::uint64_t s);          // "60 s", "–" for 0
std::string hhmm(int minute_of_day);           // "07:00"
std::string obis(const Model& m, std::size_t object);
std::string object_label(const Object& o);     // its description, else its name
std::string unit_of(const Object& o);          // "W", "Wh (×10^3)", "" without scaler_unit
std::string class_of(const Object& o);         // "5 demand_register v0"

template <typename T, typename F>
std::string join(const std::vector<T>& items, const std::string& sep, F&& f) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + f(i);
  return out;
}
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

// One table row per item, made by `row`.
template <typename T, typename F>
list rows_of(const std::vector<T>& items, F&& row) {
  list out;
  for (const auto& i : items) out.push_back(row(i));
  return out;
}

// The name/value rows of one section's facts table (`{{#facts}}` with `key`
// and `value`); an empty value shows as "–".
class Facts {
 public:
  Facts& add(const std::string& key, const std::string& value);
  const list& rows() const { return rows_; }

 private:
  list rows_;
};

// A section of facts: `class` (its CSS class, "changed" for a variant) and
// `facts`; sections with more than facts add their own keys to it.
data section_of(const std::string& css_class, const Facts& facts);

// Keys (objects by OBIS, settings by name) that a variant adds or changes from
// its base, and the rows of its "Changes from" table.
struct Changes {
  std::set<std::string> changed;
  list rows;
};
// "changed" when the variant adds or changes `key`: the CSS class of its row or section.
std::string row_class(const Changes& c, const std::string& key);

// The sections of demand, billing, push setups and register monitors
// (report_sections.cpp); each sets its key of `view` only when the model has it.
void add_demand(const Model& m, const Changes& changes, data& view);
void add_billing(const Model& m, const Changes& changes, data& view);
void add_push_setups(const Model& m, const Changes& changes, data& view);
void add_register_monitors(const Model& m, const Changes& changes, data& view);

}  // namespace metergen::report
