// Small double-precision functions for metrology's once-per-second maths and
// its compile-time tables, so that the runtime never calls libm (<cmath> is
// not available to firmware, and on Cortex-M4 double is soft-float anyway).
//
// Owns: square root, sine/cosine, atan2 and rounding to an integer. May use:
// <bit> and <cstdint> only. Everything is constexpr, so tables are built by the
// compiler from these same functions.
//
// Accuracy (checked against libm in tests/runtime/test_metrology_math.cpp):
// sqrt within 1 ulp; sin_cos within 4e-16 absolute for |x| <= 2^20 rad;
// atan2 within 1e-15 rad.
#pragma once

#include <bit>
#include <cstdint>

namespace metergen::metrology::math {

inline constexpr double kPi = 3.14159265358979323846;

// Nearest integer, halves away from zero. |x| must fit an int64.
constexpr std::int64_t round_to_int(double x) {
  return static_cast<std::int64_t>(x >= 0 ? x + 0.5 : x - 0.5);
}

// sqrt(x) for x >= 0 (0 for anything else). A first guess from halving the
// binary exponent, then Newton steps, each of which doubles the correct bits.
constexpr double sqrt(double x) {
  if (!(x > 0)) return 0;
  if (x > 1.7e308) return x;  // infinity stays infinity
  // Halving the bit pattern roughly halves log2(x): for a normal x the guess is
  // within a factor of 1.5 of the root, and 7 steps leave no error to remove.
  double r = std::bit_cast<double>((std::bit_cast<std::uint64_t>(x) >> 1) + 0x1FF8000000000000ull);
  for (int k = 0; k < 7; ++k) r = 0.5 * (r + x / r);
  return r;
}

struct SinCos {
  double sin;
  double cos;
};

// sin and cos of x radians. The angle is reduced to |r| <= pi/4 around the
// nearest multiple of pi/2 (pi/2 split in two parts, so the reduction itself
// loses nothing for the angles metrology uses), then both series are summed
// term by term until the terms vanish (at most 11 terms for |r| <= pi/4).
constexpr SinCos sin_cos(double x) {
  constexpr double kHalfPiHi = 1.5707963267341256;     // pi/2, first 33 bits
  constexpr double kHalfPiLo = 6.077100506506192e-11;  // pi/2 - kHalfPiHi
  const std::int64_t q = round_to_int(x * (2 / kPi));
  const double r = (x - static_cast<double>(q) * kHalfPiHi) - static_cast<double>(q) * kHalfPiLo;
  const double r2 = r * r;
  double s = r, c = 1, ts = r, tc = 1;
  for (int n = 1; n <= 11; ++n) {
    ts *= -r2 / ((2 * n) * (2 * n + 1));
    tc *= -r2 / ((2 * n - 1) * (2 * n));
    s += ts;
    c += tc;
  }
  switch (q & 3) {
    case 0: return {s, c};
    case 1: return {c, -s};
    case 2: return {-s, -c};
    default: return {-c, s};
  }
}

// atan(z) for 0 <= z <= 1: two half-angle steps, atan(z) = 2 atan(z / (1 +
// sqrt(1 + z^2))), bring z below tan(pi/16) ~ 0.199, where the alternating
// series converges to double precision within 11 terms.
constexpr double atan_unit(double z) {
  double scale = 1;
  for (int k = 0; k < 2; ++k) {
    z = z / (1 + sqrt(1 + z * z));
    scale *= 2;
  }
  const double z2 = z * z;
  double sum = 0, power = z;
  for (int n = 0; n < 12; ++n) {
    sum += (n % 2 == 0 ? power : -power) / (2 * n + 1);
    power *= z2;
  }
  return scale * sum;
}

// The angle of (x, y) in radians, in (-pi, pi]; 0 for (0, 0).
constexpr double atan2(double y, double x) {
  const double ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
  if (ax == 0 && ay == 0) return 0;
  // First octant angle, then unfold by the swapped and negated axes.
  double a = ay <= ax ? atan_unit(ay / ax) : kPi / 2 - atan_unit(ax / ay);
  if (x < 0) a = kPi - a;
  return y < 0 ? -a : a;
}

}  // namespace metergen::metrology::math
