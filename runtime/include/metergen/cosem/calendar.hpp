// The calendar objects as the time engines see them: activity calendar (IC 20),
// special days table (IC 11) and single action schedule (IC 22), read from
// their state in Model::state, and the capacities the generator sizes them with.
//
// Owns: the capacity rule both sides share (the generator sets an object's
// value_size with it, cosem::state_bytes sizes its state from that) and the
// lookups an engine calls once a minute. Implemented in the class files
// (class_activity_calendar.cpp, class_special_days_table.cpp,
// class_single_action_schedule.cpp). Nothing here allocates; the state is
// parsed in place. May call: the tables and axdr/.
//
// Numbering: a day profile's day_id is its index in CalendarDef::days plus 1,
// in the activity calendar's day_profile_table and week profiles and in the
// special days table alike. Season and week profile names at boot are one byte,
// the profile's index plus 1; the calendar names are the model id (at most
// kCalendarNameBytes of it).
#pragma once

#include <cstdint>

#include <metergen/axdr/date_time.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::cosem {

// Longest octet-strings a client may write as names.
inline constexpr std::uint8_t kCalendarNameBytes = 16;  // calendar_name_active / _passive
inline constexpr std::uint8_t kProfileNameBytes = 8;    // season_profile_name, week_name, week_profile_name
// execution_time entries a single action schedule holds.
inline constexpr std::uint8_t kScheduleEntries = 12;

// The counts a model's calendar objects hold: each declared limit
// (CalendarDef::max_*), or the default calendar's own count where that is
// larger (a limit of 0 is not declared).
struct CalendarCapacity {
  std::uint16_t seasons, week_profiles, day_profiles, switchings, special_days;
};
CalendarCapacity calendar_capacity(const tables::CalendarDef& c);

// ObjectDef::value_size of an activity calendar: the encoded bytes of one
// calendar (attributes 2..5, the same for 6..9) at that capacity. Above 65535
// the model cannot be built (the generator reports it).
std::uint32_t activity_calendar_value_size(const CalendarCapacity& c);
// ObjectDef::value_size of a special days table: attribute 2 with
// c.special_days entries.
std::uint32_t special_days_value_size(const CalendarCapacity& c);
// ObjectDef::value_size of a single action schedule: attributes 2, 3 and 4
// (kScheduleEntries execution times).
std::uint32_t single_action_schedule_value_size();

// The tariff at local time `local` (a full date and time; its day_of_week is
// used when 1..7, else computed): the day_id of the first special day (in index
// order) whose date matches, else of the season whose start (month and day;
// year and time of season_start are not used) is the latest not after the
// local date, wrapping over the year, its week profile and the local weekday;
// then the day schedule action of that day_id with the latest start_time not
// after the local time. Its script_selector is the tariff. 0 when the model has
// no activity calendar (role activity_calendar) or nothing matches (a day
// whose first action starts after the local time included).
std::uint8_t tariff_at(const tables::Model& m, const axdr::DateTime& local);

// The day_id of the first special day (index order) of the special days table
// (role special_days_table) whose date matches the local date; false when none
// matches or the model has no such table.
bool special_day(const tables::Model& m, const axdr::DateTime& local, std::uint8_t& day_id);

// When activate_passive_calendar_time (attribute 10) names an instant not
// after `local` (both compared as local date and time, deviation and status
// ignored), copies the passive calendar (6..9) into the active one (2..5),
// resets attribute 10 to not specified and returns true. An attribute 10 whose
// year is not specified (0xFFFF) never activates.
bool activate_passive_if_due(const tables::Model& m, const axdr::DateTime& local);

// True when single action schedule `object` has an execution_time whose hour
// and minute equal the local ones (its seconds and hundredths are ignored:
// engines call this once per minute) and whose date matches: year 0xFFFF or
// equal, month 0xFF or equal, day 0xFF, equal, 0xFE (last day of the month) or
// 0xFD (second last), day_of_week 0xFF or equal.
bool schedule_fires(const tables::Model& m, std::uint16_t object, const axdr::DateTime& local);

// The executed_script of single action schedule `object`: the script table's
// object index (tables::find_object of its logical name, a class 9 object) and
// the script selector. False when unset (selector 0) or the table is unknown.
bool schedule_script(const tables::Model& m, std::uint16_t object, std::uint16_t& script_table,
                     std::uint16_t& selector);

}  // namespace metergen::cosem
