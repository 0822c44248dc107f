// Raw pseudo-terminal for the HDLC serial port.
#include "pty.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace metergen::host {

Pty::~Pty() {
  if (slave_ >= 0) ::close(slave_);
  if (master_ >= 0) ::close(master_);
}

bool Pty::open(std::string* error) {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
    return *error = std::string("pty: ") + std::strerror(errno), false;
  const char* name = ::ptsname(master_);
  if (name == nullptr) return *error = std::string("ptsname: ") + std::strerror(errno), false;
  slave_path_ = name;
  slave_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave_ < 0) return *error = slave_path_ + ": " + std::strerror(errno), false;
  // HDLC is binary: no echo, no line editing, no CR/LF translation.
  termios raw{};
  if (::tcgetattr(slave_, &raw) != 0) return *error = slave_path_ + ": " + std::strerror(errno), false;
  ::cfmakeraw(&raw);
  if (::tcsetattr(slave_, TCSANOW, &raw) != 0) return *error = slave_path_ + ": " + std::strerror(errno), false;
  return true;
}

}  // namespace metergen::host
