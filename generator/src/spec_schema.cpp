#include "spec_schema.hpp"

#include <regex>

#include "cosem.hpp"
#include "event_triggers.hpp"
#include "obis.hpp"

namespace metergen {

using namespace schema;

const std::vector<std::string>& metrology_quantities() {
  static const std::vector<std::string> q = {
      "active_import", "active_export", "reactive_import", "reactive_export", "reactive_q1", "reactive_q2",
      "reactive_q3", "reactive_q4", "apparent_import", "apparent_export", "active_absolute", "active_net",
      "voltage", "current", "neutral_current", "power_factor", "frequency", "voltage_angle", "current_angle",
      "thd_voltage", "thd_current", "battery_voltage", "temperature"};
  return q;
}

const std::vector<std::string>& runtime_quantities() {
  static const std::vector<std::string> q = [] {
    std::vector<std::string> all = metrology_quantities();
    all.push_back("operating_time");     // counter.operating_time, kept by the time engine
    all.push_back("disconnect_reason");  // relay.disconnect_reason, kept by the load-control engine
    all.push_back("pq_duration");        // event.pq_duration, kept by the event engine
    all.push_back("pq_voltage");         // event.pq_voltage, kept by the event engine
    all.push_back("long_power_failure_duration");  // event.long_power_failure_duration, kept by the event engine
    return all;
  }();
  return q;
}

const std::vector<std::string>& source_kinds() {
  // energy .. minimum are fed by metrology and need a quantity from metrology_quantities();
  // the others name runtime state kept per object.
  static const std::vector<std::string> k = {"energy",    "demand",  "max_demand", "instantaneous", "average",
                                             "maximum",   "minimum", "constant",   "parameter",     "clock",
                                             "counter",   "status",  "event",      "calendar",      "billing",
                                             "relay",     "identity", "security",  "communication", "prepayment"};
  return k;
}

namespace {

std::string check_obis(const std::string& s) {
  auto p = parse_obis(s);
  return p.value ? std::string() : p.problem;
}

std::string check_obis_pattern(const std::string& s) {
  auto p = parse_obis_pattern(s);
  return p.values.empty() ? p.problem : std::string();
}

std::string check_regex(const std::string& s, const std::regex& re, const char* what) {
  return std::regex_match(s, re) ? std::string() : std::string("is not ") + what;
}

TypeP obis() {
  static TypeP t = pattern_type("Obis", R"(^(\d{1,3}\.){5}\d{1,3}$|^\d{1,3}-\d{1,3}:\d{1,3}\.\d{1,3}\.\d{1,3}(\*\d{1,3})?$)",
                                "an OBIS code A.B.C.D.E.F with groups 0..255", check_obis,
                                "OBIS logical name, dotted (1.0.1.8.0.255) or IEC form (1-0:1.8.0*255).");
  return t;
}

TypeP identifier() {
  static const std::regex re("^[a-z][a-z0-9_]*$");
  static TypeP t = pattern_type("Identifier", "^[a-z][a-z0-9_]*$", "a lower_snake_case name",
                                [](const std::string& s) { return check_regex(s, re, "a lower_snake_case name"); },
                                "Name used to refer to this item elsewhere in the spec (lower_snake_case).");
  return t;
}

// An object reference: an object name, an OBIS code, or an OBIS pattern with ranges
// ("1.0.1.8.0-4.255") where a list of objects is meant.
TypeP object_ref() {
  static const std::regex name_re("^[a-z][a-z0-9_]*$");
  static TypeP t = pattern_type(
      "ObjectRef", R"(^[a-z][a-z0-9_]*$|^[0-9.\-:*]+$)", "an object name or OBIS code",
      [](const std::string& s) {
        if (looks_like_obis(s)) return check_obis_pattern(s);
        return check_regex(s, name_re, "an object name or OBIS code");
      },
      "Object by name, or by OBIS code; a value group may be a range N-M where a list is allowed.");
  return t;
}

TypeP time_of_day() {
  static const std::regex re("^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$");
  static TypeP t = pattern_type("TimeOfDay", "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "a time HH:MM[:SS]",
                                [](const std::string& s) { return check_regex(s, re, "a time HH:MM[:SS]"); },
                                "Local time of day, 24-hour clock.");
  return t;
}

TypeP month_day() {
  static const std::regex re("^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
  static TypeP t = pattern_type("MonthDay", "^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "a date MM-DD",
                                [](const std::string& s) { return check_regex(s, re, "a date MM-DD"); },
                                "Yearly recurring date, month-day.");
  return t;
}

TypeP special_date() {
  static const std::regex re("^([0-9]{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
  static TypeP t = pattern_type("SpecialDate", "^([0-9]{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                                "a date MM-DD or YYYY-MM-DD",
                                [](const std::string& s) { return check_regex(s, re, "a date MM-DD or YYYY-MM-DD"); },
                                "A special day: MM-DD every year, YYYY-MM-DD in that year only.");
  return t;
}

TypeP range_spec() {
  static const std::regex re("^[0-9]{1,3}(-[0-9]{1,3})?$");
  static TypeP t = one_of({integer(0, 255),
                           pattern_type("Range", "^[0-9]{1,3}(-[0-9]{1,3})?$", "a range N-M",
                                        [](const std::string& s) { return check_regex(s, re, "a range N-M"); }, ""),
                           list_of(integer(0, 255))},
                          "a number, a range N-M or a list of numbers",
                          "Values to expand: 0-4 means total and rates 1..4.");
  return t;
}

TypeP scalar_value() {
  static TypeP t = any("A scalar value: number, string or boolean.");
  return t;
}

TypeP class_ref() {
  auto names = cosem::class_names();
  static TypeP t = one_of({integer(1, 65535), enumeration(names)}, "an interface class name or class_id",
                          "Interface class, by name (register) or class_id (3).");
  return t;
}

TypeP data_type() {
  std::vector<std::string> names;
  for (const auto& d : cosem::data_types()) names.emplace_back(d.name);
  static TypeP t = enumeration(names, "A-XDR data type of the value.");
  return t;
}

TypeP unit() {
  std::vector<std::string> names;
  for (const auto& u : cosem::units()) names.emplace_back(u.name);
  static TypeP t = enumeration(names, "DLMS unit (value is raw × 10^scaler in this unit).");
  return t;
}

TypeP object_role() {
  static TypeP t = enumeration(cosem::object_roles(), "What the runtime's engines use the object for.");
  return t;
}

TypeP source() {
  static const std::regex re("^[a-z_]+(\\.[a-z0-9_]+)?$");
  static TypeP t = pattern_type("Source", "^[a-z_]+(\\.[a-z0-9_]+)?$", "a runtime source kind[.quantity]",
                                [](const std::string& s) { return check_regex(s, re, "a runtime source kind[.quantity]"); },
                                "Runtime quantity the value is bound to, e.g. energy.active_import, "
                                "instantaneous.voltage, parameter, constant.");
  return t;
}

TypeP phases() {
  static TypeP t = list_of(enumeration({"total", "L1", "L2", "L3"}), "Phase family: total and/or L1..L3 (C+20/40/60).");
  return t;
}

TypeP attribute_value() {
  return object("AttributeValue",
                {{"index", integer(1, 127), true, "Attribute index."},
                 {"type", data_type(), false, ""},
                 {"value", scalar_value(), true, "Static or default value."}},
                "Default value of a further attribute.");
}

TypeP attribute_mode() {
  return enumeration({"none", "read", "write", "read_write", "auth_read", "auth_write", "auth_read_write"});
}

TypeP method_mode() { return enumeration({"none", "access", "auth_access"}); }

TypeP object_access() {
  return object("ObjectAccess",
                {{"association", identifier(), true, "Association name."},
                 {"attributes", attribute_mode(), false, ""},
                 {"only_attributes", list_of(integer(1, 127)), false, ""},
                 {"methods", method_mode(), false, ""},
                 {"only_methods", list_of(integer(1, 127)), false, ""}},
                "Access of one association to this object.");
}

TypeP object_decl() {
  return object(
      "Object",
      {{"use", string_type(), false, "Catalog quantity to instantiate (specs/catalog)."},
       {"name", identifier(), false, "Object name; for `use` the catalog key by default."},
       {"obis", obis(), false, "Logical name (required unless `use` gives it)."},
       {"class", class_ref(), false, ""},
       {"version", integer(0, 255), false, "Interface class version."},
       {"description", string_type(), false, ""},
       {"tariffs", range_spec(), false, "Expand per tariff: value group E."},
       {"phases", phases(), false, "Expand per phase."},
       {"groups", list_of(identifier()), false, "Groups used by access rules."},
       {"type", data_type(), false, ""},
       {"scaler", integer(-128, 127), false, ""},
       {"unit", unit(), false, ""},
       {"source", source(), false, ""},
       {"role", object_role(), false, "What the runtime's engines use the object for (one object per role)."},
       {"value", scalar_value(), false, "Static value (source constant)."},
       {"default", scalar_value(), false, "Initial value of a settable parameter."},
       {"length", integer(0, 65535), false, "Length of a string value, for storage sizes."},
       {"writable", list_of(integer(2, 127)), false, "Attributes a read_write rule may write."},
       {"display_code", string_type(), false, "Code shown on the LCD (default: C.D.E)."},
       {"attributes", list_of(attribute_value()), false, ""},
       {"access", list_of(object_access()), false, "Per-association overrides, applied after the rules."}},
      "A COSEM object, or a family of them when `tariffs`/`phases` expand it.");
}

TypeP access_rule() {
  return object("AccessRule",
                {{"objects", list_of(object_ref()), false, "Objects by name or OBIS."},
                 {"groups", list_of(identifier()), false, "Objects by group."},
                 {"classes", list_of(class_ref()), false, "Objects by interface class."},
                 {"all", boolean(), false, "Every object."},
                 {"attributes", attribute_mode(), false,
                  "Attribute access; *write applies to the object's writable attributes."},
                 {"only_attributes", list_of(integer(1, 127)), false, "Apply `attributes` to these only."},
                 {"methods", method_mode(), false, "Method access."},
                 {"only_methods", list_of(integer(1, 127)), false, "Apply `methods` to these only."}},
                "Later rules override earlier ones; a matched object is listed in the association.");
}

TypeP association() {
  return object(
      "Association",
      {{"name", identifier(), true, ""},
       {"description", string_type(), false, ""},
       {"sap", integer(1, 127), true, "Client SAP (client address)."},
       {"logical_name", obis(), false, "Association LN object, default 0.0.40.0.<n>.255."},
       {"authentication", enumeration({"none", "lls", "hls-gmac"}), true, ""},
       {"fallback_authentication", enumeration({"none", "lls", "hls-gmac"}), false, ""},
       {"security_policy",
        list_of(enumeration({"authenticated_request", "encrypted_request", "authenticated_response",
                             "encrypted_response"})),
        false, "Security setup v1 policy bits; empty: no protection."},
       {"security_suite", integer(0, 2), false, ""},
       {"security_setup", obis(), false, "Security setup object for this client."},
       {"pre_established", boolean(), false, ""},
       {"remote_only", boolean(), false, ""},
       {"compact_profiles", boolean(), false,
        "Profile buffers this client reads are sent as compact-array (A-XDR tag 0x13); default false."},
       {"services",
        list_of(enumeration({"get", "set", "action", "get_with_list", "set_with_list", "block_transfer_get",
                             "block_transfer_set", "selective_access", "data_notification"})),
        false, ""},
       {"access", list_of(access_rule()), false, ""}},
      "A client association (§ client management of the manuals).");
}

TypeP capture_item() {
  return one_of({object_ref(),
                 object("CaptureObject",
                        {{"object", object_ref(), true, ""},
                         {"attribute", integer(1, 127), false, "Default: the value attribute."},
                         {"data_index", integer(0, 65535), false, ""}},
                        "")},
                "an object reference or {object, attribute, data_index}", "");
}

TypeP profile() {
  return object(
      "Profile",
      {{"name", identifier(), true, ""},
       {"obis", obis(), true, ""},
       {"description", string_type(), false, ""},
       {"purpose", enumeration({"load", "instantaneous", "daily_billing", "monthly_billing", "power_quality", "other"}),
        false, ""},
       {"capture_period_s", integer(0, 31 * 86400), false, "0: capture on trigger only."},
       {"allowed_periods_s", list_of(integer(1, 31 * 86400)), false, ""},
       {"entries", integer(1, 4294967295.0), true, "Depth (profile_entries)."},
       {"sort", enumeration({"fifo", "lifo", "largest", "smallest", "nearest_to_zero", "farthest_from_zero"}), false,
        ""},
       {"sort_object", object_ref(), false, ""},
       {"storage_bytes", integer(1, 4294967295.0), false, "Declared storage for the buffer."},
       {"max_capture_objects", integer(1, 1000), false, ""},
       {"selective_access", list_of(enumeration({"range", "entry"})), false, ""},
       {"groups", list_of(identifier()), false, ""},
       {"capture", list_of(capture_item(), "", 1), true, "Capture objects, in buffer column order."}},
      "A Profile generic (IC 7) object.");
}

TypeP event() {
  return object("Event",
                {{"code", integer(0, 65535), true, ""},
                 {"name", string_type(), true, ""},
                 {"group", string_type(), false, ""},
                 {"log", boolean(), false, "Default from the log's filter."},
                 {"push", boolean(), false, ""},
                 {"description", string_type(), false, ""},
                 {"trigger", enumeration(events::trigger_names()), false,
                  "What the meter detects to log this code (docs/events.md); absent: nothing logs it (a warning)."},
                 {"edge", enumeration({"start", "end"}), false, "Of a condition trigger: its start (default) or end."},
                 {"phase", integer(1, 3), false, "Of a per-phase trigger; absent: any phase."},
                 {"object", object_ref(), false, "Of parameter_changed: this object only."},
                 {"alarm", integer(0, 31), false,
                  "Bit the event sets in the alarm register (role alarm_register), unless the alarm filter "
                  "blocks it, and in the alarm descriptor (role alarm_descriptor)."},
                 {"error", integer(0, 31), false, "Bit of the error register (role error_register) the event sets."},
                 {"cause", identifier(), false,
                  "Of relay_*: remote, manual, local or a local trigger of disconnect_control; absent: any."}},
                "");
}

TypeP detection_entry() {
  return object("Detection",
                {{"level", number(-1e12, 1e12), false, "In the trigger's unit (V, A, W, %, power factor, count)."},
                 {"restore", number(-1e12, 1e12), false, "Level at which the condition ends (default: level)."},
                 {"for_s", integer(0, 4294967295.0), false, "Seconds the level must hold before the start (and the end); for authentication_failures, the first login lockout."},
                 {"level_object", object_ref(), false, "Object whose value (in the same unit) replaces level."},
                 {"for_object", object_ref(), false, "Object whose value in seconds replaces for_s."}},
                "How a condition is detected.");
}

TypeP detection() {
  std::vector<Field> fields;
  for (const auto& name : events::detection_names()) fields.push_back({name, detection_entry(), false, ""});
  return object("Detections", std::move(fields), "Levels and durations of the event triggers (docs/events.md).");
}

TypeP event_log() {
  return object(
      "EventLog",
      {{"name", identifier(), true, ""},
       {"description", string_type(), false, ""},
       {"log", obis(), true, "Event log object (IC 7)."},
       {"code_object", obis(), true, "Event code object (IC 1)."},
       {"filter_object", obis(), false, "Log/push filter object (IC 1, bit-string)."},
       {"capacity", integer(1, 1000000), true, "Entries kept."},
       {"code_range", list_of(integer(0, 65535)), false, "[min, max] allowed codes."},
       {"log_by_default", boolean(), false, ""},
       {"push_by_default", boolean(), false, ""},
       {"storage_bytes", integer(1, 4294967295.0), false, ""},
       {"groups", list_of(identifier()), false, ""},
       {"capture", list_of(object_ref()), false, "Columns captured after the clock time and the event code."},
       {"events", list_of(event()), false, ""}},
      "An event log with its event-code object and event table.");
}

TypeP tamper_bit() {
  return object("FilterBit",
                {{"bit", integer(0, 63), true, ""},
                 {"name", string_type(), true, ""},
                 {"trigger", identifier(), false, ""},
                 {"enabled", boolean(), false, "Default state of the bit."}},
                "");
}

}  // namespace

std::vector<std::string> local_triggers() {
  return {"limiter",          "over_power",        "over_current",       "over_voltage",   "high_voltage",
          "under_voltage",    "tamper",            "current_reversal",   "current_unbalance", "cover_open",
          "terminal_cover_open", "module_removed", "magnetic_field",     "phase_sequence_reversal",
          "voltage_missing",  "current_without_voltage", "over_temperature", "credit_exhausted", "schedule",
          "script"};
}

namespace {

TypeP disconnect_control() {
  return object(
      "DisconnectControl",
      {{"obis", obis(), false, "Default 0.0.96.3.10.255."},
       {"description", string_type(), false, ""},
       {"default_mode", integer(0, 255), true, "control_mode at delivery."},
       {"supported_modes", list_of(integer(0, 255)), true, ""},
       {"local_triggers", list_of(enumeration(local_triggers())), false, "What may disconnect locally (g)."},
       {"manual_reconnect_hold_s", integer(0, 60), false, ""},
       {"tamper_filter_object", obis(), false, ""},
       {"tamper_filter", list_of(tamper_bit()), false, "Events that disconnect when their bit is set."},
       {"groups", list_of(identifier()), false, ""}},
      "The supply disconnector (IC 70).");
}

TypeP limiter() {
  return object(
      "Limiter",
      {{"name", identifier(), true, ""},
       {"obis", obis(), false, "Default 0.0.17.0.0.255."},
       {"description", string_type(), false, ""},
       {"monitored", object_ref(), true, "Monitored value (attribute 2)."},
       {"monitored_options", list_of(object_ref()), false, "Values that may be chosen as monitored."},
       {"type", data_type(), false, "Type of the thresholds (default: monitored value's)."},
       {"threshold_normal", number(-1e18, 1e18), false, "In the monitored value's unit (A)."},
       {"threshold_emergency", number(-1e18, 1e18), false, ""},
       {"min_over_threshold_duration_s", integer(0, 4294967295.0), false, "B: overload time before disconnecting."},
       {"min_under_threshold_duration_s", integer(0, 4294967295.0), false, ""},
       {"reconnect_delay_s", integer(0, 4294967295.0), false, "C: time disconnected before reconnecting."},
       {"max_reconnects", integer(0, 255), false, "D: automatic reconnections before giving up."},
       {"reconnect_count_reset_s", integer(0, 4294967295.0), false, "E: quiet time that clears the count."},
       {"final_state", enumeration({"connected", "disconnected", "ready_for_reconnection", "initial"}), false,
        "G: state kept after D overloads."},
       {"groups", list_of(identifier()), false, ""}},
      "A limiter (IC 71) and its load-control parameters.");
}

TypeP register_monitor() {
  auto script = object("ScriptReference",
                       {{"script", object_ref(), true, "A script table (IC 9) whose scripts the runtime carries out."},
                        {"selector", integer(1, 65535), false, "Script identifier (default 1)."}},
                       "Script run on a crossing (script_logical_name, script_selector).");
  auto threshold = object("MonitorThreshold",
                          {{"value", number(-1e18, 1e18), true, "In the monitored value's unit."},
                           {"up", script, false, "Run when the value rises above it (action_up)."},
                           {"down", script, false, "Run when it falls back to it or below (action_down)."}},
                          "");
  return object("RegisterMonitor",
                {{"name", identifier(), true, ""},
                 {"obis", obis(), true, "Register monitor 0.0.16.0.E.255; alarm monitor 0.0.16.1.0..9.255."},
                 {"description", string_type(), false, ""},
                 {"monitored", object_ref(), true, "Monitored value (attribute 2), an integer."},
                 {"thresholds", list_of(threshold, "", 1), true, "At most 8."},
                 {"groups", list_of(identifier()), false, ""}},
                "A register monitor (IC 21): scripts run when a value crosses its thresholds.");
}

TypeP push_setup() {
  return object(
      "PushSetup",
      {{"object", object_ref(), true, "The push setup (IC 40) object, declared under objects."},
       {"destination", string_type(), true, "TCP destination host:port (send_destination_and_method)."},
       {"association", identifier(), false,
        "Association whose keys and response policy protect the push (general-glo-ciphering); none: plain."},
       {"client_sap", integer(1, 65535), false, "Destination wPort (default: the association's SAP, else 102)."},
       {"objects", list_of(capture_item()), false, "push_object_list: attribute values sent, in order."},
       {"randomisation_start_interval_s", integer(0, 65535), false, "First attempt after a random delay up to this."},
       {"number_of_retries", integer(0, 255), false, "Attempts after a failed one."},
       {"repetition_delay_s", integer(0, 65535), false, "Between attempts."}},
      "Defaults of a push setup's attributes.");
}

TypeP demand() {
  return object(
      "Demand",
      {{"method", enumeration({"block", "sliding"}), true, ""},
       {"period_s", integer(1, 86400), true, "Sub-period length (Demand register attribute 8)."},
       {"number_of_periods", integer(1, 255), false, "Sub-periods in the window (1 for block)."},
       {"allowed_periods_s", list_of(integer(1, 86400)), false, ""},
       {"max_periods", integer(1, 255), false, ""},
       {"max_window_s", integer(1, 86400), false, "Limit on period × number (default 3600)."},
       {"recalculate_on", list_of(enumeration({"power_off", "clock_set", "period_change", "billing"})), false, ""},
       {"reset", list_of(enumeration({"automatic", "command", "button"})), false, "Ways to reset MD."}},
      "Demand calculation.");
}

TypeP billing() {
  auto methods = list_of(enumeration({"automatic", "command", "button", "contract_change", "tariff_change"}));
  return object(
      "Billing",
      {{"daily", object("DailyBilling",
                        {{"time", time_of_day(), true, ""},
                         {"profile", identifier(), false, "Profile that receives the daily values."}},
                        ""),
        false, ""},
       {"monthly", object("MonthlyBilling",
                          {{"day", integer(1, 28), true, ""},
                           {"time", time_of_day(), true, ""},
                           {"profile", identifier(), false, ""},
                           {"methods", methods, false, ""},
                           {"lockout_s", integer(0, 31 * 86400), false, "Minimum time between billings."},
                           {"button_hold_s", integer(0, 60), false, ""},
                           {"catch_up", boolean(), false, "Bill missed periods after power-off or clock change."}},
                          ""),
        false, ""},
       {"schedule", obis(), false, "Single action schedule, default 0.0.15.0.0.255."},
       {"script_table", obis(), false, "MDI reset / end of billing script table, default 0.0.10.0.1.255."}},
      "Billing periods.");
}

TypeP prepayment() {
  auto sts = object(
      "Sts",
      {{"algorithm", enumeration({"sta", "dea"}), true, "Token encryption: EA07 standard transfer algorithm or EA09 DEA."},
       {"key_type", integer(0, 3), false, "KT of the decoder key at delivery (default 2, unique)."},
       {"supply_group_code", integer(0, 999999), true, "SGC, 6 digits."},
       {"tariff_index", integer(0, 99), true, "TI."},
       {"key_revision", integer(1, 9), true, "KRN."},
       {"key_expiry", integer(0, 255), false, "KEN: last TID high byte the key is valid for (default 255, never)."},
       {"base_date", enumeration({"1993", "2014", "2035"}), false, "Base date of the TIDs (default 1993)."},
       {"manufacturer_code", integer(0, 9999), false, "MfrCode that authenticates class 1 (test) tokens."}},
      "STS decoder key data (IEC 62055-41); the key itself is a secret of the target.");
  auto credit = object(
      "CreditUnit",
      {{"unit", enumeration({"energy", "currency"}), true, "Energy credit (kWh) or currency credit charged at the rate."},
       {"currency", string_type(), false, "Currency name (account attribute 15), currency credit."},
       {"scale", integer(-5, 0), false, "Amounts are shown in 10^scale of the currency (default -2)."},
       {"rate_per_kwh", number(0, 42949), false, "Price of one kWh at delivery, at most 5 decimals."}},
      "What the credit is kept in.");
  auto friendly = object(
      "FriendlyMode",
      {{"from", time_of_day(), false, "Daily friendly hours begin (local)."},
       {"to", time_of_day(), false, "and end; may wrap past midnight."},
       {"weekends", boolean(), false, "Saturdays and Sundays are friendly all day."},
       {"enable", object_ref(), false, "Boolean Data object that switches friendly mode on."},
       {"special_days", boolean(), false, "The calendar's special days are friendly all day."}},
      "When running out of credit does not disconnect.");
  return object(
      "Prepayment",
      {{"payment_mode", enumeration({"prepayment", "postpayment"}), false, "At delivery (default prepayment)."},
       {"charged", object_ref(), true, "Energy register whose growth uses up the credit."},
       {"credit", credit, false, ""},
       {"initial_credit_kwh", number(0, 1e6), false, "Energy credit of a new account (delivery, or a lost account record)."},
       {"low_credit_kwh", number(0, 1e6), false, "Low-credit threshold (alarm, display), energy credit."},
       {"emergency_credit_kwh", number(0, 1e6), false, "Emergency credit granted when invoked (0: none), energy credit."},
       {"emergency_below_kwh", number(0, 1e6), false, "Emergency credit may be invoked at or below this energy credit."},
       {"max_credit_kwh", number(0, 2e6), false, "A token that would take the energy credit above this is refused."},
       {"initial_credit", number(0, 1e9), false, "Currency credit of a new account, in currency units."},
       {"low_credit", number(0, 1e9), false, "Low-credit threshold, currency credit."},
       {"emergency_credit", number(0, 1e9), false, "Emergency credit granted when invoked (0: none), currency credit."},
       {"emergency_below", number(0, 1e9), false, "Emergency credit may be invoked at or below this currency credit."},
       {"max_credit", number(0, 1e9), false, "A token that would take the currency credit above this is refused."},
       {"friendly", friendly, false, ""},
       {"sts", sts, true, ""},
       {"keypad", object("Keypad",
                         {{"failures", integer(0, 255), false, "Rejected tokens in a row that lock entry (0: never)."},
                          {"lockout_s", integer(0, 86400), false, "How long entry stays locked."}},
                         ""),
        false, ""}},
      "The prepayment account: credit, tokens, emergency credit and friendly hours (docs/prepayment.md).");
}

TypeP calendar() {
  auto limits = object("CalendarLimits",
                       {{"tariffs", integer(1, 63), false, ""},
                        {"seasons", integer(1, 255), false, ""},
                        {"week_profiles", integer(1, 255), false, ""},
                        {"day_profiles", integer(1, 255), false, ""},
                        {"switchings_per_day", integer(1, 255), false, ""},
                        {"special_days", integer(0, 65535), false, ""}},
                       "Maxima the meter supports.");
  auto season = object("Season",
                       {{"name", identifier(), true, ""}, {"start", month_day(), true, ""}, {"week", identifier(), true, ""}},
                       "");
  auto week = object("WeekProfile",
                     {{"name", identifier(), true, ""},
                      {"days", list_of(identifier(), "Day profiles Monday..Sunday."), true, ""}},
                     "");
  auto switching = object("Switching", {{"time", time_of_day(), true, ""}, {"tariff", integer(1, 63), true, ""}}, "");
  auto day = object("DayProfile", {{"name", identifier(), true, ""}, {"switchings", list_of(switching), true, ""}}, "");
  auto special = object("SpecialDay", {{"date", special_date(), true, ""}, {"day", identifier(), true, ""},
                                       {"name", string_type(), false, ""}}, "");
  return object(
      "Calendar",
      {{"tariffs", integer(1, 63), true, "Tariffs the meter registers (E = 1..n)."},
       {"limits", limits, false, ""},
       {"passive", boolean(), false, "Passive calendar with activation time."},
       {"activity_calendar", obis(), false, "Default 0.0.13.0.0.255."},
       {"special_days_table", obis(), false, "Default 0.0.11.0.0.255."},
       {"tariff_script_table", obis(), false, "Default 0.0.10.0.100.255."},
       {"fallback_tariff", integer(1, 63), false, "Tariff used while the clock is invalid."},
       {"seasons", list_of(season), false, ""},
       {"weeks", list_of(week), false, ""},
       {"days", list_of(day), false, ""},
       {"special_days", list_of(special), false, ""}},
      "Time-of-use calendar.");
}

TypeP dst_rule() {
  return object("DstRule",
                {{"month", integer(1, 12), true, ""},
                 {"week", enumeration({"first", "second", "third", "fourth", "last"}), false, ""},
                 {"weekday", enumeration({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}),
                  false, ""},
                 {"day", integer(1, 31), false, "Fixed day of month (instead of week+weekday)."},
                 {"time", time_of_day(), true, "Local time of the switch."}},
                "");
}

TypeP clock() {
  return object(
      "Clock",
      {{"obis", obis(), false, "Default 0.0.1.0.0.255."},
       {"time_zone_min", integer(-720, 840), false, "Deviation of local standard time from UTC."},
       {"clock_base", enumeration({"not_defined", "crystal", "mains_50hz", "mains_60hz", "gps", "radio"}), false, ""},
       {"accuracy_s_per_day", number(0, 100), false, ""},
       {"year_range", list_of(integer(1900, 2200)), false, ""},
       {"status_bits", list_of(tamper_bit()), false, "Clock status bits as the manual lists them."},
       {"dst", object("Dst",
                      {{"enabled", boolean(), true, ""},
                       {"begin", dst_rule(), false, ""},
                       {"end", dst_rule(), false, ""},
                       {"deviation_min", integer(-120, 120), false, ""}},
                      ""),
        false, ""}},
      "Real-time clock and daylight saving.");
}

TypeP display_item() {
  return one_of(
      {object_ref(),
       object("DisplayItem",
              {{"object", object_ref(), false, ""},
               {"special", enumeration({"all_segments", "blank"}), false, "A screen that shows no object."},
               {"attribute", integer(1, 127), false, ""},
               {"show", string_type(), false, "Code shown (default: the object's display code)."},
               {"label", string_type(), false, ""},
               {"format", enumeration({"value", "date", "time", "date_time", "text", "hex"}), false, ""},
               {"unit", string_type(), false, "Unit shown (default from scaler/unit)."},
               {"digits", integer(1, 16), false, ""},
               {"decimals", integer(0, 8), false, ""},
               {"capture_time", boolean(), false,
                "A second screen after each value: the time it occurred (class 4 attribute 5, class 5 attribute 6)."}},
              "")},
      "an object reference or a display item mapping", "");
}

TypeP display_list() {
  return object(
      "DisplayList",
      {{"mode", enumeration({"auto_scroll", "manual", "power_off", "test", "service", "normal", "alternate"}), true, ""},
       {"description", string_type(), false, ""},
       {"scroll_s", integer(0, 3600), false, "Time per item."},
       {"scroll_range_s", list_of(integer(0, 3600)), false, "[min, max] configurable."},
       {"timeout_s", integer(0, 86400), false, "Return to the default mode after inactivity."},
       {"duration_s", integer(0, 86400), false, "How long the mode lasts."},
       {"activations", integer(0, 255), false, "Power-off display activations per outage."},
       {"max_items", integer(1, 1000), false, "Limit of this list (default: display.max_items)."},
       {"same_as", enumeration({"auto_scroll", "manual", "service", "normal"}), false, "Reuse another list's items."},
       {"decimals", integer(0, 8), false, "Default decimals of values."},
       {"items", list_of(display_item()), false, ""},
       {"timeout_range_s", list_of(integer(0, 65535)), false, "[min, max] configurable."},
       {"list_object", object_ref(), false,
        "A display readout (class 7) whose capture_objects are this list: a client may set it (needs display.pool)."},
       {"time_object", object_ref(), false,
        "A Data object holding this list's scroll_s (or timeout_s when it does not scroll): a client may set it."}},
      "");
}

TypeP display() {
  return object("Display",
                {{"digits", integer(1, 16), false, ""},
                 {"max_items", integer(1, 1000), false, "Default limit per list."},
                 {"default_mode", enumeration({"auto_scroll", "manual", "normal", "service"}), false, ""},
                 {"pool", list_of(display_item()), false,
                  "Every screen a list may show; lists then name pool screens by object and attribute."},
                 {"lists", list_of(display_list()), false, ""}},
                "LCD display lists and modes.");
}

TypeP hardware() {
  auto part = object(
      "Part",
      {{"part", enumeration({"relay", "battery", "external_battery", "supercapacitor", "auxiliary_relay", "pulse_output",
                             "signal_input", "alarm_led", "relay_led", "backlight", "neutral_current", "keypad", "lcd",
                             "display_button", "seal_button", "disconnect_button", "auxiliary_power", "communication_module",
                             "cover_switch", "terminal_cover_switch", "magnetic_sensor"}),
        true, ""},
       {"presence", enumeration({"fitted", "optional"}), true, ""},
       {"count", integer(1, 64), false, ""},
       {"description", string_type(), false, ""}},
      "");
  auto port = object(
      "Port",
      {{"name", identifier(), true, ""},
       {"kind", enumeration({"optical", "rs485", "mbus", "wmbus", "p1", "gprs", "lte", "nbiot", "plc", "g3_plc", "bpl",
                             "lorawan", "ethernet", "rf"}),
        true, ""},
       {"presence", enumeration({"fitted", "optional"}), false, ""},
       {"protocols", list_of(enumeration({"dlms_hdlc", "dlms_wrapper_tcp", "dlms_wrapper_udp", "iec62056_21_mode_c",
                                          "iec62056_21_mode_e", "dsmr_p1", "mbus", "sts"})),
        false, ""},
       {"baud", list_of(integer(300, 115200)), false, ""},
       {"default_baud", integer(300, 115200), false, ""},
       {"setup_object", obis(), false, "IEC HDLC / local port / TCP-UDP setup object."}},
      "");
  return object(
      "Hardware",
      {{"phases", integer(1, 3), true, ""},
       {"networks", list_of(enumeration({"3P4W", "3P3W", "1P2W"}), "", 1), true, ""},
       {"connection", enumeration({"direct", "transformer", "either"}), true, ""},
       {"reference_voltage_v", list_of(number(1, 1000)), false, "Phase-to-neutral reference voltages."},
       {"line_voltage_v", list_of(number(1, 1000)), false, "Phase-to-phase (3P3W) reference voltages."},
       {"operating_voltage_range", list_of(number(0, 2)), false, "[min, max] as fraction of Un."},
       {"basic_current_a", list_of(number(0.001, 1000)), false, "Ib / In."},
       {"max_current_a", list_of(number(0.001, 1000)), false, "Imax."},
       {"min_current_a", number(0, 1000), false, ""},
       {"starting_current_a", number(0, 10), false, ""},
       {"starting_current_ratio", number(0, 1), false, "Starting current as a fraction of Ib/In."},
       {"frequency_hz", list_of(number(1, 1000)), false, ""},
       {"meter_constants", object("MeterConstants",
                                  {{"active_imp_per_kwh", integer(1, 1000000), true, ""},
                                   {"reactive_imp_per_kvarh", integer(1, 1000000), false, ""}},
                                  ""),
        false, ""},
       {"accuracy", object("Accuracy",
                           {{"active", list_of(string_type()), false, "IEC/EN classes, e.g. 0.2S, B."},
                            {"reactive", list_of(string_type()), false, ""}},
                           ""),
        false, ""},
       {"parts", list_of(part), false, ""},
       {"ports", list_of(port), false, ""}},
      "Electrical and physical characteristics.");
}

TypeP model_info() {
  static const std::regex id_re("^[a-z][a-z0-9-]*$");
  auto firmware = object("Firmware",
                         {{"name", identifier(), true, ""},
                          {"obis", obis(), true, ""},
                          {"value", string_type(), true, ""},
                          {"display_code", string_type(), false, ""},
                          {"description", string_type(), false, ""},
                          {"legal", boolean(), false, "Legally relevant (metrology) part."}},
                         "");
  return object(
      "ModelInfo",
      {{"id", pattern_type("ModelId", "^[a-z][a-z0-9-]*$", "a lower-case id like hxf300-eu",
                           [](const std::string& s) { return check_regex(s, id_re, "a lower-case id like hxf300-eu"); },
                           "Model id: file names and C++ namespace derive from it."),
        true, ""},
       {"vendor", string_type(), true, ""},
       {"name", string_type(), true, ""},
       {"description", string_type(), false, ""},
       {"manual", object("Manual",
                         {{"title", string_type(), true, ""},
                          {"revision", string_type(), false, ""},
                          {"file", string_type(), false, ""},
                          {"notes", string_type(), false, "What the manual leaves open."}},
                         ""),
        false, ""},
       {"logical_device_name", string_type(), false, "COSEM logical device name (0.0.42.0.0.255)."},
       {"firmware", list_of(firmware), false, "Firmware identifiers and signatures."}},
      "Identity of the meter model.");
}

TypeP removals() {
  auto names = list_of(string_type());
  return object("Remove",
                {{"objects", list_of(object_ref()), false, "Objects by name or OBIS."},
                 {"profiles", names, false, ""},
                 {"event_logs", names, false, ""},
                 {"associations", names, false, ""},
                 {"limiters", names, false, ""},
                 {"display_lists", names, false, "By mode."}},
                "Parts of the extended spec to drop.");
}

}  // namespace

TypeP spec_schema() {
  static TypeP root = object(
      "Spec",
      {{"format", integer(kSpecFormat, kSpecFormat), true, "Spec format version."},
       {"extends", string_type(), false, "Base spec this one customises (path relative to this file)."},
       {"imports", list_of(string_type()), false, "Catalog files (paths relative to this file)."},
       {"remove", removals(), false, ""},
       {"model", model_info(), true, ""},
       {"hardware", hardware(), true, ""},
       {"clock", clock(), false, ""},
       {"associations", list_of(association(), "", 1), true, ""},
       {"objects", list_of(object_decl()), false, ""},
       {"profiles", list_of(profile()), false, ""},
       {"event_logs", list_of(event_log()), false, ""},
       {"detection", detection(), false, ""},
       {"disconnect_control", disconnect_control(), false, ""},
       {"limiters", list_of(limiter()), false, ""},
       {"register_monitors", list_of(register_monitor()), false, ""},
       {"push_setups", list_of(push_setup()), false, ""},
       {"demand", demand(), false, ""},
       {"billing", billing(), false, ""},
       {"calendar", calendar(), false, ""},
       {"display", display(), false, ""},
       {"prepayment", prepayment(), false, ""}},
      "A metergen meter-model spec.");
  return root;
}

TypeP catalog_schema() {
  static TypeP root = object("Catalog",
                             {{"catalog", integer(kSpecFormat, kSpecFormat), true, "Catalog format version."},
                              {"description", string_type(), false, ""},
                              {"quantities", list_of(object("CatalogEntry",
                                                            {{"name", identifier(), true, ""},
                                                             {"obis", obis(), true, ""},
                                                             {"class", class_ref(), true, ""},
                                                             {"version", integer(0, 255), false, ""},
                                                             {"description", string_type(), true, ""},
                                                             {"type", data_type(), true, ""},
                                                             {"unit", unit(), false, ""},
                                                             {"scaler", integer(-128, 127), false, ""},
                                                             {"source", source(), true, ""},
                                                             {"role", object_role(), false, ""},
                                                             {"groups", list_of(identifier()), false, ""},
                                                             {"per_tariff", boolean(), false, ""},
                                                             {"per_phase", boolean(), false, ""},
                                                             {"writable", list_of(integer(2, 127)), false, ""},
                                                             {"length", integer(0, 65535), false, "Length of a string value."}},
                                                            "A standard quantity.")),
                               true, ""}},
                             "A catalog of standard quantities.");
  return root;
}

}  // namespace metergen
