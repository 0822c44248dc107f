// Emits the C++ tables for the runtime seam (runtime/include/metergen/model_tables.hpp).
// The model has made every choice; this file only spells it in the seam's terms,
// one function per table. Rows are designated initialisers naming the seam's
// fields, so a swapped or missing field fails to compile instead of shifting.
#include <algorithm>
#include <concepts>
#include <cstdio>
#include <map>

#include <metergen/hdlc/frame.hpp>
#include <metergen/hdlc/parameters.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/model_tables.hpp>

#include <cmath>

#include "emit.hpp"
#include "event_triggers.hpp"
#include "spec_schema.hpp"
#include "identifiers.hpp"

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

// A designated initialiser, `{.a = x, .b = y}`, fields in the seam's order.
class Init {
 public:
  Init& operator()(const char* field, const std::string& value) {
    text_ += (text_.empty() ? "{." : ", .") + std::string(field) + " = " + value;
    return *this;
  }
  Init& operator()(const char* field, const char* value) { return (*this)(field, std::string(value)); }
  Init& operator()(const char* field, bool value) { return (*this)(field, value ? "true" : "false"); }
  template <std::integral T>
  Init& operator()(const char* field, T value) { return (*this)(field, std::to_string(value)); }
  operator std::string() const { return text_ + "}"; }

 private:
  std::string text_;
};

std::string index_or_none(std::optional<std::size_t> i) { return i ? std::to_string(*i) : kNone; }

std::string ln_init(const Obis& o) { return Init()("b", "{" + format_obis_hex(o) + "}"); }

// `a | b | c` of the seam's named bits, "0" when none is chosen.
std::string bits(const std::vector<std::pair<bool, const char*>>& named) {
  std::string out;
  for (const auto& [set, name] : named)
    if (set) out += (out.empty() ? "" : " | ") + std::string(name);
  return out.empty() ? "0" : out;
}

bool has(const std::vector<std::string>& v, const char* s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Bit n set for each chosen name at position n of `all`.
std::uint32_t bit_index_mask(const std::vector<std::string>& chosen, const std::vector<std::string>& all) {
  std::uint32_t mask = 0;
  for (const auto& c : chosen) {
    auto it = std::find(all.begin(), all.end(), c);
    if (it != all.end()) mask |= 1u << (it - all.begin());
  }
  return mask;
}

std::string authentication_enum(const std::string& a) {
  if (a == "lls") return "Authentication::lls";
  if (a == "hls-gmac") return "Authentication::hls_gmac";
  return "Authentication::none";
}

// One array of model.cpp. Its rows are spelled here rather than by the template:
// the large models have hundreds of thousands of them, and one string is far
// cheaper than a template view per row.
class ArrayBuilder {
 public:
  ArrayBuilder(std::string type, std::string name) : type_(std::move(type)), name_(std::move(name)) {}
  void row(const std::string& text, const std::string& comment = {}) {
    rows_ += "    ";
    rows_ += text;
    rows_ += ',';
    if (!comment.empty()) rows_ += "  // " + comment_text(comment);
    rows_ += '\n';
    ++size_;
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  const std::string& name() const { return name_; }
  data view() const {
    data d;
    d.set("type", type_);
    d.set("name", name_);
    d.set("rows", rows_);
    return d;
  }

 private:
  std::string type_, name_;
  std::string rows_;  // `    text,  // comment` lines
  std::size_t size_ = 0;
};

// The arrays of model.cpp and the fields of its Model, in the seam's field order.
class Tables {
 public:
  // The array, if it has rows, and what a Model field points at.
  std::string pointer(ArrayBuilder&& a) {
    if (a.empty()) return "nullptr";
    std::string name = a.name();
    arrays_.push_back(std::move(a));
    return name;
  }
  void field(const char* name, std::string value) { fields_.push_back({name, std::move(value)}); }
  // A table and its row count, as the seam's pointer and count fields.
  void rows(const char* name, ArrayBuilder&& a, const char* count_name) {
    std::size_t count = a.size();
    field(name, pointer(std::move(a)));
    field(count_name, count);
  }
  template <std::integral T>
  void field(const char* name, T value) { field(name, std::to_string(value)); }

  data view() const {
    data v;
    list arrays, fields;
    for (const auto& a : arrays_) arrays.push_back(a.view());
    for (const auto& [name, value] : fields_) {
      data f;
      f.set("name", name);
      f.set("value", value);
      fields.push_back(f);
    }
    v.set("arrays", arrays);
    v.set("fields", fields);
    return v;
  }

 private:
  std::vector<ArrayBuilder> arrays_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

std::string metering(const Model& m) {
  const Metering& t = m.metering;
  return Init()("transformer_operated", t.transformer_operated)("neutral_current", t.neutral_current)(
      "voltage_min_mv", t.voltage_min_mv)("voltage_max_mv", t.voltage_max_mv)("basic_current_ma", t.basic_current_ma)(
      "max_current_ma", t.max_current_ma)("starting_current_ma", t.starting_current_ma)("frequency_hz", t.frequency_hz)(
      "active_imp_per_kwh", m.active_imp_per_kwh)("reactive_imp_per_kvarh", m.reactive_imp_per_kvarh)(
      "active_class", quote(t.active_class))("reactive_class", quote(t.reactive_class));
}

std::string object_row(const Object& o) {
  std::string binding = Init()("kind", "SourceKind::" + o.source_kind)("quantity", "Quantity::" + o.runtime_quantity)(
      "tariff", o.tariff)("phase", o.phase);
  std::string type = cosem::data_type_info(o.type ? *o.type : cosem::DataType::null_data).cpp_name;
  // Without a scaler_unit (unit -1) the table holds 0 for both.
  return Init()("ln", ln_init(o.ln))("class_id", o.cls->id)("version", o.version)("value_type", "DataType::" + type)(
      "scaler", o.unit >= 0 ? o.scaler : 0)("unit", o.unit >= 0 ? o.unit : 0)("binding", binding)(
      "role", "Role::" + o.role)("value_offset", index_or_none(o.value_offset))("value_size", o.value_size)(
      "state_offset", o.state_offset ? std::to_string(*o.state_offset) : "kNoState");
}

void objects(const Model& m, Tables& t) {
  ArrayBuilder rows("ObjectDef", "kObjects");
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    rows.row(object_row(m.objects[i]), std::to_string(i) + " " + m.objects[i].name + " " + format_obis(m.objects[i].ln));
  t.rows("objects", std::move(rows), "object_count");
}

// Access profiles: each distinct (attribute modes, method modes) stored once; per
// association and object, the index of its profile or kNone when not listed.
struct AccessTables {
  std::vector<std::vector<std::uint8_t>> profiles;  // attribute modes then method modes
  std::vector<std::pair<std::size_t, std::size_t>> counts;
  std::vector<std::vector<std::string>> per_association;
};

AccessTables access_tables(const Model& m) {
  AccessTables out;
  std::map<std::vector<std::uint8_t>, std::size_t> index;
  for (const auto& a : m.associations) {
    std::vector<std::string> row;
    for (const AccessSet& acc : a.access) {
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
      auto [it, inserted] = index.emplace(key, out.profiles.size());
      if (inserted) {
        out.profiles.emplace_back(key.begin() + 2, key.end());
        out.counts.push_back({acc.attributes.size(), acc.methods.size()});
      }
      row.push_back(std::to_string(it->second));
    }
    out.per_association.push_back(std::move(row));
  }
  return out;
}

std::string association_row(const Association& a, const std::string& access) {
  const auto& p = a.security_policy;
  std::string policy = bits({{has(p, "authenticated_request"), "kAuthenticatedRequest"},
                             {has(p, "encrypted_request"), "kEncryptedRequest"},
                             {has(p, "authenticated_response"), "kAuthenticatedResponse"},
                             {has(p, "encrypted_response"), "kEncryptedResponse"}});
  return Init()("ln", ln_init(a.ln))("client_sap", a.sap)("authentication", authentication_enum(a.authentication))(
      "fallback_authentication", authentication_enum(a.fallback_authentication))("security_policy", policy)(
      "security_suite", a.security_suite)("pre_established", a.pre_established)("compact_profiles", a.compact_profiles)(
      "security_setup", index_or_none(a.security_setup_object))("object_access", access);
}

void associations(const Model& m, Tables& t) {
  AccessTables acc = access_tables(m);
  ArrayBuilder modes("std::uint8_t", "kAccessModes"), profiles("AccessProfile", "kAccessProfiles");
  std::size_t offset = 0;
  for (std::size_t p = 0; p < acc.profiles.size(); ++p) {
    std::string bytes;
    for (auto b : acc.profiles[p]) bytes += (bytes.empty() ? "" : ", ") + std::to_string(b);
    modes.row(bytes, "profile " + std::to_string(p));
    profiles.row(Init()("offset", offset)("attribute_count", acc.counts[p].first)("method_count", acc.counts[p].second));
    offset += acc.profiles[p].size();
  }
  t.field("access_modes", t.pointer(std::move(modes)));
  t.rows("access_profiles", std::move(profiles), "access_profile_count");
  ArrayBuilder rows("AssociationDef", "kAssociations");
  for (std::size_t k = 0; k < m.associations.size(); ++k) {
    const Association& a = m.associations[k];
    ArrayBuilder per_object("std::uint16_t", "kAccess_" + cpp_identifier(a.name));
    for (std::size_t i = 0; i < m.objects.size(); ++i) per_object.row(acc.per_association[k][i], m.objects[i].name);
    rows.row(association_row(a, t.pointer(std::move(per_object))), a.name);
  }
  t.rows("associations", std::move(rows), "association_count");
}

// Profiles' capture lists, then the push object lists (whose first rows go to push_first).
void profiles(const Model& m, Tables& t, std::vector<std::size_t>& push_first) {
  ArrayBuilder captures("CaptureDef", "kCaptures"), rows("ProfileDef", "kProfiles");
  for (const auto& p : m.profiles) {
    std::size_t first = captures.size();
    for (const auto& c : p.capture)
      captures.row(Init()("object", c.object)("attribute", c.attribute)("data_index", c.data_index),
                   m.objects[c.object].name);
    std::string selective = bits({{has(p.selective_access, "range"), "kSelectByRange"},
                                  {has(p.selective_access, "entry"), "kSelectByEntry"}});
    rows.row(Init()("object", p.object)("first_capture", first)("capture_count", p.capture.size())(
                 "sort", "SortMethod::" + p.sort)("selective_access", selective)("capture_period_s", p.capture_period_s)(
                 "entries", p.entries)("entry_bytes", p.entry_bytes)("status_object", index_or_none(p.status_object)),
             p.name);
  }
  for (const auto& p : m.push_setups) {
    push_first.push_back(captures.size());
    for (const auto& c : p.objects)
      captures.row(Init()("object", c.object)("attribute", c.attribute)("data_index", c.data_index),
                   m.objects[p.object].name + " pushes " + m.objects[c.object].name);
  }
  t.field("captures", t.pointer(std::move(captures)));
  t.rows("profiles", std::move(rows), "profile_count");
}

void event_logs(const Model& m, Tables& t) {
  ArrayBuilder events("EventDef", "kEvents"), logs("EventLogDef", "kEventLogs");
  for (const auto& l : m.event_logs) {
    std::size_t first = events.size();
    for (const auto& e : l.events)
      events.row(Init()("code", e.code)("flags", bits({{e.log, "kEventLogged"}, {e.push, "kEventPushed"}}))(
                     "trigger", "Trigger::" + (e.trigger.empty() ? std::string("none") : e.trigger))("end", e.end)(
                     "qualifier", e.qualifier)("object", index_or_none(e.object))(
                     "alarm_bit", e.alarm_bit ? std::to_string(*e.alarm_bit) : "kNoBit")(
                     "error_bit", e.error_bit ? std::to_string(*e.error_bit) : "kNoBit"),
                 e.name);
    logs.row(Init()("log_object", l.log_object)("code_object", l.code_object)("filter_object", index_or_none(l.filter_object))(
                 "profile", l.profile)("first_event", first)("event_count", l.events.size())("code_min", l.code_min)(
                 "code_max", l.code_max),
             l.name);
  }
  t.field("events", t.pointer(std::move(events)));
  t.rows("event_logs", std::move(logs), "event_log_count");
}

// Detection levels in the engine's units (DetectionDef).
int level_exponent(events::LevelUnit u) {
  switch (u) {
    case events::LevelUnit::volt: case events::LevelUnit::ampere: case events::LevelUnit::watt: return 6;
    case events::LevelUnit::percent: return 4;
    case events::LevelUnit::power_factor: return 3;
    default: return 0;
  }
}

void detection(const Model& m, Tables& t) {
  ArrayBuilder rows("DetectionDef", "kDetections"), counters("EventCounterDef", "kEventCounters");
  for (const auto& d : m.detection) {
    const events::TriggerInfo* info = events::find_trigger(d.trigger);
    const int exponent = info ? level_exponent(info->unit) : 0;
    auto scaled = [&](std::optional<double> v) { return std::llround(v.value_or(0) * std::pow(10.0, exponent)); };
    const long long level = scaled(d.level);
    rows.row(Init()("trigger", "Trigger::" + (info ? d.trigger : std::string("long_power_down")))(
                 "level_exponent", exponent)("level", std::to_string(level) + "LL")(
                 "restore", std::to_string(d.restore ? scaled(d.restore) : level) + "LL")("for_s", d.for_s)(
                 "level_object", index_or_none(d.level_object))("for_object", index_or_none(d.for_object)),
             d.trigger);
  }
  for (const auto& c : m.event_counters)
    counters.row(Init()("object", c.object)("trigger", "Trigger::" + c.trigger)("phase", c.phase),
                 m.objects[c.object].name);
  t.rows("detections", std::move(rows), "detection_count");
  t.rows("event_counters", std::move(counters), "event_counter_count");
}

void disconnect(const Model& m, Tables& t) {
  ArrayBuilder row("DisconnectDef", "kDisconnect"), bits("TamperBitDef", "kTamperBits");
  if (m.disconnect) {
    const auto& d = *m.disconnect;
    // A trigger named by several bits has them for its phases, in order.
    std::map<std::string, int> named;
    for (const auto& b : d.tamper_filter) ++named[b.trigger];
    std::map<std::string, int> seen;
    for (const auto& b : d.tamper_filter) {
      if (b.trigger.empty()) continue;
      const int phase = named[b.trigger] > 1 ? ++seen[b.trigger] : 0;
      bits.row(Init()("bit", b.bit)("trigger", "LocalTrigger::" + b.trigger)("phase", phase), b.name);
    }
    const std::size_t bit_count = bits.size();
    std::uint32_t modes = 0;
    for (int mode : d.supported_modes) modes |= 1u << mode;
    row.row(Init()("object", d.object)("default_mode", d.default_mode)("supported_modes", hex(static_cast<std::uint8_t>(modes)))(
        "local_triggers", std::to_string(bit_index_mask(d.local_triggers, local_triggers())) + "u")(
        "tamper_filter_object", index_or_none(d.tamper_filter_object))("manual_reconnect_hold_s", d.manual_reconnect_hold_s)(
        "tamper_bits", t.pointer(std::move(bits)))("tamper_bit_count", bit_count));
  }
  t.field("disconnect", t.pointer(std::move(row)));
}

void limiters(const Model& m, Tables& t) {
  ArrayBuilder rows("LimiterDef", "kLimiters");
  for (const auto& l : m.limiters)
    rows.row(Init()("object", l.object)("monitored", l.monitored)("threshold_normal", l.raw_normal)(
                 "threshold_emergency", l.raw_emergency)("min_over_s", l.over_s)("min_under_s", l.under_s)(
                 "reconnect_delay_s", l.reconnect_delay_s)("count_reset_s", l.count_reset_s)(
                 "max_reconnects", l.max_reconnects)("final_state", "FinalState::" + l.final_state),
             l.name);
  t.rows("limiters", std::move(rows), "limiter_count");
}

void push_setups(const Model& m, const std::vector<std::size_t>& first, Tables& t) {
  ArrayBuilder rows("PushSetupDef", "kPushSetups");
  for (std::size_t i = 0; i < m.push_setups.size(); ++i) {
    const PushSetup& p = m.push_setups[i];
    rows.row(Init()("object", p.object)("association", index_or_none(p.association))("client_sap", p.client_sap)(
                 "first_capture", first[i])("capture_count", p.objects.size())("destination", quote(p.destination))(
                 "randomisation_s", p.randomisation_s)("retries", p.retries)("repetition_delay_s", p.repetition_delay_s),
             m.objects[p.object].name);
  }
  t.rows("push_setups", std::move(rows), "push_setup_count");
}

std::string script_ref(const ScriptRef& s) {
  return Init()("table", index_or_none(s.table))("selector", s.table ? s.selector : 0);
}

void register_monitors(const Model& m, Tables& t) {
  ArrayBuilder rows("RegisterMonitorDef", "kRegisterMonitors"), actions("MonitorActionDef", "kMonitorActions");
  for (const auto& r : m.register_monitors) {
    rows.row(Init()("object", r.object)("monitored", r.monitored)("attribute", 2)(
                 "threshold_count", r.thresholds.size())("first_action", actions.size()),
             r.name);
    for (const auto& th : r.thresholds)
      actions.row(Init()("up", script_ref(th.up))("down", script_ref(th.down)), r.name);
  }
  t.rows("register_monitors", std::move(rows), "register_monitor_count");
  t.field("monitor_actions", t.pointer(std::move(actions)));
}

void prepayment(const Model& m, Tables& t) {
  ArrayBuilder row("PrepaymentDef", "kPrepayment");
  if (m.prepayment) {
    const Prepayment& p = *m.prepayment;
    const std::string sts = Init()("algorithm", p.sts.algorithm)("key_type", p.sts.key_type)(
        "supply_group", std::to_string(p.sts.supply_group) + "u")("tariff_index", p.sts.tariff_index)(
        "key_revision", p.sts.key_revision)("key_expiry", p.sts.key_expiry)("base_date", p.sts.base_date)(
        "manufacturer_code", p.sts.manufacturer_code);
    row.row(Init()("account", p.account)("token_credit", p.token_credit)(
        "emergency_credit", index_or_none(p.emergency_credit))("charge", index_or_none(p.charge))(
        "token_gateway", p.token_gateway)("charged", p.charged)("friendly_enable", index_or_none(p.friendly_enable))(
        "payment_mode", p.payment_mode)("currency", p.currency ? "true" : "false")("currency_name", quote(p.currency_name))(
        "scale", p.scale)("shown_unit", std::to_string(p.shown_unit) + "LL")("rate", std::to_string(p.rate) + "u")(
        "initial_credit", std::to_string(p.initial_credit) + "LL")("low_credit", std::to_string(p.low_credit) + "LL")(
        "emergency_credit_amount", std::to_string(p.emergency_amount) + "LL")(
        "emergency_below", std::to_string(p.emergency_below) + "LL")("max_credit", std::to_string(p.max_credit) + "LL")(
        "friendly_from_min", p.friendly_from_min)("friendly_to_min", p.friendly_to_min)(
        "friendly_weekends", p.friendly_weekends ? "true" : "false")(
        "friendly_special_days", p.friendly_special_days ? "true" : "false")("keypad_failures", p.keypad_failures)(
        "keypad_lockout_s", p.keypad_lockout_s)("sts", sts));
  }
  t.field("prepayment", t.pointer(std::move(row)));
}

void demand(const Model& m, Tables& t) {
  ArrayBuilder row("DemandDef", "kDemand");
  if (m.demand) {
    const auto& d = *m.demand;
    row.row(Init()("method", "DemandMethod::" + d.method)("number_of_periods", d.number_of_periods)(
        "recalculate", bit_index_mask(d.recalculate_on, {"power_off", "clock_set", "period_change", "billing"}))(
        "period_s", d.period_s)("max_window_s", d.max_window_s));
  }
  t.field("demand", t.pointer(std::move(row)));
}

std::string billing(const Billing& b) {
  return Init()("daily_minute", b.daily ? std::to_string(b.daily_minute) : kNone)(
      "monthly_minute", b.monthly ? std::to_string(b.monthly_minute) : kNone)("monthly_day", b.monthly_day)(
      "methods", bit_index_mask(b.methods, {"automatic", "command", "button", "contract_change", "tariff_change"}))(
      "daily_profile", index_or_none(b.daily_profile))("monthly_profile", index_or_none(b.monthly_profile))(
      "lockout_s", b.lockout_s)("button_hold_s", b.button_hold_s)("catch_up", b.catch_up ? "true" : "false");
}

std::string calendar(const Calendar& c, Tables& t) {
  ArrayBuilder seasons("SeasonDef", "kSeasons"), weeks("WeekProfileDef", "kWeeks"), days("DayProfileDef", "kDays"),
      switchings("SwitchingDef", "kSwitchings"), specials("SpecialDayDef", "kSpecialDays");
  for (const auto& s : c.seasons) seasons.row(Init()("month", s.month)("day", s.day)("week", s.week), s.name);
  for (const auto& w : c.weeks) {
    std::string d;
    for (auto x : w.days) d += (d.empty() ? "" : ", ") + std::to_string(x);
    weeks.row(Init()("day", "{" + d + "}"), w.name);
  }
  for (const auto& d : c.days) {
    days.row(Init()("first_switching", switchings.size())("switching_count", d.switchings.size()), d.name);
    for (const auto& s : d.switchings) switchings.row(Init()("minute", s.minute)("tariff", s.tariff));
  }
  for (const auto& s : c.special_days)
    specials.row(Init()("month", s.month)("day", s.day)("day_profile", s.day_profile)(
                     "year", s.year == 0xFFFF ? std::string(kNone) : std::to_string(s.year)),
                 s.name);
  ArrayBuilder row("CalendarDef", "kCalendar");
  row.row(Init()("tariffs", c.tariffs)("fallback_tariff", c.fallback_tariff)("passive", c.passive)(
      "max_tariffs", c.max_tariffs)("max_seasons", c.max_seasons)("max_week_profiles", c.max_week_profiles)(
      "max_day_profiles", c.max_day_profiles)("max_switchings", c.max_switchings)("max_special_days", c.max_special_days)(
      "seasons", t.pointer(std::move(seasons)))("season_count", c.seasons.size())("weeks", t.pointer(std::move(weeks)))(
      "week_count", c.weeks.size())("days", t.pointer(std::move(days)))("day_count", c.days.size())(
      "switchings", t.pointer(std::move(switchings)))("special_days", t.pointer(std::move(specials)))(
      "special_day_count", c.special_days.size()));
  return t.pointer(std::move(row));
}

std::string dst_rule(const DstRule& r) {
  return Init()("month", r.month)("week", r.week)("weekday", r.weekday)("day", r.day)("minute", r.minute);
}

std::string clock(const Clock& c) {
  return Init()("object", c.object)("time_zone_min", c.time_zone_min)("clock_base", c.clock_base_code)(
      "dst_enabled", c.dst_enabled)("dst_deviation_min", c.dst_deviation_min)("dst_begin", dst_rule(c.dst_begin))(
      "dst_end", dst_rule(c.dst_end));
}

std::string display_item_row(const DisplayItem& i) {
  std::string format = "DisplayFormat::" + (i.special.empty() ? i.format : i.special);
  return Init()("object", index_or_none(i.object))("attribute", i.attribute)("format", format)("digits", i.digits)(
      "decimals", i.decimals)("code", quote(i.code))("unit", quote(i.unit.substr(0, 5)))("unit_shift", i.unit_shift);
}

std::string display_item_name(const Model& m, const DisplayItem& i) {
  return i.label.empty() ? (i.object ? m.objects[*i.object].name : i.special) : i.label;
}

// The screen pool once, then each list as indexes into it.
void display(const Model& m, Tables& t) {
  ArrayBuilder items("DisplayItemDef", "kDisplayItems"), lists("DisplayListDef", "kDisplayLists");
  ArrayBuilder list_items("std::uint16_t", "kDisplayListItems");
  for (const auto& i : m.display_pool) items.row(display_item_row(i), display_item_name(m, i));
  for (const auto& l : m.display_lists) {
    const DisplayList& shown = m.display_lists[l.shows];
    std::size_t first = list_items.size();
    for (std::size_t p : shown.pool_items) list_items.row(std::to_string(p), display_item_name(m, m.display_pool[p]));
    lists.row(Init()("mode", "DisplayMode::" + l.mode)("activations", l.activations)("first_item", first)(
                  "item_count", list_items.size() - first)("scroll_s", l.scroll_s)("timeout_s", l.timeout_s)(
                  "duration_s", l.duration_s)("list_object", index_or_none(shown.list_object))(
                  "max_items", shown.list_object ? shown.max_items : 0)("time_object", index_or_none(l.time_object))(
                  "time_min_s", l.time_min_s)("time_max_s", l.time_max_s),
              l.mode);
  }
  t.rows("display_items", std::move(items), "display_item_count");
  t.field("display_list_items", t.pointer(std::move(list_items)));
  t.rows("display_lists", std::move(lists), "display_list_count");
}

void attribute_values(const Model& m, Tables& t) {
  ArrayBuilder rows("AttributeValueDef", "kAttributeValues");
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    for (const StaticAttribute& a : m.objects[i].attributes)
      if (a.value_offset)
        rows.row(Init()("object", i)("attribute", a.index)("value_offset", *a.value_offset)("value_size", a.value_size),
                 m.objects[i].name);
  t.rows("attribute_values", std::move(rows), "attribute_value_count");
}

// The number an IC 23 attribute's constant holds (unsigned or long-unsigned:
// its bytes after the type tag), or `fallback` when the object has none.
unsigned link_attribute(const Model& m, const Object& o, int index, unsigned fallback) {
  for (const StaticAttribute& a : o.attributes) {
    if (a.index != index || !a.value_offset) continue;
    unsigned v = 0;
    for (int k = 1; k < a.value_size; ++k) v = (v << 8) | m.value_pool[*a.value_offset + k];
    return v;
  }
  return fallback;
}

// tables::HdlcLinkDef from the IC 23 objects (objects are sorted by logical name),
// and the frame buffer it points at (hdlc_frame_size for the template).
std::size_t hdlc_link(const Model& m, Tables& t) {
  const Object* first = nullptr;
  unsigned largest = hdlc::kDefaultMaxInfo;
  for (const Object& o : m.objects) {
    if (o.cls->id != 23) continue;
    if (first == nullptr) first = &o;
    largest = std::max({largest, link_attribute(m, o, 5, 0), link_attribute(m, o, 6, 0)});
  }
  const std::size_t frame_size = largest + hdlc::kMaxFrameOverhead;
  auto attribute = [&](int index, unsigned fallback) {
    return first == nullptr ? fallback : link_attribute(m, *first, index, fallback);
  };
  t.field("hdlc", Init()("max_info_transmit", attribute(5, hdlc::kDefaultMaxInfo))(
                      "max_info_receive", attribute(6, hdlc::kDefaultMaxInfo))(
                      "window_transmit", attribute(3, hdlc::kDefaultWindow))(
                      "window_receive", attribute(4, hdlc::kDefaultWindow))(
                      "inter_octet_ms", attribute(7, hdlc::kDefaultInterOctetMs))(
                      "inactivity_s", attribute(8, hdlc::kDefaultInactivityS))(
                      "device_address", attribute(9, hdlc::kDefaultServerAddress.physical))("frame", "kHdlcFrame")(
                      "frame_size", frame_size));
  return frame_size;
}

// tables::ModelRam: the arrays the template defines for the model's profiles,
// associations and push setups.
void model_ram(const Model& m, Tables& t) {
  t.field("ram", Init()("profiles", m.profiles.empty() ? "nullptr" : "kProfileRam")(
                     "associations", m.associations.empty() ? "nullptr" : "kAssociationRam")(
                     "push_frame", m.push_setups.empty() ? "nullptr" : "kPushFrame"));
}

data flag(bool on) { return data(on ? data::type::bool_true : data::type::bool_false); }

void value_pool(const Model& m, Tables& t) {
  const auto& pool = m.value_pool;
  ArrayBuilder rows("std::uint8_t", "kValuePool");
  for (std::size_t i = 0; i < pool.size(); i += 16) {
    std::string row;
    for (std::size_t k = i; k < std::min(pool.size(), i + 16); ++k) row += (row.empty() ? "" : ", ") + hex(pool[k]);
    rows.row(row);
  }
  t.field("value_pool", t.pointer(std::move(rows)));
  t.field("value_pool_size", pool.size());
}

}  // namespace

std::string emit_tables_cpp(const Model& m) {
  Tables t;
  t.field("abi_version", kAbiVersion);
  t.field("id", quote(m.id));
  t.field("phases", m.phases);
  t.field("metering", metering(m));
  objects(m, t);
  associations(m, t);
  std::vector<std::size_t> push_first;
  profiles(m, t, push_first);
  event_logs(m, t);
  detection(m, t);
  disconnect(m, t);
  limiters(m, t);
  demand(m, t);
  t.field("billing", billing(m.billing));
  t.field("calendar", m.calendar.present ? calendar(m.calendar, t) : "nullptr");
  t.field("clock", clock(m.clock));
  display(m, t);
  value_pool(m, t);
  t.field("state", m.state_size ? "kState" : "nullptr");
  t.field("state_size", m.state_size);
  push_setups(m, push_first, t);
  register_monitors(m, t);
  prepayment(m, t);
  attribute_values(m, t);
  const std::size_t hdlc_frame_size = hdlc_link(m, t);
  model_ram(m, t);

  data view = t.view();
  view.set("hdlc_frame_size", std::to_string(hdlc_frame_size));
  view.set("provenance", provenance(m, "// "));
  view.set("abi", std::to_string(kAbiVersion));
  view.set("state_size", std::to_string(m.state_size));
  view.set("has_state", flag(m.state_size != 0));
  view.set("profile_count", std::to_string(m.profiles.size()));
  view.set("has_profiles", flag(!m.profiles.empty()));
  view.set("association_count", std::to_string(m.associations.size()));
  view.set("has_associations", flag(!m.associations.empty()));
  view.set("has_push", flag(!m.push_setups.empty()));
  view.set("ns", model_namespace(m.id));
  return render("model.cpp.mustache", view);
}

std::string emit_tables_hpp(const Model& m) {
  data view;
  view.set("provenance", provenance(m, "// "));
  view.set("ns", model_namespace(m.id));
  view.set("id", m.id);
  view.set("object_count", std::to_string(m.objects.size()));
  // One line per object, spelled here for the same reason as ArrayBuilder's rows.
  std::string objects;
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    objects += "inline constexpr std::uint16_t " + cpp_identifier(m.objects[i].name) + " = " + std::to_string(i) +
               ";  // " + format_obis(m.objects[i].ln) + "\n";
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
