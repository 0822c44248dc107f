// Stack high-water mark. The reset handler fills the free stack with a
// pattern before anything else runs; the deepest word no longer holding it
// shows how much stack the image has ever used (interrupt frames included).
// The stack is part of the RAM budget (.stack in mps2-an386.ld), so this is
// the figure that says whether its size is right.
//
// Owns: the pattern. Uses: the linker script's __stack_bottom/__stack_top.
#pragma once

#include <cstdint>

extern "C" std::uint32_t __stack_bottom[], __stack_top[];  // mps2-an386.ld

namespace metergen::mps2::stack {

inline constexpr std::uint32_t kPattern = 0x57AC57ACu;

// Fills the stack below the caller's frame (keeping a margin for this call).
__attribute__((always_inline)) inline void paint() {
  std::uint32_t* sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  for (std::uint32_t* p = __stack_bottom; p < sp - 16; ++p) *p = kPattern;
}

inline std::uint32_t size_bytes() {
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__stack_top) -
                                    reinterpret_cast<std::uintptr_t>(__stack_bottom));
}

inline std::uint32_t peak_bytes() {
  const std::uint32_t* p = __stack_bottom;
  while (p < __stack_top && *p == kPattern) ++p;
  return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(__stack_top) -
                                    reinterpret_cast<std::uintptr_t>(p));
}

}  // namespace metergen::mps2::stack
