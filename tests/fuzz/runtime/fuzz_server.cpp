// Fuzzes the DLMS server: one dlms::Meter over clms100's tables on an in-memory
// HAL and one dlms::Connection. The first input byte picks the client SAP (16
// public or 2 reader); the rest is a sequence of APDUs, each prefixed by its
// length byte. A valid public AARQ goes first so the services are reached.
// NVM bytes written by one input are erased again before the next.
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
    std::vector<std::uint8_t> aarq(std::begin(kPublicAarq), std::end(kPublicAarq));
    connection.on_apdu(16, 1, aarq, first);

    for (std::size_t at = 1; at < size;) {
      const std::size_t n = data[at] < size - at - 1 ? data[at] : size - at - 1;
      ByteWriter out(reply, sizeof reply);
      // The request in a buffer of its own size, as the server deciphers in place.
      std::vector<std::uint8_t> request(data + at + 1, data + at + 1 + n);
      connection.on_apdu(client_sap, 1, request, out);
      at += 1 + n;
      if ((at & 7) == 0) meter.tick();
    }
  }
  hal.erase_written();
  return 0;
}
