// Semantic checks on the typed model (and the few that need rule arithmetic
// while building it): DST spans, calendar limits, readability of captured data.
#pragma once

#include "diag.hpp"
#include "model.hpp"

namespace metergen {

// HXF300 §15.1.2: one DST span may not exceed 10 months nor be shorter than 1 day.
void check_dst_span(const Clock& clock, const Node& dst_node, Diagnostics& diags);
// Calendar counts against the declared maxima.
void check_calendar_limits(const Calendar& cal, const Node& cal_node, Diagnostics& diags);
// Whole-model checks run after building (warnings about access consistency).
void check_model(const Model& model, Diagnostics& diags);

// Civil date helpers (proleptic Gregorian), exposed for tests.
long long days_from_civil(int y, int m, int d);
int weekday_of(int y, int m, int d);  // 1 = Monday .. 7 = Sunday
// Date of a DST rule in year y as minutes since 1970-01-01 (local time).
long long dst_rule_minutes(const DstRule& r, int year);

}  // namespace metergen
