// COSEM interface classes (cosem/objects.hpp) against clms100's tables, with an
// in-memory HAL and session. Expected bytes are laid out by hand from
// cosem-interface-classes.md, disconnect-control.md and dlms-protocol.md §14;
// the source of each is noted beside it. The object list is compared with the
// generator's independent output, generated/clms100/object_list.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <metergen/cosem/objects.hpp>
#include <metergen/storage/slot_ring.hpp>
#include <clms100/model.hpp>

#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::cosem::Objects;
using metergen::cosem::Profiles;
using metergen::cosem::Session;
using metergen::dlms::ActionResult;
using metergen::dlms::DataAccessResult;
using metergen::tables::LocalTrigger;
using metergen::test::hex;
namespace clms = metergen::models::clms100;
namespace obj = clms::objects;
using Bytes = std::vector<std::uint8_t>;

class TestHal final : public metergen::hal::Hal {
 public:
  std::uint64_t now_ms = 0;
  std::vector<std::uint8_t> nvm = std::vector<std::uint8_t>(32768, 0xFF);

  std::uint64_t utc_ms() override { return now_ms; }
  bool set_utc_ms(std::uint64_t ms) override {
    now_ms = ms;
    return true;
  }
  std::uint32_t ticks_ms() override { return 0; }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm.size()); }
  bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) override {
    if (offset + n > nvm.size()) return false;
    std::copy_n(nvm.begin() + offset, n, out);
    return true;
  }
  bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) override {
    if (offset + n > nvm.size()) return false;
    std::copy_n(in, n, nvm.begin() + offset);
    return true;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::fill_n(out, n, 0x55); }
  std::size_t secret(std::uint8_t, metergen::hal::Secret kind, std::uint8_t* out, std::size_t cap) override {
    if (kind != metergen::hal::Secret::server_system_title || cap < 8) return 0;
    const Bytes title = hex("4D 47 4E 00 00 00 00 01");
    std::copy(title.begin(), title.end(), out);
    return title.size();
  }
  void log(const char*) override {}
};

class TestSession final : public Session {
 public:
  std::uint16_t assoc = clms::associations::public_;
  Bytes last_f_stoc;

  std::uint16_t association() const override { return assoc; }
  std::uint8_t association_status() const override { return 2; }
  std::uint32_t negotiated_conformance() const override { return 0x00101D; }
  std::uint16_t negotiated_max_pdu() const override { return 0x0400; }
  metergen::tables::Authentication mechanism() const override { return metergen::tables::Authentication::none; }
  ActionResult reply_to_hls_authentication(ByteReader f_stoc, ByteWriter& out) override {
    last_f_stoc.assign(f_stoc.current(), f_stoc.current() + f_stoc.remaining());
    out.u8(0x09);
    out.u8(0x01);
    out.u8(0xAA);
    return ActionResult::success;
  }
};

class RecordingHooks final : public metergen::cosem::Hooks {
 public:
  std::vector<bool> relay;
  std::vector<std::string> transitions;  // "from>to cause" per control_state_changed
  int clock_sets = 0;
  void relay_changed(bool connected) override { relay.push_back(connected); }
  void control_state_changed(std::uint8_t from, std::uint8_t to, metergen::cosem::RelayCause cause) override {
    static constexpr const char* kKinds[] = {"remote", "manual", "local"};
    std::string t = std::to_string(from) + ">" + std::to_string(to) + " " + kKinds[static_cast<int>(cause.kind)];
    if (cause.kind == metergen::cosem::RelayCause::Kind::local) t += " " + std::to_string(static_cast<int>(cause.trigger));
    transitions.push_back(t);
  }
  void clock_set() override { ++clock_sets; }
};

class CosemObjects : public ::testing::Test {
 protected:
  TestHal hal;
  RecordingHooks hooks;
  TestSession session;
  Profiles profiles{clms::model, hal};
  Objects objects{clms::model, hal, hooks, profiles};

  std::uint32_t objects_bytes = 0;  // the objects record, from NVM offset 0

  void SetUp() override {
    metergen::storage::Allocator at(0, 0);
    objects.place(at, hal.nvm_geometry());
    objects_bytes = at.end();
    profiles.place(at, hal.nvm_geometry());
    profiles.attach(objects);
    objects.boot();
    profiles.boot();
  }

  Bytes get(std::uint16_t object, std::int8_t attribute, DataAccessResult expected = DataAccessResult::success) {
    std::vector<std::uint8_t> buf(8192);
    ByteWriter w(buf.data(), buf.size());
    EXPECT_EQ(objects.get(session, object, attribute, nullptr, w), expected);
    EXPECT_FALSE(w.overflow());
    buf.resize(w.size());
    return buf;
  }
  DataAccessResult set(std::uint16_t object, std::int8_t attribute, const Bytes& value) {
    return objects.set(session, object, attribute, nullptr, ByteReader(value.data(), value.size()));
  }
  ActionResult act(std::uint16_t object, std::int8_t method, const Bytes& params = hex("0F 00")) {
    std::uint8_t buf[64];
    ByteWriter ret(buf, sizeof buf);
    bool has_return = false;
    return objects.action(session, object, method, ByteReader(params.data(), params.size()), ret, has_return);
  }
  bool write(std::uint16_t object, const Bytes& value) {
    return objects.write_value(object, ByteReader(value.data(), value.size()));
  }
};

// ---- Data, Register ----

TEST_F(CosemObjects, LogicalNameIsSixByteOctetString) {
  // 0.0.1.0.0.255 as octet-string(6): 09 06 + the six bytes.
  EXPECT_EQ(get(obj::clock, 1), hex("09 06 00 00 01 00 00 FF"));
}

TEST_F(CosemObjects, RegisterValueAndScalerUnit) {
  // battery_voltage: long-unsigned, scaler -2, unit 35 (V). 3.00 V = 300 = 0x012C.
  ASSERT_TRUE(write(obj::battery_voltage, hex("12 01 2C")));
  EXPECT_EQ(get(obj::battery_voltage, 2), hex("12 01 2C"));
  // scaler_unit: structure{integer scaler, enum unit} = 02 02 0F <scaler> 16 <unit>.
  EXPECT_EQ(get(obj::battery_voltage, 3), hex("02 02 0F FE 16 23"));
}

TEST_F(CosemObjects, DataDefaultsComeFromTheValuePool) {
  // long_power_failure_threshold: pool bytes 12 00 B4 (180 s) in generated/clms100/model.cpp.
  EXPECT_EQ(get(obj::long_power_failure_threshold, 2), hex("12 00 B4"));
  // serial_number has no default: the manufacturing number of the server system
  // title 4D474D 0000000001, 1, as a visible-string of 16 digits (value_size 18).
  EXPECT_EQ(get(obj::serial_number, 2), hex("0A 10 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 31"));
}

TEST_F(CosemObjects, SetWithWrongTypeOrSizeChangesNothing) {
  // long_power_failure_threshold is long-unsigned (tag 0x12, 3 bytes).
  EXPECT_EQ(set(obj::long_power_failure_threshold, 2, hex("06 00 00 00 05")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(obj::long_power_failure_threshold, 2, hex("12 00")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(obj::long_power_failure_threshold, 2, hex("12 00 05 00")), DataAccessResult::type_unmatched);
  EXPECT_EQ(get(obj::long_power_failure_threshold, 2), hex("12 00 B4"));
  EXPECT_EQ(set(obj::long_power_failure_threshold, 2, hex("12 01 2C")), DataAccessResult::success);
  EXPECT_EQ(get(obj::long_power_failure_threshold, 2), hex("12 01 2C"));
  // A string of the right tag but another length is refused too.
  EXPECT_EQ(set(obj::serial_number, 2, hex("0A 02 41 42")), DataAccessResult::type_unmatched);
}

TEST_F(CosemObjects, RegisterResetZeroesTheValue) {
  ASSERT_TRUE(write(obj::operating_time, hex("06 00 00 10 00")));
  EXPECT_EQ(act(obj::operating_time, 1), ActionResult::success);
  EXPECT_EQ(get(obj::operating_time, 2), hex("06 00 00 00 00"));
  EXPECT_EQ(act(obj::operating_time, 1, hex("11 00")), ActionResult::type_unmatched);
}

// ---- Clock ----

// Epoch seconds of the instants below were computed independently (Python
// datetime); local times follow CET/CEST with the EU rule of clms100.yaml.
TEST_F(CosemObjects, ClockInWinterHasDeviationMinus60) {
  hal.now_ms = 1705314600000ull;  // 2024-01-15 10:30:00 UTC, a Monday
  // 11:30:00.00 CET: deviation -60 (FF C4), status 00 (dlms-protocol.md §14).
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 01 0F 01 0B 1E 00 00 FF C4 00"));
  EXPECT_EQ(get(obj::clock, 4), hex("11 00"));
  EXPECT_EQ(get(obj::clock, 3), hex("10 FF C4"));  // time_zone -60, local-to-UTC sign
}

TEST_F(CosemObjects, ClockInSummerHasDstBitAndDeviationMinus120) {
  hal.now_ms = 1719835200500ull;  // 2024-07-01 12:00:00.50 UTC, a Monday
  // 14:00:00.50 CEST: hundredths 0x32, deviation -120 (FF 88), status 0x80 (DST active).
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 07 01 01 0E 00 00 32 FF 88 80"));
  EXPECT_EQ(get(obj::clock, 4), hex("11 80"));
}

TEST_F(CosemObjects, ClockSwitchesAtTheEuDstInstants) {
  hal.now_ms = 1711846799000ull;  // 2024-03-31 00:59:59 UTC: still 01:59:59 CET (Sunday)
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 03 1F 07 01 3B 3B 00 FF C4 00"));
  hal.now_ms = 1711846800000ull;  // 01:00:00 UTC: 03:00:00 CEST
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 03 1F 07 03 00 00 00 FF 88 80"));
  hal.now_ms = 1729990799000ull;  // 2024-10-27 00:59:59 UTC: 02:59:59 CEST
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 0A 1B 07 02 3B 3B 00 FF 88 80"));
  hal.now_ms = 1729990800000ull;  // 01:00:00 UTC: 02:00:00 CET
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 0A 1B 07 02 00 00 00 FF C4 00"));
}

TEST_F(CosemObjects, ClockDstRuleAttributes) {
  // Last Sunday of March 02:00 / of October 03:00: month, day FE (last), day of week 7.
  EXPECT_EQ(get(obj::clock, 5), hex("09 0C FF FF 03 FE 07 02 00 00 00 80 00 FF"));
  EXPECT_EQ(get(obj::clock, 6), hex("09 0C FF FF 0A FE 07 03 00 00 00 80 00 FF"));
  EXPECT_EQ(get(obj::clock, 7), hex("0F 3C"));
  EXPECT_EQ(get(obj::clock, 8), hex("03 01"));
  EXPECT_EQ(get(obj::clock, 9), hex("16 01"));  // internal crystal
}

TEST_F(CosemObjects, SetClockTimeWithDeviation) {
  // 2024-07-01 14:00:00 with deviation -120 is 12:00:00 UTC.
  EXPECT_EQ(set(obj::clock, 2, hex("09 0C 07 E8 07 01 FF 0E 00 00 00 FF 88 80")), DataAccessResult::success);
  EXPECT_EQ(hal.now_ms, 1719835200000ull);
  EXPECT_EQ(hooks.clock_sets, 1);
  // Not a date-time: refused, clock unchanged.
  EXPECT_EQ(set(obj::clock, 2, hex("09 04 07 E8 07 01")), DataAccessResult::type_unmatched);
  EXPECT_EQ(hal.now_ms, 1719835200000ull);
}

TEST_F(CosemObjects, ClockSettingsAreTypeChecked) {
  EXPECT_EQ(set(obj::clock, 8, hex("03 00")), DataAccessResult::success);
  hal.now_ms = 1719835200000ull;  // summer, but DST now disabled: CET
  EXPECT_EQ(get(obj::clock, 2), hex("09 0C 07 E8 07 01 01 0D 00 00 00 FF C4 00"));
  EXPECT_EQ(set(obj::clock, 3, hex("0F C4")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(obj::clock, 9, hex("16 09")), DataAccessResult::other_reason);
  EXPECT_EQ(get(obj::clock, 9), hex("16 01"));
}

TEST_F(CosemObjects, ClockMethods) {
  hal.now_ms = 1705314600000ull + 7 * 60000 + 31000;  // 10:37:31 UTC
  EXPECT_EQ(act(obj::clock, 3), ActionResult::success);  // nearest minute: 10:38:00
  EXPECT_EQ(hal.now_ms, 1705314600000ull + 8 * 60000);
  EXPECT_EQ(act(obj::clock, 1), ActionResult::success);  // nearest quarter: 10:45:00
  EXPECT_EQ(hal.now_ms, 1705314600000ull + 15 * 60000);
  EXPECT_EQ(act(obj::clock, 6, hex("10 FF 88")), ActionResult::success);  // shift -120 s
  EXPECT_EQ(hal.now_ms, 1705314600000ull + 13 * 60000);
  EXPECT_EQ(act(obj::clock, 6, hex("10 03 E8")), ActionResult::other_reason);  // +1000 s > 900
}

// ---- Association LN, SAP assignment, Security setup ----

std::uint8_t ln_byte(const std::string& dotted, int i) {
  std::size_t pos = 0;
  for (int k = 0; k < i; ++k) pos = dotted.find('.', pos) + 1;
  return static_cast<std::uint8_t>(std::stoi(dotted.substr(pos)));
}

// Builds nothing from our encoder: walks the encoded object_list and checks each
// element against the JSON the generator wrote.
TEST_F(CosemObjects, PublicObjectListMatchesGeneratedJson) {
  std::ifstream in(std::string(METERGEN_SOURCE_DIR) + "/generated/clms100/object_list.json");
  ASSERT_TRUE(in.good());
  const nlohmann::json doc = nlohmann::json::parse(in);
  const nlohmann::json* listed = nullptr;
  for (const auto& a : doc["associations"])
    if (a["name"] == "public") listed = &a["objects"];
  ASSERT_NE(listed, nullptr);

  session.assoc = clms::associations::public_;
  const Bytes list = get(obj::current_association, 2);
  std::size_t at = 0;
  auto next = [&]() -> std::uint8_t { return at < list.size() ? list[at++] : 0xEE; };
  ASSERT_EQ(next(), 0x01);  // array
  ASSERT_EQ(next(), listed->size());
  for (const auto& o : *listed) {
    SCOPED_TRACE(o["logical_name"].get<std::string>());
    EXPECT_EQ(next(), 0x02);  // structure of 4
    EXPECT_EQ(next(), 4);
    EXPECT_EQ(next(), 0x12);  // class_id long-unsigned
    const int class_id = next() << 8;
    EXPECT_EQ(class_id | next(), o["class_id"].get<int>());
    EXPECT_EQ(next(), 0x11);  // version unsigned
    EXPECT_EQ(next(), o["version"].get<int>());
    EXPECT_EQ(next(), 0x09);  // logical_name octet-string(6)
    EXPECT_EQ(next(), 6);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(next(), ln_byte(o["logical_name"], i));
    EXPECT_EQ(next(), 0x02);  // access_rights structure of 2
    EXPECT_EQ(next(), 2);
    EXPECT_EQ(next(), 0x01);
    EXPECT_EQ(next(), o["attributes"].size());
    for (const auto& a : o["attributes"]) {
      EXPECT_EQ(next(), 0x02);
      EXPECT_EQ(next(), 3);
      EXPECT_EQ(next(), 0x0F);  // attribute_id integer
      EXPECT_EQ(next(), a["id"].get<int>());
      EXPECT_EQ(next(), 0x16);  // access_mode enum
      EXPECT_EQ(next(), a["access"].get<int>());
      if (a.contains("selectors")) {
        EXPECT_EQ(next(), 0x01);
        EXPECT_EQ(next(), a["selectors"].size());
        for (const auto& s : a["selectors"]) {
          EXPECT_EQ(next(), 0x0F);
          EXPECT_EQ(next(), s.get<int>());
        }
      } else {
        EXPECT_EQ(next(), 0x00);  // null-data
      }
    }
    EXPECT_EQ(next(), 0x01);
    EXPECT_EQ(next(), o["methods"].size());
    for (const auto& m : o["methods"]) {
      EXPECT_EQ(next(), 0x02);
      EXPECT_EQ(next(), 2);
      EXPECT_EQ(next(), 0x0F);
      EXPECT_EQ(next(), m["id"].get<int>());
      EXPECT_EQ(next(), 0x16);
      EXPECT_EQ(next(), m["access"].get<int>());
    }
  }
  EXPECT_EQ(at, list.size());
}

TEST_F(CosemObjects, ReaderObjectListShowsProfileSelectors) {
  // The reader association lists load_profile; its attribute 2 offers selectors 1 and 2.
  session.assoc = clms::associations::reader;
  const Bytes list = get(obj::association_reader, 2);
  const Bytes load_profile_ln = hex("09 06 01 00 63 01 00 FF");
  auto it = std::search(list.begin(), list.end(), load_profile_ln.begin(), load_profile_ln.end());
  ASSERT_NE(it, list.end());
  // After the LN: 02 02 01 <n> then attribute 1 {02 03 0F 01 16 01 00}, attribute 2 {02 03 0F 02 16 01 01 02 0F 01 0F 02}.
  const Bytes expected = hex("02 02 01");
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), it + 8));
  const Bytes attribute2 = hex("02 03 0F 02 16 01 01 02 0F 01 0F 02");
  EXPECT_TRUE(std::equal(attribute2.begin(), attribute2.end(), it + 8 + 4 + 7));
}

TEST_F(CosemObjects, AssociationAttributes) {
  session.assoc = clms::associations::public_;
  EXPECT_EQ(get(obj::current_association, 3), hex("02 02 0F 10 12 00 01"));  // client SAP 16, server SAP 1
  EXPECT_EQ(get(obj::current_association, 4), hex("09 07 60 85 74 05 08 01 01"));  // LN, no ciphering
  EXPECT_EQ(get(obj::current_association, 6), hex("09 07 60 85 74 05 08 02 00"));  // lowest level
  EXPECT_EQ(get(obj::association_utility, 6), hex("09 07 60 85 74 05 08 02 05"));  // HLS GMAC
  EXPECT_EQ(get(obj::current_association, 7, DataAccessResult::read_write_denied), Bytes{});
  EXPECT_EQ(get(obj::current_association, 8), hex("16 02"));
  EXPECT_EQ(get(obj::association_reader, 8), hex("16 00"));
  // xDLMS_context_info: bit-string(24) conformance, max PDU twice, version 6, QoS 0, no cyphering info.
  EXPECT_EQ(get(obj::current_association, 5),
            hex("02 06 04 18 00 10 1D 12 04 00 12 04 00 11 06 0F 00 09 00"));
  EXPECT_EQ(get(obj::association_utility, 9), hex("09 06 00 00 2B 00 01 FF"));  // security_setup_utility
}

TEST_F(CosemObjects, ReplyToHlsAuthenticationGoesToTheSession) {
  session.assoc = clms::associations::utility;
  std::uint8_t buf[16];
  ByteWriter ret(buf, sizeof buf);
  bool has_return = false;
  const Bytes params = hex("09 03 01 02 03");
  EXPECT_EQ(objects.action(session, obj::current_association, 1, ByteReader(params.data(), params.size()), ret, has_return),
            ActionResult::success);
  EXPECT_TRUE(has_return);
  EXPECT_EQ(session.last_f_stoc, hex("01 02 03"));
  EXPECT_EQ(Bytes(buf, buf + ret.size()), hex("09 01 AA"));
  // Another association's object cannot authenticate the caller.
  EXPECT_EQ(objects.action(session, obj::association_public, 1, ByteReader(params.data(), params.size()), ret,
                           has_return),
            ActionResult::read_write_denied);
}

TEST_F(CosemObjects, SapAssignmentNamesTheLogicalDevice) {
  // One entry {SAP 1, logical device name from 0.0.42.0.0.255 = "CNXCLMS100000001" (value pool)}.
  EXPECT_EQ(get(obj::sap_assignment, 2),
            hex("01 01 02 02 12 00 01 09 10 43 4E 58 43 4C 4D 53 31 30 30 30 30 30 30 30 31"));
}

TEST_F(CosemObjects, SecuritySetupServerTitleFromHal) {
  EXPECT_EQ(get(obj::security_setup_utility, 5), hex("09 08 4D 47 4E 00 00 00 00 01"));
  EXPECT_EQ(get(obj::security_setup_utility, 3), hex("16 00"));
}

// ---- Disconnect control (clms100: default mode 5, all modes supported) ----

TEST_F(CosemObjects, DisconnectControlMode5Transitions) {
  // disconnect-control.md §5: output_state TRUE only in Connected.
  EXPECT_EQ(get(obj::disconnect_control, 4), hex("16 05"));
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 01"));
  EXPECT_EQ(get(obj::disconnect_control, 2), hex("03 01"));

  EXPECT_EQ(act(obj::disconnect_control, 1), ActionResult::success);  // b: Connected -> Disconnected
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 00"));
  EXPECT_EQ(get(obj::disconnect_control, 2), hex("03 00"));
  EXPECT_FALSE(objects.manual_reconnect());  // no manual step out of Disconnected
  EXPECT_FALSE(objects.local_reconnect(LocalTrigger::limiter));

  EXPECT_EQ(act(obj::disconnect_control, 2), ActionResult::success);  // d: Disconnected -> Ready
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 02"));
  EXPECT_EQ(get(obj::disconnect_control, 2), hex("03 00"));

  EXPECT_TRUE(objects.manual_reconnect());  // e: Ready -> Connected
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 01"));
  EXPECT_TRUE(objects.local_disconnect(LocalTrigger::limiter));  // g: Connected -> Ready
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 02"));
  EXPECT_TRUE(objects.local_reconnect(LocalTrigger::limiter));  // h (modes 5, 6): Ready -> Connected
  EXPECT_TRUE(objects.manual_disconnect());  // f (modes 1, 2, 5): Connected -> Ready
  EXPECT_EQ(act(obj::disconnect_control, 1), ActionResult::success);  // c: Ready -> Disconnected
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 00"));

  EXPECT_EQ(hooks.relay, (std::vector<bool>{false, true, false, true, false}));
  // Every transition reported once, with its cause (the limiter is LocalTrigger 0).
  EXPECT_EQ(hooks.transitions, (std::vector<std::string>{"1>0 remote", "0>2 remote", "2>1 manual", "1>2 local 0",
                                                         "2>1 local 0", "1>2 manual", "2>0 remote"}));
}

TEST_F(CosemObjects, DisconnectControlLocalTriggerNotListedIsInhibited) {
  // clms100 lists only the limiter (disconnect_control.local_triggers).
  EXPECT_FALSE(objects.local_disconnect(LocalTrigger::tamper));
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 01"));
  EXPECT_TRUE(hooks.transitions.empty());
}

TEST_F(CosemObjects, DisconnectControlModesChangeReconnection) {
  EXPECT_EQ(set(obj::disconnect_control, 4, hex("16 02")), DataAccessResult::success);
  EXPECT_EQ(act(obj::disconnect_control, 1), ActionResult::success);
  EXPECT_EQ(act(obj::disconnect_control, 2), ActionResult::success);  // a (modes 2, 4): straight to Connected
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 01"));

  EXPECT_EQ(set(obj::disconnect_control, 4, hex("16 03")), DataAccessResult::success);
  EXPECT_FALSE(objects.manual_disconnect());  // f not in mode 3
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 01"));

  EXPECT_EQ(set(obj::disconnect_control, 4, hex("16 08")), DataAccessResult::other_reason);
  EXPECT_EQ(set(obj::disconnect_control, 4, hex("11 02")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(obj::disconnect_control, 3, hex("16 00")), DataAccessResult::read_write_denied);
  EXPECT_EQ(get(obj::disconnect_control, 4), hex("16 03"));
}

// ---- Limiter ----

TEST_F(CosemObjects, LimiterThresholdsFromTheTable) {
  // clms100 limiter: monitors active_import_power (class 3, 1.0.1.7.0.255), normal 18400, min over 60 s.
  EXPECT_EQ(get(obj::limiter, 2), hex("02 03 12 00 03 09 06 01 00 01 07 00 FF 0F 02"));
  EXPECT_EQ(get(obj::limiter, 4), hex("06 00 00 47 E0"));  // 18400 = 0x47E0 (value pool default)
  EXPECT_EQ(get(obj::limiter, 6), hex("06 00 00 00 3C"));
  EXPECT_EQ(set(obj::limiter, 4, hex("12 47 E0")), DataAccessResult::type_unmatched);
  EXPECT_EQ(set(obj::limiter, 4, hex("06 00 00 3A 98")), DataAccessResult::success);  // 15000
  EXPECT_EQ(get(obj::limiter, 3), hex("06 00 00 3A 98"));
}

// ---- Generic classes ----

// clms100's image transfer (0.0.44.0.0.255) gives no attributes: the class's
// defaults, image_block_size 0 (06 00 00 00 00), image_transfer_enabled false
// (03 00); its methods do nothing.
TEST_F(CosemObjects, ClassesWithoutBehaviourAnswerConstants) {
  EXPECT_EQ(get(obj::image_transfer, 1), hex("09 06 00 00 2C 00 00 FF"));
  EXPECT_EQ(get(obj::image_transfer, 2), hex("06 00 00 00 00"));
  EXPECT_EQ(get(obj::image_transfer, 5), hex("03 00"));
  EXPECT_EQ(act(obj::image_transfer, 1), ActionResult::other_reason);
  get(clms::kObjectCount, 1, DataAccessResult::object_undefined);
}

// ---- Access rights ----

TEST_F(CosemObjects, AccessRightsFromTheProfiles) {
  using metergen::tables::AttrAccess;
  using metergen::tables::MethodAccess;
  // object_list.json, public: clock attributes 1..9 read, methods 1..6 none; serial number listed, energy not.
  EXPECT_EQ(objects.attribute_access(clms::associations::public_, obj::clock, 2), AttrAccess::read);
  EXPECT_EQ(objects.attribute_access(clms::associations::public_, obj::clock, 10), AttrAccess::none);
  EXPECT_EQ(objects.method_access(clms::associations::public_, obj::clock, 1), MethodAccess::none);
  EXPECT_EQ(objects.attribute_access(clms::associations::public_, obj::active_import_energy, 2), AttrAccess::none);
  EXPECT_EQ(objects.attribute_access(9, obj::clock, 2), AttrAccess::none);
}

// ---- Persistence ----

TEST_F(CosemObjects, PersistAndBootRestoresValuesAndClockSettings) {
  ASSERT_TRUE(write(obj::power_failure_count, hex("12 00 07")));
  ASSERT_EQ(set(obj::clock, 8, hex("03 00")), DataAccessResult::success);
  ASSERT_EQ(act(obj::disconnect_control, 1), ActionResult::success);
  ASSERT_TRUE(objects.persist());

  RecordingHooks hooks2;
  Objects rebooted(clms::model, hal, hooks2, profiles);
  metergen::storage::Allocator at(0, 0);
  rebooted.place(at, hal.nvm_geometry());
  ASSERT_TRUE(rebooted.boot());
  EXPECT_EQ(get(obj::power_failure_count, 2), hex("12 00 07"));
  EXPECT_EQ(get(obj::clock, 8), hex("03 00"));
  EXPECT_EQ(get(obj::disconnect_control, 3), hex("16 00"));
  EXPECT_EQ(rebooted.clock_settings().dst_enabled, 0);
}

TEST_F(CosemObjects, AnUnchangedStateIsNotWrittenAgain) {
  ASSERT_TRUE(write(obj::power_failure_count, hex("12 00 07")));
  ASSERT_TRUE(objects.persist());
  ASSERT_TRUE(objects.persist());
  EXPECT_EQ(objects.writes(), 1u);
  ASSERT_TRUE(write(obj::power_failure_count, hex("12 00 08")));
  ASSERT_TRUE(objects.persist());
  EXPECT_EQ(objects.writes(), 2u);
}

TEST_F(CosemObjects, BootFallsBackToTheOlderCopyThenToDefaults) {
  ASSERT_TRUE(write(obj::power_failure_count, hex("12 00 01")));
  ASSERT_TRUE(objects.persist());  // sequence 1: second slot
  ASSERT_TRUE(write(obj::power_failure_count, hex("12 00 02")));
  ASSERT_TRUE(objects.persist());  // sequence 2: first slot
  const std::uint32_t copy = objects_bytes / 2;

  hal.nvm[20] ^= 0xFF;  // corrupt the newest copy's body
  objects.boot();
  EXPECT_EQ(get(obj::power_failure_count, 2), hex("12 00 01"));

  // The restored copy was written again over the damaged one (sequence 2,
  // first slot): both slots are corrupted for nothing to be left.
  hal.nvm[20] ^= 0xFF;
  hal.nvm[copy + 20] ^= 0xFF;
  EXPECT_FALSE(objects.boot());
  EXPECT_EQ(get(obj::power_failure_count, 2), hex("12 00 00"));
  EXPECT_EQ(get(obj::long_power_failure_threshold, 2), hex("12 00 B4"));
  EXPECT_EQ(get(obj::clock, 8), hex("03 01"));
}

}  // namespace
