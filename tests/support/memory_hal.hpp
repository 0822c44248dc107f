// Test helper: a hal::Hal in memory, for tests and fuzz harnesses that run the
// runtime in process. NVM is a vector of erased bytes (4 MiB by default:
// clms100's profiles take about 1.4 MB); the clock is settable; "random" bytes
// are all 0x55 so challenges are predictable; secrets are the host meter's demo
// secrets (docs/host-meter.md): LLS "12345678", the EK/AK of dlms-protocol.md
// §16 test vector 1, server system title 4D474D0000000001 and STS decoder key
// 0123456789ABCDEF. Ticks are
// `ticks` (set by the test); pushes are recorded (push_opened, pushed) and
// succeed unless `push_reachable` is false; log lines are kept in `logs`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <metergen/hal.hpp>

namespace metergen::test {

class MemoryHal final : public hal::Hal {
 public:
  static constexpr std::uint8_t kErased = 0xFF;

  explicit MemoryHal(std::size_t nvm_bytes = 4u << 20) : nvm(nvm_bytes, kErased) {}

  std::vector<std::uint8_t> nvm;
  std::uint64_t now_ms = 1700000000000ull;
  std::vector<std::pair<std::uint32_t, std::size_t>> written;  // every NVM write, for erase_written()

  // Erases what was written since the last call: the next run starts from a new meter.
  void erase_written() {
    for (const auto& [at, n] : written) std::fill_n(nvm.begin() + at, n, kErased);
    written.clear();
  }

  std::uint64_t utc_ms() override { return now_ms; }
  bool set_utc_ms(std::uint64_t ms) override {
    now_ms = ms;
    return true;
  }
  std::uint32_t ticks = 0;
  bool push_reachable = true;
  std::vector<std::string> push_opened;          // destinations, one per attempt
  std::vector<std::vector<std::uint8_t>> pushed;  // frames sent
  std::vector<std::string> logs;
  std::uint8_t key_change = 0;  // XORed into the last byte of the EK and the AK: new keys

  std::uint32_t ticks_ms() override { return ticks; }
  bool push_open(const std::uint8_t* destination, std::size_t n) override {
    push_opened.emplace_back(reinterpret_cast<const char*>(destination), n);
    return true;
  }
  hal::PushState push_send(const std::uint8_t* frame, std::size_t n) override {
    if (!push_reachable) return hal::PushState::failed;
    pushed.emplace_back(frame, frame + n);
    return hal::PushState::sent;
  }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm.size()); }
  bool nvm_read(std::uint32_t at, std::uint8_t* out, std::size_t n) override {
    if (at > nvm.size() || n > nvm.size() - at) return false;
    std::copy_n(nvm.begin() + at, n, out);
    return true;
  }
  bool nvm_write(std::uint32_t at, const std::uint8_t* in, std::size_t n) override {
    if (at > nvm.size() || n > nvm.size() - at) return false;
    std::copy_n(in, n, nvm.begin() + at);
    written.emplace_back(at, n);
    return true;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::fill_n(out, n, 0x55); }
  std::size_t secret(std::uint8_t, hal::Secret kind, std::uint8_t* out, std::size_t cap) override {
    static constexpr std::uint8_t kPassword[] = {'1', '2', '3', '4', '5', '6', '7', '8'};
    static constexpr std::uint8_t kEk[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                           0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
    static constexpr std::uint8_t kAk[] = {0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                                           0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
    static constexpr std::uint8_t kStsKey[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
    const std::uint8_t* v = kPassword;
    std::size_t n = sizeof kPassword;
    switch (kind) {
      case hal::Secret::lls_password: break;
      case hal::Secret::encryption_key: v = kEk, n = sizeof kEk; break;
      case hal::Secret::authentication_key: v = kAk, n = sizeof kAk; break;
      case hal::Secret::server_system_title: v = title.data(), n = title.size(); break;
      case hal::Secret::sts_decoder_key: v = kStsKey, n = sizeof kStsKey; break;
    }
    if (n > cap) return 0;
    std::copy_n(v, n, out);
    if (kind == hal::Secret::encryption_key || kind == hal::Secret::authentication_key) out[n - 1] ^= key_change;
    return n;
  }
  // The server system title: FLAG id MGM, manufacturing number 1.
  std::array<std::uint8_t, 8> title = {0x4D, 0x47, 0x4D, 0x00, 0x00, 0x00, 0x00, 0x01};

  void log(const char* line) override {
    if (logs.size() < 1000) logs.emplace_back(line);
  }
};

}  // namespace metergen::test
