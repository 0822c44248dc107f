// A byte ring buffer between one producer (an interrupt handler) and one
// consumer (the main loop) on a single core: each side writes only its own
// index, and the index is published after the byte (volatile accesses keep
// that order on a Cortex-M, which has no reordering store buffer visible to
// its own interrupts). Portable: the host tests use it as is.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::mps2 {

template <std::size_t Capacity>
class ByteRing {
  static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "capacity must be a power of two");

 public:
  // Producer side. False (byte not stored) when full.
  bool push(std::uint8_t byte) {
    const std::uint32_t head = head_;
    if (head - tail_ == Capacity) return false;
    bytes_[head & (Capacity - 1)] = byte;
    head_ = head + 1;
    return true;
  }
  bool full() const { return head_ - tail_ == Capacity; }

  // Consumer side: moves up to cap bytes, oldest first, into out; returns how many.
  std::size_t pop(std::uint8_t* out, std::size_t cap) {
    const std::uint32_t tail = tail_;
    const std::uint32_t available = head_ - tail;
    std::size_t n = 0;
    for (; n < cap && n < available; ++n) out[n] = bytes_[(tail + n) & (Capacity - 1)];
    tail_ = tail + static_cast<std::uint32_t>(n);
    return n;
  }
  bool empty() const { return head_ == tail_; }

 private:
  // Free-running counters: their difference is the fill level, even across wrap-around.
  volatile std::uint32_t head_ = 0;
  volatile std::uint32_t tail_ = 0;
  volatile std::uint8_t bytes_[Capacity]{};
};

}  // namespace metergen::mps2
