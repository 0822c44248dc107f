// libFuzzer harness: arbitrary bytes as what a pusher sends to `metergen
// listen` on one connection (wrapper frames holding plain or
// general-glo-ciphered DataNotifications). The listener must report bad frames
// and go on, never crash, hang or leak (ASan+UBSan). The first byte chooses the
// output format and how the rest is cut into reads.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "client/notification_reader.hpp"

namespace {

// The keys `metergen listen --ek/--ak` would be given (the Green Book's example
// EK and AK), so that ciphered frames reach the decoder.
metergen::client::NotificationKeys fixed_keys() {
  metergen::client::NotificationKeys k;
  for (std::uint8_t i = 0; i < 16; ++i) {
    k.ek.push_back(i);
    k.ak.push_back(static_cast<std::uint8_t>(0xD0 + i));
  }
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool json = data[0] & 1;
  const std::size_t read_size = 1 + (data[0] >> 1);  // 1..128 bytes per recv
  std::ostringstream out, err;
  metergen::client::NotificationPrinter printer(fixed_keys(), json, out, err);
  metergen::client::NotificationConnection connection;
  for (std::size_t at = 1; at < size;) {
    const std::size_t n = size - at < read_size ? size - at : read_size;
    if (!connection.feed(data + at, n, printer, 1000, err)) break;
    at += n;
  }
  return 0;
}
