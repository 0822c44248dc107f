// Child processes for the tests that run the programs (end-to-end, crash and
// restart): a program run to its end within a time limit, one running in the
// background, and the host meter (METERGEN_METER_BIN) on ephemeral loopback
// ports with its state directory, found ready by its ready file and stopped
// by its PID.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace metergen::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

inline constexpr auto kChildLimit = std::chrono::seconds(120);

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

// Starts argv (argv[0] a path) with stdout and stderr in the files `out` and `err`.
inline pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` until `deadline`: its exit code, -1 when it was killed
// (SIGKILL at the deadline, or a signal of its own).
inline int wait_until(pid_t pid, Clock::time_point deadline) {
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A child process running in the background (stdout/stderr in files), killed by PID.
class Background {
 public:
  Background(const std::vector<std::string>& argv, const fs::path& dir, const std::string& name)
      : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
    pid_ = spawn(argv, out_, err_);
  }
  ~Background() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // The exit code once it ended within `limit`, -1 when it had to be killed.
  int wait(std::chrono::seconds limit) {
    const int code = wait_until(pid_, Clock::now() + limit);
    pid_ = -1;
    return code;
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
};

// Runs argv with stdout/stderr in files of `dir`; kills it when it overruns `limit`.
inline Result run(const std::vector<std::string>& argv, const fs::path& dir,
                  std::chrono::seconds limit = kChildLimit) {
  static int serial = 0;
  fs::path out = dir / ("out" + std::to_string(serial) + ".txt"), err = dir / ("err" + std::to_string(serial) + ".txt");
  ++serial;
  const pid_t pid = spawn(argv, out, err);
  Result r;
  r.exit_code = wait_until(pid, Clock::now() + limit);
  if (r.exit_code == -1) r.err = "timed out or ended by a signal\n";
  r.out = read_text(out);
  r.err += read_text(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

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
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
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
