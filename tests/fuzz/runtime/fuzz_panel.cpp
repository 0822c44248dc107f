// Fuzzes the control channel's command reader (simulation::Panel and
// LineReader, as the host meter's control socket and the firmware's control
// UART run them): the input's first byte chooses the read size, the rest is
// the byte stream. Between lines the meter samples its keypad and buttons a
// second at a time, as the runtime does; nothing may overflow or hang.
#include <cstddef>
#include <cstdint>

#include <metergen/log_line.hpp>
#include <metergen/simulation/panel.hpp>

using namespace metergen;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 64) + 1;
  ++data;
  --size;
  simulation::Panel panel;
  simulation::LineReader reader;
  hal::LcdScreen screen{};
  screen.code[0] = 'c';
  panel.screen_shown(screen);
  std::int64_t second = 1000;
  for (std::size_t at = 0; at < size;) {
    const std::size_t n = size - at < chunk ? size - at : chunk;
    for (std::size_t used = 0; used < n;) {
      const auto result = reader.take(data + at, n, &used);
      LogLine reply;
      if (result == simulation::LineReader::Result::line) panel.command(reader.line(), reader.length(), reply);
      else if (result == simulation::LineReader::Result::overlong) simulation::overlong_reply(reply);
      else break;
      char keys[16];
      (void)panel.keypad_read(keys, sizeof keys);
      (void)panel.buttons_held(second++);
      if ((second & 7) == 0) panel.set_powered((second & 8) != 0);
    }
    at += n;
  }
  return 0;
}
