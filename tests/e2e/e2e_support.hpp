// Helpers of the end-to-end tests: the child processes and the host meter of
// tests/support/host_meter.hpp, and the client options of a spec's associations.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/host_meter.hpp"

namespace e2e {

namespace fs = std::filesystem;
using json = nlohmann::json;
using metergen::test::Background;
using metergen::test::Clock;
using metergen::test::HostMeter;
using metergen::test::read_text;
using metergen::test::Result;
using metergen::test::run;

// An association of the spec as generated/<model>/object_list.json lists it.
struct Association {
  int sap = 0;
  std::string authentication;
  json objects;
};

inline std::vector<Association> associations_of(const std::string& model) {
  json list = json::parse(read_text(fs::path(METERGEN_SOURCE_DIR) / "generated" / model / "object_list.json"));
  std::vector<Association> out;
  for (const auto& a : list["associations"]) out.push_back({a["client_sap"], a["authentication"], a["objects"]});
  return out;
}

// Client options for an association: its SAP, mechanism and the meter's secrets.
// HLS-GMAC associations use the ciphered context (they have keys; some require it).
inline std::vector<std::string> client_options(const Association& a, const HostMeter& meter) {
  std::vector<std::string> o{"--client", std::to_string(a.sap), "--secrets", meter.secrets()};
  if (a.authentication == "lls") o.insert(o.end(), {"--auth", "lls"});
  if (a.authentication == "hls-gmac") o.insert(o.end(), {"--auth", "hls", "--ciphered"});
  return o;
}

}  // namespace e2e
