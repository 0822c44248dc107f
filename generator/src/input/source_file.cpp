#include "source_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace metergen {

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* file_type_phrase(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISFIFO(mode)) return "is a FIFO";
  if (S_ISCHR(mode)) return "is a character device";
  if (S_ISBLK(mode)) return "is a block device";
  if (S_ISSOCK(mode)) return "is a socket";
  return "is not a regular file";
}

ReadFailure system_failure(int error) { return {"cannot be read: " + errno_phrase(error), "a readable regular file"}; }

}  // namespace

std::string errno_phrase(int error) {
  switch (error) {
    case ENOENT: return "not found";
    case ELOOP: return "a symbolic link loop";
    case EACCES: return "permission denied";
    case ENOTDIR: return "a path through something that is not a directory";
    default: return std::strerror(error);
  }
}

std::variant<std::string, ReadFailure> read_input_file(const std::string& path) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return system_failure(errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return system_failure(errno);
  if (!S_ISREG(st.st_mode)) return ReadFailure{file_type_phrase(st.st_mode), "a regular file"};
  const auto too_big = [](std::size_t bytes) {
    return ReadFailure{"is " + std::to_string(bytes) + " bytes", "at most " + std::to_string(limits::kMaxFileBytes) + " bytes"};
  };
  if (static_cast<std::size_t>(st.st_size) > limits::kMaxFileBytes) return too_big(static_cast<std::size_t>(st.st_size));
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t used = 0;
  // Read until end of file even if the file grew after fstat, but never past the limit.
  for (;;) {
    if (used == text.size()) {
      if (text.size() > limits::kMaxFileBytes) return too_big(text.size());
      text.resize(text.size() + 4096);
    }
    ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return system_failure(errno);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  text.resize(used);
  return text;
}

}  // namespace metergen
