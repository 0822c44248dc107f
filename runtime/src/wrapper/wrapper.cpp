// IEC 62056-47 wrapper: see wrapper.hpp.
#include <metergen/wrapper/wrapper.hpp>

namespace metergen::wrapper {

void encode_header(ByteWriter& w, const Header& h) {
  w.be16(h.version);
  w.be16(h.source);
  w.be16(h.destination);
  w.be16(h.length);
}

bool decode_header(ByteReader& r, Header& out) {
  if (r.remaining() < kHeaderSize) return false;
  out.version = r.be16();
  out.source = r.be16();
  out.destination = r.be16();
  out.length = r.be16();
  return true;
}

std::size_t Reassembler::feed(const std::uint8_t* p, std::size_t n, Event& event) {
  event = Event::none;
  if (failed_) {
    event = Event::error;
    return 0;
  }
  std::size_t used = 0;
  if (!have_header_) {
    while (used < n && len_ < kHeaderSize) head_[len_++] = p[used++];
    if (len_ < kHeaderSize) return used;
    ByteReader r(head_, kHeaderSize);
    decode_header(r, header_);
    if (header_.version != kVersion || header_.length > cap_) {
      failed_ = true;
      event = Event::error;
      return used;
    }
    have_header_ = true;
    len_ = 0;
  }
  const std::size_t missing = header_.length - len_;
  const std::size_t take = n - used < missing ? n - used : missing;
  copy_bytes(buf_ + len_, p + used, take);
  len_ += take;
  used += take;
  if (len_ == header_.length) {
    have_header_ = false;
    len_ = 0;
    event = Event::apdu;
  }
  return used;
}

bool ServerAdapterCore::receive(const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    Reassembler::Event event;
    const std::size_t used = reassembler_.feed(data, size, event);
    data += used;
    size -= used;
    if (event == Reassembler::Event::error) return false;
    if (event != Reassembler::Event::apdu) continue;
    const Header& request = reassembler_.header();
    if (request.destination != server_wport_) continue;
    ByteWriter out(reply_ + kHeaderSize, apdu_capacity_);
    if (!handler_.on_apdu(request.source, request.destination, reassembler_.apdu(), out) || out.overflow()) continue;
    Header reply;
    reply.source = request.destination;
    reply.destination = request.source;
    reply.length = static_cast<std::uint16_t>(out.size());
    ByteWriter head(reply_, kHeaderSize);
    encode_header(head, reply);
    sink_.send(reply_, kHeaderSize + out.size());
  }
  return true;
}

void ServerAdapterCore::reset() {
  reassembler_.reset();
  handler_.on_link_reset();
}

}  // namespace metergen::wrapper
