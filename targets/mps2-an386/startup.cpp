// Reset and exception entry of the mps2-an386 images: the vector table (the
// core reads the initial stack pointer and the reset handler from address 0),
// the reset handler (stack painted, FPU on, .data copied from flash, .bss
// zeroed, static constructors, then firmware_main) and the entries of faults and of
// interrupts nobody handles.
//
// Owns: the vector table layout. Uses: board.hpp, stack_usage.hpp; the linker script's symbols;
// firmware_main and on_fatal_exception (main.cpp); the handlers main.cpp
// defines override the weak defaults here.
#include <cstdint>

#include "board.hpp"
#include "stack_usage.hpp"

extern "C" {
// Linker script symbols (mps2-an386.ld).
extern std::uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[], __stack_top[];
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

// Entries the vector table names; `weak` lets main.cpp define the ones it handles.
[[noreturn]] void Reset_Handler();
void Fault_Handler();
void Default_Handler();
void SysTick_Handler() noexcept __attribute__((weak, alias("Default_Handler")));
void Uart0Rx_IRQHandler() noexcept __attribute__((weak, alias("Default_Handler")));
void Uart2Rx_IRQHandler() noexcept __attribute__((weak, alias("Default_Handler")));

// Reports an exception nobody handles (vector number, stacked registers r0..r3,
// r12, lr, pc, xpsr) and resets: defined in main.cpp.
[[noreturn]] void on_fatal_exception(std::uint32_t vector, const std::uint32_t* frame);
}

[[noreturn]] void firmware_main();

namespace {

union Vector {
  void (*handler)();
  std::uint32_t* stack_top;
};

constexpr unsigned kCoreVectors = 16;
constexpr unsigned kSysTickVector = 15;

struct VectorTable {
  Vector entries[kCoreVectors + metergen::mps2::board::kIrqCount];
};

constexpr VectorTable make_vectors() {
  VectorTable t{};
  t.entries[0].stack_top = __stack_top;
  t.entries[1].handler = Reset_Handler;
  for (unsigned i = 2; i < kCoreVectors; ++i) t.entries[i].handler = Fault_Handler;  // NMI .. PendSV
  t.entries[kSysTickVector].handler = SysTick_Handler;
  for (unsigned i = kCoreVectors; i < kCoreVectors + metergen::mps2::board::kIrqCount; ++i)
    t.entries[i].handler = Default_Handler;
  t.entries[kCoreVectors + metergen::mps2::board::kUart0RxIrq].handler = Uart0Rx_IRQHandler;
  t.entries[kCoreVectors + metergen::mps2::board::kUart2RxIrq].handler = Uart2Rx_IRQHandler;
  return t;
}

}  // namespace

// Reserved core vectors (7..10, 13) never fire; they point at Fault_Handler like the faults.
__attribute__((section(".vectors"), used)) const VectorTable g_vectors = make_vectors();

extern "C" [[noreturn]] void Reset_Handler() {
  using namespace metergen::mps2::board;
  metergen::mps2::stack::paint();
  // The FPU must be on before any floating-point instruction.
  reg(kScbCpacr) = reg(kScbCpacr) | kCpacrFpuFullAccess;
  asm volatile("dsb\n isb" ::: "memory");
  for (std::uint32_t *from = __data_load, *to = __data_start; to < __data_end;) *to++ = *from++;
  for (std::uint32_t* p = __bss_start; p < __bss_end;) *p++ = 0;
  for (void (**constructor)() = __init_array_start; constructor < __init_array_end; ++constructor) (*constructor)();
  firmware_main();
}

// Faults and unexpected interrupts: hand the vector number and the stacked
// frame (main stack: no code here uses the process stack) to main.cpp.
extern "C" __attribute__((naked)) void Fault_Handler() {
  asm volatile(
      "mrs r0, ipsr\n"
      "mrs r1, msp\n"
      "b on_fatal_exception\n");
}

extern "C" __attribute__((naked)) void Default_Handler() { asm volatile("b Fault_Handler\n"); }

// A pure virtual function called during construction or destruction: fatal.
extern "C" [[noreturn]] void __cxa_pure_virtual() { on_fatal_exception(0, nullptr); }
