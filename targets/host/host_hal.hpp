// HostHal: metergen::hal::Hal for the meter running as a Linux process.
//
// Owns the state directory: the clock offset (clock_offset), the NVM image
// (nvm.bin) and the secrets file (secrets.conf). Uses POSIX files, clock_gettime
// and getrandom; nothing here is seen by the freestanding runtime except the Hal
// interface.
//
// NVM writes go straight to the file with pwrite, so killing the process is a
// power cut: every completed nvm_write is in the file, nothing else is.
//
// With a scenario (start_scenario) the analogue front end is a
// SimulatedFrontEnd and the meter clock runs on what it has played: meter time
// = start + samples (or seconds, at readings fidelity) played + any offset a
// client set; while the relay is open (set_relay) the front end plays the
// segments without load current. Without one the meter has no front end and
// its clock is host UTC + clock_offset.
//
// The keypad, the buttons and the inputs: what the scenario's segments type,
// press and activate, and what the control socket sends to panel()
// (simulation::Panel).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/panel.hpp>
#include <metergen/simulation/scenario.hpp>

#include "simulated_front_end.hpp"

namespace metergen::host {

// How long a push connection may take to connect and send.
inline constexpr std::uint64_t kPushConnectTimeoutMs = 3000;

// Size of DIR/nvm.bin, created sparse.
inline constexpr std::uint32_t kNvmSize = 64u * 1024u * 1024u;

// Writes one log line `YYYY-MM-DDThh:mm:ssZ meter[<model>]: <text>` (host UTC) to stderr.
void log_line(const char* model_id, const std::string& text);
// Monotonic real time in nanoseconds.
std::uint64_t monotonic_ns();

class HostHal final : public hal::Hal {
 public:
  HostHal(const tables::Model& model, std::string state_dir);
  ~HostHal();
  HostHal(const HostHal&) = delete;
  HostHal& operator=(const HostHal&) = delete;

  // Creates the state directory and its files as needed and loads them. On
  // failure returns false and sets *error. Logs when it creates demo secrets.
  bool open(std::string* error);
  // Flushes the NVM image and, in scenario mode, the meter clock reached (as
  // clock_offset) to the disk (clean shutdown); false (logged) when that or
  // the last NVM write failed.
  bool sync();
  // Scenario mode from now on: the front end plays `scenario` (which must
  // outlive this HAL) at `speed` x real time (SimulatedFrontEnd::kMaxSpeed: as
  // fast as it is read), the meter clock starting at start_utc_ms (default: the
  // meter clock now). `stop_at_end`: the front end stops at the end of the
  // last segment (SimulatedFrontEnd::finished()).
  void start_scenario(const simulation::Scenario& scenario, std::uint32_t speed,
                      std::optional<std::uint64_t> start_utc_ms = std::nullopt, bool stop_at_end = false);
  // Each screen the LCD shows from now on goes to `path` (truncated first) as
  // one line with its meter time. False with *error when it cannot be opened.
  bool open_lcd(const std::string& path, std::string* error);
  // nullptr without a scenario.
  SimulatedFrontEnd* simulated_front_end() { return simulated_.get(); }
  // The keypad, buttons and inputs as the control socket works them.
  simulation::Panel& panel() { return panel_; }

  std::uint64_t utc_ms() override;
  bool set_utc_ms(std::uint64_t ms) override;
  std::uint32_t ticks_ms() override;
  std::uint32_t nvm_size() override;
  bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) override;
  bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) override;
  void random(std::uint8_t* out, std::size_t n) override;
  std::size_t secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) override;
  void log(const char* line) override;
  hal::FrontEnd front_end() override;
  std::size_t adc_read(hal::AdcFrame* out, std::size_t cap) override;
  // The buttons the scenario's current segment presses and those the panel holds.
  std::uint8_t buttons_held() override;
  // The inputs the scenario's current segment activates and those the panel set on.
  std::uint8_t inputs_active() override;
  // The keys the scenario's segments typed, then those typed on the panel.
  std::size_t keypad_read(char* out, std::size_t cap) override;
  // Logged when it changes; in scenario mode the simulated front end sees no
  // load current while the relay is open.
  void set_relay(bool connected) override;
  // One line `YYYY-MM-DDThh:mm:ssZ <screen>` (meter time, display::describe)
  // to the --lcd file, flushed (nothing without one); the panel's `lcd` reads it back.
  void lcd_show(const hal::LcdScreen& screen) override;
  // Push over TCP: a non-blocking connect to "IPv4:port" (or localhost:port),
  // given up after kPushConnectTimeoutMs; the frame is sent without blocking.
  bool push_open(const std::uint8_t* destination, std::size_t n) override;
  hal::PushState push_send(const std::uint8_t* frame, std::size_t n) override;
  void push_close() override;

  // Parses secrets.conf text into key → bytes (`sap.N.lls_password` as text,
  // the other keys as hex). Returns false with *error naming the bad line: an
  // unknown key, bad hex, an empty password, a key or title of the wrong
  // length, a key given twice; or a file without any secret.
  static bool parse_secrets(const std::string& text, std::map<std::string, std::vector<std::uint8_t>>* out,
                            std::string* error);
  // The demo secrets.conf written when the file is missing, for this model's associations.
  static std::string demo_secrets(const tables::Model& model);

 private:
  bool open_nvm(std::string* error);
  bool load_clock_offset(std::string* error);
  bool load_secrets(std::string* error);

  const tables::Model& model_;
  std::string dir_;
  int nvm_fd_ = -1;
  bool nvm_failing_ = false;  // the last NVM write failed
  bool persist_clock_offset(std::int64_t offset_ms);

  std::int64_t clock_offset_ms_ = 0;
  std::map<std::string, std::vector<std::uint8_t>> secrets_;
  std::unique_ptr<SimulatedFrontEnd> simulated_;
  std::int64_t simulated_adjust_ms_ = 0;  // set by clients in scenario mode
  bool relay_connected_ = true;
  std::FILE* lcd_ = nullptr;
  simulation::Panel panel_;

  // The push connection in flight.
  hal::PushState push_failed(const std::string& why);
  int push_fd_ = -1;
  bool push_connected_ = false;
  std::size_t push_offset_ = 0;
  std::uint64_t push_started_ns_ = 0;
  std::string push_destination_;
};

}  // namespace metergen::host
