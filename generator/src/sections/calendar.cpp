// Section `calendar`: tariffs, day/week profiles, seasons, special days and
// their counts against the declared limits.
#include <algorithm>

#include <metergen/cosem/calendar.hpp>

#include "sections.hpp"

namespace metergen::sections {

namespace {

template <class T>
std::optional<std::size_t> index_of(const std::vector<T>& v, const std::string& name) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i].name == name) return i;
  return std::nullopt;
}

void read_limits(Calendar& cal, const Node& c) {
  const Node* lim = c.find("limits");
  if (!lim) return;
  cal.max_tariffs = static_cast<int>(integer(*lim, "tariffs", 0));
  cal.max_seasons = static_cast<int>(integer(*lim, "seasons", 0));
  cal.max_week_profiles = static_cast<int>(integer(*lim, "week_profiles", 0));
  cal.max_day_profiles = static_cast<int>(integer(*lim, "day_profiles", 0));
  cal.max_switchings = static_cast<int>(integer(*lim, "switchings_per_day", 0));
  cal.max_special_days = static_cast<int>(integer(*lim, "special_days", 0));
}

void read_days(Context& ctx, Calendar& cal, const Node& c) {
  const Node* days = c.find("days");
  if (!days) return;
  for (const auto& d : days->items) {
    Calendar::Day day{text(d, "name"), {}};
    for (const auto& s : d.find("switchings")->items) {
      Switching sw{minutes_of(text(s, "time")), static_cast<int>(integer(s, "tariff", 1))};
      if (sw.tariff > cal.tariffs)
        ctx.diags.error(field_or(s, "tariff").mark.pos(), "calendar.days[" + day.name + "].switchings",
                        "tariff " + std::to_string(sw.tariff) + " beyond the tariff count",
                        "1.." + std::to_string(cal.tariffs));
      day.switchings.push_back(sw);
    }
    cal.days.push_back(std::move(day));
  }
}

void read_weeks(Context& ctx, Calendar& cal, const Node& c) {
  const Node* weeks = c.find("weeks");
  if (!weeks) return;
  for (const auto& w : weeks->items) {
    Calendar::Week week{text(w, "name"), {}};
    std::string path = "calendar.weeks[" + week.name + "].days";
    const Node& days = *w.find("days");
    if (days.items.size() != 7)
      ctx.diags.error(days.mark.pos(), path, std::to_string(days.items.size()) + " day profiles", "7, Monday to Sunday");
    for (const auto& d : days.items) {
      auto idx = index_of(cal.days, d.scalar);
      if (!idx) ctx.diags.error(d.mark.pos(), path, "unknown day profile '" + d.scalar + "'", "a name from calendar.days");
      else week.days.push_back(*idx);
    }
    cal.weeks.push_back(std::move(week));
  }
}

// "MM-DD" dates of seasons and special days.
std::pair<int, int> month_day(const std::string& date) { return {std::stoi(date.substr(0, 2)), std::stoi(date.substr(3, 2))}; }

void read_seasons(Context& ctx, Calendar& cal, const Node& c) {
  const Node* seasons = c.find("seasons");
  if (!seasons) return;
  for (const auto& s : seasons->items) {
    Calendar::Season season;
    season.name = text(s, "name");
    std::tie(season.month, season.day) = month_day(text(s, "start"));
    auto idx = index_of(cal.weeks, text(s, "week"));
    if (!idx)
      ctx.diags.error(field_or(s, "week").mark.pos(), "calendar.seasons[" + season.name + "].week",
                      "unknown week profile '" + text(s, "week") + "'", "a name from calendar.weeks");
    else season.week = *idx;
    cal.seasons.push_back(season);
  }
}

void read_special_days(Context& ctx, Calendar& cal, const Node& c) {
  const Node* specials = c.find("special_days");
  if (!specials) return;
  for (const auto& s : specials->items) {
    Calendar::Special sp;
    // "MM-DD" every year, "YYYY-MM-DD" that year only.
    const std::string date = text(s, "date");
    if (date.size() == 10) {
      sp.year = std::stoi(date.substr(0, 4));
      std::tie(sp.month, sp.day) = month_day(date.substr(5));
    } else {
      std::tie(sp.month, sp.day) = month_day(date);
    }
    sp.name = text(s, "name");
    auto idx = index_of(cal.days, text(s, "day"));
    if (!idx)
      ctx.diags.error(field_or(s, "day").mark.pos(), "calendar.special_days",
                      "unknown day profile '" + text(s, "day") + "'", "a name from calendar.days");
    else sp.day_profile = *idx;
    cal.special_days.push_back(sp);
  }
}

// Calendar counts against the declared maxima.
void check_calendar_limits(const Calendar& cal, const Node& cal_node, Diagnostics& diags) {
  struct Count { const char* what; const char* key; std::size_t have; int max; };
  std::size_t most_switchings = 0;
  for (const auto& d : cal.days) most_switchings = std::max(most_switchings, d.switchings.size());
  const Count counts[] = {
      {"tariffs", "tariffs", static_cast<std::size_t>(cal.tariffs), cal.max_tariffs},
      {"seasons", "seasons", cal.seasons.size(), cal.max_seasons},
      {"week profiles", "weeks", cal.weeks.size(), cal.max_week_profiles},
      {"day profiles", "days", cal.days.size(), cal.max_day_profiles},
      {"switchings in one day profile", "days", most_switchings, cal.max_switchings},
      {"special days", "special_days", cal.special_days.size(), cal.max_special_days},
  };
  for (const auto& c : counts) {
    if (c.max <= 0 || c.have <= static_cast<std::size_t>(c.max)) continue;
    const Node* at = cal_node.find(c.key);
    diags.error((at ? at->mark : cal_node.mark).pos(), std::string("calendar.") + c.key,
                std::to_string(c.have) + " " + c.what + " above the declared maximum",
                "at most " + std::to_string(c.max) + " (calendar.limits)");
  }
}

// The encoded capacity of the calendar objects (the runtime's rule,
// cosem::calendar_capacity): every activity calendar and special days table
// holds the declared limits, or the default calendar where it is larger.
void size_calendar_objects(Context& ctx, const Calendar& cal, const Node& cal_node) {
  std::vector<tables::DayProfileDef> days;
  for (const auto& d : cal.days) days.push_back({0, static_cast<std::uint8_t>(d.switchings.size())});
  tables::CalendarDef def{};
  def.max_seasons = static_cast<std::uint8_t>(cal.max_seasons);
  def.max_week_profiles = static_cast<std::uint8_t>(cal.max_week_profiles);
  def.max_day_profiles = static_cast<std::uint8_t>(cal.max_day_profiles);
  def.max_switchings = static_cast<std::uint8_t>(cal.max_switchings);
  def.max_special_days = static_cast<std::uint16_t>(cal.max_special_days);
  def.season_count = static_cast<std::uint8_t>(cal.seasons.size());
  def.week_count = static_cast<std::uint8_t>(cal.weeks.size());
  def.days = days.data();
  def.day_count = static_cast<std::uint8_t>(days.size());
  def.special_day_count = static_cast<std::uint16_t>(cal.special_days.size());
  const cosem::CalendarCapacity cap = cosem::calendar_capacity(def);
  for (Object& o : ctx.model.objects) {
    if (o.cls == nullptr || (o.cls->id != 20 && o.cls->id != 11)) continue;
    const std::uint32_t bytes =
        o.cls->id == 20 ? cosem::activity_calendar_value_size(cap) : cosem::special_days_value_size(cap);
    if (bytes > 0xFFFF) {
      const Node* at = cal_node.find("limits");
      ctx.diags.error((at ? at->mark : cal_node.mark).pos(), "calendar.limits",
                      "objects[" + o.name + "] needs " + std::to_string(bytes) + " bytes for these limits",
                      "limits whose encoded calendar fits in 65535 bytes");
      continue;
    }
    o.value_size = static_cast<int>(bytes);
  }
}

}  // namespace

int calendar_tariffs(const Node& tree) {
  const Node* cal = tree.find("calendar");
  return cal ? static_cast<int>(integer(*cal, "tariffs", 1)) : 1;
}

void add_calendar_objects(Context& ctx) {
  const Node* cal = ctx.tree.find("calendar");
  if (!cal) return;
  struct Implicit { const char *name, *key, *obis, *cls, *description, *role; };
  const Implicit objects[] = {
      {"activity_calendar", "activity_calendar", "0.0.13.0.0.255", "activity_calendar", "Activity calendar",
       "activity_calendar"},
      {"special_days_table", "special_days_table", "0.0.11.0.0.255", "special_days_table", "Special days table",
       "special_days_table"},
      {"tariff_script_table", "tariff_script_table", "0.0.10.0.100.255", "script_table", "Tariffication script table",
       "tariff_script"},
  };
  for (const auto& o : objects) {
    const auto added = ctx.add_implicit(o.name, obis_or(cal, o.key, o.obis), o.cls, {"calendar"}, cal->mark,
                                        o.description, std::nullopt, "calendar");
    if (added) ctx.pending()[*added].object.role = o.role;
  }
}

void build_calendar(Context& ctx) {
  const Node* c = ctx.tree.find("calendar");
  if (!c) return;
  Calendar& cal = ctx.model.calendar;
  cal.present = true;
  cal.mark = c->mark;
  cal.tariffs = calendar_tariffs(ctx.tree);
  cal.passive = flag(*c, "passive", false);
  cal.fallback_tariff = static_cast<int>(integer(*c, "fallback_tariff", 1));
  read_limits(cal, *c);
  read_days(ctx, cal, *c);
  read_weeks(ctx, cal, *c);
  read_seasons(ctx, cal, *c);
  read_special_days(ctx, cal, *c);
  check_calendar_limits(cal, *c, ctx.diags);
  size_calendar_objects(ctx, cal, *c);
}

}  // namespace metergen::sections
