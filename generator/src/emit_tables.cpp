// Emits the C++ tables for the runtime seam (runtime/include/metergen/model_tables.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <metergen/cosem/objects.hpp>
#include <metergen/model_tables.hpp>

#include "emit.hpp"
#include "identifiers.hpp"
#include "spec_schema.hpp"
#include "values.hpp"

namespace metergen {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

using metergen::tables::kAbiVersion;
const char* kNone = "kNone";

std::string hex(std::uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

std::string ln_init(const Obis& o) { return "{{" + format_obis_hex(o) + "}}"; }

std::string idx(std::optional<std::size_t> i) { return i ? std::to_string(*i) : kNone; }

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

// Comments carry spec text; keep them on one line and free of comment terminators.
std::string comment_text(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '\n' || c == '\r') ? ' ' : c;
  std::size_t p;
  while ((p = out.find("*/")) != std::string::npos) out.replace(p, 2, "* /");
  return out;
}

class ArrayBuilder {
 public:
  ArrayBuilder(std::string type, std::string name) : type_(std::move(type)), name_(std::move(name)) {}
  void row(std::string text, std::string comment = {}) { rows_.push_back({std::move(text), comment_text(comment)}); }
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }
  const std::string& name() const { return name_; }
  data view() const {
    data d;
    d.set("type", type_);
    d.set("name", name_);
    list rows;
    for (const auto& [text, comment] : rows_) {
      data r;
      r.set("text", text);
      if (!comment.empty()) r.set("comment", comment);
      rows.push_back(r);
    }
    d.set("rows", rows);
    return d;
  }

 private:
  std::string type_, name_;
  std::vector<std::pair<std::string, std::string>> rows_;
};

std::string data_type_enum(std::optional<cosem::DataType> t) {
  return std::string("DataType::") + cosem::data_type_info(t ? *t : cosem::DataType::null_data).cpp_name;
}

std::string quantity_enum(const Object& o) {
  const auto& q = runtime_quantities();
  if (std::find(q.begin(), q.end(), o.source_quantity) == q.end()) return "Quantity::none";
  return "Quantity::" + o.source_quantity;
}

int state_size(const Object& o) {
  if (!o.type) return 0;
  return cosem::encoded_size(*o.type, o.length);
}

std::uint8_t policy_bits(const Association& a) {
  std::uint8_t bits = 0;
  for (const auto& p : a.security_policy) {
    if (p == "authenticated_request") bits |= 0x04;
    if (p == "encrypted_request") bits |= 0x08;
    if (p == "authenticated_response") bits |= 0x20;
    if (p == "encrypted_response") bits |= 0x40;
  }
  return bits;
}

std::string authentication_enum(const std::string& a) {
  if (a == "lls") return "Authentication::lls";
  if (a == "hls-gmac") return "Authentication::hls_gmac";
  return "Authentication::none";
}

std::string sort_enum(const std::string& s) { return "SortMethod::" + s; }

std::uint8_t selective_bits(const std::vector<std::string>& v) {
  std::uint8_t b = 0;
  for (const auto& s : v) b |= s == "range" ? 1 : s == "entry" ? 2 : 0;
  return b;
}

const std::vector<std::string>& local_trigger_names() {
  static const std::vector<std::string> t = {
      "limiter", "over_power", "over_current", "over_voltage", "high_voltage", "under_voltage", "tamper",
      "current_reversal", "current_unbalance", "cover_open", "terminal_cover_open", "module_removed",
      "magnetic_field", "phase_sequence_reversal", "voltage_missing", "current_without_voltage",
      "over_temperature", "credit_exhausted", "schedule", "script"};
  return t;
}

std::uint32_t bit_index_mask(const std::vector<std::string>& chosen, const std::vector<std::string>& all) {
  std::uint32_t mask = 0;
  for (const auto& c : chosen) {
    auto it = std::find(all.begin(), all.end(), c);
    if (it != all.end()) mask |= 1u << (it - all.begin());
  }
  return mask;
}

long long raw_threshold(double value, int scaler) { return std::llround(value / std::pow(10.0, scaler)); }

int clock_base_code(const std::string& b) {
  static const std::vector<std::string> bases = {"not_defined", "crystal", "mains_50hz", "mains_60hz", "gps", "radio"};
  auto it = std::find(bases.begin(), bases.end(), b);
  return it == bases.end() ? 1 : static_cast<int>(it - bases.begin());
}

std::string dst_rule(const DstRule& r) {
  return "{" + std::to_string(r.month) + ", " + std::to_string(r.week) + ", " + std::to_string(r.weekday) + ", " +
         std::to_string(r.day) + ", " + std::to_string(r.minute) + "}";
}

std::string display_mode_enum(const std::string& m) { return "DisplayMode::" + m; }

std::string display_format_enum(const DisplayItem& i) {
  if (!i.special.empty()) return "DisplayFormat::" + i.special;
  return "DisplayFormat::" + i.format;
}

struct Field {
  std::string name, value;
};

}  // namespace

// Error limit at unity power factor and rated current, in hundredths of a
// percent, for ranking the classes a spec lists (EN 50470-3 letters by their
// IEC equivalents: A ~ 2, B ~ 1, C ~ 0.5S).
int class_limit(const std::string& c) {
  static const std::map<std::string, int> limits = {{"0.2S", 20}, {"0.5S", 50}, {"C", 50}, {"1S", 100}, {"1", 100},
                                                    {"B", 100}, {"2", 200}, {"A", 200}, {"3", 300}};
  auto it = limits.find(c);
  return it == limits.end() ? 1000 : it->second;
}

std::string tightest_class(const std::vector<std::string>& classes) {
  std::string best;
  for (const auto& c : classes)
    if (best.empty() || class_limit(c) < class_limit(best)) best = c;
  return quote(best.substr(0, 4));
}

std::string milli(double v) { return std::to_string(static_cast<std::uint64_t>(std::llround(v * 1000.0))); }

double largest(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

std::string metering_def(const Model& m) {
  bool neutral = std::any_of(m.parts.begin(), m.parts.end(), [](const Model::Part& p) { return p.part == "neutral_current"; });
  double basic = largest(m.basic_current_a);
  // IEC 62053-21/22 starting currents when the spec gives none: 0.4 % Ib direct, 0.1 % In via CTs.
  double starting = m.starting_current_a ? *m.starting_current_a
                    : basic * m.starting_current_ratio.value_or(m.connection == "transformer" ? 0.001 : 0.004);
  double vmin = m.reference_voltage_v.empty() ? 0.0 : *std::min_element(m.reference_voltage_v.begin(), m.reference_voltage_v.end());
  return "{" + std::string(m.connection == "transformer" ? "true" : "false") + ", " + (neutral ? "true" : "false") + ", " +
         milli(vmin) + ", " + milli(largest(m.reference_voltage_v)) + ", " + milli(basic) + ", " +
         milli(largest(m.max_current_a)) + ", " + milli(starting) + ", " +
         std::to_string(m.frequency_hz.empty() ? 50 : static_cast<int>(m.frequency_hz.front())) + ", " +
         std::to_string(m.active_imp_per_kwh) + ", " + std::to_string(m.reactive_imp_per_kvarh) + ", " +
         tightest_class(m.accuracy_active) + ", " + tightest_class(m.accuracy_reactive) + "}";
}

std::string emit_tables_cpp(const Model& m) {
  std::vector<ArrayBuilder> arrays;
  std::vector<Field> fields;
  auto pointer = [&](ArrayBuilder&& a) -> std::string {
    if (a.empty()) return "nullptr";
    std::string name = a.name();
    arrays.push_back(std::move(a));
    return name;
  };

  // Value pool: encoded constants and parameter defaults.
  std::vector<std::uint8_t> pool;
  std::vector<std::pair<std::size_t, std::size_t>> value_at(m.objects.size(), {SIZE_MAX, 0});
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    const Object& o = m.objects[i];
    const auto& text = o.value ? o.value : o.default_value;
    if (!text || !o.type) continue;
    Encoded e = encode_value(*o.type, *text);
    value_at[i] = {pool.size(), e.bytes.size()};
    pool.insert(pool.end(), e.bytes.begin(), e.bytes.end());
  }

  ArrayBuilder objects("ObjectDef", "kObjects");
  std::uint32_t state_total = 0;
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    const Object& o = m.objects[i];
    std::string kind = "SourceKind::" + o.source_kind;
    bool has_value = value_at[i].first != SIZE_MAX;
    auto value_size = static_cast<std::uint16_t>(has_value ? value_at[i].second : static_cast<std::size_t>(state_size(o)));
    std::uint32_t bytes = metergen::cosem::state_bytes(static_cast<std::uint16_t>(o.cls->id), value_size);
    std::uint32_t state_offset = state_total;
    state_total += bytes;
    objects.row("{" + ln_init(o.ln) + ", " + std::to_string(o.cls->id) + ", " + std::to_string(o.version) + ", " +
                    data_type_enum(o.type) + ", " + std::to_string(o.unit >= 0 ? o.scaler : 0) + ", " +
                    std::to_string(o.unit >= 0 ? o.unit : 0) + ", {" + kind + ", " + quantity_enum(o) + ", " +
                    std::to_string(o.tariff) + ", " + std::to_string(o.phase) + "}, " +
                    (has_value ? std::to_string(value_at[i].first) : std::string(kNone)) + ", " +
                    std::to_string(value_size) + ", " + (bytes ? std::to_string(state_offset) : "kNoState") + "}",
                std::to_string(i) + " " + o.name + " " + format_obis(o.ln));
  }

  // Access profiles, deduplicated across objects and associations.
  std::map<std::vector<std::uint8_t>, std::size_t> profile_index;
  std::vector<std::vector<std::uint8_t>> profiles_in_order;
  std::vector<std::pair<std::size_t, std::size_t>> profile_counts;
  std::vector<std::vector<std::string>> per_association;
  for (const auto& a : m.associations) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < m.objects.size(); ++i) {
      const AccessSet& acc = a.access[i];
      if (!acc.listed) {
        row.push_back(kNone);
        continue;
      }
      // The split between attribute and method modes is part of the key: a class
      // with 4 attributes and none of its methods listed is not one with 3 and 1.
      std::vector<std::uint8_t> key{static_cast<std::uint8_t>(acc.attributes.size()),
                                    static_cast<std::uint8_t>(acc.methods.size())};
      for (auto x : acc.attributes) key.push_back(static_cast<std::uint8_t>(x));
      for (auto x : acc.methods) key.push_back(static_cast<std::uint8_t>(x));
      auto [it, inserted] = profile_index.emplace(key, profiles_in_order.size());
      if (inserted) {
        profiles_in_order.emplace_back(key.begin() + 2, key.end());
        profile_counts.push_back({acc.attributes.size(), acc.methods.size()});
      }
      row.push_back(std::to_string(it->second));
    }
    per_association.push_back(std::move(row));
  }
  ArrayBuilder modes("std::uint8_t", "kAccessModes");
  ArrayBuilder access_profiles("AccessProfile", "kAccessProfiles");
  std::size_t offset = 0;
  for (std::size_t p = 0; p < profiles_in_order.size(); ++p) {
    std::string bytes;
    for (auto b : profiles_in_order[p]) bytes += (bytes.empty() ? "" : ", ") + std::to_string(b);
    modes.row(bytes, "profile " + std::to_string(p));
    access_profiles.row("{" + std::to_string(offset) + ", " + std::to_string(profile_counts[p].first) + ", " +
                        std::to_string(profile_counts[p].second) + "}");
    offset += profiles_in_order[p].size();
  }
  ArrayBuilder associations("AssociationDef", "kAssociations");
  std::vector<ArrayBuilder> access_arrays;
  for (std::size_t k = 0; k < m.associations.size(); ++k) {
    const Association& a = m.associations[k];
    ArrayBuilder acc("std::uint16_t", "kAccess_" + cpp_identifier(a.name));
    for (std::size_t i = 0; i < per_association[k].size(); ++i) acc.row(per_association[k][i], m.objects[i].name);
    std::optional<std::size_t> ss;
    if (a.security_setup)
      for (std::size_t i = 0; i < m.objects.size(); ++i)
        if (m.objects[i].ln == *a.security_setup) ss = i;
    associations.row("{" + ln_init(a.ln) + ", " + std::to_string(a.sap) + ", " + authentication_enum(a.authentication) +
                         ", " + authentication_enum(a.fallback_authentication) + ", " + hex(policy_bits(a)) + ", " +
                         std::to_string(a.security_suite) + ", " + (a.pre_established ? "true" : "false") + ", " +
                         idx(ss) + ", " + acc.name() + "}",
                     a.name);
    access_arrays.push_back(std::move(acc));
  }
  for (auto& a : access_arrays) arrays.push_back(std::move(a));

  ArrayBuilder captures("CaptureDef", "kCaptures");
  ArrayBuilder profiles("ProfileDef", "kProfiles");
  for (const auto& p : m.profiles) {
    std::size_t first = captures.size();
    for (const auto& c : p.capture)
      captures.row("{" + std::to_string(c.object) + ", " + std::to_string(c.attribute) + ", " +
                       std::to_string(c.data_index) + "}",
                   m.objects[c.object].name);
    profiles.row("{" + std::to_string(p.object) + ", " + std::to_string(first) + ", " + std::to_string(p.capture.size()) +
                     ", " + sort_enum(p.sort) + ", " + std::to_string(selective_bits(p.selective_access)) + ", " +
                     std::to_string(p.capture_period_s) + ", " + std::to_string(p.entries) + ", " +
                     std::to_string(p.entry_bytes) + "}",
                 p.name);
  }

  ArrayBuilder events("EventDef", "kEvents");
  ArrayBuilder logs("EventLogDef", "kEventLogs");
  for (const auto& l : m.event_logs) {
    std::size_t first = events.size();
    for (const auto& e : l.events)
      events.row("{" + std::to_string(e.code) + ", " + std::to_string((e.log ? 1 : 0) | (e.push ? 2 : 0)) + "}", e.name);
    std::size_t profile = 0;
    for (std::size_t i = 0; i < m.profiles.size(); ++i)
      if (m.profiles[i].object == l.log_object) profile = i;
    logs.row("{" + std::to_string(l.log_object) + ", " + std::to_string(l.code_object) + ", " + idx(l.filter_object) +
                 ", " + std::to_string(profile) + ", " + std::to_string(first) + ", " + std::to_string(l.events.size()) +
                 ", " + std::to_string(l.code_min) + ", " + std::to_string(l.code_max) + "}",
             l.name);
  }

  ArrayBuilder disconnect("DisconnectDef", "kDisconnect");
  if (m.disconnect) {
    const auto& d = *m.disconnect;
    std::uint32_t mode_mask = 0;
    for (int mode : d.supported_modes) mode_mask |= 1u << mode;
    disconnect.row("{" + std::to_string(d.object) + ", " + std::to_string(d.default_mode) + ", " + hex(static_cast<std::uint8_t>(mode_mask)) +
                   ", " + std::to_string(bit_index_mask(d.local_triggers, local_trigger_names())) + "u, " +
                   idx(d.tamper_filter_object) + ", " + std::to_string(d.manual_reconnect_hold_s) + "}");
  }

  ArrayBuilder limiters("LimiterDef", "kLimiters");
  for (const auto& l : m.limiters) {
    int scaler = m.objects[l.monitored].scaler;
    limiters.row("{" + std::to_string(l.object) + ", " + std::to_string(l.monitored) + ", " +
                     std::to_string(l.threshold_normal ? raw_threshold(*l.threshold_normal, scaler) : 0) + ", " +
                     std::to_string(l.threshold_emergency ? raw_threshold(*l.threshold_emergency, scaler) : 0) + ", " +
                     std::to_string(l.over_s) + ", " + std::to_string(l.under_s) + ", " +
                     std::to_string(l.reconnect_delay_s) + ", " + std::to_string(l.count_reset_s) + ", " +
                     std::to_string(l.max_reconnects) + ", FinalState::" + l.final_state + "}",
                 l.name);
  }

  ArrayBuilder demand("DemandDef", "kDemand");
  if (m.demand) {
    const auto& d = *m.demand;
    demand.row("{DemandMethod::" + d.method + ", " + std::to_string(d.number_of_periods) + ", " +
               std::to_string(bit_index_mask(d.recalculate_on, {"power_off", "clock_set", "period_change", "billing"})) +
               ", " + std::to_string(d.period_s) + ", " + std::to_string(d.max_window_s) + "}");
  }

  auto profile_index_of = [&](std::optional<std::size_t> p) { return idx(p); };
  const Billing& b = m.billing;
  std::string billing = "{" + (b.daily ? std::to_string(b.daily_minute) : std::string(kNone)) + ", " +
                        (b.monthly ? std::to_string(b.monthly_minute) : std::string(kNone)) + ", " +
                        std::to_string(b.monthly_day) + ", " +
                        std::to_string(bit_index_mask(b.methods, {"automatic", "command", "button", "contract_change", "tariff_change"})) +
                        ", " + profile_index_of(b.daily_profile) + ", " + profile_index_of(b.monthly_profile) + ", " +
                        std::to_string(b.lockout_s) + "}";

  ArrayBuilder seasons("SeasonDef", "kSeasons"), weeks("WeekProfileDef", "kWeeks"), days("DayProfileDef", "kDays"),
      switchings("SwitchingDef", "kSwitchings"), specials("SpecialDayDef", "kSpecialDays"),
      calendar("CalendarDef", "kCalendar");
  std::string calendar_ptr = "nullptr";
  if (m.calendar.present) {
    const Calendar& c = m.calendar;
    for (const auto& s : c.seasons)
      seasons.row("{" + std::to_string(s.month) + ", " + std::to_string(s.day) + ", " + std::to_string(s.week) + "}", s.name);
    for (const auto& w : c.weeks) {
      std::string d;
      for (auto x : w.days) d += (d.empty() ? "" : ", ") + std::to_string(x);
      weeks.row("{{" + d + "}}", w.name);
    }
    for (const auto& d : c.days) {
      days.row("{" + std::to_string(switchings.size()) + ", " + std::to_string(d.switchings.size()) + "}", d.name);
      for (const auto& s : d.switchings)
        switchings.row("{" + std::to_string(s.minute) + ", " + std::to_string(s.tariff) + "}");
    }
    for (const auto& s : c.special_days)
      specials.row("{" + std::to_string(s.month) + ", " + std::to_string(s.day) + ", " + std::to_string(s.day_profile) + "}",
                   s.name);
    std::string sp = pointer(std::move(seasons)), wp = pointer(std::move(weeks)), dp = pointer(std::move(days)),
                swp = pointer(std::move(switchings)), spp = pointer(std::move(specials));
    calendar.row("{" + std::to_string(c.tariffs) + ", " + std::to_string(c.fallback_tariff) + ", " +
                 (c.passive ? "true" : "false") + ", " + std::to_string(c.max_tariffs) + ", " +
                 std::to_string(c.max_seasons) + ", " + std::to_string(c.max_week_profiles) + ", " +
                 std::to_string(c.max_day_profiles) + ", " + std::to_string(c.max_switchings) + ", " +
                 std::to_string(c.max_special_days) + ", " + sp + ", " + std::to_string(c.seasons.size()) + ", " + wp +
                 ", " + std::to_string(c.weeks.size()) + ", " + dp + ", " + std::to_string(c.days.size()) + ", " + swp +
                 ", " + spp + ", " + std::to_string(c.special_days.size()) + "}");
    calendar_ptr = pointer(std::move(calendar));
  }

  const Clock& ck = m.clock;
  std::string clock = "{" + std::to_string(ck.object) + ", " + std::to_string(ck.time_zone_min) + ", " +
                      std::to_string(clock_base_code(ck.clock_base)) + ", " + (ck.dst_enabled ? "true" : "false") + ", " +
                      std::to_string(ck.dst_deviation_min) + ", " + dst_rule(ck.dst_begin) + ", " + dst_rule(ck.dst_end) + "}";

  ArrayBuilder items("DisplayItemDef", "kDisplayItems"), lists("DisplayListDef", "kDisplayLists");
  for (const auto& l : m.display_lists) {
    const DisplayList* source = &l;
    if (!l.same_as.empty())
      for (const auto& other : m.display_lists)
        if (other.mode == l.same_as) source = &other;
    std::size_t first = items.size();
    for (const auto& i : source->items) {
      std::string code = i.show.substr(0, 11);
      items.row("{" + (i.object ? std::to_string(*i.object) : std::string(kNone)) + ", " + std::to_string(i.attribute) +
                    ", " + display_format_enum(i) + ", " + std::to_string(i.digits) + ", " + std::to_string(i.decimals) +
                    ", " + quote(code) + "}",
                i.label.empty() ? (i.object ? m.objects[*i.object].name : i.special) : i.label);
    }
    lists.row("{" + display_mode_enum(l.mode) + ", " + std::to_string(l.activations) + ", " + std::to_string(first) +
                  ", " + std::to_string(items.size() - first) + ", " + std::to_string(l.scroll_s) + ", " +
                  std::to_string(l.timeout_s) + ", " + std::to_string(l.duration_s) + "}",
              l.mode);
  }

  ArrayBuilder value_pool("std::uint8_t", "kValuePool");
  for (std::size_t i = 0; i < pool.size(); i += 16) {
    std::string row;
    for (std::size_t k = i; k < std::min(pool.size(), i + 16); ++k) row += (row.empty() ? "" : ", ") + hex(pool[k]);
    value_pool.row(row);
  }

  std::size_t object_count = objects.size(), assoc_count = associations.size(), profile_count = profiles.size(),
              log_count = logs.size(), limiter_count = limiters.size(), list_count = lists.size(),
              access_profile_count = access_profiles.size();
  fields = {
      {"abi_version", std::to_string(kAbiVersion)},
      {"id", quote(m.id)},
      {"phases", std::to_string(m.phases)},
      {"metering", metering_def(m)},
      {"objects", pointer(std::move(objects))},
      {"object_count", std::to_string(object_count)},
      {"access_modes", pointer(std::move(modes))},
      {"access_profiles", pointer(std::move(access_profiles))},
      {"access_profile_count", std::to_string(access_profile_count)},
      {"associations", pointer(std::move(associations))},
      {"association_count", std::to_string(assoc_count)},
      {"captures", pointer(std::move(captures))},
      {"profiles", pointer(std::move(profiles))},
      {"profile_count", std::to_string(profile_count)},
      {"events", pointer(std::move(events))},
      {"event_logs", pointer(std::move(logs))},
      {"event_log_count", std::to_string(log_count)},
      {"disconnect", pointer(std::move(disconnect))},
      {"limiters", pointer(std::move(limiters))},
      {"limiter_count", std::to_string(limiter_count)},
      {"demand", pointer(std::move(demand))},
      {"billing", billing},
      {"calendar", calendar_ptr},
      {"clock", clock},
      {"display_items", pointer(std::move(items))},
      {"display_lists", pointer(std::move(lists))},
      {"display_list_count", std::to_string(list_count)},
      {"value_pool", pointer(std::move(value_pool))},
      {"value_pool_size", std::to_string(pool.size())},
      {"state", state_total ? "kState" : "nullptr"},
      {"state_size", std::to_string(state_total)},
  };

  data view;
  view.set("provenance", provenance(m, "// "));
  view.set("abi", std::to_string(kAbiVersion));
  view.set("state_size", std::to_string(state_total));
  view.set("has_state", state_total != 0 ? data(data::type::bool_true) : data(data::type::bool_false));
  view.set("ns", model_namespace(m.id));
  list arr;
  for (const auto& a : arrays) arr.push_back(a.view());
  view.set("arrays", arr);
  list fl;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    data f;
    f.set("name", fields[i].name);
    f.set("value", fields[i].value);
    f.set("last", i + 1 == fields.size());
    fl.push_back(f);
  }
  view.set("fields", fl);
  return render("model.cpp.mustache", view);
}

std::string emit_tables_hpp(const Model& m) {
  data view;
  view.set("provenance", provenance(m, "// "));
  view.set("ns", model_namespace(m.id));
  view.set("id", m.id);
  view.set("object_count", std::to_string(m.objects.size()));
  list objects;
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    data o;
    o.set("ident", cpp_identifier(m.objects[i].name));
    o.set("index", std::to_string(i));
    o.set("obis", format_obis(m.objects[i].ln));
    objects.push_back(o);
  }
  view.set("objects", objects);
  list assocs;
  for (std::size_t i = 0; i < m.associations.size(); ++i) {
    data a;
    a.set("ident", cpp_identifier(m.associations[i].name));
    a.set("index", std::to_string(i));
    a.set("sap", std::to_string(m.associations[i].sap));
    assocs.push_back(a);
  }
  view.set("associations", assocs);
  return render("model.hpp.mustache", view);
}

}  // namespace metergen
