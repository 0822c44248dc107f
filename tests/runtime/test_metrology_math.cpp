// metrology/scalar_math.hpp against libm: the runtime's own sqrt, sin/cos and
// atan2 (firmware calls no libm) over the ranges metrology uses and beyond.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include <metergen/metrology/scalar_math.hpp>

namespace {

namespace math = metergen::metrology::math;

// A fixed pseudo-random sequence in [0, 1).
struct Uniform {
  std::uint64_t state = 0x243F6A8885A308D3ull;
  double operator()() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

TEST(MetrologyMath, SqrtWithinOneUlp) {
  EXPECT_EQ(math::sqrt(0), 0);
  EXPECT_EQ(math::sqrt(-4), 0);
  EXPECT_EQ(math::sqrt(4), 2);
  EXPECT_EQ(math::sqrt(1e-300 * 1e-300), 0);  // underflowed to 0
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const double x = std::ldexp(0.5 + u(), static_cast<int>(u() * 400) - 200);
    const double want = std::sqrt(x);
    EXPECT_LE(std::abs(math::sqrt(x) - want), std::nextafter(want, 1e300) - want) << x;
  }
}

TEST(MetrologyMath, SinCosMatchLibm) {
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const double x = (u() - 0.5) * (k < 10000 ? 20 : 2e6);
    const auto sc = math::sin_cos(x);
    EXPECT_NEAR(sc.sin, std::sin(x), 4e-16) << x;
    EXPECT_NEAR(sc.cos, std::cos(x), 4e-16) << x;
  }
  EXPECT_EQ(math::sin_cos(0).sin, 0);
  EXPECT_EQ(math::sin_cos(0).cos, 1);
}

TEST(MetrologyMath, Atan2MatchesLibmInEveryQuadrant) {
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const double y = (u() - 0.5) * std::ldexp(1, static_cast<int>(u() * 40) - 20);
    const double x = (u() - 0.5) * std::ldexp(1, static_cast<int>(u() * 40) - 20);
    EXPECT_NEAR(math::atan2(y, x), std::atan2(y, x), 1e-15) << y << " " << x;
  }
  EXPECT_EQ(math::atan2(0, 0), 0);
  EXPECT_DOUBLE_EQ(math::atan2(1, 0), math::kPi / 2);
  EXPECT_DOUBLE_EQ(math::atan2(0, -1), math::kPi);
  EXPECT_DOUBLE_EQ(math::atan2(-1, -1), -3 * math::kPi / 4);
}

TEST(MetrologyMath, RoundHalvesAwayFromZero) {
  EXPECT_EQ(math::round_to_int(2.5), 3);
  EXPECT_EQ(math::round_to_int(-2.5), -3);
  EXPECT_EQ(math::round_to_int(2.4999), 2);
  EXPECT_EQ(math::round_to_int(-0.4), 0);
  EXPECT_EQ(math::round_to_int(1e15 + 0.5), 1000000000000001);
}

// The float versions, which the once-a-second maths uses (the Cortex-M4's FPU
// is single precision), against libm in double.
TEST(MetrologyMath, FloatSqrtWithinOneUlp) {
  EXPECT_EQ(math::sqrt(0.0f), 0);
  EXPECT_EQ(math::sqrt(-4.0f), 0);
  EXPECT_EQ(math::sqrt(4.0f), 2);
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const float x = std::ldexp(static_cast<float>(0.5 + u()), static_cast<int>(u() * 200) - 100);
    const float want = std::sqrt(x);
    EXPECT_LE(std::abs(math::sqrt(x) - want), std::nextafter(want, 1e30f) - want) << x;
  }
}

TEST(MetrologyMath, FloatSinCosMatchLibm) {
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const auto x = static_cast<float>((u() - 0.5) * 4 * math::kPi);
    const auto sc = math::sin_cos(x);
    EXPECT_NEAR(sc.sin, std::sin(static_cast<double>(x)), 2e-7) << x;
    EXPECT_NEAR(sc.cos, std::cos(static_cast<double>(x)), 2e-7) << x;
  }
}

TEST(MetrologyMath, FloatAtan2MatchesLibmInEveryQuadrant) {
  Uniform u;
  for (int k = 0; k < 20000; ++k) {
    const auto y = static_cast<float>((u() - 0.5) * std::ldexp(1, static_cast<int>(u() * 40) - 20));
    const auto x = static_cast<float>((u() - 0.5) * std::ldexp(1, static_cast<int>(u() * 40) - 20));
    EXPECT_NEAR(math::atan2(y, x), std::atan2(static_cast<double>(y), static_cast<double>(x)), 4e-7) << y << " " << x;
  }
  EXPECT_EQ(math::atan2(0.0f, 0.0f), 0);
}

TEST(MetrologyMath, FloatRoundHalvesAwayFromZero) {
  EXPECT_EQ(math::round_to_int(2.5f), 3);
  EXPECT_EQ(math::round_to_int(-2.5f), -3);
  EXPECT_EQ(math::round_to_int(-0.4f), 0);
  // From 2^23 on every float is an integer: 8388609 + 0.5 would round to even (8388610).
  EXPECT_EQ(math::round_to_int(8388609.0f), 8388609);
  EXPECT_EQ(math::round_to_int(-8388609.0f), -8388609);
  EXPECT_EQ(math::round_to_int(1.0e12f), 999999995904);  // the float nearest 1e12
}

}  // namespace
