// Section `clock`: time zone, clock base, status bits and DST with its span check.
#include <algorithm>

#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

long long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = static_cast<unsigned>((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

int weekday_of(int y, int m, int d) {
  long long z = days_from_civil(y, m, d);  // 1970-01-01 was a Thursday (4)
  return static_cast<int>(((z % 7) + 7 + 3) % 7) + 1;
}

namespace {

int days_in_month(int y, int m) {
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dim[m - 1];
}

int rule_day(const DstRule& r, int y) {
  if (r.week == 0) return std::min(r.day, days_in_month(y, r.month));
  if (r.week == 5) {
    int last = days_in_month(y, r.month);
    int wd = weekday_of(y, r.month, last);
    return last - ((wd - r.weekday + 7) % 7);
  }
  int wd1 = weekday_of(y, r.month, 1);
  return 1 + (r.weekday - wd1 + 7) % 7 + 7 * (r.week - 1);
}

// HXF300 §15.1.2: one DST span may not exceed 10 months nor be shorter than 1 day.
void check_dst_span(const Clock& clock, const Node& dst_node, Diagnostics& diags) {
  // Spans vary with the weekday rules; the Gregorian calendar repeats every 400 years,
  // weekday patterns of a year every 28 within a century: scan 28 consecutive years.
  long long shortest = -1, longest_excess = 0;
  for (int y = 2024; y < 2024 + 28; ++y) {
    long long begin = dst_rule_minutes(clock.dst_begin, y);
    long long end = dst_rule_minutes(clock.dst_end, y);
    if (end <= begin) end = dst_rule_minutes(clock.dst_end, y + 1);  // southern hemisphere: across the new year
    long long span = end - begin;
    if (shortest < 0 || span < shortest) shortest = span;
    // Ten months after the begin date, same day and time (clamped to month length).
    int m = clock.dst_begin.month + 10, yy = y;
    if (m > 12) { m -= 12; ++yy; }
    int d = std::min(rule_day(clock.dst_begin, y), days_in_month(yy, m));
    long long limit = days_from_civil(yy, m, d) * 1440 + clock.dst_begin.minute;
    longest_excess = std::max(longest_excess, end - limit);
  }
  const Node* end = dst_node.find("end");
  SourcePos pos = (end ? end->mark : dst_node.mark).pos();
  if (longest_excess > 0)
    diags.error(pos, "clock.dst.end", "DST span longer than 10 months", "a span of at most 10 months (HXF300 §15.1.2)");
  else if (shortest < 1440)
    diags.error(pos, "clock.dst.end", "DST span shorter than 1 day", "a span of at least 1 day (HXF300 §15.1.2)");
}

DstRule dst_rule(Context& ctx, const Node& n, const std::string& path) {
  static const std::vector<std::string> weeks = {"first", "second", "third", "fourth", "last"};
  static const std::vector<std::string> days = {"monday", "tuesday", "wednesday", "thursday",
                                                "friday", "saturday", "sunday"};
  DstRule r;
  r.month = static_cast<int>(integer(n, "month", 1));
  r.minute = minutes_of(text(n, "time", "00:00"));
  bool has_day = n.find("day"), has_week = n.find("week") && n.find("weekday");
  if (has_day == has_week) {
    ctx.diags.error(n.mark.pos(), path, "DST rule needs either day, or week and weekday", "one of the two forms");
    return r;
  }
  if (has_day) {
    r.day = static_cast<int>(integer(n, "day", 1));
  } else {
    r.week = static_cast<int>(std::find(weeks.begin(), weeks.end(), text(n, "week")) - weeks.begin()) + 1;
    r.weekday = static_cast<int>(std::find(days.begin(), days.end(), text(n, "weekday")) - days.begin()) + 1;
  }
  return r;
}

void read_dst(Context& ctx, const Node& dst) {
  Clock& clock = ctx.model.clock;
  clock.dst_enabled = flag(dst, "enabled", false);
  clock.dst_deviation_min = static_cast<int>(integer(dst, "deviation_min", 60));
  const Node* b = dst.find("begin");
  const Node* e = dst.find("end");
  if (clock.dst_enabled && (!b || !e)) {
    ctx.diags.error(dst.mark.pos(), "clock.dst", "DST enabled without begin and end rules", "begin and end");
    return;
  }
  if (b) clock.dst_begin = dst_rule(ctx, *b, "clock.dst.begin");
  if (e) clock.dst_end = dst_rule(ctx, *e, "clock.dst.end");
  if (b && e) check_dst_span(clock, dst, ctx.diags);
}

// IC 8 attribute 9, in the order of its enum values.
int clock_base_code(const std::string& base) {
  static const std::vector<std::string> bases = {"not_defined", "crystal", "mains_50hz", "mains_60hz", "gps", "radio"};
  return static_cast<int>(std::find(bases.begin(), bases.end(), base) - bases.begin());
}

}  // namespace

long long dst_rule_minutes(const DstRule& r, int year) {
  return days_from_civil(year, r.month, rule_day(r, year)) * 1440 + r.minute;
}

void add_clock_objects(Context& ctx) {
  const Node* clock = ctx.tree.find("clock");
  ctx.add_implicit("clock", obis_or(clock, "obis", "0.0.1.0.0.255"), "clock", {"clock"},
                   clock ? clock->mark : ctx.tree.mark, "Clock", std::nullopt, "clock");
}

void build_clock(Context& ctx) {
  Clock& clock = ctx.model.clock;
  clock.object = ctx.object("clock");
  const Node* c = ctx.tree.find("clock");
  if (!c) return;
  clock.time_zone_min = static_cast<int>(integer(*c, "time_zone_min", 0));
  clock.clock_base = text(*c, "clock_base", "crystal");
  clock.clock_base_code = clock_base_code(clock.clock_base);  // the schema allows only these names
  if (const Node* a = c->find("accuracy_s_per_day")) clock.accuracy_s_per_day = *scalar_number(*a);
  clock.status_bits = ctx.filter_bits(c->find("status_bits"));
  if (const Node* dst = c->find("dst")) read_dst(ctx, *dst);
}

}  // namespace metergen::sections
