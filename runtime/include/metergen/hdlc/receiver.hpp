// Finds HDLC frames in a byte stream that arrives in arbitrary chunks.
//
// IEC 62056-46 frames are not byte-stuffed: 7E may occur inside a frame, so the
// end is found from the format field's length, and the byte after it must be a
// flag (which may also open the next frame). Garbage is skipped: a candidate
// whose header fails (type, address form, HCS) restarts at the next flag inside
// it; a candidate whose closing flag is missing is dropped and hunting resumes.
//
// Owns: flag hunting and frame buffering. Calls: frame.hpp (scan_header).
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hdlc/frame.hpp>

namespace metergen::hdlc {

class FrameReceiver {
 public:
  enum class Event : std::uint8_t {
    none,       // all bytes consumed, no frame complete
    frame,      // frame() holds a complete frame (between the flags, FCS not yet checked)
    oversized,  // a frame with a valid header is longer than the buffer; header() describes it
  };

  FrameReceiver(std::uint8_t* buffer, std::size_t capacity) : buf_(buffer), cap_(capacity) {}

  // Consumes bytes up to and including the one that completes an event, and
  // returns how many it consumed. frame()/header() stay valid until the next call.
  std::size_t feed(const std::uint8_t* p, std::size_t n, Event& event);

  const std::uint8_t* frame() const { return buf_; }
  std::size_t frame_size() const { return header_.length; }
  const FrameHeader& header() const { return header_; }
  // True while bytes of a frame not yet complete are held (flags between frames
  // and bytes skipped while hunting are none).
  bool partial() const { return len_ > 0; }
  // Drops any partial frame and hunts for a flag again.
  void reset() { state_ = State::hunting; len_ = 0; }

 private:
  enum class State : std::uint8_t { hunting, header, body, closing };
  Event push(std::uint8_t b);
  void restart_after_flag();

  std::uint8_t* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
  State state_ = State::hunting;
  FrameHeader header_;
};

}  // namespace metergen::hdlc
