// The host meter (METERGEN_METER_BIN) as a child process for the tests that
// run it (end-to-end, crash and restart): on ephemeral loopback ports with its
// state directory, found ready by its ready file and stopped by its PID.
// Starting, waiting for and killing processes: child_process.hpp.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"

namespace metergen::test {

// One host meter process with its state in `dir`; `extra` options follow the
// listeners' (e.g. --scenario FILE --speed max). Stopped with SIGTERM when it
// goes out of scope, or cut off with SIGKILL by power_cut().
class HostMeter {
 public:
  // `fresh`: the directory (and the meter state in it) is removed first.
  HostMeter(const std::string& model, const fs::path& dir, const std::vector<std::string>& extra = {},
            bool fresh = true)
      : dir_(dir) {
    if (fresh) fs::remove_all(dir_);
    fs::remove(dir_ / "ready");
    fs::create_directories(dir_);
    std::vector<std::string> argv{METERGEN_METER_BIN, "--model", model, "--state", (dir_ / "state").string(),
                                  "--wrapper-port", "0", "--hdlc-port", "0", "--ready-file", (dir_ / "ready").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = spawn(argv, dir_ / "meter.out", dir_ / "meter.log");
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (!fs::exists(dir_ / "ready") && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::istringstream lines(read_text(dir_ / "ready"));
    for (std::string line; std::getline(lines, line);) {
      auto eq = line.find('=');
      if (eq != std::string::npos) ports_[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  ~HostMeter() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    wait_until(pid_, Clock::now() + std::chrono::seconds(10));
  }
  // SIGKILL: the process ends where it is, as a meter whose power is cut (its NVM file stays).
  void power_cut() {
    if (pid_ <= 0) return;
    kill_now(pid_);
    pid_ = -1;
  }
  bool ready() const { return ports_.count("wrapper") && ports_.count("hdlc"); }
  int wrapper_port() const { return std::stoi(ports_.at("wrapper")); }
  std::string wrapper_url() const { return "tcp://127.0.0.1:" + ports_.at("wrapper"); }
  std::string hdlc_url() const { return "hdlc+tcp://127.0.0.1:" + ports_.at("hdlc"); }
  // With --hdlc-pty among the extra options: the pty's URL, else "".
  std::string pty_url() const { return ports_.count("pty") ? "hdlc:" + ports_.at("pty") : ""; }
  std::string secrets() const { return (dir_ / "state" / "secrets.conf").string(); }
  // With --control-port among the extra options: the control socket's port, else -1.
  int control_port() const { return ports_.count("control") ? std::stoi(ports_.at("control")) : -1; }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  std::map<std::string, std::string> ports_;
};

}  // namespace metergen::test
