// A client of the meters' keypad and button commands (simulation::Panel): the
// host meter's control socket and the firmware images' UART2, both reached
// over loopback TCP. One command line out, one reply line back, each wait
// bounded.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace metergen::test {

class ControlClient {
 public:
  // Connects to 127.0.0.1:port (valid() tells whether it worked).
  explicit ControlClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~ControlClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  bool valid() const { return fd_ >= 0; }
  // Sends bytes as they are (no line end added).
  bool send_bytes(const std::string& bytes) {
    return fd_ >= 0 && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // The next reply line without its LF; "" when none came within `limit` or
  // the peer closed (closed() then says so).
  std::string reply(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      if (const auto lf = pending_.find('\n'); lf != std::string::npos) {
        std::string line = pending_.substr(0, lf);
        pending_.erase(0, lf + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (fd_ < 0 || left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) {
        closed_ = true;
        return {};
      }
      pending_.append(buf, static_cast<std::size_t>(n));
    }
  }
  // One command and its reply.
  std::string command(const std::string& line) { return send_bytes(line + "\n") ? reply() : std::string(); }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string pending_;
  bool closed_ = false;
};

}  // namespace metergen::test
