// Finds HDLC frames in a byte stream that arrives in arbitrary chunks.
//
// IEC 62056-46 frames are not byte-stuffed: 7E may occur inside a frame, so the
// end is found from the format field's length, and the byte after it must be a
// flag (which may also open the next frame). Garbage is skipped: a candidate
// whose header fails (type, length, address form, HCS) restarts at the next flag
// inside it; a candidate whose closing flag is missing is dropped and hunting
// resumes; a complete frame with a bad FCS is dropped.
//
// Each frame's bytes are handled once: the header is checked as soon as it has
// arrived (one scan_header call when it comes in one piece), and the rest is
// copied into the buffer in blocks with the FCS computed in the same pass.
//
// Owns: flag hunting, frame buffering, the HCS and FCS checks. Calls: frame.hpp
// (scan_header) and crc16.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hdlc/frame.hpp>

namespace metergen::hdlc {

class FrameReceiver {
 public:
  enum class Event : std::uint8_t {
    none,       // all bytes consumed, no frame complete
    frame,      // frame() is a complete frame, HCS and FCS checked; its info lies in the buffer
    oversized,  // a frame with a valid header is longer than the buffer; header() describes it
  };

  // capacity: at least kMaxHeaderSize (a header is buffered before its length is checked).
  FrameReceiver(std::uint8_t* buffer, std::size_t capacity)
      : buf_(buffer), cap_(capacity), carry_(static_cast<std::uint16_t>(capacity)) {}

  // Consumes bytes up to and including the one that completes an event, and
  // returns how many it consumed (possibly none, when the event comes from bytes
  // a rejected header left over). frame()/header() stay valid until the next call.
  std::size_t feed(const std::uint8_t* p, std::size_t n, Event& event);

  const Frame& frame() const { return header_.frame; }
  const FrameHeader& header() const { return header_; }
  // True while bytes of a frame not yet complete are held (flags between frames
  // and bytes skipped while hunting are none).
  bool partial() const { return len_ > 0 || carry_ < cap_; }
  // Drops any partial frame and hunts for a flag again.
  void reset() {
    state_ = State::hunting;
    len_ = 0;
    carry_ = static_cast<std::uint16_t>(cap_);
  }

 private:
  enum class State : std::uint8_t { hunting, header, body, closing };
  enum class Step : std::uint8_t { more, event, rejected };
  Step run(const std::uint8_t*& at, const std::uint8_t* end, Event& event);
  Step take_header(const std::uint8_t*& at, const std::uint8_t* end, Event& event);
  void restart_after_flag();

  std::uint8_t* buf_;
  std::size_t cap_;  // below 64K: positions are kept in 16 bits
  std::uint16_t len_ = 0;
  // Bytes after the first flag inside a rejected header wait at buf_[carry_, cap_)
  // and are fed again before any new input. They are fewer than kMaxHeaderSize, and
  // the frame they start is written from buf_[0], one byte per byte read, so it
  // never reaches them.
  std::uint16_t carry_;
  State state_ = State::hunting;
  std::uint16_t crc_ = 0;  // FCS register over buf_[0, len_) once the header is valid
  FrameHeader header_;
};

}  // namespace metergen::hdlc
