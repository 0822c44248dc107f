// The event loop of metergen-meter: TCP listeners (wrapper, HDLC), the HDLC pty,
// up to --max-connections client connections (a frame begun must end within
// --frame-timeout; when every slot is busy the least recently active
// unauthenticated connection gives way to a new one), the meter's periodic tick, the
// pacing of a simulated front end, the power cuts of a scenario and the stop
// signals, and the control socket (control_port.hpp). Single-threaded,
// poll()-based. Uses transport.hpp, pty.hpp, simulated_front_end.hpp,
// control_port.hpp, tcp_listener.hpp and the runtime's dlms::Meter.
//
// The loop owns the dlms::Meter, so that a scenario's power cut can drop it
// (its RAM state and every connection with it) and construct and boot a fresh
// one from the NVM at power-up, as a real meter does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <poll.h>

#include <metergen/dlms/server.hpp>

#include "control_port.hpp"
#include "options.hpp"
#include "pty.hpp"
#include "simulated_front_end.hpp"
#include "transport.hpp"

namespace metergen::host {

class ServerLoop {
 public:
  // `simulated`: the HAL's simulated front end, or nullptr when there is none;
  // `panel`: the HAL's keypad and buttons, which --control-port works.
  // `model`, `hal` and `panel` must outlive the loop.
  ServerLoop(const tables::Model& model, hal::Hal& hal, const Options& options, SimulatedFrontEnd* simulated,
             simulation::Panel& panel);
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  // Constructs and boots the meter (unless the scenario starts without power),
  // opens the listeners and the pty, logs their ports/path and writes the ready file.
  bool start(std::string* error);
  // Serves until SIGTERM or SIGINT (blocked by start() outside the wait) or,
  // with --exit-at-end, until the scenario has been played; then closes every connection.
  void run();
  // The meter, nullptr while a scenario has its power off.
  dlms::Meter* meter() { return meter_ ? &*meter_ : nullptr; }

 private:
  enum class Kind : std::uint8_t { wrapper, hdlc };
  struct Listener {
    int fd;
    Kind kind;
    int port;
  };
  struct Client {
    int fd;
    std::string peer;
    std::unique_ptr<Transport> transport;
    std::vector<std::uint8_t> outgoing;
    std::uint32_t last_activity_ms;  // the last bytes received (the idle timeout)
    std::uint32_t last_exchange_ms;  // accepted, or the last reply (who gives way when the slots are full)
    std::uint32_t frame_started_ms = 0;
    bool in_frame = false;           // part of a frame has arrived, its rest has not
  };

  bool listen_on(int port, Kind kind, std::string* error);
  // Runs the meter's periodic work when due; returns how long poll() may wait.
  int tick(std::uint32_t now_ms);
  // Scenario mode: paces the front end, plays what is due (power cuts included).
  int tick_simulated();
  // Fidelity::samples: the meter reads frames in its tick; Fidelity::readings:
  // each readable second's readings go to the metering engine, then a tick.
  void play();
  // Power-fail: saves what the meter saves at power-fail detection, then drops
  // it and every connection. Power-up: a fresh meter booted from the NVM.
  void power_off();
  void power_on();
  std::string meter_time() const;
  bool write_ready_file(std::string* error) const;
  // fds as run() laid them out: listeners, clients, the pty, then the control port's.
  void handle_events(const std::vector<pollfd>& fds);
  void accept_client(const Listener& listener);
  // Makes room for a new connection: closes the least recently active
  // unauthenticated one; false when every connection is authenticated.
  bool make_room();
  // Starts or stops a client's frame clock after bytes were received; a reply
  // (`answered`) ends the frame before and may start the next.
  void update_frame_clock(Client& client, bool answered, std::uint32_t now);
  // Applies the HDLC links' timeouts (IEC HDLC setup), then closes connections
  // past the idle timeout or the frame timeout.
  void drop_stalled(std::uint32_t now);
  // Reads what is there and answers; false when the client is to be closed.
  bool serve_client(Client& client);
  bool flush(int fd, std::vector<std::uint8_t>& outgoing);
  void serve_pty();
  void close_client(std::size_t index, const char* why);
  void log(const std::string& text);

  const tables::Model& model_;
  hal::Hal& hal_;
  std::optional<dlms::Meter> meter_;
  const Options& options_;
  SimulatedFrontEnd* simulated_;
  std::uint32_t seconds_since_boot_ = 0;  // metering seconds the meter has had (readings fidelity)
  bool played_ = false;                    // --exit-at-end and the scenario's end reached
  std::uint32_t last_tick_ms_ = 0;
  std::vector<Listener> listeners_;
  std::vector<Client> clients_;
  Pty pty_;
  std::unique_ptr<Transport> pty_transport_;
  std::vector<std::uint8_t> pty_outgoing_;
  simulation::Panel& panel_;
  std::optional<ControlPort> control_;
};

}  // namespace metergen::host
