// Reports of a conformance run (text and JSON) and the `metergen conformance`
// command (see conformance.hpp).
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "build_model.hpp"
#include "commands.hpp"
#include "conformance.hpp"

namespace metergen {
namespace {

constexpr int kExitError = 1;

std::string message_of(const Deviation& d) {
  std::string m = d.check;
  if (!d.member.empty()) m = d.member + " " + m;
  return m + ": expected " + d.expected + ", got " + (d.actual.empty() ? "nothing" : d.actual);
}

std::string seconds_text(double s) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(2) << s;
  return o.str();
}

}  // namespace

std::string render_conformance_text(const ConformanceResult& r) {
  std::ostringstream out;
  for (const auto& a : r.associations) {
    out << a.name << " (sap " << a.client_sap << (a.context.empty() ? "" : ", " + a.context) << "): " << a.checks
        << " checks, " << a.deviations << (a.deviations == 1 ? " deviation\n" : " deviations\n");
    for (const auto& d : r.deviations) {
      if (d.association != a.name || d.client_sap != a.client_sap) continue;
      out << "  ";
      if (d.logical_name) out << format_obis(*d.logical_name) << (d.object_name.empty() ? "" : " " + d.object_name) << ": ";
      out << message_of(d) << '\n';
    }
    for (const auto& n : a.notes) out << "  note: " << n << '\n';
  }
  out << "conformance: " << r.deviations.size() << (r.deviations.size() == 1 ? " deviation" : " deviations") << " ("
      << r.checks() << " checks over " << r.associations.size() << " association(s) of " << r.meter << "; "
      << seconds_text(r.seconds) << " s, " << r.wire_bytes << " bytes on the wire)\n";
  return out.str();
}

std::string render_conformance_json(const ConformanceResult& r) {
  nlohmann::ordered_json doc;
  doc["format"] = "metergen-conformance/1";
  doc["conformant"] = r.deviations.empty();
  doc["meter"] = r.meter;
  doc["checks"] = r.checks();
  doc["seconds"] = r.seconds;
  doc["wire_bytes"] = r.wire_bytes;
  doc["associations"] = nlohmann::ordered_json::array();
  for (const auto& a : r.associations)
    doc["associations"].push_back({{"name", a.name},
                                   {"client_sap", a.client_sap},
                                   {"context", a.context},
                                   {"checks", a.checks},
                                   {"deviations", a.deviations},
                                   {"notes", a.notes}});
  doc["deviations"] = nlohmann::ordered_json::array();
  for (const auto& d : r.deviations) {
    nlohmann::ordered_json j{{"association", d.association}, {"client_sap", d.client_sap}, {"check", d.check}};
    if (d.logical_name) {
      j["class_id"] = d.class_id;
      j["logical_name"] = format_obis(*d.logical_name);
    }
    if (!d.object_name.empty()) j["name"] = d.object_name;
    if (!d.member.empty()) j["member"] = d.member;
    j["expected"] = d.expected;
    j["actual"] = d.actual;
    j["message"] = message_of(d);
    doc["deviations"].push_back(std::move(j));
  }
  return doc.dump(1) + "\n";
}

int run_conformance(const ConformanceOptions& options, std::ostream& out, std::ostream& err) {
  Diagnostics diags;
  auto model = load_model(options.spec, diags, options.load);
  for (const auto& d : diags.sorted())
    if (d.severity == Severity::error) err << d.format() << '\n';
  if (!model || diags.has_errors()) return kExitError;
  if (!options.association.empty() &&
      std::none_of(model->associations.begin(), model->associations.end(),
                   [&](const Association& a) { return a.name == options.association; })) {
    err << "metergen conformance: the spec has no association '" << options.association << "'\n";
    return kExitError;
  }
  ConformanceResult result;
  try {
    result = run_conformance_checks(*model, options);
  } catch (const client::ClientError& e) {
    err << "metergen conformance: " << e.what() << '\n';
    return kExitError;
  }
  out << (options.format == "json" ? render_conformance_json(result) : render_conformance_text(result));
  return result.deviations.empty() ? 0 : kAuditDifferences;
}

}  // namespace metergen
