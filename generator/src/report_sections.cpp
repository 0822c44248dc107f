// The report's sections for demand, billing, push setups and register
// monitors: what the spec says about each, worded for a reader of the manual
// (docs/demand.md, docs/time.md, docs/events.md say what the meter does).
#include <algorithm>
#include <optional>

#include "report_view.hpp"

namespace metergen::report {

namespace {

constexpr int kFirstHistoricalF = 101, kLastHistoricalF = 125;  // docs/time.md, Billing

std::optional<std::size_t> object_with_role(const Model& m, const std::string& role) {
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    if (m.objects[i].role == role) return i;
  return std::nullopt;
}

std::string labelled(const Model& m, std::size_t object) {
  return object_label(m.objects[object]) + " (" + obis(m, object) + ")";
}

// The first object with `role` as "label (OBIS)", empty when the model has none.
std::string labelled_role(const Model& m, const std::string& role) {
  auto o = object_with_role(m, role);
  return o ? labelled(m, *o) : "";
}

std::string unit_name(const Object& o) {
  return o.unit < 0 || o.unit == 255 ? "" : std::string(" ") + cosem::unit_name(o.unit);
}

// "60–3600 s in steps of 60 s" for three or more evenly spaced periods, else the list.
std::string periods_text(const std::vector<std::uint32_t>& p) {
  if (p.empty()) return "any";
  const std::int64_t step = std::int64_t(p.size() > 1 ? p[1] : 0) - p[0];
  bool even = p.size() >= 3 && step > 0;
  for (std::size_t i = 2; even && i < p.size(); ++i) even = std::int64_t(p[i]) - p[i - 1] == step;
  if (even) return std::to_string(p.front()) + "–" + std::to_string(p.back()) + " s in steps of " + std::to_string(step) + " s";
  return join(p, ", ", [](std::uint32_t s) { return std::to_string(s); }) + " s";
}

// An object's row: OBIS, name, class and unit.
data register_row(const Model& m, std::size_t i) {
  const Object& o = m.objects[i];
  data r;
  r.set("obis", obis(m, i));
  r.set("name", object_label(o));
  r.set("ic", class_of(o));
  r.set("unit", unit_of(o));
  return r;
}

// The rows of the objects `keep` takes, in the order of the object list.
template <typename Keep>
list register_rows(const Model& m, Keep&& keep) {
  list out;
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    if (keep(m.objects[i])) out.push_back(register_row(m, i));
  return out;
}

// What script `s` of its script table does in this meter (the time engine's script_executed).
std::string script_text(const Model& m, const ScriptRef& s) {
  if (!s.table) return "–";
  const Object& t = m.objects[*s.table];
  std::string what = "nothing the meter carries out";
  if (t.role == "md_reset_script") what = "end of billing period";
  if (t.role == "tariff_script") what = "tariff T" + std::to_string(s.selector);
  if (t.role == "push_script" && s.selector >= 1 && std::size_t(s.selector) <= m.push_setups.size())
    what = "push by " + labelled(m, m.push_setups[s.selector - 1].object);
  return t.name + " script " + std::to_string(s.selector) + ": " + what;
}

Facts push_facts(const Model& m, const PushSetup& ps) {
  std::string protection = "plain";
  if (ps.association) {
    const Association& a = m.associations[*ps.association];
    std::vector<std::string> response;  // "authenticated", "encrypted"
    for (const auto& p : a.security_policy)
      if (p == "authenticated_response" || p == "encrypted_response") response.push_back(p.substr(0, p.find('_')));
    protection = response.empty() ? "plain (association " + a.name + " protects no response)"
                                  : "general-glo-ciphering with the keys of association " + a.name + ", " + join(response, " and ");
  }
  Facts facts;
  facts.add("Destination", ps.destination.empty() ? "none (a push is not sent)" : ps.destination)
      .add("Method", "DataNotification over TCP (wrapper), A-XDR, to wPort " + std::to_string(ps.client_sap))
      .add("Protection", protection)
      .add("Communication windows", "none: pushes at any time")
      .add("Randomisation start interval", std::to_string(ps.randomisation_s) + " s")
      .add("Retries", std::to_string(ps.retries))
      .add("Repetition delay", std::to_string(ps.repetition_delay_s) + " s");
  return facts;
}

// Events and alarms push by the first push setup (docs/events.md, What an event does).
std::vector<std::string> event_push_triggers(const Model& m) {
  std::vector<std::string> triggers, alarms;
  for (const auto& l : m.event_logs) {
    std::vector<std::string> pushed;
    for (const auto& e : l.events) {
      if (e.push) pushed.push_back(std::to_string(e.code) + " " + e.name);
      if (e.alarm_bit) alarms.push_back(e.name + " (bit " + std::to_string(*e.alarm_bit) + ")");
    }
    if (l.filter_object)
      triggers.push_back("events of " + l.name + " whose push bit is set in its filter " + labelled(m, *l.filter_object) +
                         " (by default: " + (pushed.empty() ? "none" : join(pushed)) + ")");
    else if (!pushed.empty())
      triggers.push_back("events of " + l.name + ": " + join(pushed));
  }
  const std::string alarm_register = labelled_role(m, "alarm_register");
  const std::string alarm_filter = labelled_role(m, "alarm_filter");
  if (!alarms.empty() && !alarm_register.empty())
    triggers.push_back("a new bit in " + alarm_register + (alarm_filter.empty() ? "" : " that " + alarm_filter + " lets through") +
                       ": " + join(alarms));
  return triggers;
}

// What requests a push by the k-th push setup: events (the first only), register
// monitors' crossings and a client's execute of its push script.
std::vector<std::string> push_triggers(const Model& m, std::size_t k) {
  std::vector<std::string> triggers;
  if (k == 0) triggers = event_push_triggers(m);
  auto pushes = [&](const ScriptRef& s) {
    return s.table && m.objects[*s.table].role == "push_script" && std::size_t(s.selector) == k + 1;
  };
  for (const auto& r : m.register_monitors) {
    const std::string watched = "register monitor " + r.name + ": " + object_label(m.objects[r.monitored]);
    for (const auto& th : r.thresholds) {
      const std::string value = num(th.value) + unit_name(m.objects[r.monitored]);
      if (pushes(th.up)) triggers.push_back(watched + " rises above " + value);
      if (pushes(th.down)) triggers.push_back(watched + " falls back to " + value + " or below");
    }
  }
  if (auto script = object_with_role(m, "push_script"))
    triggers.push_back("a client executing script " + std::to_string(k + 1) + " of " + labelled(m, *script));
  return triggers;
}

}  // namespace

void add_demand(const Model& m, const Changes& changes, data& view) {
  if (!m.demand) return;
  const Demand& d = *m.demand;
  const std::uint64_t window = std::uint64_t(d.period_s) * std::uint64_t(d.number_of_periods);
  Facts facts;
  facts.add("Method", d.method)
      .add("Sub-period", seconds(d.period_s))
      .add("Number of periods", std::to_string(d.number_of_periods))
      .add("Window", std::to_string(d.number_of_periods) + " × " + seconds(d.period_s) + " = " + seconds(window))
      .add("Allowed sub-periods", periods_text(d.allowed_periods_s))
      .add("Longest window", seconds(d.max_window_s))
      .add("Window restarts on", join(d.recalculate_on))
      .add("Maximum demand reset by", join(d.reset));
  data v = section_of(row_class(changes, "demand"), facts);
  auto rows = [&](const char* kind) { return register_rows(m, [&](const Object& o) { return o.source_kind == kind; }); };
  v.set("demand_registers", rows("demand"));
  v.set("max_demand_registers", rows("max_demand"));
  view.set("demand", v);
}

void add_billing(const Model& m, const Changes& changes, data& view) {
  const Billing& b = m.billing;
  if (!b.daily && !b.monthly) return;
  auto period = [&](const std::string& name, const std::string& when, const std::string& by,
                    const std::optional<std::size_t>& profile) {
    data r;
    r.set("period", name);
    r.set("when", when);
    r.set("by", by.empty() ? "–" : by);
    if (profile) {
      const Profile& p = m.profiles[*profile];
      r.set("profile", p.name);
      r.set("obis", obis(m, p.object));
      r.set("frozen", std::to_string(p.capture.size()) + " values, " + std::to_string(p.entries) + " entries");
    } else {
      r.set("frozen", "no profile");
    }
    return r;
  };
  list periods;
  if (b.monthly)
    periods.push_back(period("end of billing period", "day " + std::to_string(b.monthly_day) + " of each month, " +
                                                          hhmm(b.monthly_minute),
                             join(b.methods), b.monthly_profile));
  if (b.daily) periods.push_back(period("daily freeze", "every day, " + hhmm(b.daily_minute), "automatic", b.daily_profile));

  Facts facts;
  facts.add("Schedule", labelled_role(m, "billing_schedule"))
      .add("Billing script table", labelled_role(m, "md_reset_script"))
      .add("Billing period counter", labelled_role(m, "billing_counter"));
  if (b.monthly) {
    const std::string lockout = labelled_role(m, "billing_lockout");
    facts.add("Lock-out of command and button billing",
              seconds(b.lockout_s) + (lockout.empty() ? "" : ", a client may set " + lockout));
    if (b.button_hold_s) facts.add("Billing button", "held " + seconds(b.button_hold_s));
    facts.add("A billing time missed during an outage or before a clock set",
              b.catch_up ? "billed once at power-up or at the clock set" : "skipped");
  }
  if (std::any_of(m.objects.begin(), m.objects.end(), [](const Object& o) { return o.source_kind == "max_demand"; }))
    facts.add("Maximum demand", "reset at each end of billing period");
  data v = section_of(row_class(changes, "billing"), facts);
  v.set("periods", periods);
  list historical = register_rows(m, [](const Object& o) {
    return o.source_kind == "billing" && o.ln[5] >= kFirstHistoricalF && o.ln[5] <= kLastHistoricalF;
  });
  v.set("has_historical", !historical.empty());
  v.set("historical", historical);
  view.set("billing", v);
}

void add_push_setups(const Model& m, const Changes& changes, data& view) {
  if (m.push_setups.empty()) return;
  list setups;
  for (std::size_t k = 0; k < m.push_setups.size(); ++k) {
    const PushSetup& ps = m.push_setups[k];
    const Object& o = m.objects[ps.object];
    const std::vector<std::string> triggers = push_triggers(m, k);
    data d = section_of(row_class(changes, "push setup " + o.name), push_facts(m, ps));
    d.set("name", object_label(o));
    d.set("obis", obis(m, ps.object));
    d.set("triggers", rows_of(triggers, [](const std::string& t) {
            data r;
            r.set("text", t);
            return r;
          }));
    d.set("untriggered", triggers.empty());
    int n = 0;
    d.set("objects", rows_of(ps.objects, [&](const Capture& c) {
            data r = register_row(m, c.object);
            r.set("n", std::to_string(++n));
            r.set("attribute", std::to_string(c.attribute));
            return r;
          }));
    setups.push_back(d);
  }
  data push;
  push.set("setups", setups);
  view.set("push", push);
}

void add_register_monitors(const Model& m, const Changes& changes, data& view) {
  if (m.register_monitors.empty()) return;
  data monitors;
  monitors.set("register_monitors", rows_of(m.register_monitors, [&](const RegisterMonitor& r) {
             const Object& watched = m.objects[r.monitored];
             Facts facts;
             facts.add("Monitored value", labelled(m, r.monitored));
             if (!r.description.empty()) facts.add("Description", r.description);
             data d = section_of(row_class(changes, "register monitor " + r.name), facts);
             d.set("name", r.name);
             d.set("obis", obis(m, r.object));
             int n = 0;
             d.set("thresholds", rows_of(r.thresholds, [&](const MonitorThreshold& t) {
                     data row;
                     row.set("n", std::to_string(++n));
                     row.set("value", num(t.value) + unit_name(watched));
                     row.set("up", script_text(m, t.up));
                     row.set("down", script_text(m, t.down));
                     return row;
                   }));
             return d;
           }));
  view.set("monitors", monitors);
}

}  // namespace metergen::report
