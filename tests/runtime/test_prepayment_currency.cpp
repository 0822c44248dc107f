// A currency prepayment account (tests/runtime/specs/prepay-currency.yaml,
// docs/prepayment.md) over simulated time: consumption charged at the tariff
// rate, a tariff rate token, currency credit tokens, the charge (IC 113) from
// the account's state and its methods, friendly special days, and a power cut
// at every write of a currency token's acceptance.
//
// The spec's figures: credit in EUR shown in cents (scale -2), 0.25 EUR a kWh,
// initial credit 20.00 EUR, low credit 5.00 EUR, at most 1,000 EUR, no
// emergency credit, friendly weekends and special days (2027-03-29), no daily
// friendly hours, time zone UTC. At kLoad (10 Wh a second) one second costs
// 10 Wh x 0.25 EUR / 1,000 Wh = 0.0025 EUR = 0.25 cent.
//
// Currency token amounts are in 0.00001 EUR (IEC 62055-41 class 0 subclass 4)
// with the standard's exponent/mantissa field (§6.3.6): exponent 3, mantissa
// 182 is 182 x 10^3 + 2^14 x (1 + 10 + 100) = 182,000 + 1,818,624 = 2,000,624
// units, 20.00624 EUR.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <prepay-currency/model.hpp>
#include <seed_models.hpp>

#include "prepayment_support.hpp"

namespace mg = metergen;
using mg::dlms::ActionResult;
using mg::test::Bytes;
using mg::test::TimedMeter;
using namespace mg::test::prepayment;

namespace {

const mg::tables::Model& kModel = mg::models::prepay_currency::model;
const mg::tables::Model& kEnergyModel = mg::models::hxe312_kp::model;
constexpr std::uint8_t kElectricityCurrency = 4;
constexpr std::uint16_t kTwentyEuro = (3u << 14) | 182u;  // 2,000,624 units of 0.00001 EUR
constexpr std::uint8_t kSetTariffRate = 2;

const AccountObjects kPrepay{kModel};

std::int64_t available_cents(TimedMeter& m) { return m.integer(kPrepay.account, 5); }

// A unit_charge (IC 113 attribute 5/6, method 1) of one charge_table entry
// with an empty index, for the commodity attribute 2 of class 3 `ln`.
Bytes unit_charge(std::int8_t commodity_scale, std::int8_t price_scale, std::int16_t per_unit,
                  std::initializer_list<std::uint8_t> ln = {1, 0, 15, 8, 0, 255}) {
  Bytes b = {0x02, 0x03, 0x02, 0x02, 0x0F, static_cast<std::uint8_t>(commodity_scale), 0x0F,
             static_cast<std::uint8_t>(price_scale), 0x02, 0x03, 0x12, 0x00, 0x03, 0x09, 0x06};
  b.insert(b.end(), ln.begin(), ln.end());
  const Bytes tail = {0x0F, 0x02, 0x01, 0x01, 0x02, 0x02, 0x09, 0x00, 0x10,
                      static_cast<std::uint8_t>(static_cast<std::uint16_t>(per_unit) >> 8),
                      static_cast<std::uint8_t>(per_unit)};
  b.insert(b.end(), tail.begin(), tail.end());
  return b;
}

}  // namespace

TEST(PrepaymentCurrency, TheAccountShowsCentsOfEuro) {
  ASSERT_NE(kPrepay.account, mg::tables::kNone);
  TimedMeter m{kModel, kStart};
  // currency {utf8-string "EUR", integer -2, enum 2 monetary} (Blue Book IC 111 attribute 15).
  EXPECT_EQ(m.value(kPrepay.account, 15), (Bytes{0x02, 0x03, 0x0C, 0x03, 'E', 'U', 'R', 0x0F, 0xFE, 0x16, 0x02}));
  EXPECT_EQ(available_cents(m), 2000);
  EXPECT_EQ(m.integer(kPrepay.account, 16), 500);  // low credit threshold
}

// 20.00 EUR at 0.25 EUR a kWh last 80 kWh: 8,000 s at 10 Wh a second.
TEST(PrepaymentCurrency, TwentyEuroAtAQuarterAKwhRunOutAfter80KwhAtTheSecondWorkedOutByHand) {
  TimedMeter m{kModel, kStart};
  consume(m, 4000);  // 40 kWh: 10.00 EUR
  EXPECT_EQ(available_cents(m), 1000);
  EXPECT_EQ(m.integer(kPrepay.charge, 2), 1000);  // total_amount_paid
  consume(m, 3999);  // 0.25 cent left: in credit, shown as 0 whole cents
  EXPECT_TRUE(m.hal.relay_connected());
  EXPECT_EQ(available_cents(m), 0);
  consume(m, 1);  // second 8,000
  EXPECT_FALSE(m.hal.relay_connected());
  consume(m, 100);
  EXPECT_EQ(m.integer(kPrepay.charge, 2), 2000);
  EXPECT_EQ(m.integer(kPrepay.account, 6), 0) << "no debt behind the open relay";
}

// After 40 kWh (10.00 EUR left) the rate becomes 0.50 EUR a kWh: 20 kWh more,
// 2,000 s; the low-credit level (5.00 EUR) is crossed after 1,000 of them.
TEST(PrepaymentCurrency, ATariffRateTokenMidWayChangesTheSecondOfTheCut) {
  TimedMeter m{kModel, kStart};
  consume(m, 4000);
  // Set tariff rate (class 2 subclass 2), field 50: 50 cents (shown units) a kWh.
  EXPECT_EQ(enter(m, management_token(kSetTariffRate, 100, 50)), ActionResult::success);
  EXPECT_EQ(token_status(m), 3);
  // unit_charge_active: commodity_scale 3 (a kWh), price_scale 0, 50 cents.
  EXPECT_EQ(m.value(kPrepay.charge, 5), unit_charge(3, 0, 50));
  m.power_cut(0);  // the rate lives in the account record
  EXPECT_EQ(m.value(kPrepay.charge, 5), unit_charge(3, 0, 50));
  consume(m, 999);
  EXPECT_EQ(available_cents(m), 500);  // 0.5 cent a second: 1,000 - 499.5 = 500.5 cents left, 500 shown
  EXPECT_EQ(m.value(kPrepay.account, 4)[2] & 0x40, 0) << "not yet low";
  consume(m, 1);
  EXPECT_EQ(m.value(kPrepay.account, 4)[2] & 0x40, 0x40) << "5.00 EUR left: low credit";
  consume(m, 999);
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);  // 4,000 + 2,000 s
  EXPECT_FALSE(m.hal.relay_connected());
}

TEST(PrepaymentCurrency, CurrencyTokensAreCreditedAndEnergyTokensRefused) {
  TimedMeter m{kModel, kStart};
  EXPECT_EQ(enter(m, credit_token(200, 100)), ActionResult::success);  // electricity credit, 10.0 kWh
  EXPECT_EQ(token_status(m), 7);                             // execution failure
  EXPECT_EQ(token_result(m), 0xF1);                          // not a credit of this account
  EXPECT_EQ(available_cents(m), 2000);
  EXPECT_EQ(enter(m, credit_token(201, kTwentyEuro, kElectricityCurrency)), ActionResult::success);
  EXPECT_EQ(token_status(m), 3);
  EXPECT_EQ(available_cents(m), 4000);  // 2,000 + 2,000.624 cents
  EXPECT_EQ(m.integer(kPrepay.token_credit, 2), 4000);
  // Beyond the 1,000 EUR the account may hold: exponent 3, mantissa 16,383 is
  // 16,383,000 + 1,818,624 = 18,201,624 units (182.01624 EUR). Five of them take
  // the 4,000,624 units to 95,008,744 (950.08744 EUR); a sixth would pass 1,000 EUR.
  for (std::uint32_t tid = 300; tid < 305; ++tid) enter(m, credit_token(tid, (3u << 14) | 16383u, kElectricityCurrency));
  EXPECT_EQ(available_cents(m), 95008);
  enter(m, credit_token(305, (3u << 14) | 16383u, kElectricityCurrency));
  EXPECT_EQ(token_result(m), 0xF0);  // over-crediting
  EXPECT_EQ(available_cents(m), 95008);
}

TEST(PrepaymentCurrency, TheEnergyAccountRefusesCurrencyAndRateTokens) {
  TimedMeter m{kEnergyModel, kStart};
  enter(m, credit_token(200, kTwentyEuro, kElectricityCurrency));
  EXPECT_EQ(token_status(m), 7);
  EXPECT_EQ(token_result(m), 0xF1);
  enter(m, management_token(kSetTariffRate, 201, 50));
  EXPECT_EQ(token_status(m), 7);
  EXPECT_EQ(token_result(m), 0xF2);                                   // no tariff rate for an energy credit
  EXPECT_EQ(m.integer(AccountObjects(kEnergyModel).account, 5), 50000);  // Wh, as delivered
  EXPECT_EQ(m.meter().prepayment().decoder().tid_count, 0) << "refused tokens are not remembered as used";
}

// IC 113 attribute by attribute, the bytes written from the Blue Book's types.
TEST(PrepaymentCurrency, TheChargeShowsTheAccountsCollection) {
  TimedMeter m{kModel, kStart};
  consume(m, 8);  // 80 Wh at 0.25 EUR a kWh: 2 cents
  EXPECT_EQ(m.value(kPrepay.charge, 2), (Bytes{0x05, 0, 0, 0, 2}));  // total_amount_paid, double-long
  EXPECT_EQ(m.value(kPrepay.charge, 3), (Bytes{0x16, 0x00}));        // charge_type: consumption based collection
  EXPECT_EQ(m.value(kPrepay.charge, 4), (Bytes{0x11, 0x01}));        // priority
  // unit_charge_active and _passive: 25 cents a kWh of 1.0.15.8.0.255 (class 3, attribute 2).
  EXPECT_EQ(m.value(kPrepay.charge, 5), (Bytes{0x02, 0x03, 0x02, 0x02, 0x0F, 0x03, 0x0F, 0x00, 0x02, 0x03, 0x12, 0x00, 0x03,
                                        0x09, 0x06, 1, 0, 15, 8, 0, 255, 0x0F, 0x02, 0x01, 0x01, 0x02, 0x02, 0x09,
                                        0x00, 0x10, 0x00, 0x19}));
  EXPECT_EQ(m.value(kPrepay.charge, 6), m.value(kPrepay.charge, 5));
  // unit_charge_activation_time: not specified (octet-string of 12, deviation 0x8000).
  EXPECT_EQ(m.value(kPrepay.charge, 7), (Bytes{0x09, 0x0C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF}));
  EXPECT_EQ(m.value(kPrepay.charge, 8), (Bytes{0x06, 0, 0, 0, 1}));  // period: every second
  EXPECT_EQ(m.value(kPrepay.charge, 9), (Bytes{0x04, 0x02, 0x40}));  // continuous collection, not percentage based
  // last_collection_time: 2027-03-03 (Wednesday, 3) 10:00:08, deviation 0, status 0.
  EXPECT_EQ(m.value(kPrepay.charge, 10), (Bytes{0x09, 0x0C, 0x07, 0xEB, 3, 3, 3, 10, 0, 8, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(m.value(kPrepay.charge, 11), (Bytes{0x05, 0, 0, 0, 0}));  // 0.25 cent in the last second: 0 whole cents
  EXPECT_EQ(m.value(kPrepay.charge, 12), (Bytes{0x05, 0, 0, 0, 0}));
  EXPECT_EQ(m.value(kPrepay.charge, 13), (Bytes{0x12, 0x00, 0x00}));
}

TEST(PrepaymentCurrency, ThePassiveUnitChargeIsActivatedByMethod2) {
  TimedMeter m{kModel, kStart};
  // 305 x 10^-1 cents a kWh: 0.305 EUR.
  EXPECT_EQ(m.act(kPrepay.charge, 1, unit_charge(3, -1, 305)), ActionResult::success);
  EXPECT_EQ(m.value(kPrepay.charge, 6), unit_charge(3, -1, 305));
  EXPECT_EQ(m.value(kPrepay.charge, 5), unit_charge(3, 0, 25)) << "active until activated";
  // The same price per Wh: 0.0305 cent a Wh is 305 x 10^-4 for 10^0 Wh.
  EXPECT_EQ(m.act(kPrepay.charge, 1, unit_charge(0, -4, 305)), ActionResult::success);
  EXPECT_EQ(m.value(kPrepay.charge, 6), unit_charge(3, -1, 305));
  EXPECT_EQ(m.act(kPrepay.charge, 2), ActionResult::success);
  EXPECT_EQ(m.value(kPrepay.charge, 5), unit_charge(3, -1, 305));
  consume(m, 100);  // 1 kWh: 30.5 cents
  EXPECT_EQ(available_cents(m), 1969);  // 1,969.5 cents
  // Refused: another commodity, a price finer than 0.00001 EUR a kWh, two charge_table entries.
  EXPECT_EQ(m.act(kPrepay.charge, 1, unit_charge(3, -1, 305, {1, 0, 1, 8, 0, 255})), ActionResult::other_reason);
  EXPECT_EQ(m.act(kPrepay.charge, 1, unit_charge(6, -1, 1)), ActionResult::other_reason);
  Bytes two = unit_charge(3, 0, 25);
  two[24] = 0x02;  // the charge_table's array count
  EXPECT_EQ(m.act(kPrepay.charge, 1, two), ActionResult::other_reason);
  EXPECT_EQ(m.act(kPrepay.charge, 1, Bytes{0x0F, 0x00}), ActionResult::type_unmatched);
  // Collect takes the consumption now; a consumption based charge has no total to collect.
  EXPECT_EQ(m.act(kPrepay.charge, 3), ActionResult::success);
  EXPECT_EQ(m.act(kPrepay.charge, 4, Bytes{0x05, 0, 0, 0, 1}), ActionResult::read_write_denied);
  EXPECT_EQ(m.act(kPrepay.charge, 5, Bytes{0x05, 0, 0, 0, 1}), ActionResult::read_write_denied);
  EXPECT_EQ(m.act(kPrepay.charge, 6), ActionResult::object_unavailable);
}

TEST(PrepaymentCurrency, AnEnergyChargeIsOneWhAWhAndItsRateCannotChange) {
  TimedMeter m{kEnergyModel, kStart};
  const std::uint16_t charge = AccountObjects(kEnergyModel).charge;
  EXPECT_EQ(m.value(charge, 5), unit_charge(0, 0, 1));
  EXPECT_EQ(m.act(charge, 1, unit_charge(3, 0, 25)), ActionResult::read_write_denied);
  EXPECT_EQ(m.act(charge, 2), ActionResult::read_write_denied);
  EXPECT_EQ(m.act(charge, 3), ActionResult::success);
}

// Monday 2027-03-29 is the calendar's special day: from 10:00 the 20.00 EUR
// run out at second 8,000 (12:13:20) without a cut; debt runs until the day
// ends at 00:00:00 (second 50,400), when the relay opens: 42,400 s x 0.25
// cent = 10,600 cents of debt.
TEST(PrepaymentCurrency, ASpecialDayIsFriendlyAllDay) {
  const std::int64_t monday = mg::test::utc_of(2027, 3, 29, 10, 0, 0);
  TimedMeter m{kModel, monday};
  consume(m, 8000);
  EXPECT_EQ(available_cents(m), 0);
  EXPECT_TRUE(m.hal.relay_connected());
  EXPECT_TRUE(m.meter().prepayment().friendly_now());
  consume(m, 50400 - 8000 - 1);  // 23:59:59
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);  // Tuesday 00:00:00
  EXPECT_FALSE(m.hal.relay_connected());
  EXPECT_FALSE(m.meter().prepayment().friendly_now());
  EXPECT_EQ(m.integer(kPrepay.account, 6), 10600);
}

// A special day removed from the table (IC 11 method 2 delete, index 1) is no
// longer friendly: the cut comes at second 8,000.
TEST(PrepaymentCurrency, ADeletedSpecialDayIsNotFriendly) {
  TimedMeter m{kModel, mg::test::utc_of(2027, 3, 29, 10, 0, 0)};
  const std::uint16_t table = mg::tables::find_role(kModel, mg::tables::Role::special_days_table);
  ASSERT_NE(table, mg::tables::kNone);
  ASSERT_EQ(m.act(table, 2, Bytes{0x12, 0x00, 0x01}), ActionResult::success);
  consume(m, 7999);
  EXPECT_TRUE(m.hal.relay_connected());
  consume(m, 1);
  EXPECT_FALSE(m.hal.relay_connected());
}

// A power cut at each NVM write of a currency token's acceptance credits it
// exactly once (as for the energy account, test_prepayment.cpp).
TEST(PrepaymentCurrency, APowerCutAtEveryWriteOfACurrencyTokenCreditsItExactlyOnce) {
  expect_credited_once_at_every_cut(kModel, credit_token(700, kTwentyEuro, kElectricityCurrency), available_cents, 2000,
                                    4000);
}
