// DLMS security suite 0: APDU ciphering, glo framing and HLS-GMAC, against the
// test vectors of dlms-protocol.md §16 and §17.
#include <gtest/gtest.h>

#include <random>

#include <metergen/security/ciphering.hpp>
#include <metergen/security/hls_gmac.hpp>

#include "hex_bytes.hpp"

namespace {

namespace sec = metergen::security;
using metergen::ByteReader;
using metergen::ByteWriter;
using metergen::test::hex;
using Bytes = std::vector<std::uint8_t>;

// EK and AK of dlms-protocol.md §16 test vector 1 (also used by §16 vector 2 and §17).
sec::Keys test_keys() {
  sec::Keys keys{};
  Bytes ek = hex("000102030405060708090A0B0C0D0E0F"), ak = hex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
  std::copy(ek.begin(), ek.end(), keys.ek);
  std::copy(ak.begin(), ak.end(), keys.ak);
  return keys;
}

// §16 test vector 1: system title, IC, plaintext get-request and the resulting
// SC | IC | ciphertext | tag.
const Bytes kTitle1 = hex("4D4D4D0000BC614E");
constexpr std::uint32_t kIc1 = 0x01234567;
const Bytes kGetRequest = hex("C0 01 00 00 08 00 00 01 00 00 FF 02 00");
const Bytes kProtected1 = hex("30 01 23 45 67  41 13 12 FF 93 5A 47 56 68 27 C4 67 BC  7D 82 5C 3B E4 A7 7C 3F CC 05 6B 6B");

// §16 test vector 2: the glo-initiate-request of the ciphered AARQ (full bytes from
// dlms-cosem tests/test_asce/test_aarq.py test_parse_ciphered_low_security2, the
// same bytes as the cipher test of a Go DLMS client), sent by the AARQ's
// calling-AP-title 4D4D4D0000BC614E; its plaintext is an InitiateRequest with a
// dedicated key.
const Bytes kGloInitiateRequest = hex(
    "21 30 30 01234567 801302FF8A7874133D414CED25B42534D28DB0047720606B175BD52211BE68 41DB204D39EE6FDB8E356855");
const Bytes kInitiateRequest = hex("01011000112233445566778899AABBCCDDEEFF0000065F1F0400007E1F04B0");

Bytes protect(std::uint8_t sc, const Bytes& title, std::uint32_t ic, const Bytes& apdu) {
  Bytes out(256);
  ByteWriter w(out.data(), out.size());
  EXPECT_TRUE(sec::protect(w, sc, test_keys(), title.data(), ic, apdu.data(), apdu.size()));
  EXPECT_FALSE(w.overflow());
  out.resize(w.size());
  return out;
}

struct Opened {
  sec::Unprotected result;
  Bytes apdu;
};

Opened unprotect(const Bytes& content, std::uint8_t required = sec::kScAuthenticatedEncryption,
                 const Bytes& title = kTitle1, std::size_t cap = 256) {
  Opened o{{}, Bytes(cap, 0xAA)};
  ByteReader r(content.data(), content.size());
  o.result = unprotect(r, required, test_keys(), title.data(), o.apdu.data(), cap);
  EXPECT_TRUE(r.empty());
  return o;
}

TEST(Security, ProtectVector1) { EXPECT_EQ(protect(0x30, kTitle1, kIc1, kGetRequest), kProtected1); }

// dlms-protocol.md §16: "As a glo-get-request this is C8 1E 30 01 23 45 67 41 13 … 6B".
TEST(Security, ProtectGloVector1) {
  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  ASSERT_TRUE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), kIc1, kGetRequest.data(), kGetRequest.size()));
  out.resize(w.size());
  Bytes expected = hex("C8 1E");
  expected.insert(expected.end(), kProtected1.begin(), kProtected1.end());
  EXPECT_EQ(out, expected);
}

// A server ciphers its reply in place: the APDU written kGloHeaderRoom bytes in,
// the result the same bytes as from a separate buffer (§16 vector 1 as a glo-get).
TEST(Security, ProtectGloInPlaceVector1) {
  for (std::uint8_t sc : {std::uint8_t{0x30}, std::uint8_t{0x20}, std::uint8_t{0x10}}) {
    Bytes buf(64, 0xEE);
    std::copy(kGetRequest.begin(), kGetRequest.end(), buf.begin() + sec::kGloHeaderRoom);
    ByteWriter w(buf.data(), buf.size());
    ASSERT_TRUE(sec::protect_glo(w, sc, test_keys(), kTitle1.data(), kIc1, buf.data() + sec::kGloHeaderRoom,
                                 kGetRequest.size()));
    buf.resize(w.size());
    Bytes expected = hex("C8");
    Bytes content = protect(sc, kTitle1, kIc1, kGetRequest);
    expected.push_back(static_cast<std::uint8_t>(content.size()));
    expected.insert(expected.end(), content.begin(), content.end());
    EXPECT_EQ(buf, expected) << "sc " << int{sc};
  }
  Bytes buf(64);
  std::copy(kGetRequest.begin(), kGetRequest.end(), buf.begin() + sec::kGloHeaderRoom);
  ByteWriter w(buf.data(), buf.size());
  ASSERT_TRUE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), kIc1, buf.data() + sec::kGloHeaderRoom,
                               kGetRequest.size()));
  buf.resize(w.size());
  Bytes expected = hex("C8 1E");
  expected.insert(expected.end(), kProtected1.begin(), kProtected1.end());
  EXPECT_EQ(buf, expected);
}

// Long APDUs take a two- and a three-byte length (81 xx, 82 xx xx); in place the
// body moves by fewer bytes than the room left, and must still come out whole.
TEST(Security, ProtectGloInPlaceWithLongLengths) {
  for (std::size_t n : {std::size_t{100}, std::size_t{200}, std::size_t{1000}}) {
    Bytes apdu(n);
    apdu[0] = 0xC4;  // get-response
    for (std::size_t i = 1; i < n; ++i) apdu[i] = static_cast<std::uint8_t>(i * 7);
    Bytes separate(n + 32);
    ByteWriter ws(separate.data(), separate.size());
    ASSERT_TRUE(sec::protect_glo(ws, 0x30, test_keys(), kTitle1.data(), kIc1, apdu.data(), n));
    separate.resize(ws.size());
    const std::size_t length_bytes = n + 17 < 128 ? 1 : n + 17 < 256 ? 2 : 3;
    EXPECT_EQ(separate.size(), 1 + length_bytes + 5 + n + 12) << n;

    Bytes buf(n + 32, 0xEE);
    std::copy(apdu.begin(), apdu.end(), buf.begin() + sec::kGloHeaderRoom);
    ByteWriter w(buf.data(), buf.size());
    ASSERT_TRUE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), kIc1, buf.data() + sec::kGloHeaderRoom, n));
    buf.resize(w.size());
    EXPECT_EQ(buf, separate) << n;

    sec::GloFrame frame{};
    ByteReader r(buf.data(), buf.size());
    ASSERT_TRUE(sec::parse_glo(r, frame));
    Opened o = unprotect(Bytes(frame.content.current(), frame.content.current() + frame.content.remaining()),
                         sec::kScAuthenticatedEncryption, kTitle1, 2048);
    ASSERT_EQ(o.result.status, sec::Status::ok);
    EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + static_cast<long>(n)), apdu);
  }
}

TEST(Security, UnprotectVector1) {
  Opened o = unprotect(kProtected1);
  ASSERT_EQ(o.result.status, sec::Status::ok);
  EXPECT_EQ(o.result.sc, 0x30);
  EXPECT_EQ(o.result.ic, kIc1);
  ASSERT_EQ(o.result.length, kGetRequest.size());
  EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + 13), kGetRequest);
}

TEST(Security, UnprotectInPlace) {
  Bytes buf = kProtected1;
  ByteReader r(buf.data(), buf.size());
  std::uint8_t* body = buf.data() + sec::kHeaderSize;
  auto result = sec::unprotect(r, 0x30, test_keys(), kTitle1.data(), body, buf.size() - sec::kHeaderSize);
  ASSERT_EQ(result.status, sec::Status::ok);
  EXPECT_EQ(Bytes(body, body + result.length), kGetRequest);
}

TEST(Security, GloInitiateRequestVector2) {
  sec::GloFrame frame{};
  ByteReader r(kGloInitiateRequest.data(), kGloInitiateRequest.size());
  ASSERT_TRUE(sec::parse_glo(r, frame));
  EXPECT_EQ(frame.tag, 0x21);
  EXPECT_EQ(frame.system_title, nullptr);
  EXPECT_EQ(frame.content.remaining(), 0x30u);
  Bytes content(frame.content.current(), frame.content.current() + frame.content.remaining());
  Opened o = unprotect(content);
  ASSERT_EQ(o.result.status, sec::Status::ok);
  EXPECT_EQ(o.result.ic, 0x01234567u);
  EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + static_cast<long>(o.result.length)), kInitiateRequest);

  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  ASSERT_TRUE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), 0x01234567, kInitiateRequest.data(),
                               kInitiateRequest.size()));
  out.resize(w.size());
  EXPECT_EQ(out, kGloInitiateRequest);
}

TEST(Security, RejectsFlippedCiphertextAndTagBits) {
  // Byte 5 onwards: ciphertext (13 bytes), then the tag (12 bytes).
  for (std::size_t bit = sec::kHeaderSize * 8; bit < kProtected1.size() * 8; ++bit) {
    Bytes tampered = kProtected1;
    tampered[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    Opened o = unprotect(tampered);
    EXPECT_EQ(o.result.status, sec::Status::bad_tag) << "bit " << bit;
    EXPECT_EQ(o.result.length, 0u);
    EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + 13), Bytes(13, 0)) << "output zeroed, bit " << bit;
  }
}

TEST(Security, RejectsFlippedInvocationCounterBits) {
  for (std::size_t bit = 8; bit < 40; ++bit) {
    Bytes tampered = kProtected1;
    tampered[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_EQ(unprotect(tampered).result.status, sec::Status::bad_tag) << "bit " << bit;
  }
}

// Each SC bit flipped: 30 → 31/32/34/38 other suite, 70 broadcast key, B0
// compression (unsupported); 10 and 20 drop a protection the policy requires.
TEST(Security, RejectsFlippedSecurityControlBits) {
  const std::pair<std::uint8_t, sec::Status> cases[] = {
      {0x31, sec::Status::unsupported}, {0x32, sec::Status::unsupported}, {0x34, sec::Status::unsupported},
      {0x38, sec::Status::unsupported}, {0x10, sec::Status::too_weak},    {0x20, sec::Status::too_weak},
      {0x70, sec::Status::unsupported}, {0xB0, sec::Status::unsupported},
  };
  for (auto [sc, expected] : cases) {
    Bytes tampered = kProtected1;
    tampered[0] = sc;
    EXPECT_EQ(unprotect(tampered).result.status, expected) << "SC " << int(sc);
  }
  // Under an authentication-only policy, 30 → 10 reads the ciphertext as a clear
  // APDU under a different AAD, so the tag check fails.
  Bytes tampered = kProtected1;
  tampered[0] = 0x10;
  EXPECT_EQ(unprotect(tampered, sec::kScAuthentication).result.status, sec::Status::bad_tag);
}

TEST(Security, RejectsWrongSystemTitle) {
  EXPECT_EQ(unprotect(kProtected1, 0x30, hex("4D4D4D0000BC614F")).result.status, sec::Status::bad_tag);
}

// Authentication only: the APDU travels in clear after SC | IC and before the tag;
// the tag covers SC || AK || APDU (dlms-protocol.md §16). No published vector
// exists (see its "Unverified" list), so this checks the layout and the round trip.
TEST(Security, AuthenticationOnlyLayoutAndRoundTrip) {
  Bytes p = protect(0x10, kTitle1, kIc1, kGetRequest);
  ASSERT_EQ(p.size(), 5 + 13 + 12u);
  EXPECT_EQ(Bytes(p.begin(), p.begin() + 5), hex("10 01 23 45 67"));
  EXPECT_EQ(Bytes(p.begin() + 5, p.begin() + 18), kGetRequest);
  Opened o = unprotect(p, sec::kScAuthentication);
  ASSERT_EQ(o.result.status, sec::Status::ok);
  EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + 13), kGetRequest);
  EXPECT_EQ(unprotect(p, sec::kScAuthenticatedEncryption).result.status, sec::Status::too_weak);
  p[7] ^= 0x01;  // a clear APDU byte
  EXPECT_EQ(unprotect(p, sec::kScAuthentication).result.status, sec::Status::bad_tag);
}

// Encryption only: no tag; the body is vector 1's ciphertext (same keystream).
TEST(Security, EncryptionOnlyHasNoTag) {
  Bytes p = protect(0x20, kTitle1, kIc1, kGetRequest);
  Bytes expected = hex("20 01 23 45 67  41 13 12 FF 93 5A 47 56 68 27 C4 67 BC");
  EXPECT_EQ(p, expected);
  Opened o = unprotect(p, sec::kScEncryption);
  ASSERT_EQ(o.result.status, sec::Status::ok);
  EXPECT_EQ(Bytes(o.apdu.begin(), o.apdu.begin() + 13), kGetRequest);
}

TEST(Security, ProtectRejectsUnsupportedSc) {
  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  for (std::uint8_t sc : {0x00, 0x31, 0x70, 0xB0})
    EXPECT_FALSE(sec::protect(w, sc, test_keys(), kTitle1.data(), kIc1, kGetRequest.data(), kGetRequest.size()));
  EXPECT_EQ(w.position(), 0u);
}

TEST(Security, UnprotectMalformedAndShortInputs) {
  // Every prefix of vector 1 shorter than SC + IC + tag is malformed or fails the tag.
  for (std::size_t n = 0; n < kProtected1.size(); ++n) {
    Opened o = unprotect(Bytes(kProtected1.begin(), kProtected1.begin() + static_cast<long>(n)));
    sec::Status expected = n < sec::kHeaderSize + sec::kTagSize ? sec::Status::malformed : sec::Status::bad_tag;
    EXPECT_EQ(o.result.status, expected) << "length " << n;
  }
  EXPECT_EQ(unprotect(kProtected1, 0x30, kTitle1, 12).result.status, sec::Status::no_room);
  EXPECT_EQ(unprotect(kProtected1, 0x30, kTitle1, 13).result.status, sec::Status::ok);
}

TEST(Security, GloTagMapping) {
  // dlms-protocol.md §6 tag table.
  const std::pair<std::uint8_t, std::uint8_t> pairs[] = {{0xC0, 0xC8}, {0xC1, 0xC9}, {0xC2, 0xCA}, {0xC3, 0xCB},
                                                         {0xC4, 0xCC}, {0xC5, 0xCD}, {0xC7, 0xCF}, {0x01, 0x21},
                                                         {0x08, 0x28}};
  for (auto [plain, glo] : pairs) {
    EXPECT_EQ(sec::glo_tag_of(plain), glo);
    EXPECT_EQ(sec::plain_tag_of(glo), plain);
  }
  for (std::uint8_t none : {0xD8, 0x0E, 0x0F, 0xE0, 0xC6, 0x00}) EXPECT_EQ(sec::glo_tag_of(none), 0) << int(none);
  for (std::uint8_t none : {0xC0, 0xCE, 0xDB, 0xD0, 0x00}) EXPECT_EQ(sec::plain_tag_of(none), 0) << int(none);
  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  Bytes exception = hex("D8 01 01");
  EXPECT_FALSE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), 1, exception.data(), exception.size()));
  EXPECT_FALSE(sec::protect_glo(w, 0x30, test_keys(), kTitle1.data(), 1, nullptr, 0));
  EXPECT_EQ(w.position(), 0u);
}

// general-glo-ciphering: DB 08 <system title> <length> SC IC ciphertext tag (§16).
TEST(Security, GeneralGloCipheringFraming) {
  Bytes out(64);
  ByteWriter w(out.data(), out.size());
  ASSERT_TRUE(sec::protect_general_glo(w, 0x30, test_keys(), kTitle1.data(), kIc1, kGetRequest.data(),
                                       kGetRequest.size()));
  out.resize(w.size());
  Bytes expected = hex("DB 08 4D4D4D0000BC614E 1E");
  expected.insert(expected.end(), kProtected1.begin(), kProtected1.end());
  EXPECT_EQ(out, expected);

  sec::GloFrame frame{};
  ByteReader r(out.data(), out.size());
  ASSERT_TRUE(sec::parse_glo(r, frame));
  EXPECT_EQ(frame.tag, 0xDB);
  ASSERT_NE(frame.system_title, nullptr);
  EXPECT_EQ(Bytes(frame.system_title, frame.system_title + 8), kTitle1);
  EXPECT_EQ(frame.content.remaining(), kProtected1.size());
}

// A push is ciphered in place kGeneralGloHeaderRoom bytes into its frame.
TEST(Security, GeneralGloCipheringInPlace) {
  Bytes buf(64, 0xEE);
  std::copy(kGetRequest.begin(), kGetRequest.end(), buf.begin() + sec::kGeneralGloHeaderRoom);
  ByteWriter w(buf.data(), buf.size());
  ASSERT_TRUE(sec::protect_general_glo(w, 0x30, test_keys(), kTitle1.data(), kIc1,
                                       buf.data() + sec::kGeneralGloHeaderRoom, kGetRequest.size()));
  buf.resize(w.size());
  Bytes expected = hex("DB 08 4D4D4D0000BC614E 1E");
  expected.insert(expected.end(), kProtected1.begin(), kProtected1.end());
  EXPECT_EQ(buf, expected);
}

TEST(Security, ParseGloRejectsBadFraming) {
  const char* bad[] = {
      "",                               // empty
      "C0 02 30 00",                    // plain tag, not glo
      "D8 01 00",                       // exception-response has no glo form
      "C8",                             // no length
      "C8 05 30 00 00 00",              // length longer than the content
      "C8 03 30 00 00 00",              // trailing bytes
      "C8 83 00 00 01 30",              // invalid length prefix
      "DB 07 4D4D4D0000BC61 01 30",     // system title not 8 bytes
      "DB 08 4D4D4D0000BC61",           // truncated system title
  };
  for (const char* s : bad) {
    Bytes b = hex(s);
    ByteReader r(b.data(), b.size());
    sec::GloFrame frame{};
    EXPECT_FALSE(sec::parse_glo(r, frame)) << s;
  }
  Bytes no_title = hex("DB 00 01 30");  // system title omitted (length 0)
  ByteReader r(no_title.data(), no_title.size());
  sec::GloFrame frame{};
  ASSERT_TRUE(sec::parse_glo(r, frame));
  EXPECT_EQ(frame.system_title, nullptr);
  EXPECT_EQ(frame.content.remaining(), 1u);
}

// Untrusted input of any length and content: no crash, never ok without the keys,
// never a write past the caller's capacity (checked by the sanitizer builds).
TEST(Security, RandomInputIsNeverAccepted) {
  std::mt19937 rng(62056);
  for (int trial = 0; trial < 3000; ++trial) {
    Bytes b(rng() % 64);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    if (!b.empty() && trial % 2) b[0] = static_cast<std::uint8_t>(0x10 * (1 + rng() % 3));  // a supported SC
    std::size_t cap = rng() % 40;
    Bytes out(cap);
    ByteReader r(b.data(), b.size());
    auto result = sec::unprotect(r, sec::kScAuthentication, test_keys(), kTitle1.data(), out.data(), cap);
    EXPECT_NE(result.status, sec::Status::ok);
    ByteReader framed(b.data(), b.size());
    sec::GloFrame frame{};
    if (sec::parse_glo(framed, frame)) {
      EXPECT_LE(frame.content.remaining(), b.size());
    }
  }
}

// dlms-protocol.md §17 GMAC test vector: f(StoC) by client 4D4D4D0000000001, IC 1.
const Bytes kClientTitle = hex("4D4D4D0000000001");
const Bytes kStoC = hex("503677524A323146");  // "P6wRJ21F"
const Bytes kFStoC = hex("10 00 00 00 01 1A 52 FE 7D D3 E7 27 48 97 3C 1E 28");

TEST(HlsGmac, ReplyVector) {
  Bytes out(sec::kHlsGmacReplySize);
  sec::hls_gmac_reply(test_keys(), kClientTitle.data(), 1, kStoC.data(), kStoC.size(), out.data());
  EXPECT_EQ(out, kFStoC);
}

TEST(HlsGmac, VerifyVectorAndRejectEveryFlippedBit) {
  std::uint32_t ic = 0;
  ASSERT_TRUE(sec::hls_gmac_verify(test_keys(), kClientTitle.data(), kStoC.data(), kStoC.size(), kFStoC.data(),
                                   kFStoC.size(), &ic));
  EXPECT_EQ(ic, 1u);
  for (std::size_t bit = 0; bit < kFStoC.size() * 8; ++bit) {
    Bytes tampered = kFStoC;
    tampered[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    EXPECT_FALSE(sec::hls_gmac_verify(test_keys(), kClientTitle.data(), kStoC.data(), kStoC.size(), tampered.data(),
                                      tampered.size(), &ic))
        << "bit " << bit;
  }
  Bytes other_challenge = kStoC;
  other_challenge[0] ^= 0x01;
  EXPECT_FALSE(sec::hls_gmac_verify(test_keys(), kClientTitle.data(), other_challenge.data(), other_challenge.size(),
                                    kFStoC.data(), kFStoC.size(), &ic));
  for (std::size_t n : {0u, 1u, 16u}) {
    EXPECT_FALSE(sec::hls_gmac_verify(test_keys(), kClientTitle.data(), kStoC.data(), kStoC.size(), kFStoC.data(), n,
                                      &ic));
  }
  Bytes longer = kFStoC;
  longer.push_back(0);
  EXPECT_FALSE(sec::hls_gmac_verify(test_keys(), kClientTitle.data(), kStoC.data(), kStoC.size(), longer.data(),
                                    longer.size(), &ic));
}

}  // namespace
