// Fuzzes the DLMS server: one dlms::Meter over clms100's tables on an in-memory
// HAL and one dlms::Connection. The first input byte picks the client SAP (16
// public or 2 reader); the rest is a sequence of APDUs, each prefixed by its
// length byte. A valid public AARQ goes first so the services are reached.
// NVM bytes written by one input are erased again before the next.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <clms100/model.hpp>
#include <metergen/dlms/server.hpp>

namespace {

using namespace metergen;

class MemoryHal final : public hal::Hal {
 public:
  static constexpr std::uint8_t kErased = 0xFF;
  std::vector<std::uint8_t> nvm = std::vector<std::uint8_t>(4u << 20, kErased);  // clms100's profiles take ~1.4 MB
  std::vector<std::pair<std::uint32_t, std::size_t>> written;

  void erase_written() {
    for (const auto& [at, n] : written) std::fill_n(nvm.begin() + at, n, kErased);
    written.clear();
  }

  std::uint64_t utc_ms() override { return 1700000000000ull; }
  void set_utc_ms(std::uint64_t) override {}
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
    written.emplace_back(at, n);
    return true;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::fill_n(out, n, 0x55); }
  std::size_t secret(std::uint8_t, hal::Secret kind, std::uint8_t* out, std::size_t cap) override {
    // The host meter's demo secrets (docs/host-meter.md).
    static constexpr std::uint8_t kPassword[] = {'1', '2', '3', '4', '5', '6', '7', '8'};
    static constexpr std::uint8_t kEk[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                           0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};
    static constexpr std::uint8_t kAk[] = {0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                                           0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF};
    static constexpr std::uint8_t kTitle[] = {0x4D, 0x47, 0x4D, 0x00, 0x00, 0x00, 0x00, 0x01};
    const std::uint8_t* v = kPassword;
    std::size_t n = sizeof kPassword;
    switch (kind) {
      case hal::Secret::lls_password: break;
      case hal::Secret::encryption_key: v = kEk, n = sizeof kEk; break;
      case hal::Secret::authentication_key: v = kAk, n = sizeof kAk; break;
      case hal::Secret::server_system_title: v = kTitle, n = sizeof kTitle; break;
    }
    if (n > cap) return 0;
    std::copy_n(v, n, out);
    return n;
  }
  void log(const char*) override {}
};

// dlms-protocol.md §3.5 example 2: public AARQ, LN referencing, no security.
constexpr std::uint8_t kPublicAarq[] = {0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08,
                                        0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E, 0x01, 0x00, 0x00, 0x00, 0x06,
                                        0x5F, 0x1F, 0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF};

MemoryHal& memory() {
  static MemoryHal hal;
  return hal;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint16_t client_sap = (data[0] & 1) ? 2 : 16;
  MemoryHal& hal = memory();
  {
    dlms::Meter meter(models::clms100::model, hal);
    meter.boot();
    dlms::Connection connection(meter);
    static std::uint8_t reply[2 * dlms::kMaxPdu];
    ByteWriter first(reply, sizeof reply);
    connection.on_apdu(16, 1, ByteReader(kPublicAarq, sizeof kPublicAarq), first);

    for (std::size_t at = 1; at < size;) {
      const std::size_t n = data[at] < size - at - 1 ? data[at] : size - at - 1;
      ByteWriter out(reply, sizeof reply);
      connection.on_apdu(client_sap, 1, ByteReader(data + at + 1, n), out);
      at += 1 + n;
      if ((at & 7) == 0) meter.tick();
    }
  }
  hal.erase_written();
  return 0;
}
