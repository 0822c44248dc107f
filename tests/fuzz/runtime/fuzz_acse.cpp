// Fuzz harness for the ACSE decoders (acse/acse.hpp): the same bytes go to the
// AARQ, AARE, RLRQ and RLRE decoders and, directly and through any decoded
// user-information, to the Initiate decoders. A decoded AARQ is encoded again and
// must decode to the same fields.
#include <cstddef>
#include <cstdint>

#include <metergen/acse/acse.hpp>

using namespace metergen;
using namespace metergen::acse;

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

bool same(ByteView a, ByteView b) {
  return a.present() == b.present() && a.size == b.size && equal_bytes(a.data, b.data, a.size);
}

void decode_initiates(ByteView info) {
  InitiateRequest request;
  InitiateResponse response;
  ByteView ciphered;
  decode_initiate_request(info, request, ciphered);
  decode_initiate_response(info, response, ciphered);
}

void aarq_round_trip(const Aarq& decoded) {
  static std::uint8_t buf[8192];
  ByteWriter w(buf, sizeof buf);
  require(encode_aarq(decoded, w));
  Aarq again;
  require(decode_aarq(ByteReader(buf, w.size()), again));
  require(again.context == decoded.context && again.authentication == decoded.authentication &&
          again.has_mechanism == decoded.has_mechanism && again.mechanism == decoded.mechanism &&
          same(again.calling_ap_title, decoded.calling_ap_title) &&
          same(again.authentication_value, decoded.authentication_value) &&
          same(again.user_information, decoded.user_information));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader input(data, size);
  Aarq aarq;
  if (decode_aarq(input, aarq)) {
    decode_initiates(aarq.user_information);
    aarq_round_trip(aarq);
  }
  Aare aare;
  if (decode_aare(input, aare)) decode_initiates(aare.user_information);
  Release release;
  if (decode_rlrq(input, release)) decode_initiates(release.user_information);
  if (decode_rlre(input, release)) decode_initiates(release.user_information);
  decode_initiates({data, size});
  return 0;
}
