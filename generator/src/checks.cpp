#include "checks.hpp"

#include <algorithm>
#include <string>

namespace metergen {

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
}  // namespace

long long dst_rule_minutes(const DstRule& r, int year) {
  return days_from_civil(year, r.month, rule_day(r, year)) * 1440 + r.minute;
}

void check_dst_span(const Clock& clock, const Node& dst_node, Diagnostics& diags) {
  // Spans vary with the weekday rules; the Gregorian calendar repeats every 400 years,
  // weekday patterns of a year every 28 within a century: scan 28 consecutive years.
  long long shortest = -1, longest_excess = 0;
  for (int y = 2024; y < 2024 + 28; ++y) {
    long long begin = dst_rule_minutes(clock.dst_begin, y);
    long long end = dst_rule_minutes(clock.dst_end, y);
    int end_year = y;
    if (end <= begin) {  // southern hemisphere: the span crosses the new year
      end = dst_rule_minutes(clock.dst_end, y + 1);
      end_year = y + 1;
    }
    (void)end_year;
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

void check_model(const Model& model, Diagnostics& diags) {
  auto readable = [](AttrMode m) { return m == AttrMode::read || m == AttrMode::read_write || m == AttrMode::auth_read ||
                                          m == AttrMode::auth_read_write; };
  for (const auto& as : model.associations) {
    for (const auto& p : model.profiles) {
      const AccessSet& pa = as.access[p.object];
      if (!pa.listed || !readable(pa.attributes[1])) continue;  // this client cannot read the buffer
      for (const auto& c : p.capture) {
        const AccessSet& ca = as.access[c.object];
        std::size_t ai = static_cast<std::size_t>(c.attribute - 1);
        if (ca.listed && ai < ca.attributes.size() && readable(ca.attributes[ai])) continue;
        diags.warning(c.mark.pos(), "profiles[" + p.name + "].capture",
                      "association '" + as.name + "' reads this profile but may not read '" +
                          model.objects[c.object].name + "' attribute " + std::to_string(c.attribute),
                      "captured values readable by every association that reads the buffer");
      }
    }
  }
}

}  // namespace metergen
