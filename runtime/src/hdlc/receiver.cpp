// Flag hunting and frame buffering: see receiver.hpp.
#include <metergen/hdlc/crc16.hpp>
#include <metergen/hdlc/receiver.hpp>

namespace metergen::hdlc {

std::size_t FrameReceiver::feed(const std::uint8_t* p, std::size_t n, Event& event) {
  event = Event::none;
  std::size_t used = 0;
  for (;;) {
    const bool from_carry = carry_at_ < carry_size_;
    const std::uint8_t* const begin = from_carry ? carry_ + carry_at_ : p + used;
    const std::uint8_t* const end = from_carry ? carry_ + carry_size_ : p + n;
    if (begin == end) return n;
    const std::uint8_t* at = begin;
    const Step step = run(at, end, event);
    (from_carry ? carry_at_ : used) += static_cast<std::size_t>(at - begin);
    if (step == Step::event) return used;
    if (step == Step::rejected) restart_after_flag();
  }
}

FrameReceiver::Step FrameReceiver::run(const std::uint8_t*& at, const std::uint8_t* end, Event& event) {
  while (at < end) {
    switch (state_) {
      case State::hunting:
        while (at < end && *at != kFlag) ++at;
        if (at == end) return Step::more;
        ++at;
        state_ = State::header;
        len_ = 0;
        break;
      case State::header:
        if (len_ == 0 && *at == kFlag) {  // flags between frames
          ++at;
          break;
        }
        if (const Step s = take_header(at, end, event); s != Step::more) return s;
        break;
      case State::body: {
        const std::size_t available = static_cast<std::size_t>(end - at);
        const std::size_t k = header_.length - len_ < available ? header_.length - len_ : available;
        crc_ = crc16_copy(crc_, buf_ + len_, at, k);
        len_ += k;
        at += k;
        if (len_ == header_.length) state_ = State::closing;
        break;
      }
      case State::closing: {
        const bool flag = *at++ == kFlag;  // it may also open the next frame
        state_ = flag ? State::header : State::hunting;
        len_ = 0;
        if (flag && crc_ == kCrc16Residue) {
          event = Event::frame;
          return Step::event;
        }
        break;
      }
    }
  }
  return Step::more;
}

FrameReceiver::Step FrameReceiver::take_header(const std::uint8_t*& at, const std::uint8_t* end, Event& event) {
  // The format field first; then as many bytes as the header can take, which
  // scan_header needs to decide, and never past the frame's end.
  std::size_t limit = 2;
  if (len_ >= 2) {
    const std::size_t length = static_cast<std::size_t>(((buf_[0] & 0x07) << 8) | buf_[1]);
    limit = length < kMaxHeaderSize ? length : kMaxHeaderSize;
  }
  if (len_ < limit) {
    const std::size_t available = static_cast<std::size_t>(end - at);
    const std::size_t k = limit - len_ < available ? limit - len_ : available;
    copy_bytes(buf_ + len_, at, k);
    len_ += k;
    at += k;
  }
  switch (scan_header(buf_, len_, header_)) {
    case HeaderStatus::incomplete: return Step::more;
    case HeaderStatus::invalid: return Step::rejected;
    case HeaderStatus::valid: break;
  }
  if (header_.length > cap_) {
    state_ = State::hunting;
    len_ = 0;
    event = Event::oversized;
    return Step::event;
  }
  // After a header and its correct HCS the register stands at the residue.
  crc_ = crc16_update(kCrc16Residue, buf_ + header_.size, len_ - header_.size);
  state_ = len_ == header_.length ? State::closing : State::body;
  return Step::more;
}

void FrameReceiver::restart_after_flag() {
  std::size_t flag = 0;
  while (flag < len_ && buf_[flag] != kFlag) ++flag;
  state_ = flag < len_ ? State::header : State::hunting;
  // The candidate's bytes after that flag go in front of what is left of the
  // carry. Both come from one rejected header of at most kMaxHeaderSize bytes
  // (a carry is fed before any new input), so they fit.
  std::uint8_t next[kMaxHeaderSize];
  std::size_t n = 0;
  for (std::size_t k = flag + 1; k < len_; ++k) next[n++] = buf_[k];
  for (std::size_t k = carry_at_; k < carry_size_; ++k) next[n++] = carry_[k];
  copy_bytes(carry_, next, n);
  carry_at_ = 0;
  carry_size_ = n;
  len_ = 0;
}

}  // namespace metergen::hdlc
