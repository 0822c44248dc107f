// Small floating-point functions for metrology's once-per-second maths (in
// float, which the Cortex-M4's FPU executes) and its compile-time tables (in
// double), so that the runtime never calls libm (<cmath> is not available to
// firmware). Each function is a template over float and double; a double
// overload takes integer arguments.
//
// Owns: square root, sine/cosine, atan2 and rounding to an integer. May use:
// <bit>, <concepts>, <cstdint> and <limits> only. Everything is constexpr, so
// tables are built by the compiler from these same functions.
//
// Accuracy (checked against libm in tests/runtime/test_metrology_math.cpp):
// double: sqrt within 1 ulp; sin_cos within 4e-16 absolute for |x| <= 2^20
// rad; atan2 within 1e-15 rad. float: sqrt within 1 ulp; sin_cos within 2e-7
// absolute for |x| <= 2 pi; atan2 within 4e-7 rad.
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>

namespace metergen::metrology::math {

inline constexpr double kPi = 3.14159265358979323846;

// Nearest integer, halves away from zero. |x| must fit an int64. From
// 2^(digits - 1) on every value is an integer (and adding a half would round
// to even), so it is converted as it is.
template <std::floating_point T>
constexpr std::int64_t round_to_int(T x) {
  constexpr T kWhole = static_cast<T>(std::uint64_t{1} << (std::numeric_limits<T>::digits - 1));
  if (x >= kWhole || x <= -kWhole) return static_cast<std::int64_t>(x);
  return static_cast<std::int64_t>(x >= 0 ? x + T(0.5) : x - T(0.5));
}

// sqrt(x) for x >= 0 (0 for anything else). A first guess from halving the
// binary exponent, then Newton steps, each of which doubles the correct bits.
template <std::floating_point T>
constexpr T sqrt(T x) {
  if (!(x > 0)) return 0;
  if (x > std::numeric_limits<T>::max()) return x;  // infinity stays infinity
  // Halving the bit pattern roughly halves log2(x): for a normal x the guess is
  // within a factor of 1.5 of the root, and 7 steps (5 for float) leave no
  // error to remove.
  T r;
  int steps;
  if constexpr (sizeof(T) == sizeof(std::uint64_t)) {
    r = std::bit_cast<T>((std::bit_cast<std::uint64_t>(x) >> 1) + 0x1FF8000000000000ull);
    steps = 7;
  } else {
    r = std::bit_cast<T>((std::bit_cast<std::uint32_t>(x) >> 1) + 0x1FC00000u);
    steps = 5;
  }
  for (int k = 0; k < steps; ++k) r = T(0.5) * (r + x / r);
  return r;
}
constexpr double sqrt(double x) { return sqrt<double>(x); }

template <std::floating_point T>
struct SinCos {
  T sin;
  T cos;
};

// sin and cos of x radians. The angle is reduced to |r| <= pi/4 around the
// nearest multiple of pi/2 (pi/2 split in two parts, so the reduction itself
// loses nothing for the angles metrology uses), then both series are summed
// term by term until the terms vanish (at most 11 terms for |r| <= pi/4).
template <std::floating_point T>
constexpr SinCos<T> sin_cos(T x) {
  // pi/2 = kHalfPiHi + kHalfPiLo, the first part short enough that q times it is exact.
  constexpr bool kDouble = sizeof(T) == sizeof(double);
  constexpr T kHalfPiHi = kDouble ? T(1.5707963267341256) : T(1.5703125);         // 33 bits; 8 bits
  constexpr T kHalfPiLo = kDouble ? T(6.077100506506192e-11) : T(4.8382679e-4);  // the rest
  const std::int64_t q = round_to_int(x * T(2 / kPi));
  const T r = (x - static_cast<T>(q) * kHalfPiHi) - static_cast<T>(q) * kHalfPiLo;
  const T r2 = r * r;
  T s = r, c = 1, ts = r, tc = 1;
  for (int n = 1; n <= 11; ++n) {
    ts *= -r2 / static_cast<T>((2 * n) * (2 * n + 1));
    tc *= -r2 / static_cast<T>((2 * n - 1) * (2 * n));
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
constexpr SinCos<double> sin_cos(double x) { return sin_cos<double>(x); }

// atan(z) for 0 <= z <= 1: two half-angle steps, atan(z) = 2 atan(z / (1 +
// sqrt(1 + z^2))), bring z below tan(pi/16) ~ 0.199, where the alternating
// series converges to double precision within 11 terms.
template <std::floating_point T>
constexpr T atan_unit(T z) {
  T scale = 1;
  for (int k = 0; k < 2; ++k) {
    z = z / (1 + sqrt(1 + z * z));
    scale *= 2;
  }
  const T z2 = z * z;
  T sum = 0, power = z;
  for (int n = 0; n < 12; ++n) {
    sum += (n % 2 == 0 ? power : -power) / static_cast<T>(2 * n + 1);
    power *= z2;
  }
  return scale * sum;
}

// The angle of (x, y) in radians, in (-pi, pi]; 0 for (0, 0).
template <std::floating_point T>
constexpr T atan2(T y, T x) {
  const T ax = x < 0 ? -x : x, ay = y < 0 ? -y : y;
  if (ax == 0 && ay == 0) return 0;
  // First octant angle, then unfold by the swapped and negated axes.
  T a = ay <= ax ? atan_unit(ay / ax) : T(kPi / 2) - atan_unit(ax / ay);
  if (x < 0) a = T(kPi) - a;
  return y < 0 ? -a : a;
}
constexpr double atan2(double y, double x) { return atan2<double>(y, x); }

}  // namespace metergen::metrology::math
