// The client (primary station) side of an IEC 62056-46 HDLC link for host tools (`metergen read`) and tests. Non-blocking: the caller moves bytes
// between the link and a port (TCP socket, pty) and owns every timeout — after
// one it may call retransmit() or give up.
//
//   connect(proposal) → SNRM; receive(…) returns `connected` on UA
//   send(apdu)        → I-frame(s) with LLC E6 E6 00, segmented to the negotiated
//                       length (next segment on the server's RR); receive(…)
//                       takes reply segments in windows (negotiated up to the
//                       proposal's window-receive), answers the frame that
//                       polls (P/F set) with RR N(R) — N(R) the next frame it
//                       expects, so a frame lost in a window is sent again —
//                       and returns `reply`
//   disconnect()      → DISC; receive(…) returns `disconnected` on UA or DM
//
// Owns: client link state and buffers (template parameters, no heap).
// Calls: frame.hpp, parameters.hpp, receiver.hpp and the FrameSink.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/hdlc/frame.hpp>
#include <metergen/hdlc/parameters.hpp>
#include <metergen/hdlc/receiver.hpp>
#include <metergen/hdlc/sink.hpp>

namespace metergen::hdlc {

enum class ClientEvent : std::uint8_t {
  none,          // nothing completed yet
  connected,     // UA to SNRM; parameters() negotiated
  reply,         // reply() holds one complete reply APDU
  disconnected,  // UA or DM to DISC
  refused,       // DM or FRMR from the server while connecting or exchanging
  error,         // malformed UA parameters, reply without LLC or larger than the buffer
};

class ClientLinkCore {
 public:
  ClientLinkCore(const ClientLinkCore&) = delete;
  ClientLinkCore& operator=(const ClientLinkCore&) = delete;

  // Sends SNRM proposing `proposal` (client's view; its lengths are capped to the
  // buffers). Resets the sequence numbers.
  void connect(const LinkParameters& proposal);
  // Sends one APDU; false (nothing sent) when not connected, an exchange is in
  // progress or the APDU is larger than the buffer.
  bool send(const std::uint8_t* apdu, std::size_t size);
  // Sends DISC.
  void disconnect();
  // Sends the last frame again (after the caller's timeout).
  void retransmit();

  // Consumes received bytes; answers RR polls itself and returns the last event.
  ClientEvent receive(const std::uint8_t* data, std::size_t size);

  bool connected() const { return state_ != State::idle && state_ != State::connecting; }
  // Negotiated parameters (client's view), valid after `connected`.
  const LinkParameters& parameters() const { return params_; }
  // The reply APDU (LLC removed), valid after `reply` until the next send; empty
  // when the server acknowledged the request with RR instead of a reply.
  ByteReader reply() const {
    return reply_size_ > kLlcSize ? ByteReader(buf_.reply + kLlcSize, reply_size_ - kLlcSize) : ByteReader();
  }

 protected:
  struct Buffers {
    std::uint8_t* rx_frame;
    std::uint8_t* tx_frame;
    std::size_t frame_capacity;  // of each frame buffer
    std::uint8_t* request;       // LLC included
    std::uint8_t* reply;         // LLC included
    std::size_t apdu_capacity;   // of request and of reply
    std::uint16_t max_info;
  };
  ClientLinkCore(Address server, std::uint8_t client_sap, const Buffers& buffers, FrameSink& sink);
  ~ClientLinkCore() = default;

 private:
  enum class State : std::uint8_t { idle, connecting, ready, sending, receiving, disconnecting };
  ClientEvent handle(const Frame& f);
  ClientEvent handle_information(const Frame& f);
  void send_segment();
  void send_frame(std::uint8_t control, const std::uint8_t* info, std::size_t info_size, bool segmented);

  Address server_;
  Address client_;
  Buffers buf_;
  FrameSink& sink_;
  FrameReceiver receiver_;
  LinkParameters proposal_;
  LinkParameters params_;
  State state_ = State::idle;
  std::size_t tx_size_ = 0;       // bytes of the last frame sent, in tx_frame
  std::size_t request_size_ = 0;
  std::size_t request_sent_ = 0;
  std::size_t reply_size_ = 0;  // LLC included
  bool reply_overflow_ = false;
  std::uint8_t send_seq_ = 0;
  std::uint8_t receive_seq_ = 0;
};

// A client link with its buffers: MaxInfo the largest info field it proposes,
// MaxApdu the largest APDU either way (LLC excluded).
template <std::size_t MaxInfo, std::size_t MaxApdu>
class ClientLink final : public ClientLinkCore {
  static_assert(MaxInfo >= 16 && MaxInfo + kMaxFrameOverhead - 2 <= kMaxFrameLength, "HDLC info length out of range");

 public:
  ClientLink(Address server, std::uint8_t client_sap, FrameSink& sink)
      : ClientLinkCore(server, client_sap,
                       {rx_, tx_, MaxInfo + kMaxFrameOverhead, request_, reply_, MaxApdu + kLlcSize, MaxInfo}, sink) {}

 private:
  std::uint8_t rx_[MaxInfo + kMaxFrameOverhead];
  std::uint8_t tx_[MaxInfo + kMaxFrameOverhead];
  std::uint8_t request_[MaxApdu + kLlcSize];
  std::uint8_t reply_[MaxApdu + kLlcSize];
};

}  // namespace metergen::hdlc
