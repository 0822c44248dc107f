// Internal seam between Objects (dispatch, state, persistence) and the one file
// per interface class. Not a public header.
//
// Owns: the per-request context a class handler sees, the handler table entry,
// and the helpers several classes share (typed values in Model::state, local
// clock time). May call: the tables, axdr/, the HAL, Hooks and Profiles.
#pragma once

#include <cstdint>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/cosem/objects.hpp>

namespace metergen::cosem {

// Everything a class handler may use for one object; built per request.
struct ClassContext {
  Objects& objects;
  const tables::Model& model;
  hal::Hal& hal;
  Hooks& hooks;
  Profiles& profiles;
  ClockSettings& clock;
  Session* session;  // nullptr for engine reads (profile capture)
  std::uint16_t index;
  const tables::ObjectDef& def;

  // The object's mutable bytes (its class's state_bytes), nullptr when it has none.
  std::uint8_t* state() const { return def.state_offset == tables::kNoState ? nullptr : model.state + def.state_offset; }
};

using GetHandler = dlms::DataAccessResult (*)(const ClassContext&, std::int8_t attribute, const Selection*, ByteWriter&);
using SetHandler = dlms::DataAccessResult (*)(const ClassContext&, std::int8_t attribute, const Selection*, ByteReader value);
using ActionHandler = dlms::ActionResult (*)(const ClassContext&, std::int8_t method, ByteReader params, ByteWriter& ret,
                                             bool& has_return);

// Bytes of mutable state an object of the class keeps in Model::state, given
// the encoded size of its value (the layout is the class file's).
using StateBytes = std::uint32_t (*)(std::uint16_t value_size);
// Writes the boot default of object `index` into its state.
using DefaultState = void (*)(const tables::Model& m, std::uint16_t index, std::uint8_t* state);
// Offset into the state of an attribute engines write (an integer or a
// date-time), -1 when the attribute is not one.
using EngineOffset = std::int32_t (*)(const tables::ObjectDef& d, std::int8_t attribute, bool date_time);
// What follows an engine's write_value (class 4: the capture time).
using ValueWritten = void (*)(const ClassContext& c);

// One interface class: its services and what Objects needs to know of its
// state. Attribute 1 (logical_name) is answered before dispatch.
struct ClassHandler {
  GetHandler get;
  SetHandler set;
  ActionHandler action;
  StateBytes state_bytes = nullptr;        // nullptr: no state
  DefaultState default_state = nullptr;    // nullptr: zeros
  EngineOffset engine_offset = nullptr;    // nullptr: none
  bool engine_value = false;               // engines may replace the value at offset 0 (write_value)
  ValueWritten value_written = nullptr;
};

// A security setup the spec declares with source `security.current`: it stands
// for the caller's own association's, as 0.0.40.0.0.255 does for Association LN.
inline bool is_current_security_setup(const tables::ObjectDef& d) {
  return d.class_id == 64 && d.binding.kind == tables::SourceKind::security &&
         d.binding.quantity == tables::Quantity::current;
}

// The handler of a class; every class not listed answers logical_name only.
const ClassHandler& handler_for(std::uint16_t class_id);

// Handlers per class (class_<name>.cpp).
extern const ClassHandler kDataClass;               // 1
extern const ClassHandler kRegisterClass;           // 3
extern const ClassHandler kExtendedRegisterClass;   // 4
extern const ClassHandler kDemandRegisterClass;     // 5
extern const ClassHandler kProfileGenericClass;     // 7 (forwarded to Profiles)
extern const ClassHandler kClockClass;              // 8
extern const ClassHandler kScriptTableClass;        // 9
extern const ClassHandler kSpecialDaysTableClass;   // 11
extern const ClassHandler kAssociationLnClass;      // 15
extern const ClassHandler kSapAssignmentClass;      // 17
extern const ClassHandler kActivityCalendarClass;   // 20
extern const ClassHandler kRegisterMonitorClass;    // 21
extern const ClassHandler kSingleActionScheduleClass;  // 22
extern const ClassHandler kPushSetupClass;          // 40
extern const ClassHandler kSecuritySetupClass;      // 64
extern const ClassHandler kDisconnectControlClass;  // 70
extern const ClassHandler kLimiterClass;            // 71
extern const ClassHandler kPrepaymentClass;         // 111, 112, 113, 115 (forwarded to the prepayment engine)
extern const ClassHandler kGenericClass;            // every other class: logical_name only

// Attributes a class does not serve (yet): object_unavailable.
dlms::DataAccessResult get_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteWriter&);
dlms::DataAccessResult set_unavailable(const ClassContext&, std::int8_t, const Selection*, ByteReader);

// ---- Typed values (A-XDR, tag included, fixed encoded size) ----

// True when `value` is exactly one encoded Data of `type` taking `size` bytes
// (string lengths included), the check set() applies to values.
bool value_fits(ByteReader value, tables::DataType type, std::uint16_t size);
// Writes the zero value of `type` (strings: zero bytes of the fixed length) into `size` bytes.
void put_zero_value(std::uint8_t* at, tables::DataType type, std::uint16_t size);
// An object's value at boot: its value-pool constant or default, or zero.
void put_default_value(const tables::Model& m, const tables::ObjectDef& d, std::uint8_t* at);
// A status (unsigned, 2 bytes) then date-times not specified until set, up to `end`.
void put_unset_status_and_times(std::uint8_t* status, const std::uint8_t* end);
// The state size of classes whose state is their value (Data, Register).
std::uint32_t value_only_state(std::uint16_t value_size);
void default_value_state(const tables::Model& m, std::uint16_t index, std::uint8_t* state);
std::int32_t value_engine_offset(const tables::ObjectDef& d, std::int8_t attribute, bool date_time);
// Encodes `v` as `type` (an integer type); false for a non-integer type.
bool put_integer_value(ByteWriter& w, tables::DataType type, std::int64_t v);
// Sets the value at `at` from `value` when value_fits; changes nothing otherwise.
dlms::DataAccessResult set_value(std::uint8_t* at, tables::DataType type, std::uint16_t size, ByteReader value);
// A client's SET of an alarm descriptor (role alarm_descriptor, docs/events.md):
// the bits set in the double-long-unsigned written clear those bits of the
// value at `at`, the others stay; changes nothing when the value does not fit.
dlms::DataAccessResult clear_written_bits(std::uint8_t* at, tables::DataType type, std::uint16_t size, ByteReader value);
// 02 02 0F <scaler> 16 <unit>.
void put_scaler_unit(ByteWriter& w, std::int8_t scaler, std::uint8_t unit);
// Scripts 1..n that script table `table` (class 9) holds and the runtime
// carries out, by its role (class_script_table.cpp); 0 for other tables.
std::uint16_t script_count(const tables::Model& m, std::uint16_t table);
// Method parameter "integer 0" (also accepted: no parameter at all).
bool is_zero_parameter(ByteReader params);

// Register-family attributes 2 value and 3 scaler_unit (classes 3, 4; class 5 maps its own ids).
dlms::DataAccessResult get_value_or_scaler_unit(const ClassContext& c, std::int8_t attribute, ByteWriter& out);
// Register-family method 1 reset: value zeroed, Hooks::register_reset.
dlms::ActionResult reset_register(const ClassContext& c, ByteReader params);

// ---- Display settings (display_settings.cpp) ----

// A display readout (class 7 without a profile): attribute 3 is a settable list.
dlms::DataAccessResult display_readout_get(const ClassContext& c, std::int8_t attribute, ByteWriter& out);
dlms::DataAccessResult display_readout_set(const ClassContext& c, std::int8_t attribute, ByteReader value);
// other_reason when the object is a list's time object and `value` is outside its range.
dlms::DataAccessResult check_display_time(const ClassContext& c, ByteReader value);

// ---- Clock ----

// The model's local date-time at `utc_s` (deviation and DST status from the settings), hundredths 0.
axdr::DateTime local_time(const ClockSettings& clock, std::int64_t utc_s);
// The model's local date-time now.
axdr::DateTime local_now(hal::Hal& hal, const ClockSettings& clock);
// Default settings from the model's ClockDef.
ClockSettings default_clock_settings(const tables::ClockDef& def);

// ---- Calendar (classes 11, 20, 22) ----

// Moves n bytes; the ranges may overlap.
void move_bytes(std::uint8_t* dst, const std::uint8_t* src, std::uint32_t n);
// 1 = Monday .. 7 = Sunday: t.day_of_week when 1..7, else computed from the date.
std::uint8_t weekday_of(const axdr::DateTime& t);
// A date (5 bytes: year, month, day, day_of_week) a client may write: month
// 1..12 or 0xFF; day 1..31, 0xFD, 0xFE or 0xFF; day_of_week 1..7 or 0xFF.
bool valid_date_pattern(const std::uint8_t* date);
// Whether `date` (valid_date_pattern) matches the local date (calendar.hpp, schedule_fires).
bool date_matches(const std::uint8_t* date, const axdr::DateTime& local);
// A time (4 bytes): hour < 24, minute < 60, second < 60 or 0xFF, hundredths < 100 or 0xFF.
bool valid_time(const std::uint8_t* time);
// Whether the active calendar has a day profile `day_id`; true when the model
// has no activity calendar to check against.
bool calendar_knows_day(const tables::Model& m, std::uint8_t day_id);

}  // namespace metergen::cosem
