// Client side of the HDLC link: see client_link.hpp.
#include <metergen/hdlc/client_link.hpp>

namespace metergen::hdlc {
namespace {

constexpr std::uint8_t next(std::uint8_t seq) { return static_cast<std::uint8_t>((seq + 1) & 7); }
constexpr std::uint16_t min16(std::uint16_t a, std::uint16_t b) { return a < b ? a : b; }
constexpr std::size_t kParametersMaxSize = 3 + 4 * 6;

}  // namespace

ClientLinkCore::ClientLinkCore(Address server, std::uint8_t client_sap, const Buffers& buffers, FrameSink& sink)
    : server_(server), buf_(buffers), sink_(sink), receiver_(buffers.rx_frame, buffers.frame_capacity) {
  client_.logical = client_sap;
}

void ClientLinkCore::connect(const LinkParameters& proposal) {
  proposal_ = proposal;
  proposal_.max_info_transmit = min16(proposal.max_info_transmit, buf_.max_info);
  proposal_.max_info_receive = min16(proposal.max_info_receive, buf_.max_info);
  if (proposal_.window_receive > kMaxWindow) proposal_.window_receive = kMaxWindow;
  state_ = State::connecting;
  send_seq_ = 0;
  receive_seq_ = 0;
  receiver_.reset();
  std::uint8_t info[kParametersMaxSize];
  ByteWriter w(info, sizeof info);
  encode_parameters(w, proposal_);
  send_frame(kControlSnrm, info, w.size(), false);
}

bool ClientLinkCore::send(const std::uint8_t* apdu, std::size_t size) {
  if (state_ != State::ready || size > buf_.apdu_capacity - kLlcSize) return false;
  copy_bytes(buf_.request, kLlcRequest, kLlcSize);
  copy_bytes(buf_.request + kLlcSize, apdu, size);
  request_size_ = size + kLlcSize;
  request_sent_ = 0;
  reply_size_ = 0;
  reply_overflow_ = false;
  state_ = State::sending;
  send_segment();
  return true;
}

void ClientLinkCore::disconnect() {
  state_ = State::disconnecting;
  send_frame(kControlDisc, nullptr, 0, false);
}

void ClientLinkCore::retransmit() {
  if (tx_size_ != 0) sink_.send(buf_.tx_frame, tx_size_);
}

ClientEvent ClientLinkCore::receive(const std::uint8_t* data, std::size_t size) {
  ClientEvent last = ClientEvent::none;
  while (size > 0) {
    FrameReceiver::Event event;
    const std::size_t used = receiver_.feed(data, size, event);
    data += used;
    size -= used;
    const Frame& f = receiver_.frame();
    if (event == FrameReceiver::Event::oversized) {
      last = ClientEvent::error;
    } else if (event == FrameReceiver::Event::frame && f.destination.size == 1 && f.destination.logical == client_.logical &&
               f.source.logical == server_.logical) {
      const ClientEvent e = handle(f);
      if (e != ClientEvent::none) last = e;
    }
  }
  return last;
}

ClientEvent ClientLinkCore::handle(const Frame& f) {
  const FrameKind kind = kind_of(f.control);
  if (kind == FrameKind::dm || kind == FrameKind::frmr) {
    const bool closing = state_ == State::disconnecting;
    state_ = kind == FrameKind::dm ? State::idle : State::ready;
    return closing ? ClientEvent::disconnected : ClientEvent::refused;
  }
  switch (state_) {
    case State::connecting: {
      LinkParameters server;  // the server's own view
      if (kind != FrameKind::ua) return ClientEvent::none;
      if (!parse_parameters(ByteReader(f.info, f.info_size), server)) return ClientEvent::error;
      params_ = negotiate(proposal_, server);
      state_ = State::ready;
      return ClientEvent::connected;
    }
    case State::disconnecting:
      if (kind != FrameKind::ua) return ClientEvent::none;
      state_ = State::idle;
      return ClientEvent::disconnected;
    case State::sending:
      if (kind == FrameKind::rr && receive_sequence(f.control) == send_seq_) send_segment();
      return ClientEvent::none;
    case State::receiving:
      if (kind == FrameKind::i) return handle_information(f);
      if (kind != FrameKind::rr) return ClientEvent::none;
      state_ = State::ready;  // acknowledged without a reply
      return ClientEvent::reply;
    default:
      return ClientEvent::none;
  }
}

ClientEvent ClientLinkCore::handle_information(const Frame& f) {
  const bool poll = (f.control & kPollFinal) != 0;
  if (send_sequence(f.control) != receive_seq_) {  // one before it was lost: ask again from N(R)
    if (poll) send_frame(control_rr(receive_seq_), nullptr, 0, false);
    return ClientEvent::none;
  }
  receive_seq_ = next(receive_seq_);
  if (f.info_size > buf_.apdu_capacity - reply_size_) {
    reply_overflow_ = true;
  } else {
    copy_bytes(buf_.reply + reply_size_, f.info, f.info_size);
    reply_size_ += f.info_size;
  }
  if (f.segmented) {
    if (poll) send_frame(control_rr(receive_seq_), nullptr, 0, false);
    return ClientEvent::none;
  }
  state_ = State::ready;
  if (reply_overflow_ || reply_size_ < kLlcSize || !equal_bytes(buf_.reply, kLlcReply, kLlcSize)) {
    reply_size_ = 0;
    return ClientEvent::error;
  }
  return ClientEvent::reply;
}

void ClientLinkCore::send_segment() {
  const std::size_t rest = request_size_ - request_sent_;
  const std::size_t size = rest < params_.max_info_transmit ? rest : params_.max_info_transmit;
  const std::size_t offset = request_sent_;
  request_sent_ += size;
  const bool more = request_sent_ < request_size_;
  if (!more) state_ = State::receiving;
  const std::uint8_t control = control_i(send_seq_, receive_seq_);
  send_seq_ = next(send_seq_);
  send_frame(control, buf_.request + offset, size, more);
}

void ClientLinkCore::send_frame(std::uint8_t control, const std::uint8_t* info, std::size_t info_size,
                                bool segmented) {
  Frame f;
  f.destination = server_;
  f.source = client_;
  f.control = control;
  f.segmented = segmented;
  f.info = info;
  f.info_size = info_size;
  ByteWriter w(buf_.tx_frame, buf_.frame_capacity);
  tx_size_ = encode_frame(w, f) ? w.size() : 0;
  if (tx_size_ != 0) sink_.send(buf_.tx_frame, tx_size_);
}

}  // namespace metergen::hdlc
