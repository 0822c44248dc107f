// metergen-meter: one seed meter model as a Linux process serving DLMS/COSEM
// over the TCP wrapper, HDLC over TCP and HDLC over a pty (docs/host-meter.md).
// Ties together options, the model registry, the scenario loader (the
// generator's input library, docs/scenario.md), HostHal and the loop (which
// owns the dlms::Meter).
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>

#include <metergen/dlms/server.hpp>

#include "scenario.hpp"

#include "host_hal.hpp"
#include "model_registry.hpp"
#include "options.hpp"
#include "server_loop.hpp"

int main(int argc, char** argv) {
  using namespace metergen::host;
  // A file-size limit (ulimit -f) makes a write fail with EFBIG, which is logged, instead of killing the meter.
  std::signal(SIGXFSZ, SIG_IGN);
  Options options;
  std::string error;
  switch (parse_options(argc, argv, &options, &error)) {
    case ParseOutcome::help: std::fputs(usage_text().c_str(), stdout); return 0;
    case ParseOutcome::error: std::fprintf(stderr, "metergen-meter: %s\n%s", error.c_str(), usage_text().c_str()); return 2;
    case ParseOutcome::run: break;
  }
  const metergen::tables::Model* model = find_model(options.model_id);
  if (model == nullptr) {
    std::fprintf(stderr, "metergen-meter: unknown model '%s'; known models: %s\n", options.model_id.c_str(),
                 known_model_ids().c_str());
    return 2;
  }
  std::optional<metergen::LoadedScenario> scenario;
  if (!options.scenario_file.empty()) {
    metergen::Diagnostics diags;
    scenario = metergen::load_scenario(options.scenario_file, diags);
    for (const auto& d : diags.sorted()) std::fprintf(stderr, "%s\n", d.format().c_str());
    if (!scenario) return 2;
    if (options.exit_at_end && scenario->scenario.repeat) {
      std::fprintf(stderr, "metergen-meter: --exit-at-end: %s repeats for ever (repeat: true), it has no end\n%s",
                   options.scenario_file.c_str(), usage_text().c_str());
      return 2;
    }
  }

  HostHal hal(*model, options.state_dir);
  if (!hal.open(&error)) {
    log_line(model->id, "cannot start: " + error);
    return 1;
  }
  if (!options.lcd_file.empty() && !hal.open_lcd(options.lcd_file, &error)) {
    log_line(model->id, "cannot open --lcd file: " + error);
    return 1;
  }
  if (scenario) {
    log_line(model->id, "scenario " + options.scenario_file + " at --speed " +
                            (options.speed == SimulatedFrontEnd::kMaxSpeed ? "max" : std::to_string(options.speed)));
    hal.start_scenario(scenario->scenario, options.speed, options.start_utc_ms, options.exit_at_end);
  }
  ServerLoop loop(*model, hal, options, hal.simulated_front_end(), hal.panel());
  if (!loop.start(&error)) {
    log_line(model->id, error);
    return 1;
  }
  log_line(model->id, "meter running, state in " + options.state_dir);
  loop.run();
  // A meter whose scenario has the power off saved its state at the power cut.
  bool kept = true;
  if (metergen::dlms::Meter* meter = loop.meter(); meter != nullptr && !meter->persist()) {
    log_line(model->id, "persisting the meter state failed");
    kept = false;
  }
  kept = hal.sync() && kept;
  log_line(model->id, kept ? "stopped" : "stopped; the state could not be kept (exit 1)");
  return kept ? 0 : 1;
}
