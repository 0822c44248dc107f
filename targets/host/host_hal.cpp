// HostHal implementation: state-directory files, clocks, randomness, secrets, logging.
// Uses POSIX (open/pread/pwrite/ftruncate/rename), clock_gettime and getrandom.
#include "host_hal.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <metergen/display/display.hpp>

namespace metergen::host {
namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

std::uint64_t host_utc_ms() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

bool parse_hex(const std::string& text, std::vector<std::uint8_t>* out) {
  if (text.size() % 2 != 0) return false;
  out->clear();
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    if (std::sscanf(text.c_str() + i, "%2x", &value) != 1 || !std::isxdigit(static_cast<unsigned char>(text[i])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 1])))
      return false;
    out->push_back(static_cast<std::uint8_t>(value));
  }
  return true;
}

// Replaces `path` with `text` atomically (write a temporary file, then rename).
bool write_file_atomically(const std::string& path, const std::string& text, mode_t mode, std::string* error) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return *error = errno_text(tmp), false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) return *error = errno_text(path), false;
  return true;
}

// What a secrets.conf key names: "server_system_title", "sts_decoder_key",
// "lls_password", "ek", "ak" (of `sap.<digits>.`), or "" for anything else.
std::string secret_kind(const std::string& key) {
  if (key == "server_system_title" || key == "sts_decoder_key") return key;
  if (!key.starts_with("sap.")) return {};
  const auto dot = key.find('.', 4);
  if (dot == 4 || dot == std::string::npos) return {};
  if (!std::all_of(key.begin() + 4, key.begin() + static_cast<std::ptrdiff_t>(dot),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }))
    return {};
  const std::string name = key.substr(dot + 1);
  return name == "lls_password" || name == "ek" || name == "ak" ? name : std::string();
}

// Checks one secret's value; an error text (without the line number) or "".
std::string secret_problem(const std::string& kind, const std::vector<std::uint8_t>& value) {
  if (kind == "lls_password") return value.empty() ? "empty password" : "";
  const std::size_t expected = kind == "server_system_title" || kind == "sts_decoder_key" ? 8 : 16;
  if (value.size() == expected) return {};
  return "expected " + std::to_string(expected) + " bytes, got " + std::to_string(value.size());
}

constexpr std::size_t kMaxSecretsBytes = 64 * 1024;

// The whole of a regular file of at most kMaxSecretsBytes, and its mode; else
// false with *error (*missing: the file does not exist).
bool read_regular_file(const std::string& path, std::string* text, mode_t* mode, bool* missing, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  *missing = fd < 0 && errno == ENOENT;
  if (fd < 0) return *error = errno_text(path), false;
  struct stat st{};
  std::string problem;
  if (::fstat(fd, &st) != 0) problem = errno_text(path);
  else if (!S_ISREG(st.st_mode)) problem = path + ": not a regular file";
  else if (st.st_size > static_cast<off_t>(kMaxSecretsBytes)) problem = path + ": larger than 64 KiB";
  char buffer[4096];
  for (ssize_t n = 1; problem.empty() && n != 0;) {
    n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) problem = errno_text(path);
    else text->append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  *mode = st.st_mode;
  if (!problem.empty()) return *error = problem, false;
  return true;
}

const char* secret_key_name(hal::Secret kind) {
  switch (kind) {
    case hal::Secret::lls_password: return "lls_password";
    case hal::Secret::encryption_key: return "ek";
    case hal::Secret::authentication_key: return "ak";
    case hal::Secret::server_system_title: return "server_system_title";
    case hal::Secret::sts_decoder_key: return "sts_decoder_key";
  }
  return "";
}

}  // namespace

std::uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

namespace {

// `ms` since 1970 as YYYY-MM-DDThh:mm:ssZ.
std::string iso_utc(std::uint64_t ms) {
  const time_t seconds = static_cast<time_t>(ms / 1000u);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return stamp;
}

}  // namespace

void log_line(const char* model_id, const std::string& text) {
  std::fprintf(stderr, "%s meter[%s]: %s\n", iso_utc(host_utc_ms()).c_str(), model_id, text.c_str());
}

HostHal::HostHal(const tables::Model& model, std::string state_dir) : model_(model), dir_(std::move(state_dir)) {}

HostHal::~HostHal() {
  if (nvm_fd_ >= 0) ::close(nvm_fd_);
  if (lcd_ != nullptr) std::fclose(lcd_);
  push_close();
}

bool HostHal::open(std::string* error) {
  std::error_code failed;
  std::filesystem::create_directories(dir_, failed);
  if (failed) return *error = dir_ + ": " + failed.message(), false;
  return open_nvm(error) && load_clock_offset(error) && load_secrets(error);
}

bool HostHal::open_nvm(std::string* error) {
  const std::string path = dir_ + "/nvm.bin";
  nvm_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (nvm_fd_ < 0) return *error = errno_text(path), false;
  struct stat st{};
  if (::fstat(nvm_fd_, &st) != 0) return *error = errno_text(path), false;
  // A new (or shorter) image reads as erased: zero-filled holes, no disk space used.
  if (st.st_size < static_cast<off_t>(kNvmSize) && ::ftruncate(nvm_fd_, kNvmSize) != 0)
    return *error = errno_text(path), false;
  return true;
}

bool HostHal::load_clock_offset(std::string* error) {
  std::ifstream in(dir_ + "/clock_offset");
  if (!in) return true;  // never set: the meter runs on host UTC
  if (!(in >> clock_offset_ms_)) return *error = dir_ + "/clock_offset: not an integer", false;
  return true;
}

bool HostHal::load_secrets(std::string* error) {
  const std::string path = dir_ + "/secrets.conf";
  std::string text;
  mode_t mode = 0;
  bool missing = false;
  if (!read_regular_file(path, &text, &mode, &missing, error)) {
    if (!missing) return *error = "cannot read the secrets: " + *error + " (the meter never replaces them)", false;
    text = demo_secrets(model_);
    mode = 0600;
    if (!write_file_atomically(path, text, 0600, error)) return false;
    log(("created " + path + " with demo secrets (see docs/host-meter.md); replace them for any real use").c_str());
  }
  if ((mode & 077) != 0) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 0777));
    log(("warning: " + path + " is readable by others than its owner (mode " + octal + "); chmod 600 it").c_str());
  }
  if (!parse_secrets(text, &secrets_, error)) return *error = path + ":" + *error, false;
  return true;
}

bool HostHal::parse_secrets(const std::string& text, std::map<std::string, std::vector<std::uint8_t>>* out,
                            std::string* error) {
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) return *error = std::to_string(number) + ": expected `key = value`", false;
    const std::string key = trim(line.substr(0, eq));
    const std::string value = trim(line.substr(eq + 1));
    const std::string kind = secret_kind(key);
    if (kind.empty())
      return *error = std::to_string(number) + ": " + key +
                      ": unknown key; expected server_system_title, sts_decoder_key or sap.<SAP>.lls_password, .ek, .ak",
                      false;
    std::vector<std::uint8_t> bytes;
    if (kind == "lls_password") {
      bytes.assign(value.begin(), value.end());
    } else if (!parse_hex(value, &bytes)) {
      return *error = std::to_string(number) + ": " + key + ": expected hex bytes", false;
    }
    if (const std::string problem = secret_problem(kind, bytes); !problem.empty())
      return *error = std::to_string(number) + ": " + key + ": " + problem, false;
    if (!out->emplace(key, std::move(bytes)).second) return *error = std::to_string(number) + ": " + key + ": given twice", false;
  }
  if (out->empty()) return *error = " no secrets in the file", false;
  return true;
}

std::string HostHal::demo_secrets(const tables::Model& model) {
  std::string text =
      "# Secrets of the host meter: `sap.<client SAP>.<name> = <value>`.\n"
      "# lls_password is text; ek, ak, server_system_title and sts_decoder_key are hex. DEMO VALUES: replace them.\n"
      "server_system_title = 4D474D0000000001\n";
  if (model.prepayment != nullptr) text += "sts_decoder_key = 0123456789ABCDEF\n";
  for (std::uint8_t i = 0; i < model.association_count; ++i) {
    const tables::AssociationDef& a = model.associations[i];
    const std::string prefix = "sap." + std::to_string(a.client_sap) + ".";
    if (a.authentication == tables::Authentication::lls || a.fallback_authentication == tables::Authentication::lls)
      text += prefix + "lls_password = 12345678\n";
    if (a.authentication == tables::Authentication::hls_gmac || a.security_policy != 0) {
      text += prefix + "ek = 000102030405060708090A0B0C0D0E0F\n";
      text += prefix + "ak = D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\n";
    }
  }
  return text;
}

bool HostHal::sync() {
  bool ok = true;
  if (nvm_fd_ >= 0 && ::fsync(nvm_fd_) != 0) {
    log(errno_text(dir_ + "/nvm.bin: fsync").c_str());
    ok = false;
  }
  // The meter clock ran on samples: a restart continues from the time reached.
  if (simulated_) ok = persist_clock_offset(static_cast<std::int64_t>(utc_ms()) - static_cast<std::int64_t>(host_utc_ms())) && ok;
  return ok && !nvm_failing_;
}

void HostHal::start_scenario(const simulation::Scenario& scenario, std::uint32_t speed,
                             std::optional<std::uint64_t> start_utc_ms, bool stop_at_end) {
  const std::uint64_t start = start_utc_ms ? *start_utc_ms : utc_ms();
  simulated_adjust_ms_ = 0;
  simulated_ = std::make_unique<SimulatedFrontEnd>(scenario, model_, speed, start, monotonic_ns(),
                                                   [this](const std::string& line) { log(line.c_str()); },
                                                   stop_at_end);
  simulated_->set_load_connected(relay_connected_);
}

std::uint64_t HostHal::utc_ms() {
  if (simulated_) return static_cast<std::uint64_t>(static_cast<std::int64_t>(simulated_->meter_utc_ms()) + simulated_adjust_ms_);
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(host_utc_ms()) + clock_offset_ms_);
}

bool HostHal::set_utc_ms(std::uint64_t ms) {
  const std::int64_t offset = static_cast<std::int64_t>(ms) - static_cast<std::int64_t>(host_utc_ms());
  // The new time is used only once its offset is in the state directory.
  if (!persist_clock_offset(offset)) return false;
  if (simulated_) simulated_adjust_ms_ = static_cast<std::int64_t>(ms) - static_cast<std::int64_t>(simulated_->meter_utc_ms());
  clock_offset_ms_ = offset;
  return true;
}

bool HostHal::persist_clock_offset(std::int64_t offset_ms) {
  std::string error;
  if (write_file_atomically(dir_ + "/clock_offset", std::to_string(offset_ms) + "\n", 0600, &error)) return true;
  log(("cannot persist the clock offset: " + error).c_str());
  return false;
}

std::uint32_t HostHal::ticks_ms() { return static_cast<std::uint32_t>(monotonic_ns() / 1000000u); }

hal::FrontEnd HostHal::front_end() { return simulated_ ? simulated_->front_end() : hal::FrontEnd{}; }

std::size_t HostHal::adc_read(hal::AdcFrame* out, std::size_t cap) {
  return simulated_ ? simulated_->read(out, cap) : 0;
}

std::uint8_t HostHal::buttons_held() {
  const std::uint8_t panel = panel_.buttons_held(static_cast<std::int64_t>(utc_ms() / 1000));
  return static_cast<std::uint8_t>(panel | (simulated_ ? simulated_->buttons() : 0));
}

std::uint8_t HostHal::inputs_active() {
  return static_cast<std::uint8_t>(panel_.inputs_active() | (simulated_ ? simulated_->inputs() : 0));
}

std::size_t HostHal::keypad_read(char* out, std::size_t cap) {
  const std::size_t typed = simulated_ ? simulated_->take_keys(out, cap) : 0;
  return typed + panel_.keypad_read(out + typed, cap - typed);
}

bool HostHal::open_lcd(const std::string& path, std::string* error) {
  lcd_ = std::fopen(path.c_str(), "w");
  if (lcd_ == nullptr) return *error = path + ": " + std::strerror(errno), false;
  return true;
}

void HostHal::lcd_show(const hal::LcdScreen& screen) {
  panel_.screen_shown(screen);
  if (lcd_ == nullptr) return;
  char line[96];
  display::describe(screen, line, sizeof line);
  std::fprintf(lcd_, "%s %s\n", iso_utc(utc_ms()).c_str(), line);
  std::fflush(lcd_);
}

void HostHal::set_relay(bool connected) {
  if (connected != relay_connected_) log(connected ? "relay: connected" : "relay: disconnected");
  relay_connected_ = connected;
  if (simulated_) simulated_->set_load_connected(connected);
}

std::uint32_t HostHal::nvm_size() { return kNvmSize; }

bool HostHal::nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) {
  if (offset > kNvmSize || n > kNvmSize - offset) return false;
  return ::pread(nvm_fd_, out, n, offset) == static_cast<ssize_t>(n);
}

bool HostHal::nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) {
  if (offset > kNvmSize || n > kNvmSize - offset) return false;
  const ssize_t written = ::pwrite(nvm_fd_, in, n, offset);
  const bool ok = written == static_cast<ssize_t>(n);
  // Logged when writes start failing (a full disk, a file-size limit) and when they work again.
  if (!ok && !nvm_failing_)
    log(((written < 0 ? errno_text(dir_ + "/nvm.bin: write") : dir_ + "/nvm.bin: write: short") +
         "; what the meter writes from now on is not kept").c_str());
  if (ok && nvm_failing_) log((dir_ + "/nvm.bin: writes work again").c_str());
  nvm_failing_ = !ok;
  return ok;
}

void HostHal::random(std::uint8_t* out, std::size_t n) {
  while (n > 0) {
    const ssize_t got = ::getrandom(out, n, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      log_line(model_.id, errno_text("getrandom"));
      std::abort();  // never hand out predictable challenges
    }
    out += got;
    n -= static_cast<std::size_t>(got);
  }
}

std::size_t HostHal::secret(std::uint8_t association, hal::Secret kind, std::uint8_t* out, std::size_t cap) {
  std::string key = secret_key_name(kind);
  if (kind != hal::Secret::server_system_title && kind != hal::Secret::sts_decoder_key) {
    if (association >= model_.association_count) return 0;
    key = "sap." + std::to_string(model_.associations[association].client_sap) + "." + key;
  }
  const auto it = secrets_.find(key);
  if (it == secrets_.end() || it->second.size() > cap) return 0;
  std::copy(it->second.begin(), it->second.end(), out);
  return it->second.size();
}

void HostHal::log(const char* line) { log_line(model_.id, line); }

}  // namespace metergen::host

// ---- push (outbound TCP, never blocking)

namespace metergen::host {

bool HostHal::push_open(const std::uint8_t* destination, std::size_t n) {
  push_close();
  push_destination_.assign(reinterpret_cast<const char*>(destination), n);
  const auto colon = push_destination_.rfind(':');
  std::string host = colon == std::string::npos ? push_destination_ : push_destination_.substr(0, colon);
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_in to{};
  to.sin_family = AF_INET;
  const long port = colon == std::string::npos ? 0 : std::strtol(push_destination_.c_str() + colon + 1, nullptr, 10);
  if (port < 1 || port > 65535 || ::inet_pton(AF_INET, host.c_str(), &to.sin_addr) != 1) {
    log(("push: destination '" + push_destination_ + "' is not IPv4:port or localhost:port; not sent").c_str());
    return false;
  }
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  push_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (push_fd_ < 0) return push_failed(errno_text("socket")), false;
  push_started_ns_ = monotonic_ns();
  if (::connect(push_fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS)
    return push_failed(errno_text("connect")), false;
  return true;
}

hal::PushState HostHal::push_failed(const std::string& why) {
  log(("push: " + push_destination_ + ": " + why).c_str());
  push_close();
  return hal::PushState::failed;
}

hal::PushState HostHal::push_send(const std::uint8_t* frame, std::size_t n) {
  if (push_fd_ < 0) return hal::PushState::failed;
  if (monotonic_ns() - push_started_ns_ > kPushConnectTimeoutMs * 1000000u)
    return push_failed("no connection within " + std::to_string(kPushConnectTimeoutMs / 1000) + " s");
  if (!push_connected_) {
    pollfd p{push_fd_, POLLOUT, 0};
    if (::poll(&p, 1, 0) <= 0) return hal::PushState::busy;
    int error = 0;
    socklen_t len = sizeof error;
    if (::getsockopt(push_fd_, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
      return push_failed(std::strerror(error != 0 ? error : errno));
    push_connected_ = true;
  }
  while (push_offset_ < n) {
    const ssize_t sent = ::send(push_fd_, frame + push_offset_, n - push_offset_, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return hal::PushState::busy;
    if (sent <= 0) return push_failed(errno_text("send"));
    push_offset_ += static_cast<std::size_t>(sent);
  }
  return hal::PushState::sent;
}

void HostHal::push_close() {
  if (push_fd_ >= 0) ::close(push_fd_);
  push_fd_ = -1;
  push_connected_ = false;
  push_offset_ = 0;
}

}  // namespace metergen::host
