// Security suite 0 protect/unprotect and glo framing (dlms-protocol.md §16).
#include <metergen/security/ciphering.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/crypto/gcm.hpp>

namespace metergen::security {
namespace {

// The GCM AAD prefix shared by every suite 0 message: SC || AK.
void add_header_aad(crypto::Gcm& gcm, std::uint8_t sc, const Keys& keys) {
  gcm.aad(&sc, 1);
  gcm.aad(keys.ak, kKeySize);
}

}  // namespace

void make_iv(const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic, std::uint8_t iv[kIvSize]) {
  copy_bytes(iv, system_title, kSystemTitleSize);
  for (int i = 0; i < 4; ++i) iv[kSystemTitleSize + i] = static_cast<std::uint8_t>(ic >> (24 - 8 * i));
}

bool protect(ByteWriter& w, std::uint8_t sc, const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
             std::uint32_t ic, const std::uint8_t* apdu, std::size_t n) {
  if (!supported_sc(sc)) return false;
  w.u8(sc);
  w.be32(ic);
  std::uint8_t iv[crypto::kGcmIvSize];
  make_iv(system_title, ic, iv);
  crypto::Aes128 aes(keys.ek);
  crypto::Gcm gcm(aes, iv);
  add_header_aad(gcm, sc, keys);
  // Front to back, each chunk read before it is written: an APDU lying at or
  // after the body's place in w's buffer is ciphered in place.
  if (sc & kScEncryption) {
    std::uint8_t chunk[crypto::kAesBlockSize];
    for (std::size_t done = 0; done < n; done += sizeof chunk) {
      std::size_t m = n - done < sizeof chunk ? n - done : sizeof chunk;
      gcm.encrypt(apdu + done, m, chunk);
      w.bytes(chunk, m);
    }
  } else {
    gcm.aad(apdu, n);
    w.bytes(apdu, n);
  }
  if (sc & kScAuthentication) {
    std::uint8_t tag[kTagSize];
    gcm.finish(tag, kTagSize);
    w.bytes(tag, kTagSize);
  }
  return true;
}

Unprotected unprotect(ByteReader& r, std::uint8_t required, const Keys& keys,
                      const std::uint8_t system_title[kSystemTitleSize], std::uint8_t* out, std::size_t cap) {
  ByteReader in = r.sub(r.remaining());
  Unprotected result{Status::malformed, 0, 0, 0};
  if (in.remaining() < kHeaderSize) return result;
  result.sc = in.u8();
  result.ic = in.be32();
  if (!supported_sc(result.sc)) {
    result.status = Status::unsupported;
    return result;
  }
  if ((result.sc & required) != required) {
    result.status = Status::too_weak;
    return result;
  }
  bool authenticated = result.sc & kScAuthentication;
  std::size_t tag_size = authenticated ? kTagSize : 0;
  if (in.remaining() < tag_size) return result;
  std::size_t n = in.remaining() - tag_size;
  if (n > cap) {
    result.status = Status::no_room;
    return result;
  }
  const std::uint8_t* body = in.take(n);
  const std::uint8_t* tag = in.take(tag_size);

  std::uint8_t iv[crypto::kGcmIvSize];
  make_iv(system_title, result.ic, iv);
  crypto::Aes128 aes(keys.ek);
  crypto::Gcm gcm(aes, iv);
  add_header_aad(gcm, result.sc, keys);
  if (result.sc & kScEncryption) {
    gcm.decrypt(body, n, out);
  } else {
    gcm.aad(body, n);
    copy_bytes(out, body, n);
  }
  if (authenticated && !gcm.verify(tag, kTagSize)) {
    crypto::wipe(out, n);
    result.status = Status::bad_tag;
    return result;
  }
  result.status = Status::ok;
  result.length = n;
  return result;
}

bool protect_glo(ByteWriter& w, std::uint8_t sc, const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
                 std::uint32_t ic, const std::uint8_t* apdu, std::size_t n) {
  if (n == 0 || !supported_sc(sc)) return false;
  std::uint8_t glo_tag = glo_tag_of(apdu[0]);
  if (glo_tag == 0) return false;
  w.u8(glo_tag);
  axdr::put_length(w, static_cast<std::uint32_t>(protected_size(sc, n)));
  return protect(w, sc, keys, system_title, ic, apdu, n);
}

bool protect_general_glo(ByteWriter& w, std::uint8_t sc, const Keys& keys,
                         const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic, const std::uint8_t* apdu,
                         std::size_t n) {
  if (!supported_sc(sc)) return false;
  w.u8(kGeneralGloCipheringTag);
  w.u8(kSystemTitleSize);
  w.bytes(system_title, kSystemTitleSize);
  axdr::put_length(w, static_cast<std::uint32_t>(protected_size(sc, n)));
  return protect(w, sc, keys, system_title, ic, apdu, n);
}

bool parse_glo(ByteReader& r, GloFrame& frame) {
  frame.tag = r.u8();
  frame.system_title = nullptr;
  frame.content = ByteReader();
  if (frame.tag == kGeneralGloCipheringTag) {
    std::uint8_t title_len = r.u8();
    if (title_len == kSystemTitleSize) frame.system_title = r.take(kSystemTitleSize);
    else if (title_len != 0) return false;
  } else if (plain_tag_of(frame.tag) == 0) {
    return false;
  }
  std::uint32_t len = axdr::get_length(r);
  if (r.error() || len != r.remaining()) return false;
  frame.content = r.sub(len);
  return true;
}

}  // namespace metergen::security
