// A-XDR Data as typed JSON for the `read` command, and the Association LN
// object_list (attribute 2) as the generator's ObjectList.
//
//   {"type": "long-unsigned", "value": 5}; octet-string and bit-string values are
//   hex / binary-digit strings; arrays and structures hold a list of such objects.
//
// Owns: those conversions and the names of Data-Access-Result / Action-Result
// values. Throws ClientError on malformed input. May call: runtime axdr/, object_list.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "client/transport.hpp"
#include "object_list.hpp"

namespace metergen::client {

// One complete Data value (all of `data`) as typed JSON.
nlohmann::ordered_json data_to_json(const Bytes& data);
// Typed JSON (as data_to_json writes it) to one encoded Data value.
Bytes json_to_data(const nlohmann::json& value);
// A value given on the command line: hex A-XDR ("0x1200 05" or "120005") or typed JSON.
Bytes parse_value_argument(const std::string& text);
// One human line for the table format, e.g. "long-unsigned 5".
std::string data_to_text(const Bytes& data);

std::string data_access_result_name(int code);  // "read-write-denied", "object-undefined", ...
std::string action_result_name(int code);

// Association LN attribute 2 (object_list) decoded into one association's objects
// (ascending logical name, class id; attribute/method ids ascending).
std::vector<ListedObject> decode_object_list(const Bytes& data);

}  // namespace metergen::client
