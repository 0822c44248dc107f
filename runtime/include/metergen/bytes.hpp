// Bounded byte writer and reader: the only way runtime code touches a buffer.
//
// Owns: bounds checking. Nothing here allocates or throws; a failed read or an
// overflowing write sets a sticky flag the caller checks once at the end.
//
// ByteWriter has a window: bytes before `skip` are counted but not stored, bytes
// past the buffer are counted and flagged. A server encodes a long reply (an
// object list, a profile buffer) again for every block and keeps only the
// block's window, so no reply ever has to fit in RAM at once.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen {

class ByteWriter {
 public:
  constexpr ByteWriter(std::uint8_t* buf, std::size_t cap, std::size_t skip = 0) : buf_(buf), cap_(cap), skip_(skip) {}

  constexpr void u8(std::uint8_t v) {
    if (pos_ >= skip_) {
      std::size_t at = pos_ - skip_;
      if (at < cap_) buf_[at] = v;
      else overflow_ = true;
    }
    ++pos_;
  }
  constexpr void be16(std::uint16_t v) { u8(static_cast<std::uint8_t>(v >> 8)); u8(static_cast<std::uint8_t>(v)); }
  constexpr void be32(std::uint32_t v) { be16(static_cast<std::uint16_t>(v >> 16)); be16(static_cast<std::uint16_t>(v)); }
  constexpr void be64(std::uint64_t v) { be32(static_cast<std::uint32_t>(v >> 32)); be32(static_cast<std::uint32_t>(v)); }
  constexpr void bytes(const std::uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) u8(p[i]);
  }

  // Logical position: every byte written so far, including skipped ones.
  constexpr std::size_t position() const { return pos_; }
  // Bytes stored in the buffer.
  constexpr std::size_t size() const {
    if (pos_ <= skip_) return 0;
    std::size_t n = pos_ - skip_;
    return n < cap_ ? n : cap_;
  }
  constexpr bool overflow() const { return overflow_; }
  constexpr std::uint8_t* data() const { return buf_; }
  constexpr std::size_t capacity() const { return cap_; }
  // Forgets everything after `position` (an unwindowed writer only): a reply
  // that failed halfway is replaced by an error reply.
  constexpr void truncate(std::size_t position) {
    if (position < pos_) pos_ = position;
    overflow_ = (pos_ > skip_ ? pos_ - skip_ : 0) > cap_;
  }
  // Counts n bytes the caller stored itself at data() + size() (an unwindowed
  // writer only), e.g. a nested writer over the rest of this buffer.
  constexpr void commit(std::size_t n) {
    pos_ += n;
    if (pos_ > cap_) overflow_ = true;
  }
  // Overwrites an already stored byte (length fields written after the content).
  constexpr void patch(std::size_t position, std::uint8_t v) {
    if (position >= skip_ && position - skip_ < cap_) buf_[position - skip_] = v;
  }

 private:
  std::uint8_t* buf_;
  std::size_t cap_;
  std::size_t skip_;
  std::size_t pos_ = 0;
  bool overflow_ = false;
};

class ByteReader {
 public:
  constexpr ByteReader() = default;
  constexpr ByteReader(const std::uint8_t* p, std::size_t n) : p_(p), n_(n) {}

  constexpr std::uint8_t u8() {
    if (pos_ >= n_) { error_ = true; return 0; }
    return p_[pos_++];
  }
  constexpr std::uint16_t be16() { std::uint16_t h = u8(); return static_cast<std::uint16_t>((h << 8) | u8()); }
  constexpr std::uint32_t be32() { std::uint32_t h = be16(); return (h << 16) | be16(); }
  constexpr std::uint64_t be64() { std::uint64_t h = be32(); return (h << 32) | be32(); }
  constexpr std::uint8_t peek() const { return pos_ < n_ ? p_[pos_] : 0; }
  // Returns a pointer to the next n bytes and consumes them, or nullptr (and sets the error).
  constexpr const std::uint8_t* take(std::size_t n) {
    if (n > n_ - pos_) { error_ = true; pos_ = n_; return nullptr; }
    const std::uint8_t* at = p_ + pos_;
    pos_ += n;
    return at;
  }
  // A reader over the next n bytes, consumed here.
  constexpr ByteReader sub(std::size_t n) {
    const std::uint8_t* at = take(n);
    return at ? ByteReader(at, n) : ByteReader();
  }

  constexpr std::size_t remaining() const { return n_ - pos_; }
  constexpr std::size_t position() const { return pos_; }
  constexpr const std::uint8_t* current() const { return p_ + pos_; }
  constexpr bool empty() const { return pos_ == n_; }
  constexpr bool error() const { return error_; }
  constexpr void fail() { error_ = true; }

 private:
  const std::uint8_t* p_ = nullptr;
  std::size_t n_ = 0;
  std::size_t pos_ = 0;
  bool error_ = false;
};

// Freestanding replacements for the few <cstring> functions the runtime needs.
constexpr void copy_bytes(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
}
constexpr bool equal_bytes(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}
// Comparison whose time does not depend on where the inputs differ (secrets, tags).
constexpr bool equal_secret(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  std::uint8_t d = 0;
  for (std::size_t i = 0; i < n; ++i) d = static_cast<std::uint8_t>(d | (a[i] ^ b[i]));
  return d == 0;
}

}  // namespace metergen
