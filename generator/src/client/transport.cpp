// Transports: wrapper over TCP, HDLC over TCP or a serial device (see transport.hpp).
#include "client/transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>

#include <metergen/hdlc/client_link.hpp>
#include <metergen/wrapper/wrapper.hpp>

namespace metergen::client {
namespace {

using Clock = std::chrono::steady_clock;

// HDLC window the client proposes each way (the most modulo-8 numbering allows;
// the meter may lower it).
constexpr std::uint8_t kProposedWindow = hdlc::kMaxWindow;

std::string timeout_text(double seconds) {
  std::ostringstream s;
  s << seconds;
  return s.str();
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A byte stream (socket or tty) with a deadline per exchange.
class Stream {
 public:
  Stream(int fd, std::string url, double timeout_s) : fd_(fd), url_(std::move(url)), timeout_s_(timeout_s) {}

  void write_all(const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_.get(), p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EAGAIN) { wait(POLLOUT, Clock::now() + timeout()); continue; }
      if (w <= 0) throw ClientError("cannot write to " + url_ + ": " + std::strerror(errno));
      bytes_ += static_cast<std::uint64_t>(w);
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  // Reads what is available before the deadline; throws on timeout or end of stream.
  std::size_t read_some(std::uint8_t* p, std::size_t cap, Clock::time_point deadline) {
    for (;;) {
      wait(POLLIN, deadline);
      ssize_t r = ::read(fd_.get(), p, cap);
      if (r > 0) {
        bytes_ += static_cast<std::uint64_t>(r);
        return static_cast<std::size_t>(r);
      }
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      throw ClientError(url_ + " closed the connection");
    }
  }
  Clock::duration timeout() const {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s_));
  }
  const std::string& url() const { return url_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void wait(short events, Clock::time_point deadline) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) break;
      pollfd p{fd_.get(), events, 0};
      int n = ::poll(&p, 1, static_cast<int>(left));
      if (n > 0) return;
      if (n < 0 && errno != EINTR) throw ClientError("poll failed on " + url_ + ": " + std::strerror(errno));
    }
    throw ClientError("no answer from " + url_ + " within " + timeout_text(timeout_s_) + " s");
  }

  Fd fd_;
  std::string url_;
  double timeout_s_;
  std::uint64_t bytes_ = 0;
};

int connect_tcp(const std::string& hostport, const Endpoint& e) {
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == hostport.size())
    throw ClientError("bad meter URL '" + e.url + "': expected HOST:PORT");
  std::string host = hostport.substr(0, colon), port = hostport.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    throw ClientError("cannot resolve " + host + ": " + gai_strerror(rc));
  std::string problem = "no address";
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      problem = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) throw ClientError("cannot connect to " + e.url + ": " + problem);
  return fd;
}

int open_serial(const std::string& device, const Endpoint& e) {
  int fd = ::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw ClientError("cannot open " + e.url + ": " + std::strerror(errno));
  termios t{};
  if (::tcgetattr(fd, &t) == 0) {
    ::cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    ::cfsetispeed(&t, B9600);
    ::cfsetospeed(&t, B9600);
    ::tcsetattr(fd, TCSANOW, &t);
  }
  ::tcflush(fd, TCIOFLUSH);
  return fd;
}

class WrapperTransport final : public Transport {
 public:
  WrapperTransport(int fd, const Endpoint& e)
      : stream_(fd, e.url, e.timeout_s), endpoint_(e), reassembler_(rx_, sizeof rx_) {}

  Bytes exchange(const Bytes& apdu) override {
    if (apdu.size() > kMaxApdu) throw ClientError("request of " + std::to_string(apdu.size()) + " bytes is too long");
    std::uint8_t head[wrapper::kHeaderSize];
    ByteWriter w(head, sizeof head);
    wrapper::encode_header(w, {wrapper::kVersion, static_cast<std::uint16_t>(endpoint_.client_sap),
                               static_cast<std::uint16_t>(endpoint_.server_logical),
                               static_cast<std::uint16_t>(apdu.size())});
    Bytes frame(head, head + sizeof head);
    frame.insert(frame.end(), apdu.begin(), apdu.end());
    stream_.write_all(frame.data(), frame.size());
    auto deadline = Clock::now() + stream_.timeout();
    for (;;) {
      if (pending_size_ == pending_at_) {
        pending_size_ = stream_.read_some(pending_, sizeof pending_, deadline);
        pending_at_ = 0;
      }
      auto event = wrapper::Reassembler::Event::none;
      pending_at_ += reassembler_.feed(pending_ + pending_at_, pending_size_ - pending_at_, event);
      if (event == wrapper::Reassembler::Event::error)
        throw ClientError(stream_.url() + " sent a malformed wrapper frame");
      if (event == wrapper::Reassembler::Event::apdu) {
        const std::span<std::uint8_t> apdu = reassembler_.apdu();
        Bytes reply(apdu.begin(), apdu.end());
        reassembler_.reset();
        return reply;
      }
    }
  }
  void close() override {}
  std::uint64_t wire_bytes() const override { return stream_.bytes(); }

 private:
  Stream stream_;
  Endpoint endpoint_;
  std::uint8_t rx_[0xFFFF];
  wrapper::Reassembler reassembler_;
  std::uint8_t pending_[4096];
  std::size_t pending_size_ = 0, pending_at_ = 0;
};

class HdlcTransport final : public Transport, private hdlc::FrameSink {
 public:
  HdlcTransport(int fd, const Endpoint& e) : stream_(fd, e.url, e.timeout_s), link_(server_address(e), static_cast<std::uint8_t>(e.client_sap), *this) {
    hdlc::LinkParameters proposal;
    proposal.max_info_transmit = proposal.max_info_receive = static_cast<std::uint16_t>(e.hdlc_max_info);
    proposal.window_transmit = proposal.window_receive = kProposedWindow;
    link_.connect(proposal);
    hdlc::ClientEvent got;
    try {
      got = wait_for(hdlc::ClientEvent::connected);
    } catch (const ClientError& error) {
      throw LinkRefused(std::string(error.what()) + " (no answer to SNRM)");
    }
    if (got != hdlc::ClientEvent::connected)
      throw LinkRefused(e.url + " refused the HDLC connection (SNRM answered with DM or FRMR)");
  }

  Bytes exchange(const Bytes& apdu) override {
    if (!link_.send(apdu.data(), apdu.size()))
      throw ClientError("request of " + std::to_string(apdu.size()) + " bytes does not fit the HDLC link");
    if (wait_for(hdlc::ClientEvent::reply) != hdlc::ClientEvent::reply)
      throw ClientError(stream_.url() + ": HDLC link error while waiting for the reply");
    ByteReader r = link_.reply();
    const std::uint8_t* p = r.take(r.remaining());
    return p ? Bytes(p, p + r.position()) : Bytes();
  }

  std::uint64_t wire_bytes() const override { return stream_.bytes(); }

  void close() override {
    if (!link_.connected()) return;
    try {
      link_.disconnect();
      wait_for(hdlc::ClientEvent::disconnected);
    } catch (const ClientError&) {
      // The meter drops the link on its own after its inactivity timeout.
    }
  }

 private:
  static hdlc::Address server_address(const Endpoint& e) {
    hdlc::Address a;
    a.logical = static_cast<std::uint16_t>(e.server_logical);
    a.physical = static_cast<std::uint16_t>(e.server_physical < 0 ? 0 : e.server_physical);
    if (e.server_physical < 0) a.size = e.server_logical < 0x80 ? 1 : 4;
    else a.size = e.server_logical < 0x80 && e.server_physical < 0x80 ? 2 : 4;
    return a;
  }
  void send(const std::uint8_t* data, std::size_t size) override { stream_.write_all(data, size); }

  // Feeds received bytes to the link until it reports an event other than none.
  hdlc::ClientEvent wait_for(hdlc::ClientEvent wanted) {
    auto deadline = Clock::now() + stream_.timeout();
    for (;;) {
      std::uint8_t buf[512];
      std::size_t n = stream_.read_some(buf, sizeof buf, deadline);
      hdlc::ClientEvent event = link_.receive(buf, n);
      if (event == wanted) return event;
      if (event == hdlc::ClientEvent::refused || event == hdlc::ClientEvent::error) return event;
      if (event != hdlc::ClientEvent::none) deadline = Clock::now() + stream_.timeout();
    }
  }

  Stream stream_;
  hdlc::ClientLink<hdlc::kMaxInfoLimit, kMaxApdu> link_;
};

}  // namespace

bool parse_server_address(const std::string& text, Endpoint& endpoint) {
  auto number = [](const std::string& s, int& out) {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoi(s);
    return out <= 0x3FFF;
  };
  auto slash = text.find('/');
  int logical = 0, physical = -1;
  if (!number(text.substr(0, slash), logical)) return false;
  if (slash != std::string::npos && !number(text.substr(slash + 1), physical)) return false;
  endpoint.server_logical = logical;
  endpoint.server_physical = physical;
  return true;
}

std::unique_ptr<Transport> open_transport(const Endpoint& e) {
  const std::string& url = e.url;
  if (url.rfind("tcp://", 0) == 0) return std::make_unique<WrapperTransport>(connect_tcp(url.substr(6), e), e);
  if (url.rfind("hdlc+tcp://", 0) == 0) return std::make_unique<HdlcTransport>(connect_tcp(url.substr(11), e), e);
  if (url.rfind("hdlc:", 0) == 0) return std::make_unique<HdlcTransport>(open_serial(url.substr(5), e), e);
  throw ClientError("unknown meter URL '" + url + "': use tcp://HOST:PORT, hdlc+tcp://HOST:PORT or hdlc:/dev/DEVICE");
}

}  // namespace metergen::client
