// End-to-end tests of the mps2-an386 firmware images: each seed model's image
// boots in qemu-system-arm and a DLMS client (the host `metergen`) reads it over
// HDLC on UART0, which QEMU serves on a loopback TCP port chosen at run time.
// The image's log (UART1) goes to a file; its keypad and button commands
// (UART2) come from another loopback port; QEMU's monitor listens on a third
// for system_reset. QEMU sends each UART byte with its own write,
// so the DLMS socket needs nodelay (without it Nagle's algorithm and the
// client's delayed acknowledgements cost about 40 ms per HDLC frame).
//
// Bounded: every wait has a deadline, every child process (QEMU, metergen) is
// killed by its PID when it overruns or when the test ends, and a guest that
// does not come up fails with its log in the message.
//
// Expected values: object lists from generated/<model>/object_list.json (via
// metergen audit), object types from generated/<model>/model.json, the demo
// secrets of docs/host-meter.md, the power-on epoch 2024-01-01T00:00:00Z of
// docs/firmware.md, and date-time fields as IEC 62056-6-2 lays them out.
//
// Environment (set by tests/firmware/CMakeLists.txt in the firmware build):
// METERGEN_FIRMWARE_IMAGE_DIR (holds <model>.elf), METERGEN_FIRMWARE_RETAINED
// (address of the retained RAM); QEMU is qemu-system-arm from PATH.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/child_process.hpp"
#include "../support/control_client.hpp"
#include "../support/cosem_date_time.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;
using metergen::test::kill_now;
using metergen::test::read_text;
using metergen::test::Result;
using metergen::test::spawn;
using metergen::test::utc_of_date_time;
using metergen::test::wait_until;

constexpr auto kBootLimit = 20s;                  // from QEMU start (or reset) to the image's `ready` line
constexpr auto kClientLimit = 120s;               // one metergen run (it also gives up after 5 s without an answer)
constexpr std::int64_t kPowerOnUtc = 1704067200;  // 2024-01-01T00:00:00Z, docs/firmware.md

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A TCP port on 127.0.0.1 that was free a moment ago (QEMU binds it next).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

// A TCP connection to 127.0.0.1:port, or -1.
int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
  close(fd);
  return -1;
}

// What arrives on fd within `limit`, or until `want` bytes arrived.
std::vector<std::uint8_t> receive_for(int fd, std::chrono::milliseconds limit, std::size_t want) {
  std::vector<std::uint8_t> got;
  const auto deadline = Clock::now() + limit;
  while (got.size() < want) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
    std::uint8_t chunk[512];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    got.insert(got.end(), chunk, chunk + n);
  }
  return got;
}

// One metergen run, bounded by kClientLimit.
Result metergen(std::vector<std::string> args, const fs::path& dir) {
  static int serial = 0;
  const fs::path out = dir / ("metergen" + std::to_string(serial) + ".out");
  const fs::path err = dir / ("metergen" + std::to_string(serial) + ".err");
  ++serial;
  args.insert(args.begin(), METERGEN_BIN);
  bool overran = false;
  Result r;
  r.exit_code = wait_until(spawn(args, out, err), Clock::now() + kClientLimit, &overran);
  r.out = read_text(out);
  r.err = read_text(err);
  if (overran) r.err += "\n(metergen killed: no result within " + std::to_string(kClientLimit.count()) + " s)";
  return r;
}

// qemu-system-arm -machine mps2-an386 running one image, killed by its PID on
// destruction. UART0 (DLMS) on a loopback TCP port, UART1 (log) into a file,
// UART2 (keypad and buttons) and the monitor on other loopback ports; `preload` (optional) is written into
// guest memory before the first instruction (a ROM image: QEMU writes it again
// on system_reset).
class Qemu {
 public:
  struct Preload {
    fs::path file;
    std::string address;
  };

  Qemu(const fs::path& image, const fs::path& dir, const std::optional<Preload>& preload = std::nullopt) : dir_(dir) {
    // The ports are free when chosen; should another process take one first, QEMU exits: try again.
    for (int attempt = 0; attempt < 3 && !running(); ++attempt) {
      stop();
      start(image, preload);
    }
  }
  ~Qemu() { stop(); }
  Qemu(const Qemu&) = delete;
  Qemu& operator=(const Qemu&) = delete;

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == 0) return true;
    pid_ = -1;
    return false;
  }
  int dlms_port() const { return dlms_port_; }
  int control_port() const { return control_port_; }
  std::string url() const { return "hdlc+tcp://127.0.0.1:" + std::to_string(dlms_port_); }
  std::string log() const { return read_text(log_path()); }
  std::string diagnostics() const {
    return "guest log (UART1):\n" + log() + "\nQEMU stderr:\n" + read_text(dir_ / "qemu.err");
  }

  // Waits until the log holds `needle` at least `count` times.
  bool wait_for_log(const std::string& needle, std::size_t count = 1, Clock::duration limit = kBootLimit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (count_of(log(), needle) >= count) return true;
      if (!running()) return false;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  // system_reset through the monitor: a warm reset of the board (RAM keeps its contents).
  bool system_reset() {
    const int fd = connect_loopback(monitor_port_);
    if (fd < 0) return false;
    const bool ok = wait_for_prompt(fd, 1) && write(fd, "system_reset\n", 13) == 13 && wait_for_prompt(fd, 1);
    close(fd);
    return ok;
  }

 private:
  fs::path log_path() const { return dir_ / "uart1.log"; }

  void start(const fs::path& image, const std::optional<Preload>& preload) {
    dlms_port_ = free_port();
    monitor_port_ = free_port();
    control_port_ = free_port();
    fs::remove(log_path());
    std::vector<std::string> argv{
        "qemu-system-arm", "-machine",
        "mps2-an386",      "-nographic",
        "-kernel",         image.string(),
        "-serial",         "tcp:127.0.0.1:" + std::to_string(dlms_port_) + ",server=on,wait=off,nodelay=on",
        "-serial",         "file:" + log_path().string(),
        "-serial",         "tcp:127.0.0.1:" + std::to_string(control_port_) + ",server=on,wait=off,nodelay=on",
        "-monitor",        "tcp:127.0.0.1:" + std::to_string(monitor_port_) + ",server=on,wait=off"};
    if (preload)
      argv.insert(argv.end(), {"-device", "loader,file=" + preload->file.string() + ",addr=" + preload->address});
    pid_ = spawn(argv, dir_ / "qemu.out", dir_ / "qemu.err");
    // QEMU fails on a taken port at once; give it that long before calling it running.
    std::this_thread::sleep_for(200ms);
  }

  void stop() {
    if (pid_ <= 0) return;
    kill_now(pid_);
    pid_ = -1;
  }

  // Reads monitor output until `prompts` "(qemu)" prompts arrived or 5 s passed.
  static bool wait_for_prompt(int fd, int prompts) {
    std::string seen;
    const auto deadline = Clock::now() + 5s;
    while (count_of(seen, "(qemu)") < static_cast<std::size_t>(prompts)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      pollfd p{fd, POLLIN, 0};
      if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) return false;
      char buf[512];
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) return false;
      seen.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  fs::path dir_;
  pid_t pid_ = -1;
  int dlms_port_ = 0;
  int monitor_port_ = 0;
  int control_port_ = 0;
};

// An association of generated/<model>/object_list.json.
struct Association {
  int sap = 0;
  std::string authentication;
  json objects;

  int attribute_access(const std::string& ln, int id) const { return access(ln, "attributes", id); }
  int method_access(const std::string& ln, int id) const { return access(ln, "methods", id); }

 private:
  // Access mode of attribute or method `id` of object `ln` (0 = not listed).
  int access(const std::string& ln, const char* kind, int id) const {
    for (const auto& o : objects)
      if (o["logical_name"] == ln)
        for (const auto& item : o[kind])
          if (item["id"] == id) return item["access"];
    return 0;
  }
};

// Attribute access modes (Association LN): read 1, write 2, read-write 3, authenticated 4..6.
bool readable(int access) { return access == 1 || access == 3 || access == 4 || access == 6; }
bool writable(int access) { return access == 2 || access == 3 || access == 5 || access == 6; }

class Firmware : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    model_ = GetParam();
    image_ = fs::path(env("METERGEN_FIRMWARE_IMAGE_DIR")) / (model_ + image_suffix() + ".elf");
    ASSERT_TRUE(fs::exists(image_)) << image_
                                    << " not found: set METERGEN_FIRMWARE_IMAGE_DIR (ctest in the firmware build does)";
    // The test's name without its parameter suffix ("/<model>"), so that dir_ is one directory.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    test = test.substr(0, test.find('/'));
    dir_ = fs::temp_directory_path() / ("metergen-firmware-" + std::to_string(getpid()) + "-" + model_ + "-" + test);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path generated = fs::path(METERGEN_SOURCE_DIR) / "generated" / model_;
    const json list = json::parse(read_text(generated / "object_list.json"));
    for (const auto& a : list["associations"])
      associations_.push_back({a["client_sap"], a["authentication"], a["objects"]});
    model_json_ = json::parse(read_text(generated / "model.json"));
    write_secrets();
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  // The image is <model><suffix>.elf: a seed model's product image, or a test image of it.
  virtual std::string image_suffix() const { return ""; }

  // The demo secrets of docs/host-meter.md for every association that authenticates (a
  // client uses only what its mechanism needs). An association without authentication
  // has no keys in the meter (a security policy needs authentication), so the file
  // gives it none: a conformance run expects the ciphered context refused there.
  void write_secrets() {
    std::ofstream out(dir_ / "secrets.conf");
    out << "server_system_title = 4D474D0000000001\n";
    for (const auto& a : associations_) {
      if (a.authentication == "none") continue;
      out << "sap." << a.sap << ".lls_password = 12345678\n"
          << "sap." << a.sap << ".ek = 000102030405060708090A0B0C0D0E0F\n"
          << "sap." << a.sap << ".ak = D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\n";
    }
  }

  // Starts the image and waits for its `ready` line.
  std::unique_ptr<Qemu> boot(const std::optional<Qemu::Preload>& preload = std::nullopt) {
    auto qemu = std::make_unique<Qemu>(image_, dir_, preload);
    booted_at_ = Clock::now();
    if (!qemu->wait_for_log("ready: ")) {
      ADD_FAILURE() << model_ << ": the guest did not log `ready` within " << kBootLimit.count() << " s of starting"
                    << (qemu->running() ? "" : " (QEMU exited)") << "\n"
                    << qemu->diagnostics();
      return nullptr;
    }
    return qemu;
  }

  // The first association other than the public client (SAP 16) that satisfies `want`.
  const Association* find_association(const std::function<bool(const Association&)>& want) const {
    for (const auto& a : associations_)
      if (a.sap != 16 && want(a)) return &a;
    return nullptr;
  }

  Result read(const Qemu& qemu, const Association& a, std::vector<std::string> args) {
    std::vector<std::string> full{"read",
                                  "--meter",
                                  qemu.url(),
                                  "--client",
                                  std::to_string(a.sap),
                                  "--secrets",
                                  (dir_ / "secrets.conf").string()};
    if (a.authentication == "lls") full.insert(full.end(), {"--auth", "lls"});
    if (a.authentication == "hls-gmac") full.insert(full.end(), {"--auth", "hls", "--ciphered"});
    full.insert(full.end(), args.begin(), args.end());
    return metergen(full, dir_);
  }

  // Clock time (0.0.1.0.0.255 attribute 2) read by the public client, as UTC seconds.
  std::optional<std::int64_t> read_clock(const Qemu& qemu) {
    Result r = metergen({"read", "--meter", qemu.url(), "get", "0.0.1.0.0.255:2", "--class", "8"}, dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << qemu.diagnostics();
    if (r.exit_code != 0) return std::nullopt;
    const json value = json::parse(r.out);
    EXPECT_EQ(value["type"], "octet-string");
    EXPECT_EQ(value["value"].get<std::string>().size(), 24u);  // 12 bytes
    return utc_of_date_time(value["value"]);
  }

  // A profile (class 7) whose capture method `a` may call and whose entries_in_use (attribute 7) it may read.
  // A profile a client may capture that the meter does not write by itself
  // at a power-up: not an event log (power down and up, a lost clock) nor a
  // billing profile (the daily freeze at a midnight power-on).
  bool written_by_the_meter(const std::string& ln) const {
    std::vector<std::string> names;
    for (const auto& l : model_json_["event_logs"]) names.push_back(l["profile"]);
    for (const char* key : {"daily_profile", "monthly_profile"})
      if (model_json_["billing"].contains(key) && model_json_["billing"][key].is_string())
        names.push_back(model_json_["billing"][key]);
    for (const auto& o : model_json_["objects"])
      if (o["logical_name"] == ln) return std::find(names.begin(), names.end(), o["name"]) != names.end();
    return false;
  }
  // A class 7 object that is one of the model's profiles (not a display readout).
  bool is_profile(const std::string& ln) const {
    for (const auto& p : model_json_["profiles"])
      if (p["logical_name"] == ln) return true;
    return false;
  }
  // Preferably one the meter does not write itself; else any.
  std::string capturable_profile(const Association& a) const {
    std::string any;
    for (const auto& o : a.objects)
      if (o["class_id"] == 7 && is_profile(o["logical_name"]) && a.method_access(o["logical_name"], 2) != 0 &&
          readable(a.attribute_access(o["logical_name"], 7))) {
        if (!written_by_the_meter(o["logical_name"])) return o["logical_name"];
        if (any.empty()) any = o["logical_name"];
      }
    return any;
  }

  std::optional<std::uint64_t> entries_in_use(const Qemu& qemu, const Association& a, const std::string& profile) {
    Result r = read(qemu, a, {"get", profile + ":7", "--class", "7"});
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << qemu.diagnostics();
    if (r.exit_code != 0) return std::nullopt;
    return json::parse(r.out)["value"].get<std::uint64_t>();
  }

  // The entries of event log `log` whose code is `a` or `b`, as (code, UTC seconds), oldest first.
  std::vector<std::pair<int, std::int64_t>> log_entries(const Qemu& qemu, const Association& a, const std::string& log,
                                                        int code_a, int code_b) {
    Result r = read(qemu, a, {"get", log + ":2", "--class", "7"});
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << qemu.diagnostics();
    std::vector<std::pair<int, std::int64_t>> out;
    if (r.exit_code != 0) return out;
    const json buffer = json::parse(r.out);
    for (const json& row : buffer["value"]) {
      const int code = row["value"][1]["value"];
      if (code == code_a || code == code_b) out.emplace_back(code, utc_of_date_time(row["value"][0]["value"]));
    }
    return out;
  }

  std::int64_t seconds_since_boot() const {
    return std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - booted_at_).count() + 1;
  }

  std::string model_;
  fs::path image_, dir_;
  std::vector<Association> associations_;
  json model_json_;
  Clock::time_point booted_at_;
};

// A cold boot logs the formatted NVM, an NVM large enough for the model, and
// serves every association's object list exactly as the spec defines it.
TEST_P(Firmware, BootsColdAndServesTheSpecsObjectLists) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  const std::string log = qemu->log();
  EXPECT_NE(log.find("meter[" + model_ + "]: boot: model " + model_), std::string::npos) << log;
  EXPECT_NE(log.find("nvm: cold start, formatted"), std::string::npos) << log;
  EXPECT_NE(log.find("nvm: records and profile buffers use"), std::string::npos) << log;
  EXPECT_EQ(log.find("error"), std::string::npos) << log;

  const std::string spec = (fs::path(METERGEN_SOURCE_DIR) / "specs" / (model_ + ".yaml")).string();
  Result audit = metergen(
      {"audit", spec, "--meter", qemu->url(), "--secrets", (dir_ / "secrets.conf").string(), "--format", "json"}, dir_);
  ASSERT_EQ(audit.exit_code, 0) << audit.out << audit.err << "\n" << qemu->diagnostics();
  const json report = json::parse(audit.out);
  EXPECT_TRUE(report["differences"].empty()) << report["differences"].dump();
  EXPECT_GE(report["associations"].size(), 2u);
  EXPECT_TRUE(qemu->running());

  // The deepest stack use so far (checked once a second) leaves a quarter of the stack free.
  std::this_thread::sleep_for(1100ms);
  const std::string after = qemu->log();
  const auto at = after.rfind("stack: peak ");
  ASSERT_NE(at, std::string::npos) << after;
  unsigned peak = 0, size = 0;
  ASSERT_EQ(std::sscanf(after.c_str() + at, "stack: peak %u of %u bytes", &peak, &size), 2) << after;
  EXPECT_LE(peak, size * 3 / 4) << after;
}

// A conformance run of the spec over HDLC (docs/conformance.md): every
// association's access, types, lists, blocks, selective access and AARQ
// variants as the spec and the standard say: no deviation at all.
TEST_P(Firmware, ConformsToItsSpecOverHdlc) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  const std::string spec = (fs::path(METERGEN_SOURCE_DIR) / "specs" / (model_ + ".yaml")).string();
  Result run = metergen({"conformance", spec, "--meter", qemu->url(), "--secrets", (dir_ / "secrets.conf").string(),
                         "--format", "json"},
                        dir_);
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.out << run.err << "\n" << qemu->diagnostics();
  const json report = json::parse(run.out);
  for (const auto& d : report["deviations"]) ADD_FAILURE() << d.dump();
  EXPECT_EQ(run.exit_code, 0);
  for (const auto& a : report["associations"]) EXPECT_GT(a["checks"].get<int>(), 0) << a.dump();
  EXPECT_TRUE(qemu->running());
}

// Frames sent back to back, far more bytes than the image's 512-byte receive
// ring, are all answered: no received byte is lost. 300 SNRMs from the public
// client to logical device 1 (7E A0 07 03 21 93 0F 01 7E: format A, length 7,
// server address 03, client 21, control SNRM with poll, FCS) must give 300 UAs
// (control 73 with final bit, IEC 62056-46).
TEST_P(Firmware, BackToBackFramesAreAllAnswered) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  constexpr int kFrames = 300;
  const std::uint8_t snrm[] = {0x7E, 0xA0, 0x07, 0x03, 0x21, 0x93, 0x0F, 0x01, 0x7E};
  std::vector<std::uint8_t> burst;
  for (int i = 0; i < kFrames; ++i) burst.insert(burst.end(), snrm, snrm + sizeof snrm);

  const int fd = connect_loopback(qemu->dlms_port());
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, burst.data(), burst.size()), static_cast<ssize_t>(burst.size()));

  // Replies: 7E, format A0 with an 11-bit length, then that many bytes (the
  // client address 21, the server address 03, the control byte, ...), 7E.
  std::vector<std::uint8_t> received;
  int ua = 0, other = 0;
  std::size_t at = 0;
  const auto deadline = Clock::now() + 30s;
  while (ua + other < kFrames && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    std::uint8_t chunk[4096];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    received.insert(received.end(), chunk, chunk + n);
    while (received.size() - at >= 3) {
      const std::size_t length = (received[at + 1] & 0x07u) << 8 | received[at + 2];
      if (received[at] != 0x7E || length < 5 || received.size() - at < length + 2) break;
      (received[at + 5] == 0x73 ? ua : other) += 1;
      at += length + 2;
    }
  }
  close(fd);
  EXPECT_EQ(ua, kFrames) << other << " other frames; " << received.size() << " bytes received\n" << qemu->diagnostics();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(qemu->log().find("overrun"), std::string::npos) << qemu->log();
}

// The clock starts at the power-on epoch; the active energy register has the
// spec's type and unit (Wh = 30, IEC 62056-6-2) and, with no front end, a value.
TEST_P(Firmware, ReadsClockAndEnergyRegister) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  const auto utc = read_clock(*qemu);
  ASSERT_TRUE(utc);
  EXPECT_GE(*utc, kPowerOnUtc);
  EXPECT_LE(*utc, kPowerOnUtc + seconds_since_boot());

  json energy;
  for (const auto& o : model_json_["objects"])
    if (o["logical_name"] == "1.0.1.8.0.255") energy = o;
  ASSERT_EQ(energy["unit"], "Wh");
  const Association* a =
      find_association([](const Association& x) { return readable(x.attribute_access("1.0.1.8.0.255", 2)); });
  ASSERT_NE(a, nullptr) << "no association reads 1.0.1.8.0.255";
  Result value = read(*qemu, *a, {"get", "1.0.1.8.0.255:2", "--class", "3"});
  ASSERT_EQ(value.exit_code, 0) << value.err << "\n" << qemu->diagnostics();
  const json v = json::parse(value.out);
  EXPECT_EQ(v["type"], energy["type"]);
  EXPECT_TRUE(v["value"].is_number_unsigned()) << v.dump();

  Result scaler_unit = read(*qemu, *a, {"get", "1.0.1.8.0.255:3", "--class", "3"});
  ASSERT_EQ(scaler_unit.exit_code, 0) << scaler_unit.err;
  const json expected = {
      {"type", "structure"},
      {"value", {{{"type", "integer"}, {"value", energy["scaler"]}}, {{"type", "enum"}, {"value", 30}}}}};
  EXPECT_EQ(json::parse(scaler_unit.out), expected);
}

// The image meters its compiled-in scenario (scenarios/steady-balanced.yaml:
// 230 V and 5 A in phase on every phase). Active power import (1.0.1.7.0.255)
// is 1150 W per phase and, where the model has it, the L1 voltage
// (1.0.32.7.0.255) 230 V: within 1 % (the class 1 limit at these currents,
// reference/accuracy-limits.md) plus one unit of the register's resolution.
TEST_P(Firmware, MetersTheCompiledInScenario) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  std::this_thread::sleep_for(2500ms);  // whole metered seconds behind the registers
  auto expect_register = [&](const std::string& ln, double expected) {
    json def;
    for (const auto& o : model_json_["objects"])
      if (o["logical_name"] == ln) def = o;
    if (def.is_null()) return;
    const Association* a = find_association([&](const Association& x) { return readable(x.attribute_access(ln, 2)); });
    ASSERT_NE(a, nullptr) << "no association reads " << ln;
    Result r = read(*qemu, *a, {"get", ln + ":2", "--class", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err << "\n" << qemu->diagnostics();
    const double unit = std::pow(10.0, def["scaler"].get<int>());
    const double value = json::parse(r.out)["value"].get<double>() * unit;
    EXPECT_NEAR(value, expected, expected * 0.01 + unit) << ln << "\n" << qemu->log();
  };
  expect_register("1.0.1.7.0.255", 1150.0 * model_json_["phases"].get<int>());
  expect_register("1.0.32.7.0.255", 230.0);
  EXPECT_EQ(qemu->log().find("adc: fell behind"), std::string::npos) << qemu->log();
  // The display engine's screens on the log UART (docs/display.md), with the
  // phase indicators of the scenario's voltages.
  EXPECT_TRUE(qemu->wait_for_log(" L1")) << qemu->log();
  EXPECT_NE(qemu->log().find("lcd: "), std::string::npos) << qemu->log();
}

// The relay cuts the compiled-in scenario's load (docs/load-control.md): after a
// client's remote_disconnect (b) the active power reads 0 W and the energy
// register stands still; in mode 2 remote_reconnect (a) closes the relay and
// the power is back, 1,150 W per phase.
TEST_P(Firmware, ARemoteDisconnectCutsTheSimulatedLoad) {
  std::string dc;
  for (const auto& o : model_json_["objects"])
    if (o["class_id"] == 70) dc = o["logical_name"];
  ASSERT_FALSE(dc.empty());
  const Association* a = find_association([&](const Association& x) {
    return x.method_access(dc, 1) != 0 && x.method_access(dc, 2) != 0 && writable(x.attribute_access(dc, 4)) &&
           readable(x.attribute_access("1.0.1.7.0.255", 2)) && readable(x.attribute_access("1.0.1.8.0.255", 2));
  });
  ASSERT_NE(a, nullptr) << "no association switches the relay and reads power and energy";
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  auto value = [&](const std::string& ln) {
    Result r = read(*qemu, *a, {"get", ln + ":2", "--class", "3"});
    EXPECT_EQ(r.exit_code, 0) << r.err << "\n" << qemu->diagnostics();
    return r.exit_code == 0 ? json::parse(r.out)["value"].get<double>() : -1.0;
  };
  const std::string zero = R"({"type": "integer", "value": 0})";
  Result mode = read(*qemu, *a, {"set", dc + ":4", R"({"type": "enum", "value": 2})", "--class", "70"});
  ASSERT_EQ(mode.exit_code, 0) << mode.err << "\n" << qemu->diagnostics();
  Result off = read(*qemu, *a, {"action", dc + ":1", "--class", "70", zero});
  ASSERT_EQ(off.exit_code, 0) << off.err << "\n" << qemu->diagnostics();
  ASSERT_TRUE(qemu->wait_for_log("relay: disconnected")) << qemu->log();
  std::this_thread::sleep_for(2500ms);  // whole metered seconds without load
  EXPECT_EQ(value("1.0.1.7.0.255"), 0.0) << qemu->log();
  const double energy = value("1.0.1.8.0.255");
  std::this_thread::sleep_for(2000ms);
  EXPECT_EQ(value("1.0.1.8.0.255"), energy) << qemu->log();

  Result on = read(*qemu, *a, {"action", dc + ":2", "--class", "70", zero});
  ASSERT_EQ(on.exit_code, 0) << on.err << "\n" << qemu->diagnostics();
  ASSERT_TRUE(qemu->wait_for_log("relay: connected", 2)) << qemu->log();  // the first at boot
  std::this_thread::sleep_for(2500ms);
  json def;
  for (const auto& o : model_json_["objects"])
    if (o["logical_name"] == "1.0.1.7.0.255") def = o;
  const double unit = std::pow(10.0, def["scaler"].get<int>());
  const double expected = 1150.0 * model_json_["phases"].get<int>();
  EXPECT_NEAR(value("1.0.1.7.0.255") * unit, expected, expected * 0.01 + unit) << qemu->log();
}

// UART2 takes the keypad and button commands (docs/firmware.md) and answers
// each on its line; their effect is in the log's `lcd:` lines. Expected
// screens by hand from the specs: hxe312-kp echoes the last 8 digits typed
// (digits 3..10 of 1234567890) and rejects a 10-digit token; one display
// press shows the first item of the button list (hxf300-eu: L1 voltage
// 1.0.32.7.0.255, code 32.7.0; dtsd545: +A of the last billing period,
// 1.8.0.101); on clms100 a 9 s press holds the button past the 8 s of the
// service list (§5.2.1), whose first item is the segment test.
TEST_P(Firmware, TheControlUartTypesKeysAndPressesTheDisplayButton) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  metergen::test::ControlClient control(qemu->control_port());
  ASSERT_TRUE(control.valid());
  EXPECT_EQ(control.command("press foo"), "error: unknown button \"foo\"; expected one of display, billing, reconnect");
  EXPECT_EQ(control.command(std::string(200, '7')), "error: line longer than 128 bytes");
  if (model_ == "hxe312-kp") {
    EXPECT_EQ(control.command("keys 1234567890"), "ok: 10 keys typed");
    EXPECT_TRUE(qemu->wait_for_log("lcd: token | 34567890 |")) << qemu->log();
    EXPECT_EQ(control.command("keys #"), "ok: 1 key typed");
    EXPECT_TRUE(qemu->wait_for_log("lcd: token | Reject |")) << qemu->log();
    EXPECT_NE(qemu->log().find("prepayment: token rejected"), std::string::npos) << qemu->log();
  } else {
    const bool service = model_ == "clms100";
    EXPECT_EQ(control.command(service ? "press display 9" : "press display"),
              service ? "ok: display held for 9 s" : "ok: display held for 1 s");
    const std::string screen = service ? "lcd:  | 88888888 |" : model_ == "dtsd545" ? "lcd: 1.8.0.101 | " : "lcd: 32.7.0 | ";
    EXPECT_TRUE(qemu->wait_for_log(screen)) << qemu->log();
  }
  const std::string shown = control.command("lcd");
  ASSERT_EQ(shown.rfind("ok: ", 0), 0u) << shown;
  EXPECT_NE(qemu->log().find("lcd: " + shown.substr(4) + "\n"), std::string::npos) << shown << "\n" << qemu->log();
  EXPECT_NE(qemu->log().find("control: press foo -> error: unknown button"), std::string::npos) << qemu->log();
}

// The meter cover's event codes and the log that holds them, from each spec's
// event_logs (trigger cover_open, its start and its end).
struct CoverEvents {
  const char* model;
  const char* log;  // logical name of the event log (a profile)
  int opened, closed;
};
constexpr CoverEvents kCoverEvents[] = {
    {"hxf300-eu", "0.0.99.98.1.255", 44, 45},  // fraud_event_log, "Meter cover open/close"
    {"hxe312-kp", "0.0.99.98.1.255", 44, 45},  // tamper_event_log
    {"dtsd545", "0.0.99.98.1.255", 48, 49},    // fraud_event_log, "Main cover opened/closed"
    {"clms100", "0.0.99.98.3.255", 44, 45},    // fraud_event_log
};

// UART2's `input meter_cover_open on|off` opens and closes the meter cover
// (docs/firmware.md); the event engine samples the inputs once a second and
// every seed model logs the cover at once (no duration). Read back over DLMS:
// one opening stamped between the clock reads before the command and after
// it had 2 s to be seen, one closing between that read and the last. Other
// codes may be in the log too (hxf300-eu's ciphered reads log replays).
TEST_P(Firmware, TheControlUartOpensTheMeterCoverAndTheEventIsLogged) {
  const CoverEvents* expected = nullptr;
  for (const auto& c : kCoverEvents)
    if (model_ == c.model) expected = &c;
  ASSERT_NE(expected, nullptr) << "no cover events written down for " << model_ << " (kCoverEvents)";
  const Association* a =
      find_association([&](const Association& x) { return readable(x.attribute_access(expected->log, 2)); });
  ASSERT_NE(a, nullptr) << "no association reads " << expected->log;
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  metergen::test::ControlClient control(qemu->control_port());
  ASSERT_TRUE(control.valid());

  const auto before = read_clock(*qemu);
  EXPECT_EQ(control.command("input meter_cover_open on"), "ok: meter_cover_open on");
  std::this_thread::sleep_for(2s);
  const auto opened = read_clock(*qemu);
  EXPECT_EQ(control.command("input meter_cover_open off"), "ok: meter_cover_open off");
  std::this_thread::sleep_for(2s);
  const auto closed = read_clock(*qemu);
  ASSERT_TRUE(before && opened && closed);

  const auto cover = log_entries(*qemu, *a, expected->log, expected->opened, expected->closed);
  ASSERT_EQ(cover.size(), 2u) << qemu->log();
  EXPECT_EQ(cover[0].first, expected->opened);
  EXPECT_GE(cover[0].second, *before);
  EXPECT_LE(cover[0].second, *opened);
  EXPECT_EQ(cover[1].first, expected->closed);
  EXPECT_GE(cover[1].second, *opened);
  EXPECT_LE(cover[1].second, *closed);
  EXPECT_NE(qemu->log().find("control: input meter_cover_open on -> ok: meter_cover_open on"), std::string::npos)
      << qemu->log();
}

// A warm reset (QEMU system_reset) keeps the NVM and the clock: a profile
// entry captured before it and the clock set before it are still there after.
TEST_P(Firmware, WarmResetKeepsNvmAndClock) {
  const Association* a = find_association([this](const Association& x) {
    return writable(x.attribute_access("0.0.1.0.0.255", 2)) && !capturable_profile(x).empty();
  });
  ASSERT_NE(a, nullptr) << "no association may both set the clock and capture a profile";
  const std::string profile = capturable_profile(*a);
  auto qemu = boot();
  ASSERT_TRUE(qemu);

  // 2031-05-06 07:08:09 local time at deviation -60 (UTC+1): 06:08:09 UTC.
  Result set = read(
      *qemu, *a,
      {"set", "0.0.1.0.0.255:2", R"({"type": "octet-string", "value": "07EF0506FF07080900FFC400"})", "--class", "8"});
  ASSERT_EQ(set.exit_code, 0) << set.err << "\n" << qemu->diagnostics();
  const auto set_at = Clock::now();
  std::tm expected{};
  expected.tm_year = 2031 - 1900;
  expected.tm_mon = 4;
  expected.tm_mday = 6;
  expected.tm_hour = 6;
  expected.tm_min = 8;
  expected.tm_sec = 9;
  const std::int64_t set_utc = timegm(&expected);

  Result capture = read(*qemu, *a, {"action", profile + ":2", "--class", "7", R"({"type": "integer", "value": 0})"});
  ASSERT_EQ(capture.exit_code, 0) << capture.err << "\n" << qemu->diagnostics();
  const auto before = entries_in_use(*qemu, *a, profile);
  ASSERT_TRUE(before);
  ASSERT_GE(*before, 1u);

  ASSERT_TRUE(qemu->system_reset()) << "the QEMU monitor did not take system_reset\n" << qemu->diagnostics();
  ASSERT_TRUE(qemu->wait_for_log("ready: ", 2)) << "no `ready` within " << kBootLimit.count() << " s of the reset\n"
                                                << qemu->diagnostics();
  EXPECT_NE(qemu->log().find("nvm: warm start, kept"), std::string::npos) << qemu->log();

  const auto after = entries_in_use(*qemu, *a, profile);
  ASSERT_TRUE(after);
  if (written_by_the_meter(profile)) EXPECT_GE(*after, *before);  // plus the power-up's own entries
  else EXPECT_EQ(*after, *before);
  const auto utc = read_clock(*qemu);
  ASSERT_TRUE(utc);
  const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - set_at).count() + 1;
  EXPECT_GE(*utc, set_utc);
  EXPECT_LE(*utc, set_utc + elapsed);
}

// Retained RAM that holds garbage at power-on (here: random bytes behind a
// correct magic, preloaded by QEMU) is formatted: empty profiles, the clock at
// the power-on epoch.
TEST_P(Firmware, ColdStartFormatsGarbageNvm) {
  const Association* a = find_association([this](const Association& x) { return !capturable_profile(x).empty(); });
  ASSERT_NE(a, nullptr);
  const std::string profile = capturable_profile(*a);
  const std::string retained = env("METERGEN_FIRMWARE_RETAINED");
  ASSERT_FALSE(retained.empty()) << "set METERGEN_FIRMWARE_RETAINED (ctest in the firmware build does)";

  const fs::path garbage = dir_ / "garbage.bin";
  {
    std::ofstream out(garbage, std::ios::binary);
    out << "MGNV";  // the magic, in memory order
    std::uint32_t x = 0x12345678;
    for (int i = 0; i < 64 * 1024; ++i) {
      x = x * 1664525u + 1013904223u;
      out.put(static_cast<char>(x >> 24));
    }
  }
  auto qemu = boot(Qemu::Preload{garbage, retained});
  ASSERT_TRUE(qemu);
  EXPECT_NE(qemu->log().find("nvm: cold start, formatted"), std::string::npos) << qemu->log();
  const auto entries = entries_in_use(*qemu, *a, profile);
  ASSERT_TRUE(entries);
  // Empty, but for what a power-on writes itself (a midnight freeze, a lost clock).
  EXPECT_LE(*entries, written_by_the_meter(profile) ? 2u : 0u);
  const auto utc = read_clock(*qemu);
  ASSERT_TRUE(utc);
  EXPECT_GE(*utc, kPowerOnUtc);
  EXPECT_LE(*utc, kPowerOnUtc + seconds_since_boot());
}

// One month end per seed model, worked out by hand from specs/<model>.yaml
// (`clock:` and `calendar:`; `billing.monthly` is day 1 at 00:00 and
// `billing.daily` 00:00 in all four): Sunday 2027-01-31 -> Monday 2027-02-01
// 00:00:00 local time. `deviation` is the COSEM clock deviation in minutes
// (UTC = local + deviation); tariffs are the calendar's script selectors, 0 when
// the model has no calendar.
struct MonthEnd {
  const char* model;
  int deviation;
  int tariff_before, tariff_after;
};
constexpr MonthEnd kMonthEnds[] = {
    // CET (time_zone_min 60), summer time only from the last Sunday of March:
    // deviation -60. Sunday is "weekend" (T4 all day; 01-31 is no special day),
    // Monday a "workday" whose 00:00 switching is T1: month end and switch at once.
    {"hxf300-eu", -60, 4, 1},
    // UTC (time_zone_min 0, no DST) and no calendar (no current-tariff object).
    {"hxe312-kp", 0, 0, 0},
    // UTC (dst.enabled false); every day is "all_day", T1 from 00:00: no switch.
    {"dtsd545", 0, 1, 1},
    // CET as hxf300-eu; weekend T3 all day, workday 00:00 T3 (T2 06:00..22:00):
    // T3 on both sides. No clms100 month end is a switch (they are at 06:00, 22:00).
    {"clms100", -60, 3, 3},
};

// The clock is set this many seconds before the month end: room for the reads
// before it (nine metergen runs, together under a second in QEMU with -j2).
constexpr int kMonthEndLead = 6;

std::string hex16(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(v) & 0xFFFFu);
  return buf;
}

// The month end passes with the clock set just before it: the schedule bills
// (billing period counter + 1, one more monthly profile entry stamped with the
// month end's local time, energies as they stood then), the daily profile is
// frozen at the same local midnight, and the current tariff follows the
// calendar (kMonthEnds). The image's clock runs in real time from SysTick and
// its front end plays scenarios/steady-balanced.yaml, so the energy in the
// entries is the register read before plus 230 V x 5 A per phase over the
// seconds up to the month end (tolerances at the check).
TEST_P(Firmware, MonthEndBillsAndSwitchesTheTariff) {
  const MonthEnd* expected = nullptr;
  for (const auto& m : kMonthEnds)
    if (model_ == m.model) expected = &m;
  ASSERT_NE(expected, nullptr) << "no month end worked out for " << model_ << " (kMonthEnds)";

  auto object = [&](const std::string& key, const std::string& value) {
    for (const auto& o : model_json_["objects"])
      if (o[key] == value) return o;
    return json();
  };
  auto profile = [&](const std::string& name) {
    for (const auto& p : model_json_["profiles"])
      if (p["name"] == name) return p;
    return json();
  };
  const json monthly = profile(model_json_["billing"]["monthly_profile"].get<std::string>());
  const json daily = profile(model_json_["billing"]["daily_profile"].get<std::string>());
  ASSERT_FALSE(monthly.is_null());
  ASSERT_FALSE(daily.is_null());
  // Column of `ln` attribute 2 in a profile's capture objects (-1: not captured).
  auto column = [&](const json& p, const std::string& ln) {
    for (std::size_t i = 0; i < p["capture"].size(); ++i) {
      const json& c = p["capture"][i];
      if (c["attribute"] == 2 && object("name", c["object"].get<std::string>())["logical_name"] == ln)
        return static_cast<int>(i);
    }
    return -1;
  };
  const std::string kTariffLn = "0.0.96.14.0.255", kCounterLn = "1.0.0.1.0.255", kClockLn = "0.0.1.0.0.255";
  ASSERT_EQ(object("logical_name", kTariffLn).is_null(), expected->tariff_before == 0);
  const Association* setter =
      find_association([](const Association& x) { return writable(x.attribute_access("0.0.1.0.0.255", 2)); });
  ASSERT_NE(setter, nullptr) << "no association sets the clock";

  auto qemu = boot();
  ASSERT_TRUE(qemu);
  // Reads attribute `id` of `ln` with the first association allowed to; null on failure.
  auto get = [&](const std::string& ln, int id, int class_id) {
    const Association* a = find_association([&](const Association& x) { return readable(x.attribute_access(ln, id)); });
    if (a == nullptr) {
      ADD_FAILURE() << "no association reads " << ln << ":" << id;
      return json();
    }
    Result r = read(*qemu, *a, {"get", ln + ":" + std::to_string(id), "--class", std::to_string(class_id)});
    if (r.exit_code != 0) {
      ADD_FAILURE() << ln << ":" << id << ": " << r.err << "\n" << qemu->diagnostics();
      return json();
    }
    return json::parse(r.out);
  };

  // The month end as UTC: 2027-02-01 00:00:00 local.
  std::tm month_end_local{};
  month_end_local.tm_year = 2027 - 1900;
  month_end_local.tm_mon = 1;
  month_end_local.tm_mday = 1;
  const std::int64_t month_end = static_cast<std::int64_t>(timegm(&month_end_local)) + expected->deviation * 60;

  // kMonthEndLead seconds before (23:59:54 local on 2027-01-31), day of week not specified.
  char set_value[40];
  std::snprintf(set_value, sizeof set_value, "07EB011FFF173B%02X00%s00", 60 - kMonthEndLead,
                hex16(expected->deviation).c_str());
  Result set = read(*qemu, *setter,
                    {"set", kClockLn + ":2", std::string(R"({"type": "octet-string", "value": ")") + set_value + "\"}",
                     "--class", "8"});
  ASSERT_EQ(set.exit_code, 0) << set.err << "\n" << qemu->diagnostics();

  // Before the month end: the energy registers (between two clock reads), the
  // tariff, the counter and both profiles.
  std::vector<std::string> energies{"1.0.1.8.0.255"};
  if (expected->tariff_before != 0) energies.push_back("1.0.1.8." + std::to_string(expected->tariff_before) + ".255");
  if (expected->tariff_after != expected->tariff_before)  // [2]: the tariff after the month end
    energies.push_back("1.0.1.8." + std::to_string(expected->tariff_after) + ".255");
  const auto clock_before_energies = read_clock(*qemu);
  ASSERT_TRUE(clock_before_energies);
  std::vector<std::uint64_t> energy_before;
  for (const auto& ln : energies) {
    const json v = get(ln, 2, 3);
    ASSERT_FALSE(v.is_null());
    energy_before.push_back(v["value"].get<std::uint64_t>());
  }
  const auto clock_after_energies = read_clock(*qemu);
  ASSERT_TRUE(clock_after_energies);
  json tariff_before;
  if (expected->tariff_before != 0) {
    tariff_before = get(kTariffLn, 2, 1);
    ASSERT_FALSE(tariff_before.is_null());
  }
  const json counter_before = get(kCounterLn, 2, 1);
  const json monthly_before = get(monthly["logical_name"].get<std::string>(), 2, 7);
  const json daily_before = get(daily["logical_name"].get<std::string>(), 2, 7);
  ASSERT_FALSE(counter_before.is_null() || monthly_before.is_null() || daily_before.is_null());
  const auto clock_before = read_clock(*qemu);
  ASSERT_TRUE(clock_before);
  ASSERT_GE(*clock_before_energies, month_end - kMonthEndLead);
  ASSERT_LT(*clock_before, month_end) << "the reads before the month end took longer than " << kMonthEndLead << " s";

  // Wait (bounded) until the meter's clock has passed the month end.
  std::this_thread::sleep_for(std::chrono::seconds(month_end - *clock_before));
  std::int64_t now = *clock_before;
  for (const auto deadline = Clock::now() + 20s; now <= month_end && Clock::now() < deadline;) {
    const auto utc = read_clock(*qemu);
    ASSERT_TRUE(utc);
    now = *utc;
    if (now <= month_end) std::this_thread::sleep_for(200ms);
  }
  ASSERT_GT(now, month_end) << "the meter clock did not pass the month end\n" << qemu->diagnostics();

  if (expected->tariff_before != 0) {
    EXPECT_EQ(tariff_before["value"], expected->tariff_before) << tariff_before.dump();
    const json tariff_after = get(kTariffLn, 2, 1);
    EXPECT_EQ(tariff_after["value"], expected->tariff_after) << tariff_after.dump() << "\n" << qemu->log();
  }
  const json counter_after = get(kCounterLn, 2, 1);
  EXPECT_EQ(counter_after["value"], counter_before["value"].get<int>() + 1) << counter_before.dump() << " -> "
                                                                           << counter_after.dump();
  const json monthly_after = get(monthly["logical_name"].get<std::string>(), 2, 7);
  const json daily_after = get(daily["logical_name"].get<std::string>(), 2, 7);
  ASSERT_EQ(monthly_after["value"].size(), monthly_before["value"].size() + 1) << monthly_after.dump();
  ASSERT_EQ(daily_after["value"].size(), daily_before["value"].size() + 1) << daily_after.dump();
  const json& bill = monthly_after["value"].back()["value"];
  const json& freeze = daily_after["value"].back()["value"];

  // Clock column: 2027-02-01, Monday (1), 00:00:00, the hundredths at which the
  // minute's work ran, the model's deviation, status 0 (no summer time in February).
  for (const auto* entry : {&bill, &freeze}) {
    const int at = column(entry == &bill ? monthly : daily, kClockLn);
    ASSERT_GE(at, 0);
    const std::string stamp = (*entry)[at]["value"];
    ASSERT_EQ(stamp.size(), 24u) << stamp;
    EXPECT_EQ(stamp.substr(0, 16), "07EB020101000000") << stamp;
    EXPECT_LT(std::stoi(stamp.substr(16, 2), nullptr, 16), 100) << stamp;
    EXPECT_EQ(stamp.substr(18), hex16(expected->deviation) + "00") << stamp;
    EXPECT_EQ(utc_of_date_time(stamp), month_end) << stamp;
  }

  // Energies in the monthly entry. The load is steady: 230 V x 5 A at PF 1 per
  // phase, P = 1150 W x phases. The register value read before the month end
  // holds the whole metered seconds up to a moment between one second before
  // the first clock read and one second after the second; the entry, those up
  // to the month end less at most one second. So the growth is P over
  // [month end - clock after - 2 s, month end - clock before + 1 s], within 1 %
  // (the class 1 limit, as in MetersTheCompiledInScenario) and plus or minus
  // one unit of the register's resolution (both values are whole units). The
  // total and the tariff in force before the month end grow so; the tariff
  // after it (when another) took nothing before it and is unchanged.
  const double power = 1150.0 * model_json_["phases"].get<int>();
  for (std::size_t i = 0; i < energies.size(); ++i) {
    const int at = column(monthly, energies[i]);
    ASSERT_GE(at, 0) << energies[i] << " is not in the monthly profile";
    const double unit = std::pow(10.0, object("logical_name", energies[i])["scaler"].get<int>());
    const double billed = bill[at]["value"].get<double>();
    const double before = static_cast<double>(energy_before[i]);
    if (i == 2) {
      EXPECT_EQ(billed, before) << energies[i] << " (tariff " << expected->tariff_after << ") grew before the switch";
      continue;
    }
    const double low = power * static_cast<double>(month_end - *clock_after_energies - 2) / 3600 * 0.99 / unit - 1;
    const double high = power * static_cast<double>(month_end - *clock_before_energies + 1) / 3600 * 1.01 / unit + 1;
    EXPECT_GE(billed - before, low) << energies[i] << ": " << before << " -> " << billed;
    EXPECT_LE(billed - before, high) << energies[i] << ": " << before << " -> " << billed;
  }
  // The freeze ran in the same meter minute's work right after the billing: the same total.
  const int daily_total = column(daily, "1.0.1.8.0.255");
  ASSERT_GE(daily_total, 0);
  EXPECT_EQ(freeze[daily_total]["value"], bill[column(monthly, "1.0.1.8.0.255")]["value"]);
  EXPECT_EQ(qemu->log().find("adc: fell behind"), std::string::npos) << qemu->log();
}

// hxf300-eu-front-panel.elf: hxf300-eu playing tests/firmware/front_panel.yaml
// instead of the steady load, whose segments press the display button and
// open the meter cover (docs/firmware.md).
class FrontPanelImage : public Firmware {
 protected:
  std::string image_suffix() const override { return "-front-panel"; }
};

// The scenario's three 2 s presses scroll the button list (specs/hxf300-eu.yaml
// display, mode manual): from the auto-scroll list the first press shows its
// first item, voltage L1 (code 32.7.0), the next ones current L1 (31.7.0) and
// voltage L2 (52.7.0); the LCD lines after the first press segment starts show
// these codes in this order (a code repeats when its value changes).
// The cover open from meter second 16 to 19 after the cold start is logged in
// the fraud event log (0.0.99.98.1.255) as "Meter cover open" (44) and "Meter
// cover close" (45): inputs are sampled at each clock second, so the opening is
// stamped 2024-01-01T00:00:16Z, or a second later when the sample of second 16
// came before the front end reached the segment, or when the image's boot put
// the scenario behind the clock (a second at most: it logs `adc: fell behind`
// otherwise); the closing 3 s after the opening, give or take that second.
// The first press (4-6 s) comes while the auto-scroll list still shows its
// first item, the segment test (0-8 s), whose screen never changes; the others
// (8-10 s, 12-14 s) step the button list, which does not scroll by itself.
TEST_P(FrontPanelImage, TheScenarioPressesScrollTheButtonListAndItsCoverIsLogged) {
  const Association* a =
      find_association([](const Association& x) { return readable(x.attribute_access("0.0.99.98.1.255", 2)); });
  ASSERT_NE(a, nullptr) << "no association reads the fraud event log";
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  ASSERT_TRUE(qemu->wait_for_log("scenario: segment 9 'steady' starts", 1, 40s)) << qemu->log();
  std::this_thread::sleep_for(1500ms);  // the closing's sample
  const std::string log = qemu->log();
  EXPECT_EQ(log.find("adc: fell behind"), std::string::npos) << log;
  const auto pressed = log.find("scenario: segment 2 'press 1' starts");
  ASSERT_NE(pressed, std::string::npos) << log;
  std::vector<std::string> codes;
  for (auto at = log.find("lcd: ", pressed); at != std::string::npos; at = log.find("lcd: ", at + 1)) {
    const std::string code = log.substr(at + 5, log.find(" |", at) - at - 5);
    if (codes.empty() || codes.back() != code) codes.push_back(code);
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"32.7.0", "31.7.0", "52.7.0"})) << log;

  const auto cover = log_entries(*qemu, *a, "0.0.99.98.1.255", 44, 45);
  ASSERT_EQ(cover.size(), 2u) << qemu->log();
  EXPECT_EQ(cover[0].first, 44);
  EXPECT_GE(cover[0].second, kPowerOnUtc + 16);
  EXPECT_LE(cover[0].second, kPowerOnUtc + 18);
  EXPECT_EQ(cover[1].first, 45);
  EXPECT_NEAR(static_cast<double>(cover[1].second - cover[0].second), 3.0, 1.0);
}

// hxf300-eu-link-timeouts.elf: hxf300-eu whose IEC HDLC setup object states a
// 500 ms inter-octet timeout and a 3 s inactivity timeout
// (tests/firmware/link_timeouts.yaml). Frames use the 1-byte server address 03
// (logical 1) from client 21 (SAP 16); each FCS is hand-worked (CRC-16/X.25).
class LinkTimeoutsImage : public Firmware {
 protected:
  std::string image_suffix() const override { return "-link-timeouts"; }
  static void send(int fd, const std::vector<std::uint8_t>& bytes) {
    ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // One frame from fd within `limit`: its flag, the length its format field
  // states (11 bits) and its closing flag; less when it did not come in time.
  static std::vector<std::uint8_t> receive_frame(int fd, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    std::vector<std::uint8_t> frame = receive_for(fd, limit, 3);
    if (frame.size() < 3) return frame;
    const std::size_t size = ((frame[1] & 0x07u) << 8 | frame[2]) + 2u;
    while (frame.size() < size && Clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      const std::vector<std::uint8_t> more = receive_for(fd, left, size - frame.size());
      frame.insert(frame.end(), more.begin(), more.end());
    }
    return frame;
  }
  // A UA from server 03 to client 21: 7E A0 LL 21 03 73 ... 7E.
  static bool is_ua(const std::vector<std::uint8_t>& f) {
    return f.size() >= 9 && f[0] == 0x7E && f[3] == 0x21 && f[4] == 0x03 && f[5] == 0x73 && f.back() == 0x7E;
  }
};

const std::vector<std::uint8_t> kSnrm03{0x7E, 0xA0, 0x07, 0x03, 0x21, 0x93, 0x0F, 0x01, 0x7E};
const std::vector<std::uint8_t> kRr03{0x7E, 0xA0, 0x07, 0x03, 0x21, 0x11, 0x15, 0xA6, 0x7E};      // RR N(R)=0, poll
const std::vector<std::uint8_t> kRrReply{0x7E, 0xA0, 0x07, 0x21, 0x03, 0x11, 0x15, 0x00, 0x7E};   // RR N(R)=0, final
const std::vector<std::uint8_t> kDmReply{0x7E, 0xA0, 0x07, 0x21, 0x03, 0x1F, 0x6B, 0xE9, 0x7E};
// The start of an I-frame of 32 octets (its header with a valid HCS, and the LLC
// bytes) whose rest never comes: until it is dropped, what follows is read as its rest.
const std::vector<std::uint8_t> kStalledIFrame{0x7E, 0xA0, 0x20, 0x03, 0x21, 0x10, 0xEE, 0x6F, 0xE6, 0xE6, 0x00};

TEST_P(LinkTimeoutsImage, ASilenceOverTheInterOctetTimeoutDropsThePartialFrame) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  EXPECT_NE(qemu->log().find("inter-octet timeout 500 ms, inactivity timeout 3 s"), std::string::npos) << qemu->log();
  const int fd = connect_loopback(qemu->dlms_port());
  ASSERT_GE(fd, 0);
  // An SNRM in two parts 100 ms apart is one frame.
  send(fd, std::vector<std::uint8_t>(kSnrm03.begin(), kSnrm03.begin() + 4));
  std::this_thread::sleep_for(100ms);
  send(fd, std::vector<std::uint8_t>(kSnrm03.begin() + 4, kSnrm03.end()));
  EXPECT_TRUE(is_ua(receive_frame(fd, 3s))) << qemu->diagnostics();
  // An SNRM right after the stalled I-frame is taken as its rest: no answer.
  std::vector<std::uint8_t> swallowed = kStalledIFrame;
  swallowed.insert(swallowed.end(), kSnrm03.begin(), kSnrm03.end());
  send(fd, swallowed);
  EXPECT_TRUE(receive_for(fd, 300ms, 1).empty()) << qemu->diagnostics();
  // 1.5 s of silence (over 500 ms) drops it; the next SNRM is answered.
  std::this_thread::sleep_for(1500ms);
  send(fd, kSnrm03);
  EXPECT_TRUE(is_ua(receive_frame(fd, 3s))) << qemu->diagnostics();
  EXPECT_NE(qemu->log().find("hdlc: frame dropped, no octet within the inter-octet timeout"), std::string::npos)
      << qemu->log();
  close(fd);
}

TEST_P(LinkTimeoutsImage, ALinkWithoutAFrameForTheInactivityTimeoutIsDisconnected) {
  auto qemu = boot();
  ASSERT_TRUE(qemu);
  const int fd = connect_loopback(qemu->dlms_port());
  ASSERT_GE(fd, 0);
  send(fd, kSnrm03);
  ASSERT_TRUE(is_ua(receive_frame(fd, 3s))) << qemu->diagnostics();
  // 1.5 s later (under 3 s) the link is still up: an RR is answered with an RR.
  std::this_thread::sleep_for(1500ms);
  send(fd, kRr03);
  EXPECT_EQ(receive_frame(fd, 3s), kRrReply) << qemu->diagnostics();
  // 4.5 s after that RR (over 3 s) the link is down: the same RR gets DM.
  std::this_thread::sleep_for(4500ms);
  send(fd, kRr03);
  EXPECT_EQ(receive_frame(fd, 3s), kDmReply) << qemu->diagnostics();
  EXPECT_NE(qemu->log().find("hdlc: link disconnected, no frame within the inactivity timeout"), std::string::npos)
      << qemu->log();
  close(fd);
}

INSTANTIATE_TEST_SUITE_P(TestImage, LinkTimeoutsImage, ::testing::Values("hxf300-eu"),
                         [](const auto&) { return std::string("link_timeouts"); });

INSTANTIATE_TEST_SUITE_P(TestImage, FrontPanelImage, ::testing::Values("hxf300-eu"),
                         [](const auto&) { return std::string("front_panel"); });

INSTANTIATE_TEST_SUITE_P(SeedModels, Firmware, ::testing::Values(METERGEN_SEED_MODEL_IDS),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
