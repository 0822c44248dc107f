// The host meter's control socket (--control-port, docs/host-meter.md): a
// TCP listener on 127.0.0.1 and up to kMaxControlConnections connections,
// each sending command lines (simulation::Panel) and getting one reply line
// per command. Served by the server loop's poll(): no threads. Bounded: lines
// of at most simulation::kMaxCommandLine bytes, replies a peer does not read
// up to kMaxControlOutgoing bytes, idle connections closed after the loop's
// --idle-timeout.
//
// Owns: the listener and the connections. Uses: tcp_listener.hpp and the
// Panel of the HAL, through which the keys and presses reach the runtime.
#pragma once

#include <poll.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <metergen/simulation/panel.hpp>

namespace metergen::host {

inline constexpr std::size_t kMaxControlConnections = 4;
inline constexpr std::size_t kMaxControlOutgoing = 64 * 1024;

class ControlPort {
 public:
  using Log = std::function<void(const std::string&)>;
  ControlPort(simulation::Panel& panel, Log log, std::uint32_t idle_timeout_ms)
      : panel_(panel), log_(std::move(log)), idle_timeout_ms_(idle_timeout_ms) {}
  ~ControlPort();
  ControlPort(const ControlPort&) = delete;
  ControlPort& operator=(const ControlPort&) = delete;

  // Listens on 127.0.0.1:port (0 = ephemeral); false with *error.
  bool open(int port, std::string* error);
  int port() const { return port_; }
  // Appends the poll() entries: the listener, then each connection.
  void add_fds(std::vector<pollfd>& fds) const;
  // Serves the entries add_fds appended, starting at `fds`.
  void handle(const pollfd* fds, std::uint32_t now_ms);
  // Closes the connections idle for the idle timeout.
  void drop_idle(std::uint32_t now_ms);
  void close_all(const char* why);

 private:
  struct Connection {
    int fd;
    std::string peer;
    simulation::LineReader reader;
    std::string outgoing;
    std::uint32_t last_activity_ms;
  };
  void accept_connection(std::uint32_t now_ms);
  // Reads and answers what is there; false when the connection is to be closed.
  bool serve(Connection& c, std::uint32_t now_ms);
  void answer(Connection& c, const char* line, std::size_t n);
  static bool flush(Connection& c);
  void close_connection(std::size_t index, const char* why);

  simulation::Panel& panel_;
  Log log_;
  std::uint32_t idle_timeout_ms_;
  int listener_ = -1;
  int port_ = 0;
  std::vector<Connection> connections_;
};

}  // namespace metergen::host
