// The runtime's only way out to the hardware. A target implements Hal once;
// the runtime holds a reference and calls nothing else.
//
// Error contract: functions that can fail return false and leave outputs
// unspecified; the runtime treats a failed NVM access as a hardware fault of the
// request that caused it, never as a reason to stop.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::hal {

// Keys and passwords live with the target (a file, a secure element, protected
// flash), never in the generated tables.
enum class Secret : std::uint8_t {
  lls_password,         // LLS secret of an association
  encryption_key,       // global unicast encryption key (EK), 16 bytes
  authentication_key,   // authentication key (AK), 16 bytes
  server_system_title,  // 8 bytes; the same for every association
};

class Hal {
 public:
  // Meter clock: milliseconds since 1970-01-01 00:00 UTC.
  virtual std::uint64_t utc_ms() = 0;
  virtual void set_utc_ms(std::uint64_t ms) = 0;
  // Monotonic milliseconds since boot (wraps after 49 days).
  virtual std::uint32_t ticks_ms() = 0;

  // Non-volatile memory, byte addressed, nvm_size() bytes. A write either lands
  // whole or, after a power cut, leaves the old bytes: the storage layer above
  // keeps its own copies and checksums.
  virtual std::uint32_t nvm_size() = 0;
  virtual bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) = 0;
  virtual bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) = 0;

  // Unpredictable bytes for authentication challenges.
  virtual void random(std::uint8_t* out, std::size_t n) = 0;

  // Copies a secret of association `association` (index into Model::associations)
  // into out; returns its length, 0 when the target has none.
  virtual std::size_t secret(std::uint8_t association, Secret kind, std::uint8_t* out, std::size_t cap) = 0;

  // One human-readable log line (no newline); may be dropped.
  virtual void log(const char* line) = 0;

 protected:
  ~Hal() = default;
};

}  // namespace metergen::hal
