// Sections `disconnect_control` (IC 70) and `limiters` (IC 71).
#include <algorithm>

#include "sections.hpp"
#include "spec_schema.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

std::vector<std::string> with_groups(const char* first, const Node& section) {
  std::vector<std::string> groups = {first};
  for (auto& g : strings(section, "groups")) groups.push_back(g);
  return groups;
}

// IC 70 control modes 0..6; the default among the supported ones.
void check_modes(Context& ctx, const DisconnectControl& d, const Node& dc) {
  for (const auto& m : dc.find("supported_modes")->items)
    if (*scalar_int(m) > 6)
      ctx.diags.error(m.mark.pos(), "disconnect_control.supported_modes",
                      "control_mode " + std::to_string(*scalar_int(m)) + " does not exist", "modes 0..6 (IC 70)");
  const Node& dm = *dc.find("default_mode");
  if (d.default_mode > 6)
    ctx.diags.error(dm.mark.pos(), "disconnect_control.default_mode", "control_mode " + dm.scalar + " does not exist",
                    "modes 0..6 (IC 70)");
  else if (std::find(d.supported_modes.begin(), d.supported_modes.end(), d.default_mode) == d.supported_modes.end())
    ctx.diags.error(dm.mark.pos(), "disconnect_control.default_mode",
                    "control_mode " + dm.scalar + " is not among the supported modes", "one of supported_modes");
}

// A threshold as the monitored object holds it (its scaler applied); 0 when unset.
std::int64_t raw_threshold(std::optional<double> value, int scaler) { return value ? raw_in_scaler(*value, scaler) : 0; }

void read_limits(Limiter& lim, const Node& l) {
  if (const Node* t = l.find("threshold_normal")) lim.threshold_normal = *scalar_number(*t);
  if (const Node* t = l.find("threshold_emergency")) lim.threshold_emergency = *scalar_number(*t);
  lim.over_s = static_cast<std::uint32_t>(integer(l, "min_over_threshold_duration_s", 0));
  lim.under_s = static_cast<std::uint32_t>(integer(l, "min_under_threshold_duration_s", 0));
  lim.reconnect_delay_s = static_cast<std::uint32_t>(integer(l, "reconnect_delay_s", 0));
  lim.max_reconnects = static_cast<int>(integer(l, "max_reconnects", 0));
  lim.count_reset_s = static_cast<std::uint32_t>(integer(l, "reconnect_count_reset_s", 0));
  lim.final_state = text(l, "final_state", "disconnected");
}

// Tamper bits name local triggers; the filter object's default is their `enabled`.
void check_tamper_filter(Context& ctx, const DisconnectControl& d, const Node& dc) {
  const std::vector<std::string> known = local_triggers();
  const Node* list = dc.find("tamper_filter");
  int bits = 0;
  for (std::size_t i = 0; i < d.tamper_filter.size(); ++i) {
    const FilterBit& b = d.tamper_filter[i];
    bits = std::max(bits, b.bit + 1);
    if (b.trigger.empty() || std::find(known.begin(), known.end(), b.trigger) != known.end()) continue;
    const Node& at = field_or(list->items[i], "trigger");
    ctx.diags.error(at.mark.pos(), "disconnect_control.tamper_filter[" + std::to_string(i) + "].trigger",
                    "unknown local trigger '" + b.trigger + "'" + did_you_mean(b.trigger, known), join(known));
  }
  if (!d.tamper_filter_object) return;
  Object& f = ctx.model.objects[*d.tamper_filter_object];
  if (f.default_value) return;
  std::string value(static_cast<std::size_t>(bits), '0');
  for (const auto& b : d.tamper_filter)
    if (b.enabled) value[static_cast<std::size_t>(b.bit)] = '1';
  f.default_value = value;
  f.length = bits;
}

}  // namespace

void add_disconnect_objects(Context& ctx) {
  const Node* dc = ctx.tree.find("disconnect_control");
  if (!dc) return;
  auto groups = with_groups("disconnect", *dc);
  ctx.add_implicit("disconnect_control", obis_or(dc, "obis", "0.0.96.3.10.255"), "disconnect_control", groups, dc->mark,
                   text(*dc, "description", "Disconnect control"), std::nullopt, "relay");
  if (const Node* f = dc->find("tamper_filter_object"))
    ctx.add_implicit("tamper_disconnect_filter", obis_of(f->scalar), "data", groups, f->mark, "Tamper disconnect filter",
                     cosem::DataType::bit_string, "parameter");
}

void build_disconnect(Context& ctx) {
  const Node* dc = ctx.tree.find("disconnect_control");
  if (!dc) return;
  DisconnectControl d;
  d.mark = dc->mark;
  d.object = ctx.object("disconnect_control");
  d.description = text(*dc, "description");
  d.default_mode = static_cast<int>(integer(*dc, "default_mode", 0));
  d.local_triggers = strings(*dc, "local_triggers");
  d.manual_reconnect_hold_s = static_cast<int>(integer(*dc, "manual_reconnect_hold_s", 0));
  if (dc->find("tamper_filter_object")) d.tamper_filter_object = ctx.object("tamper_disconnect_filter");
  d.tamper_filter = ctx.filter_bits(dc->find("tamper_filter"));
  check_tamper_filter(ctx, d, *dc);
  for (const auto& m : dc->find("supported_modes")->items) d.supported_modes.push_back(static_cast<int>(*scalar_int(m)));
  check_modes(ctx, d, *dc);
  ctx.model.disconnect = std::move(d);
}

void add_limiter_objects(Context& ctx) {
  const Node* limiters = ctx.tree.find("limiters");
  if (!limiters) return;
  for (const auto& l : limiters->items)
    ctx.add_implicit(text(l, "name"), obis_or(&l, "obis", "0.0.17.0.0.255"), "limiter", with_groups("limiter", l), l.mark,
                     text(l, "description", "Limiter"), std::nullopt, "relay");
}

void build_limiters(Context& ctx) {
  Model& m = ctx.model;
  for_each_item(ctx.tree, "limiters", "limiters", [&](const Node& l, const std::string& path) {
    Limiter lim;
    lim.mark = l.mark;
    lim.name = text(l, "name");
    lim.description = text(l, "description");
    lim.object = ctx.object(lim.name);
    auto monitored = ctx.resolve_one(*l.find("monitored"), path + ".monitored");
    if (!monitored) return;
    lim.monitored = *monitored;
    const Object& watched = m.objects[lim.monitored];
    if (!watched.cls->has_value)
      ctx.diags.error(l.find("monitored")->mark.pos(), path + ".monitored", "'" + watched.name + "' has no value to monitor",
                      "a Data, Register or Demand register object");
    if (const Node* opts = l.find("monitored_options"))
      for (const auto& r : opts->items)
        for (auto o : ctx.resolve(r, path + ".monitored_options")) lim.monitored_options.push_back(o);
    read_limits(lim, l);
    lim.raw_normal = raw_threshold(lim.threshold_normal, watched.scaler);
    lim.raw_emergency = raw_threshold(lim.threshold_emergency, watched.scaler);
    // The limiter's value attribute holds the active threshold: the monitored value's type unless given.
    Object& obj = m.objects[lim.object];
    obj.type = watched.type;
    if (const Node* t = l.find("type")) obj.type = cosem::data_type_by_name(t->scalar);
    m.limiters.push_back(std::move(lim));
  });
}

}  // namespace metergen::sections
