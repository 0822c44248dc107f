// DLMS security suite 0 ciphering of xDLMS APDUs (dlms-protocol.md §16):
// AES-GCM-128, 12-byte tag, IV = sender system title || invocation counter.
//
// Owns: the security header (SC | IC), protect/unprotect of one APDU, and the
// glo-/general-glo-ciphering framing. Uses crypto/ (AES, GCM), bytes.hpp and the
// A-XDR length prefix. Checking that an invocation counter is fresh is the
// caller's job (it knows the last one); do it only after unprotect() says ok.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>

namespace metergen::security {

// Security control byte: bits 3-0 suite id, then these flags.
inline constexpr std::uint8_t kScSuiteMask = 0x0F;
inline constexpr std::uint8_t kScAuthentication = 0x10;
inline constexpr std::uint8_t kScEncryption = 0x20;
inline constexpr std::uint8_t kScBroadcastKey = 0x40;
inline constexpr std::uint8_t kScCompression = 0x80;
inline constexpr std::uint8_t kScAuthenticatedEncryption = kScAuthentication | kScEncryption;  // 0x30

inline constexpr std::size_t kSystemTitleSize = 8;
inline constexpr std::size_t kKeySize = 16;
inline constexpr std::size_t kTagSize = 12;
inline constexpr std::size_t kHeaderSize = 5;  // SC + IC
inline constexpr std::size_t kIvSize = kSystemTitleSize + 4;

inline constexpr std::uint8_t kGeneralGloCipheringTag = 0xDB;

// The most bytes a glo header (tag, length up to 3 bytes, SC, IC) and a
// general-glo header (tag, title length, title, length, SC, IC) take: the room
// a caller leaves in front of an APDU it has protect_glo / protect_general_glo
// cipher in place.
inline constexpr std::size_t kGloHeaderRoom = 1 + 3 + kHeaderSize;
inline constexpr std::size_t kGeneralGloHeaderRoom = 2 + kSystemTitleSize + 3 + kHeaderSize;

struct Keys {
  std::uint8_t ek[kKeySize];  // global unicast (or dedicated) encryption key
  std::uint8_t ak[kKeySize];  // authentication key
};

enum class Status : std::uint8_t {
  ok,
  malformed,    // too short, bad length prefix, or trailing bytes
  unsupported,  // SC names another suite, the broadcast key, compression, or no protection
  too_weak,     // SC lacks a protection the caller requires (e.g. auth stripped: 30 → 20)
  bad_tag,      // authentication failed: the output was zeroed
  no_room,      // the plaintext does not fit the caller's buffer
};

// Suite 0 IV: the sender's system title followed by the invocation counter (big-endian).
void make_iv(const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic, std::uint8_t iv[kIvSize]);

// True for the SC values suite 0 handles here: 0x10, 0x20, 0x30.
constexpr bool supported_sc(std::uint8_t sc) {
  return sc == kScAuthentication || sc == kScEncryption || sc == kScAuthenticatedEncryption;
}

// Bytes that protect() writes for an n-byte APDU under `sc`: SC, IC, body, tag if authenticated.
constexpr std::size_t protected_size(std::uint8_t sc, std::size_t n) {
  return kHeaderSize + n + ((sc & kScAuthentication) ? kTagSize : 0);
}

// Writes SC | IC | ciphertext-or-plaintext | tag(12) for the n-byte APDU. The
// sender is `system_title` (ours when a server replies). The tag is omitted when
// sc has no authentication bit. `apdu` is either outside the writer's buffer or
// inside it at or after the place the body goes (the caller wrote the APDU
// there, leaving room for the header): it is then ciphered in place, the body
// moving towards the header, so a server needs no second buffer for a reply.
// Returns false, writing nothing, when !supported_sc(sc).
bool protect(ByteWriter& w, std::uint8_t sc, const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
             std::uint32_t ic, const std::uint8_t* apdu, std::size_t n);

struct Unprotected {
  Status status;
  std::uint8_t sc;      // as received (valid once the header was read)
  std::uint32_t ic;     // as received (valid once the header was read)
  std::size_t length;   // plaintext bytes written to out (0 unless ok)
};

// Reads SC | IC | body | tag from all remaining bytes of `r` (sent by the peer with
// `system_title`), checks the tag and writes the plaintext APDU to out (capacity
// `cap`; out may be the body itself). `required` holds the SC flags the message
// must carry (kScAuthentication and/or kScEncryption, from the security policy);
// an encrypt-only message has no tag, so pass at least kScAuthentication unless
// unauthenticated input is acceptable. Consumes all of `r`; safe on any length.
Unprotected unprotect(ByteReader& r, std::uint8_t required, const Keys& keys,
                      const std::uint8_t system_title[kSystemTitleSize], std::uint8_t* out, std::size_t cap);

// glo tag of a plain APDU tag (C0→C8, C1→C9, C2→CA, C3→CB, C4→CC, C5→CD, C7→CF,
// 01→21, 08→28), or 0 when it has none (e.g. D8 exception-response).
constexpr std::uint8_t glo_tag_of(std::uint8_t plain_tag) {
  switch (plain_tag) {
    case 0x01: return 0x21;
    case 0x08: return 0x28;
    case 0xC0: case 0xC1: case 0xC2: case 0xC3: case 0xC4: case 0xC5: case 0xC7:
      return static_cast<std::uint8_t>(plain_tag + 8);
    default: return 0;
  }
}
// The inverse of glo_tag_of, or 0 when `glo_tag` is not a glo tag.
constexpr std::uint8_t plain_tag_of(std::uint8_t glo_tag) {
  switch (glo_tag) {
    case 0x21: return 0x01;
    case 0x28: return 0x08;
    case 0xC8: case 0xC9: case 0xCA: case 0xCB: case 0xCC: case 0xCD: case 0xCF:
      return static_cast<std::uint8_t>(glo_tag - 8);
    default: return 0;
  }
}

// Writes `<glo tag> <length> SC IC body tag` for the APDU (its first byte picks
// the glo tag); in place as protect() says when the APDU lies kGloHeaderRoom
// bytes after the writer's position. Returns false, writing nothing, when
// n == 0, the APDU has no glo form or !supported_sc(sc).
bool protect_glo(ByteWriter& w, std::uint8_t sc, const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
                 std::uint32_t ic, const std::uint8_t* apdu, std::size_t n);

// Writes `DB 08 <system title> <length> SC IC body tag`; in place when the APDU
// lies kGeneralGloHeaderRoom bytes after the writer's position. Returns false,
// writing nothing, when !supported_sc(sc).
bool protect_general_glo(ByteWriter& w, std::uint8_t sc, const Keys& keys,
                         const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic, const std::uint8_t* apdu,
                         std::size_t n);

// The outer framing of a received ciphered APDU.
struct GloFrame {
  std::uint8_t tag;                   // the glo tag or kGeneralGloCipheringTag
  const std::uint8_t* system_title;   // general-glo-ciphering only; nullptr when absent (length 0)
  ByteReader content;                 // SC | IC | body | tag, for unprotect()
};

// Parses a glo-service APDU or a general-glo-ciphering APDU from all remaining
// bytes of `r`. Returns false when the tag is neither, a system title is not 8
// bytes long, or the length prefix does not match the remaining bytes exactly.
bool parse_glo(ByteReader& r, GloFrame& frame);

}  // namespace metergen::security
