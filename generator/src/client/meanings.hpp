// What a value read from a meter means, for readable.hpp: from its interface
// class alone (clock time, disconnect control states, sort method…), from the
// spec's model (scaler and unit, bit names of filters and alarm registers, event
// codes, profile capture lists), or from the meter (a scaler_unit it sent, a
// profile's capture_objects).
//
// Owns: those lookups. Pure functions. May call: readable, model, cosem.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/readable.hpp"
#include "client/session.hpp"
#include "model.hpp"

namespace metergen::client {

// The attribute that holds the scaler_unit of `attribute` of a class: 3 for the
// value of a register (3) or extended register (4); 4 for the current and last
// average values of a demand register (5). nullopt for every other attribute.
std::optional<int> scaler_unit_attribute(int class_id, int attribute);

// A scaler_unit as the meter sent it (typed structure {integer, enum}) as a
// scaled meaning; nullopt when it is not of that shape.
std::optional<Meaning> meaning_of_scaler_unit(const nlohmann::json& typed);

// What the class defines for an attribute: date-times (clock time, capture
// times), enumerations by name (disconnect control output and control state,
// clock base, sort method, association status). Raw when it defines nothing.
Meaning class_meaning(int class_id, int attribute);

// What the spec says of one attribute of one object: its scaler and unit, the
// bit names of a filter or an alarm/error register, event names of an event code
// object; else the class's meaning. nullopt when the spec has no such object.
std::optional<Meaning> model_meaning(const Model& model, const AttributeRef& ref);

// The spec's capture list of a profile as columns (object name, attribute name
// when not the value, meaning); nullopt when the spec has no profile there.
std::optional<std::vector<Column>> model_columns(const Model& model, const Obis& profile);

// A profile's capture_objects (attribute 3) as the meter sent it: class,
// logical name and attribute of each column. Throws ClientError when malformed.
std::vector<AttributeRef> capture_objects(const nlohmann::json& typed);

// "1.0.1.8.0.255:2": a column heading when the spec is not known.
std::string attribute_heading(const AttributeRef& ref);

}  // namespace metergen::client
