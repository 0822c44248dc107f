// Section `event_logs`: each log is a profile of (clock, event code), with its
// code object, optional filter and event table.
#include "sections.hpp"
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
    log.events.push_back(std::move(ev));
  }
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
  finish_profile(ctx, pr, l, path);
  return pr;
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
    log.profile = m.profiles.size();
    m.profiles.push_back(log_profile(ctx, log, l, path));
    m.event_logs.push_back(std::move(log));
  });
}

}  // namespace metergen::sections
