// The seam between generated model tables and the firmware runtime.
//
// Owns: the plain constant structures a generated model fills (objects sorted by
// logical name, access rights per association, profile capture lists, event
// tables, disconnect/limiter configuration, demand, billing, calendar, clock and
// display lists). May use: nothing but <cstdint>/<cstddef>.
//
// Freestanding C++20: no exceptions, RTTI, heap or iostream. Tables are trusted
// data (checked by metergen); nothing here parses untrusted bytes.
//
// A firmware image links exactly one model: its generated model.cpp defines
// `metergen::tables::active_model`. Generated code static_asserts kAbiVersion, so
// tables generated for another layout fail to compile instead of misbehaving.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::tables {

inline constexpr std::uint16_t kAbiVersion = 15;
inline constexpr std::uint16_t kNone = 0xFFFF;  // absent object / profile index

// A-XDR data types; the value is the wire tag.
enum class DataType : std::uint8_t {
  null_data = 0, array = 1, structure = 2, boolean = 3, bit_string = 4, double_long = 5,
  double_long_unsigned = 6, octet_string = 9, visible_string = 10, utf8_string = 12, bcd = 13,
  integer = 15, long_ = 16, unsigned_ = 17, long_unsigned = 18, compact_array = 19, long64 = 20,
  long64_unsigned = 21, enum_ = 22, float32 = 23, float64 = 24, date_time = 25, date = 26, time = 27,
};

// Association LN v2 attribute access_mode (wire values).
enum class AttrAccess : std::uint8_t {
  none = 0, read = 1, write = 2, read_write = 3, auth_read = 4, auth_write = 5, auth_read_write = 6,
};
// Association LN v1/v2 method access_mode (wire values).
enum class MethodAccess : std::uint8_t { none = 0, access = 1, auth_access = 2 };

// Where an object's value comes from at run time.
enum class SourceKind : std::uint8_t {
  constant, parameter, energy, demand, max_demand, instantaneous, average, maximum, minimum, clock,
  counter, status, event, calendar, billing, relay, identity, security, communication, prepayment,
};

// Metrology quantities (metrology-fed sources only; `none` otherwise).
enum class Quantity : std::uint8_t {
  none, active_import, active_export, reactive_import, reactive_export, reactive_q1, reactive_q2,
  reactive_q3, reactive_q4, apparent_import, apparent_export, active_absolute, active_net, voltage,
  current, neutral_current, power_factor, frequency, voltage_angle, current_angle, thd_voltage,
  thd_current, battery_voltage, temperature,
  operating_time,  // source counter.operating_time: seconds powered, in total (tariff 0) or in a tariff
  disconnect_reason,  // source relay.disconnect_reason: why the supply was last disconnected (docs/load-control.md)
  pq_duration,        // source event.pq_duration: seconds the last voltage sag or swell lasted (docs/events.md)
  pq_voltage,         // source event.pq_voltage: its lowest (sag) or highest (swell) voltage
  long_power_failure_duration,  // source event.long_power_failure_duration: seconds the last long power failure lasted
};

// What the runtime's engines use an object for, set by the generator from the
// spec and the catalogue (`role:`); engines find their objects by role, never by
// logical name. At most one object of a model has a given role.
enum class Role : std::uint8_t {
  none, ct_numerator, ct_denominator, vt_numerator, vt_denominator, current_tariff, md_reset_script,
  activity_calendar, special_days_table, tariff_script, billing_schedule, billing_counter, billing_lockout,
  alarm_register, error_register, demand_period, push_script, alarm_filter,
  local_time, local_date,  // Data: the clock's local time (octet-string 4) / date (octet-string 5), read when read
  serial_number,           // Data: when nobody set it, the manufacturing number of the server system title
  display_test_script,     // Script table: execute enters the display's test mode
  display_normal_script,   // Script table: execute leaves the test mode for the default list
  // Data written by the prepayment account from its decoder key data (docs/prepayment.md):
  sts_supply_group_code,   // visible-string of 6 digits
  sts_tariff_index,        // visible-string of 2 digits
  sts_key_revision,        // unsigned
  alarm_descriptor,        // Data or Register, double-long-unsigned: every alarm bit, whatever the filter (docs/events.md)
};

struct LogicalName {
  std::uint8_t b[6];
};

// The six bytes as one big-endian number: logical names order as their keys do.
constexpr std::uint64_t ln_key(const LogicalName& x) {
  std::uint64_t k = 0;
  for (int i = 0; i < 6; ++i) k = (k << 8) | x.b[i];
  return k;
}
constexpr bool operator<(const LogicalName& x, const LogicalName& y) { return ln_key(x) < ln_key(y); }
constexpr bool operator==(const LogicalName& x, const LogicalName& y) { return ln_key(x) == ln_key(y); }

struct Binding {
  SourceKind kind;
  Quantity quantity;
  std::uint8_t tariff;  // 0 = total
  std::uint8_t phase;   // 0 = sum of phases, 1..3 = L1..L3
};

struct ObjectDef {
  LogicalName ln;
  std::uint16_t class_id;
  std::uint8_t version;
  DataType value_type;         // null_data for classes without a typed value
  std::int8_t scaler;
  std::uint8_t unit;           // DLMS unit; 0 = the class has no scaler_unit
  Binding binding;
  Role role;
  std::uint16_t value_offset;  // into Model::value_pool (A-XDR encoded constant or default), kNone
  std::uint16_t value_size;    // encoded bytes of the value (tag included), fixed per object
  std::uint32_t state_offset;  // into Model::state: the object's mutable bytes (cosem::state_bytes), kNoState
};

inline constexpr std::uint32_t kNoState = 0xFFFFFFFF;

// Whether an object's state survives a power cut (the objects record,
// docs/nvm-format.md). Values the engines recompute every second or period
// (instantaneous, averages, extremes, demand averages, energy values rebuilt
// from their own record, the clock) never persist; settings, counters,
// maximum demands and states do.
constexpr bool persists(SourceKind kind) {
  switch (kind) {
    case SourceKind::instantaneous: case SourceKind::average: case SourceKind::maximum: case SourceKind::minimum:
    case SourceKind::energy: case SourceKind::demand: case SourceKind::clock:
      return false;
    default:
      return true;
  }
}
// Times of operation count every second: the time engine keeps them in its own
// record (docs/time.md) so that the objects record is not rewritten each minute.
constexpr bool persists(const Binding& b) { return b.quantity != Quantity::operating_time && persists(b.kind); }

// Access of one association to one object: attribute modes then method modes,
// stored once per distinct combination in Model::access_modes.
struct AccessProfile {
  std::uint16_t offset;
  std::uint8_t attribute_count;
  std::uint8_t method_count;
};

enum class Authentication : std::uint8_t { none = 0, lls = 1, hls_gmac = 5 };

// Security setup v1 policy bits.
inline constexpr std::uint8_t kAuthenticatedRequest = 0x04;
inline constexpr std::uint8_t kEncryptedRequest = 0x08;
inline constexpr std::uint8_t kAuthenticatedResponse = 0x20;
inline constexpr std::uint8_t kEncryptedResponse = 0x40;

struct AssociationDef {
  LogicalName ln;
  std::uint8_t client_sap;
  Authentication authentication;
  Authentication fallback_authentication;
  std::uint8_t security_policy;
  std::uint8_t security_suite;
  bool pre_established;
  bool compact_profiles;                // profile buffers go out as compact-array
  std::uint16_t security_setup;         // object index, kNone
  const std::uint16_t* object_access;   // per object: AccessProfile index, kNone = not listed
};

enum class SortMethod : std::uint8_t { fifo = 1, lifo = 2, largest = 3, smallest = 4, nearest_to_zero = 5, farthest_from_zero = 6 };

struct CaptureDef {
  std::uint16_t object;
  std::int8_t attribute;
  std::uint16_t data_index;
};

inline constexpr std::uint8_t kSelectByRange = 0x01;
inline constexpr std::uint8_t kSelectByEntry = 0x02;

struct ProfileDef {
  std::uint16_t object;
  std::uint16_t first_capture;
  std::uint16_t capture_count;
  SortMethod sort;
  std::uint8_t selective_access;  // kSelectBy* bits
  std::uint32_t capture_period_s;
  std::uint32_t entries;
  std::uint16_t entry_bytes;      // A-XDR encoded size of one buffer entry
  std::uint16_t status_object;    // the captured profile status word (Data, source status.profile or
                                  // status.pq_profile) the capture engine computes, kNone
};

inline constexpr std::uint8_t kEventLogged = 0x01;
inline constexpr std::uint8_t kEventPushed = 0x02;

// What the event engine detects (docs/events.md). Conditions start and end;
// the rest are instants. The generator's catalogue (event_triggers.cpp) lists
// the same names in the same order.
enum class Trigger : std::uint8_t {
  none,  // nothing detects the event
  // conditions of the metering second's readings
  under_voltage, over_voltage, voltage_sag, voltage_swell, high_voltage, phase_loss, current_without_voltage,
  reverse_current, over_current, over_power, low_power_factor, current_unbalance, voltage_unbalance,
  reverse_sequence, missing_neutral, bypass, unexpected_consumption, voltage_distortion,
  // conditions of the meter's inputs (hal::Input)
  cover_open, terminal_cover_open, module_removed, magnetic_field, battery_cover_open, low_battery,
  over_temperature,
  // instants
  power_down, power_up, long_power_down, long_power_up, short_power_down, short_power_up, clock_adjusted_old,
  clock_adjusted_new, clock_invalid, dst_changed, passive_calendar_programmed, passive_calendar_activated,
  special_days_changed, parameter_changed, billing_period_ended, association_established,
  authentication_failure, authentication_failures, decryption_failure, replay_attack, key_changed,
  relay_disconnected, relay_connected, relay_ready, nvm_error, log_cleared, voltage_normal,
  // instants of the prepayment engine (docs/prepayment.md)
  credit_token_accepted, token_rejected, key_change_token_accepted, management_token_accepted, low_credit,
  credit_exhausted, emergency_credit_activated, friendly_period_started, friendly_period_ended,
  payment_mode_changed, keypad_locked,
};
inline constexpr Trigger kFirstInputCondition = Trigger::cover_open;
inline constexpr Trigger kFirstInstant = Trigger::power_down;
constexpr bool is_condition(Trigger t) { return t != Trigger::none && t < kFirstInstant; }

// EventDef::qualifier of the relay_* triggers: who changed the relay.
inline constexpr std::uint8_t kCauseAny = 0, kCauseRemote = 1, kCauseManual = 2, kCauseLocal = 3;
inline constexpr std::uint8_t kCauseLocalTrigger = 4;  // + LocalTrigger: a local change for that reason

struct EventDef {
  std::uint16_t code;
  std::uint8_t flags;      // kEvent* defaults of the filter
  Trigger trigger;
  bool end;                // a condition's end, else its start
  std::uint8_t qualifier;  // phase 1..3 (0 any) of per-phase triggers, kCause* of relay_* triggers
  std::uint16_t object;    // parameter_changed of this object only, kNone = any
  std::uint8_t alarm_bit;  // bit of the alarm_register object the event sets (0 = LSB), kNoBit
  std::uint8_t error_bit;  // bit of the error_register object, kNoBit
};
inline constexpr std::uint8_t kNoBit = 0xFF;

// How a condition is detected. Levels are in the engine's units: uV, uA, uW,
// ppm (percentages), thousandths (power factor), or a count. A level or
// duration object, when given, replaces the constant: its value times
// 10^(scaler + level_exponent) is the level in those units.
struct DetectionDef {
  Trigger trigger;               // a condition, or power_down for the long power failure threshold
  std::int8_t level_exponent;    // 6 for V, A, W; 4 for %; 3 for power factor; 0 for counts
  std::int64_t level;
  std::int64_t restore;          // the condition ends past this level (= level without hysteresis)
  std::uint32_t for_s;           // the level holds this long before a start or an end
  std::uint16_t level_object;    // kNone
  std::uint16_t for_object;      // kNone
};

// A counter object (source counter.*) that counts the starts of a trigger.
struct EventCounterDef {
  std::uint16_t object;
  Trigger trigger;
  std::uint8_t phase;  // 0 any
};

struct EventLogDef {
  std::uint16_t log_object;
  std::uint16_t code_object;
  std::uint16_t filter_object;  // kNone
  std::uint16_t profile;        // index into Model::profiles
  std::uint16_t first_event;
  std::uint16_t event_count;
  std::uint16_t code_min;
  std::uint16_t code_max;
};

// Disconnect control transitions a..h allowed per mode are fixed by IC 70;
// the model only chooses the modes and local triggers.
enum class LocalTrigger : std::uint8_t {
  limiter, over_power, over_current, over_voltage, high_voltage, under_voltage, tamper, current_reversal,
  current_unbalance, cover_open, terminal_cover_open, module_removed, magnetic_field, phase_sequence_reversal,
  voltage_missing, current_without_voltage, over_temperature, credit_exhausted, schedule, script,
};

// A bit of the tamper disconnect filter: while set, the start of its event
// opens the relay (DTSD545 §5.2.8). Bits naming the same per-phase trigger
// are its phases in order.
struct TamperBitDef {
  std::uint8_t bit;  // 0 = the first bit of the bit-string
  LocalTrigger trigger;
  std::uint8_t phase;  // 0 any
};

struct DisconnectDef {
  std::uint16_t object;
  std::uint8_t default_mode;
  std::uint8_t supported_modes;  // bit n = control_mode n
  std::uint32_t local_triggers;  // LocalTrigger bits
  std::uint16_t tamper_filter_object;
  std::uint8_t manual_reconnect_hold_s;
  const TamperBitDef* tamper_bits;
  std::uint8_t tamper_bit_count;
};


enum class FinalState : std::uint8_t { connected, disconnected, ready_for_reconnection, initial };

struct LimiterDef {
  std::uint16_t object;
  std::uint16_t monitored;
  std::int64_t threshold_normal;     // raw value of the monitored object (its scaler applied)
  std::int64_t threshold_emergency;
  std::uint32_t min_over_s;
  std::uint32_t min_under_s;
  std::uint32_t reconnect_delay_s;
  std::uint32_t count_reset_s;
  std::uint8_t max_reconnects;
  FinalState final_state;
};

// A script reference (IC 9 script_logical_name and script_selector): script
// `selector` of script table object `table`; table kNone: no action.
struct ScriptRefDef {
  std::uint16_t table;
  std::uint16_t selector;
};

// What a register monitor does when its value crosses one threshold.
struct MonitorActionDef {
  ScriptRefDef up;    // the value rose above the threshold
  ScriptRefDef down;  // the value fell back to it or below
};

// A register monitor (IC 21). Its thresholds' defaults are the object's value
// (an array of threshold_count values of the monitored attribute's type, in
// the value pool); their actions are Model::monitor_actions[first_action ..].
struct RegisterMonitorDef {
  std::uint16_t object;
  std::uint16_t monitored;
  std::int8_t attribute;  // of the monitored object
  std::uint8_t threshold_count;
  std::uint16_t first_action;
};

// A push setup (IC 40) and the defaults of its settable attributes. The push
// object list is Model::captures[first_capture ..+capture_count].
struct PushSetupDef {
  std::uint16_t object;
  std::uint16_t association;        // whose keys and response policy protect the push; kNone: plain
  std::uint16_t client_sap;         // destination wPort of the wrapper frame
  std::uint16_t first_capture;
  std::uint16_t capture_count;
  const char* destination;          // "host:port", NUL-terminated
  std::uint16_t randomisation_s;    // randomisation_start_interval
  std::uint8_t retries;             // number_of_retries
  std::uint16_t repetition_delay_s;
};

// The spec's value of one further attribute of an object whose class has no
// behaviour of its own (an object's `attributes:`), served as a constant:
// Model::value_pool[value_offset ..+value_size], one encoded Data. Sorted by
// object, then attribute.
struct AttributeValueDef {
  std::uint16_t object;
  std::int8_t attribute;
  std::uint16_t value_offset;
  std::uint16_t value_size;
};

// STS decoder key data (IEC 62055-41) the meter is delivered with; the key
// itself is a secret of the target (hal::Secret::sts_decoder_key).
struct StsDef {
  std::uint8_t algorithm;     // encryption algorithm code: 7 (EA07, STA) or 9 (EA09, DEA)
  std::uint8_t key_type;      // KT 0..3
  std::uint32_t supply_group; // SGC, 6 digits
  std::uint8_t tariff_index;  // TI 0..99
  std::uint8_t key_revision;  // KRN 1..9
  std::uint8_t key_expiry;    // KEN: the key expires after TIDs whose top 8 bits exceed it (255: never)
  std::uint8_t base_date;     // 0: 1993-01-01, 1: 2014-01-01, 2: 2035-01-01
  std::uint16_t manufacturer_code;  // MfrCode that authenticates class 1 (test) tokens
};

// The prepayment account (spec `prepayment:`, docs/prepayment.md). Amounts are
// in the account's amount units: mWh of the charged energy (energy credit) or
// 10^-5 of the currency (currency credit, the resolution of STS currency tokens).
struct PrepaymentDef {
  std::uint16_t account;           // IC 111
  std::uint16_t token_credit;      // IC 112, credit_type token
  std::uint16_t emergency_credit;  // IC 112, credit_type emergency; kNone
  std::uint16_t charge;            // IC 113; kNone
  std::uint16_t token_gateway;     // IC 115
  std::uint16_t charged;           // the energy register whose growth uses up credit
  std::uint16_t friendly_enable;   // boolean Data switching friendly mode on; kNone: always on when periods exist
  std::uint8_t payment_mode;       // at delivery: 1 credit (post-payment), 2 prepayment
  bool currency;                   // credit in currency (consumption charged at the rate), else in energy
  const char* currency_name;       // account attribute 15's name ("kWh" for energy credit)
  std::int8_t scale;               // shown amounts are in 10^scale of the currency (energy: -3, Wh of kWh)
  std::int64_t shown_unit;         // amount units in one shown unit (energy: 1,000 mWh a Wh)
  std::uint32_t rate;              // currency credit: amount units a kWh costs at delivery (0 for energy)
  std::int64_t initial_credit;     // token credit of a new account
  std::int64_t low_credit;         // low-credit threshold (account attribute 16)
  std::int64_t emergency_credit_amount;  // emergency credit granted when invoked
  std::int64_t emergency_below;    // emergency credit may be invoked at or below this available credit
  std::int64_t max_credit;         // a credit token taking the credit above this is refused (over-crediting)
  std::uint16_t friendly_from_min; // friendly hours [from, to) in local minutes of the day; from == to: none
  std::uint16_t friendly_to_min;
  bool friendly_weekends;          // Saturday and Sunday are friendly all day
  bool friendly_special_days;      // the special days table's days are friendly all day
  std::uint8_t keypad_failures;    // rejected tokens in a row that lock the keypad (0: never)
  std::uint32_t keypad_lockout_s;
  StsDef sts;
};

enum class DemandMethod : std::uint8_t { block, sliding };

struct DemandDef {
  DemandMethod method;
  std::uint8_t number_of_periods;
  std::uint8_t recalculate;  // bit 0 power off, 1 clock set, 2 period change, 3 billing
  std::uint32_t period_s;
  std::uint32_t max_window_s;
};

struct BillingDef {
  std::uint16_t daily_minute;    // minutes after midnight, kNone = no daily billing
  std::uint16_t monthly_minute;  // kNone = no monthly billing
  std::uint8_t monthly_day;
  std::uint8_t methods;          // bit 0 automatic, 1 command, 2 button, 3 contract change, 4 tariff change
  std::uint16_t daily_profile;   // profile index, kNone
  std::uint16_t monthly_profile;
  std::uint32_t lockout_s;       // after a billing, further command or button billings are refused this long
  std::uint16_t button_hold_s;   // the billing button is held this long (0 = a press)
  bool catch_up;                 // a month end passed while powered down is billed at the next power-up
};

struct SwitchingDef {
  std::uint16_t minute;
  std::uint8_t tariff;
};
struct DayProfileDef {
  std::uint16_t first_switching;
  std::uint8_t switching_count;
};
struct WeekProfileDef {
  std::uint8_t day[7];  // day profile index, Monday..Sunday
};
struct SeasonDef {
  std::uint8_t month, day, week;
};
struct SpecialDayDef {
  std::uint8_t month, day, day_profile;
  std::uint16_t year;  // kNone (0xFFFF, the COSEM "not specified"): every year
};

struct CalendarDef {
  std::uint8_t tariffs;
  std::uint8_t fallback_tariff;
  bool passive;
  std::uint8_t max_tariffs, max_seasons, max_week_profiles, max_day_profiles, max_switchings;
  std::uint16_t max_special_days;
  const SeasonDef* seasons;
  std::uint8_t season_count;
  const WeekProfileDef* weeks;
  std::uint8_t week_count;
  const DayProfileDef* days;
  std::uint8_t day_count;
  const SwitchingDef* switchings;
  const SpecialDayDef* special_days;
  std::uint16_t special_day_count;
};

struct DstRuleDef {
  std::uint8_t month;
  std::uint8_t week;     // 1..4, 5 = last, 0 = fixed day
  std::uint8_t weekday;  // 1 = Monday .. 7 = Sunday
  std::uint8_t day;
  std::uint16_t minute;
};

struct ClockDef {
  std::uint16_t object;
  std::int16_t time_zone_min;
  std::uint8_t clock_base;  // IC 8 attribute 9 enum
  bool dst_enabled;
  std::int8_t dst_deviation_min;
  DstRuleDef dst_begin;
  DstRuleDef dst_end;
};

enum class DisplayMode : std::uint8_t { auto_scroll, manual, power_off, test, service, normal, alternate };
enum class DisplayFormat : std::uint8_t { value, date, time, date_time, text, hex, all_segments, blank };

struct DisplayItemDef {
  std::uint16_t object;  // kNone for special screens
  std::int8_t attribute;
  DisplayFormat format;
  std::uint8_t digits;
  std::uint8_t decimals;
  char code[12];         // code shown on the LCD, NUL-terminated
  char unit[6];          // unit shown ("kWh"), NUL-terminated; "" = none
  std::int8_t unit_shift;  // shown value = object value / 10^unit_shift (3: Wh shown in kWh)
};

struct DisplayListDef {
  DisplayMode mode;
  std::uint8_t activations;
  std::uint16_t first_item;  // into Model::display_list_items
  std::uint16_t item_count;
  std::uint16_t scroll_s;
  std::uint16_t timeout_s;
  std::uint16_t duration_s;
  // A list a client may set (docs/display.md, Settable lists).
  std::uint16_t list_object;  // the display readout (class 7) whose state holds the list, kNone: the tables' list
  std::uint16_t max_items;    // the longest list it takes
  std::uint16_t time_object;  // Data holding scroll_s (a list that scrolls), else timeout_s; kNone: fixed
  std::uint16_t time_min_s;   // the range a client may set that time in
  std::uint16_t time_max_s;
};

// The measuring hardware (spec `hardware`): what metrology and the energy
// registers need to know. Transformer ratios are objects (1.0.0.4.2/3/5/6),
// not table data, because a client may set them.
struct MeteringDef {
  bool transformer_operated;          // CT/PT connection: registers hold primary values
  bool neutral_current;               // the neutral current is measured
  std::uint32_t voltage_min_mv;       // reference voltage range, phase to neutral
  std::uint32_t voltage_max_mv;
  std::uint32_t basic_current_ma;     // Ib (direct) or In (transformer), the largest listed
  std::uint32_t max_current_ma;       // Imax, the largest listed
  std::uint32_t starting_current_ma;  // below it no energy registers (anti-creep)
  std::uint16_t frequency_hz;         // nominal, the first listed
  std::uint32_t active_imp_per_kwh;   // meter constant of the active pulse LED, 0 = none
  std::uint32_t reactive_imp_per_kvarh;
  char active_class[5];               // tightest accuracy class listed: "0.2S", "1", "B"
  char reactive_class[5];             // "" = no reactive metering
};

// The meter's HDLC link: its limits (the server's own view in the SNRM/UA
// negotiation) from the model's first IEC HDLC setup object (lowest logical
// name; IEC 62056-46 defaults without one), and a frame buffer sized for the
// largest information field of all of them, so a model that keeps 128-byte
// fields pays for no more.
struct HdlcLinkDef {
  std::uint16_t max_info_transmit;
  std::uint16_t max_info_receive;
  std::uint8_t window_transmit;
  std::uint8_t window_receive;
  std::uint16_t inter_octet_ms;  // IC 23 attribute 7
  std::uint16_t inactivity_s;    // IC 23 attribute 8, 0 = none
  std::uint16_t device_address;  // the physical address (IC 23 attribute 9)
  std::uint8_t* frame;           // one frame: information field and frame overhead
  std::uint16_t frame_size;
};

// The RAM the runtime keeps per profile and per association and for a push,
// reserved by the generated tables so that an image holds what its model needs;
// the layouts are the runtime's (metergen/model_ram.hpp, which generated code
// includes to define the arrays).
struct ProfileRam;
struct AssociationRam;
struct ModelRam {
  ProfileRam* profiles;          // Model::profile_count of them
  AssociationRam* associations;  // Model::association_count of them
  std::uint8_t* push_frame;      // kPushFrameBytes, nullptr without push setups
};

struct Model {
  std::uint16_t abi_version;
  const char* id;
  std::uint8_t phases;
  MeteringDef metering;
  const ObjectDef* objects;
  std::uint16_t object_count;
  const std::uint8_t* access_modes;
  const AccessProfile* access_profiles;
  std::uint16_t access_profile_count;
  const AssociationDef* associations;
  std::uint8_t association_count;
  const CaptureDef* captures;
  const ProfileDef* profiles;
  std::uint16_t profile_count;
  const EventDef* events;
  const EventLogDef* event_logs;
  std::uint8_t event_log_count;
  const DetectionDef* detections;
  std::uint8_t detection_count;
  const EventCounterDef* event_counters;
  std::uint8_t event_counter_count;
  const DisconnectDef* disconnect;  // nullptr: no disconnector
  const LimiterDef* limiters;
  std::uint8_t limiter_count;
  const DemandDef* demand;          // nullptr: no demand
  BillingDef billing;
  const CalendarDef* calendar;      // nullptr: single tariff, no calendar
  ClockDef clock;
  const DisplayItemDef* display_items;       // the screen pool: every screen a list may show, once
  std::uint16_t display_item_count;
  const std::uint16_t* display_list_items;   // each list's screens in order, indexes into display_items
  const DisplayListDef* display_lists;
  std::uint8_t display_list_count;
  const std::uint8_t* value_pool;
  std::uint32_t value_pool_size;
  std::uint8_t* state;              // mutable object state, zero at boot (cosem::state_bytes sizes it)
  std::uint32_t state_size;
  const PushSetupDef* push_setups;
  std::uint8_t push_setup_count;
  const RegisterMonitorDef* register_monitors;
  std::uint8_t register_monitor_count;
  const MonitorActionDef* monitor_actions;
  const PrepaymentDef* prepayment;  // nullptr: no prepayment
  const AttributeValueDef* attribute_values;
  std::uint16_t attribute_value_count;
  HdlcLinkDef hdlc;
  ModelRam ram;
};

// Defined by the one generated model linked into the image.
extern const Model active_model;

// The object with `role`, kNone when the model has none (a linear search: call it at boot).
constexpr std::uint16_t find_role(const Model& m, Role role) {
  for (std::uint16_t i = 0; i < m.object_count; ++i)
    if (m.objects[i].role == role) return i;
  return kNone;
}

// Objects are sorted by logical name: binary search, O(log n), on the names' keys.
constexpr std::uint16_t find_object(const Model& m, const LogicalName& ln) {
  const std::uint64_t wanted = ln_key(ln);
  std::uint16_t lo = 0, hi = m.object_count;
  while (lo < hi) {
    std::uint16_t mid = static_cast<std::uint16_t>(lo + (hi - lo) / 2);
    if (ln_key(m.objects[mid].ln) < wanted) lo = static_cast<std::uint16_t>(mid + 1);
    else hi = mid;
  }
  return lo < m.object_count && ln_key(m.objects[lo].ln) == wanted ? lo : kNone;
}

}  // namespace metergen::tables
