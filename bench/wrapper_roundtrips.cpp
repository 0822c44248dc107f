// GET round trips per second over the TCP wrapper on loopback: starts
// metergen-meter (hxf300-eu, wrapper port 0, temporary state directory), waits
// for its ready file, associates as the public client (SAP 16 → logical device 1)
// and sends GET-Request-Normal of the serial number 0.0.96.1.0.255 attribute 2
// (the seed models' public clients read no energy register) for about 3 s, one
// request in flight. Every reply must be a GET-Response with data. The meter is
// killed by its PID at the end.
//
// Usage: bench_wrapper_roundtrips <path to metergen-meter> [seconds]
// Calls: the runtime's wrapper and acse codecs, POSIX sockets and processes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/wrapper/wrapper.hpp>

namespace {

using namespace metergen;

constexpr std::uint16_t kClientSap = 16;
constexpr std::uint16_t kServerLogical = 1;

pid_t g_meter = 0;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_wrapper_roundtrips: %s\n", what.c_str());
  if (g_meter > 0) kill(g_meter, SIGKILL);
  std::exit(1);
}

// The wrapper port from the meter's ready file, waiting up to 10 s for it.
int wait_for_port(const std::string& ready_file) {
  for (int i = 0; i < 1000; ++i) {
    std::ifstream in(ready_file);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("wrapper=", 0) == 0) return std::stoi(line.substr(8));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  fail("meter wrote no ready file");
}

class Client {
 public:
  explicit Client(int port) : reassembler_(buffer_, sizeof buffer_) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fail("cannot connect");
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~Client() { close(fd_); }

  // Sends one APDU and returns the reply APDU (valid until the next call).
  ByteReader exchange(const std::uint8_t* apdu, std::size_t size) {
    std::uint8_t frame[wrapper::kHeaderSize + dlms::kMaxPdu];
    ByteWriter w(frame, sizeof frame);
    wrapper::encode_header(w, {wrapper::kVersion, kClientSap, kServerLogical, static_cast<std::uint16_t>(size)});
    w.bytes(apdu, size);
    if (w.overflow() || send(fd_, frame, w.size(), 0) != static_cast<ssize_t>(w.size())) fail("send failed");
    for (;;) {
      const ssize_t n = recv(fd_, input_, sizeof input_, 0);
      if (n <= 0) fail("connection closed by the meter");
      wrapper::Reassembler::Event event;
      if (reassembler_.feed(input_, static_cast<std::size_t>(n), event) != static_cast<std::size_t>(n) ||
          event == wrapper::Reassembler::Event::error)
        fail("unexpected wrapper stream");
      if (event == wrapper::Reassembler::Event::apdu) {
        const std::span<std::uint8_t> apdu = reassembler_.apdu();
        ByteReader reply(apdu.data(), apdu.size());
        reassembler_.reset();  // the buffer keeps the APDU until the next feed
        return reply;
      }
    }
  }

 private:
  int fd_ = -1;
  std::uint8_t buffer_[dlms::kMaxPdu];
  std::uint8_t input_[wrapper::kHeaderSize + dlms::kMaxPdu];
  wrapper::Reassembler reassembler_;
};

void associate(Client& client) {
  std::uint8_t initiate[32];
  ByteWriter iw(initiate, sizeof initiate);
  acse::InitiateRequest ir;
  ir.conformance = acse::conformance::kGet | acse::conformance::kBlockTransferWithGetOrRead | acse::conformance::kSelectiveAccess;
  ir.max_receive_pdu_size = dlms::kMaxPdu;
  if (!acse::encode_initiate_request(ir, iw)) fail("cannot encode InitiateRequest");
  acse::Aarq aarq;
  aarq.context = acse::ContextId::ln;
  aarq.user_information = {initiate, iw.size()};
  std::uint8_t apdu[96];
  ByteWriter aw(apdu, sizeof apdu);
  if (!acse::encode_aarq(aarq, aw)) fail("cannot encode AARQ");
  acse::Aare aare;
  if (!acse::decode_aare(client.exchange(apdu, aw.size()), aare) || aare.result != acse::AssociationResult::accepted)
    fail("public AARQ not accepted");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <metergen-meter> [seconds]\n", argv[0]);
    return 2;
  }
  const double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  char dir_template[] = "/tmp/bench-meter-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (!dir) fail("cannot create a temporary directory");
  const std::string state = std::string(dir) + "/state", ready = std::string(dir) + "/ready";

  g_meter = fork();
  if (g_meter == 0) {
    execl(argv[1], argv[1], "--model", "hxf300-eu", "--state", state.c_str(), "--wrapper-port", "0", "--ready-file",
          ready.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  if (g_meter < 0) fail("fork failed");
  {
    Client client(wait_for_port(ready));
    associate(client);
    // GET-Request-Normal (C0 01 C1), class 1, 0.0.96.1.0.255, attribute 2, no selective access.
    constexpr std::uint8_t kGet[] = {0xC0, 0x01, 0xC1, 0x00, 0x01, 0, 0, 96, 1, 0, 255, 0x02, 0x00};
    // GET-Response-Normal (C4 01), invoke-id C1, result choice data (00): dlms-protocol.md §6.
    constexpr std::uint8_t kResponseHead[] = {0xC4, 0x01, 0xC1, 0x00};
    long round_trips = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    auto now = start;
    while (now < end) {
      for (int i = 0; i < 100; ++i, ++round_trips) {
        ByteReader reply = client.exchange(kGet, sizeof kGet);
        const std::uint8_t* head = reply.take(sizeof kResponseHead);
        if (!head || std::memcmp(head, kResponseHead, sizeof kResponseHead) != 0)
          fail("reply is not a GET-Response with data");
      }
      now = std::chrono::steady_clock::now();
    }
    const double elapsed = std::chrono::duration<double>(now - start).count();
    std::printf("wrapper GET round trips: %ld in %.2f s = %.0f /s\n", round_trips, elapsed, round_trips / elapsed);
  }
  kill(g_meter, SIGKILL);
  waitpid(g_meter, nullptr, 0);
  std::system(("rm -rf '" + std::string(dir) + "'").c_str());
  return 0;
}
