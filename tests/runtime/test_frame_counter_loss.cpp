// Frame counters across the loss of their record (docs/nvm-format.md, Frame
// counters): a ciphered exchange is recorded byte for byte from a meter, its
// counters record is then wiped or damaged, and the exchange replayed against
// the meter booted again must be refused until the keys change. A blank NVM
// (a new meter) serves its delivery keys from counter 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <clms100/model.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/security/ciphering.hpp>

#include "../support/memory_hal.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using metergen::test::MemoryHal;
using Bytes = std::vector<std::uint8_t>;
namespace clms = metergen::models::clms100;
namespace security = metergen::security;

const Bytes kClientTitle = hex("4D4D4D0000000001");
const Bytes kServerTitle = hex("4D474D0000000001");
// Under-voltage threshold (register, 1.0.12.31.0.255) attribute 2, settable by the utility client.
const Bytes kThreshold = hex("00 03 01 00 0C 1F 00 FF 02");

security::Keys keys_of(std::uint8_t change) {
  security::Keys keys{};
  Bytes ek = hex("000102030405060708090A0B0C0D0E0F"), ak = hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
  std::copy(ek.begin(), ek.end(), keys.ek);
  std::copy(ak.begin(), ak.end(), keys.ak);
  keys.ek[15] ^= change;
  keys.ak[15] ^= change;
  return keys;
}

Bytes glo(const security::Keys& keys, std::uint32_t ic, const Bytes& apdu) {
  Bytes out(256);
  ByteWriter w(out.data(), out.size());
  EXPECT_TRUE(security::protect_glo(w, 0x30, keys, kClientTitle.data(), ic, apdu.data(), apdu.size()));
  out.resize(w.size());
  return out;
}

// The utility association (SAP 1) in the LN-with-ciphering context, LLS, the
// InitiateRequest glo-ciphered with counter `ic`.
Bytes ciphered_aarq(const security::Keys& keys, std::uint32_t ic) {
  const Bytes g = glo(keys, ic, hex("01 00 00 00 06 5F 1F 04 00 00 1E 1D 04 00"));
  Bytes aarq = hex("A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80"
                   " 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 31 32 33 34 35 36 37 38");
  aarq.push_back(0xBE);
  aarq.push_back(static_cast<std::uint8_t>(g.size() + 2));
  aarq.push_back(0x04);
  aarq.push_back(static_cast<std::uint8_t>(g.size()));
  aarq.insert(aarq.end(), g.begin(), g.end());
  aarq.insert(aarq.begin(), static_cast<std::uint8_t>(aarq.size()));
  aarq.insert(aarq.begin(), 0x60);
  return aarq;
}

// SET-Request-Normal of the threshold to `value` (long-unsigned), glo-ciphered.
Bytes ciphered_set(const security::Keys& keys, std::uint32_t ic, std::uint16_t value) {
  Bytes set = hex("C1 01 C1");
  set.insert(set.end(), kThreshold.begin(), kThreshold.end());
  set.insert(set.end(), {0x00, 0x12, static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)});
  return glo(keys, ic, set);
}

struct Device {
  explicit Device(MemoryHal& hal) : meter(clms::model, hal), connection(meter) { meter.boot(); }
  Bytes request(Bytes apdu) {
    Bytes out(2048);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection.on_apdu(1, 1, apdu, w));
    out.resize(w.size());
    return out;
  }
  metergen::dlms::Meter meter;
  metergen::dlms::Connection connection;
};

bool aare_accepted(const Bytes& aare) {
  return aare.size() >= 18 && Bytes(aare.begin() + 15, aare.begin() + 18) == hex("02 01 00");
}
// The acse-service-user diagnostic of an AARE (A3 05 A1 03 02 01 <d>).
int aare_diagnostic(const Bytes& aare) {
  for (std::size_t i = 0; i + 7 <= aare.size(); ++i)
    if (aare[i] == 0xA3 && aare[i + 1] == 0x05 && aare[i + 2] == 0xA1) return aare[i + 6];
  return -1;
}

// The plain SET-Response inside a ciphered reply: its result byte.
int set_result(const Bytes& reply, const security::Keys& keys) {
  ByteReader r(reply.data(), reply.size());
  security::GloFrame frame;
  if (!security::parse_glo(r, frame)) return -1;
  std::uint8_t plain[64];
  const security::Unprotected u = security::unprotect(frame.content, 0, keys, kServerTitle.data(), plain, sizeof plain);
  if (u.status != security::Status::ok || u.length < 4 || plain[0] != 0xC5) return -1;
  return plain[3];
}

bool logged(const MemoryHal& hal, const std::string& part) {
  return std::any_of(hal.logs.begin(), hal.logs.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

std::uint16_t threshold(Device& d) {
  const std::uint16_t object = metergen::tables::find_object(clms::model, {{1, 0, 12, 31, 0, 255}});
  const std::uint8_t* s = clms::model.state + clms::model.objects[object].state_offset;
  // long-unsigned as stored: 12 hi lo
  (void)d;
  return static_cast<std::uint16_t>(s[1] << 8 | s[2]);
}

class FrameCounterLoss : public ::testing::Test {
 protected:
  // A new meter; the recorded exchange (AARQ with IC 1, SET with IC 2 to 20000) is
  // accepted, then a second exchange sets the threshold back to 20700.
  void SetUp() override {
    Device d(hal);
    EXPECT_FALSE(logged(hal, "frame counters"));
    ASSERT_TRUE(aare_accepted(d.request(aarq)));
    EXPECT_EQ(set_result(d.request(set), keys_of(0)), 0);
    EXPECT_EQ(threshold(d), 20000);
    ASSERT_TRUE(aare_accepted(d.request(ciphered_aarq(keys_of(0), 3))));
    EXPECT_EQ(set_result(d.request(ciphered_set(keys_of(0), 4, 20700)), keys_of(0)), 0);
    EXPECT_EQ(threshold(d), 20700);
    base = d.meter.counters().record_base();
    bytes = d.meter.counters().record_bytes();
    hal.logs.clear();
  }

  // The recorded exchange against a meter booted on the NVM as it is now.
  void expect_replay_refused() {
    Device d(hal);
    EXPECT_TRUE(logged(hal, "frame counters: the record was lost"));
    EXPECT_TRUE(logged(hal, "client SAP 1 has no usable frame counters"));
    const Bytes aare = d.request(aarq);
    EXPECT_FALSE(aare_accepted(aare));
    EXPECT_EQ(aare_diagnostic(aare), 2);  // application-context-name-not-supported: keys unusable
    d.request(set);
    EXPECT_EQ(threshold(d), 20700);
  }

  MemoryHal hal;
  const Bytes aarq = ciphered_aarq(keys_of(0), 1);
  const Bytes set = ciphered_set(keys_of(0), 2, 20000);
  std::uint32_t base = 0, bytes = 0;
};

TEST_F(FrameCounterLoss, AWipedRecordRefusesTheRecordedExchange) {
  std::fill_n(hal.nvm.begin() + base, bytes, MemoryHal::kErased);
  expect_replay_refused();
}

TEST_F(FrameCounterLoss, AZeroedRecordRefusesTheRecordedExchange) {
  std::fill_n(hal.nvm.begin() + base, bytes, 0x00);
  expect_replay_refused();
}

TEST_F(FrameCounterLoss, ATruncatedRecordRefusesTheRecordedExchange) {
  // Every copy cut short: its CRC no longer checks out.
  for (std::uint32_t at = base; at < base + bytes; at += 16) hal.nvm[at + 12] ^= 0x5A;
  expect_replay_refused();
}

TEST_F(FrameCounterLoss, TheRefusalSurvivesRestartsUntilTheKeysChange) {
  std::fill_n(hal.nvm.begin() + base, bytes, MemoryHal::kErased);
  { Device d(hal); }
  hal.logs.clear();
  {
    Device d(hal);  // the record now exists, with exhausted counters
    EXPECT_FALSE(logged(hal, "the record was lost"));
    EXPECT_TRUE(logged(hal, "client SAP 1 has no usable frame counters"));
    EXPECT_FALSE(aare_accepted(d.request(aarq)));
  }
  hal.key_change = 0x01;
  hal.logs.clear();
  Device d(hal);
  EXPECT_TRUE(logged(hal, "frame counters: the keys of client SAP 1 changed; its counters start again"));
  // The recording does not authenticate under the new keys.
  EXPECT_FALSE(aare_accepted(d.request(aarq)));
  // The new keys work from counter 1.
  ASSERT_TRUE(aare_accepted(d.request(ciphered_aarq(keys_of(1), 1))));
  EXPECT_EQ(set_result(d.request(ciphered_set(keys_of(1), 2, 21000)), keys_of(1)), 0);
  EXPECT_EQ(threshold(d), 21000);
}

TEST_F(FrameCounterLoss, NewKeysWithTheRecordKeptDoNotRestartTheCounters) {
  hal.key_change = 0x01;
  Device d(hal);
  EXPECT_FALSE(logged(hal, "frame counters"));
  // Counters go on from the reservation: a counter below it is refused.
  EXPECT_FALSE(aare_accepted(d.request(ciphered_aarq(keys_of(1), 1))));
  EXPECT_TRUE(aare_accepted(d.request(ciphered_aarq(keys_of(1), 5000))));
}

TEST_F(FrameCounterLoss, AnErasedNvmIsANewMeterWithItsDeliveryKeys) {
  // The whole NVM blank: nothing tells it from a meter out of the factory.
  std::fill(hal.nvm.begin(), hal.nvm.end(), MemoryHal::kErased);
  Device d(hal);
  EXPECT_FALSE(logged(hal, "frame counters"));
  EXPECT_TRUE(aare_accepted(d.request(aarq)));
  EXPECT_EQ(set_result(d.request(set), keys_of(0)), 0);
}

}  // namespace
