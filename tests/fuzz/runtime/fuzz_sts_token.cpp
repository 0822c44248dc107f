// Fuzz harness for the STS token decoder (sts/decoder.hpp): the bytes are the
// keypad digits. A refused token must leave the decoder state byte for byte as it
// was; an accepted one may only grow the TID memory or change the key.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <metergen/sts/decoder.hpp>

using namespace metergen::sts;

namespace {

void require(bool condition) {
  if (!condition) __builtin_trap();
}

DecoderState fresh_state(std::uint8_t algorithm_byte) {
  DecoderState s{};
  s.key = DecoderKey{{0x0A, 0xBC, 0x12, 0xDE, 0xF3, 0x45, 0x67, 0x89},
                     (algorithm_byte & 1) ? Algorithm::dea : Algorithm::sta, 2, 1, 0xFF, 1, 123456, 0};
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  DecoderState s = fresh_state(data[0]);
  // Feed the rest as a sequence of 20-character tokens (and a shorter tail).
  for (std::size_t at = 1; at < size; at += 20) {
    std::size_t n = size - at < 20 ? size - at : 20;
    unsigned char before[sizeof s];
    std::memcpy(before, &s, sizeof s);
    Token t{};
    Outcome o = accept_token({reinterpret_cast<const char*>(data + at), n}, s, t);
    if (o != Outcome::accepted && o != Outcome::key_change_pending) require(std::memcmp(before, &s, sizeof s) == 0);
    require(s.tid_count <= kTidMemorySize);
    require(outcome_name(o) != nullptr);
  }
  return 0;
}
