// The spec sections: each reads its part of the located tree, checks it and
// produces its part of the typed model. build_model.cpp runs them in a fixed
// order (diagnostics come out in that order). A section that implies objects
// (the clock, an association, a profile...) adds them in `add_*_objects`, which
// runs before the objects are final; its `build_*` runs after, when references
// resolve to indexes into Model::objects. docs/generator.md says where a new
// section or check goes.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "context.hpp"

namespace metergen::sections {

// model: identity; logical device name and firmware identifiers as objects.
void build_identity(Context& ctx);
void add_identity_objects(Context& ctx);

// hardware: phases, networks, ratings, meter constants, accuracy; the metering
// facts the firmware tables carry (Model::metering).
void build_hardware(Context& ctx);
// The tightest of the listed accuracy classes ("" when none is listed).
std::string tightest_class(const std::vector<std::string>& classes);
// IEC 62053-21/22 starting current when the spec gives none: 0.4 % of Ib for
// direct connection, 0.1 % of In via transformers.
double starting_current_a(const Model& m);

// objects: see objects.hpp (catalogs, declarations, `remove`, ordering, layout).

// clock: time zone, clock base, status bits, DST rules and their span.
void add_clock_objects(Context& ctx);
void build_clock(Context& ctx);
// Civil date helpers (proleptic Gregorian), exposed for tests.
long long days_from_civil(int y, int m, int d);
int weekday_of(int y, int m, int d);  // 1 = Monday .. 7 = Sunday
// Date of a DST rule in year y as minutes since 1970-01-01 (local time).
long long dst_rule_minutes(const DstRule& r, int year);

// associations: clients, their security and access rights per object.
void add_association_objects(Context& ctx);
void build_associations(Context& ctx);

// profiles: capture lists, sizes, storage.
void add_profile_objects(Context& ctx);
void build_profiles(Context& ctx);
// Warnings once the model is built: captured values every reader of a buffer may read.
void check_capture_readability(const Model& model, Diagnostics& diags);
// Warnings once the model is built: readable attributes nothing gives a value (value_sources.cpp).
void check_value_sources(const Model& model, Diagnostics& diags);
// Shared with event logs, whose logs are profiles too.
using CaptureSeen = std::map<std::tuple<std::size_t, int, int>, Mark>;
void add_capture(Context& ctx, Profile& pr, std::size_t object, int attribute, int data_index, const Mark& mark,
                 const std::string& path, CaptureSeen& seen);
void finish_profile(Context& ctx, Profile& pr, const Node& p, const std::string& path);

// event_logs: logs, code objects, filters, event tables.
void add_event_log_objects(Context& ctx);
void build_event_logs(Context& ctx);
// After build_event_logs: `detection`, levels the triggers need, counters.
void build_detection(Context& ctx);

// disconnect_control and limiters.
void add_disconnect_objects(Context& ctx);
void build_disconnect(Context& ctx);
void add_limiter_objects(Context& ctx);
void build_limiters(Context& ctx);

// register_monitors: thresholds on a value and the scripts run when it crosses them.
void add_register_monitor_objects(Context& ctx);
void build_register_monitors(Context& ctx);

// push_setups: destination, protection, object list and retries of IC 40 objects.
void build_push_setups(Context& ctx);

// demand, billing and calendar.
void build_demand(Context& ctx);
void add_billing_objects(Context& ctx);
void build_billing(Context& ctx);
void add_calendar_objects(Context& ctx);
void build_calendar(Context& ctx);
// Tariffs the calendar declares (1 without a calendar); objects check their registers against it.
int calendar_tariffs(const Node& tree);

// prepayment: the account, its credits, charge and token gateway, friendly hours, STS key data.
void build_prepayment(Context& ctx);
// display: lists, items and their LCD codes.
void build_display(Context& ctx);

}  // namespace metergen::sections
