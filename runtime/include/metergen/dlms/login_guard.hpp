// Brute-force protection of the associations' logins (docs/runtime.md, Login
// lockout): per association (client SAP), failed logins in a row are counted;
// the threshold-th locks the association for a lockout time, during which its
// logins are refused unchecked. Each further lockout without a successful
// login in between lasts twice as long as the one before, up to kMaxDoublings
// doublings; a successful login ends the row.
//
// Owns: the counts and lockouts, in the model's RAM per association only (a restart opens every
// association). Uses: the model's detection of authentication_failures for the
// threshold (`level`) and the lockout time (`for_s`), and hal ticks.
#pragma once

#include <cstdint>

#include <metergen/dlms/frame_counters.hpp>
#include <metergen/model_ram.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::dlms {

inline constexpr std::uint32_t kDefaultLoginFailures = 5;   // without a detection level
inline constexpr std::uint32_t kDefaultLockoutS = 60;       // without a detection for_s
inline constexpr std::uint8_t kMaxDoublings = 4;            // the longest lockout is 16 times the first
inline constexpr std::uint32_t kMaxLockoutS = 86400;        // and never longer than a day

class LoginGuard {
 public:
  explicit LoginGuard(const tables::Model& model);

  // Seconds the association's logins are still refused at `now_ms` (0: open).
  std::uint32_t locked_for_s(std::uint16_t association, std::uint32_t now_ms) const;
  // Counts a failed login; returns the lockout it starts in seconds (0: none).
  std::uint32_t failed(std::uint16_t association, std::uint32_t now_ms);
  void succeeded(std::uint16_t association);
  // Ends the lockouts that are over (call at least once a day, so that the
  // 32-bit tick never wraps past a lockout's end).
  void tick(std::uint32_t now_ms);

  std::uint32_t threshold() const { return threshold_; }

 private:
  std::uint32_t threshold_ = kDefaultLoginFailures;
  std::uint32_t lockout_s_ = kDefaultLockoutS;
  tables::AssociationRam* rows_;  // login_failures, lockouts, locked, lockout_until_ms (Model::ram)
  std::uint8_t count_;            // tables::association_ram_count(model)
};

}  // namespace metergen::dlms
