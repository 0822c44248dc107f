#include "cosem.hpp"

namespace metergen::cosem {

const std::vector<DataTypeInfo>& data_types() {
  static const std::vector<DataTypeInfo> table = {
      {DataType::null_data, "null-data", "null_data", 1},
      {DataType::array, "array", "array", -1},
      {DataType::structure, "structure", "structure", -1},
      {DataType::boolean, "boolean", "boolean", 2},
      {DataType::bit_string, "bit-string", "bit_string", -1},
      {DataType::double_long, "double-long", "double_long", 5},
      {DataType::double_long_unsigned, "double-long-unsigned", "double_long_unsigned", 5},
      {DataType::octet_string, "octet-string", "octet_string", -1},
      {DataType::visible_string, "visible-string", "visible_string", -1},
      {DataType::utf8_string, "utf8-string", "utf8_string", -1},
      {DataType::bcd, "bcd", "bcd", 2},
      {DataType::integer, "integer", "integer", 2},
      {DataType::long_, "long", "long_", 3},
      {DataType::unsigned_, "unsigned", "unsigned_", 2},
      {DataType::long_unsigned, "long-unsigned", "long_unsigned", 3},
      {DataType::compact_array, "compact-array", "compact_array", -1},
      {DataType::long64, "long64", "long64", 9},
      {DataType::long64_unsigned, "long64-unsigned", "long64_unsigned", 9},
      {DataType::enum_, "enum", "enum_", 2},
      {DataType::float32, "float32", "float32", 5},
      {DataType::float64, "float64", "float64", 9},
      {DataType::date_time, "date-time", "date_time", 13},
      {DataType::date, "date", "date", 6},
      {DataType::time, "time", "time", 5},
  };
  return table;
}

std::optional<DataType> data_type_by_name(const std::string& name) {
  for (const auto& t : data_types())
    if (name == t.name) return t.type;
  return std::nullopt;
}

const DataTypeInfo& data_type_info(DataType t) {
  for (const auto& i : data_types())
    if (i.type == t) return i;
  return data_types().front();
}

bool is_integer(DataType t) {
  switch (t) {
    case DataType::double_long: case DataType::double_long_unsigned: case DataType::integer: case DataType::long_:
    case DataType::unsigned_: case DataType::long_unsigned: case DataType::long64: case DataType::long64_unsigned:
      return true;
    default:
      return false;
  }
}

int encoded_size(DataType t, int length) {
  const auto& info = data_type_info(t);
  if (info.fixed_size > 0) return info.fixed_size;
  if (t == DataType::bit_string) length = (length + 7) / 8;
  // tag + A-XDR length (1 byte below 128, else 0x8n + n bytes) + content
  int len_bytes = length < 0x80 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
  return 1 + len_bytes + length;
}

namespace {

using K = AttrKind;
using T = DataType;

Attribute ln() { return {1, "logical_name", K::logical_name, T::octet_string, false}; }
Attribute fixed(int i, const char* n, T t, bool w = false) { return {i, n, K::fixed, t, w}; }
Attribute dt(int i, const char* n, bool w = false) { return {i, n, K::date_time, T::octet_string, w}; }
Attribute cx(int i, const char* n, bool w = false) { return {i, n, K::complex, T::structure, w}; }
Attribute val(int i, const char* n, bool w = false) { return {i, n, K::value, T::null_data, w}; }

std::vector<InterfaceClass> build() {
  std::vector<InterfaceClass> c;
  c.push_back({1, "data", "Data", 0, {ln(), val(2, "value", true)}, {}, true});
  c.push_back({3, "register", "Register", 0,
               {ln(), val(2, "value"), {3, "scaler_unit", K::scaler_unit, T::structure, false}},
               {{1, "reset"}}, true});
  c.push_back({4, "extended_register", "Extended register", 0,
               {ln(), val(2, "value"), {3, "scaler_unit", K::scaler_unit, T::structure, false},
                val(4, "status"), dt(5, "capture_time")},
               {{1, "reset"}}, true});
  c.push_back({5, "demand_register", "Demand register", 0,
               {ln(), val(2, "current_average_value"), val(3, "last_average_value"),
                {4, "scaler_unit", K::scaler_unit, T::structure, false}, val(5, "status"), dt(6, "capture_time"),
                dt(7, "start_time_current"), fixed(8, "period", T::double_long_unsigned, true),
                fixed(9, "number_of_periods", T::long_unsigned, true)},
               {{1, "reset"}, {2, "next_period"}}, true});
  c.push_back({7, "profile_generic", "Profile generic", 1,
               {ln(), cx(2, "buffer"), cx(3, "capture_objects", true),
                fixed(4, "capture_period", T::double_long_unsigned, true), fixed(5, "sort_method", T::enum_, true),
                cx(6, "sort_object", true), fixed(7, "entries_in_use", T::double_long_unsigned),
                fixed(8, "profile_entries", T::double_long_unsigned, true)},
               {{1, "reset"}, {2, "capture"}}});
  c.push_back({8, "clock", "Clock", 0,
               {ln(), dt(2, "time", true), fixed(3, "time_zone", T::long_, true), fixed(4, "status", T::unsigned_),
                dt(5, "daylight_savings_begin", true), dt(6, "daylight_savings_end", true),
                fixed(7, "daylight_savings_deviation", T::integer, true),
                fixed(8, "daylight_savings_enabled", T::boolean, true), fixed(9, "clock_base", T::enum_)},
               {{1, "adjust_to_quarter"}, {2, "adjust_to_measuring_period"}, {3, "adjust_to_minute"},
                {4, "adjust_to_preset_time"}, {5, "preset_adjusting_time"}, {6, "shift_time"}}});
  c.push_back({9, "script_table", "Script table", 0, {ln(), cx(2, "scripts", true)}, {{1, "execute"}}});
  c.push_back({11, "special_days_table", "Special days table", 0, {ln(), cx(2, "entries", true)},
               {{1, "insert"}, {2, "delete"}}});
  c.push_back({15, "association_ln", "Association LN", 2,
               {ln(), cx(2, "object_list"), cx(3, "associated_partners_id"),
                fixed(4, "application_context_name", T::octet_string), cx(5, "xdlms_context_info"),
                fixed(6, "authentication_mechanism_name", T::octet_string), fixed(7, "secret", T::octet_string, true),
                fixed(8, "association_status", T::enum_), fixed(9, "security_setup_reference", T::octet_string),
                cx(10, "user_list"), cx(11, "current_user")},
               {{1, "reply_to_hls_authentication"}, {2, "change_hls_secret"}, {3, "add_object"},
                {4, "remove_object"}, {5, "add_user"}, {6, "remove_user"}}});
  c.push_back({17, "sap_assignment", "SAP assignment", 0, {ln(), cx(2, "sap_assignment_list")},
               {{1, "connect_logical_device"}}});
  c.push_back({18, "image_transfer", "Image transfer", 0,
               {ln(), fixed(2, "image_block_size", T::double_long_unsigned),
                fixed(3, "image_transferred_blocks_status", T::bit_string),
                fixed(4, "image_first_not_transferred_block_number", T::double_long_unsigned),
                fixed(5, "image_transfer_enabled", T::boolean, true), fixed(6, "image_transfer_status", T::enum_),
                cx(7, "image_to_activate_info")},
               {{1, "image_transfer_initiate"}, {2, "image_block_transfer"}, {3, "image_verify"},
                {4, "image_activate"}}});
  c.push_back({19, "iec_local_port_setup", "IEC local port setup", 1,
               {ln(), fixed(2, "default_mode", T::enum_, true), fixed(3, "default_baud", T::enum_, true),
                fixed(4, "prop_baud", T::enum_, true), fixed(5, "response_time", T::enum_, true),
                fixed(6, "device_addr", T::octet_string, true), fixed(7, "pass_p1", T::octet_string, true),
                fixed(8, "pass_p2", T::octet_string, true), fixed(9, "pass_w5", T::octet_string, true)},
               {}});
  c.push_back({20, "activity_calendar", "Activity calendar", 0,
               {ln(), fixed(2, "calendar_name_active", T::octet_string), cx(3, "season_profile_active"),
                cx(4, "week_profile_table_active"), cx(5, "day_profile_table_active"),
                fixed(6, "calendar_name_passive", T::octet_string, true), cx(7, "season_profile_passive", true),
                cx(8, "week_profile_table_passive", true), cx(9, "day_profile_table_passive", true),
                dt(10, "activate_passive_calendar_time", true)},
               {{1, "activate_passive_calendar"}}});
  c.push_back({21, "register_monitor", "Register monitor", 0,
               {ln(), cx(2, "thresholds", true), cx(3, "monitored_value", true), cx(4, "actions", true)}, {}});
  c.push_back({22, "single_action_schedule", "Single action schedule", 0,
               {ln(), cx(2, "executed_script", true), fixed(3, "type", T::enum_, true),
                cx(4, "execution_time", true)},
               {}});
  c.push_back({23, "iec_hdlc_setup", "IEC HDLC setup", 1,
               {ln(), fixed(2, "comm_speed", T::enum_, true), fixed(3, "window_size_transmit", T::unsigned_, true),
                fixed(4, "window_size_receive", T::unsigned_, true),
                fixed(5, "max_info_field_length_transmit", T::long_unsigned, true),
                fixed(6, "max_info_field_length_receive", T::long_unsigned, true),
                fixed(7, "inter_octet_time_out", T::long_unsigned, true),
                fixed(8, "inactivity_time_out", T::long_unsigned, true),
                fixed(9, "device_address", T::long_unsigned, true)},
               {}});
  c.push_back({40, "push_setup", "Push setup", 0,
               {ln(), cx(2, "push_object_list", true), cx(3, "send_destination_and_method", true),
                cx(4, "communication_window", true), fixed(5, "randomisation_start_interval", T::long_unsigned, true),
                fixed(6, "number_of_retries", T::unsigned_, true), fixed(7, "repetition_delay", T::long_unsigned, true)},
               {{1, "push"}}});
  c.push_back({41, "tcp_udp_setup", "TCP-UDP setup", 0,
               {ln(), fixed(2, "tcp_udp_port", T::long_unsigned, true), fixed(3, "ip_reference", T::octet_string, true),
                fixed(4, "mss", T::long_unsigned, true), fixed(5, "nb_of_sim_conn", T::unsigned_, true),
                fixed(6, "inactivity_time_out", T::long_unsigned, true)},
               {}});
  c.push_back({64, "security_setup", "Security setup", 1,
               {ln(), fixed(2, "security_policy", T::enum_), fixed(3, "security_suite", T::enum_),
                fixed(4, "client_system_title", T::octet_string), fixed(5, "server_system_title", T::octet_string),
                cx(6, "certificates")},
               {{1, "security_activate"}, {2, "key_transfer"}, {3, "key_agreement"}, {4, "generate_key_pair"},
                {5, "generate_certificate_request"}, {6, "import_certificate"}, {7, "export_certificate"},
                {8, "remove_certificate"}}});
  c.push_back({70, "disconnect_control", "Disconnect control", 1,
               {ln(), fixed(2, "output_state", T::boolean), fixed(3, "control_state", T::enum_),
                fixed(4, "control_mode", T::enum_, true)},
               {{1, "remote_disconnect"}, {2, "remote_reconnect"}}});
  c.push_back({71, "limiter", "Limiter", 0,
               {ln(), cx(2, "monitored_value", true), val(3, "threshold_active"), val(4, "threshold_normal", true),
                val(5, "threshold_emergency", true),
                fixed(6, "min_over_threshold_duration", T::double_long_unsigned, true),
                fixed(7, "min_under_threshold_duration", T::double_long_unsigned, true),
                cx(8, "emergency_profile", true), cx(9, "emergency_profile_group_id_list", true),
                fixed(10, "emergency_profile_active", T::boolean), cx(11, "actions", true)},
               {}, true});
  c.push_back({111, "account", "Account", 0,
               {ln(), cx(2, "account_mode_and_status"), fixed(3, "current_credit_in_use", T::unsigned_),
                fixed(4, "current_credit_status", T::bit_string), fixed(5, "available_credit", T::double_long),
                fixed(6, "amount_to_clear", T::double_long), fixed(7, "clearance_threshold", T::double_long, true),
                fixed(8, "aggregated_debt", T::double_long), cx(9, "credit_reference_list", true),
                cx(10, "charge_reference_list", true), cx(11, "credit_charge_configuration", true),
                cx(12, "token_gateway_configuration", true), dt(13, "account_activation_time", true),
                dt(14, "account_closure_time", true), cx(15, "currency", true),
                fixed(16, "low_credit_threshold", T::double_long, true),
                fixed(17, "next_credit_available_threshold", T::double_long, true),
                fixed(18, "max_provision", T::long_unsigned, true), fixed(19, "max_provision_period", T::double_long, true)},
               {{1, "activate_account"}, {2, "close_account"}, {3, "reset_account"}}});
  c.push_back({112, "credit", "Credit", 0,
               {ln(), fixed(2, "current_credit_amount", T::double_long), fixed(3, "credit_type", T::enum_),
                fixed(4, "priority", T::unsigned_, true), fixed(5, "warning_threshold", T::double_long, true),
                fixed(6, "limit", T::double_long, true), fixed(7, "credit_configuration", T::bit_string, true),
                fixed(8, "credit_status", T::enum_), fixed(9, "preset_credit_amount", T::double_long, true),
                fixed(10, "credit_available_threshold", T::double_long, true), dt(11, "period", true)},
               {{1, "update_amount"}, {2, "set_amount_to_value"}, {3, "invoke_credit"}}});
  c.push_back({113, "charge", "Charge", 0,
               {ln(), fixed(2, "total_amount_paid", T::double_long), fixed(3, "charge_type", T::enum_),
                fixed(4, "priority", T::unsigned_, true), cx(5, "unit_charge_active"), cx(6, "unit_charge_passive", true),
                dt(7, "unit_charge_activation_time", true), fixed(8, "period", T::double_long_unsigned, true),
                fixed(9, "charge_configuration", T::bit_string, true), dt(10, "last_collection_time"),
                fixed(11, "last_collection_amount", T::double_long), fixed(12, "total_amount_remaining", T::double_long),
                fixed(13, "proportion", T::long_unsigned, true)},
               {{1, "update_unit_charge"}, {2, "activate_passive_unit_charge"}, {3, "collect"},
                {4, "update_total_amount_remaining"}, {5, "set_total_amount_remaining"}}});
  c.push_back({115, "token_gateway", "Token gateway", 0,
               {ln(), fixed(2, "token", T::octet_string), dt(3, "token_time"), cx(4, "token_description"),
                fixed(5, "token_delivery_method", T::enum_), cx(6, "token_status")},
               {{1, "enter"}}});
  return c;
}

}  // namespace

const std::vector<InterfaceClass>& classes() {
  static const std::vector<InterfaceClass> table = build();
  return table;
}

const InterfaceClass* class_by_id(int id) {
  for (const auto& c : classes())
    if (c.id == id) return &c;
  return nullptr;
}

const InterfaceClass* class_by_name(const std::string& name) {
  for (const auto& c : classes())
    if (name == c.name) return &c;
  return nullptr;
}

std::vector<std::string> class_names() {
  std::vector<std::string> out;
  for (const auto& c : classes()) out.emplace_back(c.name);
  return out;
}

const Attribute* find_attribute(const InterfaceClass& c, int index) {
  for (const auto& a : c.attributes)
    if (a.index == index) return &a;
  return nullptr;
}

bool has_method(const InterfaceClass& c, int index) {
  for (const auto& m : c.methods)
    if (m.index == index) return true;
  return false;
}

const std::vector<std::string>& object_roles() {
  static const std::vector<std::string> roles = {"none",          "ct_numerator",   "ct_denominator", "vt_numerator",
                                                 "vt_denominator", "current_tariff", "md_reset_script",
                                                 "activity_calendar", "special_days_table", "tariff_script",
                                                 "billing_schedule", "billing_counter", "billing_lockout", "alarm_register", "error_register",
                                                 "demand_period", "push_script", "alarm_filter", "local_time", "local_date",
                                                 "serial_number", "display_test_script", "display_normal_script",
                                                 "sts_supply_group_code", "sts_tariff_index", "sts_key_revision", "alarm_descriptor"};
  return roles;
}

const std::vector<UnitInfo>& units() {
  static const std::vector<UnitInfo> table = {
      {1, "year"}, {2, "month"}, {3, "week"}, {4, "day"}, {5, "hour"}, {6, "min"}, {7, "s"},
      {8, "deg"}, {9, "degC"}, {10, "currency"}, {13, "m3"}, {27, "W"}, {28, "VA"}, {29, "var"},
      {30, "Wh"}, {31, "VAh"}, {32, "varh"}, {33, "A"}, {34, "C"}, {35, "V"}, {38, "ohm"},
      {44, "Hz"}, {45, "1/Wh"}, {46, "1/varh"}, {47, "1/VAh"}, {48, "V2h"}, {49, "A2h"},
      {56, "percent"}, {57, "Ah"}, {254, "other"}, {255, "count"},
  };
  return table;
}

std::optional<int> unit_by_name(const std::string& name) {
  for (const auto& u : units())
    if (name == u.name) return u.code;
  return std::nullopt;
}

const char* unit_name(int code) {
  for (const auto& u : units())
    if (u.code == code) return u.name;
  return "?";
}

}  // namespace metergen::cosem
