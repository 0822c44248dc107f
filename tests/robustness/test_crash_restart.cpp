// Acknowledged means kept, at the process level: the clms100 host meter on
// 127.0.0.1, a client loop that SETs the under-voltage threshold
// (1.0.12.31.0.255:2, utility client SAP 1, LLS) with `metergen read … set`
// and reads it back, and the meter killed with SIGKILL at seeded pseudo-random
// moments, then restarted on the same state directory. After every restart
// the value read must be the last acknowledged one, or one whose SET was in
// flight when the meter died (not acknowledged, so either outcome is right).
//
// Rounds: METERGEN_CRASH_ROUNDS (default 100, about 32 s on an idle machine);
// the seed is METERGEN_CRASH_SEED (default 1).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../support/host_meter.hpp"

namespace {

namespace fs = std::filesystem;
using metergen::test::Clock;
using metergen::test::HostMeter;
using metergen::test::read_text;
using namespace std::chrono_literals;

// A client command's exit code and output, bounded to 20 s.
metergen::test::Result run(const std::vector<std::string>& argv, const fs::path& dir) {
  return metergen::test::run(argv, dir, 20s);
}

std::vector<std::string> client(const HostMeter& m, const fs::path& dir) {
  return {METERGEN_PATH, "read",     "--meter",   m.wrapper_url(), "--client", "1", "--auth", "lls",
          "--secrets",   (dir / "state" / "secrets.conf").string(), "--timeout", "2"};
}

constexpr const char* kThreshold = "1.0.12.31.0.255:2";

// The value of a GET in JSON ({"type": "long-unsigned", "value": N}); -1 when none.
long read_value(const HostMeter& m, const fs::path& dir) {
  auto argv = client(m, dir);
  argv.insert(argv.end(), {"get", kThreshold, "--class", "3"});
  const auto r = run(argv, dir);
  const auto at = r.out.find("\"value\": ");
  if (r.exit_code != 0 || at == std::string::npos) return -1;
  return std::strtol(r.out.c_str() + at + 9, nullptr, 10);
}

bool set_value(const HostMeter& m, const fs::path& dir, long v) {
  auto argv = client(m, dir);
  char hex[16];
  std::snprintf(hex, sizeof hex, "12%04lX", v);
  argv.insert(argv.end(), {"set", kThreshold, hex, "--class", "3"});
  return run(argv, dir).exit_code == 0;
}

long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtol(v, nullptr, 10) : fallback;
}

TEST(CrashRestart, EveryAcknowledgedSetSurvivesAKill9) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const long rounds_wanted = env_or("METERGEN_CRASH_ROUNDS", 100);
  std::mt19937 random(static_cast<std::uint32_t>(env_or("METERGEN_CRASH_SEED", 1)));
  std::uniform_int_distribution<int> kill_after_ms(0, 400);
  const auto start = Clock::now();

  long acknowledged = 20700;       // the spec's default
  std::vector<long> in_flight;     // SETs sent after it whose answer did not come
  long next = 10000;
  long rounds = 0, acks = 0, cut_mid_set = 0;
  for (;; ++rounds) {
    if (rounds >= rounds_wanted) break;
    HostMeter meter("clms100", dir, {}, /*fresh=*/false);
    ASSERT_TRUE(meter.ready()) << "round " << rounds << ": " << read_text(dir / "meter.log");
    // After the restart: the last acknowledged value, or a SET it may have kept.
    const long found = read_value(meter, dir);
    bool allowed = found == acknowledged;
    for (long v : in_flight) allowed = allowed || found == v;
    ASSERT_TRUE(allowed) << "round " << rounds << ": read " << found << ", acknowledged " << acknowledged;
    acknowledged = found;
    in_flight.clear();

    // The client loop runs until the meter is killed, seeded moments later.
    std::atomic<bool> killed{false};
    std::vector<long> acked_this_round;
    std::thread loop([&] {
      while (!killed) {
        const long v = next++;
        if (next > 60000) next = 10000;
        in_flight.push_back(v);
        if (!set_value(meter, dir, v)) break;
        // Acknowledged: only this value (or a later SET) may be found.
        in_flight.clear();
        acked_this_round.push_back(v);
        const long back = read_value(meter, dir);
        if (back != -1) EXPECT_EQ(back, v) << "round " << rounds;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    killed = true;
    meter.power_cut();
    loop.join();
    if (!acked_this_round.empty()) acknowledged = acked_this_round.back();
    cut_mid_set += !in_flight.empty();
    acks += static_cast<long>(acked_this_round.size());
  }
  std::printf("%ld rounds, %ld acknowledged SETs, %ld kills during a SET, %.1f s\n", rounds, acks, cut_mid_set,
              std::chrono::duration<double>(Clock::now() - start).count());
  EXPECT_GT(acks, 0);
  fs::remove_all(dir);
}

}  // namespace
