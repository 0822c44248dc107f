// Driver of the CMSDK APB UART: 8N1, polled transmit, interrupt-driven receive
// into a ring buffer.
//
// The UART holds one received byte. QEMU's model never overwrites it: it offers
// the next byte only once RX full has been cleared by reading DATA, so a guest
// that reads slowly delays the host's bytes but loses none. The RX interrupt
// handler therefore moves bytes into the ring while there is room; when the
// ring is full it leaves the byte in the UART and masks the interrupt in the
// NVIC, and read() unmasks it once it has made room (the pending interrupt then
// fires at once). On silicon, a byte arriving while the interrupt is masked
// would overrun; read() logs RX overruns it sees (reported via overruns()).
//
// Owns: one UART's registers and its RX ring. Uses: board.hpp, byte_ring.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "board.hpp"
#include "byte_ring.hpp"

namespace metergen::mps2 {

class Uart {
 public:
  static constexpr std::size_t kRxCapacity = 512;

  // A UART that only transmits (rx_irq is ignored) or, with receive, whose RX
  // interrupt is rx_irq.
  Uart(std::uintptr_t base, bool receive, unsigned rx_irq = 0) : base_(base), receive_(receive), rx_irq_(rx_irq) {}

  // Programs the baud rate, enables TX (and RX with its interrupt).
  void start(std::uint32_t baud);
  // Blocks until every byte is in the UART.
  void write(const std::uint8_t* data, std::size_t n);
  void write(const char* text);

  // Main loop: moves up to cap received bytes into out; returns how many.
  std::size_t read(std::uint8_t* out, std::size_t cap);
  bool rx_pending() const { return !ring_.empty(); }
  // RX overruns seen since start (never on QEMU, see above).
  std::uint32_t overruns() const { return overruns_; }

  // The RX interrupt handler's body.
  void on_rx_interrupt();

 private:
  volatile std::uint32_t& reg(std::uintptr_t offset) const { return board::reg(base_ + offset); }

  std::uintptr_t base_;
  bool receive_;
  unsigned rx_irq_;
  volatile bool rx_masked_ = false;
  std::uint32_t overruns_ = 0;
  ByteRing<kRxCapacity> ring_;
};

}  // namespace metergen::mps2
