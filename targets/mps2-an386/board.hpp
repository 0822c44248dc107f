// The mps2-an386 board as the firmware sees it: Cortex-M4 system registers
// (SysTick, NVIC, SCB) and the CMSDK APB peripherals used here, with their
// addresses and interrupt numbers (ARM AN386 and QEMU's mps2-an386 machine).
//
// Owns: addresses, register offsets and bits, the clock frequency, and the
// few inline helpers that touch the core (interrupt masking, WFI, reset).
// Nothing else in the target spells out an address.
#pragma once

#include <cstdint>

namespace metergen::mps2::board {

// SYSCLK, which clocks the core, SysTick (processor clock source) and the APB.
inline constexpr std::uint32_t kSysclkHz = 25'000'000;

inline volatile std::uint32_t& reg(std::uintptr_t address) {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}

// CMSDK APB UART (ARM DDI 0479, 4.3): one byte of buffer each way, no FIFO.
inline constexpr std::uintptr_t kUart0 = 0x4000'4000;  // DLMS HDLC (QEMU: first -serial)
inline constexpr std::uintptr_t kUart1 = 0x4000'5000;  // log (QEMU: second -serial)
inline constexpr std::uintptr_t kUart2 = 0x4000'6000;  // keypad and buttons (QEMU: third -serial)
namespace uart {
inline constexpr std::uintptr_t kData = 0x00;
inline constexpr std::uintptr_t kState = 0x04;      // bit 0 TX full, 1 RX full, 2 TX overrun, 3 RX overrun
inline constexpr std::uintptr_t kCtrl = 0x08;       // bit 0 TX enable, 1 RX enable, 3 RX interrupt enable
inline constexpr std::uintptr_t kIntStatus = 0x0C;  // read: status; write 1: clear
inline constexpr std::uintptr_t kBaudDiv = 0x10;    // SYSCLK / baud, at least 16
inline constexpr std::uint32_t kTxFull = 1u << 0;
inline constexpr std::uint32_t kRxFull = 1u << 1;
inline constexpr std::uint32_t kRxOverrun = 1u << 3;
inline constexpr std::uint32_t kTxEnable = 1u << 0;
inline constexpr std::uint32_t kRxEnable = 1u << 1;
inline constexpr std::uint32_t kRxInterruptEnable = 1u << 3;
inline constexpr std::uint32_t kRxInterrupt = 1u << 1;
}  // namespace uart

// External interrupt numbers (vector = 16 + n). UART n: RX 2n, TX 2n + 1.
inline constexpr unsigned kIrqCount = 32;
inline constexpr unsigned kUart0RxIrq = 0;
inline constexpr unsigned kUart2RxIrq = 4;

// System control space.
inline constexpr std::uintptr_t kSysTickCtrl = 0xE000'E010;
inline constexpr std::uintptr_t kSysTickLoad = 0xE000'E014;
inline constexpr std::uintptr_t kSysTickValue = 0xE000'E018;
inline constexpr std::uint32_t kSysTickEnable = 1u << 0;
inline constexpr std::uint32_t kSysTickInterrupt = 1u << 1;
inline constexpr std::uint32_t kSysTickProcessorClock = 1u << 2;
inline constexpr std::uintptr_t kNvicIser = 0xE000'E100;  // set-enable, one bit per IRQ
inline constexpr std::uintptr_t kNvicIcer = 0xE000'E180;  // clear-enable
inline constexpr std::uintptr_t kScbAircr = 0xE000'ED0C;
inline constexpr std::uint32_t kAircrSysResetRequest = 0x05FA'0004;  // VECTKEY | SYSRESETREQ
inline constexpr std::uintptr_t kScbCpacr = 0xE000'ED88;
inline constexpr std::uint32_t kCpacrFpuFullAccess = 0xFu << 20;  // CP10 and CP11

inline void enable_irq(unsigned irq) { reg(kNvicIser) = 1u << irq; }
inline void disable_irq(unsigned irq) {
  reg(kNvicIcer) = 1u << irq;
  // Once this returns the handler is not running and will not start.
  asm volatile("dsb\n isb" ::: "memory");
}

// PRIMASK save/restore: code between them runs with interrupts masked.
inline std::uint32_t mask_interrupts() {
  std::uint32_t primask;
  asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask)::"memory");
  return primask;
}
inline void restore_interrupts(std::uint32_t primask) { asm volatile("msr primask, %0" ::"r"(primask) : "memory"); }

class InterruptsMasked {
 public:
  InterruptsMasked() : saved_(mask_interrupts()) {}
  ~InterruptsMasked() { restore_interrupts(saved_); }
  InterruptsMasked(const InterruptsMasked&) = delete;
  InterruptsMasked& operator=(const InterruptsMasked&) = delete;

 private:
  std::uint32_t saved_;
};

// Sleeps until an interrupt is pending unless `work_pending` says there is work:
// checked with interrupts masked, so an interrupt between the check and WFI
// still wakes the core (WFI wakes on a pending interrupt even when masked).
template <typename Predicate>
void sleep_unless(Predicate work_pending) {
  const std::uint32_t saved = mask_interrupts();
  if (!work_pending()) asm volatile("dsb\n wfi" ::: "memory");
  restore_interrupts(saved);
}

[[noreturn]] inline void system_reset() {
  asm volatile("dsb" ::: "memory");
  reg(kScbAircr) = kAircrSysResetRequest;
  asm volatile("dsb" ::: "memory");
  for (;;) asm volatile("wfi");
}

}  // namespace metergen::mps2::board
