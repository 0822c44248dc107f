// The HDLC pseudo-terminal of metergen-meter: a raw pty whose slave path a
// client opens as its serial port. Uses POSIX pty functions.
#pragma once

#include <string>

namespace metergen::host {

class Pty {
 public:
  Pty() = default;
  ~Pty();
  Pty(const Pty&) = delete;
  Pty& operator=(const Pty&) = delete;

  // Opens a master/slave pair in raw mode. The meter keeps the slave open too, so
  // clients may come and go without the master seeing a hang-up.
  bool open(std::string* error);

  int master_fd() const { return master_; }
  const std::string& slave_path() const { return slave_path_; }

 private:
  int master_ = -1;
  int slave_ = -1;
  std::string slave_path_;
};

}  // namespace metergen::host
