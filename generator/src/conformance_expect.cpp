// What the standard and the spec expect of a value read from a meter, and the
// names of results and AARE diagnostics (see conformance.hpp).
// Sources: IEC 62056-6-2 (Blue Book) attribute types and enumerations as
// ../shared/reference/cosem-interface-classes.md lists them; IEC 62056-5-3
// (Green Book) result codes and ACSE diagnostics (dlms-protocol.md §5.2, §10).
#include <map>
#include <utility>

#include "client/data.hpp"
#include "client/session.hpp"
#include "conformance.hpp"

namespace metergen {
namespace {

using cosem::DataType;

// Enumeration attributes whose values the Blue Book closes: class, attribute → [min, max].
const std::map<std::pair<int, int>, std::pair<int, int>>& enum_ranges() {
  static const std::map<std::pair<int, int>, std::pair<int, int>> ranges = {
      {{7, 5}, {1, 6}},    // profile generic sort_method: fifo .. farthest_from_zero
      {{8, 9}, {0, 5}},    // clock clock_base: not defined .. radio controlled
      {{15, 8}, {0, 2}},   // association LN association_status: non-associated .. associated
      {{18, 6}, {0, 7}},   // image transfer image_transfer_status
      {{19, 2}, {0, 2}},   // IEC local port setup default_mode
      {{19, 3}, {0, 9}},   // default_baud: 300 .. 115200 Bd
      {{19, 4}, {0, 9}},   // prop_baud
      {{19, 5}, {0, 1}},   // response_time: 20 ms, 200 ms
      {{22, 3}, {1, 5}},   // single action schedule type
      {{23, 2}, {0, 9}},   // IEC HDLC setup comm_speed
      {{64, 3}, {0, 2}},   // security setup security_suite
      {{70, 3}, {0, 2}},   // disconnect control control_state: disconnected, connected, ready_for_reconnection
      {{70, 4}, {0, 6}},   // control_mode
      {{112, 3}, {0, 4}},  // credit credit_type
      {{112, 8}, {0, 4}},  // credit credit_status
  };
  return ranges;
}

std::string type_name(std::uint8_t tag) { return cosem::data_type_info(static_cast<DataType>(tag)).name; }

bool known_tag(std::uint8_t tag) {
  for (const auto& t : cosem::data_types())
    if (static_cast<std::uint8_t>(t.type) == tag) return true;
  return false;
}

std::string mismatch(const std::string& expected, std::uint8_t tag) {
  return "expected " + expected + ", got " + (known_tag(tag) ? type_name(tag) : "tag " + std::to_string(tag));
}

// An octet-string of `size` bytes; its content when it is one.
std::optional<std::string> octet_string_hex(const nlohmann::ordered_json& typed, std::size_t size) {
  if (typed["type"] != "octet-string") return std::nullopt;
  std::string hex = typed["value"].get<std::string>();
  if (hex.size() != 2 * size) return std::nullopt;
  return hex;
}

std::string scaler_unit_problem(const Object& object, const nlohmann::ordered_json& typed) {
  const auto& v = typed["value"];
  if (typed["type"] != "structure" || v.size() != 2 || v[0]["type"] != "integer" || v[1]["type"] != "enum")
    return "expected scaler_unit structure {integer, enum}";
  if (object.unit < 0) return "";
  const int scaler = v[0]["value"].get<int>(), unit = v[1]["value"].get<int>();
  if (scaler == object.scaler && unit == object.unit) return "";
  return "expected scaler_unit {" + std::to_string(object.scaler) + ", " + cosem::unit_name(object.unit) + "}, got {" +
         std::to_string(scaler) + ", " + cosem::unit_name(unit) + "}";
}

// Attributes typed by the object's value type: the value of data, registers
// and demand registers, a limiter's thresholds.
bool typed_by_object(int class_id, int attribute) {
  switch (class_id) {
    case 1: case 3: case 4: return attribute == 2;
    case 5: return attribute == 2 || attribute == 3;
    case 71: return attribute >= 3 && attribute <= 5;
    default: return false;
  }
}

}  // namespace

std::string result_text(int code) {
  return (code == kResultSuccess ? std::string("success") : client::data_access_result_name(code)) + " (" +
         std::to_string(code) + ")";
}

std::string aare_text(int result, int diagnostic) {
  const std::string r = result == kAareAccepted           ? "accepted"
                        : result == kAareRejectedPermanent ? "rejected-permanent"
                                                           : "rejected-transient";
  const std::string d = client::user_diagnostic_name(diagnostic);
  return r + ", " + d + " (" + std::to_string(diagnostic) + ")";
}

// The Green Book leaves the server's way of refusing open: an AARE rejected
// permanently or transiently (any diagnostic), or, over HDLC, a data link
// layer that does not connect an address it does not serve. Only accepting
// the association deviates.
bool refuses_unknown_client(std::optional<int> aare_result, bool link_refused) {
  if (!aare_result) return link_refused;
  return *aare_result == kAareRejectedPermanent || *aare_result == kAareRejectedTransient;
}

std::string value_problem(const Object& object, int attribute, const std::vector<std::uint8_t>& data) {
  if (data.empty()) return "empty value";
  const std::uint8_t tag = data[0];
  const cosem::Attribute* a = cosem::find_attribute(*object.cls, attribute);
  if (a == nullptr) return "";
  const int class_id = object.cls->id;
  nlohmann::ordered_json typed;
  try {
    typed = client::data_to_json(data);
  } catch (const client::ClientError& e) {
    return std::string("does not decode: ") + e.what();
  }
  switch (a->kind) {
    case cosem::AttrKind::logical_name: {
      auto hex = octet_string_hex(typed, 6);
      if (!hex) return mismatch("octet-string(6)", tag);
      std::string want;
      static const char* const digits = "0123456789ABCDEF";
      for (int i = 0; i < 6; ++i) {
        want += digits[object.ln[i] >> 4];
        want += digits[object.ln[i] & 15];
      }
      for (auto& c : *hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return *hex == want ? "" : "logical name expected " + want + ", got " + *hex;
    }
    case cosem::AttrKind::scaler_unit:
      return scaler_unit_problem(object, typed);
    case cosem::AttrKind::date_time:
      return octet_string_hex(typed, 12) || tag == static_cast<std::uint8_t>(DataType::date_time)
                 ? ""
                 : mismatch("date-time as octet-string(12)", tag);
    case cosem::AttrKind::complex:
      return tag == static_cast<std::uint8_t>(DataType::array) || tag == static_cast<std::uint8_t>(DataType::structure)
                 ? ""
                 : mismatch("array or structure", tag);
    case cosem::AttrKind::value:
      if (typed_by_object(class_id, attribute) && object.type)
        return tag == static_cast<std::uint8_t>(*object.type) ? "" : mismatch(cosem::data_type_info(*object.type).name, tag);
      // A status (extended and demand register) is a CHOICE of simple types.
      return tag == static_cast<std::uint8_t>(DataType::array) || tag == static_cast<std::uint8_t>(DataType::structure)
                 ? mismatch("a simple type", tag)
                 : "";
    case cosem::AttrKind::fixed:
      break;
  }
  if (tag != static_cast<std::uint8_t>(a->type)) return mismatch(cosem::data_type_info(a->type).name, tag);
  auto range = enum_ranges().find({class_id, attribute});
  if (range != enum_ranges().end()) {
    const int v = typed["value"].get<int>();
    if (v < range->second.first || v > range->second.second)
      return "enum value " + std::to_string(v) + " outside " + std::to_string(range->second.first) + ".." +
             std::to_string(range->second.second);
  }
  return "";
}

bool changes_by_itself(const Object& object, int attribute) {
  const cosem::Attribute* a = cosem::find_attribute(*object.cls, attribute);
  if (a == nullptr) return true;
  if (a->kind == cosem::AttrKind::date_time) return true;
  switch (object.cls->id) {
    case 7: return attribute == 2 || attribute == 7;  // buffer, entries_in_use
    case 8: return attribute == 2 || attribute == 4;  // time, status
    case 15: return attribute == 8;                    // association_status
    case 70: return attribute == 2 || attribute == 3; // output and control state
    case 111: return attribute >= 3 && attribute <= 8;  // credit in use, its status, available credit, debts: consumption
    case 112: return attribute == 2 || attribute == 8;  // the credit's amount and status follow consumption
    case 113: return attribute == 2 || attribute == 11; // total charged, the latest collection
    default: break;
  }
  if (a->kind != cosem::AttrKind::value) return false;
  return object.source_kind != "constant" && object.source_kind != "parameter";
}

bool only_stored(const Object& object, int attribute) {
  const cosem::Attribute* a = cosem::find_attribute(*object.cls, attribute);
  return a != nullptr && a->kind == cosem::AttrKind::value && object.role == "none" &&
         (object.source_kind == "constant" || object.source_kind == "parameter");
}

}  // namespace metergen
