// IEC 62056-47 TCP/UDP wrapper (dlms-protocol.md §4): every APDU is preceded by
//   version (0x0001) | source wPort | destination wPort | APDU length   (16 bits each, big-endian)
//
// Owns: that header, reassembly of APDUs from a TCP byte stream, and the server
// adapter between a connection and the application layer.
// Calls: bytes.hpp, dlms::ApduHandler, hdlc::FrameSink (the send interface).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <metergen/bytes.hpp>
#include <metergen/dlms_types/apdu_handler.hpp>
#include <metergen/hdlc/sink.hpp>

namespace metergen::wrapper {

inline constexpr std::size_t kHeaderSize = 8;
inline constexpr std::uint16_t kVersion = 1;

struct Header {
  std::uint16_t version = kVersion;
  std::uint16_t source = 0;       // sender's wPort (client SAP or server logical address)
  std::uint16_t destination = 0;  // receiver's wPort
  std::uint16_t length = 0;       // bytes of the APDU that follows
};

void encode_header(ByteWriter& w, const Header& h);
// Reads 8 bytes; false when fewer remain (the version is not checked here).
bool decode_header(ByteReader& r, Header& out);

// Accumulates stream bytes until one complete wrapper frame is present.
class Reassembler {
 public:
  enum class Event : std::uint8_t {
    none,   // all bytes consumed, frame incomplete
    apdu,   // header() and apdu() describe one complete frame
    error,  // version != 1 or APDU longer than the buffer: close the connection
  };

  Reassembler(std::uint8_t* buffer, std::size_t capacity) : buf_(buffer), cap_(capacity) {}

  // Consumes bytes up to the end of the first complete frame (or the bad header)
  // and returns how many. After `error` every call returns `error` until reset().
  std::size_t feed(const std::uint8_t* p, std::size_t n, Event& event);
  const Header& header() const { return header_; }
  std::span<std::uint8_t> apdu() const { return {buf_, header_.length}; }
  void reset() { have_header_ = false; failed_ = false; len_ = 0; }
  // True while part of a frame (header or APDU) has arrived and its rest has not.
  bool partial() const { return have_header_ || len_ > 0; }

 private:
  std::uint8_t* buf_;
  std::size_t cap_;
  std::size_t len_ = 0;
  std::uint8_t head_[kHeaderSize] = {};
  Header header_;
  bool have_header_ = false;
  bool failed_ = false;
};

// wPort of the management logical device, the one logical device a meter serves.
inline constexpr std::uint16_t kManagementLogicalDevice = 1;
// The TCP port registered for DLMS/COSEM (IANA 4059), the host meter's default.
inline constexpr std::uint16_t kDlmsPort = 4059;

// One server-side wrapper connection: hands each APDU addressed to the meter's
// logical device to the handler (client SAP = source wPort, server logical =
// destination wPort) and sends the reply with the wPorts swapped. An APDU for
// another destination wPort (another logical device, no-station 0, all-station
// 127) is dropped without a reply: it is not for this server.
class ServerAdapterCore {
 public:
  ServerAdapterCore(const ServerAdapterCore&) = delete;
  ServerAdapterCore& operator=(const ServerAdapterCore&) = delete;

  // Consumes received bytes; false when the connection must be closed (then
  // call reset() before reusing the adapter).
  bool receive(const std::uint8_t* data, std::size_t size);
  // The connection was opened or closed: drops partial input, calls on_link_reset.
  void reset();
  // True while part of a frame has arrived and its rest has not.
  bool partial() const { return reassembler_.partial(); }

 protected:
  ServerAdapterCore(std::uint8_t* request, std::uint8_t* reply, std::size_t apdu_capacity,
                    dlms::ApduHandler& handler, hdlc::FrameSink& sink,
                    std::uint16_t server_wport = kManagementLogicalDevice)
      : reassembler_(request, apdu_capacity), reply_(reply), apdu_capacity_(apdu_capacity), handler_(handler),
        sink_(sink), server_wport_(server_wport) {}
  ~ServerAdapterCore() = default;

 private:
  Reassembler reassembler_;
  std::uint8_t* reply_;  // kHeaderSize + apdu_capacity bytes
  std::size_t apdu_capacity_;
  dlms::ApduHandler& handler_;
  hdlc::FrameSink& sink_;
  std::uint16_t server_wport_;
};

// A server adapter with its buffers for APDUs of up to MaxApdu bytes each way.
template <std::size_t MaxApdu>
class ServerAdapter final : public ServerAdapterCore {
  static_assert(MaxApdu >= 16 && MaxApdu <= 0xFFFF, "wrapper APDU size out of range");

 public:
  ServerAdapter(dlms::ApduHandler& handler, hdlc::FrameSink& sink)
      : ServerAdapterCore(request_, reply_, MaxApdu, handler, sink) {}

 private:
  std::uint8_t request_[MaxApdu];
  std::uint8_t reply_[kHeaderSize + MaxApdu];
};

}  // namespace metergen::wrapper
