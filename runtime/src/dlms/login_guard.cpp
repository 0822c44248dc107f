// Login lockout (see dlms/login_guard.hpp).
#include <metergen/dlms/login_guard.hpp>

namespace metergen::dlms {

namespace {

// Milliseconds from now to `until` (tick arithmetic, wrap-safe within 24 days).
std::int32_t remaining_ms(std::uint32_t until, std::uint32_t now) { return static_cast<std::int32_t>(until - now); }

}  // namespace

LoginGuard::LoginGuard(const tables::Model& model)
    : rows_(model.ram.associations),
      count_(tables::association_ram_count(model)) {
  for (std::uint8_t i = 0; i < count_; ++i) succeeded(i);
  for (std::uint8_t i = 0; i < model.detection_count; ++i) {
    const tables::DetectionDef& d = model.detections[i];
    if (d.trigger != tables::Trigger::authentication_failures) continue;
    if (d.level > 0) threshold_ = static_cast<std::uint32_t>(d.level);
    if (d.for_s > 0) lockout_s_ = d.for_s;
  }
}

std::uint32_t LoginGuard::locked_for_s(std::uint16_t association, std::uint32_t now_ms) const {
  if (association >= count_ || !rows_[association].locked) return 0;
  const std::int32_t left = remaining_ms(rows_[association].lockout_until_ms, now_ms);
  return left > 0 ? (static_cast<std::uint32_t>(left) + 999) / 1000 : 0;
}

std::uint32_t LoginGuard::failed(std::uint16_t association, std::uint32_t now_ms) {
  if (association >= count_) return 0;
  tables::AssociationRam& r = rows_[association];
  if (++r.login_failures < threshold_) return 0;
  const std::uint8_t doublings = r.lockouts < kMaxDoublings ? r.lockouts : kMaxDoublings;
  const std::uint64_t longer = static_cast<std::uint64_t>(lockout_s_) << doublings;
  const auto seconds = static_cast<std::uint32_t>(longer < kMaxLockoutS ? longer : kMaxLockoutS);
  if (r.lockouts < 0xFF) ++r.lockouts;
  r.login_failures = 0;
  r.locked = true;
  r.lockout_until_ms = now_ms + seconds * 1000u;
  return seconds;
}

void LoginGuard::succeeded(std::uint16_t association) {
  if (association >= count_) return;
  tables::AssociationRam& r = rows_[association];
  r.login_failures = 0;
  r.lockouts = 0;
  r.locked = false;
  r.lockout_until_ms = 0;
}

void LoginGuard::tick(std::uint32_t now_ms) {
  for (std::uint8_t i = 0; i < count_; ++i)
    if (rows_[i].locked && remaining_ms(rows_[i].lockout_until_ms, now_ms) <= 0) rows_[i].locked = false;
}

}  // namespace metergen::dlms
