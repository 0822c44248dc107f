// Load control over simulated time (TimedMeter::play: each second's readings
// in closed form, with no load current while the HAL's relay is open): the
// disconnect control's modes 0..6 x transitions a..h through the real engine
// (client methods, the reconnect button, the limiter), the limiter timelines of
// HXF300 §11 and DTSD545 §5.2.8, the reconnect button and the disconnect reason.
//
// Expected values are worked out by hand from ../shared/reference/
// disconnect-control.md §3/§4 (copied below as the manuals print the table)
// and from the specs' limiters: hxf300-eu min_over 60 s, reconnect delay
// 300 s, 3 reconnections, count reset 1800 s, final state ready, reconnect
// button held 6 s, mode 5; dtsd545 thresholds 0 (disabled), t1 60 s, t2
// 300 s, 3 reconnections, final state disconnected, button a press, mode 5.
#include <gtest/gtest.h>

#include <cstring>

#include <dtsd545/model.hpp>
#include <hxf300-eu/model.hpp>

#include <metergen/load_control/load_control.hpp>
#include <metergen/metering/register_values.hpp>

#include "hex_bytes.hpp"
#include "time_engine_support.hpp"

namespace {

namespace mg = metergen;
using mg::test::Bytes;
using mg::test::hex;
using mg::test::TimedMeter;
using mg::test::utc_of;
namespace hxf = mg::models::hxf300_eu;
namespace dtsd = mg::models::dtsd545;

constexpr std::uint8_t kDisconnected = 0, kConnected = 1, kReady = 2;
const std::int64_t kStart = utc_of(2027, 3, 1, 10, 0, 0);

// A balanced three-phase load of `watts` in all at `volts`, PF 1.
mg::simulation::Segment load(double watts, double volts = 230.0) {
  return mg::test::balanced_segment(volts, watts / 3 / volts);
}
const mg::simulation::Segment kOverload = load(800);  // over a 100 W threshold
const mg::simulation::Segment kLight = load(50);      // under it

// The encoded threshold of `m`'s limiter `limiter` for `watts`, in its monitored
// value's scaler (dtsd545 measures in 0.1 W, hxf300-eu in W).
Bytes threshold_of(const mg::tables::Model& m, std::uint16_t limiter, std::int64_t watts) {
  std::uint16_t monitored = 0;
  for (std::uint8_t i = 0; i < m.limiter_count; ++i)
    if (m.limiters[i].object == limiter) monitored = m.limiters[i].monitored;
  std::int64_t raw = watts;
  for (int e = m.objects[monitored].scaler; e < 0; ++e) raw *= 10;
  std::uint8_t buf[16];
  mg::ByteWriter w(buf, sizeof buf);
  mg::metering::put_clamped(w, m.objects[limiter].value_type, raw);
  return Bytes(buf, buf + w.size());
}

std::int64_t control_state(TimedMeter& m, std::uint16_t dc) { return m.integer(dc, 3); }

// `buttons` held for `seconds` of `segment`, then released for a second (the
// button acts once per hold: the release is what lets it act again).
void hold(TimedMeter& m, std::uint8_t buttons, std::int64_t seconds, const mg::simulation::Segment& segment = kLight) {
  m.hal.buttons = buttons;
  m.play(segment, seconds);
  m.hal.buttons = 0;
  m.play(segment, 1);
}
const std::uint8_t kReconnectButton = mg::hal::button_bit(mg::hal::Button::reconnect);
const std::uint8_t kBillingButton = mg::hal::button_bit(mg::hal::Button::billing);

// ---------------------------------------------------------------------------
// IC 70: every mode x every transition, through the Meter

enum class Via { remote_disconnect, remote_reconnect, manual_reconnect, manual_disconnect, local_disconnect, local_reconnect };

struct Transition {
  char id;
  std::uint8_t from;
  Via via;
  std::uint8_t to;
};

// disconnect-control.md §3.
constexpr Transition kTransitions[] = {
    {'a', kDisconnected, Via::remote_reconnect, kConnected}, {'b', kConnected, Via::remote_disconnect, kDisconnected},
    {'c', kReady, Via::remote_disconnect, kDisconnected},    {'d', kDisconnected, Via::remote_reconnect, kReady},
    {'e', kReady, Via::manual_reconnect, kConnected},        {'f', kConnected, Via::manual_disconnect, kReady},
    {'g', kConnected, Via::local_disconnect, kReady},        {'h', kReady, Via::local_reconnect, kConnected},
};

// disconnect-control.md §4 (HXF300 §10.4, DTSD545 §5.2.8): columns b c f g a d e h.
constexpr char kColumns[] = "bcfgadeh";
constexpr const char* kModes[7] = {"--------", "xxxx-xx-", "xxxxx-x-", "xx-x-xx-", "xx-xx-x-", "xxxx-xxx", "xx-x-xxx"};

bool allowed(int mode, char id) { return kModes[mode][std::strchr(kColumns, id) - kColumns] == 'x'; }

// The state a trigger leads to from `from` in `mode`: the allowed transition
// of that trigger out of that state (a and d share one), else no change.
std::uint8_t expected_state(int mode, std::uint8_t from, Via via) {
  for (const Transition& t : kTransitions)
    if (t.from == from && t.via == via && allowed(mode, t.id)) return t.to;
  return from;
}

// What the disconnect reason reads after a disconnection by this trigger.
std::int64_t expected_reason(Via via) {
  if (via == Via::manual_disconnect) return mg::load_control::kReasonManual;
  if (via == Via::local_disconnect) return mg::load_control::kReasonLocal;  // + LocalTrigger::limiter (0)
  return mg::load_control::kReasonRemote;
}

class Ic70 : public ::testing::TestWithParam<int> {
 protected:
  TimedMeter m{hxf::model, kStart};
  const std::uint16_t dc = hxf::objects::disconnect_control;

  void set_mode(int mode) {
    ASSERT_EQ(m.set(dc, 4, {0x16, static_cast<std::uint8_t>(mode)}), mg::dlms::DataAccessResult::success);
  }
  void limit_to_100_w() {
    ASSERT_EQ(m.set(hxf::objects::limiter, 4, threshold_of(hxf::model, hxf::objects::limiter, 100)),
              mg::dlms::DataAccessResult::success);
  }
  // Into `from` by client methods in mode 5 (b; b then d), then `mode`.
  void reach_by_methods(std::uint8_t from, int mode) {
    set_mode(5);
    if (from != kConnected) m.act(dc, 1);
    if (from == kReady) m.act(dc, 2);
    set_mode(mode);
  }
  void cell(int mode, const Transition& t) {
    SCOPED_TRACE(testing::Message() << "mode " << mode << ", transition " << t.id);
    if (t.via == Via::local_reconnect) {
      // Ready by the limiter's own disconnection (g), where the mode has it.
      set_mode(mode);
      limit_to_100_w();
      m.play(kOverload, 60);
      if (control_state(m, dc) != kReady) reach_by_methods(kReady, mode);
    } else {
      reach_by_methods(t.from, mode);
    }
    ASSERT_EQ(control_state(m, dc), t.from);
    switch (t.via) {
      case Via::remote_disconnect: m.act(dc, 1); break;
      case Via::remote_reconnect: m.act(dc, 2); break;
      case Via::manual_reconnect: hold(m, kReconnectButton, 6); break;
      case Via::manual_disconnect: hold(m, kReconnectButton | kBillingButton, 6); break;
      case Via::local_disconnect:
        limit_to_100_w();
        m.play(kOverload, 60);
        break;
      case Via::local_reconnect: m.play(kOverload, 300); break;
    }
    const std::uint8_t want = expected_state(mode, t.from, t.via);
    EXPECT_EQ(control_state(m, dc), want);
    EXPECT_EQ(m.value(dc, 2), (Bytes{0x03, static_cast<std::uint8_t>(want == kConnected)}));  // output_state
    EXPECT_EQ(m.hal.relay_connected(), want == kConnected);
    if (want != t.from && mg::load_control::is_disconnection(t.from, want))
      EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), expected_reason(t.via));
  }
};

TEST_P(Ic70, EveryTransitionFollowsTheModeTable) {
  const int mode = GetParam();
  for (const Transition& t : kTransitions) {
    // Back to connected in mode 5 with the spec's threshold for each cell.
    set_mode(5);
    if (control_state(m, dc) == kReady) m.act(dc, 1);
    if (control_state(m, dc) == kDisconnected) m.act(dc, 2);
    if (control_state(m, dc) == kReady) hold(m, kReconnectButton, 6);
    ASSERT_EQ(control_state(m, dc), kConnected);
    ASSERT_EQ(m.set(hxf::objects::limiter, 4, threshold_of(hxf::model, hxf::objects::limiter, 10000)),
              mg::dlms::DataAccessResult::success);
    cell(mode, t);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, Ic70, ::testing::Range(0, 7));

// ---------------------------------------------------------------------------
// HXF300 §11: A = 100 W (set), B 60 s, C 300 s, D 3, E 1800 s, G ready

TEST(LoadControl, Hxf300LimiterTripsReconnectsThreeTimesThenStaysReady) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t dc = hxf::objects::disconnect_control;
  ASSERT_EQ(m.set(hxf::objects::limiter, 4, threshold_of(hxf::model, hxf::objects::limiter, 100)),
            mg::dlms::DataAccessResult::success);
  EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), mg::load_control::kReasonNone);
  // Three cycles: over for 60 s (the 60th second trips, g), off for 300 s, h.
  for (int cycle = 0; cycle < 3; ++cycle) {
    SCOPED_TRACE(cycle);
    m.play(kOverload, 59);
    EXPECT_EQ(control_state(m, dc), kConnected);
    m.play(kOverload, 1);
    EXPECT_EQ(control_state(m, dc), kReady);
    EXPECT_FALSE(m.hal.relay_connected());
    EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), mg::load_control::kReasonLocal);
    m.play(kOverload, 299);
    EXPECT_EQ(control_state(m, dc), kReady);
    m.play(kOverload, 1);
    EXPECT_EQ(control_state(m, dc), kConnected);
    EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, cycle + 1);
  }
  // The fourth overload: the count is used up, the final state G (ready) stays.
  m.play(kOverload, 60);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 3600);
  EXPECT_EQ(control_state(m, dc), kReady);

  // Energy only while the relay was closed: 4 x 60 s at 800 W = 192,000 J = 53,333 mWh.
  const auto& regs = m.meter().metering().registers();
  EXPECT_EQ(regs.accumulator(regs.find(hxf::objects::active_import_energy)).mwh, 53333);

  // The consumer reconnects by the button (e) with the load reduced; after E = 1800 s
  // under the threshold the count starts again, and the next overload is a first one.
  hold(m, kReconnectButton, 6);
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kLight, 1798);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 3);
  m.play(kLight, 1);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 0);
  m.play(kOverload, 60);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 300);
  EXPECT_EQ(control_state(m, dc), kConnected);  // reconnected automatically again
  // Energy resumed with each reconnection: 1800 s at 50 W and 60 s at 800 W more
  // (the 6 s the button was held the relay was still open).
  const std::int64_t expected_j = 192000 + 1800 * 50 + 60 * 800;
  EXPECT_EQ(regs.accumulator(regs.find(hxf::objects::active_import_energy)).mwh, expected_j * 1000 / 3600);
}

// IC 71 attributes 5..9 set by a client (bytes written from the class table):
// an emergency profile with id 7, listed in the group ids, from 2027-03-01
// 10:02:00 UTC (deviation 0) for 300 s, and an emergency threshold of 100 W
// under an 800 W load (the normal 10 kW is never reached).
TEST(LoadControl, AnEmergencyProfileLowersTheThresholdForItsDuration) {
  TimedMeter m(hxf::model, kStart);  // 10:00:00 UTC
  const std::uint16_t lim = hxf::objects::limiter;
  const std::uint16_t dc = hxf::objects::disconnect_control;
  const Bytes normal = threshold_of(hxf::model, lim, 10000);
  const Bytes emergency = threshold_of(hxf::model, lim, 100);
  // The spec's settings before any SET: no profile, an unspecified time, no ids.
  EXPECT_EQ(m.value(lim, 8), hex("02 03 12 0000 09 0C FFFF FF FF FF FF FF FF FF 8000 FF 06 00000000"));
  EXPECT_EQ(m.value(lim, 9), hex("01 00"));
  EXPECT_EQ(m.value(lim, 6), hex("06 0000003C"));
  ASSERT_EQ(m.set(lim, 5, emergency), mg::dlms::DataAccessResult::success);
  ASSERT_EQ(m.set(lim, 9, hex("01 01 12 0007")), mg::dlms::DataAccessResult::success);
  const Bytes profile = hex("02 03 12 0007 09 0C 07EB 03 01 FF 0A 02 00 00 0000 00 06 0000012C");
  ASSERT_EQ(m.set(lim, 8, profile), mg::dlms::DataAccessResult::success);
  EXPECT_EQ(m.value(lim, 8), profile);
  EXPECT_EQ(m.value(lim, 9), hex("01 01 12 0007"));

  m.play(kOverload, 119);  // to 10:01:59
  EXPECT_EQ(m.value(lim, 10), hex("03 00"));
  EXPECT_EQ(m.value(lim, 3), normal);
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kOverload, 1);  // 10:02:00: active
  EXPECT_EQ(m.value(lim, 10), hex("03 01"));
  EXPECT_EQ(m.value(lim, 3), emergency);
  // Over the emergency threshold from the next second: the 60th trips (g).
  m.play(kOverload, 59);
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kOverload, 1);  // 10:03:00
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 239);  // 10:06:59
  EXPECT_EQ(m.value(lim, 10), hex("03 01"));
  m.play(kOverload, 1);  // 10:07:00: 300 s after its activation, the profile ends
  EXPECT_EQ(m.value(lim, 10), hex("03 00"));
  EXPECT_EQ(m.value(lim, 3), normal);
  // Reconnected 300 s after the trip (h), and 800 W stays under 10 kW.
  m.play(kOverload, 59);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 1);  // 10:08:00
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kOverload, 3600);
  EXPECT_EQ(control_state(m, dc), kConnected);
}

// A profile whose id is not in the group id list never activates; the
// settings keep their shapes; 3 and 10 are derived; the durations persist
// and time the next trip.
TEST(LoadControl, LimiterSettingsAreCheckedAndKept) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t lim = hxf::objects::limiter;
  const std::uint16_t dc = hxf::objects::disconnect_control;
  using R = mg::dlms::DataAccessResult;
  ASSERT_EQ(m.set(lim, 5, threshold_of(hxf::model, lim, 100)), R::success);
  ASSERT_EQ(m.set(lim, 9, hex("01 02 12 0001 12 0002")), R::success);
  ASSERT_EQ(m.set(lim, 8, hex("02 03 12 0007 09 0C 07EB 03 01 FF 0A 00 00 00 0000 00 06 00000E10")), R::success);
  m.play(kOverload, 120);
  EXPECT_EQ(m.value(lim, 10), hex("03 00"));
  EXPECT_EQ(control_state(m, dc), kConnected);

  EXPECT_EQ(m.set(lim, 8, hex("02 03 12 0007 09 0B 07EB 03 01 FF 0A 00 00 00 0000 06 00000E10")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 8, hex("02 02 12 0007 06 00000E10")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 9, hex("01 05 12 0001 12 0002 12 0003 12 0004 12 0005")), R::other_reason);
  EXPECT_EQ(m.set(lim, 9, hex("01 01 11 01")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 6, hex("12 001E")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 3, threshold_of(hxf::model, lim, 100)), R::read_write_denied);
  EXPECT_EQ(m.set(lim, 10, hex("03 01")), R::read_write_denied);
  EXPECT_EQ(m.value(lim, 9), hex("01 02 12 0001 12 0002"));

  // min_over_threshold_duration 30 s, kept across a power cut: with the
  // normal threshold at 100 W the 30th second over it trips.
  ASSERT_EQ(m.set(lim, 6, hex("06 0000001E")), R::success);
  ASSERT_EQ(m.set(lim, 4, threshold_of(hxf::model, lim, 100)), R::success);
  m.power_cut(10);
  EXPECT_EQ(m.value(lim, 6), hex("06 0000001E"));
  m.play(kOverload, 29);
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kOverload, 1);
  EXPECT_EQ(control_state(m, dc), kReady);
}

// IC 71 attributes 2 (monitored_value) and 11 (actions), encoded by hand from
// the class table: value definition 02 03 | 12 class | 09 06 logical name | 0F
// attribute; actions 02 02 | two script references 02 02 | 09 06 logical name
// | 12 selector.
const Bytes kMonitorCurrentL1 = hex("02 03 12 0003 09 06 01 00 1F 07 00 FF 0F 02");  // 1.0.31.7.0.255, mA
const Bytes kMonitorAbsolutePower = hex("02 03 12 0003 09 06 01 00 0F 07 00 FF 0F 02");  // 1.0.15.7.0.255, W
// Both actions: script 1 of the MDI reset script table 0.0.10.0.1.255 (the end of a billing period).
const Bytes kBillOverAndUnder = hex("02 02 02 02 09 06 00 00 0A 00 01 FF 12 0001 02 02 09 06 00 00 0A 00 01 FF 12 0001");
const Bytes kNoActions = hex("02 02 02 02 09 06 00 00 00 00 00 00 12 0000 02 02 09 06 00 00 00 00 00 00 12 0000");

// `amps` on phase `phase` (0..2) only, 230 V on all three, PF 1.
mg::simulation::Segment one_phase(int phase, double amps) {
  mg::simulation::Segment s = load(0);
  s.phase[phase].current_rms = amps;
  return s;
}

// threshold_normal 2,000: 2 kW while the limiter watches the absolute active
// power (W), 2 A once it watches the L1 current (scaler -3, mA; both
// double-long-unsigned). 3 A on one phase is 690 W (230 V x 3 A).
TEST(LoadControl, LimiterFollowsTheMonitoredValueAClientSets) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t lim = hxf::objects::limiter;
  const std::uint16_t dc = hxf::objects::disconnect_control;
  using R = mg::dlms::DataAccessResult;
  EXPECT_EQ(m.value(lim, 2), kMonitorAbsolutePower);  // the spec's choice
  ASSERT_EQ(m.set(lim, 4, hex("06 000007D0")), R::success);
  m.play(one_phase(0, 3), 120);  // 690 W < 2,000 W
  EXPECT_EQ(control_state(m, dc), kConnected);

  ASSERT_EQ(m.set(lim, 2, kMonitorCurrentL1), R::success);
  EXPECT_EQ(m.value(lim, 2), kMonitorCurrentL1);
  m.play(one_phase(1, 3), 120);  // 3 A on L2: L1 carries 0 mA
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(one_phase(0, 3), 59);  // 3,000 mA on L1 > 2,000: the 60th second trips
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(one_phase(0, 3), 1);
  EXPECT_EQ(control_state(m, dc), kReady);
  EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), mg::load_control::kReasonLocal);
}

// Over the threshold (100 W) for 60 s: the trip and action_over_threshold (a
// billing: the counter 0 -> 1). Reconnected 300 s later under 50 W: after
// min_under_threshold_duration (set to 3,600 s, which also clears the billing
// lock-out of 3,600 s after the first billing) action_under_threshold bills
// again (1 -> 2).
TEST(LoadControl, LimiterActionsRunTheirScriptsOnEachCrossing) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t lim = hxf::objects::limiter;
  const std::uint16_t dc = hxf::objects::disconnect_control;
  using R = mg::dlms::DataAccessResult;
  EXPECT_EQ(m.value(lim, 11), kNoActions);
  ASSERT_EQ(m.set(lim, 4, threshold_of(hxf::model, lim, 100)), R::success);
  ASSERT_EQ(m.set(lim, 7, hex("06 00000E10")), R::success);
  ASSERT_EQ(m.set(lim, 11, kBillOverAndUnder), R::success);
  EXPECT_EQ(m.value(lim, 11), kBillOverAndUnder);
  m.play(kOverload, 59);
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 0);
  m.play(kOverload, 1);  // t = 60 s
  EXPECT_EQ(control_state(m, dc), kReady);
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 1);
  m.play(kOverload, 300);  // t = 360 s: h
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kLight, 3599);
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 1);
  m.play(kLight, 1);  // t = 3,960 s: 3,600 s under the threshold
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 2);
  m.play(kLight, 600);  // under runs once per crossing
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 2);
}

// Wrong shapes are type-unmatched; a logical name the model lacks is
// object-undefined, one of another class object-class-inconsistent, a value
// the limiter cannot watch (another attribute, another type) or a script the
// table lacks other-reason; nothing changes on a refusal. The settings persist.
TEST(LoadControl, LimiterMonitoredValueAndActionsAreCheckedAndKept) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t lim = hxf::objects::limiter;
  using R = mg::dlms::DataAccessResult;
  EXPECT_EQ(m.set(lim, 2, hex("02 02 12 0003 09 06 01 00 1F 07 00 FF")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 2, hex("02 03 12 0003 09 05 01 00 1F 07 00 0F 02")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 2, hex("02 03 12 0003 09 06 01 00 63 63 63 FF 0F 02")), R::object_undefined);
  EXPECT_EQ(m.set(lim, 2, hex("02 03 12 0001 09 06 01 00 1F 07 00 FF 0F 02")), R::object_class_inconsistent);
  EXPECT_EQ(m.set(lim, 2, hex("02 03 12 0003 09 06 01 00 1F 07 00 FF 0F 03")), R::other_reason);  // scaler_unit
  EXPECT_EQ(m.set(lim, 2, hex("02 03 12 0003 09 06 01 00 20 07 00 FF 0F 02")), R::other_reason);  // voltage: long-unsigned
  EXPECT_EQ(m.value(lim, 2), kMonitorAbsolutePower);

  const Bytes no_action = hex("02 02 09 06 00 00 00 00 00 00 12 0000");
  auto actions = [&](const char* over) { return hex(std::string("02 02 ") + over + " 02 02 09 06 00 00 00 00 00 00 12 0000"); };
  EXPECT_EQ(m.set(lim, 11, no_action), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 00 00 0A 00 01 FF 11 01")), R::type_unmatched);
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 00 00 0A 00 FA FF 12 0001")), R::object_undefined);
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 01 00 1F 07 00 FF 12 0001")), R::object_class_inconsistent);
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 00 00 0A 00 01 FF 12 0002")), R::other_reason);  // MDI reset has script 1
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 00 00 0A 00 64 FF 12 0005")), R::other_reason);  // 4 tariffs
  EXPECT_EQ(m.set(lim, 11, actions("02 02 09 06 00 00 0A 00 01 FF 12 0000")), R::other_reason);
  EXPECT_EQ(m.value(lim, 11), kNoActions);
  const Bytes tariff_four = actions("02 02 09 06 00 00 0A 00 64 FF 12 0004");
  ASSERT_EQ(m.set(lim, 11, tariff_four), R::success);

  ASSERT_EQ(m.set(lim, 2, kMonitorCurrentL1), R::success);
  m.power_cut(10);
  EXPECT_EQ(m.value(lim, 2), kMonitorCurrentL1);
  EXPECT_EQ(m.value(lim, 11), tariff_four);
  // Still the L1 current after the cut: 2 A (2,000 mA) is over 1,000 mA; 2 A on
  // L2 would not be.
  ASSERT_EQ(m.set(lim, 4, hex("06 000003E8")), R::success);
  m.play(one_phase(1, 2), 120);
  EXPECT_EQ(control_state(m, hxf::objects::disconnect_control), kConnected);
  m.play(one_phase(0, 2), 60);
  EXPECT_EQ(control_state(m, hxf::objects::disconnect_control), kReady);
}

TEST(LoadControl, Hxf300ReconnectButtonMustBeHeldSixSeconds) {
  TimedMeter m(hxf::model, kStart);
  const std::uint16_t dc = hxf::objects::disconnect_control;
  ASSERT_EQ(m.act(dc, 1), mg::dlms::ActionResult::success);  // b
  ASSERT_EQ(m.act(dc, 2), mg::dlms::ActionResult::success);  // d: mode 5, ready
  EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), mg::load_control::kReasonRemote);
  m.hal.buttons = kReconnectButton;
  m.play(kLight, 5);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kLight, 1);
  EXPECT_EQ(control_state(m, dc), kConnected);  // e after 6 s
  m.play(kLight, 30);                            // held on: nothing more
  EXPECT_EQ(control_state(m, dc), kConnected);
  // With the sealable (billing) button too, for 6 s: manual disconnection f, and no billing.
  m.hal.buttons |= kBillingButton;
  m.play(kLight, 5);
  EXPECT_EQ(control_state(m, dc), kConnected);
  m.play(kLight, 1);
  EXPECT_EQ(control_state(m, dc), kReady);
  EXPECT_EQ(m.integer(hxf::objects::disconnect_reason), mg::load_control::kReasonManual);
  m.play(kLight, 20);
  EXPECT_EQ(m.integer(hxf::objects::billing_period_counter), 0);
}

// ---------------------------------------------------------------------------
// DTSD545 §5.2.8: power limitation t1/t2, counter, final "disconnected"

TEST(LoadControl, Dtsd545AllThresholdsZeroDisablesTheLimitation) {
  TimedMeter m(dtsd::model, kStart);
  m.play(kOverload, 600);
  EXPECT_EQ(control_state(m, dtsd::objects::disconnect_control), kConnected);
}

TEST(LoadControl, Dtsd545CounterClearsBelowTheThresholdAndAtPowerOff) {
  TimedMeter m(dtsd::model, kStart);
  const std::uint16_t dc = dtsd::objects::disconnect_control;
  ASSERT_EQ(m.set(dtsd::objects::power_limiter, 4, threshold_of(dtsd::model, dtsd::objects::power_limiter, 100)),
            mg::dlms::DataAccessResult::success);
  m.play(kOverload, 60);  // t1
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 300);  // t2
  EXPECT_EQ(control_state(m, dc), kConnected);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 1);
  m.play(kLight, 1);  // the power below the threshold: the counter clears at once
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 0);

  m.play(kOverload, 360);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 1);
  m.power_cut(60);  // a power off clears it too
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 0);
}

TEST(LoadControl, Dtsd545AfterTheMaximumOnlyACommandReconnects) {
  TimedMeter m(dtsd::model, kStart);
  const std::uint16_t dc = dtsd::objects::disconnect_control;
  ASSERT_EQ(m.set(dtsd::objects::power_limiter, 4, threshold_of(dtsd::model, dtsd::objects::power_limiter, 100)),
            mg::dlms::DataAccessResult::success);
  // During t2 the button reconnects at once (e, a press: no hold in the spec); the count stays.
  m.play(kOverload, 60);
  m.hal.buttons = kReconnectButton;
  m.play(kOverload, 1);
  m.hal.buttons = 0;
  EXPECT_EQ(control_state(m, dc), kConnected);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 0);
  // Three automatic reconnections, then the fourth disconnection is final.
  for (int i = 0; i < 3; ++i) m.play(kOverload, 360);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 3);
  m.play(kOverload, 60);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 600);
  EXPECT_EQ(control_state(m, dc), kReady);
  hold(m, kReconnectButton, 2, kOverload);  // the button cannot connect the supply now
  EXPECT_EQ(control_state(m, dc), kReady);
  // A remote command: c, then d (mode 5) clears the counter and the lock; the button then works.
  EXPECT_EQ(m.act(dc, 1), mg::dlms::ActionResult::success);
  EXPECT_EQ(m.act(dc, 2), mg::dlms::ActionResult::success);
  EXPECT_EQ(control_state(m, dc), kReady);
  EXPECT_EQ(m.meter().load_control().limiter_state(0).reconnections, 0);
  m.hal.buttons = kReconnectButton;
  m.play(kLight, 1);
  EXPECT_EQ(control_state(m, dc), kConnected);
}

TEST(LoadControl, ReconnectDelayRunsOnAfterAPowerCut) {
  // The limiter's timers are in its object's state and persist: 100 s of t2
  // before a cut and 200 s after it make the 300 s.
  TimedMeter m(dtsd::model, kStart);
  const std::uint16_t dc = dtsd::objects::disconnect_control;
  ASSERT_EQ(m.set(dtsd::objects::power_limiter, 4, threshold_of(dtsd::model, dtsd::objects::power_limiter, 100)),
            mg::dlms::DataAccessResult::success);
  m.play(kOverload, 160);
  m.power_cut(3600);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 199);
  EXPECT_EQ(control_state(m, dc), kReady);
  m.play(kOverload, 1);
  EXPECT_EQ(control_state(m, dc), kConnected);
}

}  // namespace
