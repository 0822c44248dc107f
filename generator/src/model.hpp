// The typed model: what a spec means after imports, `extends`, expansions and
// implicit objects are resolved. Emitters read only this. Objects are sorted by
// logical name; every cross reference is an index into `objects`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cosem.hpp"
#include "obis.hpp"
#include "tree.hpp"

namespace metergen {

enum class AttrMode : std::uint8_t { none = 0, read = 1, write = 2, read_write = 3, auth_read = 4, auth_write = 5, auth_read_write = 6 };
enum class MethodMode : std::uint8_t { none = 0, access = 1, auth_access = 2 };

inline bool readable(AttrMode m) {
  return m == AttrMode::read || m == AttrMode::read_write || m == AttrMode::auth_read || m == AttrMode::auth_read_write;
}

struct StaticAttribute {
  int index = 0;
  std::optional<cosem::DataType> type;
  std::string value;
  Mark mark;
  std::optional<std::size_t> value_offset;  // into Model::value_pool once encoded (classes without behaviour)
  int value_size = 0;
  std::string origin = "spec";  // or why the generator filled it in (class_defaults.hpp)
};

struct Object {
  std::string name;
  Obis ln{};
  const cosem::InterfaceClass* cls = nullptr;
  int version = 0;
  std::string description;
  std::vector<std::string> groups;
  std::optional<cosem::DataType> type;  // value attribute(s)
  int scaler = 0;
  int unit = -1;                        // -1: no scaler_unit
  std::string source_kind;              // energy, instantaneous, constant, parameter, ...
  std::string source_quantity;          // active_import, voltage, ... (may be empty)
  std::string role = "none";            // cosem::object_roles(): what the runtime's engines use it for
  int tariff = 0;                       // E for per-tariff families, 0 otherwise
  int phase = 0;                        // 0 total, 1..3
  std::optional<std::string> value;     // constant value
  std::optional<std::string> default_value;
  int length = 0;                       // string content length
  std::vector<int> writable;            // attributes a write mode may write
  std::string display_code;
  std::vector<StaticAttribute> attributes;
  Mark mark;                            // declaration (or section that implied it)
  bool implicit = false;                // added by the generator from a section
  // Table layout, set once every section has had its say on types and values:
  std::string runtime_quantity = "none";      // the runtime Quantity it reads ("none": not metrology-fed)
  std::optional<std::size_t> value_offset;    // into Model::value_pool: its encoded constant or default
  int value_size = 0;                         // encoded bytes of its value, tag included
  std::optional<std::uint32_t> state_offset;  // into the runtime's mutable state; none: keeps no state
};

struct AccessSet {
  bool listed = false;
  std::vector<AttrMode> attributes;  // index 0 = attribute 1
  std::vector<MethodMode> methods;   // index 0 = method 1
};

struct Association {
  std::string name, description;
  int sap = 0;
  Obis ln{};
  std::string authentication, fallback_authentication;
  std::vector<std::string> security_policy;
  int security_suite = 0;
  std::optional<Obis> security_setup;
  bool pre_established = false;
  bool remote_only = false;
  bool compact_profiles = false;
  std::vector<std::string> services;
  std::optional<std::size_t> security_setup_object;  // the object at security_setup
  std::vector<AccessSet> access;  // parallel to Model::objects
  Mark mark;
};

struct Capture {
  std::size_t object = 0;
  int attribute = 2;
  int data_index = 0;
  int encoded_bytes = 0;
  Mark mark;
};

struct Profile {
  std::string name, description, purpose;
  std::size_t object = 0;
  std::uint32_t capture_period_s = 0;
  std::vector<std::uint32_t> allowed_periods_s;
  std::uint32_t entries = 0;
  std::string sort = "fifo";
  std::optional<std::size_t> sort_object;
  std::optional<std::uint64_t> storage_bytes;
  std::optional<int> max_capture_objects;
  std::vector<std::string> selective_access;
  std::vector<Capture> capture;
  std::uint32_t entry_bytes = 0;  // encoded size of one buffer entry (structure header included)
  std::optional<std::size_t> status_object;  // captured status.profile / status.pq_profile object
  Mark mark;
};

struct Event {
  int code = 0;
  std::string name, group, description;
  bool log = true, push = false;
  std::string trigger;                // events::triggers() name; empty: nothing detects it
  bool end = false;                   // a condition's end (`edge: end`)
  int qualifier = 0;                  // phase 1..3 or relay cause (0: any)
  std::optional<std::size_t> object;  // parameter_changed of this object only
  std::optional<int> alarm_bit, error_bit;  // alarm / error register bit the event sets
  Mark mark;
};

// How a condition trigger is detected (`detection.<trigger>`): the level in the
// trigger's unit (events::LevelUnit), how long it must hold, and the objects a
// client may set them with.
struct Detection {
  std::string trigger;
  std::optional<double> level, restore;
  std::uint32_t for_s = 0;
  std::optional<std::size_t> level_object, for_object;
  Mark mark;
};

// An object with source counter.<x> that counts the starts of a trigger.
struct EventCounter {
  std::size_t object = 0;
  std::string trigger;
  int phase = 0;
};

struct EventLog {
  std::string name, description;
  std::size_t log_object = 0, code_object = 0;
  std::size_t profile = 0;  // the log's buffer in Model::profiles
  std::optional<std::size_t> filter_object;
  std::uint32_t capacity = 0;
  int code_min = 0, code_max = 65535;
  std::vector<Event> events;
  Mark mark;
};

struct FilterBit {
  int bit = 0;
  std::string name, trigger;
  bool enabled = false;
};

struct DisconnectControl {
  std::size_t object = 0;
  std::string description;
  int default_mode = 0;
  std::vector<int> supported_modes;
  std::vector<std::string> local_triggers;
  int manual_reconnect_hold_s = 0;
  std::optional<std::size_t> tamper_filter_object;
  std::vector<FilterBit> tamper_filter;
  Mark mark;
};

struct Limiter {
  std::string name, description;
  std::size_t object = 0;
  std::size_t monitored = 0;
  std::vector<std::size_t> monitored_options;
  std::optional<double> threshold_normal, threshold_emergency;
  std::uint32_t over_s = 0, under_s = 0, reconnect_delay_s = 0, count_reset_s = 0;
  int max_reconnects = 0;
  std::string final_state;
  std::int64_t raw_normal = 0, raw_emergency = 0;  // thresholds in the monitored object's scaler; 0 if unset
  Mark mark;
};

// A script a register monitor runs: script `selector` of script table `table`.
struct ScriptRef {
  std::optional<std::size_t> table;  // none: no action
  int selector = 0;
};

// One threshold of a register monitor and its actions.
struct MonitorThreshold {
  double value = 0;        // in the monitored value's unit
  std::int64_t raw = 0;    // as the monitored object holds it (its scaler applied)
  ScriptRef up, down;
  Mark mark;
};

// A register monitor (IC 21): thresholds on one object's value, each with the
// scripts run when the value crosses it.
struct RegisterMonitor {
  std::string name, description;
  std::size_t object = 0;
  std::size_t monitored = 0;
  std::vector<MonitorThreshold> thresholds;
  Mark mark;
};

// The prepayment account (section `prepayment`): its objects, its credit unit
// and rate, amounts in amount units (mWh of the charged energy, or 10^-5 of
// the currency), friendly hours and the STS key data.
struct Prepayment {
  std::size_t account = 0, token_credit = 0, token_gateway = 0, charged = 0;
  std::optional<std::size_t> emergency_credit, charge, friendly_enable;
  int payment_mode = 2;  // 1 credit (post-payment), 2 prepayment
  bool currency = false;
  std::string currency_name = "kWh";
  int scale = -3;                 // shown amounts: 10^scale of the currency (energy: Wh)
  std::int64_t shown_unit = 1000; // amount units in one shown unit
  std::uint32_t rate = 0;         // amount units a kWh costs (currency credit)
  std::int64_t initial_credit = 0, low_credit = 0, emergency_amount = 0, emergency_below = 0, max_credit = 0;
  int friendly_from_min = 0, friendly_to_min = 0;
  bool friendly_weekends = false, friendly_special_days = false;
  int keypad_failures = 0;
  std::uint32_t keypad_lockout_s = 0;
  struct Sts { int algorithm = 7, key_type = 2, tariff_index = 0, key_revision = 1, key_expiry = 255, base_date = 0, manufacturer_code = 0; long long supply_group = 0; } sts;
  Mark mark;
};

// A push setup (IC 40): its destination, protection and push object list.
struct PushSetup {
  std::size_t object = 0;
  std::string destination;                   // "host:port"
  std::optional<std::size_t> association;    // keys and response policy; none: plain
  int client_sap = 102;                      // destination wPort
  std::vector<Capture> objects;              // push_object_list (attribute, data_index 0)
  int randomisation_s = 0, retries = 0, repetition_delay_s = 0;
  Mark mark;
};

struct Demand {
  std::string method;
  std::uint32_t period_s = 0;
  int number_of_periods = 1;
  std::vector<std::uint32_t> allowed_periods_s;
  std::uint32_t max_window_s = 3600;
  std::vector<std::string> recalculate_on, reset;
  Mark mark;
};

struct Billing {
  bool daily = false, monthly = false;
  int daily_minute = 0;      // minutes after midnight
  std::optional<std::size_t> daily_profile, monthly_profile;
  int monthly_day = 1, monthly_minute = 0;
  std::vector<std::string> methods;
  std::uint32_t lockout_s = 0;
  int button_hold_s = 0;
  bool catch_up = false;
};

struct Switching {
  int minute = 0;  // after midnight
  int tariff = 1;
};

struct Calendar {
  bool present = false;
  int tariffs = 1;
  int max_tariffs = 0, max_seasons = 0, max_week_profiles = 0, max_day_profiles = 0, max_switchings = 0,
      max_special_days = 0;
  bool passive = false;
  int fallback_tariff = 1;
  struct Season { std::string name; int month = 1, day = 1; std::size_t week = 0; };
  struct Week { std::string name; std::vector<std::size_t> days; };
  struct Day { std::string name; std::vector<Switching> switchings; };
  struct Special { int year = 0xFFFF, month = 1, day = 1; std::size_t day_profile = 0; std::string name; };  // year 0xFFFF: every year
  std::vector<Season> seasons;
  std::vector<Week> weeks;
  std::vector<Day> days;
  std::vector<Special> special_days;
  Mark mark;
};

struct DstRule {
  int month = 1;
  int week = 0;     // 1..4, 5 = last; 0 = fixed day
  int weekday = 0;  // 1 = Monday .. 7 = Sunday
  int day = 0;
  int minute = 0;
};

struct Clock {
  std::size_t object = 0;
  int time_zone_min = 0;
  std::string clock_base = "crystal";
  int clock_base_code = 1;  // IC 8 clock_base enum
  double accuracy_s_per_day = 0;
  std::vector<FilterBit> status_bits;
  bool dst_enabled = false;
  DstRule dst_begin, dst_end;
  int dst_deviation_min = 60;
};

struct DisplayItem {
  std::optional<std::size_t> object;
  std::string special;
  int attribute = 2;
  std::string show, label, format = "value", unit;
  std::string code;  // what the LCD table holds: `show` within DisplayItemDef::code's 11 characters
  int digits = 8, decimals = 0;
  int unit_shift = 0;  // power of ten from the object's unit to `unit` (3 for Wh shown in kWh)
  Mark mark;
};

struct DisplayList {
  std::string mode, description, same_as;
  int scroll_s = 0, scroll_min_s = 0, scroll_max_s = 0, timeout_s = 0, duration_s = 0, activations = 0;
  int max_items = 0;
  std::vector<DisplayItem> items;
  std::vector<std::size_t> pool_items;  // the same items as indexes into Model::display_pool
  // A list a client may set (docs/display.md, Settable lists): the display readout
  // (class 7) whose capture_objects are the list, the Data holding its time (scroll_s
  // when it scrolls, else timeout_s) and the range that time may be set in.
  std::optional<std::size_t> list_object, time_object;
  int time_min_s = 0, time_max_s = 0;
  std::size_t shows = 0;  // the list whose items it shows: itself, or its same_as
  Mark mark;
};

// The hardware as the firmware tables carry it (hardware section).
struct Metering {
  bool transformer_operated = false, neutral_current = false;
  std::uint32_t voltage_min_mv = 0, voltage_max_mv = 0;    // reference voltage range
  std::uint32_t basic_current_ma = 0, max_current_ma = 0;  // the largest listed
  std::uint32_t starting_current_ma = 0;                   // given, or the IEC default
  int frequency_hz = 50;                                   // the first listed
  std::string active_class, reactive_class;                // the tightest listed, at most 4 characters
};

struct Model {
  // identity
  std::string id, vendor, name, description, manual_title, manual_revision, manual_notes;
  std::vector<std::string> inputs;  // spec files, imports and bases, as given
  std::string base_spec;            // the spec this one `extends`, as found (empty: none)
  // hardware
  int phases = 3;
  std::vector<std::string> networks;
  std::string connection;
  std::vector<double> reference_voltage_v, basic_current_a, max_current_a, frequency_hz;
  std::optional<double> starting_current_a, starting_current_ratio;
  int active_imp_per_kwh = 0, reactive_imp_per_kvarh = 0;
  std::vector<std::string> accuracy_active, accuracy_reactive;
  struct Part { std::string part, presence, description; int count = 1; };
  struct Port { std::string name, kind, presence; std::vector<std::string> protocols; int default_baud = 0; };
  std::vector<Part> parts;
  std::vector<Port> ports;
  Metering metering;

  std::vector<Object> objects;  // sorted by logical name
  std::vector<Association> associations;
  std::vector<Profile> profiles;
  std::vector<EventLog> event_logs;
  std::vector<Detection> detection;         // sorted by trigger name
  std::vector<EventCounter> event_counters;
  std::optional<DisconnectControl> disconnect;
  std::vector<Limiter> limiters;
  std::vector<RegisterMonitor> register_monitors;
  std::vector<PushSetup> push_setups;
  std::optional<Prepayment> prepayment;
  std::optional<Demand> demand;
  Billing billing;
  Calendar calendar;
  Clock clock;
  int display_digits = 8;
  std::vector<DisplayList> display_lists;
  // Every screen a list may show, once: the spec's `display.pool` when it has one
  // (display_pool_declared; lists then only name its screens), else the lists' own items.
  std::vector<DisplayItem> display_pool;
  bool display_pool_declared = false;
  // Layout of the objects' values (objects section).
  std::vector<std::uint8_t> value_pool;  // encoded constants and defaults
  std::uint32_t state_size = 0;          // bytes of mutable object state
};

}  // namespace metergen
