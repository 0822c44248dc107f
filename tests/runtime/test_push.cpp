// Push setup (IC 40), the DataNotification and the push engine, in process.
// Expected bytes are worked out by hand from the Green Book layout
// (0F | long-invoke-id-and-priority | date-time | body), dlms-protocol.md §4
// (wrapper), §13/§14 (A-XDR, date-time) and §16 (general-glo-ciphering), and
// the specs; a ciphered push is deciphered with OpenSSL, not our GCM.
#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <string>
#include <vector>

#include <dtsd545/model.hpp>
#include <hxf300-eu/model.hpp>
#include <push-test/model.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/push/data_notification.hpp>

#include "../support/memory_hal.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::dlms::ActionResult;
using metergen::dlms::DataAccessResult;
using metergen::test::hex;
using metergen::test::MemoryHal;
using Bytes = std::vector<std::uint8_t>;

// MemoryHal's clock: 1700000000 s = 2023-11-14 (a Tuesday) 22:13:20 UTC.
const Bytes kTimeUtc = hex("07 E7 0B 0E 02 16 0D 14 00 00 00 00");
const Bytes kTimeCet = hex("07 E7 0B 0E 02 17 0D 14 00 FF C4 00");  // hxf300-eu: UTC+1, deviation -60

class TestSession final : public metergen::cosem::Session {
 public:
  std::uint16_t association() const override { return 0; }
  std::uint8_t association_status() const override { return 2; }
  std::uint32_t negotiated_conformance() const override { return 0; }
  std::uint16_t negotiated_max_pdu() const override { return 1024; }
  metergen::tables::Authentication mechanism() const override { return metergen::tables::Authentication::none; }
  ActionResult reply_to_hls_authentication(ByteReader, ByteWriter&) override { return ActionResult::read_write_denied; }
};

class Push : public ::testing::Test {
 protected:
  explicit Push(const metergen::tables::Model& m = metergen::models::hxf300_eu::model) : model(m), meter(m, hal) {
    meter.boot();
    object = metergen::tables::find_object(m, {{0, 0, 25, 9, 0, 255}});
  }

  DataAccessResult set(std::int8_t attribute, const Bytes& v) {
    return meter.objects().set(session, object, attribute, nullptr, ByteReader(v.data(), v.size()));
  }
  Bytes get(std::int8_t attribute) {
    Bytes out(1024);
    ByteWriter w(out.data(), out.size());
    EXPECT_EQ(meter.objects().get(session, object, attribute, nullptr, w), DataAccessResult::success);
    out.resize(w.size());
    return out;
  }
  ActionResult push_method(const Bytes& parameter = hex("0F 00")) {
    Bytes ret(16);
    ByteWriter w(ret.data(), ret.size());
    bool has_return = false;
    return meter.objects().action(session, object, 1, ByteReader(parameter.data(), parameter.size()), w, has_return);
  }
  // Pushes the push setup's own logical name (attribute 1), number_of_retries and repetition_delay.
  void push_simple_list() {
    ASSERT_EQ(set(2, hex("01 03"
                         " 02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 01 12 00 00"
                         " 02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 06 12 00 00"
                         " 02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 07 12 00 00")),
              DataAccessResult::success);
  }
  void ticks(int n) {
    for (int i = 0; i < n; ++i) meter.tick();
  }

  const metergen::tables::Model& model;
  MemoryHal hal;
  metergen::dlms::Meter meter;
  TestSession session;
  std::uint16_t object = metergen::tables::kNone;
};

TEST(DataNotification, HeaderWithAndWithoutDateTime) {
  Bytes out(32);
  ByteWriter w(out.data(), out.size());
  metergen::axdr::DateTime t{2023, 11, 14, 2, 23, 13, 20, 0, -60, 0};
  metergen::push::put_header(w, 0x00000001, &t);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + w.size()), hex("0F 00 00 00 01 0C 07 E7 0B 0E 02 17 0D 14 00 FF C4 00"));
  ByteWriter v(out.data(), out.size());
  metergen::push::put_header(v, metergen::push::kPriorityHigh | 0x123456, nullptr);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + v.size()), hex("0F 80 12 34 56 00"));
}

TEST(DataNotification, DecodesAHandWrittenNotification) {
  // invoke id 5, no date-time, body structure{long-unsigned 7}.
  const Bytes apdu = hex("0F 00 00 00 05 00 02 01 12 00 07");
  metergen::push::Notification n{};
  ASSERT_TRUE(metergen::push::decode(ByteReader(apdu.data(), apdu.size()), n));
  EXPECT_EQ(n.long_invoke_id_and_priority, 5u);
  EXPECT_FALSE(n.has_time);
  EXPECT_EQ(Bytes(n.body.current(), n.body.current() + n.body.remaining()), hex("02 01 12 00 07"));
  for (const char* bad : {"0E 00 00 00 05 00 02 01 12 00 07", "0F 00 00 00 05 05 01 02 03 04 05 12 00 07",
                          "0F 00 00 00 05 00 02 01 12 00 07 00", "0F 00 00 00 05 00 02 02 12 00 07", "0F 00 00"}) {
    const Bytes b = hex(bad);
    EXPECT_FALSE(metergen::push::decode(ByteReader(b.data(), b.size()), n)) << bad;
  }
}

TEST_F(Push, DefaultsComeFromTheSpec) {
  // specs/hxf300-eu.yaml push_setups: TCP (0), "127.0.0.1:4061" (14 bytes), A-XDR (0).
  EXPECT_EQ(get(3), hex("02 03 16 00 09 0E 31 32 37 2E 30 2E 30 2E 31 3A 34 30 36 31 16 00"));
  EXPECT_EQ(get(4), hex("01 00"));
  EXPECT_EQ(get(5), hex("12 00 00"));
  EXPECT_EQ(get(6), hex("11 03"));
  EXPECT_EQ(get(7), hex("12 00 3C"));
  // Its own logical name, the serial number, the clock, the standard and the fraud event codes.
  EXPECT_EQ(get(2), hex("01 05"
                        " 02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 01 12 00 00"
                        " 02 04 12 00 01 09 06 00 00 60 01 00 FF 0F 02 12 00 00"
                        " 02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00"
                        " 02 04 12 00 01 09 06 00 00 60 0B 00 FF 0F 02 12 00 00"
                        " 02 04 12 00 01 09 06 00 00 60 0B 01 FF 0F 02 12 00 00"));
}

TEST_F(Push, MethodOnePushesAPlainNotificationToTheDestination) {
  push_simple_list();
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);  // start (open), then send
  ASSERT_EQ(hal.pushed.size(), 1u);
  EXPECT_EQ(hal.push_opened, std::vector<std::string>{"127.0.0.1:4061"});
  // Wrapper: version 1, source wPort 1, destination wPort 102 (the pre-established client), 33 bytes.
  Bytes expected = hex("00 01 00 01 00 66 00 21  0F 00 00 00 01 0C");
  expected.insert(expected.end(), kTimeCet.begin(), kTimeCet.end());
  const Bytes body = hex("02 03 09 06 00 00 19 09 00 FF 11 03 12 00 3C");
  expected.insert(expected.end(), body.begin(), body.end());
  EXPECT_EQ(hal.pushed[0], expected);
  EXPECT_EQ(meter.push().sent(), 1u);
  ASSERT_FALSE(hal.logs.empty());
  EXPECT_EQ(hal.logs.back(), "push 0.0.25.9.0.255: attempt 1 to 127.0.0.1:4061 (wPort 102) sent 41 bytes");
}

TEST_F(Push, AWrongParameterIsRefusedAndNothingIsPushed) {
  EXPECT_EQ(push_method(hex("11 00")), ActionResult::type_unmatched);
  ticks(3);
  EXPECT_TRUE(hal.push_opened.empty());
}

TEST_F(Push, RetriesWithTheRepetitionDelayThenGivesUp) {
  hal.push_reachable = false;
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);
  EXPECT_EQ(hal.push_opened.size(), 1u);
  hal.ticks += 59999;  // repetition_delay 60 s
  ticks(2);
  EXPECT_EQ(hal.push_opened.size(), 1u);
  for (int retry = 1; retry <= 3; ++retry) {
    hal.ticks += 60000;
    ticks(2);
    EXPECT_EQ(hal.push_opened.size(), 1u + retry);
  }
  hal.ticks += 600000;
  ticks(4);
  EXPECT_EQ(hal.push_opened.size(), 4u);  // 1 + number_of_retries
  EXPECT_EQ(meter.push().failed_attempts(), 4u);
  EXPECT_TRUE(meter.push().idle());
  EXPECT_NE(hal.logs.back().find("attempt 4 to 127.0.0.1:4061 (wPort 102) failed; giving up"), std::string::npos);
  // Reachable again: the next request goes out at once.
  hal.push_reachable = true;
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);
  EXPECT_EQ(hal.pushed.size(), 1u);
}

TEST_F(Push, HostileSetsChangeNothing) {
  const Bytes destination = get(3), list = get(2), retries = get(6);
  struct Case {
    std::int8_t attribute;
    const char* value;
    DataAccessResult expected;
  };
  const Case cases[] = {
      {3, "02 03 16 01 09 0E 31 32 37 2E 30 2E 30 2E 31 3A 34 30 36 31 16 00", DataAccessResult::other_reason},  // UDP
      {3, "02 03 16 00 09 0E 31 32 37 2E 30 2E 30 2E 31 3A 34 30 36 31 16 01", DataAccessResult::other_reason},  // XML
      {3, "02 03 16 00 09 04 68 6F 73 74 16 00", DataAccessResult::other_reason},                    // "host": no port
      {3, "02 03 16 00 09 07 68 6F 73 74 3A 39 39 16 00", DataAccessResult::success},                 // "host:99" (ok)
      {3, "02 03 16 00 09 0A 68 6F 73 74 3A 39 39 39 39 39 16 00", DataAccessResult::other_reason},  // port 99999
      {3, "02 03 16 00 09 06 68 6F 73 74 3A 30 16 00", DataAccessResult::other_reason},              // port 0
      {3, "02 03 16 00 09 07 68 2F 73 74 3A 39 39 16 00", DataAccessResult::other_reason},           // '/' in the host
      {3, "02 03 16 00 09 07 00 FF 73 74 3A 39 39 16 00", DataAccessResult::other_reason},           // binary bytes
      {3, "02 02 16 00 09 07 68 6F 73 74 3A 39 39", DataAccessResult::type_unmatched},               // two elements
      {3, "02 03 16 00 0A 07 68 6F 73 74 3A 39 39 16 00", DataAccessResult::type_unmatched},         // visible-string
      {3, "02 03 16 00 09 07 68 6F 73 74 3A 39 39 16 00 00", DataAccessResult::type_unmatched},      // trailing byte
      {3, "02 03 16 00 09 20 68 6F", DataAccessResult::type_unmatched},                              // cut short
      {2, "01 01 02 04 12 00 01 09 06 01 02 03 04 05 06 0F 02 12 00 00", DataAccessResult::other_reason},  // no such object
      {2, "01 01 02 04 12 00 03 09 06 00 00 19 09 00 FF 0F 01 12 00 00", DataAccessResult::other_reason},  // wrong class
      {2, "01 01 02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 01 12 00 01", DataAccessResult::other_reason},  // data_index 1
      {2, "01 01 02 04 12 00 28 09 05 00 00 19 09 00 0F 01 12 00 00", DataAccessResult::type_unmatched},   // 5-byte name
      {6, "12 00 03", DataAccessResult::type_unmatched},
      {4, "01 01 02 02 09 0C 00 00 00 00 00 00 00 00 00 00 00 00 09 02 00 00", DataAccessResult::type_unmatched},
  };
  for (const Case& c : cases) {
    const Bytes before = get(c.attribute);
    EXPECT_EQ(set(c.attribute, hex(c.value)), c.expected) << c.value;
    if (c.expected != DataAccessResult::success) EXPECT_EQ(get(c.attribute), before) << c.value;
  }
  // A destination longer than 64 bytes.
  Bytes longer = hex("02 03 16 00 09 45");
  for (int i = 0; i < 64; ++i) longer.push_back('a');
  for (char ch : std::string(":4061")) longer.push_back(static_cast<std::uint8_t>(ch));
  longer.push_back(0x16);
  longer.push_back(0x00);
  EXPECT_EQ(set(3, longer), DataAccessResult::other_reason);
  // 17 entries: one more than the list holds.
  Bytes many = hex("01 11");
  for (int i = 0; i < 17; ++i) {
    const Bytes e = hex("02 04 12 00 28 09 06 00 00 19 09 00 FF 0F 01 12 00 00");
    many.insert(many.end(), e.begin(), e.end());
  }
  EXPECT_EQ(set(2, many), DataAccessResult::other_reason);
  EXPECT_EQ(get(2), list);
  EXPECT_EQ(get(6), retries);
  (void)destination;
}

// OpenSSL AES-128-GCM decryption with a 12-byte tag; empty when the tag fails.
Bytes gcm_decrypt(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& ct, const Bytes& tag) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes pt(ct.size());
  int len = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr);
  EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), iv.data());
  EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size()));
  EVP_DecryptUpdate(ctx, pt.data(), &len, ct.data(), static_cast<int>(ct.size()));
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()), const_cast<std::uint8_t*>(tag.data()));
  const bool ok = EVP_DecryptFinal_ex(ctx, pt.data() + len, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok ? pt : Bytes{};
}

class CipheredPush : public Push {
 protected:
  CipheredPush() : Push(metergen::models::dtsd545::model) {}
};

TEST_F(CipheredPush, IsGeneralGloCipheredWithTheServerTitleAndAFreshCounter) {
  push_simple_list();
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);
  ASSERT_EQ(hal.pushed.size(), 2u);
  const Bytes& f = hal.pushed[0];
  // Plain APDU by hand: 33 bytes (dtsd545: UTC, deviation 0); ciphered it is
  // DB 08 <title> 32 <SC 30> <IC(4)> <33 bytes> <tag 12>: 2 + 8 + 1 + 50 = 61 = 0x3D.
  ASSERT_EQ(f.size(), 8u + 61u);
  EXPECT_EQ(Bytes(f.begin(), f.begin() + 8), hex("00 01 00 01 00 66 00 3D"));  // wPort 1 -> 102 (assumed in the spec)
  EXPECT_EQ(Bytes(f.begin() + 8, f.begin() + 20), hex("DB 08 4D 47 4D 00 00 00 00 01 32 30"));
  const Bytes ic(f.begin() + 20, f.begin() + 24);
  const Bytes ct(f.begin() + 24, f.end() - 12), tag(f.end() - 12, f.end());
  Bytes iv = hex("4D 47 4D 00 00 00 00 01");
  iv.insert(iv.end(), ic.begin(), ic.end());
  const Bytes key = hex("000102030405060708090A0B0C0D0E0F");
  const Bytes aad = hex("30 D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
  Bytes plain = hex("0F 00 00 00 01 0C");
  plain.insert(plain.end(), kTimeUtc.begin(), kTimeUtc.end());
  const Bytes body = hex("02 03 09 06 00 00 19 09 00 FF 11 03 12 00 3C");
  plain.insert(plain.end(), body.begin(), body.end());
  EXPECT_EQ(gcm_decrypt(key, iv, aad, ct, tag), plain);
  // The second push: invoke id 2, a greater frame counter (never a nonce twice).
  const Bytes& g = hal.pushed[1];
  ASSERT_EQ(g.size(), f.size());
  EXPECT_GT(Bytes(g.begin() + 20, g.begin() + 24), ic);
}

class PushScript : public Push {
 protected:
  PushScript() : Push(metergen::models::push_test::model) {}
};

TEST_F(PushScript, AScheduleRunsThePushScript) {
  namespace o = metergen::models::push_test::objects;
  // The schedule runs script 1 of the push script table at 22:15 every day.
  const Bytes script = hex("02 02 09 06 00 00 0A 00 6C FF 12 00 01");
  const Bytes times = hex("01 01 02 02 09 04 16 0F 00 00 09 05 FF FF FF FF FF");
  ASSERT_EQ(meter.objects().set(session, o::push_schedule, 2, nullptr, ByteReader(script.data(), script.size())),
            DataAccessResult::success);
  ASSERT_EQ(meter.objects().set(session, o::push_schedule, 4, nullptr, ByteReader(times.data(), times.size())),
            DataAccessResult::success);
  ticks(3);
  EXPECT_TRUE(hal.push_opened.empty());
  hal.now_ms += 100 * 1000;  // 22:15:00
  ticks(3);
  ASSERT_EQ(hal.pushed.size(), 1u);
  // wPort 1 -> 102; 0F, invoke id 1, 22:15:00 UTC, structure{its logical name, long-unsigned 7}.
  EXPECT_EQ(hal.pushed[0], hex("00 01 00 01 00 66 00 1F 0F 00 00 00 01 0C 07 E7 0B 0E 02 16 0F 00 00 00 00 00"
                               " 02 02 09 06 00 00 19 09 00 FF 12 00 07"));
}

TEST_F(PushScript, AClientExecutesThePushScriptAndAnUnknownScriptIsRefused) {
  namespace o = metergen::models::push_test::objects;
  Bytes ret(8);
  ByteWriter w(ret.data(), ret.size());
  bool has_return = false;
  const Bytes two = hex("12 00 02"), one = hex("12 00 01");
  EXPECT_EQ(meter.objects().action(session, o::push_script_table, 1, ByteReader(two.data(), two.size()), w, has_return),
            ActionResult::temporary_failure);
  EXPECT_EQ(meter.objects().action(session, o::push_script_table, 1, ByteReader(one.data(), one.size()), w, has_return),
            ActionResult::success);
  ticks(2);
  EXPECT_EQ(hal.pushed.size(), 1u);
}

// IC 40 communication_window (attribute 4): one window every day from 02:00:00
// to 02:05:00 (year, month, day and day of week not specified; hundredths 00;
// deviation 0x8000, status 00). push-test keeps UTC, randomisation 0,
// number_of_retries 1, repetition_delay 5 s.
class PushWindow : public PushScript {
 protected:
  PushWindow() {
    const Bytes window = hex("01 01 02 02 09 0C FF FF FF FF FF 02 00 00 00 80 00 00 09 0C FF FF FF FF FF 02 05 00 00 80 00 00");
    EXPECT_EQ(set(4, window), DataAccessResult::success);
  }
  // Both HAL clocks to UTC date-time y-m-d h:mi:s (never backwards).
  void at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
    const std::int64_t utc = metergen::axdr::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    const std::uint64_t ms = static_cast<std::uint64_t>(utc) * 1000;
    hal.ticks += static_cast<std::uint32_t>(ms - hal.now_ms);
    hal.now_ms = ms;
  }
  // A push raised at 01:59:30 of 2023-11-15, ticked: held, nothing opened.
  void raise_before_the_window() {
    at(2023, 11, 15, 1, 59, 30);
    ASSERT_EQ(push_method(), ActionResult::success);
    ticks(3);
    EXPECT_TRUE(hal.push_opened.empty());
  }
  // The clocks to 01:59:59 of 2023-11-16, then to 02:00:00 as its window
  // opens, ticking at each; the pushes opened before it opened.
  std::size_t opened_before_the_next_window() {
    at(2023, 11, 16, 1, 59, 59);
    ticks(3);
    const std::size_t before = hal.push_opened.size();
    at(2023, 11, 16, 2, 0, 0);
    ticks(2);
    return before;
  }
  // The frame of a push of push-test's list {its logical name, seven} with
  // invoke id `invoke` at the 12-byte date-time `time`.
  static Bytes frame(const char* invoke, const char* time) {
    return hex(std::string("00 01 00 01 00 66 00 1F 0F 00 00 00 ") + invoke + " 0C " + time +
               " 02 02 09 06 00 00 19 09 00 FF 12 00 07");
  }
};

TEST_F(PushWindow, APushOutsideTheWindowIsSentWhenTheNextOneOpens) {
  // Raised at 01:59:30: held (and logged once) until 02:00:00 the same day.
  raise_before_the_window();
  ASSERT_FALSE(hal.logs.empty());
  EXPECT_EQ(hal.logs.back(), "push 0.0.25.9.0.255: held until a communication window opens");
  const std::size_t lines = hal.logs.size();
  at(2023, 11, 15, 1, 59, 59);
  ticks(3);
  EXPECT_TRUE(hal.push_opened.empty());
  EXPECT_EQ(hal.logs.size(), lines);
  at(2023, 11, 15, 2, 0, 0);
  ticks(2);
  ASSERT_EQ(hal.pushed.size(), 1u);
  // 2023-11-15 is a Wednesday (3): 07E7 0B 0F 03, 02:00:00.00, deviation 0, status 0.
  EXPECT_EQ(hal.pushed[0], frame("01", "07 E7 0B 0F 03 02 00 00 00 00 00 00"));

  // Raised at 02:06:00, after the window: sent the next day at 02:00:00.
  at(2023, 11, 15, 2, 6, 0);
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(3);
  EXPECT_EQ(opened_before_the_next_window(), 1u);
  ASSERT_EQ(hal.pushed.size(), 2u);
  EXPECT_EQ(hal.pushed[1], frame("02", "07 E7 0B 10 04 02 00 00 00 00 00 00"));
}

TEST_F(PushWindow, ARetryWaitsForTheNextWindowToo) {
  // The first attempt at 02:04:57 fails; its retry, due 5 s later at 02:05:02,
  // is after the window and goes at 02:00:00 the next day.
  hal.push_reachable = false;
  at(2023, 11, 15, 2, 4, 57);
  ASSERT_EQ(push_method(), ActionResult::success);
  ticks(2);
  EXPECT_EQ(hal.push_opened.size(), 1u);
  at(2023, 11, 15, 2, 5, 2);
  ticks(3);
  EXPECT_EQ(opened_before_the_next_window(), 1u);
  EXPECT_EQ(hal.push_opened.size(), 2u);
  EXPECT_EQ(meter.push().failed_attempts(), 2u);
  EXPECT_TRUE(meter.push().idle());
}

// The windows are decided once a clock second, but a client's change counts
// from the next tick of the same second: with the list emptied (any time) a
// held push goes at once.
TEST_F(PushWindow, AListEmptiedByAClientReleasesAHeldPushInTheSameSecond) {
  raise_before_the_window();
  ASSERT_EQ(set(4, hex("01 00")), DataAccessResult::success);
  ticks(2);
  EXPECT_EQ(hal.pushed.size(), 1u);
}

TEST_F(PushScript, TheRetryFollowsTheSpecDelay) {
  hal.push_reachable = false;
  ASSERT_EQ(meter.push().request(object), true);
  EXPECT_FALSE(meter.push().request(metergen::models::push_test::objects::seven));  // not a push setup
  ticks(2);
  hal.ticks += 5000;
  ticks(2);
  hal.ticks += 50000;
  ticks(2);
  EXPECT_EQ(hal.push_opened.size(), 2u);  // number_of_retries 1
}

}  // namespace
