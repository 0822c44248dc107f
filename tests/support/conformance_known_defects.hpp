// The meter's known deviations in a conformance run (metergen conformance
// --format json): the runtime serves some interface classes without behaviour
// yet (runtime/src/cosem/class_generic.cpp, docs/runtime.md: image transfer,
// IEC local port and HDLC setups, TCP-UDP setup), so their readable attributes
// answer object-unavailable (11).
// Tests accept exactly those deviations; any other fails them.
#pragma once

#include <set>

#include <nlohmann/json.hpp>

namespace metergen::test {

inline bool conformance_known_defect(const nlohmann::json& deviation) {
  static const std::set<int> classes_without_behaviour = {18, 19, 23, 41};
  return deviation.value("check", "") == "get" && deviation.contains("class_id") &&
         classes_without_behaviour.count(deviation["class_id"].get<int>()) != 0 &&
         deviation.value("actual", "") == "object-unavailable (11)";
}

}  // namespace metergen::test
