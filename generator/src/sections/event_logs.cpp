// Sections `event_logs` and `detection`: each log is a profile of (clock,
// event code, extra columns), with its code object, optional filter and event
// table whose codes name the triggers that log them (event_triggers.hpp).
#include <algorithm>

#include "event_triggers.hpp"
#include "sections.hpp"
#include "spec_schema.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

void read_code_range(Context& ctx, EventLog& log, const Node& l, const std::string& path) {
  const Node* r = l.find("code_range");
  if (!r) return;
  auto v = integers(l, "code_range");
  if (v.size() != 2 || v[0] > v[1]) {
    ctx.diags.error(r->mark.pos(), path + ".code_range", "code range is not [min, max]", "two codes, min <= max");
    return;
  }
  log.code_min = static_cast<int>(v[0]);
  log.code_max = static_cast<int>(v[1]);
}

// Codes without a trigger are logged by nothing: one warning per log names
// them all (at the first), so a spec with many such codes stays readable.
void warn_untriggered(Context& ctx, const EventLog& log, const std::string& path) {
  std::vector<const Event*> none;
  std::size_t first = 0;
  for (std::size_t k = 0; k < log.events.size(); ++k)
    if (log.events[k].trigger.empty()) {
      if (none.empty()) first = k;
      none.push_back(&log.events[k]);
    }
  if (none.empty()) return;
  auto named = [](const Event& ev) { return std::to_string(ev.code) + " '" + ev.name + "'"; };
  if (none.size() == 1) {
    ctx.diags.warning(none[0]->mark.pos(), path + ".events[" + std::to_string(first) + "]",
                      "event " + named(*none[0]) + " of " + log.name + " has no trigger: nothing will log it",
                      "a trigger from docs/events.md");
    return;
  }
  std::string list;
  for (const Event* ev : none) list += (list.empty() ? "" : ", ") + named(*ev) + " (line " + std::to_string(ev->mark.line) + ")";
  ctx.diags.warning(none[0]->mark.pos(), path,
                    std::to_string(none.size()) + " events of " + log.name + " have no trigger, nothing will log them: " + list,
                    "a trigger from docs/events.md");
}

// `trigger` and its qualifiers (none: see warn_untriggered).
void read_trigger(Context& ctx, Event& ev, const Node& e, const std::string& path) {
  ev.trigger = text(e, "trigger");
  if (ev.trigger.empty()) return;
  const events::TriggerInfo& t = *events::find_trigger(ev.trigger);  // the schema checked the name
  ev.end = text(e, "edge", "start") == "end";
  auto misplaced = [&](const char* key, const std::string& why) {
    if (const Node* n = e.find(key)) ctx.diags.error(n->mark.pos(), path + "." + key, why, "");
  };
  if (!t.condition) misplaced("edge", "'" + ev.trigger + "' is an instant: it has no start or end");
  if (t.qualifier != events::Qualifier::phase) misplaced("phase", "'" + ev.trigger + "' is not per phase");
  if (t.qualifier != events::Qualifier::object) misplaced("object", "'" + ev.trigger + "' takes no object");
  if (t.qualifier != events::Qualifier::cause) misplaced("cause", "'" + ev.trigger + "' takes no cause");
  if (const Node* n = e.find("phase")) {
    ev.qualifier = static_cast<int>(*scalar_int(*n));
    if (ev.qualifier > ctx.model.phases)
      ctx.diags.error(n->mark.pos(), path + ".phase", "phase " + n->scalar + " on a " +
                      std::to_string(ctx.model.phases) + "-phase meter", "1.." + std::to_string(ctx.model.phases));
  }
  if (const Node* n = e.find("object")) ev.object = ctx.resolve_one(*n, path + ".object");
  auto register_bit = [&](const char* key, const char* role) -> std::optional<int> {
    const Node* n = e.find(key);
    if (!n) return std::nullopt;
    const bool present = std::any_of(ctx.model.objects.begin(), ctx.model.objects.end(),
                                     [&](const Object& o) { return o.role == role; });
    if (!present)
      ctx.diags.error(n->mark.pos(), path + "." + key, std::string("the model has no object with role ") + role,
                      std::string("an object with role: ") + role + " (the catalogue's " + role + ")");
    return static_cast<int>(*scalar_int(*n));
  };
  ev.alarm_bit = register_bit("alarm", "alarm_register");
  ev.error_bit = register_bit("error", "error_register");
  if (const Node* n = e.find("cause")) {
    if (auto c = events::relay_cause(n->scalar, local_triggers())) ev.qualifier = *c;
    else
      ctx.diags.error(n->mark.pos(), path + ".cause", "unknown relay cause '" + n->scalar + "'",
                      "remote, manual, local or " + join(local_triggers()));
  }
}

void read_events(Context& ctx, EventLog& log, const Node& l, const std::string& path) {
  const Node* events = l.find("events");
  if (!events) return;
  bool log_default = flag(l, "log_by_default", true), push_default = flag(l, "push_by_default", false);
  std::map<int, const Node*> codes;
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
      ctx.diags.error(code_node.mark.pos(), epath + ".code",
                      "duplicate event code " + std::to_string(ev.code) + " ('" + text(*it->second, "name") +
                          "' at line " + std::to_string(it->second->mark.line) + ")",
                      "each code once per log");
    if (ev.code < log.code_min || ev.code > log.code_max)
      ctx.diags.error(code_node.mark.pos(), epath + ".code",
                      "event code " + std::to_string(ev.code) + " outside the declared range",
                      std::to_string(log.code_min) + ".." + std::to_string(log.code_max));
    read_trigger(ctx, ev, e, epath);
    log.events.push_back(std::move(ev));
  }
  warn_untriggered(ctx, log, path);
}

// The log itself is a profile capturing the clock time and the event code.
Profile log_profile(Context& ctx, const EventLog& log, const Node& l, const std::string& path) {
  Profile pr;
  pr.mark = l.mark;
  pr.object = log.log_object;
  pr.name = log.name;
  pr.description = log.description;
  pr.purpose = "event_log";
  pr.entries = log.capacity;
  pr.selective_access = {"range", "entry"};
  if (const Node* s = l.find("storage_bytes")) pr.storage_bytes = static_cast<std::uint64_t>(*scalar_int(*s));
  CaptureSeen seen;
  add_capture(ctx, pr, ctx.model.clock.object, 2, 0, l.mark, path, seen);
  add_capture(ctx, pr, log.code_object, 2, 0, l.mark, path, seen);
  for_each_item(l, "capture", path + ".capture", [&](const Node& c, const std::string& cpath) {
    if (auto o = ctx.resolve_one(c, cpath)) add_capture(ctx, pr, *o, 2, 0, c.mark, cpath, seen);
  });
  finish_profile(ctx, pr, l, path);
  return pr;
}

// The filter's bit-string: bits 2k and 2k + 1 log and push the k-th event as
// listed (DTSD545 §5.2.9 gives a log bit and a push bit per event, not their
// order); its default is each event's `log` and `push`.
void default_filter(Context& ctx, const EventLog& log) {
  Object& f = ctx.model.objects[*log.filter_object];
  if (f.default_value) return;
  std::string bits;
  for (const auto& ev : log.events) bits += std::string(ev.log ? "1" : "0") + (ev.push ? "1" : "0");
  f.default_value = bits;
  f.length = static_cast<int>(bits.size());
}

}  // namespace

void add_event_log_objects(Context& ctx) {
  const Node* logs = ctx.tree.find("event_logs");
  if (!logs) return;
  for (const auto& l : logs->items) {
    std::string name = text(l, "name");
    std::vector<std::string> groups = {"event_log"};
    for (auto& g : strings(l, "groups")) groups.push_back(g);
    ctx.add_implicit(name, obis_of(text(l, "log")), "profile_generic", groups, field_or(l, "log").mark,
                     text(l, "description", "Event log"));
    ctx.add_implicit(name + "_code", obis_of(text(l, "code_object")), "data", groups, field_or(l, "code_object").mark,
                     "Event code of " + name, cosem::DataType::long_unsigned, "event");
    if (const Node* f = l.find("filter_object"))
      ctx.add_implicit(name + "_filter", obis_of(f->scalar), "data", groups, f->mark, "Log/push filter of " + name,
                       cosem::DataType::bit_string, "parameter");
  }
}

void build_event_logs(Context& ctx) {
  Model& m = ctx.model;
  for_each_item(ctx.tree, "event_logs", "event_logs", [&](const Node& l, const std::string& path) {
    EventLog log;
    log.mark = l.mark;
    log.name = text(l, "name");
    log.description = text(l, "description");
    log.log_object = ctx.object(log.name);
    log.code_object = ctx.object(log.name + "_code");
    if (l.find("filter_object")) log.filter_object = ctx.object(log.name + "_filter");
    log.capacity = static_cast<std::uint32_t>(integer(l, "capacity", 1));
    read_code_range(ctx, log, l, path);
    read_events(ctx, log, l, path);
    if (log.filter_object) default_filter(ctx, log);
    log.profile = m.profiles.size();
    m.profiles.push_back(log_profile(ctx, log, l, path));
    m.event_logs.push_back(std::move(log));
  });
}

}  // namespace metergen::sections

namespace metergen::sections {

namespace {

// The DLMS unit a detection object must declare, -1 when any (or none) will do.
int unit_of(events::LevelUnit u) {
  switch (u) {
    case events::LevelUnit::volt: return 35;
    case events::LevelUnit::ampere: return 33;
    case events::LevelUnit::watt: return 27;
    case events::LevelUnit::percent: return 56;
    default: return -1;
  }
}

// A level (or duration) object: an integer value in the trigger's unit (or in seconds).
std::optional<std::size_t> detection_object(Context& ctx, const Node& d, const char* key, const std::string& path,
                                            int unit) {
  const Node* n = d.find(key);
  if (!n) return std::nullopt;
  auto o = ctx.resolve_one(*n, path + "." + key);
  if (!o) return o;
  const Object& obj = ctx.model.objects[*o];
  if (!cosem::is_integer(obj.type.value_or(cosem::DataType::null_data)))
    ctx.diags.error(n->mark.pos(), path + "." + key, "'" + obj.name + "' has no integer value",
                    "a Data or Register object of an integer type");
  else if (unit >= 0 && obj.unit >= 0 && obj.unit != unit)
    ctx.diags.error(n->mark.pos(), path + "." + key,
                    "'" + obj.name + "' is in " + cosem::unit_name(obj.unit) + ", not " + cosem::unit_name(unit),
                    std::string("an object in ") + cosem::unit_name(unit));
  return o;
}

// Every trigger that needs a level has one.
void check_levels(Context& ctx) {
  for (const auto& log : ctx.model.event_logs)
    for (const auto& ev : log.events) {
      const events::TriggerInfo* t = ev.trigger.empty() ? nullptr : events::find_trigger(ev.trigger);
      if (!t || !t->needs_level) continue;
      auto d = std::find_if(ctx.model.detection.begin(), ctx.model.detection.end(),
                            [&](const Detection& x) { return x.trigger == ev.trigger; });
      if (d == ctx.model.detection.end() || (!d->level && !d->level_object))
        ctx.diags.error(ev.mark.pos(), "event_logs." + log.name,
                        "event " + std::to_string(ev.code) + " is triggered by '" + ev.trigger +
                            "', which needs a level",
                        "detection." + ev.trigger + ".level or .level_object");
    }
}

// Objects with source counter.<x> count the starts of the trigger x names.
void bind_counters(Context& ctx) {
  for (std::size_t i = 0; i < ctx.model.objects.size(); ++i) {
    const Object& o = ctx.model.objects[i];
    if (o.source_kind != "counter" || o.source_quantity == "operating_time") continue;
    if (auto t = events::counted_trigger(o.source_quantity))
      ctx.model.event_counters.push_back({i, t->trigger, t->phase});
    else
      ctx.diags.warning(o.mark.pos(), "objects." + o.name,
                        "counter '" + o.source_quantity + "' is counted by nothing: its value stays at its default",
                        "a counter of docs/events.md");
  }
}

}  // namespace

void build_detection(Context& ctx) {
  if (const Node* section = ctx.tree.find("detection")) {
    for (const auto& entry : section->entries) {
      const std::string& name = entry.key;
      const Node& d = *entry.value;
      const std::string path = "detection." + name;
      Detection det;
      det.trigger = name;
      det.mark = d.mark;
      if (const Node* n = d.find("level")) det.level = scalar_number(*n);
      if (const Node* n = d.find("restore")) det.restore = scalar_number(*n);
      det.for_s = static_cast<std::uint32_t>(integer(d, "for_s", 0));
      const events::TriggerInfo* info = events::find_trigger(name);
      det.level_object = detection_object(ctx, d, "level_object", path, info ? unit_of(info->unit) : -1);
      det.for_object = detection_object(ctx, d, "for_object", path, 7);  // s
      ctx.model.detection.push_back(std::move(det));
    }
    std::sort(ctx.model.detection.begin(), ctx.model.detection.end(),
              [](const Detection& a, const Detection& b) { return a.trigger < b.trigger; });
  }
  check_levels(ctx);
  bind_counters(ctx);
}

}  // namespace metergen::sections
