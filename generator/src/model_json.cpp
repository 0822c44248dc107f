// The resolved model as stable JSON (model.json) and the `metergen list` views.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <sstream>

#include "emit.hpp"
#include "json_writer.hpp"

namespace metergen {

namespace {

std::string source_of(const Object& o) {
  return o.source_quantity.empty() ? o.source_kind : o.source_kind + "." + o.source_quantity;
}

std::string type_of(const Object& o) { return o.type ? cosem::data_type_info(*o.type).name : ""; }

std::string unit_of(const Object& o) { return o.unit >= 0 ? cosem::unit_name(o.unit) : ""; }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

namespace {

using json = nlohmann::ordered_json;

json metering_json(const Model& m) {
  const Metering& t = m.metering;
  return {{"transformer_operated", t.transformer_operated}, {"neutral_current", t.neutral_current},
          {"voltage_min_mv", t.voltage_min_mv},           {"voltage_max_mv", t.voltage_max_mv},
          {"basic_current_ma", t.basic_current_ma},       {"max_current_ma", t.max_current_ma},
          {"starting_current_ma", t.starting_current_ma}, {"frequency_hz", t.frequency_hz},
          {"active_imp_per_kwh", m.active_imp_per_kwh},   {"reactive_imp_per_kvarh", m.reactive_imp_per_kvarh},
          {"active_class", t.active_class},               {"reactive_class", t.reactive_class}};
}

void write_object(JsonWriter& w, const Object& o) {
  w.begin_object();
  w.member("name", o.name).member("logical_name", format_obis(o.ln)).member("class_id", o.cls->id);
  w.member("version", o.version);
  if (o.type) w.member("type", type_of(o));
  if (o.unit >= 0) w.member("scaler", o.scaler).member("unit", unit_of(o));
  w.member("source", source_of(o));
  if (o.role != "none") w.member("role", o.role);
  if (o.tariff) w.member("tariff", o.tariff);
  if (o.phase) w.member("phase", o.phase);
  if (o.value) w.member("value", *o.value);
  if (o.default_value) w.member("default", *o.default_value);
  w.key("groups").begin_array();
  for (const auto& g : o.groups) w.value(g);
  w.end_array().member("quantity", o.runtime_quantity);
  if (o.value_offset) w.member("value_offset", *o.value_offset);
  w.member("value_size", o.value_size);
  if (o.state_offset) w.member("state_offset", *o.state_offset);
  bool constants = false;
  for (const StaticAttribute& a : o.attributes) {
    if (!a.value_offset) continue;
    if (!constants) w.key("constant_attributes").begin_array();
    constants = true;
    w.begin_object().member("attribute", a.index).member("value_offset", *a.value_offset);
    w.member("value_size", a.value_size).member("origin", a.origin).end_object();
  }
  if (constants) w.end_array();
  w.end_object();
}

// Access modes as a string of wire values, one digit per attribute (method).
template <class Mode>
std::string modes(const std::vector<Mode>& v) {
  std::string out;
  for (Mode x : v) out += static_cast<char>('0' + static_cast<int>(x));
  return out;
}

// Distinct access combinations, as the tables store them (AccessProfile): each
// association lists, per object in table order, the index of its combination
// (null = not listed).
class AccessProfiles {
 public:
  // The index of the set's combination, none when the object is not listed.
  std::optional<std::size_t> index_of(const AccessSet& s) {
    if (!s.listed) return std::nullopt;
    auto [it, fresh] = index_.emplace(modes(s.attributes) + "/" + modes(s.methods), list_.size());
    if (fresh) list_.push_back({{"attributes", modes(s.attributes)}, {"methods", modes(s.methods)}});
    return it->second;
  }
  const json& list() const { return list_; }

 private:
  std::map<std::string, std::size_t> index_;
  json list_ = json::array();
};

void write_association(JsonWriter& w, const Model& m, const Association& a, AccessProfiles& profiles) {
  w.begin_object();
  w.member("name", a.name).member("client_sap", a.sap).member("logical_name", format_obis(a.ln));
  w.member("authentication", a.authentication).member("fallback_authentication", a.fallback_authentication);
  w.key("security_policy").begin_array();
  for (const auto& p : a.security_policy) w.value(p);
  w.end_array().member("security_suite", a.security_suite).member("pre_established", a.pre_established);
  w.member("compact_profiles", a.compact_profiles);
  if (a.security_setup_object) w.member("security_setup", m.objects[*a.security_setup_object].name);
  w.key("object_access").begin_array();
  for (const AccessSet& s : a.access) {
    if (auto index = profiles.index_of(s)) w.value(*index);
    else w.null();
  }
  w.end_array().end_object();
}

json profile_json(const Model& m, const Profile& p) {
  json j;
  j["name"] = p.name;
  j["logical_name"] = format_obis(m.objects[p.object].ln);
  j["purpose"] = p.purpose;
  j["capture_period_s"] = p.capture_period_s;
  j["entries"] = p.entries;
  j["entry_bytes"] = p.entry_bytes;
  if (p.status_object) j["status_object"] = m.objects[*p.status_object].name;
  j["sort"] = p.sort;
  j["selective_access"] = p.selective_access;
  json cap = json::array();
  for (const auto& c : p.capture)
    cap.push_back({{"object", m.objects[c.object].name}, {"attribute", c.attribute}, {"data_index", c.data_index},
                   {"bytes", c.encoded_bytes}});
  j["capture"] = cap;
  return j;
}

json event_log_json(const Model& m, const EventLog& l) {
  json j = {{"name", l.name},
            {"code_object", m.objects[l.code_object].name},
            {"profile", m.profiles[l.profile].name},
            {"code_min", l.code_min},
            {"code_max", l.code_max}};
  if (l.filter_object) j["filter_object"] = m.objects[*l.filter_object].name;
  json events = json::array();
  for (const auto& e : l.events) {
    json ev = {{"code", e.code}, {"name", e.name}, {"log", e.log}, {"push", e.push}};
    if (!e.trigger.empty()) ev["trigger"] = e.trigger;
    if (e.end) ev["edge"] = "end";
    if (e.qualifier) ev["qualifier"] = e.qualifier;
    if (e.object) ev["object"] = m.objects[*e.object].name;
    if (e.alarm_bit) ev["alarm"] = *e.alarm_bit;
    if (e.error_bit) ev["error"] = *e.error_bit;
    events.push_back(ev);
  }
  j["events"] = events;
  return j;
}

json detection_json(const Model& m) {
  json detection = json::array(), counters = json::array();
  auto name_of = [&](std::optional<std::size_t> o) { return o ? json(m.objects[*o].name) : json(); };
  for (const auto& d : m.detection)
    detection.push_back({{"trigger", d.trigger}, {"level", d.level ? json(*d.level) : json()},
                         {"restore", d.restore ? json(*d.restore) : json()}, {"for_s", d.for_s},
                         {"level_object", name_of(d.level_object)}, {"for_object", name_of(d.for_object)}});
  for (const auto& c : m.event_counters)
    counters.push_back({{"object", m.objects[c.object].name}, {"trigger", c.trigger}, {"phase", c.phase}});
  return {{"detection", detection}, {"event_counters", counters}};
}

json control_json(const Model& m) {
  json j;
  if (const auto& d = m.disconnect) {
    j["disconnect"] = {{"object", m.objects[d->object].name},
                       {"default_mode", d->default_mode},
                       {"supported_modes", d->supported_modes},
                       {"local_triggers", d->local_triggers},
                       {"manual_reconnect_hold_s", d->manual_reconnect_hold_s}};
    if (d->tamper_filter_object) j["disconnect"]["tamper_filter_object"] = m.objects[*d->tamper_filter_object].name;
  }
  json limiters = json::array();
  for (const auto& l : m.limiters)
    limiters.push_back({{"name", l.name},
                        {"monitored", m.objects[l.monitored].name},
                        {"threshold_normal_raw", l.raw_normal},
                        {"threshold_emergency_raw", l.raw_emergency},
                        {"min_over_s", l.over_s},
                        {"min_under_s", l.under_s},
                        {"reconnect_delay_s", l.reconnect_delay_s},
                        {"count_reset_s", l.count_reset_s},
                        {"max_reconnects", l.max_reconnects},
                        {"final_state", l.final_state}});
  j["limiters"] = limiters;
  json monitors = json::array();
  auto script = [&](const ScriptRef& s) {
    return s.table ? json{{"script", m.objects[*s.table].name}, {"selector", s.selector}} : json(nullptr);
  };
  for (const auto& r : m.register_monitors) {
    json thresholds = json::array();
    for (const auto& th : r.thresholds)
      thresholds.push_back({{"value", th.value}, {"raw", th.raw}, {"up", script(th.up)}, {"down", script(th.down)}});
    monitors.push_back({{"name", r.name}, {"monitored", m.objects[r.monitored].name}, {"thresholds", thresholds}});
  }
  j["register_monitors"] = monitors;
  if (m.prepayment) {
    const Prepayment& p = *m.prepayment;
    auto name = [&](const std::optional<std::size_t>& o) { return o ? json(m.objects[*o].name) : json(nullptr); };
    j["prepayment"] = {{"account", m.objects[p.account].name},
                       {"token_credit", m.objects[p.token_credit].name},
                       {"emergency_credit", name(p.emergency_credit)},
                       {"charge", name(p.charge)},
                       {"token_gateway", m.objects[p.token_gateway].name},
                       {"charged", m.objects[p.charged].name},
                       {"payment_mode", p.payment_mode == 2 ? "prepayment" : "postpayment"},
                       {"credit", {{"unit", p.currency ? "currency" : "energy"}, {"currency", p.currency_name},
                                   {"scale", p.scale}, {"shown_unit", p.shown_unit}, {"rate", p.rate}}},
                       {"initial_credit", p.initial_credit},
                       {"low_credit", p.low_credit},
                       {"emergency_credit_amount", p.emergency_amount},
                       {"emergency_below", p.emergency_below},
                       {"max_credit", p.max_credit},
                       {"friendly", {{"from_min", p.friendly_from_min}, {"to_min", p.friendly_to_min},
                                     {"weekends", p.friendly_weekends}, {"special_days", p.friendly_special_days},
                                     {"enable", name(p.friendly_enable)}}},
                       {"keypad", {{"failures", p.keypad_failures}, {"lockout_s", p.keypad_lockout_s}}},
                       {"sts", {{"algorithm", p.sts.algorithm == 9 ? "dea" : "sta"}, {"key_type", p.sts.key_type},
                                {"supply_group_code", p.sts.supply_group}, {"tariff_index", p.sts.tariff_index},
                                {"key_revision", p.sts.key_revision}, {"key_expiry", p.sts.key_expiry},
                                {"base_date", p.sts.base_date}, {"manufacturer_code", p.sts.manufacturer_code}}}};
  }
  json pushes = json::array();
  for (const auto& p : m.push_setups) {
    json objects = json::array();
    for (const auto& c : p.objects) objects.push_back({{"object", m.objects[c.object].name}, {"attribute", c.attribute}});
    pushes.push_back({{"object", m.objects[p.object].name},
                      {"destination", p.destination},
                      {"association", p.association ? json(m.associations[*p.association].name) : json(nullptr)},
                      {"client_sap", p.client_sap},
                      {"objects", objects},
                      {"randomisation_start_interval_s", p.randomisation_s},
                      {"number_of_retries", p.retries},
                      {"repetition_delay_s", p.repetition_delay_s}});
  }
  j["push_setups"] = pushes;
  return j;
}

json time_json(const Model& m) {
  json j;
  if (const auto& d = m.demand)
    j["demand"] = {{"method", d->method},       {"number_of_periods", d->number_of_periods},
                   {"period_s", d->period_s},   {"max_window_s", d->max_window_s},
                   {"recalculate_on", d->recalculate_on}};
  const Billing& b = m.billing;
  json billing = {{"monthly_day", b.monthly_day}, {"methods", b.methods}, {"lockout_s", b.lockout_s},
                  {"button_hold_s", b.button_hold_s}, {"catch_up", b.catch_up}};
  if (b.daily) billing["daily_minute"] = b.daily_minute;
  if (b.monthly) billing["monthly_minute"] = b.monthly_minute;
  if (b.daily_profile) billing["daily_profile"] = m.profiles[*b.daily_profile].name;
  if (b.monthly_profile) billing["monthly_profile"] = m.profiles[*b.monthly_profile].name;
  j["billing"] = billing;
  auto rule = [](const DstRule& r) {
    return json{{"month", r.month}, {"week", r.week}, {"weekday", r.weekday}, {"day", r.day}, {"minute", r.minute}};
  };
  const Clock& c = m.clock;
  j["clock"] = {{"object", m.objects[c.object].name}, {"time_zone_min", c.time_zone_min},
                {"clock_base", c.clock_base_code},    {"dst_enabled", c.dst_enabled},
                {"dst_deviation_min", c.dst_deviation_min}, {"dst_begin", rule(c.dst_begin)},
                {"dst_end", rule(c.dst_end)}};
  return j;
}

json calendar_json(const Calendar& c) {
  json seasons = json::array(), weeks = json::array(), days = json::array(), specials = json::array();
  for (const auto& s : c.seasons) seasons.push_back({{"name", s.name}, {"month", s.month}, {"day", s.day}, {"week", s.week}});
  for (const auto& w : c.weeks) weeks.push_back({{"name", w.name}, {"days", w.days}});
  for (const auto& d : c.days) {
    json sw = json::array();
    for (const auto& s : d.switchings) sw.push_back({{"minute", s.minute}, {"tariff", s.tariff}});
    days.push_back({{"name", d.name}, {"switchings", sw}});
  }
  for (const auto& s : c.special_days) {
    json sp = {{"name", s.name}, {"month", s.month}, {"day", s.day}, {"day_profile", s.day_profile}};
    if (s.year != 0xFFFF) sp["year"] = s.year;
    specials.push_back(sp);
  }
  return {{"tariffs", c.tariffs},
          {"fallback_tariff", c.fallback_tariff},
          {"passive", c.passive},
          {"limits", {{"tariffs", c.max_tariffs}, {"seasons", c.max_seasons}, {"week_profiles", c.max_week_profiles},
                      {"day_profiles", c.max_day_profiles}, {"switchings_per_day", c.max_switchings},
                      {"special_days", c.max_special_days}}},
          {"seasons", seasons},
          {"weeks", weeks},
          {"days", days},
          {"special_days", specials}};
}

json display_json(const Model& m) {
  json lists = json::array();
  for (const auto& l : m.display_lists) {
    json items = json::array();
    for (const auto& i : m.display_lists[l.shows].items) {
      json item = {{"attribute", i.attribute}, {"format", i.special.empty() ? i.format : i.special},
                   {"digits", i.digits},       {"decimals", i.decimals}, {"code", i.code}};
      if (i.object) item["object"] = m.objects[*i.object].name;
      items.push_back(item);
    }
    lists.push_back({{"mode", l.mode}, {"activations", l.activations}, {"scroll_s", l.scroll_s},
                     {"timeout_s", l.timeout_s}, {"duration_s", l.duration_s}, {"items", items}});
  }
  return lists;
}

std::string hex_bytes(const std::vector<std::uint8_t>& bytes) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (auto b : bytes) out += {digits[b >> 4], digits[b & 15]};
  return out;
}

}  // namespace

// Everything the tables carry, by name where the tables hold an index. The
// per-object parts are written as they come; the small sections are built as
// documents first.
std::string model_json(const Model& m) {
  std::string text;
  JsonWriter w(text);
  w.begin_object();
  w.member("id", m.id).member("vendor", m.vendor).member("name", m.name).member("phases", m.phases);
  w.key("networks").begin_array();
  for (const auto& n : m.networks) w.value(n);
  w.end_array().member("connection", m.connection).member("metering", metering_json(m));
  w.key("objects").begin_array();
  for (const auto& o : m.objects) write_object(w, o);
  w.end_array().key("associations").begin_array();
  AccessProfiles access;
  for (const auto& a : m.associations) write_association(w, m, a, access);
  w.end_array().member("access_profiles", access.list());
  w.key("profiles").begin_array();
  for (const auto& p : m.profiles) w.value(profile_json(m, p));
  w.end_array().key("event_logs").begin_array();
  for (const auto& l : m.event_logs) w.value(event_log_json(m, l));
  w.end_array();
  for (const json& part : {detection_json(m), control_json(m), time_json(m)})
    for (const auto& [k, v] : part.items()) w.member(k, v);
  if (m.calendar.present) w.member("calendar", calendar_json(m.calendar));
  w.member("display_lists", display_json(m));
  w.member("value_pool", hex_bytes(m.value_pool)).member("state_size", m.state_size);
  w.end_object();
  text += '\n';
  return text;
}

std::string list_objects(const Model& m, const std::string& format) {
  std::ostringstream out;
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& o : m.objects)
      arr.push_back({{"logical_name", format_obis(o.ln)}, {"class_id", o.cls->id}, {"version", o.version},
                     {"name", o.name}, {"type", type_of(o)}, {"scaler", o.unit >= 0 ? o.scaler : 0},
                     {"unit", unit_of(o)}, {"source", source_of(o)}, {"description", o.description}});
    out << arr.dump(1) << '\n';
  } else if (format == "csv") {
    out << "logical_name,class_id,version,name,type,scaler,unit,source,description\n";
    for (const auto& o : m.objects)
      out << format_obis(o.ln) << ',' << o.cls->id << ',' << o.version << ',' << csv_field(o.name) << ','
          << type_of(o) << ',' << (o.unit >= 0 ? o.scaler : 0) << ',' << unit_of(o) << ',' << csv_field(source_of(o))
          << ',' << csv_field(o.description) << '\n';
  } else {
    std::size_t name_w = 4;
    for (const auto& o : m.objects) name_w = std::max(name_w, o.name.size());
    auto pad = [](std::string s, std::size_t w) {
      s.resize(std::max(w, s.size()), ' ');
      return s;
    };
    out << pad("LOGICAL NAME", 20) << pad("IC", 5) << pad("V", 3) << pad("NAME", name_w + 2) << pad("TYPE", 22)
        << pad("UNIT", 10) << "SOURCE\n";
    for (const auto& o : m.objects) {
      std::string unit = o.unit >= 0 ? unit_of(o) + (o.scaler ? " e" + std::to_string(o.scaler) : "") : "";
      out << pad(format_obis(o.ln), 20) << pad(std::to_string(o.cls->id), 5) << pad(std::to_string(o.version), 3)
          << pad(o.name, name_w + 2) << pad(type_of(o), 22) << pad(unit, 10) << source_of(o) << '\n';
    }
    out << m.objects.size() << " objects\n";
  }
  return out.str();
}

}  // namespace metergen
