// Where a transport (HDLC link, TCP wrapper) writes the bytes it sends: a
// serial port, a socket, a test buffer. One call per complete frame.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::hdlc {

class FrameSink {
 public:
  virtual void send(const std::uint8_t* data, std::size_t size) = 0;

 protected:
  ~FrameSink() = default;
};

}  // namespace metergen::hdlc
