// Demo secrets (see demo_secrets.hpp).
#include "demo_secrets.hpp"

namespace metergen::mps2 {
namespace {

constexpr std::uint8_t kSystemTitle[] = {0x4D, 0x47, 0x4D, 0x00, 0x00, 0x00, 0x00, 0x01};
constexpr std::uint8_t kStsDecoderKey[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF};
constexpr std::uint8_t kLlsPassword[] = {'1', '2', '3', '4', '5', '6', '7', '8'};
constexpr std::uint8_t kEncryptionKey[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                           0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
constexpr std::uint8_t kAuthenticationKey[] = {0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                                               0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};

template <std::size_t N>
std::size_t copy_out(const std::uint8_t (&secret)[N], std::uint8_t* out, std::size_t cap) {
  if (cap < N) return 0;
  for (std::size_t i = 0; i < N; ++i) out[i] = secret[i];
  return N;
}

}  // namespace

std::size_t demo_secret(const tables::Model& model, std::uint8_t association, hal::Secret kind, std::uint8_t* out,
                        std::size_t cap) {
  if (kind == hal::Secret::server_system_title) return copy_out(kSystemTitle, out, cap);
  if (kind == hal::Secret::sts_decoder_key) return model.prepayment != nullptr ? copy_out(kStsDecoderKey, out, cap) : 0;
  if (association >= model.association_count) return 0;
  const tables::AssociationDef& a = model.associations[association];
  const bool lls =
      a.authentication == tables::Authentication::lls || a.fallback_authentication == tables::Authentication::lls;
  const bool keys = a.authentication == tables::Authentication::hls_gmac || a.security_policy != 0;
  switch (kind) {
    case hal::Secret::lls_password: return lls ? copy_out(kLlsPassword, out, cap) : 0;
    case hal::Secret::encryption_key: return keys ? copy_out(kEncryptionKey, out, cap) : 0;
    case hal::Secret::authentication_key: return keys ? copy_out(kAuthenticationKey, out, cap) : 0;
    case hal::Secret::server_system_title: case hal::Secret::sts_decoder_key: break;
  }
  return 0;
}

}  // namespace metergen::mps2
