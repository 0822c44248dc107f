// Fuzzes selective access on a profile buffer: the input's first byte picks the
// selector (1 range_descriptor, 2 entry_descriptor), the rest is the selector's
// encoded parameters, read through cosem::Profiles::get on clms100's load
// profile holding a few entries captured once at start-up.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <clms100/model.hpp>
#include <metergen/dlms/server.hpp>

#include "../../support/memory_hal.hpp"

namespace {

using namespace metergen;

using test::MemoryHal;

constexpr std::uint16_t kLoadProfile = 0;  // index into clms100's Model::profiles (1.0.99.1.0.255)
constexpr int kCapturedEntries = 5;

dlms::Meter& meter_with_entries() {
  static MemoryHal hal;
  static dlms::Meter meter(models::clms100::model, hal);
  static bool ready = false;
  if (!ready) {
    meter.boot();
    for (int i = 0; i < kCapturedEntries; ++i) {
      hal.now_ms += 15 * 60 * 1000;
      meter.profiles().capture(kLoadProfile);
    }
    ready = true;
  }
  return meter;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  dlms::Meter& meter = meter_with_entries();
  const cosem::Selection selection{static_cast<std::uint8_t>((data[0] & 1) + 1), ByteReader(data + 1, size - 1)};
  static std::uint8_t out[8192];
  ByteWriter writer(out, sizeof out);
  meter.profiles().get(kLoadProfile, 2, &selection, writer);
  return 0;
}
