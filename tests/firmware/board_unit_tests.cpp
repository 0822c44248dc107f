// Host unit tests of the mps2-an386 board code that touches no hardware:
// retained RAM (warm/cold decision, formatting, bounds), the RX ring buffer,
// log line formatting, the demo secrets, the random generator and the pacing
// of the simulated front end.
//
// Expected values: Unix times worked out by hand (comments), the demo secrets
// of docs/host-meter.md and the host meter's own secrets.conf writer (an
// independent implementation), and AES-128 from OpenSSL for the generator.
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <host_hal.hpp>
#include <model_registry.hpp>

#include "byte_ring.hpp"
#include "demo_secrets.hpp"
#include "front_end.hpp"
#include "line_writer.hpp"
#include "random_source.hpp"
#include "retained.hpp"

namespace {

using metergen::mps2::ByteRing;
using metergen::mps2::EntropyPool;
using metergen::mps2::Generator;
using metergen::mps2::LineWriter;
using metergen::mps2::RetainedMemory;
using metergen::mps2::SimulatedFrontEnd;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint64_t kEpochMs = 1704067200000ull;  // 2024-01-01T00:00:00Z
constexpr std::uint32_t kTag = 0x1234ABCD;

// Retained RAM over a plain buffer: 48 reserved bytes and 1 KiB of NVM.
class BoardRetained : public ::testing::Test {
 protected:
  alignas(8) std::array<std::uint8_t, 48 + 1024> region_{};
  RetainedMemory retained_{region_.data(), static_cast<std::uint32_t>(region_.size())};
};

TEST_F(BoardRetained, ZeroedRamIsAColdStartThatFormatsAndSetsTheClock) {
  EXPECT_EQ(retained_.nvm_size(), 1024u);
  EXPECT_EQ(retained_.open(kTag, kEpochMs), RetainedMemory::Start::cold);
  Bytes nvm(1024);
  ASSERT_TRUE(retained_.read(0, nvm.data(), nvm.size()));
  EXPECT_EQ(nvm, Bytes(1024, 0xFF));
  EXPECT_EQ(retained_.clock_ms(), kEpochMs);
}

TEST_F(BoardRetained, ASecondOpenIsWarmAndKeepsDataAndClock) {
  retained_.open(kTag, kEpochMs);
  const Bytes data{1, 2, 3, 4, 5};
  ASSERT_TRUE(retained_.write(1000, data.data(), data.size()));
  retained_.set_clock_ms(kEpochMs + 5000);
  retained_.advance_clock_ms();

  RetainedMemory again(region_.data(), static_cast<std::uint32_t>(region_.size()));
  EXPECT_EQ(again.open(kTag, kEpochMs), RetainedMemory::Start::warm);
  Bytes back(5);
  ASSERT_TRUE(again.read(1000, back.data(), back.size()));
  EXPECT_EQ(back, data);
  EXPECT_EQ(again.clock_ms(), kEpochMs + 5001);
}

TEST_F(BoardRetained, AnyDamagedHeaderByteMeansColdStart) {
  retained_.open(kTag, kEpochMs);
  const std::uint8_t marker = 0x42;
  // Magic, version, size, model tag and check: the first 20 bytes.
  for (std::size_t i = 0; i < 20; ++i) {
    ASSERT_TRUE(retained_.write(0, &marker, 1));
    retained_.set_clock_ms(kEpochMs + 7);
    region_[i] ^= 0x01;
    EXPECT_EQ(retained_.open(kTag, kEpochMs), RetainedMemory::Start::cold) << "header byte " << i;
    std::uint8_t first = 0;
    ASSERT_TRUE(retained_.read(0, &first, 1));
    EXPECT_EQ(first, 0xFF) << "header byte " << i;
    EXPECT_EQ(retained_.clock_ms(), kEpochMs);
  }
}

TEST_F(BoardRetained, AnotherModelsImageFormats) {
  retained_.open(RetainedMemory::model_tag("clms100"), kEpochMs);
  EXPECT_EQ(retained_.open(RetainedMemory::model_tag("dtsd545"), kEpochMs), RetainedMemory::Start::cold);
  EXPECT_NE(RetainedMemory::model_tag("clms100"), RetainedMemory::model_tag("dtsd545"));
}

TEST_F(BoardRetained, DamagedClockCellRestartsTheClockButKeepsTheNvm) {
  retained_.open(kTag, kEpochMs);
  const std::uint8_t value = 0x5A;
  ASSERT_TRUE(retained_.write(3, &value, 1));
  retained_.set_clock_ms(kEpochMs + 123456);
  region_[32] ^= 0x80;  // the clock cell starts at offset 32
  EXPECT_EQ(retained_.open(kTag, kEpochMs), RetainedMemory::Start::warm);
  EXPECT_EQ(retained_.clock_ms(), kEpochMs);
  std::uint8_t back = 0;
  ASSERT_TRUE(retained_.read(3, &back, 1));
  EXPECT_EQ(back, value);
}

TEST_F(BoardRetained, AccessesOutsideTheNvmFail) {
  retained_.open(kTag, kEpochMs);
  std::uint8_t b[2] = {7, 7};
  EXPECT_TRUE(retained_.write(1023, b, 1));
  EXPECT_TRUE(retained_.read(1024, b, 0));
  EXPECT_FALSE(retained_.write(1023, b, 2));
  EXPECT_FALSE(retained_.write(1024, b, 1));
  EXPECT_FALSE(retained_.read(0xFFFFFFFFu, b, 2));
  EXPECT_FALSE(retained_.read(1, b, SIZE_MAX));
}

TEST(BoardByteRing, KeepsOrderAcrossWrapAroundAndRefusesWhenFull) {
  ByteRing<8> ring;
  std::uint8_t next_in = 0, next_out = 0;
  for (int round = 0; round < 20; ++round) {
    while (ring.push(next_in)) ++next_in;
    EXPECT_TRUE(ring.full());
    std::uint8_t out[3];
    const std::size_t n = ring.pop(out, sizeof out);
    ASSERT_EQ(n, 3u);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], next_out++);
  }
  std::uint8_t rest[16];  // the last round left 8 - 3 bytes
  EXPECT_EQ(ring.pop(rest, sizeof rest), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(rest[i], next_out++);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.pop(rest, sizeof rest), 0u);
}

TEST(BoardLineWriter, FormatsUtcInstants) {
  char buffer[64];
  // 1704067200 s: 54 years of 365 days and 13 leap days (1972..2020) = 19723 days.
  EXPECT_STREQ(LineWriter(buffer, sizeof buffer).utc(kEpochMs).c_str(), "2024-01-01T00:00:00Z");
  // 2000-02-29: 10957 days to 2000-01-01 (30 years, 7 leap days), +31 +28 = 11016 days = 951782400 s; +1 h 2 min 3.999
  // s.
  EXPECT_STREQ(LineWriter(buffer, sizeof buffer).utc(951782400000ull + 3723999).c_str(), "2000-02-29T01:02:03Z");
  EXPECT_STREQ(LineWriter(buffer, sizeof buffer).utc(0).c_str(), "1970-01-01T00:00:00Z");
}

TEST(BoardLineWriter, FormatsNumbersAndCutsLongLines) {
  char buffer[64];
  EXPECT_STREQ(LineWriter(buffer, sizeof buffer).dec(0).text(" ").dec(18446744073709551615ull).c_str(),
               "0 18446744073709551615");
  EXPECT_STREQ(
      LineWriter(buffer, sizeof buffer).hex(0x21000030u, 8).text(" ").hex(0xAu).text(" ").hex(0xBEEFu, 6).c_str(),
      "21000030 A 00BEEF");
  char small[6];
  LineWriter cut(small, sizeof small);
  EXPECT_STREQ(cut.text("abcdefgh").dec(12).c_str(), "abcde");
  EXPECT_EQ(cut.size(), 5u);
}

// The compiled-in demo secrets equal what the host meter writes into a new
// secrets.conf, for every association of every seed model.
TEST(BoardDemoSecrets, EqualTheHostMetersDemoSecretsFile) {
  using metergen::hal::Secret;
  const std::map<Secret, std::string> key{
      {Secret::lls_password, "lls_password"}, {Secret::encryption_key, "ek"}, {Secret::authentication_key, "ak"}};
  for (const char* id : {METERGEN_SEED_MODEL_IDS}) {  // cmake/SeedModels.cmake
    const metergen::tables::Model* model = metergen::host::find_model(id);
    ASSERT_NE(model, nullptr) << id;
    std::map<std::string, Bytes> host;
    std::string error;
    ASSERT_TRUE(metergen::host::HostHal::parse_secrets(metergen::host::HostHal::demo_secrets(*model), &host, &error))
        << error;
    std::uint8_t out[32];
    const std::size_t n = metergen::mps2::demo_secret(*model, 0, Secret::server_system_title, out, sizeof out);
    EXPECT_EQ(Bytes(out, out + n), host["server_system_title"]) << id;
    for (std::uint8_t i = 0; i < model->association_count; ++i) {
      for (const auto& [kind, name] : key) {
        const std::string k = "sap." + std::to_string(model->associations[i].client_sap) + "." + name;
        const std::size_t got = metergen::mps2::demo_secret(*model, i, kind, out, sizeof out);
        const auto it = host.find(k);
        EXPECT_EQ(Bytes(out, out + got), it == host.end() ? Bytes{} : it->second) << id << " " << k;
      }
    }
  }
}

TEST(BoardDemoSecrets, Clms100AsDocumented) {
  using metergen::hal::Secret;
  const metergen::tables::Model& m = *metergen::host::find_model("clms100");
  auto index_of = [&](int sap) {
    for (std::uint8_t i = 0; i < m.association_count; ++i)
      if (m.associations[i].client_sap == sap) return i;
    return std::uint8_t{0xFF};
  };
  std::uint8_t out[16];
  // docs/host-meter.md: SAP 2 the password; SAP 1 the password and both keys; SAP 3 both keys; SAP 16 nothing.
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(2), Secret::lls_password, out, sizeof out), 8u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 8), "12345678");
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(2), Secret::encryption_key, out, sizeof out), 0u);
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(1), Secret::lls_password, out, sizeof out), 8u);
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(1), Secret::authentication_key, out, sizeof out), 16u);
  EXPECT_EQ(out[0], 0xD0);
  EXPECT_EQ(out[15], 0xDF);
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(3), Secret::lls_password, out, sizeof out), 0u);
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(3), Secret::encryption_key, out, sizeof out), 16u);
  for (Secret s : {Secret::lls_password, Secret::encryption_key, Secret::authentication_key})
    EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(16), s, out, sizeof out), 0u);
  EXPECT_EQ(metergen::mps2::demo_secret(m, index_of(1), Secret::encryption_key, out, 15), 0u);  // does not fit
  EXPECT_EQ(metergen::mps2::demo_secret(m, m.association_count, Secret::encryption_key, out, sizeof out), 0u);
}

// AES-128 of one block with OpenSSL.
Bytes aes(const Bytes& key, const Bytes& block) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(32);
  int n = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), nullptr, key.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EVP_EncryptUpdate(ctx, out.data(), &n, block.data(), static_cast<int>(block.size()));
  EVP_CIPHER_CTX_free(ctx);
  out.resize(16);
  return out;
}

// Counter block i: the counter little-endian in the first 8 bytes.
Bytes counter_block(std::uint64_t i) {
  Bytes b(16, 0);
  for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(i >> (8 * k));
  return b;
}

// The generator is what random_source.hpp says: AES-128-CTR, re-keyed from
// its own stream after each request, the seed folded in through the cipher.
TEST(BoardRandom, GeneratorIsRekeyedAesCounterMode) {
  Generator g;
  Bytes first(20);
  g.generate(first.data(), first.size());
  const Bytes zero_key(16, 0);
  Bytes expected = aes(zero_key, counter_block(0));
  const Bytes second_block = aes(zero_key, counter_block(1));
  expected.insert(expected.end(), second_block.begin(), second_block.begin() + 4);
  EXPECT_EQ(first, expected);

  const Bytes key2 = aes(zero_key, counter_block(2));
  Bytes next(16);
  g.generate(next.data(), next.size());
  EXPECT_EQ(next, aes(key2, counter_block(3)));

  const Bytes key3 = aes(key2, counter_block(4));
  std::uint8_t seed[EntropyPool::kBytes];
  for (std::size_t i = 0; i < sizeof seed; ++i) seed[i] = static_cast<std::uint8_t>(0xA0 + i);
  g.reseed(seed);
  Bytes seeded_input = counter_block(5);
  for (std::size_t i = 0; i < 16; ++i) seeded_input[i] ^= seed[i];
  const Bytes key4 = aes(key3, seeded_input);
  g.generate(next.data(), next.size());
  EXPECT_EQ(next, aes(key4, counter_block(6)));
}

// Each sample goes through a bijection of one pool word, so sequences that
// differ in any one sample leave different pools.
TEST(BoardRandom, ADifferentSampleAnywhereGivesADifferentPool) {
  const std::vector<std::uint32_t> base{0, 1, 0, 0xFFFFFFFFu, 12345, 7, 7, 7, 0};
  auto pool_of = [](const std::vector<std::uint32_t>& samples) {
    EntropyPool pool;
    for (std::uint32_t s : samples) pool.stir(s);
    Bytes out(EntropyPool::kBytes);
    pool.snapshot(out.data());
    return out;
  };
  const Bytes reference = pool_of(base);
  EXPECT_EQ(pool_of(base), reference);
  for (std::size_t i = 0; i < base.size(); ++i) {
    std::vector<std::uint32_t> changed = base;
    changed[i] ^= 0x100;
    EXPECT_NE(pool_of(changed), reference) << "sample " << i;
  }
}

// The simulated front end hands out 4 frames per millisecond (4 kHz) in the
// synthesizer's order, never more than were sampled, at most one second late.
class BoardFrontEnd : public ::testing::Test {
 protected:
  static constexpr metergen::simulation::Segment kSegment{
      "load", 60, 50.0, {{230, 5, 0, 0, 0, {}}, {230, 5, 0, -120, 0, {}}, {230, 5, 0, 120, 0, {}}}, -1};
  static constexpr metergen::simulation::Scenario kScenario{&kSegment, 1, false, 1, 0};

  const metergen::tables::Model& model_ = *metergen::host::find_model("dtsd545");
  SimulatedFrontEnd front_end_{model_, kScenario};
  // The same frames, straight from a synthesizer of its own.
  metergen::simulation::Synthesizer reference_{kScenario, metergen::simulation::front_end_for(model_.metering),
                                               model_.phases, model_.metering.neutral_current};

  void expect_next(const std::vector<metergen::hal::AdcFrame>& got) {
    for (const auto& frame : got) {
      metergen::hal::AdcFrame want{};
      reference_.next(want);
      EXPECT_EQ(std::memcmp(&frame, &want, sizeof frame), 0);
    }
  }
  std::vector<metergen::hal::AdcFrame> read(std::uint32_t now_ms, std::size_t cap) {
    std::vector<metergen::hal::AdcFrame> out(cap);
    out.resize(front_end_.read(now_ms, out.data(), cap));
    return out;
  }
};

TEST_F(BoardFrontEnd, HandsOutTheFramesSampledSoFar) {
  EXPECT_EQ(front_end_.front_end().sample_rate_hz, 4000u);
  front_end_.start(100);
  EXPECT_TRUE(read(100, 1000).empty());
  auto frames = read(110, 1000);  // 10 ms
  EXPECT_EQ(frames.size(), 40u);
  expect_next(frames);
  frames = read(120, 15);  // 40 more sampled, 15 taken
  EXPECT_EQ(frames.size(), 15u);
  expect_next(frames);
  frames = read(120, 1000);
  EXPECT_EQ(frames.size(), 25u);
  expect_next(frames);
  EXPECT_EQ(front_end_.skipped(), 0u);
}

TEST_F(BoardFrontEnd, KeepsOneSecondWhenTheReaderFallsBehind) {
  front_end_.start(0);
  auto frames = read(1, 1000);
  EXPECT_EQ(frames.size(), 4u);
  // 3 s later: 12000 sampled since, the oldest 8000 lost.
  frames = read(3001, 20000);
  EXPECT_EQ(frames.size(), 4000u);
  EXPECT_EQ(front_end_.skipped(), 8000u);
  EXPECT_TRUE(read(3001, 10).empty());
}

// A read stops at a segment boundary, so that each segment start is seen
// once: segments of 1 s (4,000 frames), the display button held and keys
// typed in the second, the cover open in the third, which is held.
TEST(BoardFrontEndSegments, AReadStopsAtEachSegmentStart) {
  using metergen::simulation::Segment;
  constexpr metergen::simulation::PhaseLoad kLoad{230, 5, 0, 0, 0, {}};
  const auto display = metergen::hal::button_bit(metergen::hal::Button::display);
  const auto cover = metergen::hal::input_bit(metergen::hal::Input::meter_cover_open);
  const Segment segments[] = {
      {"a", 1, 50.0, {kLoad, kLoad, kLoad}, -1},
      {"b", 1, 50.0, {kLoad, kLoad, kLoad}, -1, false, display, 0, false, "12#"},
      {"c", 1, 50.0, {kLoad, kLoad, kLoad}, -1, false, 0, cover},
  };
  const metergen::simulation::Scenario scenario{segments, 3, false, 1, 0};
  SimulatedFrontEnd front_end(*metergen::host::find_model("dtsd545"), scenario);
  std::vector<metergen::hal::AdcFrame> frames(20000);
  front_end.start(0);
  EXPECT_TRUE(front_end.take_segment_start()) << "the first segment starts with the scenario";
  EXPECT_FALSE(front_end.take_segment_start());
  EXPECT_EQ(front_end.read(900, frames.data(), frames.size()), 3600u);  // 4 per ms, all in 'a'
  EXPECT_FALSE(front_end.take_segment_start());
  EXPECT_EQ(front_end.read(1500, frames.data(), frames.size()), 400u) << "2,400 due, 400 left in 'a'";
  EXPECT_TRUE(front_end.take_segment_start());
  EXPECT_EQ(front_end.segment_index(), 1u);
  EXPECT_EQ(front_end.segment().buttons, display);
  EXPECT_STREQ(front_end.segment().keys, "12#");
  EXPECT_EQ(front_end.read(1500, frames.data(), frames.size()), 2000u) << "the rest due, in 'b'";
  EXPECT_FALSE(front_end.take_segment_start());
  EXPECT_EQ(front_end.read(2400, frames.data(), frames.size()), 2000u) << "3,600 due, 2,000 left in 'b'";
  EXPECT_TRUE(front_end.take_segment_start());
  EXPECT_EQ(front_end.segment().inputs, cover);
  EXPECT_EQ(front_end.read(2400, frames.data(), frames.size()), 1600u) << "'c' is held: the rest due";
  EXPECT_FALSE(front_end.take_segment_start());
  EXPECT_EQ(front_end.skipped(), 0u);
}

TEST_F(BoardFrontEnd, CountsAcrossTheTickWrapAround) {
  front_end_.start(0xFFFFFFF0u);
  EXPECT_EQ(read(0x10u, 1000).size(), 128u);  // 32 ms
}

}  // namespace
