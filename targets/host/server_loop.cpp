// poll()-based event loop of metergen-meter.
#include "server_loop.hpp"

#include "host_hal.hpp"
#include "tcp_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace metergen::host {
namespace {

volatile sig_atomic_t g_stop_signal = 0;
extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }

// Unread replies a client may pile up before it is dropped (the pty drops the bytes instead).
constexpr std::size_t kMaxOutgoing = 256 * 1024;
constexpr int kTickPeriodMs = 500;
// With a simulated front end the meter ticks this often (or at once while
// frames wait), so it reads the ADC frames in small batches.
constexpr int kSimulatedTickPeriodMs = 10;
// While the pty holds part of a frame the loop wakes this often, so that the
// link's inter-octet timeout (25 ms by default) is applied on time.
constexpr int kOctetPollMs = 5;
constexpr std::size_t kReadChunk = 4096;


const char* kind_name(bool hdlc) { return hdlc ? "hdlc" : "wrapper"; }

}  // namespace

ServerLoop::ServerLoop(const tables::Model& model, hal::Hal& hal, const Options& options, SimulatedFrontEnd* simulated,
                       simulation::Panel& panel)
    : model_(model), hal_(hal), options_(options), simulated_(simulated), panel_(panel) {}

ServerLoop::~ServerLoop() {
  for (const Client& client : clients_) ::close(client.fd);
  for (const Listener& listener : listeners_) ::close(listener.fd);
}

void ServerLoop::log(const std::string& text) { hal_.log(text.c_str()); }

std::string ServerLoop::meter_time() const {
  const time_t seconds = static_cast<time_t>(hal_.utc_ms() / 1000u);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

void ServerLoop::power_on() {
  meter_.emplace(model_, hal_);
  meter_->boot();
  panel_.set_powered(true);
  seconds_since_boot_ = 0;
  if (options_.hdlc_pty)
    pty_transport_ =
        make_hdlc_transport(*meter_, options_.hdlc_logical, options_.hdlc_physical, HdlcMedium::serial_line);
}

void ServerLoop::power_off() {
  log("scenario: power off at meter time " + meter_time());
  // What a meter saves when it detects the supply failing; the rest of its RAM is lost.
  if (!meter_->persist()) log("scenario: the power-fail save failed");
  for (std::size_t i = clients_.size(); i-- > 0;) close_client(i, "power off");
  pty_transport_.reset();
  pty_outgoing_.clear();
  panel_.set_powered(false);
  meter_.reset();
}

bool ServerLoop::start(std::string* error) {
  // The stop signals are only delivered inside ppoll(), so none is lost between checks.
  struct sigaction action{};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  if (options_.hdlc_pty && !pty_.open(error)) return false;
  if (!simulated_ || simulated_->powered()) power_on();
  else panel_.set_powered(false);
  if (!listen_on(options_.wrapper_port, Kind::wrapper, error)) return false;
  if (options_.hdlc_port >= 0 && !listen_on(options_.hdlc_port, Kind::hdlc, error)) return false;
  if (options_.hdlc_pty) log("HDLC on pty " + pty_.slave_path());
  if (options_.control_port >= 0) {
    control_.emplace(panel_, [this](const std::string& text) { log(text); },
                     static_cast<std::uint32_t>(options_.idle_timeout_s) * 1000u);
    if (!control_->open(options_.control_port, error)) return false;
  }
  return options_.ready_file.empty() || write_ready_file(error);
}

bool ServerLoop::listen_on(int port, Kind kind, std::string* error) {
  in_addr checked{};
  if (::inet_pton(AF_INET, options_.bind_address.c_str(), &checked) != 1)
    return *error = "--bind " + options_.bind_address + ": not an IPv4 address", false;
  int bound = 0;
  const int fd = listen_tcp(options_.bind_address, port, &bound, error);
  if (fd < 0) return false;
  listeners_.push_back({fd, kind, bound});
  log(std::string(kind_name(kind == Kind::hdlc)) + " listening on " + options_.bind_address + ":" + std::to_string(bound));
  return true;
}

bool ServerLoop::write_ready_file(std::string* error) const {
  std::string text;
  for (const Listener& listener : listeners_)
    text += std::string(kind_name(listener.kind == Kind::hdlc)) + "=" + std::to_string(listener.port) + "\n";
  if (options_.hdlc_pty) text += "pty=" + pty_.slave_path() + "\n";
  if (control_) text += "control=" + std::to_string(control_->port()) + "\n";
  // Readers poll for the file, so it must appear complete: write a temporary, then rename.
  const std::string tmp = options_.ready_file + ".tmp";
  std::FILE* file = std::fopen(tmp.c_str(), "w");
  const bool ok = file != nullptr && std::fputs(text.c_str(), file) >= 0;
  if (file != nullptr && std::fclose(file) != 0) return *error = tmp + ": " + std::strerror(errno), false;
  if (!ok || std::rename(tmp.c_str(), options_.ready_file.c_str()) != 0)
    return *error = options_.ready_file + ": " + std::strerror(errno), false;
  return true;
}

void ServerLoop::run() {
  sigset_t wait_mask;
  ::sigprocmask(SIG_SETMASK, nullptr, &wait_mask);
  sigdelset(&wait_mask, SIGTERM);
  sigdelset(&wait_mask, SIGINT);
  last_tick_ms_ = hal_.ticks_ms();
  int timeout_ms = simulated_ ? 0 : kTickPeriodMs;
  std::vector<pollfd> fds;
  while (g_stop_signal == 0 && !played_) {
    // Layout of fds: listeners, then clients, then the pty (if any).
    fds.clear();
    for (const Listener& listener : listeners_) fds.push_back({listener.fd, POLLIN, 0});
    for (const Client& client : clients_)
      fds.push_back({client.fd, static_cast<short>(POLLIN | (client.outgoing.empty() ? 0 : POLLOUT)), 0});
    if (options_.hdlc_pty)
      fds.push_back({pty_.master_fd(), static_cast<short>(POLLIN | (pty_outgoing_.empty() ? 0 : POLLOUT)), 0});
    if (control_) control_->add_fds(fds);

    const timespec timeout{0, timeout_ms * 1000000L};
    const int ready = ::ppoll(fds.data(), fds.size(), &timeout, &wait_mask);
    if (ready < 0 && errno != EINTR) {
      log(std::string("poll: ") + std::strerror(errno));
      break;
    }
    timeout_ms = tick(hal_.ticks_ms());
    if (ready > 0) handle_events(fds);
    // Read the clock again: clients accepted or served just now are stamped later than `now`.
    drop_stalled(hal_.ticks_ms());
    if (pty_transport_ && pty_transport_->partial()) timeout_ms = std::min(timeout_ms, kOctetPollMs);
  }
  if (g_stop_signal != 0) log(std::string("stopping on ") + (g_stop_signal == SIGINT ? "SIGINT" : "SIGTERM"));
  if (played_) log("scenario: played to its end at meter time " + meter_time() + "; stopping");
  for (std::size_t i = clients_.size(); i-- > 0;) close_client(i, "meter stopping");
  if (control_) control_->close_all("meter stopping");
}

void ServerLoop::drop_stalled(std::uint32_t now) {
  const std::uint32_t idle_limit = static_cast<std::uint32_t>(options_.idle_timeout_s) * 1000u;
  const std::uint32_t frame_limit = static_cast<std::uint32_t>(options_.frame_timeout_s) * 1000u;
  for (std::size_t i = clients_.size(); i-- > 0;) {
    const Client& c = clients_[i];
    if (const char* expired = c.transport->poll(now)) log(c.peer + ": " + expired);
    if (now - c.last_activity_ms >= idle_limit) close_client(i, "idle timeout");
    else if (c.in_frame && now - c.frame_started_ms >= frame_limit) close_client(i, "frame timeout");
  }
  if (pty_transport_)
    if (const char* expired = pty_transport_->poll(now)) log(std::string("pty: ") + expired);
  if (control_) control_->drop_idle(now);
}

int ServerLoop::tick(std::uint32_t now) {
  if (!simulated_) {
    if (now - last_tick_ms_ < static_cast<std::uint32_t>(kTickPeriodMs)) return kTickPeriodMs - (now - last_tick_ms_);
    meter_->tick();
    last_tick_ms_ = now;
    return kTickPeriodMs;
  }
  last_tick_ms_ = now;
  return tick_simulated();
}

int ServerLoop::tick_simulated() {
  SimulatedFrontEnd& sim = *simulated_;
  // At most one window of meter time per iteration, so clients are served between batches.
  sim.pace(monotonic_ns());
  const std::uint64_t before = sim.position();
  // Bounded: a window holds few power cuts worth handling at once; the rest waits for the next iteration.
  for (int step = 0; step < 4; ++step) {
    if (meter_ && !sim.powered()) power_off();
    if (!meter_) {
      sim.skip(sim.readable());  // the meter is off: its clock runs on, nothing is metered
      if (!sim.powered()) break;
      power_on();
      log("scenario: power on at meter time " + meter_time());
    }
    play();
    if (sim.powered() || sim.readable() == 0) break;
  }
  if (options_.exit_at_end && sim.finished()) played_ = true;
  const bool moving = sim.position() != before;
  return moving && (sim.readable() > 0 || sim.behind()) ? 0 : kSimulatedTickPeriodMs;
}

void ServerLoop::play() {
  if (simulated_->fidelity() == simulation::Fidelity::samples) {
    meter_->tick();
    return;
  }
  metrology::Readings readings;
  bool played = false;
  while (simulated_->next_second(readings)) {
    readings.second = ++seconds_since_boot_;
    meter_->metering().on_second(readings);
    meter_->tick();
    played = true;
  }
  if (!played) meter_->tick();
}

void ServerLoop::handle_events(const std::vector<pollfd>& fds) {
  const std::size_t after_clients = listeners_.size() + clients_.size();
  // Clients from the back, so closing one does not shift those not yet served.
  for (std::size_t i = clients_.size(); i-- > 0;) {
    const pollfd& p = fds[listeners_.size() + i];
    if (p.revents == 0) continue;
    if ((p.revents & POLLOUT) && !flush(clients_[i].fd, clients_[i].outgoing)) close_client(i, "write failed");
    else if ((p.revents & (POLLIN | POLLHUP | POLLERR)) && !serve_client(clients_[i])) close_client(i, "closed");
  }
  if (options_.hdlc_pty) {
    const pollfd& p = fds[after_clients];
    if (p.revents & POLLOUT) flush(pty_.master_fd(), pty_outgoing_);
    if (p.revents & POLLIN) serve_pty();
  }
  if (control_) control_->handle(&fds[after_clients + (options_.hdlc_pty ? 1 : 0)], hal_.ticks_ms());
  for (std::size_t i = 0; i < listeners_.size(); ++i)
    if (fds[i].revents & POLLIN) accept_client(listeners_[i]);
}

void ServerLoop::accept_client(const Listener& listener) {
  sockaddr_in addr{};
  socklen_t length = sizeof addr;
  const int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&addr), &length, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) return;
  const std::string peer = peer_name(addr);
  if (!meter_) {
    log("refused " + peer + ": the meter is off");
    ::close(fd);
    return;
  }
  if (clients_.size() >= static_cast<std::size_t>(options_.max_connections) && !make_room()) {
    log("refused " + peer + ": already " + std::to_string(clients_.size()) + " authenticated connections");
    ::close(fd);
    return;
  }
  const bool hdlc = listener.kind == Kind::hdlc;
  const std::uint32_t now = hal_.ticks_ms();
  clients_.push_back({fd, peer,
                      hdlc ? make_hdlc_transport(*meter_, options_.hdlc_logical, options_.hdlc_physical, HdlcMedium::tcp)
                           : make_wrapper_transport(*meter_),
                      {}, now, now});
  log(std::string(kind_name(hdlc)) + " connection from " + peer);
}

bool ServerLoop::make_room() {
  const std::uint32_t now = hal_.ticks_ms();
  std::size_t victim = clients_.size();
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    if (clients_[i].transport->authenticated()) continue;
    if (victim == clients_.size() || now - clients_[i].last_exchange_ms > now - clients_[victim].last_exchange_ms)
      victim = i;
  }
  if (victim == clients_.size()) return false;
  close_client(victim, ("gives way to a new connection (" + std::to_string(clients_.size()) + " busy)").c_str());
  return true;
}

void ServerLoop::update_frame_clock(Client& client, bool answered, std::uint32_t now) {
  if (answered) client.last_exchange_ms = now;
  const bool partial = client.transport->partial();
  if (partial && (!client.in_frame || answered)) client.frame_started_ms = now;
  client.in_frame = partial;
}

bool ServerLoop::serve_client(Client& client) {
  std::uint8_t buffer[kReadChunk];
  const ssize_t got = ::recv(client.fd, buffer, sizeof buffer, 0);
  if (got < 0) return errno == EAGAIN || errno == EINTR;
  if (got == 0) return false;
  const std::uint32_t now = hal_.ticks_ms();
  client.last_activity_ms = now;
  const std::size_t queued = client.outgoing.size();
  if (!client.transport->receive(buffer, static_cast<std::size_t>(got), &client.outgoing)) {
    log("protocol error from " + client.peer);
    return false;
  }
  update_frame_clock(client, client.outgoing.size() > queued, now);
  return client.outgoing.size() <= kMaxOutgoing && flush(client.fd, client.outgoing);
}

bool ServerLoop::flush(int fd, std::vector<std::uint8_t>& outgoing) {
  std::size_t sent = 0;
  while (sent < outgoing.size()) {
    const ssize_t n = ::write(fd, outgoing.data() + sent, outgoing.size() - sent);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return false;
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  outgoing.erase(outgoing.begin(), outgoing.begin() + static_cast<std::ptrdiff_t>(sent));
  return true;
}

void ServerLoop::serve_pty() {
  std::uint8_t buffer[kReadChunk];
  const ssize_t got = ::read(pty_.master_fd(), buffer, sizeof buffer);
  if (got <= 0 || !pty_transport_) return;  // an unpowered meter hears nothing
  // A serial line has no connection to drop: HDLC resynchronises on the next flag.
  pty_transport_->receive(buffer, static_cast<std::size_t>(got), &pty_outgoing_);
  flush(pty_.master_fd(), pty_outgoing_);
  if (pty_outgoing_.size() > kMaxOutgoing) {
    log("pty: nobody reads the replies; dropped " + std::to_string(pty_outgoing_.size()) + " bytes");
    pty_outgoing_.clear();
  }
}

void ServerLoop::close_client(std::size_t index, const char* why) {
  log(clients_[index].peer + ": " + why);
  ::close(clients_[index].fd);
  clients_.erase(clients_.begin() + static_cast<std::ptrdiff_t>(index));
}

}  // namespace metergen::host
