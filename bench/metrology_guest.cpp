// Instructions per phase-sample of metrology::Metrology::process on the
// Cortex-M4: the firmware of the bench image `bench-metrology.elf` (mps2-an386
// preset; not a meter image), run by bench/metrology_guest.sh in
// qemu-system-arm -icount shift=0, where the guest executes one instruction per
// nanosecond of virtual time. SysTick runs free from the processor clock
// (25 MHz, no interrupt), so one count is 40 instructions.
//
// The load is metrology_load.hpp's, as on the host (metrology_instructions.cpp).
// Each second's frames are made first, uncounted; then process() is counted
// over all but the second's last frame, and separately over that last frame,
// which runs the once-a-second maths (end_second) after its kernel step. Results
// go to UART0; the image then ends QEMU by semihosting (SYS_EXIT).
#include <cstddef>
#include <cstdint>
#include <new>

#include <metergen/metrology/metrology.hpp>

#include "board.hpp"
#include "line_writer.hpp"
#include "metrology_load.hpp"
#include "uart.hpp"

namespace {

using namespace metergen;
using namespace metergen::metrology;
namespace board = mps2::board;

constexpr std::uint32_t kInstructionsPerCount = 1'000'000'000 / board::kSysclkHz;  // -icount shift=0
constexpr std::uint32_t kCountMask = 0xFFFFFF;  // SysTick is 24 bits wide

mps2::Uart g_uart(board::kUart0, false);

// The signal's harmonics and the pulse records live in std::vector: a bump
// arena serves them (nothing is freed before the image ends).
alignas(8) unsigned char g_arena[16 * 1024];
std::size_t g_arena_used = 0;

constexpr std::size_t kMaxFrames = 4000;  // one second of kHxf300's front end
hal::AdcFrame g_frames[kMaxFrames];

void print(const mps2::LineWriter& w) {
  g_uart.write(w.c_str());
  g_uart.write("\n");
}

// ARM semihosting SYS_EXIT (0x18): QEMU exits with status 0 for
// ADP_Stopped_ApplicationExit (0x20026), 1 for anything else.
[[noreturn]] void exit_qemu(bool ok) {
  register std::uint32_t op asm("r0") = 0x18;
  register std::uint32_t reason asm("r1") = ok ? 0x20026 : 0x20023;
  asm volatile("bkpt 0xAB" : : "r"(op), "r"(reason) : "memory");
  for (;;) {
  }
}

void start_counter() {
  board::reg(board::kSysTickLoad) = kCountMask;
  board::reg(board::kSysTickValue) = 0;
  board::reg(board::kSysTickCtrl) = board::kSysTickEnable | board::kSysTickProcessorClock;
}

std::uint32_t counter() { return board::reg(board::kSysTickValue); }

// Counts elapsed from `from` to `to` of the down-counting SysTick.
std::uint64_t elapsed(std::uint32_t from, std::uint32_t to) { return (from - to) & kCountMask; }

// value / divisor with one decimal.
mps2::LineWriter& tenths(mps2::LineWriter& w, std::uint64_t value, std::uint64_t divisor) {
  const std::uint64_t t = (value * 10 + divisor / 2) / divisor;
  return w.dec(t / 10).text(".").dec(t % 10);
}

}  // namespace

// Without exceptions, the containers' failures end the run.
namespace std {
[[noreturn]] void __throw_bad_alloc() { exit_qemu(false); }
[[noreturn]] void __throw_bad_array_new_length() { exit_qemu(false); }
[[noreturn]] void __throw_length_error(const char*) { exit_qemu(false); }
}  // namespace std

void* operator new(std::size_t n) {
  if (g_arena_used + n > sizeof g_arena) exit_qemu(false);
  void* p = g_arena + g_arena_used;
  g_arena_used += (n + 7) & ~std::size_t{7};
  return p;
}
void operator delete(void*) noexcept {}
void operator delete(void*, std::size_t) noexcept {}

extern "C" [[noreturn]] void on_fatal_exception(std::uint32_t vector, const std::uint32_t*) {
  char line[48];
  print(mps2::LineWriter(line, sizeof line).text("fatal: exception ").dec(vector & 0x1FFu));
  exit_qemu(false);
}

[[noreturn]] void firmware_main() {
  g_uart.start(115200);
  const hal::FrontEnd fe = test::front_end_for(bench::kHxf300);
  test::SignalSource source(bench::load(), fe);
  test::PulseHal hal;
  Metrology m(bench::kHxf300, fe, 3, hal);
  start_counter();
  std::uint64_t kernel = 0, last = 0, frames = 0;
  for (int s = 0; s < bench::kSeconds; ++s) {
    const std::size_t n = m.frames_to_second();
    if (n > kMaxFrames || n < 2) exit_qemu(false);
    for (std::size_t k = 0; k < n; ++k) g_frames[k] = source.next();
    const std::uint32_t t0 = counter();
    m.process(g_frames, n - 1);
    const std::uint32_t t1 = counter();
    m.process(g_frames + n - 1, 1);
    const std::uint32_t t2 = counter();
    kernel += elapsed(t0, t1);
    last += elapsed(t1, t2);
    frames += n;
  }
  const std::uint64_t phase_samples = frames * 3;
  const std::uint64_t total = (kernel + last) * kInstructionsPerCount;
  char line[128];
  print(mps2::LineWriter(line, sizeof line).text("phase-samples ").dec(phase_samples).text(", seconds ").dec(m.readings().second));
  {
    mps2::LineWriter w(line, sizeof line);
    tenths(w.text("process: ").dec(total).text(" instructions, "), total, phase_samples).text(" per phase-sample");
    print(w);
  }
  {
    mps2::LineWriter w(line, sizeof line);
    const std::uint64_t seconds_part = last * kInstructionsPerCount;
    w.text("of which the seconds' last frames (kernel step and end_second): ").dec(seconds_part).text(" instructions, ");
    tenths(w, seconds_part, phase_samples).text(" per phase-sample");
    print(w);
  }
  exit_qemu(m.readings().second == static_cast<std::uint32_t>(bench::kSeconds));
}
