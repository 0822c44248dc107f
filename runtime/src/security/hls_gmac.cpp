// HLS-GMAC f(challenge) (dlms-protocol.md §17): suite 0 GMAC with SC 10.
#include <metergen/security/hls_gmac.hpp>

#include <metergen/crypto/gcm.hpp>

namespace metergen::security {

void hls_gmac_reply(const Keys& keys, const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic,
                    const std::uint8_t* challenge, std::size_t challenge_len, std::uint8_t out[kHlsGmacReplySize]) {
  const std::uint8_t sc = kScAuthentication;
  out[0] = sc;
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<std::uint8_t>(ic >> (24 - 8 * i));
  std::uint8_t iv[crypto::kGcmIvSize];
  make_iv(system_title, ic, iv);
  crypto::Aes128 aes(keys.ek);
  crypto::Gcm gcm(aes, iv);
  gcm.aad(&sc, 1);
  gcm.aad(keys.ak, kKeySize);
  gcm.aad(challenge, challenge_len);
  gcm.finish(out + kHeaderSize, kTagSize);
}

bool hls_gmac_verify(const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
                     const std::uint8_t* challenge, std::size_t challenge_len, const std::uint8_t* reply,
                     std::size_t reply_len, std::uint32_t* ic) {
  if (reply_len != kHlsGmacReplySize || reply[0] != kScAuthentication) return false;
  std::uint32_t received_ic = (std::uint32_t{reply[1]} << 24) | (std::uint32_t{reply[2]} << 16) |
                              (std::uint32_t{reply[3]} << 8) | reply[4];
  std::uint8_t expected[kHlsGmacReplySize];
  hls_gmac_reply(keys, system_title, received_ic, challenge, challenge_len, expected);
  if (!equal_secret(expected + kHeaderSize, reply + kHeaderSize, kTagSize)) return false;
  *ic = received_ic;
  return true;
}

}  // namespace metergen::security
