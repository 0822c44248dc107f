// `metergen listen` (see listen_command.hpp).
#include "client/listen_command.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <vector>


#include "client/notification_reader.hpp"
#include "client/session.hpp"

namespace metergen::client {
namespace {

using Clock = std::chrono::steady_clock;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Bytes hex_key(const std::string& text, const char* option) {
  Bytes b;
  if (text.size() != 32 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw UsageError(std::string(option) + " needs 16 bytes in hex");
  for (std::size_t i = 0; i < text.size(); i += 2) b.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return b;
}

// One accepted connection.
struct Peer {
  int fd = -1;
  NotificationConnection frames;
};

class Listener {
 public:
  Listener(const ListenOptions& o, std::ostream& out, std::ostream& err)
      : o_(o), err_(err), printer_(keys_of(o), o.format == "json", out, err) {}
  ~Listener() {
    for (auto& p : peers_) ::close(p.fd);
    if (fd_ >= 0) ::close(fd_);
  }

  bool open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(o_.port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      err_ << "metergen listen: cannot listen on 127.0.0.1:" << o_.port << ": " << std::strerror(errno) << '\n';
      return false;
    }
    port_ = ntohs(a.sin_port);
    err_ << "metergen listen: listening on 127.0.0.1:" << port_ << '\n' << std::flush;
    if (!o_.ready_file.empty()) std::ofstream(o_.ready_file) << "port=" << port_ << '\n';
    return true;
  }

  // Serves until `count` notifications arrived (true) or the deadline passed (false).
  bool run() {
    const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(o_.timeout_s * 1000));
    while (printer_.printed() < o_.count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        err_ << "metergen listen: " << printer_.printed() << " of " << o_.count << " notifications within " << o_.timeout_s
             << " s\n";
        return false;
      }
      std::vector<pollfd> fds{{fd_, POLLIN, 0}};
      for (auto& p : peers_) fds.push_back({p.fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), static_cast<int>(left)) < 0 && errno != EINTR) return false;
      if (fds[0].revents & POLLIN) accept_peer();
      for (std::size_t i = peers_.size(); i-- > 0;)
        if (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR) && !serve(peers_[i])) drop(i);
    }
    return true;
  }

 private:
  void accept_peer() {
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    Peer p;
    p.fd = fd;
    peers_.push_back(std::move(p));
  }
  void drop(std::size_t i) {
    ::close(peers_[i].fd);
    peers_.erase(peers_.begin() + static_cast<long>(i));
  }

  // Reads what arrived; false when the peer closed or sent a bad header.
  bool serve(Peer& p) {
    std::uint8_t chunk[2048];
    const ssize_t n = ::recv(p.fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    return p.frames.feed(chunk, static_cast<std::size_t>(n), printer_, o_.count, err_);
  }

  static NotificationKeys keys_of(const ListenOptions& o) {
    NotificationKeys k;
    if (!o.ek.empty()) k.ek = hex_key(o.ek, "--ek");
    if (!o.ak.empty()) k.ak = hex_key(o.ak, "--ak");
    k.secrets = o.secrets;
    k.client_sap = o.client_sap;
    return k;
  }

  const ListenOptions& o_;
  std::ostream& err_;
  NotificationPrinter printer_;
  int fd_ = -1;
  int port_ = 0;
  std::vector<Peer> peers_;
};

}  // namespace

int run_listen(const ListenOptions& options, std::ostream& out, std::ostream& err) {
  try {
    if (options.count < 1) throw UsageError("--count must be at least 1");
    Listener l(options, out, err);
    if (!l.open()) return 1;
    return l.run() ? 0 : 1;
  } catch (const UsageError& e) {
    err << "metergen listen: " << e.what() << '\n';
    return 2;
  } catch (const ClientError& e) {
    err << "metergen listen: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace metergen::client
