// Period reductions of the readings (see metering/period_values.hpp).
#include <metergen/metering/period_values.hpp>

namespace metergen::metering {

namespace {

constexpr int kPhases = metrology::kMaxPhases;
constexpr int kQuantities = energy::kEnergyQuantities;

// The readings as one flat list of fields, in a fixed order.
void gather(const metrology::Readings& r, const energy::SecondPowers& p, std::int32_t total_pf, std::int64_t* f) {
  for (int i = 0; i < kPhases; ++i) {
    const metrology::PhaseReadings& ph = r.phase[i];
    *f++ = ph.voltage_uv;
    *f++ = ph.current_ua;
    *f++ = ph.power_factor_milli;
    *f++ = ph.thd_voltage_ppm;
    *f++ = ph.thd_current_ppm;
  }
  *f++ = r.neutral_current_ua;
  *f++ = r.frequency_mhz;
  *f++ = total_pf;
  for (int i = 0; i <= kPhases; ++i)
    for (int q = 0; q < kQuantities; ++q) *f++ = p.phase[i].uw[q];
}

std::int32_t scatter(const std::int64_t* f, metrology::Readings& r, energy::SecondPowers& p) {
  for (int i = 0; i < kPhases; ++i) {
    metrology::PhaseReadings& ph = r.phase[i];
    ph.voltage_uv = *f++;
    ph.current_ua = *f++;
    ph.power_factor_milli = static_cast<std::int32_t>(*f++);
    ph.thd_voltage_ppm = static_cast<std::uint32_t>(*f++);
    ph.thd_current_ppm = static_cast<std::uint32_t>(*f++);
  }
  r.neutral_current_ua = *f++;
  r.frequency_mhz = static_cast<std::uint32_t>(*f++);
  const auto total_pf = static_cast<std::int32_t>(*f++);
  for (int i = 0; i <= kPhases; ++i)
    for (int q = 0; q < kQuantities; ++q) p.phase[i].uw[q] = *f++;
  return total_pf;
}

std::int64_t divide_rounded(std::int64_t sum, std::uint32_t n) {
  const std::int64_t half = n / 2;
  return sum >= 0 ? (sum + half) / n : -((-sum + half) / n);
}

}  // namespace

void PeriodValues::add(const metrology::Readings& r, const energy::SecondPowers& p, std::int32_t total_pf_milli) {
  std::int64_t f[kFields];
  gather(r, p, total_pf_milli, f);
  if (seconds_ == 0) {
    for (int i = 0; i < kFields; ++i) sum_[i] = max_[i] = min_[i] = f[i];
  } else {
    for (int i = 0; i < kFields; ++i) {
      sum_[i] += f[i];
      if (f[i] > max_[i]) max_[i] = f[i];
      if (f[i] < min_[i]) min_[i] = f[i];
    }
  }
  ++seconds_;
}

std::int32_t PeriodValues::reduce(Reduction how, metrology::Readings& r, energy::SecondPowers& p) const {
  if (seconds_ == 0) return 1000;
  std::int64_t f[kFields];
  for (int i = 0; i < kFields; ++i) {
    switch (how) {
      case Reduction::average: f[i] = divide_rounded(sum_[i], seconds_); break;
      case Reduction::maximum: f[i] = max_[i]; break;
      case Reduction::minimum: f[i] = min_[i]; break;
    }
  }
  return scatter(f, r, p);
}

}  // namespace metergen::metering
