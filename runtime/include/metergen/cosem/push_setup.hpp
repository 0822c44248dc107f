// Push setup (IC 40, version 0) state: what the push engine (push/) reads and
// the size rule the generator sizes these objects with.
//
// The state holds attributes 2..7 A-XDR encoded, each in a region of fixed
// capacity (zeros after its value): push_object_list (at most kPushObjects
// capture-object structures), send_destination_and_method (destination at
// most kPushDestinationBytes), communication_window (at most kPushWindows),
// randomisation_start_interval, number_of_retries, repetition_delay.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/axdr/date_time.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::cosem {

inline constexpr std::uint32_t kPushObjects = 16;
inline constexpr std::uint32_t kPushDestinationBytes = 64;
inline constexpr std::uint32_t kPushWindows = 4;

// transport_service and message values the meter supports.
inline constexpr std::uint8_t kPushTransportTcp = 0;
inline constexpr std::uint8_t kPushMessageAxdr = 0;

// Bytes of a push setup's state (and its ObjectDef::value_size).
std::uint32_t push_setup_value_size();

// A destination "host:port": host letters, digits, '.' and '-' (1..kPushDestinationBytes - 6
// bytes), port 1..65535 without leading zeros or sign.
bool valid_push_destination(const std::uint8_t* text, std::size_t n);

// What the push engine reads of one push setup's state.
struct PushSettings {
  const std::uint8_t* destination;  // not NUL-terminated
  std::size_t destination_size;
  std::uint16_t randomisation_s;
  std::uint8_t retries;
  std::uint16_t repetition_delay_s;
  std::uint32_t object_count;       // entries of push_object_list
};
// False when `object` is not a push setup with state.
bool push_settings(const tables::Model& m, std::uint16_t object, PushSettings& out);
// Whether push setup `object` may push at local time `local` (IC 40
// communication_window, attribute 4): true when the window list is empty (any
// time) or `local` lies within one window [start, end). Wildcards in a bound
// take today's date fields, and the first (start) or last (end) value of a
// time field, so 02:00 to 02:05 with a wildcard date is every day; an end
// before its start on the same day wraps past midnight; a start with a day of
// week opens only on that day. A bound's deviation is ignored (local time).
bool push_window_open(const tables::Model& m, std::uint16_t object, const axdr::DateTime& local);
// Entry i (< object_count) of the push object list: the object (kNone when the
// model has none by that class and logical name) and its attribute index.
bool push_entry(const tables::Model& m, std::uint16_t object, std::uint32_t i, std::uint16_t& target,
                std::int8_t& attribute);

}  // namespace metergen::cosem
