// Shared by the prepayment tests (test_prepayment.cpp: the HXE312-KP's energy
// credit; test_prepayment_currency.cpp: a currency credit): the load that uses
// the credit up, STS tokens from the test-only vending side
// (tests/support/sts_vending.hpp), the account's objects and the token gateway.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include <metergen/cosem/objects.hpp>
#include <metergen/dlms/server.hpp>

#include "../support/sts_vending.hpp"
#include "time_engine_support.hpp"

namespace metergen::test::prepayment {

namespace vend = sts_vending;

// The decoder key both test models' targets hold (the host's demo key).
inline constexpr std::uint64_t kDecoderKey = 0x0123456789ABCDEFull;
// 3 x 240 V x 50 A at power factor 1: 36 kW, 10 Wh each second.
inline const metrology::Readings kLoad = balanced(3, 240.0, 50.0);
inline const metrology::Readings kIdle = balanced(3, 240.0, 0.0);

inline std::uint16_t object_of(const tables::Model& model, std::initializer_list<std::uint8_t> ln) {
  tables::LogicalName n{};
  std::copy(ln.begin(), ln.end(), n.b);
  return tables::find_object(model, n);
}

// A class 0 token of `subclass` whose 16-bit amount field is `field`
// (exponent in its top 2 bits, IEC 62055-41 §6.3.6).
inline std::string credit_token(std::uint32_t tid, std::uint16_t field, std::uint8_t subclass = 0,
                                std::uint64_t key = kDecoderKey) {
  return vend::encode(key, vend::Cipher::sta, 0, subclass, vend::tid_data(3, tid, field));
}
inline std::string management_token(std::uint8_t subclass, std::uint32_t tid, std::uint16_t field) {
  return vend::encode(kDecoderKey, vend::Cipher::sta, 2, subclass, vend::tid_data(5, tid, field));
}

// Seconds at kLoad while the relay is closed, no load while it is open (the
// relay cuts the load, as the host's simulated front end plays it).
inline void consume(TimedMeter& m, std::int64_t seconds) {
  for (std::int64_t s = 0; s < seconds; ++s) m.run(m.hal.relay_connected() ? kLoad : kIdle, 1);
}

// Wednesday 2027-03-03 10:00 UTC: where the prepayment tests start.
inline const std::int64_t kStart = utc_of(2027, 3, 3, 10, 0, 0);

// A model's prepayment objects at the Blue Book's logical names: the account
// (IC 111, 0.0.19.0.0.255), the token and emergency credits (IC 112,
// 0.0.19.10.0/1.255), the charge (IC 113, 0.0.19.20.0.255) and the token
// gateway (IC 115, 0.0.19.40.0.255); kNone where the model has none.
struct AccountObjects {
  explicit AccountObjects(const tables::Model& model)
      : account(object_of(model, {0, 0, 19, 0, 0, 255})),
        token_credit(object_of(model, {0, 0, 19, 10, 0, 255})),
        emergency_credit(object_of(model, {0, 0, 19, 10, 1, 255})),
        charge(object_of(model, {0, 0, 19, 20, 0, 255})),
        gateway(object_of(model, {0, 0, 19, 40, 0, 255})) {}
  std::uint16_t account, token_credit, emergency_credit, charge, gateway;
};

// The meter's token gateway: method 1 (enter) with the digits as an octet-string.
inline dlms::ActionResult enter(TimedMeter& m, const std::string& token) {
  Bytes params = {0x09, static_cast<std::uint8_t>(token.size())};
  params.insert(params.end(), token.begin(), token.end());
  return m.act(AccountObjects(m.model()).gateway, 1, params);
}
// token_status: the status_code enum, -1 when unreadable.
inline std::int64_t token_status(TimedMeter& m) {
  const Bytes v = m.value(AccountObjects(m.model()).gateway, 6);
  return v.size() >= 4 ? v[3] : -1;
}
// token_status: the data_value bit-string's 8 bits (the result byte), -1 when unreadable.
inline std::int64_t token_result(TimedMeter& m) {
  const Bytes v = m.value(AccountObjects(m.model()).gateway, 6);
  return v.size() >= 7 ? v[6] : -1;
}

// A power cut at each NVM write of `token`'s acceptance (the write fails, RAM
// is lost, the power-fail save fails too): after power-up the token counts
// exactly once — either it was kept, and entering it again is "used", or it
// was not, and entering it again credits it. `available` reads the account's
// available credit, `before` and `after` are its values without and with the token.
template <class Available>
void expect_credited_once_at_every_cut(const tables::Model& model, const std::string& token, Available available,
                                       std::int64_t before, std::int64_t after) {
  bool lost = false, kept_once = false;
  for (long writes_before_cut = 0; writes_before_cut < 12; ++writes_before_cut) {
    SCOPED_TRACE(writes_before_cut);
    TimedMeter m{model, kStart};
    m.run(kIdle, 1);
    m.hal.writes_left = writes_before_cut;
    enter(m, token);
    m.hal.writes_left = 0;
    m.power_cut(5);
    m.hal.writes_left = -1;
    const std::int64_t kept = available(m);
    EXPECT_TRUE(kept == before || kept == after) << kept;
    (kept == after ? kept_once : lost) = true;
    enter(m, token);
    EXPECT_EQ(token_status(m), kept == after ? 6 : 3);
    EXPECT_EQ(available(m), after);
  }
  EXPECT_TRUE(lost && kept_once) << "the cuts fall both before and after the token's record";
}

}  // namespace metergen::test::prepayment
