// The server (secondary station) side of an IEC 62056-46 HDLC link in normal
// response mode, for one meter address, with windows of up to 7 frames.
//
// Fed with received bytes in any chunking; answers through a FrameSink:
//  - frames with a bad HCS/FCS, a non-type-A format, a multi-byte client address
//    or another server address are dropped silently; UI frames are ignored;
//  - SNRM → UA with the parameters negotiated against the link's limits (its IEC
//    HDLC setup object), sequence numbers reset (also when already connected); DISC → UA when connected, DM when not; I, RR and RNR frames
//    while disconnected (or from another client) → DM; RNR when connected is
//    accepted without an answer;
//  - I-frames: N(S)/N(R) checked modulo 8; a repeated I-frame (our reply was lost)
//    resends our last answer instead of executing the request again; with a
//    receive window above 1 an I-frame out of sequence is dropped (answered with
//    RR N(R) when it polls) so that the client sends again from N(R); other
//    sequence errors, invalid control fields, malformed SNRM parameters and
//    frames longer than the buffer → FRMR (no info);
//  - requests must start with LLC E6 E6 00 (else acknowledged with RR, not
//    executed); replies get E6 E7 00; client segments (S bit) are reassembled and
//    each non-final one that polls is answered with RR; a reply longer than the
//    negotiated max info length goes out as segments (format A8…, last A0…), a
//    window of them per RR poll, P/F set on the window's last frame; an RR
//    acknowledging part of a window (go-back-N) sends again from its N(R);
//  - a request or reply that does not fit the APDU buffer is answered with RR only;
//  - with the IEC HDLC setup object's timeouts (poll()): a frame whose octets stop
//    for longer than the inter-octet timeout is dropped, and a link that receives
//    no frame for the inactivity timeout is disconnected without an answer.
// Complete APDUs go to dlms::ApduHandler::on_apdu; SNRM, DISC and the inactivity
// timeout call on_link_reset.
//
// Owns: link state and its buffers (sized by template parameters, no heap).
// Calls: frame.hpp, parameters.hpp, receiver.hpp, the ApduHandler and the FrameSink.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/dlms_types/apdu_handler.hpp>
#include <metergen/hdlc/frame.hpp>
#include <metergen/hdlc/parameters.hpp>
#include <metergen/hdlc/receiver.hpp>
#include <metergen/hdlc/sink.hpp>

namespace metergen::hdlc {

// The meter's own address. Requests may use any form: 1 byte (logical only), 2 or
// 4 bytes (logical and physical); replies use the form of the request.
struct ServerAddress {
  std::uint16_t logical = 1;
  std::uint16_t physical = 0;
};
// The address the targets answer unless told otherwise.
inline constexpr ServerAddress kDefaultServerAddress{1, 17};

class ServerLinkCore {
 public:
  ServerLinkCore(const ServerLinkCore&) = delete;
  ServerLinkCore& operator=(const ServerLinkCore&) = delete;

  // Consumes received bytes; sends every answer they call for before returning.
  void receive(const std::uint8_t* data, std::size_t size);
  bool connected() const { return connected_; }
  // True while part of a frame has arrived and its rest has not.
  bool partial() const { return receiver_.partial(); }
  // Parameters in force (server's view); defaults before the first SNRM.
  const LinkParameters& parameters() const { return params_; }

  enum class Expiry : std::uint8_t { none, frame_dropped, disconnected };
  // Applies the timeouts at now_ms (a millisecond clock; differences are taken
  // modulo 2^32). Call it once every received byte has gone to receive(), and
  // every few milliseconds while none arrive: bytes received since the previous
  // call count as heard at now_ms, so a receiver that fell behind never sees a
  // gap the line did not have. After more than the inter-octet timeout without
  // an octet a partial frame is dropped; after the inactivity timeout without a
  // frame for this server a connected link returns to the disconnected state (the
  // association released through on_link_reset), as after a DISC, but silently.
  Expiry poll(std::uint32_t now_ms);

 protected:
  struct Buffers {
    std::uint8_t* frame;  // one received or sent frame
    std::size_t frame_capacity;
    std::uint8_t* request;  // reassembled request, LLC included
    std::uint8_t* reply;    // reply kept for segmenting and resending, LLC included
    std::size_t apdu_capacity;  // of request and of reply
  };
  // `limits`: the most the server sends and accepts (its own view); lengths are
  // capped to what the frame buffer holds, windows to 1..7. `timeouts`: what
  // poll() applies.
  ServerLinkCore(ServerAddress address, const Buffers& buffers, const LinkParameters& limits,
                 const LinkTimeouts& timeouts, dlms::ApduHandler& handler, FrameSink& sink);
  ~ServerLinkCore() = default;

 private:
  void handle(const Frame& f);
  void handle_snrm(const Frame& f);
  void handle_information(const Frame& f);
  void handle_receive_ready(const Frame& f);
  void execute_request();
  // Sends the reply's next window of I-frames from reply_sent_ and remembers it.
  void send_window();
  // Sends the remembered window again from its k-th frame.
  void resend_window_from(std::uint8_t k);
  // Sends RR N(R) and remembers it as the last answer.
  void send_receive_ready();
  void send_last_answer();
  void send_control(std::uint8_t control) { send_frame(control, nullptr, 0, false); }
  void send_frame(std::uint8_t control, const std::uint8_t* info, std::size_t info_size, bool segmented);
  bool for_this_server(const Address& destination) const;
  void reset_state();

  ServerAddress address_;
  Buffers buf_;
  LinkParameters limits_;
  LinkTimeouts timeouts_;
  dlms::ApduHandler& handler_;
  FrameSink& sink_;
  FrameReceiver receiver_;
  LinkParameters params_;
  std::uint16_t client_sap_ = 0;  // of the connection
  Address reply_to_;              // the client of the frame being answered
  Address reply_from_;            // our address in the form that client used
  std::size_t request_size_ = 0;
  std::size_t reply_size_ = 0;
  std::size_t reply_sent_ = 0;  // reply bytes already sent
  // The last answer, for resending when the client repeats its poll: an RR, or
  // window_frames_ I-frames of the reply from window_offset_ with N(S) from window_seq_.
  bool have_last_ = false;
  bool last_is_window_ = false;
  std::uint8_t window_seq_ = 0;
  std::uint8_t window_frames_ = 0;
  std::size_t window_offset_ = 0;
  bool connected_ = false;
  bool request_overflow_ = false;
  std::uint8_t send_seq_ = 0;     // V(S)
  std::uint8_t receive_seq_ = 0;  // V(R)
  // What poll() measures from: whether an octet, and a frame for this server,
  // arrived since the previous poll, and the poll times that last saw one.
  bool heard_octet_ = false;
  bool heard_frame_ = false;
  std::uint32_t last_octet_ms_ = 0;
  std::uint32_t last_frame_ms_ = 0;
};

// A server link with its APDU buffers (MaxApdu the largest APDU either way, LLC
// excluded) on a frame buffer the caller owns (a firmware image's is sized from
// its model's IEC HDLC setup objects).
template <std::size_t MaxApdu>
class ApduServerLink : public ServerLinkCore {
  static_assert(MaxApdu >= 16, "APDU buffer too small");

 public:
  ApduServerLink(ServerAddress address, std::uint8_t* frame, std::size_t frame_capacity, const LinkParameters& limits,
                 const LinkTimeouts& timeouts, dlms::ApduHandler& handler, FrameSink& sink)
      : ServerLinkCore(address, {frame, frame_capacity, request_, reply_, MaxApdu + kLlcSize}, limits, timeouts,
                       handler, sink) {}

 private:
  std::uint8_t request_[MaxApdu + kLlcSize];
  std::uint8_t reply_[MaxApdu + kLlcSize];
};

// A server link with all its buffers: MaxInfo is the largest info field in
// either direction (a lean meter: 128); by default it offers MaxInfo each way,
// window 1, and no timeouts.
template <std::size_t MaxInfo, std::size_t MaxApdu>
class ServerLink final : public ApduServerLink<MaxApdu> {
  static_assert(MaxInfo >= 16 && MaxInfo + kMaxFrameOverhead - 2 <= kMaxFrameLength, "HDLC info length out of range");
  static constexpr LinkParameters kLimits{MaxInfo, MaxInfo, kDefaultWindow, kDefaultWindow};

 public:
  ServerLink(ServerAddress address, dlms::ApduHandler& handler, FrameSink& sink,
             const LinkParameters& limits = kLimits, const LinkTimeouts& timeouts = {})
      : ApduServerLink<MaxApdu>(address, frame_, sizeof frame_, limits, timeouts, handler, sink) {}

 private:
  std::uint8_t frame_[MaxInfo + kMaxFrameOverhead];
};

}  // namespace metergen::hdlc
