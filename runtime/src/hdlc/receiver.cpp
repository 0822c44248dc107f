// Flag hunting and frame buffering: see receiver.hpp.
#include <metergen/hdlc/receiver.hpp>

namespace metergen::hdlc {

std::size_t FrameReceiver::feed(const std::uint8_t* p, std::size_t n, Event& event) {
  event = Event::none;
  for (std::size_t i = 0; i < n; ++i) {
    event = push(p[i]);
    if (event != Event::none) return i + 1;
  }
  return n;
}

FrameReceiver::Event FrameReceiver::push(std::uint8_t b) {
  switch (state_) {
    case State::hunting:
      if (b == kFlag) {
        state_ = State::header;
        len_ = 0;
      }
      return Event::none;
    case State::closing:
      // This flag may also open the next frame.
      state_ = b == kFlag ? State::header : State::hunting;
      len_ = 0;
      return b == kFlag ? Event::frame : Event::none;
    case State::body:
      buf_[len_++] = b;
      if (len_ == header_.length) state_ = State::closing;
      return Event::none;
    case State::header:
      break;
  }
  if (len_ == 0 && b == kFlag) return Event::none;  // flags between frames
  buf_[len_++] = b;
  // Each rejected candidate drops at least its first byte, so this ends.
  for (;;) {
    switch (scan_header(buf_, len_, header_)) {
      case HeaderStatus::incomplete:
        return Event::none;
      case HeaderStatus::valid:
        if (header_.length > cap_) {
          state_ = State::hunting;
          return Event::oversized;
        }
        state_ = header_.length == len_ ? State::closing : State::body;
        return Event::none;
      case HeaderStatus::invalid:
        restart_after_flag();
        if (state_ == State::hunting) return Event::none;
        break;
    }
  }
}

void FrameReceiver::restart_after_flag() {
  std::size_t at = 0;
  while (at < len_ && buf_[at] != kFlag) ++at;
  if (at == len_) {
    state_ = State::hunting;
    len_ = 0;
    return;
  }
  const std::size_t rest = len_ - at - 1;
  for (std::size_t k = 0; k < rest; ++k) buf_[k] = buf_[at + 1 + k];
  len_ = rest;
}

}  // namespace metergen::hdlc
