// What independent DLMS clients send, against the seed models' servers in
// process. Every request is written byte by byte from dlms-protocol.md (§5 AARQ
// and AARE, §7 GET, §12 range_descriptor, §14 date-time) and the seed specs;
// every expected reply is worked out by hand, none produced by our encoders.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include <clms100/model.hpp>
#include <dtsd545/model.hpp>
#include <hxe312-kp/model.hpp>
#include <hxf300-eu/model.hpp>
#include <metergen/dlms/server.hpp>

#include "../support/memory_hal.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;

// 2024-03-01 (a Friday) 11:45:00 UTC = 12:45:00 in CET (clms100: UTC+1, DST from
// the last Sunday of March): 19,783 days after 1970-01-01, plus 42,300 s.
constexpr std::uint64_t kUtc1145 = 1709293500;

class Interop : public ::testing::Test {
 protected:
  // The meter of `model` booted at `utc_ms` (demo secrets: LLS 12345678, title 4D474D0000000001).
  void start(const metergen::tables::Model& model, std::uint64_t utc_ms = kUtc1145 * 1000) {
    hal.now_ms = utc_ms;
    meter.emplace(model, hal);
    meter->boot();
    connection.emplace(*meter);
  }

  Bytes request(std::uint16_t client_sap, Bytes apdu) {
    Bytes out(2048);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection->on_apdu(client_sap, 1, apdu, w));
    out.resize(w.size());
    return out;
  }

  metergen::test::MemoryHal hal;
  std::optional<metergen::dlms::Meter> meter;
  std::optional<metergen::dlms::Connection> connection;
};

// LN context (01), no calling-AP-title, sender-acse-requirements authentication,
// mechanism LLS (2.16.756.5.8.2.1), password, InitiateRequest conformance 00 1E 1D,
// max PDU FFFF. Lengths: A1 11 + 8A 4 + 8B 9 + AC 12 + BE 18 = 54 = 0x36.
Bytes lls_aarq_without_title(const char* password_hex) {
  Bytes aarq = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01 AC 0A 80 08");
  const Bytes password = hex(password_hex);
  aarq.insert(aarq.end(), password.begin(), password.end());
  const Bytes initiate = hex("BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  aarq.insert(aarq.end(), initiate.begin(), initiate.end());
  return aarq;
}

// Accepted, diagnostic null, InitiateResponse: conformance 00 1E 1D AND the
// server's 00 1A 1D, server max PDU 1024 (04 00), VAA 00 07.
const Bytes kAcceptedPlainAare = hex(
    "61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00"
    " BE 10 04 0E 08 00 06 5F 1F 04 00 00 1A 1D 04 00 00 07");

// Rejected-permanent (1) with acse-service-user diagnostic d, LN context.
Bytes rejected_aare(std::uint8_t diagnostic) {
  Bytes aare = hex("61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01");
  aare.push_back(diagnostic);
  return aare;
}

const Bytes kPublicAarq = hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");

TEST_F(Interop, LlsFallbackLoginWithoutSystemTitleIsCheckedForItsPassword) {
  // hxe312-kp reader (SAP 2): own mechanism HLS-GMAC, fallback LLS, no security policy.
  start(metergen::models::hxe312_kp::model);
  EXPECT_EQ(request(2, lls_aarq_without_title("31 32 33 34 35 36 37 38")), kAcceptedPlainAare);
  // Association LN 0.0.40.0.0.255 attribute 6: the mechanism used, LLS 60 85 74 05 08 02 01, not HLS.
  EXPECT_EQ(request(2, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 06 00")),
            hex("C4 01 C1 00 09 07 60 85 74 05 08 02 01"));
}

TEST_F(Interop, WrongLlsPasswordWithoutSystemTitleIsAuthenticationFailure) {
  start(metergen::models::hxe312_kp::model);
  EXPECT_EQ(request(2, lls_aarq_without_title("30 30 30 30 30 30 30 30")), rejected_aare(13));
  EXPECT_EQ(request(2, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 06 00")), hex("D8 01 01"));
}

TEST_F(Interop, PlainLoginToAnAssociationThatRequiresCipheringIsRejectedInTheAare) {
  // hxf300-eu management (SAP 1): security policy authenticated and encrypted requests
  // and responses. LN without ciphering: application-context-name-not-supported (2).
  start(metergen::models::hxf300_eu::model);
  EXPECT_EQ(request(1, lls_aarq_without_title("31 32 33 34 35 36 37 38")), rejected_aare(2));
  EXPECT_EQ(request(1, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 01 00")), hex("D8 01 01"));
  // The same login in the LN-with-ciphering context (03) with the calling-AP-title
  // A6 0A 04 08 4D4D4D0000000001 (12 more bytes: 0x42) is accepted; the AARE
  // carries the server's title A4 0A 04 08 4D474D0000000001 (0x35 bytes).
  const Bytes ciphered = hex(
      "60 42 A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80"
      " 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 31 32 33 34 35 36 37 38"
      " BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  EXPECT_EQ(request(1, ciphered),
            hex("61 35 A1 09 06 07 60 85 74 05 08 01 03 A2 03 02 01 00 A3 05 A1 03 02 01 00"
                " A4 0A 04 08 4D 47 4D 00 00 00 00 01 BE 10 04 0E 08 00 06 5F 1F 04 00 00 1A 1D 04 00 00 07"));
}

// The current association's entry in an object list: class 15 (00 0F), version 2,
// logical name 0.0.40.0.0.255.
const Bytes kCurrentAssociationEntry = hex("02 04 12 00 0F 11 02 09 06 00 00 28 00 00 FF");

TEST_F(Interop, EveryAssociationReachesTheCurrentAssociation) {
  // hxf300-eu's public (16) and pre-established (102) clients list no Association LN in the spec.
  start(metergen::models::hxf300_eu::model);
  for (std::uint16_t sap : {16, 102}) {
    EXPECT_EQ(request(sap, kPublicAarq), kAcceptedPlainAare) << sap;
    EXPECT_EQ(request(sap, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 01 00")),
              hex("C4 01 C1 00 09 06 00 00 28 00 00 FF"))
        << sap;
    const Bytes list = request(sap, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 02 00"));
    ASSERT_GE(list.size(), 5u) << sap;
    EXPECT_EQ(Bytes(list.begin(), list.begin() + 5), hex("C4 01 C1 00 01")) << sap;  // success, an array
    EXPECT_NE(std::search(list.begin(), list.end(), kCurrentAssociationEntry.begin(), kCurrentAssociationEntry.end()),
              list.end())
        << sap;
  }
}

TEST_F(Interop, LocalTimeAndDateAreTheClocks) {
  // clms100 public: 1.0.0.9.1.255 local time = octet-string 4 (hour minute second
  // hundredths), 1.0.0.9.2.255 local date = octet-string 5 (year month day weekday).
  start(metergen::models::clms100::model, (kUtc1145 + 30) * 1000 + 250);  // 12:45:30.25 CET
  request(16, kPublicAarq);
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 01 00 00 09 01 FF 02 00")), hex("C4 01 C1 00 09 04 0C 2D 1E 19"));
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 01 00 00 09 02 FF 02 00")), hex("C4 01 C1 00 09 05 07 E8 03 01 05"));
}

TEST_F(Interop, UnsetSerialNumberIsTheSystemTitlesManufacturingNumber) {
  // hxf300-eu serial number 0.0.96.1.0.255: visible-string of 16; the server title
  // 4D474D 0000000001 has manufacturing number 1: "0000000000000001".
  start(metergen::models::hxf300_eu::model);
  request(16, kPublicAarq);
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 00 00 60 01 00 FF 02 00")),
            hex("C4 01 C1 00 0A 10 30 30 30 30 30 30 30 30 30 30 30 30 30 30 30 31"));
}

TEST_F(Interop, SerialNumberDigitsCrossEightDigitGroups) {
  // Manufacturing number 05F5E100 = 100,000,000 (a group of eight zeros, then 1):
  // "0000000100000000"; FFFFFFFFFF = 1,099,511,627,775: "0001099511627775".
  hal.title = {0x4D, 0x47, 0x4D, 0x00, 0x05, 0xF5, 0xE1, 0x00};
  start(metergen::models::hxf300_eu::model);
  request(16, kPublicAarq);
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 00 00 60 01 00 FF 02 00")),
            hex("C4 01 C1 00 0A 10 30 30 30 30 30 30 30 31 30 30 30 30 30 30 30 30"));
  hal.title = {0x4D, 0x47, 0x4D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 00 00 60 01 00 FF 02 00")),
            hex("C4 01 C1 00 0A 10 30 30 30 31 30 39 39 35 31 31 36 32 37 37 37 35"));
}

TEST_F(Interop, PublicAssociationReferencesTheCurrentSecuritySetup) {
  // dtsd545 public: no security setup of its own; the spec's current security
  // setup 0.0.43.0.0.255 instead of 0.0.0.0.0.0.
  start(metergen::models::dtsd545::model);
  request(16, kPublicAarq);
  EXPECT_EQ(request(16, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 09 00")), hex("C4 01 C1 00 09 06 00 00 2B 00 00 FF"));
}

TEST_F(Interop, PeriodicCaptureAtTheBoundaryReadByRangeWithoutDeviation) {
  // clms100 load profile 1.0.99.1.0.255, 900 s: ticks at 11:44:59.98 and 11:45:00.02 UTC
  // capture one entry, stamped 12:45:00.00 CET: 07 E8 03 01 05 0C 2D 00 00 FF C4 00.
  start(metergen::models::clms100::model, (kUtc1145 - 1) * 1000 + 980);
  meter->profiles().tick(hal.now_ms);
  hal.now_ms = kUtc1145 * 1000 + 20;
  meter->profiles().tick(hal.now_ms);
  EXPECT_EQ(request(2, lls_aarq_without_title("31 32 33 34 35 36 37 38")), kAcceptedPlainAare);
  // GET with selective access 01 (range): restricting object the clock (class 8,
  // 0.0.1.0.0.255, attribute 2, data index 0); from and to 2024-03-01 12:45:00
  // with weekday, hundredths, deviation (80 00) and status not specified, so the
  // meter's local time; selected_values: the clock column only.
  const Bytes get = hex(
      "C0 01 C1 00 07 01 00 63 01 00 FF 02 01 01"
      " 02 04 02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00"
      " 09 0C 07 E8 03 01 FF 0C 2D 00 FF 80 00 FF"
      " 09 0C 07 E8 03 01 FF 0C 2D 00 FF 80 00 FF"
      " 01 01 02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00");
  EXPECT_EQ(request(2, get), hex("C4 01 C1 00 01 01 02 01 09 0C 07 E8 03 01 05 0C 2D 00 00 FF C4 00"));
}

}  // namespace
