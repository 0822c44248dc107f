// The prepayment account of the HXE312-KP (spec `prepayment:`, docs/prepayment.md)
// over simulated time: credit used up by the charged energy, low credit,
// emergency credit, the supply cut and restored, friendly hours, STS tokens by
// keypad and over DLMS, the keypad's lockout, and a power cut at every write of
// a token's acceptance. Tokens come from the test-only vending side
// (tests/support/sts_vending.hpp), not from the decoder run backwards.
//
// The spec's figures: initial credit 50 kWh, low credit 10 kWh, emergency credit
// 5 kWh selectable at 2 kWh, at most 99,999 kWh, friendly 18:00-06:00 and
// weekends while friendly_mode_enable is true, 5 rejected tokens lock the
// keypad for 600 s, decoder key 0123456789ABCDEF (STA), time zone UTC.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <metergen/prepayment/account.hpp>
#include <seed_models.hpp>

#include "prepayment_support.hpp"

namespace mg = metergen;
namespace vend = mg::test::sts_vending;
using mg::test::Bytes;
using mg::test::TimedMeter;
using namespace mg::test::prepayment;

namespace {

const mg::tables::Model& kModel = mg::models::hxe312_kp::model;

constexpr std::uint16_t kCodeCreditToken = 160, kCodeRejected = 161, kCodeKeyChange = 162, kCodeManagement = 163,
                        kCodeLowCredit = 164, kCodeExhausted = 165, kCodeEmergency = 166, kCodeFriendlyStart = 167,
                        kCodeFriendlyEnd = 168, kCodePaymentMode = 169, kCodeKeypadLocked = 170;

std::uint16_t object(std::initializer_list<std::uint8_t> ln) { return object_of(kModel, ln); }
const AccountObjects kPrepay{kModel};
const std::uint16_t kFriendlyEnable = object({0, 0, 96, 50, 10, 255});
const std::uint16_t kOperationLog = object({0, 0, 99, 98, 0, 255});
const std::uint16_t kLimiter = object({0, 0, 17, 0, 0, 255});

void type(TimedMeter& m, const std::string& keys) {
  m.hal.keys += keys;
  m.run(kIdle, 1);
}

mg::prepayment::Account& account(TimedMeter& m) { return m.meter().prepayment(); }
std::int64_t available_wh(TimedMeter& m) { return m.integer(kPrepay.account, 5); }

// The operation log's (time, code) entries.
std::vector<std::pair<std::int64_t, std::int64_t>> logged(TimedMeter& m) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& row : m.entries(kOperationLog)) {
    const mg::axdr::DateTime t = mg::test::column_time(row[0]);
    out.emplace_back(mg::test::utc_of(t.year, t.month, t.day, t.hour, t.minute, 0) + t.second,
                     mg::test::column_integer(row[1]));
  }
  return out;
}
std::vector<std::int64_t> times_of(TimedMeter& m, std::int64_t code) {
  std::vector<std::int64_t> out;
  for (const auto& [t, c] : logged(m))
    if (c == code) out.push_back(t);
  return out;
}


}  // namespace

TEST(Prepayment, ObjectsAreTheSpecsAndTheAccountStartsWithItsInitialCredit) {
  ASSERT_NE(kPrepay.account, mg::tables::kNone);
  ASSERT_NE(kPrepay.gateway, mg::tables::kNone);
  TimedMeter m{kModel, kStart};
  // account_mode_and_status {prepayment (2), active (2)} (Blue Book IC 111).
  EXPECT_EQ(m.value(kPrepay.account, 2), (Bytes{0x02, 0x02, 0x16, 0x02, 0x16, 0x02}));
  EXPECT_EQ(available_wh(m), 50000);
  // currency {utf8-string "kWh", integer -3, enum 1 consumption}: amounts are Wh.
  EXPECT_EQ(m.value(kPrepay.account, 15), (Bytes{0x02, 0x03, 0x0C, 0x03, 'k', 'W', 'h', 0x0F, 0xFD, 0x16, 0x01}));
  EXPECT_EQ(m.integer(kPrepay.account, 16), 10000);  // low credit threshold, Wh
  EXPECT_EQ(m.integer(kPrepay.token_credit, 3), 0);   // credit_type token
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 3), 2);
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 9), 5000);  // preset amount
  // credit_reference_list: the token credit then the emergency credit.
  EXPECT_EQ(m.value(kPrepay.account, 9), (Bytes{0x01, 0x02, 0x09, 0x06, 0, 0, 19, 10, 0, 255, 0x09, 0x06, 0, 0, 19, 10, 1, 255}));
  EXPECT_EQ(token_status(m), 8);  // token received and not yet processed: none yet
  // The key data objects show the decoder key's: SGC 123456, TI 01, KRN 1.
  EXPECT_EQ(m.value(object({0, 0, 96, 50, 0, 255})), (Bytes{0x0A, 0x06, '1', '2', '3', '4', '5', '6'}));
  EXPECT_EQ(m.value(object({0, 0, 96, 50, 1, 255})), (Bytes{0x0A, 0x02, '0', '1'}));
  EXPECT_EQ(m.value(object({0, 0, 96, 50, 2, 255})), (Bytes{0x11, 0x01}));
}

TEST(Prepayment, CreditRunsDownAndTheSupplyOpensAtTheSecondWorkedOutByHand) {
  TimedMeter m{kModel, kStart};
  consume(m, 3999);
  EXPECT_EQ(available_wh(m), 50000 - 39990);
  EXPECT_TRUE(times_of(m, kCodeLowCredit).empty());
  consume(m, 1);  // 10,000 Wh left: the low-credit threshold
  EXPECT_EQ(times_of(m, kCodeLowCredit), (std::vector<std::int64_t>{kStart + 4000}));
  EXPECT_EQ(m.value(kPrepay.account, 4), (Bytes{0x04, 0x08, 0xC0}));  // in credit, low credit
  consume(m, 800);  // 2,000 Wh left: emergency credit becomes selectable
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 8), 1);
  consume(m, 199);
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);  // second 5,000: 50 kWh at 10 Wh a second
  EXPECT_FALSE(m.hal.relay_connected());
  EXPECT_EQ(times_of(m, kCodeExhausted), (std::vector<std::int64_t>{kStart + 5000}));
  EXPECT_EQ(m.integer(object({0, 0, 96, 3, 10, 255}), 3), 2);  // ready for reconnection (g)
  consume(m, 600);  // no load behind the open relay: nothing more is charged
  EXPECT_EQ(available_wh(m), 0);
  EXPECT_EQ(m.integer(kPrepay.charge, 2), 50000);  // total charged
}

TEST(Prepayment, EmergencyCreditReconnectsAndTheNextTokenPaysItBack) {
  TimedMeter m{kModel, kStart};
  consume(m, 5000);
  ASSERT_FALSE(m.hal.relay_connected());
  type(m, "#");  // Enter on an empty entry invokes the emergency credit
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 8), 3);  // in use
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 2), 5000);
  EXPECT_TRUE(m.hal.relay_connected());  // h: the control mode reconnects locally
  EXPECT_EQ(times_of(m, kCodeEmergency).size(), 1u);
  consume(m, 499);
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);  // 5 kWh at 10 Wh a second
  EXPECT_FALSE(m.hal.relay_connected());
  type(m, credit_token(100, 200));  // 20.0 kWh, minus the 5 kWh of emergency credit used
  EXPECT_EQ(token_status(m), 8) << "not entered before Enter";
  type(m, "#");
  EXPECT_EQ(token_status(m), 3);  // execution OK
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "Accept");  // the result on the LCD
  EXPECT_EQ(available_wh(m), 15000);
  EXPECT_EQ(m.integer(kPrepay.emergency_credit, 8), 0);  // enabled again
  EXPECT_TRUE(m.hal.relay_connected());
  EXPECT_EQ(times_of(m, kCodeCreditToken).size(), 1u);
  EXPECT_EQ(m.integer(kPrepay.gateway, 5), 2);  // manual entry
}

TEST(Prepayment, FriendlyHoursKeepTheSupplyAndTheDebtIsPaidFirst) {
  const std::int64_t start = mg::test::utc_of(2027, 3, 3, 17, 0, 0);  // a Wednesday
  TimedMeter m{kModel, start};
  ASSERT_EQ(m.set(kFriendlyEnable, 2, {0x03, 0x01}), mg::dlms::DataAccessResult::success);
  consume(m, 5000);  // 18:23:20, credit exhausted inside the friendly hours
  EXPECT_EQ(times_of(m, kCodeFriendlyStart), (std::vector<std::int64_t>{mg::test::utc_of(2027, 3, 3, 18, 0, 0)}));
  EXPECT_EQ(times_of(m, kCodeExhausted).size(), 1u);
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 46800 - 5000 - 1);  // to 05:59:59
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);  // 06:00:00: the friendly hours end
  EXPECT_FALSE(m.hal.relay_connected());
  EXPECT_EQ(times_of(m, kCodeFriendlyEnd), (std::vector<std::int64_t>{mg::test::utc_of(2027, 3, 4, 6, 0, 0)}));
  // Debt: 10 Wh for each second from 18:23:21 to 06:00:00.
  EXPECT_EQ(m.integer(kPrepay.account, 6), 418000);
  EXPECT_EQ(available_wh(m), 0);
  type(m, credit_token(200, 5000) + "#");  // 500.0 kWh
  EXPECT_EQ(available_wh(m), 500000 - 418000);
  EXPECT_TRUE(m.hal.relay_connected());
}

TEST(Prepayment, WeekendsAreFriendlyAllDay) {
  const std::int64_t saturday = mg::test::utc_of(2027, 3, 6, 9, 0, 0);
  TimedMeter m{kModel, saturday};
  ASSERT_EQ(m.set(kFriendlyEnable, 2, {0x03, 0x01}), mg::dlms::DataAccessResult::success);
  consume(m, 6000);
  EXPECT_TRUE(m.hal.relay_connected());
  EXPECT_EQ(m.integer(kPrepay.account, 6), 10000);  // 1,000 s beyond the credit
}

TEST(Prepayment, WithoutFriendlyModeEnabledTheEveningIsNotFriendly) {
  TimedMeter m{kModel, mg::test::utc_of(2027, 3, 3, 17, 0, 0)};
  consume(m, 5000);
  EXPECT_FALSE(m.hal.relay_connected());
  EXPECT_TRUE(times_of(m, kCodeFriendlyStart).empty());
}

TEST(Prepayment, TokensOverDlmsAreCheckedOnceAndRefusedWhenUsedOrOverCrediting) {
  TimedMeter m{kModel, kStart};
  const std::string token = credit_token(1000, 1000);  // 100.0 kWh
  EXPECT_EQ(enter(m, token), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(available_wh(m), 150000);
  EXPECT_EQ(m.integer(kPrepay.gateway, 5), 0);  // remote
  const Bytes entered = m.value(kPrepay.gateway, 2);
  EXPECT_EQ(std::string(entered.begin() + 2, entered.end()), token);
  // The same token again: used (validation failure), nothing credited.
  EXPECT_EQ(enter(m, token), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 6);
  EXPECT_EQ(available_wh(m), 150000);
  EXPECT_EQ(times_of(m, kCodeRejected).size(), 1u);
  // Exponent 2, mantissa 8,198: 100 x 8,198 + 2^14 x (1 + 10) = 1,000,024 units of
  // 0.1 kWh (§6.3.6), beyond the 99,999 kWh the account may hold.
  const std::uint8_t tids_before = account(m).decoder().tid_count;
  EXPECT_EQ(enter(m, credit_token(1001, static_cast<std::uint16_t>((2u << 14) | 8198u))), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 7);  // execution failure
  EXPECT_EQ(available_wh(m), 150000);
  EXPECT_EQ(account(m).decoder().tid_count, tids_before) << "a refused token is not remembered as used";
  // A token for another key: authentication failure.
  EXPECT_EQ(enter(m, credit_token(1002, 10, 0, 0x1111111111111111ull)), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 5);
  // Not 20 digits: format failure.
  EXPECT_EQ(enter(m, "12345"), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 4);
  EXPECT_EQ(times_of(m, kCodeCreditToken).size(), 1u);
  EXPECT_EQ(m.integer(object({0, 0, 96, 50, 20, 255})), 1);  // credit tokens accepted
  EXPECT_EQ(m.integer(object({0, 0, 96, 50, 21, 255})), 4);  // rejected: used, over-crediting, wrong key, format
}

TEST(Prepayment, FiveRejectedTokensLockTheKeypadForItsLockoutTime) {
  TimedMeter m{kModel, kStart};
  for (int i = 0; i < 5; ++i) type(m, std::string(20, static_cast<char>('1' + i)) + "#");
  EXPECT_EQ(times_of(m, kCodeRejected).size(), 5u);
  EXPECT_EQ(times_of(m, kCodeKeypadLocked), (std::vector<std::int64_t>{kStart + 5}));
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "Locked");
  type(m, credit_token(300, 100) + "#");
  EXPECT_EQ(available_wh(m), 50000) << "entry is locked";
  m.run(kIdle, 600 - 2);
  EXPECT_STRNE(m.hal.lcd.back().screen.value, "Locked") << "the message lasts 5 s";
  type(m, credit_token(300, 100) + "#");  // kStart + 5 + 600: the lockout is over
  EXPECT_EQ(available_wh(m), 60000);
}

TEST(Prepayment, BackDeletesTheLastDigit) {
  TimedMeter m{kModel, kStart};
  const std::string token = credit_token(400, 100);
  type(m, token.substr(0, 10) + "7*" + token.substr(10) + "#");
  EXPECT_EQ(available_wh(m), 60000);
}

// The keypad entry echoed on the LCD under the code "token" while it is typed
// (docs/prepayment.md): the digits so far, the last 8 once there are more (the
// HXE312-KP's LCD has 8 digits). Worked out by hand for 1234567890 twice, one
// key a second: after k > 8 digits the echo is digits k-7..k.
TEST(Prepayment, TheLcdEchoesTheLastEightDigitsTyped) {
  TimedMeter m{kModel, kStart};
  const std::string digits = "12345678901234567890";
  const char* const echoes[] = {"1",        "12",       "123",      "1234",     "12345",    "123456",   "1234567",
                                "12345678", "23456789", "34567890", "45678901", "56789012", "67890123", "78901234",
                                "89012345", "90123456", "01234567", "12345678", "23456789", "34567890"};
  for (std::size_t k = 0; k < digits.size(); ++k) {
    type(m, digits.substr(k, 1));
    EXPECT_STREQ(m.hal.lcd.back().screen.code, "token") << k;
    EXPECT_STREQ(m.hal.lcd.back().screen.value, echoes[k]) << k;
  }
  type(m, "5");  // a 21st digit is not taken
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "34567890");
  type(m, "*");  // 19 digits left: digits 12..19
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "23456789");
  type(m, "#");
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "Reject");  // 19 digits are no token
  EXPECT_EQ(times_of(m, kCodeRejected).size(), 1u);
  type(m, "7*");  // typed and deleted in the same second: the entry is empty, nothing to echo
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "Reject");
}

// An entry left alone for 30 s is dropped with its echo: the list returns at
// the 30th second after the last key, and Enter then finds an empty entry
// (no token to reject; emergency credit is not selectable at 50 kWh).
TEST(Prepayment, AnEntryLeftAloneFor30SecondsIsDropped) {
  TimedMeter m{kModel, kStart};
  type(m, "555");  // at kStart + 1
  m.run(kIdle, 29);
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "555");
  type(m, "#");  // kStart + 31, 30 s after the last key
  EXPECT_STRNE(m.hal.lcd.back().screen.code, "token");
  EXPECT_TRUE(times_of(m, kCodeRejected).empty());
  EXPECT_EQ(token_status(m), 8);  // nothing entered
  type(m, "555");  // at kStart + 32
  m.run(kIdle, 28);
  type(m, "#");  // kStart + 61, 29 s after the last key: entered, and rejected
  EXPECT_STREQ(m.hal.lcd.back().screen.value, "Reject");
  EXPECT_EQ(times_of(m, kCodeRejected), (std::vector<std::int64_t>{kStart + 61}));
}

TEST(Prepayment, KeyChangeTokensReplaceTheDecoderKey) {
  TimedMeter m{kModel, kStart};
  constexpr std::uint64_t kNewKey = 0xFEDCBA9876543210ull;
  // KEN 0xFF (never expires), KRN 2, no rollover, KT 2, TI 1.
  const std::string first = vend::encode(kDecoderKey, vend::Cipher::sta, 2, 3,
                                         vend::first_key_half(0xF, 2, false, 2, static_cast<std::uint32_t>(kNewKey >> 32)));
  const std::string second = vend::encode(kDecoderKey, vend::Cipher::sta, 2, 4,
                                          vend::second_key_half(0xF, 1, static_cast<std::uint32_t>(kNewKey)));
  EXPECT_EQ(enter(m, first), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 2);  // validation OK: the first half is held
  EXPECT_EQ(enter(m, second), mg::dlms::ActionResult::success);
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(times_of(m, kCodeKeyChange).size(), 1u);
  EXPECT_EQ(account(m).decoder().key.key_revision, 2);
  EXPECT_EQ(m.value(object({0, 0, 96, 50, 2, 255})), (Bytes{0x11, 0x02}));  // the key revision object follows
  enter(m, credit_token(500, 100));  // under the old key
  EXPECT_EQ(token_status(m), 5);
  enter(m, credit_token(501, 100, 0, kNewKey));
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(available_wh(m), 60000);
  // The new key survives a power cut (it lives in the account record).
  m.power_cut(60);
  enter(m, credit_token(502, 100, 0, kNewKey));
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(available_wh(m), 70000);
}

TEST(Prepayment, ManagementTokensSetThePowerLimitAndClearTheCredit) {
  TimedMeter m{kModel, kStart};
  enter(m, management_token(0, 600, 5000));  // maximum power limit 5,000 W
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(m.integer(kLimiter, 4), 5000);  // the limiter's threshold_normal, W
  EXPECT_EQ(times_of(m, kCodeManagement).size(), 1u);
  // Class 1 (not encrypted): initiate meter test / display, control field 800000001, MfrCode 0.
  enter(m, vend::encode(0, vend::Cipher::none, 1, 0, std::uint64_t{0x800000001} << 8));
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(times_of(m, kCodeManagement).size(), 2u);
  enter(m, management_token(1, 601, 0));  // clear credit, electricity register
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(available_wh(m), 0);
  m.run(kIdle, 1);
  EXPECT_FALSE(m.hal.relay_connected());
}

TEST(Prepayment, PostPaymentChargesNothingAndNeverDisconnects) {
  TimedMeter m{kModel, kStart};
  ASSERT_EQ(m.set(kPrepay.account, 2, {0x02, 0x02, 0x16, 0x01, 0x16, 0x02}), mg::dlms::DataAccessResult::success);
  EXPECT_EQ(times_of(m, kCodePaymentMode).size(), 1u);
  consume(m, 6000);
  EXPECT_TRUE(m.hal.relay_connected());
  EXPECT_EQ(available_wh(m), 50000);
  // A status other than the account's is not set by attribute 2.
  EXPECT_EQ(m.set(kPrepay.account, 2, {0x02, 0x02, 0x16, 0x02, 0x16, 0x03}), mg::dlms::DataAccessResult::other_reason);
  EXPECT_EQ(m.set(kPrepay.account, 2, {0x16, 0x02}), mg::dlms::DataAccessResult::type_unmatched);
}

TEST(Prepayment, CreditSurvivesAPowerCut) {
  TimedMeter m{kModel, kStart};
  consume(m, 1234);
  m.power_cut(3600);
  EXPECT_EQ(available_wh(m), 50000 - 12340);
  consume(m, 10);
  EXPECT_EQ(available_wh(m), 50000 - 12440);
}

// A power cut at each NVM write of a token's acceptance credits it exactly once.
TEST(Prepayment, APowerCutAtEveryWriteOfATokenCreditsItExactlyOnce) {
  expect_credited_once_at_every_cut(kModel, credit_token(700, 200), available_wh, 50000, 70000);  // 20.0 kWh
}

// The account record is encoded field by field (format version 2): a record of
// another version (version 1 kept the runtime's native layout) is refused as
// foreign bytes are: a new account with the spec's initial credit.
TEST(Prepayment, AnAccountRecordOfTheNativeLayoutVersionStartsANewAccount) {
  TimedMeter m{kModel, kStart};
  consume(m, 1000);  // 10 kWh used: 40,000 Wh left
  m.power_cut(0);
  ASSERT_EQ(available_wh(m), 40000);
  // Every copy's header: "MG", kind 'A', version 2, body length 352 (be32).
  const std::vector<std::uint8_t> header = {'M', 'G', 'A', 0x02, 0x00, 0x00, 0x01, 0x60};
  int copies = 0;
  for (auto at = m.hal.memory.nvm.begin();
       (at = std::search(at, m.hal.memory.nvm.end(), header.begin(), header.end())) != m.hal.memory.nvm.end(); ++at, ++copies)
    at[3] = 0x01;
  ASSERT_GT(copies, 0);
  m.hal.writes_left = 0;  // nothing newer is written before the restart
  m.power_cut(0);
  m.hal.writes_left = -1;
  EXPECT_EQ(available_wh(m), 50000);
  const auto& logs = m.hal.memory.logs;
  EXPECT_NE(std::find(logs.begin(), logs.end(),
                      "storage: the prepayment account record has no valid copy (damaged, or written by another model or format); "
                      "starting from defaults"),
            logs.end());
}
