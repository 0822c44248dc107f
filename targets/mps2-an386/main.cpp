// The firmware of one meter model on the mps2-an386 board (the model is the
// generated tables linked into the image, tables::active_model).
//
// UART0 carries DLMS over HDLC (server address 1 and the physical address,
// windows, information field lengths and timeouts of the model's first IEC HDLC
// setup object, on the model's frame buffer; APDUs up to METERGEN_MAX_PDU = 512); UART1 carries the log; UART2
// takes the keypad, button and input commands (simulation::Panel), one reply line
// each. The main loop feeds received bytes to the HDLC link and the command
// lines to the panel, runs the meter's periodic work every 10 ms (often enough
// for the front end: metering reads a bounded number of ADC frames per tick)
// and sleeps until the next interrupt.
//
// Owns: the static objects of the image, the interrupt handlers and the main
// loop. Uses: board_hal.hpp, uart.hpp, retained.hpp, front_end.hpp,
// stack_usage.hpp and the runtime's dlms::Meter, dlms::Connection and
// hdlc::ServerLink.
#include <cstddef>
#include <cstdint>

#include <metergen/dlms/server.hpp>
#include <metergen/hdlc/model_link.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/hdlc/sink.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/log_line.hpp>
#include <metergen/simulation/panel.hpp>
#include <metergen/simulation/scenario.hpp>

#include "board.hpp"
#include "board_hal.hpp"
#include "front_end.hpp"
#include "line_writer.hpp"
#include "retained.hpp"
#include "stack_usage.hpp"
#include "uart.hpp"

// The front end's scenario, emitted by `metergen scenario emit` (CMakeLists.txt).
extern const metergen::simulation::Scenario mps2_front_end_scenario;

extern "C" {
extern std::uint8_t __retained_start[], __retained_end[];  // mps2-an386.ld
void SysTick_Handler() noexcept;
void Uart0Rx_IRQHandler() noexcept;
void Uart2Rx_IRQHandler() noexcept;
[[noreturn]] void on_fatal_exception(std::uint32_t vector, const std::uint32_t* frame);
}

[[noreturn]] void firmware_main();

namespace {

using namespace metergen;
namespace board = mps2::board;

constexpr std::uint32_t kBaud = 115200;
constexpr std::uint32_t kTickPeriodMs = 10;
constexpr std::uint32_t kStackCheckPeriodMs = 1000;

// Sends each HDLC frame on UART0 as it is produced.
class UartSink final : public hdlc::FrameSink {
 public:
  explicit UartSink(mps2::Uart& uart) : uart_(uart) {}
  void send(const std::uint8_t* data, std::size_t size) override { uart_.write(data, size); }

 private:
  mps2::Uart& uart_;
};

mps2::Uart g_dlms_uart(board::kUart0, true, board::kUart0RxIrq);
mps2::Uart g_log_uart(board::kUart1, false);
mps2::Uart g_control_uart(board::kUart2, true, board::kUart2RxIrq);
simulation::LineReader g_control_line;
mps2::RetainedMemory g_retained(__retained_start, static_cast<std::uint32_t>(__retained_end - __retained_start));
mps2::SimulatedFrontEnd g_front_end(tables::active_model, mps2_front_end_scenario);
mps2::BoardHal g_hal(tables::active_model, g_retained, g_log_uart, g_front_end);
dlms::Meter g_meter(tables::active_model, g_hal);
dlms::Connection g_connection(g_meter);
UartSink g_sink(g_dlms_uart);
const tables::HdlcLinkDef& g_hdlc = tables::active_model.hdlc;
hdlc::ApduServerLink<dlms::kMaxPdu> g_link(hdlc::server_address(g_hdlc), g_hdlc.frame, g_hdlc.frame_size,
                                           hdlc::link_limits(g_hdlc), hdlc::link_timeouts(g_hdlc), g_connection,
                                           g_sink);

void log_start(mps2::RetainedMemory::Start start) {
  char line[128];
  g_hal.log(mps2::LineWriter(line, sizeof line)
                .text("boot: model ")
                .text(tables::active_model.id)
                .text(" on mps2-an386 (Cortex-M4)")
                .c_str());
  g_hal.log(
      mps2::LineWriter(line, sizeof line)
          .text(start == mps2::RetainedMemory::Start::cold ? "nvm: cold start, formatted " : "nvm: warm start, kept ")
          .dec(g_retained.nvm_size())
          .text(" bytes at 0x")
          .hex(static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__retained_start)) +
               mps2::RetainedMemory::kReservedBytes)
          .c_str());
}

// Every record and profile buffer must fit the NVM (docs/nvm-format.md).
void log_nvm_use() {
  const std::uint32_t used = g_meter.nvm_bytes();
  char line[128];
  mps2::LineWriter w(line, sizeof line);
  if (used > g_retained.nvm_size()) w.text("error: ");
  g_hal.log(w.text("nvm: records and profile buffers use ")
                .dec(used)
                .text(" of ")
                .dec(g_retained.nvm_size())
                .text(" bytes")
                .c_str());
}

// What the main loop remembers between iterations.
struct LoopState {
  std::uint32_t last_tick_ms;
  std::uint32_t last_stack_check_ms;
  std::uint32_t overruns_logged = 0;
  std::uint32_t stack_logged = 0;
};

// Logs the stack's high-water mark whenever it has grown by another 256 bytes.
void log_stack_peak(LoopState& state) {
  const std::uint32_t peak = mps2::stack::peak_bytes();
  if (peak < state.stack_logged + 256) return;
  state.stack_logged = peak;
  char line[64];
  g_hal.log(mps2::LineWriter(line, sizeof line)
                .text("stack: peak ")
                .dec(peak)
                .text(" of ")
                .dec(mps2::stack::size_bytes())
                .text(" bytes")
                .c_str());
}

// Each command line from UART2 goes to the panel; its reply goes back on
// UART2 and, with the command, to the log.
void serve_control() {
  std::uint8_t chunk[64];
  const std::size_t n = g_control_uart.read(chunk, sizeof chunk);
  for (std::size_t used = 0; used < n;) {
    const simulation::LineReader::Result got = g_control_line.take(chunk, n, &used);
    if (got == simulation::LineReader::Result::none) continue;
    LogLine reply;
    if (got == simulation::LineReader::Result::line)
      g_hal.panel().command(g_control_line.line(), g_control_line.length(), reply);
    else
      simulation::overlong_reply(reply);
    g_control_uart.write(reply.c_str());
    g_control_uart.write("\n");
    LogLine line;
    line.text("control: ");
    if (got == simulation::LineReader::Result::line)
      line.bytes(reinterpret_cast<const std::uint8_t*>(g_control_line.line()), g_control_line.length()).text(" -> ");
    g_hal.log(line.text(reply.c_str()).c_str());
  }
}

// Applies the link's timeouts once every byte received so far has gone to the
// link, so that bytes still waiting in the UART's buffer never count as a gap.
void poll_link() {
  if (g_dlms_uart.rx_pending()) return;
  switch (g_link.poll(g_hal.ticks_ms())) {
    case hdlc::ServerLinkCore::Expiry::frame_dropped:
      g_hal.log("hdlc: frame dropped, no octet within the inter-octet timeout");
      break;
    case hdlc::ServerLinkCore::Expiry::disconnected:
      g_hal.log("hdlc: link disconnected, no frame within the inactivity timeout");
      break;
    case hdlc::ServerLinkCore::Expiry::none:
      break;
  }
}

void serve_once(LoopState& state) {
  std::uint8_t chunk[64];
  if (const std::size_t n = g_dlms_uart.read(chunk, sizeof chunk)) g_link.receive(chunk, n);
  poll_link();
  serve_control();
  if (g_dlms_uart.overruns() != state.overruns_logged) {
    state.overruns_logged = g_dlms_uart.overruns();
    char line[64];
    g_hal.log(mps2::LineWriter(line, sizeof line).text("uart0: receive overruns: ").dec(state.overruns_logged).c_str());
  }
  const std::uint32_t now = g_hal.ticks_ms();
  if (now - state.last_tick_ms >= kTickPeriodMs) {
    state.last_tick_ms += kTickPeriodMs;
    g_meter.tick();
  }
  if (now - state.last_stack_check_ms >= kStackCheckPeriodMs) {
    state.last_stack_check_ms = now;
    log_stack_peak(state);
  }
}

}  // namespace

extern "C" void SysTick_Handler() noexcept { g_hal.on_systick(); }

extern "C" void Uart0Rx_IRQHandler() noexcept {
  g_dlms_uart.on_rx_interrupt();
  g_hal.on_entropy_event();
}

extern "C" void Uart2Rx_IRQHandler() noexcept {
  g_control_uart.on_rx_interrupt();
  g_hal.on_entropy_event();
}

// Logs the exception and resets; the retained memory keeps the NVM and clock.
extern "C" [[noreturn]] void on_fatal_exception(std::uint32_t vector, const std::uint32_t* frame) {
  char line[96];
  mps2::LineWriter w(line, sizeof line);
  w.text("fatal: exception ").dec(vector & 0x1FFu);
  if (frame != nullptr) w.text(" at pc 0x").hex(frame[6], 8).text(" lr 0x").hex(frame[5], 8);
  g_hal.log(w.text(", resetting").c_str());
  board::system_reset();
}

[[noreturn]] void firmware_main() {
  g_log_uart.start(kBaud);
  const mps2::RetainedMemory::Start start = g_hal.start();
  g_hal.on_entropy_event();
  log_start(start);
  g_meter.boot();
  log_nvm_use();
  g_dlms_uart.start(kBaud);
  g_control_uart.start(kBaud);
  char line[192];
  g_hal.log(mps2::LineWriter(line, sizeof line)
                .text("ready: DLMS/HDLC on UART0, server address 1/")
                .dec(g_hdlc.device_address)
                .text(", information field ")
                .dec(g_hdlc.max_info_transmit)
                .text(", window ")
                .dec(g_hdlc.window_transmit)
                .text(", inter-octet timeout ")
                .dec(g_hdlc.inter_octet_ms)
                .text(" ms, inactivity timeout ")
                .dec(g_hdlc.inactivity_s)
                .text(" s")
                .text(", PDU ")
                .dec(dlms::kMaxPdu)
                .text("; keypad, buttons and inputs on UART2")
                .c_str());
  LoopState state{g_hal.ticks_ms(), g_hal.ticks_ms()};
  for (;;) {
    serve_once(state);
    board::sleep_unless([] { return g_dlms_uart.rx_pending() || g_control_uart.rx_pending(); });
  }
}
