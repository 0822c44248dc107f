// Command-line options of metergen-meter. Owns parsing and the usage text; uses
// nothing but the C++ library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace metergen::host {

struct Options {
  std::string model_id;
  std::string state_dir;
  std::string bind_address = "127.0.0.1";
  int wrapper_port = 4059;      // wrapper::kDlmsPort; 0 = ephemeral
  int hdlc_port = -1;           // -1 = no HDLC TCP listener, 0 = ephemeral
  bool hdlc_pty = false;
  std::string ready_file;       // empty = none
  std::uint16_t hdlc_logical = 1;
  std::uint16_t hdlc_physical = 17;  // hdlc::kDefaultServerAddress
  int idle_timeout_s = 120;     // as the model's IEC HDLC and TCP-UDP setups report
  int frame_timeout_s = 5;      // a frame begun must be complete within this
  int max_connections = 8;      // TCP connections at a time, wrapper and HDLC together (TCP-UDP setup nb_of_sim_conn)
  std::string scenario_file;    // empty = no front end
  std::uint32_t speed = 1;      // x real time; 0 = max (SimulatedFrontEnd::kMaxSpeed)
  std::optional<std::uint64_t> start_utc_ms;  // meter time of the first sample (scenario mode)
  bool exit_at_end = false;     // stop cleanly once the scenario's last segment has been played
  std::string lcd_file;         // empty = the LCD's screens go nowhere
  int control_port = -1;        // the control socket on 127.0.0.1; -1 = none, 0 = ephemeral
};

enum class ParseOutcome { run, help, error };

// Parses argv into *options; on error sets *error (without the usage text).
ParseOutcome parse_options(int argc, const char* const* argv, Options* options, std::string* error);

std::string usage_text();

}  // namespace metergen::host
