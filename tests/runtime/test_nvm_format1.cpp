// An NVM image written by the firmware before NVM format 2 (tests/fixtures/nvm:
// an HXF300 EU host meter after four hours of metering, two client settings
// and ciphered reads) boots with every value that firmware reported from it,
// converted once into format 2's records; a conversion cut short by a power
// failure is finished at the next boot.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <hxf300-eu/model.hpp>
#include <metergen/dlms/server.hpp>

#include "../support/nvm_emulator.hpp"

namespace {

namespace hxf = metergen::models::hxf300_eu;
namespace obj = hxf::objects;
using Bytes = std::vector<std::uint8_t>;
using metergen::ByteWriter;
using metergen::test::NvmEmulator;

const std::string kFixture = std::string(METERGEN_SOURCE_DIR) + "/tests/fixtures/nvm/hxf300-eu-format1";

Bytes format1_image() {
  Bytes out;
  FILE* gz = popen(("gzip -dc " + kFixture + ".nvm.gz").c_str(), "r");
  if (gz == nullptr) return out;
  std::uint8_t buf[65536];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, gz)) > 0;) out.insert(out.end(), buf, buf + n);
  pclose(gz);
  return out;
}

nlohmann::json expected() {
  std::ifstream in(kFixture + ".json");
  return nlohmann::json::parse(in);
}

// The A-XDR encoding of a value as `metergen read --format json` prints it.
void encode(const nlohmann::json& v, Bytes& out) {
  const std::string type = v.at("type");
  const auto integer = [&](std::uint8_t tag, int bytes) {
    out.push_back(tag);
    const long long x = v.at("value").get<long long>();
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
  };
  if (type == "array" || type == "structure") {
    out.push_back(type == "array" ? 0x01 : 0x02);
    out.push_back(static_cast<std::uint8_t>(v.at("value").size()));
    for (const auto& item : v.at("value")) encode(item, out);
  } else if (type == "octet-string") {
    const std::string hex = v.at("value");
    out.push_back(0x09);
    out.push_back(static_cast<std::uint8_t>(hex.size() / 2));
    for (std::size_t i = 0; i < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  } else if (type == "null-data") {
    out.push_back(0x00);
  } else if (type == "boolean") {
    out.push_back(0x03);
    out.push_back(v.at("value").get<bool>() ? 1 : 0);
  } else if (type == "double-long") integer(0x05, 4);
  else if (type == "double-long-unsigned") integer(0x06, 4);
  else if (type == "integer") integer(0x0F, 1);
  else if (type == "long") integer(0x10, 2);
  else if (type == "unsigned") integer(0x11, 1);
  else if (type == "long-unsigned") integer(0x12, 2);
  else if (type == "long64") integer(0x14, 8);
  else if (type == "long64-unsigned") integer(0x15, 8);
  else if (type == "enum") integer(0x16, 1);
  else ADD_FAILURE() << "type " << type << " not in this test's encoder";
}

class Format1 : public ::testing::Test {
 protected:
  NvmEmulator hal{4u << 20};

  void SetUp() override {
    const Bytes image = format1_image();
    ASSERT_EQ(image.size(), 946384u) << "tests/fixtures/nvm/README.md";
    std::copy(image.begin(), image.end(), hal.nvm.begin());
    // The host meter's file reads zeros where nothing was written.
    std::fill(hal.nvm.begin() + static_cast<long>(image.size()), hal.nvm.end(), 0);
  }

  static Bytes read(metergen::dlms::Meter& m, std::uint16_t object, std::int8_t attribute) {
    Bytes out(64 * 1024);
    ByteWriter w(out.data(), out.size());
    EXPECT_EQ(m.objects().read(object, attribute, w), metergen::dlms::DataAccessResult::success);
    out.resize(w.size());
    return out;
  }
  static Bytes buffer(metergen::dlms::Meter& m, std::uint16_t profile) {
    Bytes out(64 * 1024);
    ByteWriter w(out.data(), out.size());
    EXPECT_EQ(m.profiles().get(profile, 2, nullptr, w), metergen::dlms::DataAccessResult::success);
    out.resize(w.size());
    return out;
  }
  static Bytes dlu(std::uint32_t v) {
    return {0x06, static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
  }

  // Every value the fixture lists, as the meter now reports it.
  void expect_fixture_values(metergen::dlms::Meter& m) {
    const nlohmann::json e = expected();
    EXPECT_EQ(read(m, obj::active_import_energy, 2), dlu(e["registers"]["1.0.1.8.0.255"]));
    EXPECT_EQ(read(m, obj::active_import_energy_t1, 2), dlu(e["registers"]["1.0.1.8.1.255"]));
    EXPECT_EQ(read(m, obj::active_export_energy, 2), dlu(e["registers"]["1.0.2.8.0.255"]));
    EXPECT_EQ(read(m, obj::reactive_q1_energy, 2), dlu(e["registers"]["1.0.5.8.0.255"]));
    EXPECT_EQ(read(m, obj::limiter, 4), dlu(e["limiter_threshold_normal"]["value"]));
    EXPECT_EQ(read(m, obj::disconnect_control, 2), (Bytes{0x03, 0x01}));
    EXPECT_EQ(read(m, obj::disconnect_control, 3), (Bytes{0x16, e["disconnect"]["control_state"]}));
    EXPECT_EQ(read(m, obj::disconnect_control, 4), (Bytes{0x16, e["disconnect"]["control_mode"]}));
    const std::int16_t tz = e["clock_time_zone"];
    EXPECT_EQ(read(m, obj::clock, 3), (Bytes{0x10, static_cast<std::uint8_t>(tz >> 8), static_cast<std::uint8_t>(tz)}));
    EXPECT_EQ(read(m, obj::current_tariff, 2), (Bytes{0x11, e["current_tariff"]}));
    for (const auto& [ln, object] : {std::pair{"1.0.99.1.0.255", obj::load_profile_1}, {"1.0.99.2.0.255", obj::load_profile_2}}) {
      Bytes want;
      encode(e["profiles"][ln], want);
      std::uint16_t profile = 0;
      while (hxf::model.profiles[profile].object != object) ++profile;
      EXPECT_EQ(buffer(m, profile), want) << ln;
    }
    // Replay protection holds: no client counter the old firmware accepted is accepted again,
    // and no server counter it used is used again.
    const std::uint16_t a = e["frame_counters"]["association"];
    EXPECT_GE(m.expected_client_counter(a), e["frame_counters"]["expected_client"].get<std::uint32_t>());
    EXPECT_FALSE(m.accept_client_counter(a, e["frame_counters"]["expected_client"].get<std::uint32_t>() - 1));
    EXPECT_GT(m.next_server_counter(a), e["frame_counters"]["last_server"].get<std::uint32_t>());
  }
};

TEST_F(Format1, BootsWithEveryReportedValueAndConvertsOnce) {
  {
    metergen::dlms::Meter meter(hxf::model, hal);
    meter.boot();
    EXPECT_NE(std::find(hal.logs.begin(), hal.logs.end(), "storage: NVM format 1 image converted"), hal.logs.end());
    expect_fixture_values(meter);
  }
  hal.logs.clear();
  metergen::dlms::Meter again(hxf::model, hal);
  again.boot();
  EXPECT_TRUE(hal.logs.empty()) << hal.logs.front();
  expect_fixture_values(again);
}

// A power cut at write k of the conversion, for k over the conversion's writes
// (every one of the records' writes, a sample of the copy's): the next boot
// converts or finishes converting, and nothing is lost.
TEST_F(Format1, APowerCutDuringTheConversionLosesNothing) {
  const Bytes pristine = hal.nvm;
  std::uint64_t total = 0;
  {
    metergen::dlms::Meter meter(hxf::model, hal);
    meter.boot();
    total = hal.writes;
  }
  ASSERT_GT(total, 100u);
  int tried = 0;
  // The copy's writes (all but the last few hundred) sampled, the records' writes all.
  const std::uint64_t records_from = total - 300;
  for (std::uint64_t cut = 0; cut < total; cut = cut + 997 < records_from ? cut + 997 : std::max(cut + 1, records_from)) {
    hal.nvm = pristine;
    hal.cut_power_after(static_cast<long>(cut), 3);
    {
      metergen::dlms::Meter interrupted(hxf::model, hal);
      interrupted.boot();
    }
    hal.restore_power();
    metergen::dlms::Meter meter(hxf::model, hal);
    meter.boot();
    SCOPED_TRACE("power cut at write " + std::to_string(cut));
    expect_fixture_values(meter);
    ++tried;
    if (HasFailure()) break;
  }
  std::printf("format 1 conversion: %d power-cut points tried of %llu writes, 0 values lost\n", tried,
              static_cast<unsigned long long>(total));
}

}  // namespace
