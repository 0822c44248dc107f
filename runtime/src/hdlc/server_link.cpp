// Server side of the HDLC link: see server_link.hpp.
#include <metergen/hdlc/server_link.hpp>

namespace metergen::hdlc {
namespace {

constexpr std::uint8_t previous(std::uint8_t seq) { return static_cast<std::uint8_t>((seq - 1) & 7); }
constexpr std::uint8_t next(std::uint8_t seq) { return static_cast<std::uint8_t>((seq + 1) & 7); }
// 81 80 LL and four parameters of at most 6 bytes each.
constexpr std::size_t kParametersMaxSize = 3 + 4 * 6;

std::uint16_t cap_info(std::uint16_t v, std::size_t frame_capacity) {
  const std::size_t room = frame_capacity - kMaxFrameOverhead;
  return v < room ? v : static_cast<std::uint16_t>(room);
}
std::uint32_t cap_window(std::uint32_t v) { return v < 1 ? 1 : v > kMaxWindow ? kMaxWindow : v; }

LinkParameters capped(const LinkParameters& limits, std::size_t frame_capacity) {
  return {cap_info(limits.max_info_transmit, frame_capacity), cap_info(limits.max_info_receive, frame_capacity),
          cap_window(limits.window_transmit), cap_window(limits.window_receive)};
}

}  // namespace

ServerLinkCore::ServerLinkCore(ServerAddress address, const Buffers& buffers, const LinkParameters& limits,
                               const LinkTimeouts& timeouts, dlms::ApduHandler& handler, FrameSink& sink)
    : address_(address), buf_(buffers), limits_(capped(limits, buffers.frame_capacity)), timeouts_(timeouts),
      handler_(handler), sink_(sink), receiver_(buffers.frame, buffers.frame_capacity) {}

ServerLinkCore::Expiry ServerLinkCore::poll(std::uint32_t now_ms) {
  if (heard_octet_) last_octet_ms_ = now_ms;
  if (heard_frame_) last_frame_ms_ = now_ms;
  heard_octet_ = heard_frame_ = false;
  if (connected_ && timeouts_.inactivity_s != 0 &&
      now_ms - last_frame_ms_ >= static_cast<std::uint32_t>(timeouts_.inactivity_s) * 1000u) {
    receiver_.reset();
    reset_state();
    handler_.on_link_reset();
    return Expiry::disconnected;
  }
  if (receiver_.partial() && timeouts_.inter_octet_ms != 0 && now_ms - last_octet_ms_ > timeouts_.inter_octet_ms) {
    receiver_.reset();
    return Expiry::frame_dropped;
  }
  return Expiry::none;
}

void ServerLinkCore::receive(const std::uint8_t* data, std::size_t size) {
  if (size > 0) heard_octet_ = true;
  while (size > 0) {
    FrameReceiver::Event event;
    const std::size_t used = receiver_.feed(data, size, event);
    data += used;
    size -= used;
    if (event == FrameReceiver::Event::frame) {
      handle(receiver_.frame());
    } else if (event == FrameReceiver::Event::oversized) {
      const Frame& h = receiver_.header().frame;
      if (for_this_server(h.destination) && h.source.size == 1) {
        reply_to_ = h.source;
        reply_from_ = h.destination;
        send_control(kControlFrmr);
      }
    }
  }
}

bool ServerLinkCore::for_this_server(const Address& destination) const {
  return destination.logical == address_.logical && (destination.size == 1 || destination.physical == address_.physical);
}

void ServerLinkCore::handle(const Frame& f) {
  if (!for_this_server(f.destination) || f.source.size != 1) return;
  heard_frame_ = true;
  const FrameKind kind = kind_of(f.control);
  if (kind == FrameKind::ui) return;
  reply_to_ = f.source;
  reply_from_ = f.destination;
  const bool from_client = connected_ && f.source.logical == client_sap_;
  if (kind != FrameKind::i && kind != FrameKind::snrm && (f.info_size != 0 || f.segmented)) {
    send_control(kControlFrmr);
    return;
  }
  switch (kind) {
    case FrameKind::snrm:
      handle_snrm(f);
      return;
    case FrameKind::disc:
      if (from_client) {
        reset_state();
        handler_.on_link_reset();
      }
      send_control(from_client ? kControlUa : kControlDm);
      return;
    case FrameKind::i:
    case FrameKind::rr:
    case FrameKind::rnr:
      if (!from_client) send_control(kControlDm);
      else if (kind == FrameKind::i) handle_information(f);
      else if (kind == FrameKind::rr) handle_receive_ready(f);
      return;
    default:  // UA, DM, FRMR are never sent to a server; invalid control fields
      send_control(kControlFrmr);
      return;
  }
}

void ServerLinkCore::handle_snrm(const Frame& f) {
  LinkParameters proposal;
  if (f.segmented || !parse_parameters(ByteReader(f.info, f.info_size), proposal)) {
    send_control(kControlFrmr);
    return;
  }
  reset_state();
  handler_.on_link_reset();
  params_ = negotiate(limits_, proposal);
  handler_.on_reply_frames(params_.max_info_transmit, kLlcSize);
  connected_ = true;
  client_sap_ = f.source.logical;
  std::uint8_t info[kParametersMaxSize];
  ByteWriter w(info, sizeof info);
  encode_parameters(w, params_);
  send_frame(kControlUa, info, w.size(), false);
}

void ServerLinkCore::reset_state() {
  connected_ = false;
  params_ = LinkParameters{};
  send_seq_ = 0;
  receive_seq_ = 0;
  request_size_ = 0;
  request_overflow_ = false;
  reply_size_ = 0;
  reply_sent_ = 0;
  have_last_ = false;
  last_is_window_ = false;
}

void ServerLinkCore::handle_information(const Frame& f) {
  const std::uint8_t ns = send_sequence(f.control);
  const bool poll = (f.control & kPollFinal) != 0;
  if (have_last_ && ns == previous(receive_seq_)) {  // our answer to it was lost
    send_last_answer();
    return;
  }
  if (ns != receive_seq_ && params_.window_receive > 1 && receive_sequence(f.control) == send_seq_) {
    if (poll) send_control(control_rr(receive_seq_));  // go back to N(R)
    return;
  }
  if (ns != receive_seq_ || receive_sequence(f.control) != send_seq_) {
    send_control(kControlFrmr);
    return;
  }
  receive_seq_ = next(receive_seq_);
  reply_size_ = 0;  // a new request ends any reply still being polled
  reply_sent_ = 0;
  if (f.info_size > buf_.apdu_capacity - request_size_) {
    request_overflow_ = true;
  } else {
    copy_bytes(buf_.request + request_size_, f.info, f.info_size);
    request_size_ += f.info_size;
  }
  if (f.segmented) {
    if (poll) send_receive_ready();  // more of the client's window follows otherwise
    return;
  }
  execute_request();
}

void ServerLinkCore::execute_request() {
  const bool valid =
      !request_overflow_ && request_size_ >= kLlcSize && equal_bytes(buf_.request, kLlcRequest, kLlcSize);
  std::size_t size = 0;
  if (valid) {
    ByteWriter out(buf_.reply + kLlcSize, buf_.apdu_capacity - kLlcSize);
    std::span<std::uint8_t> apdu(buf_.request + kLlcSize, request_size_ - kLlcSize);
    if (handler_.on_apdu(client_sap_, reply_from_.logical, apdu, out) && !out.overflow()) size = out.size();
  }
  request_size_ = 0;
  request_overflow_ = false;
  if (size == 0) {  // nothing to answer: acknowledge so the client's poll completes
    send_receive_ready();
    return;
  }
  copy_bytes(buf_.reply, kLlcReply, kLlcSize);
  reply_size_ = size + kLlcSize;
  send_window();
}

void ServerLinkCore::handle_receive_ready(const Frame& f) {
  const std::uint8_t nr = receive_sequence(f.control);
  if (have_last_ && last_is_window_) {
    // N(R) acknowledges the window's frames before it: all of them, or only some
    // (the client missed the rest).
    const auto acknowledged = static_cast<std::uint8_t>((nr - window_seq_) & 7);
    if (acknowledged == window_frames_) {
      if (reply_sent_ < reply_size_) send_window();
      else send_receive_ready();
    } else if (acknowledged < window_frames_) {
      resend_window_from(acknowledged);
    } else {
      send_control(kControlFrmr);
    }
  } else if (nr == send_seq_ || (have_last_ && nr == previous(send_seq_))) {
    send_receive_ready();
  } else {
    send_control(kControlFrmr);
  }
}

void ServerLinkCore::send_window() {
  window_seq_ = send_seq_;
  window_offset_ = reply_sent_;
  window_frames_ = 0;
  have_last_ = true;
  last_is_window_ = true;
  while (window_frames_ < params_.window_transmit && reply_sent_ < reply_size_) {
    const std::size_t rest = reply_size_ - reply_sent_;
    const std::size_t size = rest < params_.max_info_transmit ? rest : params_.max_info_transmit;
    const std::size_t offset = reply_sent_;
    reply_sent_ += size;
    ++window_frames_;
    const bool more = reply_sent_ < reply_size_;
    // P/F only on the frame after which the client answers: the window's last.
    const bool final = !more || window_frames_ == params_.window_transmit;
    std::uint8_t control = control_i(send_seq_, receive_seq_);
    if (!final) control = static_cast<std::uint8_t>(control & ~kPollFinal);
    send_seq_ = next(send_seq_);
    send_frame(control, buf_.reply + offset, size, more);
  }
}

void ServerLinkCore::resend_window_from(std::uint8_t k) {
  send_seq_ = static_cast<std::uint8_t>((window_seq_ + k) & 7);
  reply_sent_ = window_offset_ + static_cast<std::size_t>(k) * params_.max_info_transmit;
  send_window();
}

void ServerLinkCore::send_receive_ready() {
  have_last_ = true;
  last_is_window_ = false;
  send_control(control_rr(receive_seq_));
}

void ServerLinkCore::send_last_answer() {
  if (last_is_window_) resend_window_from(0);
  else send_control(control_rr(receive_seq_));
}

void ServerLinkCore::send_frame(std::uint8_t control, const std::uint8_t* info, std::size_t info_size,
                                bool segmented) {
  Frame f;
  f.destination = reply_to_;
  f.source = reply_from_;
  f.control = control;
  f.segmented = segmented;
  f.info = info;
  f.info_size = info_size;
  ByteWriter w(buf_.frame, buf_.frame_capacity);
  if (encode_frame(w, f)) sink_.send(buf_.frame, w.size());
}

}  // namespace metergen::hdlc
