// Reading one input file (a spec, a catalog, a scenario) as untrusted bytes:
// only a regular file is read, never more than a size limit, and opening never
// blocks (a FIFO or a device named as a spec is refused, not read).
#pragma once

#include <string>
#include <variant>

namespace metergen {

namespace limits {
// Largest input file: the 100,000-object spec of bench/synthetic_spec.sh is about
// 12 MB; the largest real spec about 53 kB.
constexpr std::size_t kMaxFileBytes = 64u << 20;
}  // namespace limits

// Why a file was not read: a phrase that completes "<file> ..." (e.g. "is a
// directory") and what is expected instead.
struct ReadFailure {
  std::string what;
  std::string expected;
};

// The whole content of `path` (symbolic links followed), or why it was not read.
std::variant<std::string, ReadFailure> read_input_file(const std::string& path);

// errno as a short phrase for messages ("not found", "a symbolic link loop", ...).
std::string errno_phrase(int error);

}  // namespace metergen
