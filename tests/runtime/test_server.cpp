// The DLMS server in process: APDUs in, APDUs out, against clms100's tables.
// Expected replies are worked out by hand from dlms-protocol.md (§5, §7, §11,
// §16, §17) and from specs/clms100.yaml; none is produced by our encoders.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include <clms100/model.hpp>
#include <metergen/axdr/axdr.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/security/hls_gmac.hpp>

#include "../support/memory_hal.hpp"
#include "hex_bytes.hpp"

namespace {

using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;
namespace clms = metergen::models::clms100;

using metergen::test::MemoryHal;  // demo secrets: LLS 12345678, §16 EK/AK, title 4D474D0000000001

class Server : public ::testing::Test {
 protected:
  Server() : meter(clms::model, hal), connection(meter) { meter.boot(); }

  Bytes request(std::uint16_t client_sap, Bytes apdu) {
    Bytes out(2048);
    ByteWriter w(out.data(), out.size());
    EXPECT_TRUE(connection.on_apdu(client_sap, 1, apdu, w));
    out.resize(w.size());
    return out;
  }

  MemoryHal hal;
  metergen::dlms::Meter meter;
  metergen::dlms::Connection connection;
};

// AARQ of dlms-protocol.md §3.5 example 2 (LN, no authentication, conformance
// 00 1E 1D, client max PDU 0xFFFF).
const Bytes kPublicAarq = hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");

TEST_F(Server, PublicAssociationIsAcceptedWithTheNegotiatedConformance) {
  // As §3.5 example 3, except: conformance 00 1E 1D AND the server's 00 1A 1D
  // (no block transfer with action) = 00 1A 1D, and server max PDU 1024 = 04 00.
  EXPECT_EQ(request(16, kPublicAarq),
            hex("61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00"
                " BE 10 04 0E 08 00 06 5F 1F 04 00 00 1A 1D 04 00 00 07"));
}

TEST_F(Server, GetBeforeAssociatingIsRefused) {
  // exception-response: service-not-allowed, operation-not-possible.
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 00 00 2A 00 00 FF 02 00")), hex("D8 01 01"));
}

TEST_F(Server, PublicClientReadsTheLogicalDeviceName) {
  request(16, kPublicAarq);
  // specs/clms100.yaml: logical_device_name "CNXCLMS100000001" (16 bytes).
  EXPECT_EQ(request(16, hex("C0 01 C1 00 01 00 00 2A 00 00 FF 02 00")),
            hex("C4 01 C1 00 09 10 43 4E 58 43 4C 4D 53 31 30 30 30 30 30 30 30 31"));
}

TEST_F(Server, PublicClientIsDeniedEnergyRegisters) {
  request(16, kPublicAarq);
  // 1.0.1.8.0.255 is not in the public association's object list: object-undefined (4).
  EXPECT_EQ(request(16, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("C4 01 C1 01 04"));
}

TEST_F(Server, WrongLlsPasswordIsRejected) {
  // Reader (client SAP 2, LLS) with password "00000000" instead of "12345678".
  Bytes aarq = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
                   " AC 0A 80 08 30 30 30 30 30 30 30 30 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  // result rejected-permanent (1), acse-service-user diagnostic authentication-failure (13).
  EXPECT_EQ(request(2, aarq), hex("61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 0D"));
  EXPECT_EQ(request(2, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("D8 01 01"));
}

// LLS (mechanism 2.16.756.5.8.2.1) with the password 12345678, no calling-AP-title.
const Bytes kLlsAarq = hex("60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
                           " AC 0A 80 08 31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");

TEST_F(Server, RightLlsPasswordOpensTheReaderAssociation) {
  Bytes aare = request(2, kLlsAarq);
  ASSERT_GE(aare.size(), 18u);
  EXPECT_EQ(Bytes(aare.begin() + 15, aare.begin() + 18), hex("02 01 00"));  // result accepted
  // Energy is readable now: C4 01 C1 00 then a Data.
  Bytes reply = request(2, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00"));
  ASSERT_GE(reply.size(), 5u);
  EXPECT_EQ(Bytes(reply.begin(), reply.begin() + 4), hex("C4 01 C1 00"));
}

// SET-Request-With-List (IEC 62056-5-3): C1 04 invoke-id, a SEQUENCE OF
// Cosem-Attribute-Descriptor-With-Selection (count, then class-id(2)
// instance-id(6) attribute-id(1) access-selection absent 00 each), a SEQUENCE
// OF Data (count, then each value). Here the utility client (SAP 1, its LLS
// fallback, password 12345678) writes the clock's time_zone (class 8
// 0.0.1.0.0.255 attribute 3, long 180 = 10 00 B4) and its logical_name (attribute 1,
// read-only). Set-Response-With-List: C5 05 invoke-id, count 02, success (00)
// and read-write-denied (03).
TEST_F(Server, SetWithListAnswersEachValueInOrder) {
  Bytes aare = request(1, kLlsAarq);
  ASSERT_GE(aare.size(), 18u);
  ASSERT_EQ(Bytes(aare.begin() + 15, aare.begin() + 18), hex("02 01 00"));  // result accepted
  EXPECT_EQ(request(1, hex("C1 04 C1 02"
                           " 00 08 00 00 01 00 00 FF 03 00"
                           " 00 08 00 00 01 00 00 FF 01 00"
                           " 02 10 00 B4 09 06 00 00 01 00 00 FF")),
            hex("C5 05 C1 02 00 03"));
  EXPECT_EQ(request(1, hex("C0 01 C1 00 08 00 00 01 00 00 FF 03 00")), hex("C4 01 C1 00 10 00 B4"));
}

// HLS-GMAC with the utility client (SAP 1): AARQ with the client system title of
// §17's GMAC vector and an 8-byte CtoS.
const Bytes kClientTitle = hex("4D4D4D0000000001");

// EK/AK of dlms-protocol.md §16 test vector 1 (the test meter's keys).
metergen::security::Keys demo_keys() {
  metergen::security::Keys keys{};
  Bytes ek = hex("000102030405060708090A0B0C0D0E0F"), ak = hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
  std::copy(ek.begin(), ek.end(), keys.ek);
  std::copy(ak.begin(), ak.end(), keys.ak);
  return keys;
}

Bytes hls_aarq() {
  return hex("60 42 A1 09 06 07 60 85 74 05 08 01 01 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80"
             " 8B 07 60 85 74 05 08 02 05 AC 0A 80 08 4B 35 36 69 56 61 67 59"
             " BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
}

TEST_F(Server, HlsGmacAssociationCompletesWithPassFourAndRejectsAWrongReply) {
  Bytes aare = request(1, hls_aarq());
  // Accepted (A2 … 00) with diagnostic authentication-required (14), StoC = 16 × 55 (the test Hal's random).
  Bytes accepted = hex("A2 03 02 01 00 A3 05 A1 03 02 01 0E");
  EXPECT_NE(std::search(aare.begin(), aare.end(), accepted.begin(), accepted.end()), aare.end());
  Bytes stoc_field = hex("AA 12 80 10 55 55 55 55 55 55 55 55 55 55 55 55 55 55 55 55");
  EXPECT_NE(std::search(aare.begin(), aare.end(), stoc_field.begin(), stoc_field.end()), aare.end());

  // Pending: a GET is refused (read-write-denied, 3).
  EXPECT_EQ(request(1, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00")), hex("C4 01 C1 01 03"));

  const metergen::security::Keys keys = demo_keys();
  Bytes stoc(16, 0x55);
  std::uint8_t f[metergen::security::kHlsGmacReplySize];
  metergen::security::hls_gmac_reply(keys, kClientTitle.data(), 1, stoc.data(), stoc.size(), f);

  // A reply with one bit flipped: action-result read-write-denied (3), no data.
  Bytes wrong = hex("C3 01 C1 00 0F 00 00 28 00 00 FF 01 01 09 11");
  wrong.insert(wrong.end(), f, f + sizeof(f));
  wrong.back() ^= 0x01;
  EXPECT_EQ(request(1, wrong), hex("C7 01 C1 03 00"));
}

TEST_F(Server, HlsGmacPassFourReturnsTheServersProof) {
  request(1, hls_aarq());
  const metergen::security::Keys keys = demo_keys();
  Bytes stoc(16, 0x55);
  std::uint8_t f[metergen::security::kHlsGmacReplySize];
  metergen::security::hls_gmac_reply(keys, kClientTitle.data(), 1, stoc.data(), stoc.size(), f);
  Bytes action = hex("C3 01 C1 00 0F 00 00 28 00 00 FF 01 01 09 11");
  action.insert(action.end(), f, f + sizeof(f));
  Bytes reply = request(1, action);
  // C7 01 C1 00 01 00 09 11 <f(CtoS)>: success with an octet-string of 17 bytes.
  ASSERT_EQ(reply.size(), 8u + 17u);
  EXPECT_EQ(Bytes(reply.begin(), reply.begin() + 8), hex("C7 01 C1 00 01 00 09 11"));
  std::uint32_t ic = 0;
  Bytes ctos = hex("4B 35 36 69 56 61 67 59");
  EXPECT_TRUE(metergen::security::hls_gmac_verify(keys, hex("4D474D0000000001").data(), ctos.data(), ctos.size(),
                                                  reply.data() + 8, 17, &ic));
  // Associated now: energy is readable.
  Bytes get = request(1, hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00"));
  EXPECT_EQ(Bytes(get.begin(), get.begin() + 4), hex("C4 01 C1 00"));
}

TEST_F(Server, ObjectListLargerThanThePduArrivesInBlocks) {
  // Public association with client max PDU 0x0100 = 256.
  request(16, hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D 01 00"));
  Bytes reply = request(16, hex("C0 01 C1 00 0F 00 00 28 00 00 FF 02 00"));
  Bytes body;
  for (std::uint32_t block = 1;; ++block) {
    ASSERT_LE(reply.size(), 256u);
    // C4 02 C1 last block(4) 00 length raw
    ASSERT_EQ(Bytes(reply.begin(), reply.begin() + 3), hex("C4 02 C1"));
    std::uint32_t number = (reply[4] << 24) | (reply[5] << 16) | (reply[6] << 8) | reply[7];
    EXPECT_EQ(number, block);
    ASSERT_EQ(reply[8], 0x00);
    ByteReader r(reply.data() + 9, reply.size() - 9);
    std::uint32_t n = metergen::axdr::get_length(r);
    ASSERT_EQ(n, r.remaining());
    body.insert(body.end(), r.current(), r.current() + n);
    if (reply[3] == 0x01) break;
    ASSERT_LT(block, 100u);
    Bytes next = hex("C0 02 C1");
    for (int s = 24; s >= 0; s -= 8) next.push_back(static_cast<std::uint8_t>(block >> s));
    reply = request(16, next);
  }
  // The blocks form one array with one element per object the public association lists.
  std::size_t listed = 0;
  for (std::uint16_t i = 0; i < clms::model.object_count; ++i)
    listed += clms::model.associations[clms::associations::public_].object_access[i] != metergen::tables::kNone;
  ByteReader whole(body.data(), body.size());
  ASSERT_EQ(whole.u8(), 0x01);
  EXPECT_EQ(metergen::axdr::get_length(whole), listed);
  ByteReader check(body.data(), body.size());
  EXPECT_TRUE(metergen::axdr::skip_value(check));
  EXPECT_TRUE(check.empty());
}

TEST_F(Server, ReplayedCipheredRequestIsRejected) {
  // Utility association in the LN-with-ciphering context, LLS (its fallback
  // mechanism), InitiateRequest in glo form with IC 1.
  const metergen::security::Keys keys = demo_keys();
  Bytes initiate = hex("01 00 00 00 06 5F 1F 04 00 00 1E 1D 04 00");
  Bytes glo(64);
  ByteWriter gw(glo.data(), glo.size());
  ASSERT_TRUE(metergen::security::protect_glo(gw, 0x30, keys, kClientTitle.data(), 1, initiate.data(), initiate.size()));
  glo.resize(gw.size());
  Bytes aarq = hex("A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 00 00 01 8A 02 07 80"
                   " 8B 07 60 85 74 05 08 02 01 AC 0A 80 08 31 32 33 34 35 36 37 38");
  aarq.push_back(0xBE);
  aarq.push_back(static_cast<std::uint8_t>(glo.size() + 2));
  aarq.push_back(0x04);
  aarq.push_back(static_cast<std::uint8_t>(glo.size()));
  aarq.insert(aarq.end(), glo.begin(), glo.end());
  aarq.insert(aarq.begin(), static_cast<std::uint8_t>(aarq.size()));
  aarq.insert(aarq.begin(), 0x60);
  Bytes aare = request(1, aarq);
  ASSERT_GE(aare.size(), 18u);
  EXPECT_EQ(Bytes(aare.begin() + 15, aare.begin() + 18), hex("02 01 00"));

  Bytes get = hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00");
  Bytes cget(64);
  ByteWriter cw(cget.data(), cget.size());
  ASSERT_TRUE(metergen::security::protect_glo(cw, 0x30, keys, kClientTitle.data(), 2, get.data(), get.size()));
  cget.resize(cw.size());
  Bytes first = request(1, cget);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0], 0xCC);  // glo-get-response
  // The same APDU again: exception-response, invocation-counter-error, expected counter 3.
  EXPECT_EQ(request(1, cget), hex("D8 01 06 00 00 00 03"));
}

}  // namespace

// A GET reply in blocks and a SET value in blocks share the connection's one
// long-transfer buffer: starting either abandons the other (dlms-protocol.md
// §7: SET-Request-With-First-Datablock C1 02, With-Datablock C1 03; replies
// C5 02 invoke block, C5 03 invoke result block; Data-Access-Result
// no-long-get-in-progress 16, no-long-set-in-progress 18).
const Bytes kPublicAarqPdu256 =
    hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D 01 00");
const Bytes kObjectListGet = hex("C0 01 C1 00 0F 00 00 28 00 00 FF 02 00");
// Clock time (class 8, 0.0.1.0.0.255, attribute 2), first block: 09 0C and one byte of the date-time.
const Bytes kClockSetFirstBlock = hex("C1 02 C1 00 08 00 00 01 00 00 FF 02 00 00 00 00 00 01 03 09 0C 07");

TEST_F(Server, LongGetAbandonsASetInBlocks) {
  request(16, kPublicAarqPdu256);
  EXPECT_EQ(request(16, kClockSetFirstBlock), hex("C5 02 C1 00 00 00 01"));
  Bytes first = request(16, kObjectListGet);
  ASSERT_GE(first.size(), 8u);
  EXPECT_EQ(Bytes(first.begin(), first.begin() + 8), hex("C4 02 C1 00 00 00 00 01"));  // block 1 of several
  // The rest of the date-time, last block 2: the SET was abandoned.
  EXPECT_EQ(request(16, hex("C1 03 C1 01 00 00 00 02 0B E8 01 01 01 00 00 00 00 80 00 00")),
            hex("C5 03 C1 12 00 00 00 02"));
  // The GET goes on.
  Bytes second = request(16, hex("C0 02 C1 00 00 00 01"));
  ASSERT_GE(second.size(), 8u);
  EXPECT_EQ(Bytes(second.begin(), second.begin() + 3), hex("C4 02 C1"));
  EXPECT_EQ(Bytes(second.begin() + 4, second.begin() + 8), hex("00 00 00 02"));
}

TEST_F(Server, SetInBlocksAbandonsALongGet) {
  request(16, kPublicAarqPdu256);
  Bytes first = request(16, kObjectListGet);
  ASSERT_GE(first.size(), 8u);
  EXPECT_EQ(Bytes(first.begin(), first.begin() + 8), hex("C4 02 C1 00 00 00 00 01"));
  EXPECT_EQ(request(16, kClockSetFirstBlock), hex("C5 02 C1 00 00 00 01"));
  // Next block of the GET: last-block true, block 1, data-access-result [1] no-long-get-in-progress.
  EXPECT_EQ(request(16, hex("C0 02 C1 00 00 00 01")), hex("C4 02 C1 01 00 00 00 01 01 10"));
}
