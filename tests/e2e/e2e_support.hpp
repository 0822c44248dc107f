// Helpers of the end-to-end tests: child processes with a time limit, the host
// meter (metergen-meter) on ephemeral loopback ports with a fresh state
// directory, stopped by its PID, and the client options of a spec's associations.
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

#include <nlohmann/json.hpp>

namespace e2e {

namespace fs = std::filesystem;
using json = nlohmann::json;
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

// A child process running in the background (stdout/stderr in files), killed by PID.
class Background {
 public:
  Background(const std::vector<std::string>& argv, const fs::path& dir, const std::string& name)
      : out_(dir / (name + ".out")), err_(dir / (name + ".err")) {
    pid_ = e2e::spawn(argv, out_, err_);
  }
  ~Background() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // The exit code once it ended within `limit`, -1 when it had to be killed.
  int wait(std::chrono::seconds limit) {
    int status = 0;
    const auto deadline = Clock::now() + limit;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
};

// Runs argv with stdout/stderr in files; kills it when it overruns kChildLimit.
inline Result run(const std::vector<std::string>& argv, const fs::path& dir) {
  static int serial = 0;
  fs::path out = dir / ("out" + std::to_string(serial) + ".txt"), err = dir / ("err" + std::to_string(serial) + ".txt");
  ++serial;
  const pid_t pid = spawn(argv, out, err);
  Result r;
  int status = 0;
  auto deadline = Clock::now() + kChildLimit;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.err = "timed out\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err += read_text(err);
  return r;
}

// One host meter process with a fresh state directory; `extra` options follow
// the listeners' (e.g. --scenario FILE --speed max).
class HostMeter {
 public:
  // `fresh`: the directory (and the meter state in it) is removed first.
  HostMeter(const std::string& model, const fs::path& dir, const std::vector<std::string>& extra = {},
            bool fresh = true)
      : dir_(dir) {
    if (fresh) fs::remove_all(dir_);
    fs::remove(dir_ / "ready");
    fs::create_directories(dir_);
    pid_ = fork();
    if (pid_ == 0) {
      int log = open((dir_ / "meter.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(log, 2);
      std::vector<std::string> argv{METERGEN_METER_BIN, "--model", model, "--state", (dir_ / "state").string(),
                                    "--wrapper-port", "0", "--hdlc-port", "0", "--ready-file",
                                    (dir_ / "ready").string()};
      argv.insert(argv.end(), extra.begin(), extra.end());
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (!fs::exists(dir_ / "ready") && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::istringstream lines(read_text(dir_ / "ready"));
    for (std::string line; std::getline(lines, line);) {
      auto eq = line.find('=');
      if (eq != std::string::npos) ports_[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  ~HostMeter() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
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

// An association of the spec as generated/<model>/object_list.json lists it.
struct Association {
  int sap = 0;
  std::string authentication;
  json objects;
};

inline std::vector<Association> associations_of(const std::string& model) {
  json list = json::parse(read_text(fs::path(METERGEN_SOURCE_DIR) / "generated" / model / "object_list.json"));
  std::vector<Association> out;
  for (const auto& a : list["associations"]) out.push_back({a["client_sap"], a["authentication"], a["objects"]});
  return out;
}

// Client options for an association: its SAP, mechanism and the meter's secrets.
// HLS-GMAC associations use the ciphered context (they have keys; some require it).
inline std::vector<std::string> client_options(const Association& a, const HostMeter& meter) {
  std::vector<std::string> o{"--client", std::to_string(a.sap), "--secrets", meter.secrets()};
  if (a.authentication == "lls") o.insert(o.end(), {"--auth", "lls"});
  if (a.authentication == "hls-gmac") o.insert(o.end(), {"--auth", "hls", "--ciphered"});
  return o;
}

}  // namespace e2e
