// `metergen scenario emit`: a checked scenario as a C++ source file
// (templates/scenario.cpp.mustache) for firmware images without an ADC.
#include "scenario_emit.hpp"

#include <filesystem>
#include <regex>

#include "emit.hpp"
#include "identifiers.hpp"

namespace metergen {

bool is_scenario_identifier(const std::string& name) {
  static const std::regex re("^[A-Za-z_][A-Za-z0-9_]*$");
  // cpp_identifier keeps a lower-case name unless it is a keyword (it appends '_').
  return std::regex_match(name, re) && cpp_identifier(name) != name + "_";
}

std::string emit_scenario_cpp(const LoadedScenario& loaded, const std::string& identifier) {
  using kainjow::mustache::data;
  using kainjow::mustache::list;
  const auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
  const simulation::Scenario& s = loaded.scenario;
  data view;
  view.set("version", METERGEN_VERSION);
  view.set("source", std::filesystem::path(loaded.file).filename().string());
  view.set("name", identifier);
  view.set("segment_count", std::to_string(s.segment_count));
  view.set("repeat", flag(s.repeat));
  view.set("seed", std::to_string(s.seed) + "u");
  view.set("noise_lsb", scenario_number(s.noise_lsb));
  view.set("fidelity", std::string(s.fidelity == simulation::Fidelity::readings ? "readings" : "samples"));
  list segments;
  for (std::size_t i = 0; i < loaded.segments.size(); ++i) {
    const simulation::Segment& seg = loaded.segments[i];
    data d;
    d.set("index", std::to_string(i));
    d.set("segment_name", loaded.names[i]);
    d.set("duration_s", std::to_string(seg.duration_s) + "u");
    d.set("frequency_hz", scenario_number(seg.frequency_hz));
    d.set("neutral_current_rms", scenario_number(seg.neutral_current_rms));
    d.set("power_off", flag(seg.power_off));
    d.set("buttons", std::to_string(seg.buttons) + "u");
    d.set("inputs", std::to_string(seg.inputs) + "u");
    d.set("relay_bypassed", flag(seg.relay_bypassed));
    d.set("keys", seg.keys);
    list phases;
    for (const simulation::PhaseLoad& p : seg.phase) {
      data ph;
      ph.set("voltage_rms", scenario_number(p.voltage_rms));
      ph.set("current_rms", scenario_number(p.current_rms));
      ph.set("angle_deg", scenario_number(p.angle_deg));
      ph.set("voltage_angle_deg", scenario_number(p.voltage_angle_deg));
      ph.set("harmonic_count", std::to_string(p.harmonic_count));
      list harmonics;
      for (std::uint8_t j = 0; j < p.harmonic_count; ++j) {
        const simulation::Harmonic& h = p.harmonics[j];
        data hd;
        hd.set("order", std::to_string(h.order));
        hd.set("voltage_percent", scenario_number(h.voltage_percent));
        hd.set("current_percent", scenario_number(h.current_percent));
        hd.set("phase_deg", scenario_number(h.phase_deg));
        harmonics.push_back(hd);
      }
      ph.set("harmonics", harmonics);
      phases.push_back(ph);
    }
    d.set("phases", phases);
    segments.push_back(d);
  }
  view.set("segments", segments);
  return render("scenario.cpp.mustache", view);
}

}  // namespace metergen
