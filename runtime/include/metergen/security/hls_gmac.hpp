// HLS authentication mechanism 5, HLS-GMAC (dlms-protocol.md §17):
// f(challenge) = 10 | IC(4) | GMAC(12), with GMAC the AES-GCM tag under EK,
// IV = sender system title || IC and AAD = 10 || AK || challenge.
//
// Owns: computing and checking f(challenge). Uses crypto/gcm and security Keys.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/security/ciphering.hpp>

namespace metergen::security {

inline constexpr std::size_t kHlsGmacReplySize = kHeaderSize + kTagSize;  // 17

// Writes f(challenge) as sent by the party with `system_title` and counter `ic`.
void hls_gmac_reply(const Keys& keys, const std::uint8_t system_title[kSystemTitleSize], std::uint32_t ic,
                    const std::uint8_t* challenge, std::size_t challenge_len, std::uint8_t out[kHlsGmacReplySize]);

// True when `reply` (reply_len bytes, untrusted) is f(challenge) from the peer
// with `system_title`; then *ic is the peer's invocation counter. Any length is
// safe; a reply that is not 17 bytes starting with 10 is rejected.
bool hls_gmac_verify(const Keys& keys, const std::uint8_t system_title[kSystemTitleSize],
                     const std::uint8_t* challenge, std::size_t challenge_len, const std::uint8_t* reply,
                     std::size_t reply_len, std::uint32_t* ic);

}  // namespace metergen::security
