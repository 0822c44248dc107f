// ACSE codecs against the frames of dlms-protocol.md (§3.5 examples 2/3, §5.3,
// §5.4, §16 test vector 2, §17): each example is decoded field by field and
// encoded back from those fields to exactly its bytes. Malformed inputs must be
// rejected without reading outside the buffer.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>

namespace {

using namespace metergen;
using namespace metergen::acse;
using Bytes = std::vector<std::uint8_t>;

Bytes hex(const std::string& s) {
  Bytes out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == ' ') { ++i; continue; }
    out.push_back(static_cast<std::uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}
Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }
ByteReader reader(const Bytes& b) { return ByteReader(b.data(), b.size()); }
ByteView view(const Bytes& b) { return {b.data(), b.size()}; }
Bytes bytes_of(ByteView v) { return v.present() ? Bytes(v.data, v.data + v.size) : Bytes{}; }

template <class Encode>
Bytes encoded(Encode encode) {
  std::uint8_t buf[512];
  ByteWriter w(buf, sizeof buf);
  EXPECT_TRUE(encode(w));
  return Bytes(buf, buf + w.size());
}

// §3.5 example 2 (info field after E6 E6 00) and example 3 (after E6 E7 00).
const Bytes kAarqLn = hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
const Bytes kAareLn = hex(
    "61 29 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 10 04 0E 08 00 06 5F 1F 04 00 00 "
    "1E 1D 04 C8 00 07");
// §17 steps 1 and 2.
const Bytes kAarqHls = hex(
    "60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 05 AC 0A 80 08 4B 35 36 69 56 61 67 "
    "59 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
const Bytes kAareHls = hex(
    "61 42 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A1 03 02 01 0E 88 02 07 80 89 07 60 85 74 05 08 02 "
    "05 AA 0A 80 08 50 36 77 52 4A 32 31 46 BE 10 04 0E 08 00 06 5F 1F 04 00 00 50 1F 01 F4 00 07");
// §5.3 initiate failure.
const Bytes kAareInitiateError = hex(
    "61 1F A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 01 A3 05 A1 03 02 01 01 BE 06 04 04 0E 01 06 01");
// §16 test vector 2 (complete bytes from dlms-cosem tests/test_asce/test_aarq.py, of which §16 quotes the start).
const Bytes kAarqCiphered = hex(
    "60 66 A1 09 06 07 60 85 74 05 08 01 03 A6 0A 04 08 4D 4D 4D 00 00 BC 61 4E 8A 02 07 80 8B 07 60 85 74 05 08 02 "
    "01 AC 0A 80 08 31 32 33 34 35 36 37 38 BE 34 04 32 21 30 30 01 23 45 67 80 13 02 FF 8A 78 74 13 3D 41 4C ED 25 "
    "B4 25 34 D2 8D B0 04 77 20 60 6B 17 5B D5 22 11 BE 68 41 DB 20 4D 39 EE 6F DB 8E 35 68 55");
// §5.4.
const Bytes kRlrqNormal = hex("62 03 80 01 00");
const Bytes kRlreNormal = hex("63 03 80 01 00");
const Bytes kRlreWithInfo = hex("63 16 80 01 00 BE 11 04 0F 08 01 00 06 5F 1F 04 00 00 1E 1D 04 C8 00 07");

// §5.3: 00 1E 1D = block get/set/action, multiple references, get, set, selective access, action.
constexpr std::uint32_t kConformance001E1D =
    conformance::kBlockTransferWithGetOrRead | conformance::kBlockTransferWithSetOrWrite |
    conformance::kBlockTransferWithAction | conformance::kMultipleReferences | conformance::kGet |
    conformance::kSet | conformance::kSelectiveAccess | conformance::kAction;

TEST(AcseConformance, BitsMatchTheExamplesOfSection5_3) {
  EXPECT_EQ(kConformance001E1D, 0x001E1Du);
  // 00 7E 1F adds priority-mgmt, attribute0-with-get and event-notification.
  EXPECT_EQ(kConformance001E1D | conformance::kPriorityManagement | conformance::kAttribute0WithGet |
                conformance::kEventNotification,
            0x007E1Fu);
  EXPECT_EQ(conformance::kGeneralProtection, 0x400000u);  // bit 1 = second bit of b0
}

// ---- AARQ ---------------------------------------------------------------------

TEST(AcseAarq, DecodesExample2) {
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(kAarqLn), a));
  EXPECT_EQ(a.context, ContextId::ln);
  EXPECT_FALSE(a.calling_ap_title.present());
  EXPECT_FALSE(a.authentication);
  EXPECT_FALSE(a.has_mechanism);
  EXPECT_FALSE(a.authentication_value.present());
  EXPECT_EQ(bytes_of(a.user_information), hex("01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF"));

  InitiateRequest ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_request(a.user_information, ir, ciphered), Initiate::plain);
  EXPECT_FALSE(ir.dedicated_key.present());
  EXPECT_TRUE(ir.response_allowed);
  EXPECT_FALSE(ir.has_quality_of_service);
  EXPECT_EQ(ir.dlms_version, 6);
  EXPECT_EQ(ir.conformance, kConformance001E1D);
  EXPECT_EQ(ir.max_receive_pdu_size, 0xFFFF);
}

TEST(AcseAarq, EncodesExample2) {
  InitiateRequest ir;
  ir.conformance = kConformance001E1D;
  ir.max_receive_pdu_size = 0xFFFF;
  Bytes info = encoded([&](ByteWriter& w) { return encode_initiate_request(ir, w); });
  Aarq a;
  a.context = ContextId::ln;
  a.user_information = view(info);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aarq(a, w); }), kAarqLn);
}

TEST(AcseAarq, DecodesHlsGmacRequest) {
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(kAarqHls), a));
  EXPECT_EQ(a.context, ContextId::ln);
  EXPECT_TRUE(a.authentication);
  EXPECT_TRUE(a.has_mechanism);
  EXPECT_EQ(a.mechanism, Mechanism::hls_gmac);
  EXPECT_EQ(bytes_of(a.authentication_value), text("K56iVagY"));
  InitiateRequest ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_request(a.user_information, ir, ciphered), Initiate::plain);
  EXPECT_EQ(ir.conformance, 0x007E1Fu);
  EXPECT_EQ(ir.max_receive_pdu_size, 1200);  // 04 B0
}

TEST(AcseAarq, EncodesHlsGmacRequest) {
  InitiateRequest ir;
  ir.conformance = 0x007E1F;
  ir.max_receive_pdu_size = 1200;
  Bytes info = encoded([&](ByteWriter& w) { return encode_initiate_request(ir, w); });
  Bytes challenge = text("K56iVagY");
  Aarq a;
  a.context = ContextId::ln;
  a.authentication = true;
  a.has_mechanism = true;
  a.mechanism = Mechanism::hls_gmac;
  a.authentication_value = view(challenge);
  a.user_information = view(info);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aarq(a, w); }), kAarqHls);
}

TEST(AcseAarq, DecodesCipheredRequestStructure) {
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(kAarqCiphered), a));
  EXPECT_EQ(a.context, ContextId::ln_ciphered);
  EXPECT_EQ(bytes_of(a.calling_ap_title), hex("4D 4D 4D 00 00 BC 61 4E"));
  EXPECT_TRUE(a.authentication);
  EXPECT_EQ(a.mechanism, Mechanism::lls);
  EXPECT_EQ(bytes_of(a.authentication_value), text("12345678"));
  ASSERT_EQ(a.user_information.size, 0x32u);
  InitiateRequest ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_request(a.user_information, ir, ciphered), Initiate::ciphered);
  // The whole glo-initiate-request: tag 21, length 30, SC 30, IC 01234567, …
  EXPECT_EQ(ciphered.data, a.user_information.data);
  EXPECT_EQ(ciphered.size, 0x32u);
  EXPECT_EQ(bytes_of(ciphered).at(2), 0x30);
}

TEST(AcseAarq, EncodesCipheredRequest) {
  Bytes title = hex("4D 4D 4D 00 00 BC 61 4E");
  Bytes password = text("12345678");
  Bytes glo(kAarqCiphered.end() - 0x32, kAarqCiphered.end());  // caller-supplied ciphered Initiate
  Aarq a;
  a.context = ContextId::ln_ciphered;
  a.calling_ap_title = view(title);
  a.authentication = true;
  a.has_mechanism = true;
  a.mechanism = Mechanism::lls;
  a.authentication_value = view(password);
  a.user_information = view(glo);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aarq(a, w); }), kAarqCiphered);
}

TEST(AcseAarq, AcceptsLongFormLengthsAndSkipsUnknownComponents) {
  // Example 2 with 81/82 long-form lengths, a calling-AE-invocation-id (A9) and
  // implementation-information (BD) in between.
  Bytes b = hex(
      "60 82 00 26 A1 81 09 06 07 60 85 74 05 08 01 01 A9 03 02 01 05 BD 00 BE 81 10 04 0E 01 00 00 00 06 5F 1F 04 "
      "00 00 1E 1D FF FF");
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(b), a));
  EXPECT_EQ(a.context, ContextId::ln);
  EXPECT_EQ(bytes_of(a.user_information), hex("01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF"));
}

TEST(AcseAarq, ReportsUnknownContextAndMechanism) {
  // Context arc 5 and mechanism arc 8 are outside §5.1; a foreign OID prefix too.
  Bytes b = hex("60 18 A1 09 06 07 60 85 74 05 08 01 05 8B 07 60 85 74 05 08 02 08 8A 02 07 00");
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(b), a));
  EXPECT_EQ(a.context, ContextId::unknown);
  EXPECT_EQ(a.mechanism, Mechanism::unknown);
  EXPECT_FALSE(a.authentication);  // bit string 00: authentication bit clear
  Bytes foreign = hex("60 0B A1 09 06 07 60 85 74 05 09 01 01");
  ASSERT_TRUE(decode_aarq(reader(foreign), a));
  EXPECT_EQ(a.context, ContextId::unknown);
}

TEST(AcseAarq, RejectsTruncationAtEveryByte) {
  for (const Bytes* full : {&kAarqLn, &kAarqHls, &kAarqCiphered}) {
    for (std::size_t n = 0; n < full->size(); ++n) {
      Bytes cut(full->begin(), full->begin() + static_cast<std::ptrdiff_t>(n));  // own buffer: ASan sees overreads
      Aarq a;
      EXPECT_FALSE(decode_aarq(reader(cut), a)) << "length " << n;
    }
  }
}

TEST(AcseAarq, RejectsMalformedComponents) {
  const char* cases[] = {
      "60 1E A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // outer length +1
      "60 1D A1 7F 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // A1 beyond
      "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 82 FF FF 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // octets beyond
      "61 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // AARE tag
      "60 1D A1 09 05 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // not an OID
      "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 05 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // not octets
      "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0D 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF",  // inner short
      "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF 00",  // trailing
      "60 80 A1 09 06 07 60 85 74 05 08 01 01 00 00",                  // indefinite length
      "60 0D A1 09 06 07 60 85 74 05 08 01 01 1F 00",                  // multi-byte tag number
      "60 0F BE 0D 04 0B 01 00 00 00 06 5F 1F 04 00 00 1E",            // no application context
      "60 11 A1 09 06 07 60 85 74 05 08 01 01 AC 04 81 02 31 32",      // authentication value not GraphicString
      "60 18 A1 09 06 07 60 85 74 05 08 01 01 A6 0B 04 09 01 02 03 04 05 06 07 08 09",  // AP title of 9 bytes
      "60 0D A1 09 06 07 60 85 74 05 08 01 01 8A 00",                  // empty bit string
      "60 0E A1 09 06 07 60 85 74 05 08 01 01 8A 01 08",               // unused-bit count 8
  };
  for (const char* c : cases) {
    Bytes b = hex(c);
    Aarq a;
    EXPECT_FALSE(decode_aarq(reader(b), a)) << c;
  }
}

TEST(AcseAarq, AuthenticationValueLimitIs64Bytes) {
  Bytes head = hex("60 81 4F A1 09 06 07 60 85 74 05 08 01 01 AC 42 80 40");  // 0x4F = 11 + 4 + 64
  Bytes b = head;
  b.insert(b.end(), 64, 0x41);
  Aarq a;
  ASSERT_TRUE(decode_aarq(reader(b), a));
  EXPECT_EQ(a.authentication_value.size, 64u);
  Bytes over = hex("60 81 50 A1 09 06 07 60 85 74 05 08 01 01 AC 43 80 41");
  over.insert(over.end(), 65, 0x41);
  EXPECT_FALSE(decode_aarq(reader(over), a));
}

TEST(AcseAarq, EncodesLongFormLengths) {
  // A1 (11) + AC 42 80 40 + 64 bytes (68) + BE 81 83 04 81 80 + 128 bytes (134) = 213 = 0xD5.
  Bytes challenge(64, 0x41), info(128, 0x42);
  Aarq a;
  a.context = ContextId::ln;
  a.authentication_value = view(challenge);
  a.user_information = view(info);
  Bytes out = encoded([&](ByteWriter& w) { return encode_aarq(a, w); });
  ASSERT_EQ(out.size(), 3u + 0xD5u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 3), hex("60 81 D5"));
  EXPECT_EQ(Bytes(out.begin() + 14, out.begin() + 18), hex("AC 42 80 40"));
  EXPECT_EQ(Bytes(out.begin() + 82, out.begin() + 88), hex("BE 81 83 04 81 80"));
}

TEST(AcseAarq, EncoderReportsOverflow) {
  std::uint8_t buf[10];
  ByteWriter w(buf, sizeof buf);
  Aarq a;
  a.context = ContextId::ln;
  EXPECT_FALSE(encode_aarq(a, w));
}

// ---- AARE ---------------------------------------------------------------------

TEST(AcseAare, DecodesExample3) {
  Aare a;
  ASSERT_TRUE(decode_aare(reader(kAareLn), a));
  EXPECT_EQ(a.context, ContextId::ln);
  EXPECT_EQ(a.result, AssociationResult::accepted);
  EXPECT_EQ(a.diagnostic_source, DiagnosticSource::service_user);
  EXPECT_EQ(a.diagnostic, 0);
  EXPECT_FALSE(a.responding_ap_title.present());
  EXPECT_FALSE(a.has_mechanism);
  InitiateResponse ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_response(a.user_information, ir, ciphered), Initiate::plain);
  EXPECT_FALSE(ir.has_quality_of_service);
  EXPECT_EQ(ir.dlms_version, 6);
  EXPECT_EQ(ir.conformance, kConformance001E1D);
  EXPECT_EQ(ir.max_receive_pdu_size, 1224);  // 04 C8
  EXPECT_EQ(ir.vaa_name, kVaaNameLn);
}

TEST(AcseAare, EncodesExample3) {
  Bytes info = encoded([&](ByteWriter& w) { return encode_initiate_response(kConformance001E1D, 1224, w); });
  Aare a;
  a.context = ContextId::ln;
  a.user_information = view(info);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aare(a, w); }), kAareLn);
}

TEST(AcseAare, DecodesHlsGmacResponse) {
  Aare a;
  ASSERT_TRUE(decode_aare(reader(kAareHls), a));
  EXPECT_EQ(a.result, AssociationResult::accepted);
  EXPECT_EQ(a.diagnostic, static_cast<std::uint8_t>(UserDiagnostic::authentication_required));
  EXPECT_TRUE(a.authentication);
  EXPECT_EQ(a.mechanism, Mechanism::hls_gmac);
  EXPECT_EQ(bytes_of(a.authentication_value), text("P6wRJ21F"));
  InitiateResponse ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_response(a.user_information, ir, ciphered), Initiate::plain);
  EXPECT_EQ(ir.conformance, 0x00501Fu);
  EXPECT_EQ(ir.max_receive_pdu_size, 500);  // 01 F4
}

TEST(AcseAare, EncodesHlsGmacResponse) {
  Bytes info = encoded([&](ByteWriter& w) { return encode_initiate_response(0x00501F, 500, w); });
  Bytes challenge = text("P6wRJ21F");
  Aare a;
  a.context = ContextId::ln;
  a.diagnostic = static_cast<std::uint8_t>(UserDiagnostic::authentication_required);
  a.authentication = true;
  a.has_mechanism = true;
  a.mechanism = Mechanism::hls_gmac;
  a.authentication_value = view(challenge);
  a.user_information = view(info);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aare(a, w); }), kAareHls);
}

TEST(AcseAare, DecodesInitiateFailure) {
  Aare a;
  ASSERT_TRUE(decode_aare(reader(kAareInitiateError), a));
  EXPECT_EQ(a.result, AssociationResult::rejected_permanent);
  EXPECT_EQ(a.diagnostic, static_cast<std::uint8_t>(UserDiagnostic::no_reason_given));
  InitiateResponse ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_response(a.user_information, ir, ciphered), Initiate::service_error);
  EXPECT_EQ(ir.error, InitiateError::dlms_version_too_low);
}

TEST(AcseAare, EncodesInitiateFailure) {
  Bytes info = encoded([&](ByteWriter& w) { return encode_initiate_error(InitiateError::dlms_version_too_low, w); });
  Aare a;
  a.context = ContextId::ln;
  a.result = AssociationResult::rejected_permanent;
  a.diagnostic = static_cast<std::uint8_t>(UserDiagnostic::no_reason_given);
  a.user_information = view(info);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aare(a, w); }), kAareInitiateError);
}

TEST(AcseAare, RespondingApTitleAndProviderDiagnostic) {
  // Worked out from §5: A3 05 A2 03 02 01 02 (provider: no common ACSE version),
  // A4 0A 04 08 <title> after A3.
  Bytes expected = hex(
      "61 23 A1 09 06 07 60 85 74 05 08 01 03 A2 03 02 01 02 A3 05 A2 03 02 01 02 A4 0A 04 08 4D 4D 4D 00 00 00 00 "
      "01");
  Bytes title = hex("4D 4D 4D 00 00 00 00 01");
  Aare a;
  a.context = ContextId::ln_ciphered;
  a.result = AssociationResult::rejected_transient;
  a.diagnostic_source = DiagnosticSource::service_provider;
  a.diagnostic = static_cast<std::uint8_t>(ProviderDiagnostic::no_common_acse_version);
  a.responding_ap_title = view(title);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_aare(a, w); }), expected);
  Aare d;
  ASSERT_TRUE(decode_aare(reader(expected), d));
  EXPECT_EQ(d.diagnostic_source, DiagnosticSource::service_provider);
  EXPECT_EQ(d.result, AssociationResult::rejected_transient);
  EXPECT_EQ(bytes_of(d.responding_ap_title), title);
}

TEST(AcseAare, RejectsTruncationAndMissingMandatoryComponents) {
  for (const Bytes* full : {&kAareLn, &kAareHls, &kAareInitiateError}) {
    for (std::size_t n = 0; n < full->size(); ++n) {
      Bytes cut(full->begin(), full->begin() + static_cast<std::ptrdiff_t>(n));
      Aare a;
      EXPECT_FALSE(decode_aare(reader(cut), a)) << "length " << n;
    }
  }
  const char* cases[] = {
      "61 10 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00",                    // no A3
      "61 12 A1 09 06 07 60 85 74 05 08 01 01 A3 05 A1 03 02 01 00",              // no A2
      "61 0C A2 03 02 01 00 A3 05 A1 03 02 01 00",                                // no A1
      "61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 03 A3 05 A1 03 02 01 00",  // result 3
      "61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 01 00 A3 05 A3 03 02 01 00",  // source A3
      "61 17 A1 09 06 07 60 85 74 05 08 01 01 A2 03 02 02 00 A3 05 A1 03 02 01 00",  // INTEGER length 2
  };
  for (const char* c : cases) {
    Bytes b = hex(c);
    Aare a;
    EXPECT_FALSE(decode_aare(reader(b), a)) << c;
  }
}

// ---- Release ------------------------------------------------------------------

TEST(AcseRelease, DecodesAndEncodesNormalRequestAndResponse) {
  Release r;
  ASSERT_TRUE(decode_rlrq(reader(kRlrqNormal), r));
  EXPECT_TRUE(r.has_reason);
  EXPECT_EQ(r.reason, kReleaseNormal);
  EXPECT_FALSE(r.user_information.present());
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_rlrq(r, w); }), kRlrqNormal);

  ASSERT_TRUE(decode_rlre(reader(kRlreNormal), r));
  EXPECT_EQ(r.reason, kReleaseNormal);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_rlre(r, w); }), kRlreNormal);
  EXPECT_FALSE(decode_rlre(reader(kRlrqNormal), r));  // wrong tag
  EXPECT_FALSE(decode_rlrq(reader(kRlreNormal), r));
}

TEST(AcseRelease, ResponseWithUserInformation) {
  Release r;
  ASSERT_TRUE(decode_rlre(reader(kRlreWithInfo), r));
  EXPECT_EQ(r.reason, kReleaseNormal);
  InitiateResponse ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_response(r.user_information, ir, ciphered), Initiate::plain);
  EXPECT_TRUE(ir.has_quality_of_service);  // 01 00: negotiated QoS present, 0
  EXPECT_EQ(ir.quality_of_service, 0);
  EXPECT_EQ(ir.conformance, kConformance001E1D);
  EXPECT_EQ(ir.max_receive_pdu_size, 1224);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_rlre(r, w); }), kRlreWithInfo);
}

TEST(AcseRelease, EmptyRequestAndMalformedOnes) {
  Release r;
  Bytes empty = hex("62 00");  // every RLRQ component is optional
  ASSERT_TRUE(decode_rlrq(reader(empty), r));
  EXPECT_FALSE(r.has_reason);
  for (const char* c : {"62 03 80 00 00", "62 04 80 02 00 00", "62 03 80 01", "62 05 80 01 00 BE 00", "62"}) {
    Bytes b = hex(c);
    EXPECT_FALSE(decode_rlrq(reader(b), r)) << c;
  }
  for (std::size_t n = 0; n < kRlreWithInfo.size(); ++n) {
    Bytes cut(kRlreWithInfo.begin(), kRlreWithInfo.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(decode_rlre(reader(cut), r)) << "length " << n;
  }
}

// ---- xDLMS Initiate -------------------------------------------------------------

TEST(AcseInitiate, DecodesDedicatedKeyOfTestVector2Plaintext) {
  // §16 test vector 2: the decrypted glo-initiate-request.
  Bytes plain = hex(
      "01 01 10 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 00 00 06 5F 1F 04 00 00 7E 1F 04 B0");
  InitiateRequest ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_request(view(plain), ir, ciphered), Initiate::plain);
  EXPECT_EQ(bytes_of(ir.dedicated_key), hex("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF"));
  EXPECT_TRUE(ir.response_allowed);
  EXPECT_EQ(ir.conformance, 0x007E1Fu);
  EXPECT_EQ(ir.max_receive_pdu_size, 1200);
  InitiateRequest back = ir;
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_initiate_request(back, w); }), plain);
}

TEST(AcseInitiate, OptionalFieldsOfTheRequest) {
  // Worked out from §5.3: response-allowed FALSE (01 00), QoS present (01 05).
  Bytes b = hex("01 00 01 00 01 05 06 5F 1F 04 00 00 00 10 00 40");
  InitiateRequest ir;
  ByteView ciphered;
  ASSERT_EQ(decode_initiate_request(view(b), ir, ciphered), Initiate::plain);
  EXPECT_FALSE(ir.response_allowed);
  EXPECT_TRUE(ir.has_quality_of_service);
  EXPECT_EQ(ir.quality_of_service, 5);
  EXPECT_EQ(ir.conformance, conformance::kGet);
  EXPECT_EQ(ir.max_receive_pdu_size, 64);
  EXPECT_EQ(encoded([&](ByteWriter& w) { return encode_initiate_request(ir, w); }), b);
}

TEST(AcseInitiate, RejectsMalformedInitiateApdus) {
  Bytes good = hex("01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
  InitiateRequest ir;
  ByteView ciphered;
  for (std::size_t n = 0; n < good.size(); ++n) {
    Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(decode_initiate_request(view(cut), ir, ciphered), Initiate::malformed) << "length " << n;
  }
  for (const char* c : {
           "01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF 00",  // trailing byte
           "01 02 00 00 06 5F 1F 04 00 00 1E 1D FF FF",     // presence flag 2
           "01 01 84 FF FF FF FF 00 00 06",                 // key length beyond the buffer
           "01 00 00 00 06 5F 1F 03 00 00 1E 1D FF FF",     // conformance length 3
           "08 00 06 5F 1F 04 00 00 1E 1D 04 C8 00 07",     // a response where a request belongs
           "21 31 30 00",                                   // glo length beyond the buffer
       }) {
    Bytes b = hex(c);
    EXPECT_EQ(decode_initiate_request(view(b), ir, ciphered), Initiate::malformed) << c;
  }
  InitiateResponse resp;
  for (const char* c : {"0E 01 05 01", "0E 01 06", "01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF", "28 00 00",
                        "08 00 06 5F 1F 04 00 00 1E 1D 04 C8 00"}) {
    Bytes b = hex(c);
    EXPECT_EQ(decode_initiate_response(view(b), resp, ciphered), Initiate::malformed) << c;
  }
  Bytes glo_response = hex("28 02 30 00");
  ASSERT_EQ(decode_initiate_response(view(glo_response), resp, ciphered), Initiate::ciphered);
  EXPECT_EQ(ciphered.size, 4u);
  EXPECT_EQ(decode_initiate_request(ByteView{}, ir, ciphered), Initiate::malformed);
}

}  // namespace
