// Push end to end: the host meter pushes a DataNotification (IC 40 method 1) to
// `metergen listen` on loopback; a push made while nobody listens is retried
// until a listener is up. Every process is stopped by its PID with a deadline.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "e2e_support.hpp"

namespace {

using namespace e2e;

// A loopback port nobody listens on (bound, then released).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

int wait_for_port(const fs::path& ready) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    const std::string text = read_text(ready);
    if (text.rfind("port=", 0) == 0) return std::stoi(text.substr(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

// send_destination_and_method {TCP, "127.0.0.1:PORT", A-XDR} as hex A-XDR.
std::string destination_value(int port) {
  const std::string text = "127.0.0.1:" + std::to_string(port);
  std::ostringstream s;
  s << "02031600" << "09" << std::hex;
  s.width(2);
  s.fill('0');
  s << text.size();
  for (char c : text) s << static_cast<int>(static_cast<unsigned char>(c));
  s << "1600";
  return s.str();
}

class Push : public ::testing::Test {
 protected:
  fs::path dir(const std::string& name) { return fs::temp_directory_path() / ("metergen-e2e-push-" + name); }
  // A SET or ACTION by the management client (SAP 1, HLS-GMAC, ciphered).
  Result manage(const HostMeter& m, const fs::path& d, const std::vector<std::string>& service) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", m.wrapper_url(), "--client", "1", "--auth", "hls",
                                  "--ciphered", "--secrets", m.secrets(), "--class", "40"};
    args.insert(args.end(), service.begin(), service.end());
    return run(args, d);
  }
};

TEST_F(Push, CipheredPushOfMethodOneReachesTheListener) {
  const fs::path d = dir("ciphered");
  HostMeter meter("dtsd545", d);
  ASSERT_TRUE(meter.ready());
  // dtsd545 pushes to wPort 102 with the management client's keys (SAP 1).
  Background listener({METERGEN_BIN, "listen", "--port", "0", "--ready-file", (d / "listen.ready").string(),
                       "--secrets", meter.secrets(), "--client", "1", "--count", "1", "--timeout", "60",
                       "--format", "json"},
                      d, "listen");
  const int port = wait_for_port(d / "listen.ready");
  ASSERT_GT(port, 0);
  Result set = manage(meter, d, {"set", "0.0.25.9.0.255:3", destination_value(port)});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  Result push = manage(meter, d, {"action", "0.0.25.9.0.255:1", "0F00"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  ASSERT_EQ(listener.wait(std::chrono::seconds(30)), 0) << listener.err();
  const json n = json::parse(listener.out());
  EXPECT_EQ(n["source_wport"], 1);
  EXPECT_EQ(n["destination_wport"], 102);
  EXPECT_EQ(n["invoke_id"], 1);
  EXPECT_EQ(n["ciphered"]["security_control"], 0x30);
  EXPECT_EQ(n["ciphered"]["system_title"], "4D474D0000000001");
  ASSERT_EQ(n["body"]["type"], "structure");
  ASSERT_EQ(n["body"]["value"].size(), 4u);  // push setup, serial number, clock, event code
  EXPECT_EQ(n["body"]["value"][0]["value"], "0000190900FF");
  EXPECT_NE(read_text(d / "meter.log").find("(wPort 102) sent"), std::string::npos);
}

TEST_F(Push, PlainPushIsRetriedUntilAListenerIsUp) {
  const fs::path d = dir("retry");
  HostMeter meter("hxf300-eu", d);
  ASSERT_TRUE(meter.ready());
  const int port = free_port();
  ASSERT_EQ(manage(meter, d, {"set", "0.0.25.9.0.255:3", destination_value(port)}).exit_code, 0);
  ASSERT_EQ(manage(meter, d, {"set", "0.0.25.9.0.255:7", "120002"}).exit_code, 0);  // repetition_delay 2 s
  ASSERT_EQ(manage(meter, d, {"action", "0.0.25.9.0.255:1", "0F00"}).exit_code, 0);
  // The first attempt finds nobody; the listener comes up before the retry.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (read_text(d / "meter.log").find("failed; retrying in 2 s") == std::string::npos && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(read_text(d / "meter.log").find("failed; retrying in 2 s"), std::string::npos) << read_text(d / "meter.log");
  Background listener({METERGEN_BIN, "listen", "--port", std::to_string(port), "--count", "1", "--timeout", "30"}, d,
                      "listen");
  ASSERT_EQ(listener.wait(std::chrono::seconds(40)), 0) << listener.err() << read_text(d / "meter.log");
  EXPECT_NE(listener.out().find("wPort 1 -> 102, invoke id"), std::string::npos) << listener.out();
  EXPECT_NE(read_text(d / "meter.log").find("attempt 2 to 127.0.0.1:" + std::to_string(port) + " (wPort 102) sent"),
            std::string::npos)
      << read_text(d / "meter.log");
}

TEST_F(Push, AHostileDestinationIsRefusedAndTheMeterKeepsServing) {
  const fs::path d = dir("hostile");
  HostMeter meter("hxf300-eu", d);
  ASSERT_TRUE(meter.ready());
  Result r = manage(meter, d, {"set", "0.0.25.9.0.255:3", "020316000906686F73743A3016 00"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("other-reason"), std::string::npos) << r.err;
  // An unreachable (non-routable) destination: the meter answers on while the attempt is bounded.
  ASSERT_EQ(manage(meter, d, {"set", "0.0.25.9.0.255:3", "0203160009" "0E" "31302E3235352E3235352E313A31" "1600"}).exit_code, 0);
  ASSERT_EQ(manage(meter, d, {"action", "0.0.25.9.0.255:1", "0F00"}).exit_code, 0);
  Result get = run({METERGEN_BIN, "read", "--meter", meter.wrapper_url(), "get", "0.0.1.0.0.255:2", "--class", "8"}, d);
  EXPECT_EQ(get.exit_code, 0) << get.err;
}

}  // namespace
