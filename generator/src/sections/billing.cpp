// Sections `demand` and `billing`: how registers are averaged and when they are closed.
#include <algorithm>

#include "sections.hpp"

namespace metergen::sections {

namespace {

void check_demand(Context& ctx, const Demand& dm, const Node& d) {
  auto& diags = ctx.diags;
  const Node& periods = field_or(d, "number_of_periods");
  if (dm.method == "sliding" && std::uint64_t(dm.period_s) * std::uint64_t(dm.number_of_periods) > dm.max_window_s)
    diags.error(periods.mark.pos(), "demand.number_of_periods",
                "sliding window " + std::to_string(dm.period_s) + " s x " + std::to_string(dm.number_of_periods) + " = " +
                    std::to_string(dm.period_s * static_cast<std::uint32_t>(dm.number_of_periods)) +
                    " s is longer than " + std::to_string(dm.max_window_s) + " s",
                "period_s x number_of_periods <= " + std::to_string(dm.max_window_s) + " (HXF300 §7.1: 60 min)");
  if (dm.method == "block" && dm.number_of_periods != 1)
    diags.error(periods.mark.pos(), "demand.number_of_periods",
                "block demand with " + std::to_string(dm.number_of_periods) + " sub-periods", "1 for block demand");
  const auto& allowed = dm.allowed_periods_s;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), dm.period_s) == allowed.end())
    diags.error(field_or(d, "period_s").mark.pos(), "demand.period_s",
                "period " + std::to_string(dm.period_s) + " s is not among the allowed periods", "one of allowed_periods_s");
}

// A billing profile: a profile of this spec other than an event log.
std::optional<std::size_t> profile_ref(Context& ctx, const Node& n, const std::string& path) {
  const auto& profiles = ctx.model.profiles;
  for (std::size_t i = 0; i < profiles.size(); ++i)
    if (profiles[i].name == n.scalar && profiles[i].purpose != "event_log") return i;
  ctx.diags.error(n.mark.pos(), path, "unknown profile '" + n.scalar + "'", "a profile name of this spec");
  return std::nullopt;
}

}  // namespace

void build_demand(Context& ctx) {
  const Node* d = ctx.tree.find("demand");
  if (!d) return;
  Demand dm;
  dm.mark = d->mark;
  dm.method = text(*d, "method");
  dm.period_s = static_cast<std::uint32_t>(integer(*d, "period_s", 900));
  dm.number_of_periods = static_cast<int>(integer(*d, "number_of_periods", 1));
  for (auto v : integers(*d, "allowed_periods_s")) dm.allowed_periods_s.push_back(static_cast<std::uint32_t>(v));
  dm.max_window_s = static_cast<std::uint32_t>(integer(*d, "max_window_s", 3600));
  dm.recalculate_on = strings(*d, "recalculate_on");
  dm.reset = strings(*d, "reset");
  check_demand(ctx, dm, *d);
  ctx.model.demand = std::move(dm);
}

void add_billing_objects(Context& ctx) {
  const Node* bill = ctx.tree.find("billing");
  if (!bill) return;
  const auto schedule = ctx.add_implicit("end_of_billing_schedule", obis_or(bill, "schedule", "0.0.15.0.0.255"),
                                         "single_action_schedule", {"billing"}, bill->mark, "End of billing period",
                                         std::nullopt, "billing");
  if (schedule) ctx.pending()[*schedule].object.role = "billing_schedule";
  const auto script = ctx.add_implicit("mdi_reset_script_table", obis_or(bill, "script_table", "0.0.10.0.1.255"),
                                       "script_table", {"billing"}, bill->mark,
                                       "MDI reset / end of billing period script table", std::nullopt, "billing");
  if (script) ctx.pending()[*script].object.role = "md_reset_script";
}

void build_billing(Context& ctx) {
  const Node* b = ctx.tree.find("billing");
  if (!b) return;
  Billing& billing = ctx.model.billing;
  if (const Node* d = b->find("daily")) {
    billing.daily = true;
    billing.daily_minute = minutes_of(text(*d, "time"));
    if (const Node* p = d->find("profile")) billing.daily_profile = profile_ref(ctx, *p, "billing.daily.profile");
  }
  if (const Node* mo = b->find("monthly")) {
    billing.monthly = true;
    billing.monthly_day = static_cast<int>(integer(*mo, "day", 1));
    billing.monthly_minute = minutes_of(text(*mo, "time"));
    if (const Node* p = mo->find("profile")) billing.monthly_profile = profile_ref(ctx, *p, "billing.monthly.profile");
    billing.methods = strings(*mo, "methods");
    billing.lockout_s = static_cast<std::uint32_t>(integer(*mo, "lockout_s", 0));
    billing.button_hold_s = static_cast<int>(integer(*mo, "button_hold_s", 0));
    billing.catch_up = flag(*mo, "catch_up", false);
  }
}

}  // namespace metergen::sections
