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

namespace {

using namespace metergen;

class MemoryHal final : public hal::Hal {
 public:
  std::vector<std::uint8_t> nvm = std::vector<std::uint8_t>(4u << 20, 0xFF);  // clms100's profiles take ~1.4 MB
  std::uint64_t now_ms = 1700000000000ull;

  std::uint64_t utc_ms() override { return now_ms; }
  void set_utc_ms(std::uint64_t ms) override { now_ms = ms; }
  std::uint32_t ticks_ms() override { return 0; }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm.size()); }
  bool nvm_read(std::uint32_t at, std::uint8_t* out, std::size_t n) override {
    if (at > nvm.size() || n > nvm.size() - at) return false;
    std::copy_n(nvm.begin() + at, n, out);
    return true;
  }
  bool nvm_write(std::uint32_t at, const std::uint8_t* in, std::size_t n) override {
    if (at > nvm.size() || n > nvm.size() - at) return false;
    std::copy_n(in, n, nvm.begin() + at);
    return true;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::fill_n(out, n, 0x55); }
  std::size_t secret(std::uint8_t, hal::Secret, std::uint8_t*, std::size_t) override { return 0; }
  void log(const char*) override {}
};

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
