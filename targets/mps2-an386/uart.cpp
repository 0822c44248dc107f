// CMSDK APB UART driver (see uart.hpp).
#include "uart.hpp"

namespace metergen::mps2 {

void Uart::start(std::uint32_t baud) {
  reg(board::uart::kBaudDiv) = board::kSysclkHz / baud;
  std::uint32_t ctrl = board::uart::kTxEnable;
  if (receive_) ctrl |= board::uart::kRxEnable | board::uart::kRxInterruptEnable;
  reg(board::uart::kCtrl) = ctrl;
  if (receive_) board::enable_irq(rx_irq_);
}

void Uart::write(const std::uint8_t* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    while (reg(board::uart::kState) & board::uart::kTxFull) {
    }
    reg(board::uart::kData) = data[i];
  }
}

void Uart::write(const char* text) {
  std::size_t n = 0;
  while (text[n] != '\0') ++n;
  write(reinterpret_cast<const std::uint8_t*>(text), n);
}

void Uart::on_rx_interrupt() {
  while (reg(board::uart::kState) & board::uart::kRxFull) {
    if (ring_.full()) {
      // Leave the byte (and the interrupt) pending until read() makes room.
      board::reg(board::kNvicIcer) = 1u << rx_irq_;
      rx_masked_ = true;
      return;
    }
    // Clear the interrupt before taking the byte: one arriving after the read raises it again.
    reg(board::uart::kIntStatus) = board::uart::kRxInterrupt;
    ring_.push(static_cast<std::uint8_t>(reg(board::uart::kData)));
  }
}

std::size_t Uart::read(std::uint8_t* out, std::size_t cap) {
  const std::size_t n = ring_.pop(out, cap);
  if (rx_masked_ && !ring_.full()) {
    rx_masked_ = false;
    board::enable_irq(rx_irq_);
  }
  if (reg(board::uart::kState) & board::uart::kRxOverrun) {
    reg(board::uart::kState) = board::uart::kRxOverrun;  // write 1 to clear
    ++overruns_;
  }
  return n;
}

}  // namespace metergen::mps2
