// Flag hunting and frame buffering: see receiver.hpp.
#include <metergen/hdlc/crc16.hpp>
#include <metergen/hdlc/receiver.hpp>

namespace metergen::hdlc {

std::size_t FrameReceiver::feed(const std::uint8_t* p, std::size_t n, Event& event) {
  event = Event::none;
  const std::uint8_t* at = p;
  for (;;) {
    const bool carried = carry_ < cap_;
    const std::uint8_t* const from = carried ? buf_ + carry_ : at;
    const std::uint8_t* next = from;
    const Step step = run(next, carried ? buf_ + cap_ : p + n, event);
    if (carried) carry_ = static_cast<std::uint16_t>(carry_ + (next - from));
    else at = next;
    if (step == Step::rejected) restart_after_flag();
    else if (step == Step::event || !carried) return static_cast<std::size_t>(at - p);
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
        len_ = static_cast<std::uint16_t>(len_ + k);
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
  // As many bytes as a header can take: scan_header decides with them.
  const std::size_t available = static_cast<std::size_t>(end - at);
  const std::size_t k = kMaxHeaderSize - len_ < available ? kMaxHeaderSize - len_ : available;
  copy_bytes(buf_ + len_, at, k);
  len_ = static_cast<std::uint16_t>(len_ + k);
  at += k;
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
  // A short frame may end before kMaxHeaderSize: the bytes after it are given
  // back. They all came with this call, as fewer bytes than the frame's length
  // left its header undecided.
  if (len_ > header_.length) {
    at -= len_ - header_.length;
    len_ = static_cast<std::uint16_t>(header_.length);
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
  // The candidate's bytes after that flag go in front of the carry. Copied from
  // the end: carry_ >= len_, so no byte is overwritten before it is read.
  for (std::size_t k = len_; k > flag + 1;) buf_[--carry_] = buf_[--k];
  len_ = 0;
}

}  // namespace metergen::hdlc
