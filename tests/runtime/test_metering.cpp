// The metering engine inside the Meter: Readings in, COSEM register values out
// (clms100 single phase, hxf300-eu three phases behind CT/VT, and a five-register
// model written here for the scalers and the clamping). Every expected value is
// worked out by hand in the comments: value = physical / 10^scaler, A-XDR
// integers big-endian after their tag (06 double-long-unsigned, 05 double-long,
// 12 long-unsigned, 10 long, 11 unsigned, 15 long64-unsigned).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include <clms100/model.hpp>
#include <hxf300-eu/model.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/metering/register_values.hpp>
#include <metergen/simulation/synthesizer.hpp>

#include "hex_bytes.hpp"
#include "metering_test_hal.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::dlms::Meter;
using metergen::metrology::Readings;
using metergen::test::hex;
using metergen::test::MeteringHal;
using Bytes = std::vector<std::uint8_t>;
namespace clms = metergen::models::clms100;
namespace hxf = metergen::models::hxf300_eu;
namespace tables = metergen::tables;

constexpr std::int64_t kW = 1'000'000'000;  // uW

Readings single_phase(std::int64_t p_uw, std::int64_t q_uvar, std::int64_t s_uva) {
  Readings r{};
  r.phases = 1;
  r.phase[0].active_uw = p_uw, r.phase[0].reactive_uvar = q_uvar, r.phase[0].apparent_uva = s_uva;
  r.phase[0].voltage_present = true;
  return r;
}

Bytes read_value(metergen::cosem::Objects& objects, std::uint16_t object, std::int8_t attribute = 2) {
  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  EXPECT_EQ(objects.read(object, attribute, w), metergen::dlms::DataAccessResult::success);
  out.resize(w.size());
  return out;
}

class TestSession final : public metergen::cosem::Session {
 public:
  std::uint16_t association() const override { return clms::associations::utility; }
  std::uint8_t association_status() const override { return 2; }
  std::uint32_t negotiated_conformance() const override { return 0x00101D; }
  std::uint16_t negotiated_max_pdu() const override { return 0x0400; }
  metergen::tables::Authentication mechanism() const override { return metergen::tables::Authentication::none; }
  metergen::dlms::ActionResult reply_to_hls_authentication(ByteReader, ByteWriter&) override {
    return metergen::dlms::ActionResult::read_write_denied;
  }
};

// A meter over one model, rebooted on the same HAL (its NVM survives).
class MeterOn {
 public:
  MeterOn(const tables::Model& model, MeteringHal& hal) : model_(model), hal_(hal) { reboot(); }

  void reboot() {
    meter_.reset();
    meter_ = std::make_unique<Meter>(model_, hal_);
    meter_->boot();
  }
  // `seconds` metering seconds, the meter clock moving with them.
  void run(const Readings& r, int seconds) {
    for (int s = 0; s < seconds; ++s) {
      hal_.memory.now_ms += 1000;
      meter_->metering().on_second(r);
    }
  }
  Bytes value(std::uint16_t object, std::int8_t attribute = 2) { return read_value(meter_->objects(), object, attribute); }
  // A client's SET of the object's value.
  bool write(std::uint16_t object, const Bytes& v) {
    TestSession session;
    return meter_->objects().set(session, object, 2, nullptr, ByteReader(v.data(), v.size())) ==
           metergen::dlms::DataAccessResult::success;
  }
  Meter& meter() { return *meter_; }
  metergen::metering::Engine& engine() { return meter_->metering(); }

 private:
  const tables::Model& model_;
  MeteringHal& hal_;
  std::unique_ptr<Meter> meter_;
};

class Clms100Metering : public ::testing::Test {
 protected:
  MeteringHal hal;
  MeterOn m{clms::model, hal};
};

namespace o = clms::objects;

TEST_F(Clms100Metering, OneHourAtAKnownPowerGivesTheExpectedWattHours) {
  // 230.0 V x 4.35 A, PF 1 = 1000.5 W for 3600 s = 1000.5 Wh; scaler 0 shows the
  // completed 1000 Wh (03 E8), within one step of 1000.5.
  m.run(single_phase(1000'500'000, 0, 1000'500'000), 3600);
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 03 E8"));
  // The meter clock starts at 1700000000 s = Tuesday 2023-11-14 22:13:20 UTC, 23:13:20 CET:
  // clms100's calendar has workdays in T3 from 22:00 (NT), and the energy goes there.
  EXPECT_EQ(m.value(o::active_import_energy_t3), hex("15 00 00 00 00 00 00 03 E8"));
  EXPECT_EQ(m.value(o::active_import_energy_t1), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::active_import_energy_t2), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::active_export_energy), hex("15 00 00 00 00 00 00 00 00"));
  // Exactly 1000.5 Wh = 1 000 500 mWh underneath.
  const auto& regs = m.engine().registers();
  EXPECT_EQ(regs.accumulator(regs.find(o::active_import_energy)), (metergen::energy::Accumulator{1'000'500, 0}));
}

TEST_F(Clms100Metering, QuadrantTwoReachesItsRegisters) {
  // One hour at P = -3 kW, Q = +4 kvar, S = 5 kVA (QII): -A 3000 Wh (0B B8),
  // +R and QII 4000 varh (0F A0), -S 5000 VAh (13 88); +A, QI, +S stay 0.
  m.run(single_phase(-3 * kW, 4 * kW, 5 * kW), 3600);
  EXPECT_EQ(m.value(o::active_export_energy), hex("15 00 00 00 00 00 00 0B B8"));
  EXPECT_EQ(m.value(o::reactive_import_energy), hex("15 00 00 00 00 00 00 0F A0"));
  EXPECT_EQ(m.value(o::reactive_q2_energy), hex("15 00 00 00 00 00 00 0F A0"));
  EXPECT_EQ(m.value(o::apparent_export_energy), hex("15 00 00 00 00 00 00 13 88"));
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::reactive_q1_energy), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::apparent_import_energy), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::active_absolute_energy), hex("15 00 00 00 00 00 00 0B B8"));
}

TEST_F(Clms100Metering, InstantaneousValuesAreScaledAndRounded) {
  Readings r = single_phase(1000'500'000, -200'250'000, 1020'300'000);
  r.phase[0].voltage_uv = 230'456'000;     // 230.456 V, scaler -2: 23045.6 -> 23046 = 5A 06
  r.phase[0].current_ua = 4'345'600;       // 4.3456 A, scaler -3: 4345.6 -> 4346 = 10 FA
  r.phase[0].power_factor_milli = 981;
  r.frequency_mhz = 50'012;                // 50.012 Hz, scaler -2: 5001.2 -> 5001 = 13 89
  m.run(r, 1);
  EXPECT_EQ(m.value(o::voltage), hex("12 5A 06"));
  EXPECT_EQ(m.value(o::current), hex("06 00 00 10 FA"));
  EXPECT_EQ(m.value(o::frequency), hex("12 13 89"));
  // Powers, scaler 0: +P 1000.5 -> 1001 (03 E9, halves away from zero), -P 0,
  // -Q 200.25 -> 200 (C8), +Q 0, +S 1020.3 -> 1020 (03 FC), -S 0.
  EXPECT_EQ(m.value(o::active_import_power), hex("06 00 00 03 E9"));
  EXPECT_EQ(m.value(o::active_export_power), hex("06 00 00 00 00"));
  EXPECT_EQ(m.value(o::reactive_export_power), hex("06 00 00 00 C8"));
  EXPECT_EQ(m.value(o::reactive_import_power), hex("06 00 00 00 00"));
  EXPECT_EQ(m.value(o::apparent_import_power), hex("06 00 00 03 FC"));
  EXPECT_EQ(m.value(o::apparent_export_power), hex("06 00 00 00 00"));
  // Total power factor (1.0.13.7.0) = P / S = 1000.5 / 1020.3 = 0.98059 -> 981 = 03 D5, scaler -3.
  EXPECT_EQ(m.value(o::power_factor), hex("10 03 D5"));
  EXPECT_EQ(m.value(o::power_factor, 3), hex("02 02 0F FD 16 FF"));
}

TEST_F(Clms100Metering, TariffFollowsTheCurrentTariffObject) {
  // The calendar's tariff at boot (Tuesday 23:13 CET: T3) is written at boot.
  EXPECT_EQ(m.value(o::current_tariff), hex("11 03"));
  EXPECT_EQ(m.engine().tariff_count(), 6);
  // A client sets tariff 1: the next hour at 1 kW goes to T1 (1000 Wh = 03 E8) and the total
  // (the meter's minute, which would apply the calendar again, does not run here).
  ASSERT_TRUE(m.write(o::current_tariff, hex("11 01")));
  m.run(single_phase(kW, 0, kW), 3600);
  EXPECT_EQ(m.engine().tariff(), 1);
  EXPECT_EQ(m.value(o::active_import_energy_t1), hex("15 00 00 00 00 00 00 03 E8"));
  EXPECT_EQ(m.value(o::active_import_energy_t3), hex("15 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 03 E8"));
  // Tariff 9 does not exist: the object goes back to the tariff in use.
  ASSERT_TRUE(m.write(o::current_tariff, hex("11 09")));
  m.run(single_phase(kW, 0, kW), 1);
  EXPECT_EQ(m.value(o::current_tariff), hex("11 01"));
  // The runtime call sets both.
  EXPECT_TRUE(m.engine().set_tariff(5));
  EXPECT_EQ(m.value(o::current_tariff), hex("11 05"));
  EXPECT_FALSE(m.engine().set_tariff(7));
  EXPECT_FALSE(m.engine().set_tariff(0));
  EXPECT_EQ(m.engine().tariff(), 5);
}

TEST_F(Clms100Metering, RegisterReadThroughAConnectionGet) {
  m.run(single_phase(1000'500'000, 0, 1000'500'000), 3600);
  metergen::dlms::Connection c(m.meter());
  auto request = [&](Bytes apdu) {
    Bytes out(2048);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(c.on_apdu(2, 1, apdu, w));
    out.resize(w.size());
    return out;
  };
  // Reader association (SAP 2, LLS "12345678"), as in test_server.cpp.
  const Bytes aare = request(hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
                                 " AC 0A 80 08 31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF"));
  ASSERT_GE(aare.size(), 18u);
  ASSERT_EQ(Bytes(aare.begin() + 15, aare.begin() + 18), hex("02 01 00"));
  // GET 1.0.1.8.0.255 class 3 attribute 2: 1000 Wh as long64-unsigned.
  EXPECT_EQ(request(hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("C4 01 C1 00 15 00 00 00 00 00 00 03 E8"));
  // Attribute 3: scaler 0, unit Wh (30 = 1E).
  EXPECT_EQ(request(hex("C0 01 C1 00 03 01 00 01 08 00 FF 03 00")), hex("C4 01 C1 00 02 02 0F 00 16 1E"));
}

TEST_F(Clms100Metering, EnergySurvivesAReboot) {
  // 100 s at 3.6 kW = 100 Wh (64), persisted on demand.
  m.run(single_phase(3600 * 1'000'000ll, 0, 3600 * 1'000'000ll), 100);
  ASSERT_TRUE(m.meter().persist());
  m.reboot();
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 64"));
  EXPECT_EQ(m.value(o::active_import_energy_t3), hex("15 00 00 00 00 00 00 00 64"));  // the calendar's NT
  // And on its own every 15 minutes of metering: 900 s more at 4 W = 1 Wh, no persist() call.
  m.run(single_phase(4'000'000, 0, 4'000'000), 900);
  m.reboot();
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 65"));
}

TEST_F(Clms100Metering, APowerCutDuringTheRecordKeepsThePreviousOne) {
  m.run(single_phase(3600 * 1'000'000ll, 0, 3600 * 1'000'000ll), 100);  // 100 Wh
  ASSERT_TRUE(m.meter().persist());
  m.run(single_phase(3600 * 1'000'000ll, 0, 3600 * 1'000'000ll), 100);  // 200 Wh
  // Meter::persist writes the object record (4 writes), then the energy record:
  // the power goes after its header and first 16 entries.
  hal.writes_left = 4 + 2;
  EXPECT_FALSE(m.meter().persist());
  hal.writes_left = -1;
  m.reboot();
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 64"));
}

TEST_F(Clms100Metering, RegisterResetClearsItsAccumulator) {
  m.run(single_phase(kW, 0, kW), 3600);  // 1000 Wh in the total and T3 (the calendar's at 23:13 CET)
  TestSession session;
  std::uint8_t buf[16];
  ByteWriter ret(buf, sizeof buf);
  bool has_return = false;
  const Bytes zero = hex("0F 00");
  ASSERT_EQ(m.meter().objects().action(session, o::active_import_energy, 1, ByteReader(zero.data(), zero.size()), ret,
                                       has_return),
            metergen::dlms::ActionResult::success);
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 00"));
  // The next hour counts from zero; T3 was not reset (2000 Wh = 07 D0).
  m.run(single_phase(kW, 0, kW), 3600);
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 03 E8"));
  EXPECT_EQ(m.value(o::active_import_energy_t3), hex("15 00 00 00 00 00 00 07 D0"));
  // The reset was persisted at once: a power cut right after it keeps it.
  ASSERT_TRUE(m.meter().objects().action(session, o::active_import_energy, 1, ByteReader(zero.data(), zero.size()),
                                         ret, has_return) == metergen::dlms::ActionResult::success);
  m.reboot();
  EXPECT_EQ(m.value(o::active_import_energy), hex("15 00 00 00 00 00 00 00 00"));
}

TEST_F(Clms100Metering, RelayFollowsTheDisconnectControl) {
  ASSERT_EQ(hal.relay, std::vector<bool>{true});  // driven to the restored state at boot: connected
  TestSession session;
  std::uint8_t buf[16];
  ByteWriter ret(buf, sizeof buf);
  bool has_return = false;
  const Bytes zero = hex("0F 00");
  // Method 1 remote_disconnect (transition b, allowed in mode 5).
  ASSERT_EQ(m.meter().objects().action(session, o::disconnect_control, 1, ByteReader(zero.data(), zero.size()), ret,
                                       has_return),
            metergen::dlms::ActionResult::success);
  EXPECT_EQ(hal.relay, (std::vector<bool>{true, false}));
  ASSERT_TRUE(m.meter().persist());
  m.reboot();
  EXPECT_EQ(hal.relay, (std::vector<bool>{true, false, false}));
}

// ---- Meter::tick: ADC frames through metrology into the registers ----

TEST(MeteringTick, WithoutAFrontEndNothingIsRead) {
  MeteringHal hal;  // front_end() sample_rate_hz 0
  hal.frames.resize(100);
  MeterOn m(clms::model, hal);
  m.meter().tick();
  EXPECT_EQ(hal.max_read, 0u);
  EXPECT_EQ(hal.frames.size(), 100u);
}

TEST(MeteringTick, BoundedBatchesOfFramesMeterTheSimulatedLoad) {
  // 230 V, 10 A, in phase, 50 Hz: 2300 W. Ten seconds of frames at the simulated
  // front end's 4 kHz = 40 000 frames, 23 000 J = 6.389 Wh = 6 388.9 mWh.
  using namespace metergen::simulation;
  Segment segment{};
  segment.name = "";
  segment.duration_s = 10;
  segment.frequency_hz = 50;
  segment.phase[0] = PhaseLoad{230.0, 10.0, 0.0, 0.0, 0, {}};
  segment.neutral_current_rms = -1;
  const Scenario scenario{&segment, 1, false, 1, 0.0};
  MeteringHal hal;
  hal.front = front_end_for(clms::model.metering);
  Synthesizer synth(scenario, hal.front, 1, false);
  for (std::uint32_t i = 0; i < 10 * kSampleRateHz; ++i) synth.next(hal.frames.emplace_back());

  MeterOn m(clms::model, hal);
  int ticks = 0;
  while (!hal.frames.empty()) {
    const std::size_t before = hal.frames.size();
    m.meter().tick();
    ASSERT_LE(before - hal.frames.size(), metergen::metering::kMaxFramesPerTick);  // bounded per tick
    ASSERT_GT(before - hal.frames.size(), 0u);
    ++ticks;
  }
  EXPECT_EQ(ticks, (40'000 + 255) / 256);
  EXPECT_LE(hal.max_read, metergen::metering::kFramesPerRead);
  // Ten metering seconds: +A within class B's 1 % (EN 50470-3 at 10 A, PF 1) of 6 388.9 mWh.
  const auto& regs = m.engine().registers();
  const auto& a = regs.accumulator(regs.find(o::active_import_energy));
  EXPECT_NEAR(static_cast<double>(a.mwh), 6388.9, 63.9);
  EXPECT_EQ(m.value(o::active_import_power), hex("06 00 00 08 FC")) << "2300 W";
  EXPECT_EQ(m.value(o::voltage), hex("12 59 D8")) << "230.00 V";
}

// ---- Three phases behind CT 200/5 and VT 20000/100 (hxf300-eu) ----

TEST(Hxf300Metering, TransformerRatiosMultiplyAsComputedByHand) {
  MeteringHal hal;
  MeterOn m(hxf::model, hal);
  namespace h = hxf::objects;
  ASSERT_TRUE(m.write(h::ct_ratio_numerator, hex("06 00 00 00 C8")));    // 200
  ASSERT_TRUE(m.write(h::ct_ratio_denominator, hex("06 00 00 00 05")));  // 5
  ASSERT_TRUE(m.write(h::pt_ratio_numerator, hex("06 00 00 4E 20")));    // 20000
  ASSERT_TRUE(m.write(h::pt_ratio_denominator, hex("06 00 00 00 64")));  // 100
  // Secondary per phase: 100 V, 1 A, 100 W at PF 1. Primary: 20 kV, 40 A, 100 W x 40 x 200 = 800 kW.
  Readings r{};
  r.phases = 3;
  for (auto& p : r.phase) {
    p.voltage_uv = 100'000'000;
    p.current_ua = 1'000'000;
    p.active_uw = p.apparent_uva = 100'000'000;
    p.power_factor_milli = 1000;
  }
  m.run(r, 3600);
  EXPECT_EQ(m.engine().ratios().ct_num, 200u);
  // Energy, scaler 1 (10 Wh steps): L1 800 kWh = 80 000 (01 38 80); total 2.4 MWh = 240 000 (03 A9 80).
  EXPECT_EQ(m.value(h::active_import_energy_l1), hex("06 00 01 38 80"));
  EXPECT_EQ(m.value(h::active_import_energy), hex("06 00 03 A9 80"));
  EXPECT_EQ(m.value(h::active_import_energy_t1), hex("06 00 03 A9 80"));
  // Instantaneous, primary: 800 000 W (0C 35 00), 40 A at scaler -3 = 40 000 (9C 40).
  EXPECT_EQ(m.value(h::active_import_power_l1), hex("06 00 0C 35 00"));
  EXPECT_EQ(m.value(h::active_import_power), hex("06 00 24 9F 00"));  // 2 400 000 W
  EXPECT_EQ(m.value(h::current_l1), hex("06 00 00 9C 40"));
  // 20 kV at scaler -2 is 2 000 000, beyond long-unsigned: clamped to 65535.
  EXPECT_EQ(m.value(h::voltage_l1), hex("12 FF FF"));
}

// hxf300-eu after 30 minutes at 1 kW per phase, PF 1. Its demand is sliding,
// 15 sub-periods of 60 s, so the last window holds 3 kW.
void run_half_hour_at_three_kilowatts(MeterOn& m) {
  Readings r{};
  r.phases = 3;
  for (auto& p : r.phase) p.active_uw = p.apparent_uva = kW;
  m.run(r, 1800);
}

TEST(Hxf300Metering, DemandReceivesEachSecondsPowers) {
  MeteringHal hal;
  MeterOn m(hxf::model, hal);
  namespace h = hxf::objects;
  // last_average (attribute 3) and the maximum, total and tariff 1, are 3000 W
  // at scaler 0 (0B B8).
  run_half_hour_at_three_kilowatts(m);
  EXPECT_EQ(m.value(h::active_import_demand, 3), hex("06 00 00 0B B8"));
  EXPECT_EQ(m.value(h::active_import_max_demand), hex("06 00 00 0B B8"));
  EXPECT_EQ(m.value(h::active_import_max_demand_t1), hex("06 00 00 0B B8"));
  EXPECT_EQ(m.value(h::active_import_max_demand_t2), hex("06 00 00 00 00"));
}

TEST(Hxf300Metering, MdiResetScriptClearsEveryMaximumDemand) {
  MeteringHal hal;
  MeterOn m(hxf::model, hal);
  namespace h = hxf::objects;
  run_half_hour_at_three_kilowatts(m);  // maximum 3000 W, as above
  ASSERT_EQ(m.value(h::active_import_max_demand), hex("06 00 00 0B B8"));
  // IC 9 method 1 execute(script_identifier = long-unsigned 1) on 0.0.10.0.1.255.
  TestSession session;
  Bytes ret(16), script = hex("12 00 01");
  ByteWriter w(ret.data(), ret.size());
  bool has_return = false;
  ASSERT_EQ(m.meter().objects().action(session, h::mdi_reset_script_table, 1, ByteReader(script.data(), script.size()),
                                       w, has_return),
            metergen::dlms::ActionResult::success);
  EXPECT_EQ(m.value(h::active_import_max_demand), hex("06 00 00 00 00"));
  EXPECT_EQ(m.value(h::active_import_max_demand_t1), hex("06 00 00 00 00"));
  // A parameter of the wrong type changes nothing and says so.
  Bytes wrong = hex("11 01");
  EXPECT_EQ(m.meter().objects().action(session, h::mdi_reset_script_table, 1, ByteReader(wrong.data(), wrong.size()), w,
                                       has_return),
            metergen::dlms::ActionResult::type_unmatched);
}

TEST(Hxf300Metering, PhaseAnglesFromTheObisCode) {
  MeteringHal hal;
  MeterOn m(hxf::model, hal);
  namespace h = hxf::objects;
  // Positive sequence: U(L2) at 240 deg, U(L3) at 120 deg relative to U(L1); each current
  // lags its voltage by 30 deg, i.e. I relative to U is 330 deg.
  Readings r{};
  r.phases = 3;
  const std::int32_t voltage_angles[3] = {0, 240'000, 120'000};
  for (int i = 0; i < 3; ++i) {
    r.phase[i].voltage_angle_mdeg = voltage_angles[i];
    r.phase[i].vi_angle_mdeg = 330'000;
  }
  m.run(r, 1);
  // 81.7.1 = U(L2) relative to U(L1) = 240.0 deg, scaler -1: 2400 = 09 60.
  EXPECT_EQ(m.value(h::voltage_angle_l2_l1), hex("10 09 60"));
  // 81.7.2 = U(L3) relative to U(L1) = 120.0 deg: 1200 = 04 B0.
  EXPECT_EQ(m.value(h::voltage_angle_l3_l1), hex("10 04 B0"));
  // 81.7.40 = U(L1) relative to I(L1): the 30 deg lag, 300 = 01 2C; likewise 81.7.51, 81.7.62.
  EXPECT_EQ(m.value(h::current_voltage_angle_l1), hex("10 01 2C"));
  EXPECT_EQ(m.value(h::current_voltage_angle_l2), hex("10 01 2C"));
  EXPECT_EQ(m.value(h::current_voltage_angle_l3), hex("10 01 2C"));
}

// ---- Scalers and clamping, on a five-register model written here ----

using tables::DataType;
using tables::Quantity;
using tables::SourceKind;

std::uint8_t g_mini_state[29];

constexpr tables::ObjectDef kMiniObjects[] = {
    {{{1, 0, 1, 8, 0, 255}}, 3, 0, DataType::long64_unsigned, -3, 30, {SourceKind::energy, Quantity::active_import, 0, 0},
     tables::Role::none, tables::kNone, 9, 0},
    {{{1, 0, 2, 8, 0, 255}}, 3, 0, DataType::unsigned_, 0, 30, {SourceKind::energy, Quantity::active_export, 0, 0},
     tables::Role::none, tables::kNone, 2, 9},
    {{{1, 0, 15, 8, 0, 255}}, 3, 0, DataType::double_long_unsigned, 0, 30,
     {SourceKind::energy, Quantity::active_absolute, 0, 0}, tables::Role::none, tables::kNone, 5, 11},
    {{{1, 0, 16, 8, 0, 255}}, 3, 0, DataType::double_long, 3, 30, {SourceKind::energy, Quantity::active_net, 0, 0},
     tables::Role::none, tables::kNone, 5, 16},
    {{{1, 0, 16, 8, 1, 255}}, 3, 0, DataType::double_long_unsigned, 0, 30,
     {SourceKind::energy, Quantity::active_net, 1, 0}, tables::Role::none, tables::kNone, 5, 21},
    // Wrong unit (Wh for a power): never written.
    {{{1, 0, 21, 7, 0, 255}}, 3, 0, DataType::long_unsigned, 0, 30,
     {SourceKind::instantaneous, Quantity::active_import, 0, 1}, tables::Role::none, tables::kNone, 3, 26},
};

const tables::Model kMini = [] {
  tables::Model m{};
  m.abi_version = tables::kAbiVersion;
  m.id = "mini";
  m.phases = 1;
  m.objects = kMiniObjects;
  m.object_count = 6;
  m.state = g_mini_state;
  m.state_size = sizeof g_mini_state;
  return m;
}();

// Objects with the engine as its hooks, as the Meter wires them, without a server.
struct MiniMeter {
  MeteringHal hal{4096};
  metergen::cosem::Profiles profiles{kMini, hal};
  metergen::metering::Engine engine{kMini, hal, objects};  // uses objects from boot() on
  metergen::cosem::Objects objects{kMini, hal, engine, profiles};

  bool boot() {
    metergen::storage::Allocator at(0, 0);
    objects.place(at, hal.nvm_geometry());
    engine.place(at, hal.nvm_geometry());
    profiles.place(at, hal.nvm_geometry());
    profiles.attach(objects);
    objects.boot();
    profiles.boot();
    return engine.boot();
  }
  Bytes value(std::uint16_t object) { return read_value(objects, object); }
};

TEST(MeteringScalers, RegistersInTheirScalerAndTypeClamped) {
  MiniMeter mini;
  EXPECT_FALSE(mini.boot());  // object 5 has the wrong unit
  // One hour at 1234.5678 W = 1234.5678 Wh.
  for (int s = 0; s < 3600; ++s) mini.engine.on_second(single_phase(1'234'567'800, 0, 1'234'567'800));
  EXPECT_EQ(mini.value(0), hex("15 00 00 00 00 00 12 D6 87"));  // scaler -3: 1 234 567 mWh
  EXPECT_EQ(mini.value(1), hex("11 00"));                       // nothing exported
  EXPECT_EQ(mini.value(2), hex("06 00 00 04 D2"));              // scaler 0: 1234 Wh
  EXPECT_EQ(mini.value(3), hex("05 00 00 00 01"));              // scaler 3: 1 kWh
  EXPECT_EQ(mini.value(4), hex("06 00 00 04 D2"));              // net, tariff 1: 1234 Wh
  EXPECT_EQ(mini.value(5), hex("12 00 00"));                    // never written
  // One hour exporting 3000.5 W.
  for (int s = 0; s < 3600; ++s) mini.engine.on_second(single_phase(-3'000'500'000, 0, 3'000'500'000));
  EXPECT_EQ(mini.value(0), hex("15 00 00 00 00 00 12 D6 87"));
  EXPECT_EQ(mini.value(1), hex("11 FF"));           // 3000 Wh clamped to unsigned 255
  EXPECT_EQ(mini.value(2), hex("06 00 00 10 8B"));  // |A| 4235.0678 Wh -> 4235
  EXPECT_EQ(mini.value(3), hex("05 FF FF FF FF"));  // net -1765.9322 Wh -> -1 kWh (toward zero)
  EXPECT_EQ(mini.value(4), hex("06 00 00 00 00"));  // unsigned: never negative
}

TEST(MeteringScalers, ScalingRoundsHalvesAwayFromZero) {
  using metergen::metering::scale_pow10;
  EXPECT_EQ(scale_pow10(230'456'000, -4), 23'046);  // 230.456 V at scaler -2 from uV
  EXPECT_EQ(scale_pow10(-1'500, -3), -2);
  EXPECT_EQ(scale_pow10(1'499, -3), 1);
  EXPECT_EQ(scale_pow10(7, 2), 700);
  EXPECT_EQ(scale_pow10(INT64_MAX / 2, 1), INT64_MAX);
}

}  // namespace
