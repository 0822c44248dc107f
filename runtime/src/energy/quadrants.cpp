// Quadrant mapping and transformer ratios (see energy/quadrants.hpp).
#include <metergen/energy/quadrants.hpp>

namespace metergen::energy {

using tables::Quantity;

namespace {

constexpr std::uint64_t kInt64Max = 0x7FFFFFFFFFFFFFFFull;

// a + b, saturated: absurd ratios a client may set must not wrap a sum.
std::int64_t add_saturated(std::int64_t a, std::int64_t b) {
  std::int64_t sum;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? static_cast<std::int64_t>(kInt64Max) : -static_cast<std::int64_t>(kInt64Max);
}

}  // namespace

std::int64_t mul_ratio(std::int64_t v, std::uint32_t num, std::uint32_t den) {
  if (num == den) return v;  // a ratio of one (direct connection): every second, for every value
  const bool negative = v < 0;
  const std::uint64_t m = negative ? 0u - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  // m * num / den = q * num + r * num / den with m = q * den + r; r * num < 2^64.
  const std::uint64_t q = m / den, r = m % den;
  if (num != 0 && q > kInt64Max / num) return negative ? -static_cast<std::int64_t>(kInt64Max) : static_cast<std::int64_t>(kInt64Max);
  const std::uint64_t whole = q * num;
  const std::uint64_t part = (r * num + den / 2) / den;
  const std::uint64_t out = whole > kInt64Max - part ? kInt64Max : whole + part;
  return negative ? -static_cast<std::int64_t>(out) : static_cast<std::int64_t>(out);
}

QuantityPowers split_quadrants(std::int64_t p, std::int64_t q, std::int64_t s) {
  QuantityPowers out{};
  const bool import = p >= 0;
  const std::int64_t p_abs = import ? p : -p;
  const std::int64_t q_abs = q >= 0 ? q : -q;
  out[Quantity::active_import] = import ? p : 0;
  out[Quantity::active_export] = import ? 0 : p_abs;
  out[Quantity::reactive_import] = q > 0 ? q : 0;   // QI + QII
  out[Quantity::reactive_export] = q < 0 ? q_abs : 0;  // QIII + QIV
  out[Quantity::reactive_q1] = import && q > 0 ? q : 0;
  out[Quantity::reactive_q2] = !import && q > 0 ? q : 0;
  out[Quantity::reactive_q3] = !import && q < 0 ? q_abs : 0;
  out[Quantity::reactive_q4] = import && q < 0 ? q_abs : 0;
  out[Quantity::apparent_import] = import ? s : 0;
  out[Quantity::apparent_export] = import ? 0 : s;
  out[Quantity::active_absolute] = p_abs;
  out[Quantity::active_net] = p;
  return out;
}

SecondPowers map_quadrants(const metrology::Readings& r, const Ratios& ratios) {
  SecondPowers out{};
  const int phases = r.phases < metrology::kMaxPhases ? r.phases : metrology::kMaxPhases;
  std::int64_t p_sum = 0, q_sum = 0, s_sum = 0;
  for (int i = 0; i < phases; ++i) {
    const metrology::PhaseReadings& ph = r.phase[i];
    const std::int64_t p = primary_power(ph.active_uw, ratios);
    const std::int64_t q = primary_power(ph.reactive_uvar, ratios);
    const std::int64_t s = primary_power(ph.apparent_uva, ratios);
    out.phase[i + 1] = split_quadrants(p, q, s);
    p_sum = add_saturated(p_sum, p);
    q_sum = add_saturated(q_sum, q);
    s_sum = add_saturated(s_sum, s);
  }
  out.phase[0] = split_quadrants(p_sum, q_sum, s_sum);
  return out;
}

}  // namespace metergen::energy
