// Long read-outs in one process, shared by the long read-out test and bench:
// fills periodic profiles as the clock crosses their boundaries, and reads an
// attribute over HDLC with the runtime's ServerLink in front of a
// dlms::Connection and its ClientLink joined back to back, counting the bytes
// and frames each way. A client without authentication (the public client,
// SAP 16, unless told otherwise) associates, GETs the attribute (following GET-Response-With-Datablock with GET-Request-Next until
// the last block) and disconnects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <metergen/dlms/server.hpp>
#include <metergen/hdlc/client_link.hpp>
#include <metergen/hdlc/server_link.hpp>

#include "memory_hal.hpp"

namespace metergen::test {

// Boots the meter at `t0_ms` and moves its clock `periods` times by `period_ms`,
// ticking the profiles at each step: a periodic profile of that period, its
// period starting at t0, captures `periods` entries.
inline void capture_periods(dlms::Meter& meter, MemoryHal& hal, std::uint64_t t0_ms, std::uint64_t period_ms,
                            std::uint32_t periods) {
  hal.now_ms = t0_ms;
  meter.boot();
  meter.profiles().tick(t0_ms);  // the first tick only notes the period
  for (std::uint32_t k = 1; k <= periods; ++k) {
    hal.now_ms = t0_ms + k * period_ms;
    meter.profiles().tick(hal.now_ms);
  }
}

struct LinkCount {
  std::uint64_t bytes = 0;
  std::uint64_t frames = 0;
  std::uint64_t turns = 0;  // frames with P/F set: after each the other side speaks
};

struct Readout {
  bool ok = false;
  LinkCount to_server, to_client;
  std::uint32_t blocks = 0;             // GET blocks (0: a normal reply)
  std::vector<std::uint8_t> data;       // the attribute's Data, A-XDR
};

// The seconds a read-out takes on a half-duplex line of `bytes_per_s` with
// `turnaround_s` lost each time the line changes direction.
inline double line_seconds(const Readout& r, double bytes_per_s, double turnaround_s) {
  return static_cast<double>(r.to_server.bytes + r.to_client.bytes) / bytes_per_s +
         static_cast<double>(r.to_server.turns + r.to_client.turns) * turnaround_s;
}

class HdlcReadout {
 public:
  // `server_limits`: the server's IEC HDLC setup (its own view); the client
  // proposes `client_proposal` (its own view).
  HdlcReadout(dlms::Meter& meter, const hdlc::LinkParameters& server_limits,
              const hdlc::LinkParameters& client_proposal, std::uint8_t client_sap = 16)
      : connection_(meter), proposal_(client_proposal) {
    to_server_.peer = this;
    to_client_.peer = this;
    server_ = std::make_unique<Server>(hdlc::kDefaultServerAddress, connection_, to_client_, server_limits);
    client_ = std::make_unique<Client>(hdlc::Address{1, 17, 2}, client_sap, to_server_);
  }

  // Reads attribute `attribute` of object `class_id`/`ln`.
  Readout read(std::uint16_t class_id, const std::uint8_t (&ln)[6], std::uint8_t attribute) {
    Readout r;
    client_->connect(proposal_);
    if (run() != hdlc::ClientEvent::connected) return r;
    // AARQ: LN referencing, no authentication, conformance 00 1E 1D (get, set,
    // selective access, action, block transfer with get), client max PDU 0xFFFF.
    static constexpr std::uint8_t kAarq[] = {0x60, 0x1D, 0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08,
                                             0x01, 0x01, 0xBE, 0x10, 0x04, 0x0E, 0x01, 0x00, 0x00, 0x00, 0x06,
                                             0x5F, 0x1F, 0x04, 0x00, 0x00, 0x1E, 0x1D, 0xFF, 0xFF};
    if (!exchange(kAarq, sizeof kAarq)) return r;
    const std::uint8_t get[] = {0xC0, 0x01, 0xC1, static_cast<std::uint8_t>(class_id >> 8),
                                static_cast<std::uint8_t>(class_id), ln[0], ln[1], ln[2], ln[3], ln[4], ln[5],
                                attribute, 0x00};
    if (!exchange(get, sizeof get)) return r;
    r.ok = take_reply(r);
    client_->disconnect();
    r.ok = r.ok && run() == hdlc::ClientEvent::disconnected;
    r.to_server = to_server_.count;
    r.to_client = to_client_.count;
    return r;
  }

 private:
  using Server = hdlc::ServerLink<hdlc::kMaxInfoLimit, dlms::kMaxPdu>;
  using Client = hdlc::ClientLink<hdlc::kMaxInfoLimit, dlms::kMaxPdu>;

  // Counts each frame and queues it for the other side.
  struct Counter final : hdlc::FrameSink {
    HdlcReadout* peer = nullptr;
    LinkCount count;
    std::vector<std::vector<std::uint8_t>> queue;
    void send(const std::uint8_t* data, std::size_t size) override {
      count.bytes += size;
      ++count.frames;
      hdlc::Frame f;
      if (size >= 2 && hdlc::decode_frame(data + 1, size - 2, f) && (f.control & hdlc::kPollFinal) != 0)
        ++count.turns;
      queue.emplace_back(data, data + size);
    }
  };

  // Delivers queued frames both ways until the client reports an event.
  hdlc::ClientEvent run() {
    for (int round = 0; round < 1000; ++round) {
      if (to_server_.queue.empty() && to_client_.queue.empty()) break;
      std::vector<std::vector<std::uint8_t>> frames;
      frames.swap(to_server_.queue);
      for (const auto& f : frames) server_->receive(f.data(), f.size());
      frames.clear();
      frames.swap(to_client_.queue);
      for (const auto& f : frames) {
        const hdlc::ClientEvent e = client_->receive(f.data(), f.size());
        if (e != hdlc::ClientEvent::none) return e;
      }
    }
    return hdlc::ClientEvent::none;
  }

  bool exchange(const std::uint8_t* apdu, std::size_t size) {
    return client_->send(apdu, size) && run() == hdlc::ClientEvent::reply;
  }

  // GET-Response-Normal (C4 01 iid 00 Data) or a chain of GET-Response-With-
  // Datablock (C4 02 iid last block(4) 00 raw-data), asking for each next block
  // with GET-Request-Next (C0 02 iid block(4)).
  bool take_reply(Readout& r) {
    for (;;) {
      ByteReader reply = client_->reply();
      const std::uint8_t tag = reply.u8(), type = reply.u8();
      reply.u8();  // invoke-id
      if (tag != 0xC4) return false;
      if (type == 0x01) {
        if (reply.u8() != 0x00) return false;
        append(r, reply);
        return !reply.error();
      }
      const bool last = reply.u8() != 0;
      const std::uint32_t block = reply.be32();
      if (type != 0x02 || reply.u8() != 0x00 || block != r.blocks + 1) return false;
      std::uint32_t n = reply.u8();
      if (n == 0x81) n = reply.u8();
      else if (n == 0x82) n = reply.be16();
      if (reply.error() || n != reply.remaining()) return false;
      append(r, reply);
      r.blocks = block;
      if (last) return true;
      const std::uint8_t next[] = {0xC0, 0x02, 0xC1, static_cast<std::uint8_t>(block >> 24),
                                   static_cast<std::uint8_t>(block >> 16), static_cast<std::uint8_t>(block >> 8),
                                   static_cast<std::uint8_t>(block)};
      if (!exchange(next, sizeof next)) return false;
    }
  }

  static void append(Readout& r, ByteReader& rest) {
    const std::uint8_t* p = rest.current();
    r.data.insert(r.data.end(), p, p + rest.remaining());
  }

  dlms::Connection connection_;
  hdlc::LinkParameters proposal_;
  Counter to_server_, to_client_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace metergen::test
