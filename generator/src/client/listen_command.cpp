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
#include <iomanip>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <vector>

#include <metergen/push/data_notification.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/wrapper/wrapper.hpp>

#include "client/data.hpp"
#include "client/session.hpp"

namespace metergen::client {
namespace {

using Clock = std::chrono::steady_clock;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One accepted connection and its wrapper reassembly.
struct Peer {
  int fd = -1;
  std::vector<std::uint8_t> buffer = std::vector<std::uint8_t>(kMaxApdu);
  std::unique_ptr<wrapper::Reassembler> frames;
  Peer() : frames(std::make_unique<wrapper::Reassembler>(buffer.data(), buffer.size())) {}
};

// What a received frame was, for printing.
struct Received {
  wrapper::Header header;
  std::optional<std::uint8_t> sc;  // set when it arrived ciphered
  std::uint32_t ic = 0;
  Bytes system_title;
  Bytes apdu;                      // the plain DataNotification
};

Bytes hex_key(const std::string& text, const char* option) {
  Bytes b;
  if (text.size() != 32 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw UsageError(std::string(option) + " needs 16 bytes in hex");
  for (std::size_t i = 0; i < text.size(); i += 2) b.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return b;
}

class Listener {
 public:
  Listener(const ListenOptions& o, std::ostream& out, std::ostream& err) : o_(o), out_(out), err_(err) {
    if (!o.ek.empty()) ek_ = hex_key(o.ek, "--ek");
    if (!o.ak.empty()) ak_ = hex_key(o.ak, "--ak");
  }
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
    while (received_ < o_.count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        err_ << "metergen listen: " << received_ << " of " << o_.count << " notifications within " << o_.timeout_s
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
    std::size_t at = 0;
    while (at < static_cast<std::size_t>(n) && received_ < o_.count) {
      wrapper::Reassembler::Event e = wrapper::Reassembler::Event::none;
      at += p.frames->feed(chunk + at, static_cast<std::size_t>(n) - at, e);
      if (e == wrapper::Reassembler::Event::error) {
        err_ << "metergen listen: a wrapper header with another version or an APDU over " << kMaxApdu
             << " bytes; connection closed\n";
        return false;
      }
      if (e != wrapper::Reassembler::Event::apdu) continue;
      ByteReader apdu = p.frames->apdu();
      handle(p.frames->header(), Bytes(apdu.current(), apdu.current() + apdu.remaining()));
      p.frames->reset();
    }
    return true;
  }

  void handle(const wrapper::Header& h, const Bytes& apdu) {
    Received r;
    r.header = h;
    if (!apdu.empty() && apdu[0] == security::kGeneralGloCipheringTag) {
      if (!decipher(apdu, r)) return;
    } else {
      r.apdu = apdu;
    }
    push::Notification n{};
    if (!push::decode(ByteReader(r.apdu.data(), r.apdu.size()), n)) {
      err_ << "metergen listen: wPort " << h.source << " -> " << h.destination << ": not a DataNotification ("
           << r.apdu.size() << " bytes)\n";
      return;
    }
    ++received_;
    print(r, n);
  }

  bool decipher(const Bytes& apdu, Received& r) {
    ByteReader in(apdu.data(), apdu.size());
    security::GloFrame frame{};
    if (!security::parse_glo(in, frame) || frame.system_title == nullptr) {
      err_ << "metergen listen: a general-glo-ciphering APDU without a system title or with a bad length\n";
      return false;
    }
    Credentials keys;
    keys.ek = ek_;
    keys.ak = ak_;
    if (!o_.secrets.empty()) load_secrets(o_.secrets, o_.client_sap >= 0 ? o_.client_sap : r.header.destination, keys);
    if (keys.ek.size() != security::kKeySize || keys.ak.size() != security::kKeySize) {
      err_ << "metergen listen: a ciphered notification and no keys (--ek/--ak or --secrets)\n";
      return false;
    }
    security::Keys k{};
    std::copy(keys.ek.begin(), keys.ek.end(), k.ek);
    std::copy(keys.ak.begin(), keys.ak.end(), k.ak);
    r.system_title.assign(frame.system_title, frame.system_title + security::kSystemTitleSize);
    r.apdu.resize(apdu.size());
    security::Unprotected u = security::unprotect(frame.content, 0, k, frame.system_title, r.apdu.data(), r.apdu.size());
    if (u.status != security::Status::ok) {
      err_ << "metergen listen: a ciphered notification that does not decipher with the keys given\n";
      return false;
    }
    r.apdu.resize(u.length);
    r.sc = u.sc;
    r.ic = u.ic;
    return true;
  }

  static std::string hex(const Bytes& b) {
    std::ostringstream s;
    for (auto x : b) s << std::hex << std::uppercase << std::setw(2) << std::setfill('0') << int(x);
    return s.str();
  }

  static std::string time_text(const push::Notification& n) {
    if (!n.has_time) return "";
    std::uint8_t raw[2 + 12];
    ByteWriter w(raw, sizeof raw);
    axdr::put_date_time_octets(w, n.time);
    return data_to_text(Bytes(raw, raw + w.size()));
  }

  void print(const Received& r, const push::Notification& n) {
    const Bytes body(n.body.current(), n.body.current() + n.body.remaining());
    const std::uint32_t invoke_id = n.long_invoke_id_and_priority & push::kInvokeIdMask;
    if (o_.format == "json") {
      nlohmann::ordered_json j;
      j["source_wport"] = r.header.source;
      j["destination_wport"] = r.header.destination;
      j["long_invoke_id_and_priority"] = n.long_invoke_id_and_priority;
      j["invoke_id"] = invoke_id;
      j["date_time"] = n.has_time ? nlohmann::ordered_json(time_text(n)) : nlohmann::ordered_json(nullptr);
      if (r.sc) j["ciphered"] = {{"security_control", *r.sc}, {"invocation_counter", r.ic}, {"system_title", hex(r.system_title)}};
      j["body"] = data_to_json(body);
      out_ << j.dump() << '\n' << std::flush;
      return;
    }
    out_ << "notification " << received_ << ": wPort " << r.header.source << " -> " << r.header.destination
         << ", invoke id " << invoke_id;
    if (n.has_time) out_ << ", " << time_text(n);
    if (r.sc) out_ << ", ciphered (SC " << std::hex << std::uppercase << int(*r.sc) << std::dec << ", IC " << r.ic
                   << ", system title " << hex(r.system_title) << ")";
    out_ << "\n  " << data_to_text(body) << '\n' << std::flush;
  }

  const ListenOptions& o_;
  std::ostream& out_;
  std::ostream& err_;
  Bytes ek_, ak_;
  int fd_ = -1;
  int port_ = 0;
  int received_ = 0;
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
