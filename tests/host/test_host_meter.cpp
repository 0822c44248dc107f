// metergen-meter as a child process: ready file, several simultaneous
// connections, connection limit (who gives way), the frame timeout against
// trickling clients, an LLS brute force locked out, write failures under a
// file-size limit, an unreadable secrets file, garbage on the wrapper port, SIGTERM, restart on
// the same state directory, secrets file mode, a public AARQ over the wrapper,
// SNRM over TCP and the pty, a stalled frame dropped on the pty, scenario mode (the first segment logged, clients
// served while samples flow), a bad scenario and --speed without a scenario;
// the control socket (--control-port): replies, garbage and overlong lines,
// the bound on its connections, and a held display button on the LCD.
// The child is always killed by its PID in TearDown.
#include <gtest/gtest.h>

#include "../support/control_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

// What the peer sent within `limit`: bytes, or closed = true when it closed the connection.
struct Received {
  Bytes bytes;
  bool closed = false;
};
Received receive(int fd, std::chrono::milliseconds limit, std::size_t want = SIZE_MAX) {
  Received r;
  const auto deadline = Clock::now() + limit;
  while (r.bytes.size() < want) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
    std::uint8_t buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      r.closed = true;
      break;
    }
    r.bytes.insert(r.bytes.end(), buf, buf + n);
  }
  return r;
}

std::string read_log(const std::string& dir) {
  std::ifstream log(dir + "/meter.log");
  return std::string((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
}

class MeterProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/host_meter_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (HasFailure()) {
      std::ifstream log(dir_ + "/meter.log");
      std::cerr << "--- meter log ---\n" << log.rdbuf() << "\n";
    }
    fs::remove_all(dir_);
  }

  std::string state() const { return dir_ + "/state"; }
  std::string ready_file() const { return dir_ + "/ready"; }

  // Starts the meter on ephemeral ports and waits (10 s at most) for its ready file.
  void start(const std::vector<std::string>& extra = {}) {
    fs::remove(ready_file());
    std::vector<std::string> args = {METERGEN_METER_PATH, "--model", "clms100", "--state", state(),
                                     "--wrapper-port", "0", "--hdlc-port", "0", "--ready-file", ready_file()};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn(args);
    ASSERT_GT(pid_, 0);
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!fs::exists(ready_file())) {
      ASSERT_LT(Clock::now(), deadline) << "no ready file after 10 s";
      int status = 0;
      ASSERT_EQ(waitpid(pid_, &status, WNOHANG), 0) << "meter exited early";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::ifstream in(ready_file());
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      ASSERT_NE(eq, std::string::npos) << line;
      ready_[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }

  pid_t spawn(const std::vector<std::string>& args) {
    const pid_t pid = fork();
    if (pid == 0) {
      const rlimit files{file_size_limit_, file_size_limit_};
      setrlimit(RLIMIT_FSIZE, &files);
      const int log = open((dir_ + "/meter.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(log, STDERR_FILENO);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    return pid;
  }

  // Waits for the child to exit; returns its exit status, or -1 on timeout or a signal.
  int wait_exit(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  int connect_to(const std::string& name) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(ready_.at(name))));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    fds_.push_back(fd);
    return fd;
  }

  // The slave side of the meter's pty, opened as a client's serial port (-1 on failure).
  int open_pty() {
    const int fd = open(ready_.at("pty").c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  static void send_pty(int fd, const Bytes& bytes) {
    ASSERT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  static void send_all(int fd, const Bytes& bytes) {
    ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  void close_all() {
    for (int fd : fds_) close(fd);
    fds_.clear();
  }

  ~MeterProcess() override { close_all(); }

  std::string dir_;
  rlim_t file_size_limit_ = RLIM_INFINITY;  // the child's `ulimit -f`, in bytes
  pid_t pid_ = -1;
  std::map<std::string, std::string> ready_;
  std::vector<int> fds_;
};

// dlms-protocol.md §3.5 example 2: the AARQ of a public client (SAP 16), LN
// referencing, no security, without the HDLC LLC E6 E6 00; behind a wrapper
// header (§4): version 1, source wPort 16, destination wPort 1, length 0x1F.
const Bytes kWrappedPublicAarq = {
    0x00, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00, 0x1F,
    0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E,
    0x01, 0x00, 0x00, 0x00, 0x06, 0x5F, 0x1F, 0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF};

// A wrapper header with version 0xFFFF (§4 requires 0x0001), then junk.
const Bytes kGarbage = {0xFF, 0xFF, 0x00, 0x10, 0x00, 0x01, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF};

// The reader's LLS AARQ (client SAP 2, password "12345678", as tests/runtime/test_server.cpp)
// behind a wrapper header: source wPort 2, destination wPort 1, length 0x38.
const Bytes kWrappedReaderAarq = {
    0x00, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00, 0x38,
    0x60, 0x36, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01, 0x8A, 0x02, 0x07, 0x80,
    0x8B, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x02, 0x01, 0xAC, 0x0A, 0x80, 0x08, 0x31, 0x32, 0x33, 0x34,
    0x35, 0x36, 0x37, 0x38, 0xBE, 0x10, 0x04, 0x0E, 0x01, 0x00, 0x00, 0x00, 0x06, 0x5F, 0x1F, 0x04, 0x00,
    0x00, 0x1E, 0x1D, 0xFF, 0xFF};

// The same with the password "00000000" (bytes 38..45: the AARQ's AC 0A 80 08 value).
Bytes wrong_reader_aarq() {
  Bytes aarq = kWrappedReaderAarq;
  std::fill(aarq.begin() + 38, aarq.begin() + 46, 0x30);
  return aarq;
}

// Reads one wrapper reply to client wPort `client` and returns its APDU.
Bytes wrapped_reply(int fd, std::uint8_t client) {
  const Received r = receive(fd, std::chrono::seconds(3), 8);
  EXPECT_GE(r.bytes.size(), 8u);
  if (r.bytes.size() < 8) return {};
  // Reply header: version 1, source wPort 1 (server), destination wPort = the client's.
  EXPECT_EQ(Bytes(r.bytes.begin(), r.bytes.begin() + 6), (Bytes{0x00, 0x01, 0x00, 0x01, 0x00, client}));
  const std::size_t length = (r.bytes[6] << 8) | r.bytes[7];
  Bytes apdu(r.bytes.begin() + 8, r.bytes.end());
  if (apdu.size() < length) {
    const Received rest = receive(fd, std::chrono::seconds(3), length - apdu.size());
    apdu.insert(apdu.end(), rest.bytes.begin(), rest.bytes.end());
  }
  EXPECT_EQ(apdu.size(), length);
  return apdu;
}

// Reads one wrapper reply and checks that it is an AARE accepting the association
// of client wPort `client`.
void expect_accepting_aare(int fd, std::uint8_t client = 0x10) {
  const Bytes apdu = wrapped_reply(fd, client);
  ASSERT_FALSE(apdu.empty());
  // AARE (tag 61) with result `A2 03 02 01 00` = accepted (dlms-protocol.md §5, §5.2;
  // the AARE of §3.5 example 3 carries exactly these bytes).
  EXPECT_EQ(apdu[0], 0x61);
  const Bytes accepted = {0xA2, 0x03, 0x02, 0x01, 0x00};
  EXPECT_NE(std::search(apdu.begin(), apdu.end(), accepted.begin(), accepted.end()), apdu.end());
}

TEST_F(MeterProcess, WritesReadyFileWithActualPorts) {
  start();
  ASSERT_TRUE(ready_.count("wrapper"));
  ASSERT_TRUE(ready_.count("hdlc"));
  EXPECT_NE(ready_["wrapper"], "0");
  EXPECT_NE(ready_["hdlc"], "0");
}

// dlms-protocol.md §3.5 example 1: SNRM from client 16 to server logical 1 / physical 17.
const Bytes kSnrm = {0x7E, 0xA0, 0x08, 0x02, 0x23, 0x21, 0x93, 0xBD, 0x64, 0x7E};

TEST_F(MeterProcess, AnLlsBruteForceLocksTheReaderOutAndTheLogSaysSo) {
  start();
  const int fd = connect_to("wrapper");
  // AARE rejected-permanent (A2 03 02 01 01), diagnostic authentication-failure (A3 05 A1 03 02 01 0D).
  const Bytes refused = {0x61, 0x17, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 0x01,
                         0xA2, 0x03, 0x02, 0x01, 0x01, 0xA3, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x0D};
  for (int i = 0; i < 5; ++i) {
    send_all(fd, wrong_reader_aarq());
    EXPECT_EQ(wrapped_reply(fd, 0x02), refused) << "attempt " << i + 1;
  }
  // clms100 has no detection of authentication_failures: 5 in a row lock for 60 s.
  EXPECT_NE(read_log(dir_).find("login: client SAP 2 locked for 60 s after 5 failed logins in a row"), std::string::npos);
  send_all(fd, kWrappedReaderAarq);  // the right password, refused while locked
  EXPECT_EQ(wrapped_reply(fd, 0x02), refused);
  send_all(fd, kWrappedPublicAarq);  // other associations stay open
  expect_accepting_aare(fd);
}

TEST_F(MeterProcess, EightLoggedInConnectionsKeepTheirSlotsAndTheNinthIsRefused) {
  start();
  std::vector<int> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(connect_to("wrapper"));
  // Each of the eight holds its own LLS association at the same time.
  for (int fd : clients) send_all(fd, kWrappedReaderAarq);
  for (int fd : clients) expect_accepting_aare(fd, 0x02);
  const int ninth = connect_to("wrapper");
  EXPECT_TRUE(receive(ninth, std::chrono::seconds(3)).closed);
  EXPECT_NE(read_log(dir_).find("already 8 authenticated connections"), std::string::npos);
}

TEST_F(MeterProcess, TheLeastRecentlyActiveUnauthenticatedConnectionGivesWay) {
  start({"--max-connections", "3"});
  const int idle = connect_to("wrapper");
  const int answered = connect_to("wrapper");
  const int logged_in = connect_to("wrapper");
  send_all(logged_in, kWrappedReaderAarq);
  expect_accepting_aare(logged_in, 0x02);
  send_all(answered, kWrappedPublicAarq);  // active after `idle` was accepted; public: not authenticated
  expect_accepting_aare(answered);
  const int fresh = connect_to("wrapper");
  EXPECT_TRUE(receive(idle, std::chrono::seconds(3)).closed);
  send_all(fresh, kWrappedPublicAarq);
  expect_accepting_aare(fresh);
  // Now `answered` is the least recently active unauthenticated one.
  connect_to("wrapper");
  EXPECT_TRUE(receive(answered, std::chrono::seconds(3)).closed);
  send_all(logged_in, kWrappedReaderAarq);  // still there
  expect_accepting_aare(logged_in, 0x02);
  EXPECT_NE(read_log(dir_).find("gives way to a new connection (3 busy)"), std::string::npos);
}

TEST_F(MeterProcess, AFrameNotCompletedWithinTheFrameTimeoutClosesTheConnection) {
  start({"--frame-timeout", "1"});
  const int fd = connect_to("wrapper");
  send_all(fd, Bytes(kWrappedPublicAarq.begin(), kWrappedPublicAarq.begin() + 4));  // half a header
  const auto begin = Clock::now();
  EXPECT_TRUE(receive(fd, std::chrono::seconds(4)).closed);
  // Not before the timeout (1 s), and within it plus one loop period (0.5 s) and slack.
  const auto waited = Clock::now() - begin;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LE(waited, std::chrono::milliseconds(2500));
  EXPECT_NE(read_log(dir_).find("frame timeout"), std::string::npos);
}

TEST_F(MeterProcess, AFreshClientIsServedWhileEightConnectionsTrickle) {
  start();
  // Eight connections, wrapper and HDLC, each sending its request one byte a second.
  std::vector<int> tricklers;
  for (int i = 0; i < 8; ++i) tricklers.push_back(connect_to(i % 2 == 0 ? "wrapper" : "hdlc"));
  auto trickle = [&](std::size_t byte) {
    for (std::size_t i = 0; i < tricklers.size(); ++i) {
      const Bytes& request = i % 2 == 0 ? kWrappedPublicAarq : kSnrm;
      send(tricklers[i], &request[byte], 1, MSG_NOSIGNAL);  // fails once the meter closed it
    }
  };
  for (std::size_t byte = 0; byte < 3; ++byte) {
    trickle(byte);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  // Every slot is busy: the fresh client is served at once, one trickler gives way.
  const int fresh = connect_to("wrapper");
  send_all(fresh, kWrappedPublicAarq);
  expect_accepting_aare(fresh);
  // The other seven are closed by the frame timeout (5 s from their first byte).
  for (std::size_t byte = 3; byte < 7; ++byte) {
    trickle(byte);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  for (int fd : tricklers) EXPECT_TRUE(receive(fd, std::chrono::seconds(2)).closed);
  const std::string log = read_log(dir_);
  EXPECT_NE(log.find("gives way to a new connection (8 busy)"), std::string::npos);
  EXPECT_NE(log.find("frame timeout"), std::string::npos);
}

TEST_F(MeterProcess, GarbageOnTheWrapperPortClosesOnlyThatConnection) {
  start();
  const int good = connect_to("wrapper");
  const int bad = connect_to("wrapper");
  send_all(bad, kGarbage);
  EXPECT_TRUE(receive(bad, std::chrono::seconds(3)).closed);
  send_all(good, kWrappedPublicAarq);
  expect_accepting_aare(good);
  // The meter still accepts new connections.
  const int again = connect_to("wrapper");
  send_all(again, kWrappedPublicAarq);
  expect_accepting_aare(again);
}

TEST_F(MeterProcess, PublicAarqOverTheWrapperIsAccepted) {
  start();
  const int fd = connect_to("wrapper");
  send_all(fd, kWrappedPublicAarq);
  expect_accepting_aare(fd);
}

// The UA answering it starts `7E A0 LL 21 02 23 73` (§2.3's verified UA: addresses
// swapped, control 73); its parameters depend on the negotiation.
void expect_ua(const Bytes& reply) {
  ASSERT_GE(reply.size(), 9u);
  EXPECT_EQ(reply[0], 0x7E);
  EXPECT_EQ(reply[1], 0xA0);
  EXPECT_EQ(Bytes(reply.begin() + 3, reply.begin() + 7), (Bytes{0x21, 0x02, 0x23, 0x73}));
  EXPECT_EQ(reply.back(), 0x7E);
}

TEST_F(MeterProcess, AnswersSnrmOnTheHdlcPort) {
  start();
  const int fd = connect_to("hdlc");
  send_all(fd, kSnrm);
  const Received r = receive(fd, std::chrono::seconds(3), 9);
  expect_ua(r.bytes);
}

TEST_F(MeterProcess, AnswersSnrmOnThePty) {
  start({"--hdlc-pty"});
  ASSERT_EQ(ready_["pty"].rfind("/dev/pts/", 0), 0u);
  const int fd = open_pty();
  ASSERT_GE(fd, 0);
  send_pty(fd, kSnrm);
  const Received r = receive(fd, std::chrono::seconds(3), 9);
  expect_ua(r.bytes);
}

// On the pty, a serial line, the model's IEC HDLC setup times the octets
// (clms100 keeps the Blue Book's 25 ms inter-octet timeout). The start of an
// I-frame of 33 octets to 1/17 (its header with a hand-worked HCS, and the LLC
// bytes) whose rest never comes takes an SNRM sent with it as its rest; after
// 300 ms of silence it has been dropped, and an SNRM is answered.
TEST_F(MeterProcess, ThePtyDropsAFrameWhoseOctetsStop) {
  start({"--hdlc-pty"});
  const int fd = open_pty();
  ASSERT_GE(fd, 0);
  Bytes stalled = {0x7E, 0xA0, 0x21, 0x02, 0x23, 0x21, 0x10, 0xDB, 0xE3, 0xE6, 0xE6, 0x00};
  stalled.insert(stalled.end(), kSnrm.begin(), kSnrm.end());
  send_pty(fd, stalled);
  EXPECT_TRUE(receive(fd, std::chrono::milliseconds(300)).bytes.empty());
  send_pty(fd, kSnrm);
  expect_ua(receive(fd, std::chrono::seconds(3), 9).bytes);
  EXPECT_NE(read_log(dir_).find("pty: HDLC frame dropped: no octet within the inter-octet timeout"), std::string::npos);
}

TEST_F(MeterProcess, ClosesIdleConnections) {
  start({"--idle-timeout", "1"});
  const int fd = connect_to("wrapper");
  const auto begin = Clock::now();
  EXPECT_TRUE(receive(fd, std::chrono::seconds(4)).closed);
  // Not before the timeout (1 s), and within it plus one loop period (0.5 s) and slack.
  const auto waited = Clock::now() - begin;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LE(waited, std::chrono::milliseconds(2500));
}

TEST_F(MeterProcess, SigtermStopsWithExitZeroWithinFiveSeconds) {
  start();
  connect_to("wrapper");
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 0);
}

TEST_F(MeterProcess, AFileSizeLimitFailsWritesWithALogAndTheStopExitsOne) {
  start();  // creates nvm.bin (64 MiB, sparse) and secrets.conf
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  ASSERT_EQ(wait_exit(std::chrono::seconds(5)), 0);
  fs::rename(dir_ + "/meter.log", dir_ + "/first.log");
  // 4 KiB: the log and the ready file fit, NVM writes past the first 4 KiB fail (EFBIG).
  file_size_limit_ = 4096;
  start();
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 1);  // an exit, not SIGXFSZ
  const std::string log = read_log(dir_);
  EXPECT_NE(log.find(state() + "/nvm.bin: write: File too large; what the meter writes from now on is not kept"),
            std::string::npos);
  EXPECT_NE(log.find("stopped; the state could not be kept (exit 1)"), std::string::npos);
}

TEST_F(MeterProcess, ASecretsFileThatCannotBeReadStopsTheMeter) {
  fs::create_directories(state() + "/secrets.conf");  // not a regular file
  pid_ = spawn({METERGEN_METER_PATH, "--model", "clms100", "--state", state(), "--wrapper-port", "0"});
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 1);
  EXPECT_NE(read_log(dir_).find("cannot start: cannot read the secrets: " + state() +
                                "/secrets.conf: not a regular file (the meter never replaces them)"),
            std::string::npos);
  EXPECT_TRUE(fs::is_directory(state() + "/secrets.conf"));
}

TEST_F(MeterProcess, RestartsOnTheSameStateDirectory) {
  start();
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  ASSERT_EQ(wait_exit(std::chrono::seconds(5)), 0);
  start();
  const int fd = connect_to("wrapper");
  EXPECT_FALSE(receive(fd, std::chrono::milliseconds(200)).closed);
  ASSERT_EQ(kill(pid_, SIGINT), 0);
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 0);
}

TEST_F(MeterProcess, CreatesTheSecretsFileWithMode0600) {
  start();
  struct stat st{};
  ASSERT_EQ(stat((state() + "/secrets.conf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(MeterProcess, UnknownModelExitsTwo) {
  pid_ = spawn({METERGEN_METER_PATH, "--model", "no-such-meter", "--state", state()});
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 2);
  std::ifstream log(dir_ + "/meter.log");
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("clms100"), std::string::npos) << text;
}

TEST_F(MeterProcess, ABadScenarioExitsTwoWithTheParsersMessage) {
  const std::string file = std::string(METERGEN_SOURCE_DIR) + "/tests/bad_scenarios/pf_misspelt.yaml";
  pid_ = spawn({METERGEN_METER_PATH, "--model", "clms100", "--state", state(), "--scenario", file});
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 2);
  // The fixture's expectation line, with the path as given.
  EXPECT_NE(read_log(dir_).find(file + ":5:45: error: segments[0].all.pf: '0.5 inductiv' has unknown kind 'inductiv' "
                                       "(did you mean 'inductive'?); expected a power factor in 0..1, inductive or "
                                       "capacitive below 1, like 1 or 0.5 inductive\n"),
            std::string::npos)
      << read_log(dir_);
  EXPECT_FALSE(fs::exists(state()));  // nothing started
}

TEST_F(MeterProcess, SpeedWithoutAScenarioIsAUsageError) {
  pid_ = spawn({METERGEN_METER_PATH, "--model", "clms100", "--state", state(), "--speed", "10"});
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 2);
  EXPECT_NE(read_log(dir_).find("--speed, --start and --exit-at-end need --scenario"), std::string::npos);
}

TEST_F(MeterProcess, ScenarioModeLogsTheFirstSegmentAndServesClients) {
  start({"--scenario", std::string(METERGEN_SOURCE_DIR) + "/scenarios/steady-balanced.yaml", "--speed", "max",
         "--start", "2030-01-01T00:00:00Z"});
  const int fd = connect_to("wrapper");
  send_all(fd, kWrappedPublicAarq);
  expect_accepting_aare(fd);
  EXPECT_NE(read_log(dir_).find("scenario: segment 1/1 'rated load' starts at meter time 2030-01-01T00:00:00Z and holds"),
            std::string::npos)
      << read_log(dir_);
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  EXPECT_EQ(wait_exit(std::chrono::seconds(5)), 0);
}

}  // namespace

namespace {

using metergen::test::ControlClient;
constexpr const char* kHelp = "ok: keys KEYS (0-9, * back, # enter), press BUTTON [SECONDS], input NAME on|off, lcd, help";

// Public AARQ over the wrapper still accepted: the meter serves DLMS.
void expect_dlms_served(int fd) {
  ASSERT_EQ(send(fd, kWrappedPublicAarq.data(), kWrappedPublicAarq.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(kWrappedPublicAarq.size()));
  expect_accepting_aare(fd);
}

}  // namespace

TEST_F(MeterProcess, TheControlPortAnswersEachCommandOnItsOwnLine) {
  start({"--control-port", "0"});
  ASSERT_TRUE(ready_.count("control")) << "the ready file names the control port";
  ControlClient c(std::stoi(ready_.at("control")));
  ASSERT_TRUE(c.valid());
  ASSERT_TRUE(c.send_bytes("press foo\nkeys 12x\r\nhelp\n\npress display 0\n"));
  EXPECT_EQ(c.reply(), "error: unknown button \"foo\"; expected one of display, billing, reconnect");
  EXPECT_EQ(c.reply(), "error: keys: \"x\" is not a key; expected 0-9, * (back) and # (enter)");
  EXPECT_EQ(c.reply(), kHelp);
  EXPECT_EQ(c.reply(), std::string("error: empty command; expected") + (kHelp + 3));
  EXPECT_EQ(c.reply(), "error: press: seconds must be a whole number from 1 to 600, got \"0\"");
  EXPECT_EQ(c.command("keys 12#"), "ok: 3 keys typed") << "clms100 has no keypad: typed, and ignored";
  EXPECT_EQ(c.command("lcd").rfind("ok: 0.9.2 | ", 0), 0u) << "the normal list starts with the local date";
  EXPECT_EQ(c.command(std::string(300, 'k')), "error: line longer than 128 bytes");
  EXPECT_EQ(c.command("help"), kHelp);
  EXPECT_NE(read_log(dir_).find(": press foo -> error: unknown button \"foo\""), std::string::npos) << read_log(dir_);
}

// 256 KiB of pseudo-random bytes (fixed seed): every line in them answered
// with an error, then a command still works, and DLMS is still served.
TEST_F(MeterProcess, GarbageOnTheControlPortGetsErrorsAndBreaksNothing) {
  start({"--control-port", "0"});
  ControlClient c(std::stoi(ready_.at("control")));
  ASSERT_TRUE(c.valid());
  std::string garbage;
  std::uint32_t x = 12345;
  for (int i = 0; i < 256 * 1024; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 23));
  }
  const auto lines = static_cast<std::size_t>(std::count(garbage.begin(), garbage.end(), '\n'));
  ASSERT_GT(lines, 100u);
  // Sent and read in turn, so that the replies never pile up.
  std::size_t replies = 0;
  for (std::size_t at = 0; at < garbage.size(); at += 4096) {
    ASSERT_TRUE(c.send_bytes(garbage.substr(at, 4096)));
    const std::size_t due = static_cast<std::size_t>(std::count(garbage.begin(), garbage.begin() + static_cast<std::ptrdiff_t>(std::min(at + 4096, garbage.size())), '\n'));
    for (; replies < due; ++replies) {
      const std::string r = c.reply();
      ASSERT_EQ(r.rfind("error: ", 0), 0u) << "reply " << replies << ": " << r;
    }
  }
  EXPECT_EQ(replies, lines);
  EXPECT_EQ(c.command("\nhelp").rfind("error: ", 0), 0u) << "the end of the last garbage line";
  EXPECT_EQ(c.reply(), kHelp);
  int status = 0;
  EXPECT_EQ(waitpid(pid_, &status, WNOHANG), 0) << "the meter is still running";
  expect_dlms_served(connect_to("wrapper"));
}

TEST_F(MeterProcess, AFifthControlConnectionIsRefusedUntilOneCloses) {
  start({"--control-port", "0"});
  const int port = std::stoi(ready_.at("control"));
  std::vector<std::unique_ptr<ControlClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<ControlClient>(port));
    EXPECT_EQ(clients.back()->command("help"), kHelp) << i;
  }
  ControlClient fifth(port);
  EXPECT_EQ(fifth.reply(), "error: already 4 control connections; try again later");
  EXPECT_EQ(fifth.reply(), "");
  EXPECT_TRUE(fifth.closed());
  clients.front().reset();
  // The meter sees the close at its next poll; a new connection is served then.
  std::string answer;
  for (int attempt = 0; attempt < 50 && answer != kHelp; ++attempt) {
    ControlClient again(port);
    answer = again.command("help");
    if (answer != kHelp) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(answer, kHelp);
}

// CLMS100 §5.2.1: the display button held 8 s enters the service list, whose
// first item is the segment test (all eights, 8 digits; specs/clms100.yaml).
// `press display 9` holds it 9 meter seconds (here at 20 x real time).
TEST_F(MeterProcess, TheDisplayButtonHeldNineSecondsShowsTheServiceList) {
  const std::string lcd = dir_ + "/lcd.txt";
  const std::string scenario = std::string(METERGEN_SOURCE_DIR) + "/scenarios/steady-balanced.yaml";
  start({"--control-port", "0", "--lcd", lcd, "--scenario", scenario, "--speed", "20", "--start",
         "2027-03-01T10:00:00Z"});
  ControlClient c(std::stoi(ready_.at("control")));
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.command("press display 9"), "ok: display held for 9 s");
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::string shown;
  while (Clock::now() < deadline && shown.find(" | 88888888 |") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(lcd);
    shown.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  // Every indicator lit as well (docs/display.md).
  EXPECT_NE(shown.find("Z  | 88888888 | relay-open L1 L2 L3 alarm test all-segments\n"), std::string::npos) << shown;
  // The read-back is a screen the LCD file has.
  const std::string now = c.command("lcd");
  ASSERT_EQ(now.rfind("ok: ", 0), 0u) << now;
  std::ifstream in(lcd);
  shown.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  EXPECT_NE(shown.find("Z " + now.substr(4) + "\n"), std::string::npos) << now << "\n" << shown;
}

// A scenario whose only segment has the power off: the meter is unpowered, so
// the keypad and the buttons answer that (docs/host-meter.md), help still works.
TEST_F(MeterProcess, KeysAndPressesAreRefusedWhileTheScenarioHasThePowerOff) {
  const std::string scenario = dir_ + "/off.yaml";
  std::ofstream(scenario) << "segments:\n  - name: cut\n    duration: 1h\n    power: off\n";
  start({"--control-port", "0", "--scenario", scenario});
  ControlClient c(std::stoi(ready_.at("control")));
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.command("keys 1#"), "error: the meter is off");
  EXPECT_EQ(c.command("press display"), "error: the meter is off");
  EXPECT_EQ(c.command("help"), kHelp);
}
