// Command-line parsing for metergen-meter.
#include "options.hpp"

#include <charconv>
#include <ctime>
#include <string_view>

namespace metergen::host {
namespace {

bool parse_int(std::string_view text, long min, long max, long* out) {
  long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  *out = value;
  return true;
}

// L or L/P, each 0..0x3FFF (14-bit HDLC address parts).
bool parse_hdlc_address(std::string_view text, Options* options) {
  const auto slash = text.find('/');
  long logical = 0, physical = -1;
  if (!parse_int(text.substr(0, slash), 0, 0x3FFF, &logical)) return false;
  if (slash != std::string_view::npos && !parse_int(text.substr(slash + 1), 0, 0x3FFF, &physical)) return false;
  options->hdlc_logical = static_cast<std::uint16_t>(logical);
  options->hdlc_physical = physical < 0 ? 0 : static_cast<std::uint16_t>(physical);
  return true;
}

// "max" or an integer 1..1000000.
bool parse_speed(std::string_view text, std::uint32_t* speed) {
  long value = 0;
  if (text == "max") return *speed = 0, true;
  if (!parse_int(text, 1, 1000000, &value)) return false;
  *speed = static_cast<std::uint32_t>(value);
  return true;
}

// YYYY-MM-DDThh:mm:ssZ -> ms since the epoch.
bool parse_utc(std::string_view text, std::optional<std::uint64_t>* ms) {
  tm t{};
  const std::string s(text);
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &t);
  if (end == nullptr || *end != '\0' || t.tm_year < 70) return false;
  *ms = static_cast<std::uint64_t>(timegm(&t)) * 1000u;
  return true;
}

}  // namespace

std::string usage_text() {
  return "usage: metergen-meter --model ID --state DIR [--bind ADDR] [--wrapper-port N] [--hdlc-port N]\n"
         "                      [--hdlc-pty] [--ready-file PATH] [--hdlc-server-address L[/P]]\n"
         "                      [--idle-timeout SECONDS] [--frame-timeout SECONDS] [--max-connections N]\n"
         "                      [--lcd FILE] [--control-port N] [--scenario FILE [--speed N|max]\n"
         "                      [--start YYYY-MM-DDThh:mm:ssZ] [--exit-at-end]]\n"
         "Runs meter model ID as a DLMS/COSEM server; see docs/host-meter.md.\n";
}

ParseOutcome parse_options(int argc, const char* const* argv, Options* options, std::string* error) {
  bool speed_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return ParseOutcome::help;
    if (arg == "--hdlc-pty") {
      options->hdlc_pty = true;
      continue;
    }
    if (arg == "--exit-at-end") {
      options->exit_at_end = true;
      continue;
    }
    if (i + 1 >= argc) return *error = std::string(arg) + ": missing value", ParseOutcome::error;
    const std::string_view value = argv[++i];
    long number = 0;
    bool ok = true;
    if (arg == "--model") options->model_id = value;
    else if (arg == "--state") options->state_dir = value;
    else if (arg == "--bind") options->bind_address = value;
    else if (arg == "--ready-file") options->ready_file = value;
    else if (arg == "--wrapper-port") ok = parse_int(value, 0, 65535, &number), options->wrapper_port = static_cast<int>(number);
    else if (arg == "--hdlc-port") ok = parse_int(value, 0, 65535, &number), options->hdlc_port = static_cast<int>(number);
    else if (arg == "--idle-timeout") ok = parse_int(value, 1, 86400, &number), options->idle_timeout_s = static_cast<int>(number);
    else if (arg == "--frame-timeout") ok = parse_int(value, 1, 3600, &number), options->frame_timeout_s = static_cast<int>(number);
    else if (arg == "--max-connections") ok = parse_int(value, 1, 256, &number), options->max_connections = static_cast<int>(number);
    else if (arg == "--hdlc-server-address") ok = parse_hdlc_address(value, options);
    else if (arg == "--scenario") options->scenario_file = value;
    else if (arg == "--lcd") options->lcd_file = value;
    else if (arg == "--control-port") ok = parse_int(value, 0, 65535, &number), options->control_port = static_cast<int>(number);
    else if (arg == "--speed") ok = parse_speed(value, &options->speed), speed_given = true;
    else if (arg == "--start") ok = parse_utc(value, &options->start_utc_ms);
    else return *error = "unknown option " + std::string(arg), ParseOutcome::error;
    if (!ok) return *error = std::string(arg) + ": bad value '" + std::string(value) + "'", ParseOutcome::error;
  }
  if (options->model_id.empty() || options->state_dir.empty())
    return *error = "--model and --state are required", ParseOutcome::error;
  if (options->scenario_file.empty() && (speed_given || options->start_utc_ms || options->exit_at_end))
    return *error = "--speed, --start and --exit-at-end need --scenario", ParseOutcome::error;
  return ParseOutcome::run;
}

}  // namespace metergen::host
