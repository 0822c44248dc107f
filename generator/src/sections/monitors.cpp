// Section `register_monitors` (IC 21): thresholds on one object's value, each
// with the scripts run when the value crosses it (docs/events.md, Register
// monitors). The thresholds become the monitor object's default value (an
// array of the monitored value's type in the value pool), the scripts
// RegisterMonitorDef / MonitorActionDef rows.
#include <metergen/monitoring/register_monitors.hpp>

#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

constexpr int kScriptTableClass = 9;

// Scripts the runtime carries out per script-table role (the time engine's
// script_executed): 0 for a table whose scripts nothing runs.
int scripts_carried_out(const Context& ctx, const Object& table) {
  if (table.role == "tariff_script") return calendar_tariffs(ctx.tree);
  if (table.role == "md_reset_script") return 1;
  if (table.role == "push_script") return static_cast<int>(ctx.model.push_setups.size());
  return 0;
}

// `{script, selector}`: a script table object and one of the scripts the
// runtime carries out for it.
ScriptRef read_script(Context& ctx, const Node* ref, const std::string& path) {
  ScriptRef s;
  if (ref == nullptr) return s;
  const Node& table_node = *ref->find("script");
  auto table = ctx.resolve_one(table_node, path + ".script");
  if (!table) return s;
  const Object& t = ctx.model.objects[*table];
  s.selector = static_cast<int>(integer(*ref, "selector", 1));
  if (t.cls->id != kScriptTableClass) {
    ctx.diags.error(table_node.mark.pos(), path + ".script", "'" + t.name + "' is a " + t.cls->title + " object",
                    "a script_table (IC 9) object");
    return s;
  }
  const int scripts = scripts_carried_out(ctx, t);
  if (scripts == 0)
    ctx.diags.warning(table_node.mark.pos(), path + ".script",
                      "the runtime carries out no script of '" + t.name + "': the crossing changes nothing");
  else if (s.selector > scripts)
    ctx.diags.error(field_or(*ref, "selector").mark.pos(), path + ".selector",
                    "'" + t.name + "' has no script " + std::to_string(s.selector),
                    "1.." + std::to_string(scripts));
  s.table = table;
  return s;
}

// The thresholds attribute: array of the monitored value's type.
std::vector<std::uint8_t> encode_thresholds(const RegisterMonitor& r, cosem::DataType type) {
  std::vector<std::uint8_t> bytes = {static_cast<std::uint8_t>(cosem::DataType::array),
                                     static_cast<std::uint8_t>(r.thresholds.size())};
  for (const auto& t : r.thresholds) {
    Encoded e = encode_value(type, std::to_string(t.raw));
    bytes.insert(bytes.end(), e.bytes.begin(), e.bytes.end());
  }
  return bytes;
}

// Each threshold in the monitored value's unit, representable in its type.
void read_thresholds(Context& ctx, RegisterMonitor& r, const Node& list, const Object& watched,
                     const std::string& path) {
  if (list.items.size() > monitoring::kMaxThresholds)
    ctx.diags.error(list.mark.pos(), path + ".thresholds", std::to_string(list.items.size()) + " thresholds",
                    "at most " + std::to_string(monitoring::kMaxThresholds));
  for (std::size_t k = 0; k < list.items.size(); ++k) {
    const Node& t = list.items[k];
    const std::string tpath = path + ".thresholds[" + std::to_string(k) + "]";
    MonitorThreshold th;
    th.mark = t.mark;
    th.value = *scalar_number(*t.find("value"));
    th.raw = raw_in_scaler(th.value, watched.scaler);
    Encoded e = encode_value(*watched.type, std::to_string(th.raw));
    if (!e.problem.empty())
      ctx.diags.error(field_or(t, "value").mark.pos(), tpath + ".value",
                      "threshold " + t.find("value")->scalar + " does not fit '" + watched.name + "': " + e.problem,
                      e.expected);
    th.up = read_script(ctx, t.find("up"), tpath + ".up");
    th.down = read_script(ctx, t.find("down"), tpath + ".down");
    r.thresholds.push_back(th);
  }
}

}  // namespace

void add_register_monitor_objects(Context& ctx) {
  const Node* monitors = ctx.tree.find("register_monitors");
  if (!monitors) return;
  for (const auto& r : monitors->items) {
    std::vector<std::string> groups = {"monitor"};
    for (auto& g : strings(r, "groups")) groups.push_back(g);
    ctx.add_implicit(text(r, "name"), obis_of(text(r, "obis")), "register_monitor", groups, r.mark,
                     text(r, "description", "Register monitor"));
  }
}

void build_register_monitors(Context& ctx) {
  Model& m = ctx.model;
  for_each_item(ctx.tree, "register_monitors", "register_monitors", [&](const Node& n, const std::string& path) {
    RegisterMonitor r;
    r.mark = n.mark;
    r.name = text(n, "name");
    r.description = text(n, "description");
    r.object = ctx.object(r.name);
    const Node& ref = *n.find("monitored");
    auto monitored = ctx.resolve_one(ref, path + ".monitored");
    if (!monitored) return;
    r.monitored = *monitored;
    const Object& watched = m.objects[r.monitored];
    if (!watched.cls->has_value || !watched.type || !cosem::is_integer(*watched.type)) {
      ctx.diags.error(ref.mark.pos(), path + ".monitored", "'" + watched.name + "' has no integer value to monitor",
                      "a Data, Register or Demand register object with an integer value");
      return;
    }
    read_thresholds(ctx, r, *n.find("thresholds"), watched, path);
    const std::vector<std::uint8_t> value = encode_thresholds(r, *watched.type);
    Object& obj = m.objects[r.object];
    obj.value_offset = m.value_pool.size();
    obj.value_size = static_cast<int>(value.size());
    m.value_pool.insert(m.value_pool.end(), value.begin(), value.end());
    m.register_monitors.push_back(std::move(r));
  });
}

}  // namespace metergen::sections
