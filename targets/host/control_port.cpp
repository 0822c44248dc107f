// The control socket of metergen-meter (see control_port.hpp).
#include "control_port.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "tcp_listener.hpp"

namespace metergen::host {
namespace {

constexpr std::size_t kReadChunk = 1024;

// A received line as the log shows it: printable bytes, others as '?'.
std::string printable(const char* line, std::size_t n) {
  std::string text(line, n);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
  return text;
}

}  // namespace

ControlPort::~ControlPort() {
  for (const Connection& c : connections_) ::close(c.fd);
  if (listener_ >= 0) ::close(listener_);
}

bool ControlPort::open(int port, std::string* error) {
  listener_ = listen_tcp("127.0.0.1", port, &port_, error);
  if (listener_ < 0) return *error = "--control-port: " + *error, false;
  log_("control listening on 127.0.0.1:" + std::to_string(port_));
  return true;
}

void ControlPort::add_fds(std::vector<pollfd>& fds) const {
  if (listener_ < 0) return;
  fds.push_back({listener_, POLLIN, 0});
  for (const Connection& c : connections_)
    fds.push_back({c.fd, static_cast<short>(POLLIN | (c.outgoing.empty() ? 0 : POLLOUT)), 0});
}

void ControlPort::handle(const pollfd* fds, std::uint32_t now_ms) {
  if (listener_ < 0) return;
  // Connections from the back, so that closing one does not shift those not yet served.
  for (std::size_t i = connections_.size(); i-- > 0;) {
    const short revents = fds[1 + i].revents;
    if ((revents & POLLOUT) && !flush(connections_[i])) close_connection(i, "write failed");
    else if ((revents & (POLLIN | POLLHUP | POLLERR)) && !serve(connections_[i], now_ms)) close_connection(i, "closed");
  }
  if (fds[0].revents & POLLIN) accept_connection(now_ms);
}

void ControlPort::accept_connection(std::uint32_t now_ms) {
  sockaddr_in addr{};
  socklen_t length = sizeof addr;
  const int fd = ::accept4(listener_, reinterpret_cast<sockaddr*>(&addr), &length, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) return;
  const std::string peer = peer_name(addr);
  if (connections_.size() >= kMaxControlConnections) {
    const std::string refusal =
        "error: already " + std::to_string(kMaxControlConnections) + " control connections; try again later\n";
    (void)!::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    log_("control: refused " + peer + ": already " + std::to_string(kMaxControlConnections) + " connections");
    return;
  }
  connections_.push_back({fd, peer, {}, {}, now_ms});
  log_("control connection from " + peer);
}

bool ControlPort::serve(Connection& c, std::uint32_t now_ms) {
  std::uint8_t buffer[kReadChunk];
  const ssize_t got = ::recv(c.fd, buffer, sizeof buffer, 0);
  if (got < 0) return errno == EAGAIN || errno == EINTR;
  if (got == 0) return false;
  c.last_activity_ms = now_ms;
  std::size_t used = 0;
  while (used < static_cast<std::size_t>(got)) {
    switch (c.reader.take(buffer, static_cast<std::size_t>(got), &used)) {
      case simulation::LineReader::Result::line: answer(c, c.reader.line(), c.reader.length()); break;
      case simulation::LineReader::Result::overlong: {
        LogLine reply;
        simulation::overlong_reply(reply);
        c.outgoing += std::string(reply.c_str()) + "\n";
        break;
      }
      case simulation::LineReader::Result::none: break;
    }
  }
  return c.outgoing.size() <= kMaxControlOutgoing && flush(c);
}

void ControlPort::answer(Connection& c, const char* line, std::size_t n) {
  LogLine reply;
  panel_.command(line, n, reply);
  const std::string text = reply.c_str();
  log_("control " + c.peer + ": " + printable(line, n) + " -> " + text);
  c.outgoing += text + "\n";
}

bool ControlPort::flush(Connection& c) {
  while (!c.outgoing.empty()) {
    const ssize_t n = ::send(c.fd, c.outgoing.data(), c.outgoing.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    c.outgoing.erase(0, static_cast<std::size_t>(n));
  }
  return true;
}

void ControlPort::drop_idle(std::uint32_t now_ms) {
  for (std::size_t i = connections_.size(); i-- > 0;)
    if (now_ms - connections_[i].last_activity_ms >= idle_timeout_ms_) close_connection(i, "idle timeout");
}

void ControlPort::close_all(const char* why) {
  for (std::size_t i = connections_.size(); i-- > 0;) close_connection(i, why);
}

void ControlPort::close_connection(std::size_t index, const char* why) {
  log_("control " + connections_[index].peer + ": " + why);
  ::close(connections_[index].fd);
  connections_.erase(connections_.begin() + static_cast<std::ptrdiff_t>(index));
}

}  // namespace metergen::host
