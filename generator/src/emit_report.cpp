// The static HTML report of a model (`metergen report`): identity and hardware,
// object lists with access rights per association, profiles, event logs, the
// calendar, disconnect control, limiters, prepayment and the display lists as
// LCD pictures (demand, billing, push setups and register monitors:
// report_sections.cpp); for a variant, what it changes from its base. Every
// decision is made here, in the view; the template only places text, all of it
// escaped except the SVG built (and escaped) by report_svg.cpp.
#include <algorithm>
#include <cstdio>

#include "emit.hpp"
#include "report_svg.hpp"
#include "report_view.hpp"

namespace metergen {

using namespace report;

namespace {

// A prepayment amount in the account's shown unit (Wh, or 10^scale of the currency).
std::string shown_amount(const Prepayment& p, std::int64_t amount) {
  return std::to_string(amount / p.shown_unit) + (p.currency ? " × 10^" + std::to_string(p.scale) + " " + p.currency_name : " Wh");
}

const char* attr_mode(AttrMode m) {
  switch (m) {
    case AttrMode::none: return "–";
    case AttrMode::read: return "R";
    case AttrMode::write: return "W";
    case AttrMode::read_write: return "RW";
    case AttrMode::auth_read: return "aR";
    case AttrMode::auth_write: return "aW";
    case AttrMode::auth_read_write: return "aRW";
  }
  return "?";
}

const char* method_mode(MethodMode m) {
  switch (m) {
    case MethodMode::none: return "–";
    case MethodMode::access: return "X";
    case MethodMode::auth_access: return "aX";
  }
  return "?";
}

std::string attribute_access(const AccessSet& a) {
  std::string out;
  for (std::size_t i = 0; i < a.attributes.size(); ++i)
    out += (out.empty() ? "" : " ") + std::to_string(i + 1) + ":" + attr_mode(a.attributes[i]);
  return out;
}

std::string method_access(const AccessSet& a) {
  std::string out;
  for (std::size_t i = 0; i < a.methods.size(); ++i)
    out += (out.empty() ? "" : " ") + std::to_string(i + 1) + ":" + method_mode(a.methods[i]);
  return out.empty() ? "–" : out;
}

// ---- what a variant changes: each model summarised as {key: text}, compared by key.

std::map<std::string, std::string> object_summaries(const Model& m) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    const Object& o = m.objects[i];
    std::string s = o.name + ", class " + o.cls->name + " v" + std::to_string(o.version);
    if (o.type) s += ", " + std::string(cosem::data_type_info(*o.type).name);
    if (!unit_of(o).empty()) s += ", " + unit_of(o);
    if (o.value) s += ", value " + *o.value;
    if (o.default_value) s += ", default " + *o.default_value;
    for (const auto& a : m.associations)
      if (a.access[i].listed) s += "; " + a.name + " " + attribute_access(a.access[i]) + " / " + method_access(a.access[i]);
    out[format_obis(o.ln)] = s;
  }
  return out;
}

std::map<std::string, std::string> settings(const Model& m) {
  std::map<std::string, std::string> s;
  s["model name"] = m.name;
  s["model vendor"] = m.vendor;
  s["model description"] = m.description;
  s["hardware phases"] = std::to_string(m.phases);
  s["hardware meter constants"] = std::to_string(m.active_imp_per_kwh) + " imp/kWh, " + std::to_string(m.reactive_imp_per_kvarh) + " imp/kvarh";
  s["hardware accuracy classes"] = join(m.accuracy_active) + " / " + join(m.accuracy_reactive);
  for (const auto& a : m.associations)
    s["association " + a.name] = "SAP " + std::to_string(a.sap) + ", " + a.authentication + ", " + join(a.security_policy);
  for (const auto& p : m.profiles)
    s["profile " + p.name] = "period " + seconds(p.capture_period_s) + ", " + std::to_string(p.entries) + " entries, " +
                             std::to_string(p.capture.size()) + " columns: " +
                             join(p.capture, ", ", [&](const Capture& c) { return format_obis(m.objects[c.object].ln) + "/" + std::to_string(c.attribute); });
  for (const auto& l : m.event_logs)
    s["event log " + l.name] = std::to_string(l.capacity) + " entries, codes " +
                               join(l.events, ", ", [](const Event& e) { return std::to_string(e.code) + " " + e.name; });
  if (m.calendar.present) {
    for (const auto& d : m.calendar.days)
      s["calendar day " + d.name] = join(d.switchings, ", ", [](const Switching& w) { return hhmm(w.minute) + " T" + std::to_string(w.tariff); });
    for (const auto& w : m.calendar.weeks)
      s["calendar week " + w.name] = join(w.days, ", ", [&](std::size_t d) { return m.calendar.days[d].name; });
    for (const auto& se : m.calendar.seasons)
      s["calendar season " + se.name] = std::to_string(se.day) + "." + std::to_string(se.month) + ", week " + m.calendar.weeks[se.week].name;
    s["calendar special days"] = std::to_string(m.calendar.special_days.size());
  }
  if (m.disconnect)
    s["disconnect control"] = "default mode " + std::to_string(m.disconnect->default_mode) + ", modes " +
                              join(m.disconnect->supported_modes, ", ", [](int x) { return std::to_string(x); }) +
                              ", local triggers " + join(m.disconnect->local_triggers);
  for (const auto& l : m.limiters)
    s["limiter " + l.name] = "monitors " + format_obis(m.objects[l.monitored].ln) + ", normal " +
                             (l.threshold_normal ? num(*l.threshold_normal) : "–") + ", emergency " +
                             (l.threshold_emergency ? num(*l.threshold_emergency) : "–") + ", over " + seconds(l.over_s) +
                             ", under " + seconds(l.under_s);
  if (m.demand)
    s["demand"] = m.demand->method + ", period " + seconds(m.demand->period_s) + ", " + std::to_string(m.demand->number_of_periods) + " period(s)";
  const Billing& b = m.billing;
  auto profile_name = [&](const std::optional<std::size_t>& p) { return p ? ", " + m.profiles[*p].name : std::string(); };
  if (b.daily || b.monthly)
    s["billing"] = (b.daily ? "daily " + hhmm(b.daily_minute) + profile_name(b.daily_profile) + "; " : "") +
                   (b.monthly ? "monthly day " + std::to_string(b.monthly_day) + " " + hhmm(b.monthly_minute) +
                                    profile_name(b.monthly_profile) + ", by " + join(b.methods) + ", lock-out " +
                                    seconds(b.lockout_s) + ", button " + seconds(b.button_hold_s) +
                                    (b.catch_up ? ", catch-up" : "")
                              : "");
  for (const auto& p : m.push_setups)
    s["push setup " + m.objects[p.object].name] =
        p.destination + ", wPort " + std::to_string(p.client_sap) +
        (p.association ? ", " + m.associations[*p.association].name : "") + ", retries " + std::to_string(p.retries) +
        ", delay " + std::to_string(p.repetition_delay_s) + " s, objects " +
        join(p.objects, ", ", [&](const Capture& c) { return obis(m, c.object) + "/" + std::to_string(c.attribute); });
  for (const auto& r : m.register_monitors)
    s["register monitor " + r.name] = "monitors " + obis(m, r.monitored) + ", thresholds " +
                                      join(r.thresholds, ", ", [](const MonitorThreshold& t) { return num(t.value); });
  if (m.prepayment)
    s["prepayment"] = "mode " + std::to_string(m.prepayment->payment_mode) + ", initial credit " +
                      shown_amount(*m.prepayment, m.prepayment->initial_credit) + ", low credit " +
                      shown_amount(*m.prepayment, m.prepayment->low_credit) +
                      (m.prepayment->currency ? ", rate " + std::to_string(m.prepayment->rate) : "");
  for (std::size_t i = 0; i < m.display_lists.size(); ++i) {
    const auto& l = m.display_lists[i];
    s["display list " + std::to_string(i + 1) + " " + l.mode] =
        "scroll " + seconds(l.scroll_s) + ", timeout " + seconds(l.timeout_s) + ", screens " +
        join(m.display_lists[l.shows].items, " ", [](const DisplayItem& d) { return d.code; });
  }
  return s;
}

void compare(const std::map<std::string, std::string>& base, const std::map<std::string, std::string>& now,
             const std::string& what, Changes& out) {
  auto row = [&](const std::string& kind, const std::string& key, const std::string& before, const std::string& after) {
    data r;
    r.set("kind", kind);
    r.set("what", what.empty() ? key : what + " " + key);
    r.set("before", before);
    r.set("after", after);
    out.rows.push_back(r);
  };
  for (const auto& [key, text] : base) {
    auto it = now.find(key);
    if (it == now.end()) row("removed", key, text, "");
  }
  for (const auto& [key, text] : now) {
    auto it = base.find(key);
    if (it == base.end()) {
      row("added", key, "", text);
      out.changed.insert(key);
    } else if (it->second != text) {
      row("changed", key, it->second, text);
      out.changed.insert(key);
    }
  }
}

}  // namespace

std::string emit_report_html(const Model& m, const Model* base) {
  Changes changes;
  if (base) {
    compare(object_summaries(*base), object_summaries(m), "object", changes);
    compare(settings(*base), settings(m), "", changes);
  }
  data v;
  v.set("provenance", provenance(m, ""));
  v.set("title", m.vendor + " " + m.name);
  v.set("id", m.id);
  v.set("description", m.description);

  // Identity and hardware.
  {
    Facts facts;
    facts.add("Model", m.id + " — " + m.vendor + " " + m.name);
    std::string manual = m.manual_title;
    if (!m.manual_revision.empty()) manual += " (revision " + m.manual_revision + ")";
    facts.add("Manual", manual);
    if (!m.manual_notes.empty()) facts.add("Manual notes", m.manual_notes);
    facts.add("Phases", std::to_string(m.phases) + (m.connection.empty() ? "" : ", " + m.connection));
    facts.add("Networks", join(m.networks));
    auto values = [](const std::vector<double>& xs, const char* unit) {
      return join(xs, " / ", [&](double x) { return num(x) + " " + unit; });
    };
    facts.add("Reference voltage", values(m.reference_voltage_v, "V"));
    facts.add("Basic current", values(m.basic_current_a, "A"));
    facts.add("Maximum current", values(m.max_current_a, "A"));
    if (m.starting_current_a) facts.add("Starting current", num(*m.starting_current_a) + " A");
    facts.add("Frequency", values(m.frequency_hz, "Hz"));
    facts.add("Meter constants", std::to_string(m.active_imp_per_kwh) + " imp/kWh, " +
                                     std::to_string(m.reactive_imp_per_kvarh) + " imp/kvarh");
    facts.add("Accuracy class, active", join(m.accuracy_active));
    facts.add("Accuracy class, reactive", join(m.accuracy_reactive));
    facts.add("Transformer operated", m.metering.transformer_operated ? "yes" : "no");
    for (const auto& p : m.ports)
      facts.add("Port " + p.name, p.kind + (p.presence.empty() ? "" : " (" + p.presence + ")") +
                                      (p.protocols.empty() ? "" : ": " + join(p.protocols)) +
                                      (p.default_baud ? ", " + std::to_string(p.default_baud) + " Bd" : ""));
    for (const auto& p : m.parts)
      facts.add("Part " + p.part, std::to_string(p.count) + " × " + p.presence +
                                      (p.description.empty() ? "" : ": " + p.description));
    v.set("identity", section_of("", facts));
  }

  // Variant.
  v.set("variant", base != nullptr);
  if (base) {
    v.set("base_id", base->id);
    v.set("changes", changes.rows);
    v.set("no_changes", changes.rows.empty());
  }

  // Object list per association.
  {
    list assocs;
    for (const auto& a : m.associations) {
      data d;
      d.set("name", a.name);
      d.set("sap", std::to_string(a.sap));
      d.set("auth", a.authentication + (a.security_policy.empty() ? "" : ", " + join(a.security_policy)));
      d.set("description", a.description);
      list rows;
      std::size_t n = 0;
      for (std::size_t i = 0; i < m.objects.size(); ++i) {
        const AccessSet& acc = a.access[i];
        if (!acc.listed) continue;
        const Object& o = m.objects[i];
        data r;
        r.set("class", row_class(changes, format_obis(o.ln)));
        r.set("obis", format_obis(o.ln));
        r.set("name", object_label(o));
        r.set("ic", std::to_string(o.cls->id) + " " + o.cls->name + " v" + std::to_string(o.version));
        r.set("unit", unit_of(o));
        r.set("attributes", attribute_access(acc));
        r.set("methods", method_access(acc));
        rows.push_back(r);
        ++n;
      }
      d.set("rows", rows);
      d.set("count", std::to_string(n));
      assocs.push_back(d);
    }
    v.set("associations", assocs);
  }

  // Profiles (event log buffers are shown with their logs).
  {
    list profiles;
    for (const auto& p : m.profiles) {
      if (p.purpose == "event_log") continue;
      data d;
      d.set("class", row_class(changes, "profile " + p.name));
      d.set("name", p.name);
      d.set("description", p.description);
      d.set("obis", format_obis(m.objects[p.object].ln));
      d.set("period", p.capture_period_s ? seconds(p.capture_period_s) : "on trigger");
      d.set("entries", std::to_string(p.entries));
      d.set("sort", p.sort);
      list cols;
      int n = 0;
      for (const auto& c : p.capture) {
        const Object& o = m.objects[c.object];
        data r;
        r.set("n", std::to_string(++n));
        r.set("name", object_label(o));
        r.set("obis", format_obis(o.ln));
        r.set("attribute", std::to_string(c.attribute));
        r.set("unit", unit_of(o));
        cols.push_back(r);
      }
      d.set("columns", cols);
      profiles.push_back(d);
    }
    v.set("profiles", profiles);
  }

  // Event logs.
  {
    list logs;
    for (const auto& l : m.event_logs) {
      data d;
      d.set("class", row_class(changes, "event log " + l.name));
      d.set("name", l.name);
      d.set("description", l.description);
      d.set("obis", format_obis(m.objects[l.log_object].ln));
      d.set("capacity", std::to_string(l.capacity));
      list events;
      for (const auto& e : l.events) {
        data r;
        r.set("code", std::to_string(e.code));
        r.set("name", e.name);
        r.set("untriggered", e.trigger.empty());
        r.set("class", e.trigger.empty() ? "untriggered" : "");
        std::string trigger = e.trigger.empty() ? "no trigger" : e.trigger + (e.end ? " (end)" : "");
        if (!e.trigger.empty() && e.qualifier) trigger += ", qualifier " + std::to_string(e.qualifier);
        r.set("trigger", trigger);
        r.set("log", e.log ? "yes" : "no");
        r.set("push", e.push ? "yes" : "no");
        events.push_back(r);
      }
      d.set("events", events);
      logs.push_back(d);
    }
    v.set("event_logs", logs);
  }

  // Calendar: seasons → weeks → day profiles, special days.
  v.set("calendar", m.calendar.present);
  if (m.calendar.present) {
    const Calendar& c = m.calendar;
    v.set("tariffs", std::to_string(c.tariffs));
    list seasons;
    for (const auto& s : c.seasons) {
      data d;
      char start[8];
      std::snprintf(start, sizeof start, "%02d-%02d", s.day % 100, s.month % 100);
      d.set("class", row_class(changes, "calendar season " + s.name));
      d.set("name", s.name);
      d.set("start", start);
      d.set("week", c.weeks[s.week].name);
      seasons.push_back(d);
    }
    v.set("seasons", seasons);
    static const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    list weeks;
    for (const auto& w : c.weeks) {
      data d;
      d.set("class", row_class(changes, "calendar week " + w.name));
      d.set("name", w.name);
      list days;
      for (std::size_t i = 0; i < w.days.size(); ++i) {
        data day;
        day.set("weekday", i < 7 ? kWeekdays[i] : std::to_string(i + 1));
        day.set("day", c.days[w.days[i]].name);
        days.push_back(day);
      }
      d.set("days", days);
      weeks.push_back(d);
    }
    v.set("weeks", weeks);
    list days;
    for (const auto& day : c.days) {
      data d;
      d.set("class", row_class(changes, "calendar day " + day.name));
      d.set("name", day.name);
      list switchings, bar;
      for (std::size_t i = 0; i < day.switchings.size(); ++i) {
        const Switching& sw = day.switchings[i];
        const int until = i + 1 < day.switchings.size() ? day.switchings[i + 1].minute : 24 * 60;
        data r;
        r.set("time", hhmm(sw.minute));
        r.set("until", hhmm(until));
        r.set("tariff", "T" + std::to_string(sw.tariff));
        switchings.push_back(r);
        // The timeline: one segment per switching, as wide as the minutes it lasts.
        data seg;
        seg.set("minutes", std::to_string(std::max(0, until - sw.minute)));
        seg.set("tariff", "T" + std::to_string(sw.tariff));
        seg.set("tone", "t" + std::to_string(((sw.tariff - 1) % 8 + 8) % 8 + 1));
        bar.push_back(seg);
      }
      d.set("switchings", switchings);
      d.set("bar", bar);
      days.push_back(d);
    }
    v.set("days", days);
    list specials;
    for (const auto& s : c.special_days) {
      data d;
      char date[32];
      if (s.year == 0xFFFF) std::snprintf(date, sizeof date, "%02d-%02d every year", s.day % 100, s.month % 100);
      else std::snprintf(date, sizeof date, "%04d-%02d-%02d", s.year % 10000, s.month % 100, s.day % 100);
      d.set("date", date);
      d.set("name", s.name);
      d.set("day", c.days[s.day_profile].name);
      specials.push_back(d);
    }
    v.set("special_days", specials);
    v.set("has_special_days", !c.special_days.empty());
  }

  // Disconnect control and limiters.
  if (m.disconnect) {
    const DisconnectControl& dc = *m.disconnect;
    Facts facts;
    facts.add("Object", format_obis(m.objects[dc.object].ln));
    if (!dc.description.empty()) facts.add("Description", dc.description);
    facts.add("Default control mode", std::to_string(dc.default_mode));
    facts.add("Supported modes", join(dc.supported_modes, ", ", [](int x) { return std::to_string(x); }));
    facts.add("Local triggers", join(dc.local_triggers));
    facts.add("Manual reconnect hold", seconds(dc.manual_reconnect_hold_s));
    if (!dc.tamper_filter.empty())
      facts.add("Tamper filter", join(dc.tamper_filter, ", ", [](const FilterBit& b) {
                  return "bit " + std::to_string(b.bit) + " " + b.name + (b.enabled ? " (on)" : " (off)");
                }));
    v.set("disconnect", section_of(row_class(changes, "disconnect control"), facts));
  }
  {
    list limiters;
    for (const auto& l : m.limiters) {
      data d;
      d.set("class", row_class(changes, "limiter " + l.name));
      d.set("name", l.name);
      d.set("obis", format_obis(m.objects[l.object].ln));
      const Object& mon = m.objects[l.monitored];
      std::string unit = mon.unit >= 0 && mon.unit != 255 ? std::string(" ") + cosem::unit_name(mon.unit) : "";
      d.set("monitored", object_label(mon) + " (" + format_obis(mon.ln) + ")");
      d.set("normal", l.threshold_normal ? num(*l.threshold_normal) + unit : "–");
      d.set("emergency", l.threshold_emergency ? num(*l.threshold_emergency) + unit : "–");
      d.set("over", seconds(l.over_s));
      d.set("under", seconds(l.under_s));
      d.set("reconnect", seconds(l.reconnect_delay_s) + (l.max_reconnects ? ", at most " + std::to_string(l.max_reconnects) : ""));
      d.set("final_state", l.final_state);
      limiters.push_back(d);
    }
    v.set("limiters", limiters);
    v.set("has_limiters", !m.limiters.empty());
  }

  // Prepayment.
  if (m.prepayment) {
    const Prepayment& p = *m.prepayment;
    Facts facts;
    facts.add("Account", format_obis(m.objects[p.account].ln));
    facts.add("Payment mode", p.payment_mode == 1 ? "credit (post-payment)" : "prepayment");
    auto shown = [&](std::int64_t amount) { return shown_amount(p, amount); };
    facts.add("Credit", p.currency ? "currency, " + std::to_string(p.rate) + " × 0.00001 " + p.currency_name + " a kWh"
                                   : "energy");
    facts.add("Initial credit", shown(p.initial_credit));
    facts.add("Low credit", shown(p.low_credit));
    facts.add("Emergency credit", shown(p.emergency_amount) + ", offered below " + shown(p.emergency_below));
    facts.add("Maximum credit", shown(p.max_credit));
    facts.add("Friendly hours", hhmm(p.friendly_from_min) + "–" + hhmm(p.friendly_to_min) +
                                    (p.friendly_weekends ? ", weekends" : "") +
                                    (p.friendly_special_days ? ", special days" : ""));
    facts.add("Keypad", std::to_string(p.keypad_failures) + " failures, then locked " + seconds(p.keypad_lockout_s));
    facts.add("STS", "algorithm " + std::to_string(p.sts.algorithm) + ", key type " + std::to_string(p.sts.key_type) +
                         ", supply group " + std::to_string(p.sts.supply_group) + ", tariff index " +
                         std::to_string(p.sts.tariff_index) + ", key revision " + std::to_string(p.sts.key_revision));
    v.set("prepayment", section_of(row_class(changes, "prepayment"), facts));
  }

  add_demand(m, changes, v);
  add_billing(m, changes, v);
  add_push_setups(m, changes, v);
  add_register_monitors(m, changes, v);

  // Display lists as LCD pictures.
  {
    list lists;
    for (std::size_t li = 0; li < m.display_lists.size(); ++li) {
      const DisplayList& l = m.display_lists[li];
      data d;
      d.set("class", row_class(changes, "display list " + std::to_string(li + 1) + " " + l.mode));
      d.set("mode", l.mode);
      d.set("description", l.description);
      std::vector<std::string> timing;
      if (l.scroll_s) timing.push_back("auto-scroll every " + seconds(l.scroll_s));
      if (l.scroll_max_s) timing.push_back("scroll interval configurable " + std::to_string(l.scroll_min_s) + "–" + std::to_string(l.scroll_max_s) + " s");
      if (l.timeout_s) timing.push_back("back to the default list after " + seconds(l.timeout_s));
      if (l.duration_s) timing.push_back("lasts " + seconds(l.duration_s));
      if (l.activations) timing.push_back(std::to_string(l.activations) + " activations per outage");
      timing.push_back("at most " + std::to_string(l.max_items) + " items");
      if (!l.same_as.empty()) timing.push_back("shows the " + l.same_as + " list");
      d.set("timing", join(timing, "; "));
      list screens;
      int n = 0;
      for (const auto& item : m.display_lists[l.shows].items) {
        data s;
        s.set("svg", report::lcd_screen_svg(++n, item));
        std::string what = item.label;
        if (what.empty() && item.object) what = object_label(m.objects[*item.object]);
        if (what.empty()) what = item.special;
        if (item.object) what += " (" + format_obis(m.objects[*item.object].ln) + "/" + std::to_string(item.attribute) + ")";
        s.set("caption", what);
        screens.push_back(s);
      }
      d.set("screens", screens);
      d.set("count", std::to_string(n));
      lists.push_back(d);
    }
    v.set("display_lists", lists);
  }
  return render_html("report.html.mustache", v);
}

std::string emit_report_index(const std::vector<const Model*>& models) {
  data v;
  list rows;
  for (const Model* m : models) {
    data r;
    r.set("id", m->id);
    r.set("href", m->id + ".html");
    r.set("title", m->vendor + " " + m->name);
    r.set("description", m->description);
    r.set("objects", std::to_string(m->objects.size()));
    rows.push_back(r);
  }
  v.set("models", rows);
  v.set("version", METERGEN_VERSION);
  return render_html("report_index.html.mustache", v);
}

}  // namespace metergen
