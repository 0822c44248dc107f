// Child processes for the tests that run programs (the host programs, QEMU):
// started with stdin from /dev/null and stdout and stderr in files, waited for
// until a deadline and killed by their PID when they overrun; a program run to
// its end within a time limit, and one running in the background.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
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

// Starts argv (argv[0] a path, or a name looked up in PATH) with stdin from
// /dev/null and stdout and stderr in the files `out` and `err`.
inline pid_t spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(o, 1);
    dup2(e, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// Ends `pid` where it is (SIGKILL) and reaps it.
inline void kill_now(pid_t pid) {
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

// Waits for `pid` until `deadline`: its exit code, -1 when it was killed
// (SIGKILL at the deadline, which sets `*overran` when given, or a signal of its own).
inline int wait_until(pid_t pid, Clock::time_point deadline, bool* overran = nullptr) {
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      if (overran != nullptr) *overran = true;
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
    if (pid_ > 0) kill_now(pid_);
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

}  // namespace metergen::test
