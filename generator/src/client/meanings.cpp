// What a value read from a meter means (see meanings.hpp).
#include "client/meanings.hpp"

#include <algorithm>

#include "client/transport.hpp"

namespace metergen::client {
namespace {

using json = nlohmann::json;
using Names = std::map<std::int64_t, std::string>;

constexpr int kClassRegister = 3;
constexpr int kClassExtendedRegister = 4;
constexpr int kClassDemandRegister = 5;
constexpr int kClassProfileGeneric = 7;
constexpr int kClassClock = 8;
constexpr int kClassAssociationLn = 15;
constexpr int kClassDisconnectControl = 70;

// Enumerations the Blue Book defines for an attribute; empty when it defines none.
Names class_enum_names(int class_id, int attribute) {
  if (class_id == kClassDisconnectControl && attribute == 2) return {{0, "disconnected"}, {1, "connected"}};
  if (class_id == kClassDisconnectControl && attribute == 3)
    return {{0, "disconnected"}, {1, "connected"}, {2, "ready_for_reconnection"}};
  if (class_id == kClassClock && attribute == 9)
    return {{0, "not_defined"}, {1, "internal_crystal"}, {2, "mains_50_hz"}, {3, "mains_60_hz"}, {4, "gps"},
            {5, "radio_controlled"}};
  if (class_id == kClassProfileGeneric && attribute == 5)
    return {{1, "fifo"}, {2, "lifo"}, {3, "largest"}, {4, "smallest"}, {5, "nearest_to_zero"}, {6, "farthest_from_zero"}};
  if (class_id == kClassAssociationLn && attribute == 8)
    return {{0, "non_associated"}, {1, "association_pending"}, {2, "associated"}};
  return {};
}

const Object* find_object(const Model& model, const Obis& ln) {
  auto it = std::find_if(model.objects.begin(), model.objects.end(), [&](const Object& o) { return o.ln == ln; });
  return it == model.objects.end() ? nullptr : &*it;
}

std::optional<std::size_t> index_of(const Model& model, const Obis& ln) {
  const Object* o = find_object(model, ln);
  return o ? std::optional<std::size_t>(static_cast<std::size_t>(o - model.objects.data())) : std::nullopt;
}

Names filter_bit_names(const std::vector<FilterBit>& bits) {
  Names names;
  for (const auto& b : bits) names[b.bit] = b.name;
  return names;
}

// An event log filter: bits 2k and 2k + 1 log and push the k-th event (event_logs.cpp).
Names event_filter_names(const EventLog& log) {
  Names names;
  for (std::size_t k = 0; k < log.events.size(); ++k) {
    names[static_cast<std::int64_t>(2 * k)] = log.events[k].name + " log";
    names[static_cast<std::int64_t>(2 * k + 1)] = log.events[k].name + " push";
  }
  return names;
}

// Events by the alarm (or error) register bit they set.
Names register_bit_names(const Model& model, bool alarm) {
  Names names;
  for (const auto& log : model.event_logs)
    for (const auto& ev : log.events)
      if (auto bit = alarm ? ev.alarm_bit : ev.error_bit) names.emplace(*bit, ev.name);
  return names;
}

// Bit names of a filter or a register of flags at `index`; nullopt when it is none.
std::optional<Meaning> bits_meaning(const Model& model, std::size_t index, const Object& o) {
  if (model.disconnect && model.disconnect->tamper_filter_object == index)
    return bit_names(filter_bit_names(model.disconnect->tamper_filter));
  for (const auto& log : model.event_logs)
    if (log.filter_object == index) return bit_names(event_filter_names(log));
  if (o.role == "alarm_register" || o.role == "alarm_filter" || o.role == "alarm_descriptor")
    return bit_names(register_bit_names(model, true));
  if (o.role == "error_register") return bit_names(register_bit_names(model, false));
  return std::nullopt;
}

// The names of the events an event code object holds; nullopt when it holds none.
std::optional<Meaning> event_code_meaning(const Model& model, std::size_t index) {
  Names names;
  for (const auto& log : model.event_logs)
    if (log.code_object == index)
      for (const auto& ev : log.events) names.emplace(ev.code, ev.name);
  return names.empty() ? std::nullopt : std::optional<Meaning>(named(std::move(names)));
}

std::string column_name(const Object& o, int attribute) {
  if (attribute == 2) return o.name;
  const cosem::Attribute* a = o.cls ? cosem::find_attribute(*o.cls, attribute) : nullptr;
  return o.name + "." + (a ? std::string(a->name) : std::to_string(attribute));
}

const json& typed_value(const json& j, const char* type) {
  if (!j.is_object() || j.value("type", "") != type || !j.contains("value"))
    throw ClientError(std::string("capture_objects: expected ") + type + ", got " + j.dump());
  return j["value"];
}

}  // namespace

std::optional<int> scaler_unit_attribute(int class_id, int attribute) {
  if ((class_id == kClassRegister || class_id == kClassExtendedRegister) && attribute == 2) return 3;
  if (class_id == kClassDemandRegister && (attribute == 2 || attribute == 3)) return 4;
  return std::nullopt;
}

std::optional<Meaning> meaning_of_scaler_unit(const json& typed) {
  if (typed.value("type", "") != "structure" || !typed["value"].is_array() || typed["value"].size() != 2) return std::nullopt;
  const json& scaler = typed["value"][0];
  const json& unit = typed["value"][1];
  if (scaler.value("type", "") != "integer" || unit.value("type", "") != "enum") return std::nullopt;
  return scaled(scaler["value"].get<int>(), unit["value"].get<int>());
}

Meaning class_meaning(int class_id, int attribute) {
  Names names = class_enum_names(class_id, attribute);
  if (!names.empty()) return named(std::move(names));
  const cosem::InterfaceClass* c = cosem::class_by_id(class_id);
  const cosem::Attribute* a = c ? cosem::find_attribute(*c, attribute) : nullptr;
  if (a && a->kind == cosem::AttrKind::date_time) return date_time();
  return {};
}

std::optional<Meaning> model_meaning(const Model& model, const AttributeRef& ref) {
  auto index = index_of(model, ref.logical_name);
  if (!index) return std::nullopt;
  const Object& o = model.objects[*index];
  if (scaler_unit_attribute(ref.class_id, ref.id) && o.unit >= 0) return scaled(o.scaler, o.unit);
  if (ref.id == 2) {
    if (auto bits = bits_meaning(model, *index, o)) return *bits;
    if (auto codes = event_code_meaning(model, *index)) return *codes;
  }
  return class_meaning(ref.class_id, ref.id);
}

std::optional<std::vector<Column>> model_columns(const Model& model, const Obis& profile) {
  auto it = std::find_if(model.profiles.begin(), model.profiles.end(),
                         [&](const Profile& p) { return model.objects[p.object].ln == profile; });
  if (it == model.profiles.end()) return std::nullopt;
  std::vector<Column> columns;
  for (const auto& c : it->capture) {
    const Object& o = model.objects[c.object];
    const AttributeRef ref{o.cls ? o.cls->id : 0, o.ln, c.attribute};
    columns.push_back({column_name(o, c.attribute), *model_meaning(model, ref)});
  }
  return columns;
}

std::vector<AttributeRef> capture_objects(const json& typed) {
  std::vector<AttributeRef> refs;
  for (const auto& element : typed_value(typed, "array")) {
    const json& fields = typed_value(element, "structure");
    if (fields.size() != 4) throw ClientError("capture_objects: an element is not a 4-field structure");
    AttributeRef ref;
    ref.class_id = typed_value(fields[0], "long-unsigned").get<int>();
    const std::string ln = typed_value(fields[1], "octet-string").get<std::string>();
    if (ln.size() != 12) throw ClientError("capture_objects: a logical name is not 6 bytes");
    for (std::size_t i = 0; i < 6; ++i)
      ref.logical_name[i] = static_cast<std::uint8_t>(std::stoi(ln.substr(2 * i, 2), nullptr, 16));
    ref.id = typed_value(fields[2], "integer").get<int>();
    refs.push_back(ref);
  }
  return refs;
}

std::string attribute_heading(const AttributeRef& ref) { return format_obis(ref.logical_name) + ":" + std::to_string(ref.id); }

}  // namespace metergen::client
