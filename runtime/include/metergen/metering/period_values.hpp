// Averages, maxima and minima of the per-second readings over a period (the
// capture period of the profile that records them: OBIS D = 5 average, 16
// maximum, 3 minimum, and the THD averages).
//
// Owns: one running reduction (sum, maximum, minimum per field) of every
// readings field an average, maximum or minimum object can show: per phase the
// voltage, current, power factor and THD of voltage and current, the neutral
// current, the frequency and every quadrant power of the phases and their sum.
// Adding a second costs the same whatever the model (about 65 fields), so the
// objects are computed only when their period closes, from the reduced readings,
// by the same conversion as the instantaneous values. May call: nothing but the
// readings and powers types. Freestanding, no heap.
#pragma once

#include <cstdint>

#include <metergen/energy/powers.hpp>
#include <metergen/metrology/readings.hpp>

namespace metergen::metering {

class PeriodValues {
 public:
  enum class Reduction : std::uint8_t { average, maximum, minimum };

  // One metering second; `total_pf_milli` is the power factor of the phases' sum
  // (not a readings field: the engine computes it from the powers).
  void add(const metrology::Readings& r, const energy::SecondPowers& p, std::int32_t total_pf_milli);
  // Seconds added since the last clear().
  std::uint32_t seconds() const { return seconds_; }
  // The reduced readings and powers: `r` and `p` keep what is not reduced (the
  // phase count, angles, presence flags) and take the reduction of every field.
  // Averages round half away from zero. Returns the reduced total power factor.
  // Nothing changes (and 1000 is returned) when no second was added.
  std::int32_t reduce(Reduction how, metrology::Readings& r, energy::SecondPowers& p) const;
  // Starts a new period.
  void clear() { seconds_ = 0; }

  // Reduced fields: 5 per phase, neutral current, frequency, total power
  // factor, and every energy quantity of the phases and their sum.
  static constexpr int kPhaseFields = 5;
  static constexpr int kFields =
      kPhaseFields * metrology::kMaxPhases + 3 + (metrology::kMaxPhases + 1) * energy::kEnergyQuantities;

 private:
  std::int64_t sum_[kFields]{};
  std::int64_t max_[kFields]{};
  std::int64_t min_[kFields]{};
  std::uint32_t seconds_ = 0;
};

}  // namespace metergen::metering
