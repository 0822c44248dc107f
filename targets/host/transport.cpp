// Transport adapters: the runtime's wrapper::ServerAdapter and hdlc::ServerLink,
// each with its own dlms::Connection, writing into the connection's send buffer.
#include "transport.hpp"

#include <metergen/hdlc/model_link.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/hdlc/sink.hpp>
#include <metergen/wrapper/wrapper.hpp>

namespace metergen::host {
namespace {

// Each HDLC connection has its own frame buffer, for the longest information
// field any model may set; the model's IEC HDLC setup object sets the limits
// the link negotiates with.
constexpr std::size_t kHdlcMaxInfo = hdlc::kMaxInfoLimit;

// Appends every frame the runtime sends to the buffer of the receive() in progress.
class BufferSink final : public hdlc::FrameSink {
 public:
  void send(const std::uint8_t* data, std::size_t size) override {
    if (out_ != nullptr) out_->insert(out_->end(), data, data + size);
  }
  void attach(std::vector<std::uint8_t>* out) { out_ = out; }

 private:
  std::vector<std::uint8_t>* out_ = nullptr;
};

class WrapperTransport final : public Transport {
 public:
  explicit WrapperTransport(dlms::Meter& meter) : connection_(meter), adapter_(connection_, sink_) { adapter_.reset(); }

  bool receive(const std::uint8_t* data, std::size_t n, std::vector<std::uint8_t>* out) override {
    sink_.attach(out);
    const bool ok = adapter_.receive(data, n);
    sink_.attach(nullptr);
    return ok;
  }
  bool partial() const override { return adapter_.partial(); }
  bool authenticated() const override { return connection_.authenticated(); }
  const char* poll(std::uint32_t) override { return nullptr; }

 private:
  dlms::Connection connection_;
  BufferSink sink_;
  wrapper::ServerAdapter<dlms::kMaxPdu> adapter_;
};

class HdlcTransport final : public Transport {
 public:
  HdlcTransport(dlms::Meter& meter, hdlc::ServerAddress address, HdlcMedium medium)
      : connection_(meter),
        link_(address, connection_, sink_, hdlc::link_limits(meter.model().hdlc), timeouts(meter.model(), medium)) {}

  // HDLC skips what it cannot parse and answers protocol errors itself (FRMR, DM),
  // so the connection never has to be dropped.
  bool receive(const std::uint8_t* data, std::size_t n, std::vector<std::uint8_t>* out) override {
    sink_.attach(out);
    link_.receive(data, n);
    sink_.attach(nullptr);
    return true;
  }
  bool partial() const override { return link_.partial(); }
  bool authenticated() const override { return connection_.authenticated(); }
  const char* poll(std::uint32_t now_ms) override {
    switch (link_.poll(now_ms)) {
      case hdlc::ServerLinkCore::Expiry::frame_dropped:
        return "HDLC frame dropped: no octet within the inter-octet timeout";
      case hdlc::ServerLinkCore::Expiry::disconnected:
        return "HDLC link disconnected: no frame within the inactivity timeout";
      case hdlc::ServerLinkCore::Expiry::none:
        break;
    }
    return nullptr;
  }

 private:
  static hdlc::LinkTimeouts timeouts(const tables::Model& model, HdlcMedium medium) {
    hdlc::LinkTimeouts t = hdlc::link_timeouts(model.hdlc);
    if (medium == HdlcMedium::tcp) t.inter_octet_ms = 0;
    return t;
  }

  dlms::Connection connection_;
  BufferSink sink_;
  hdlc::ServerLink<kHdlcMaxInfo, dlms::kMaxPdu> link_;
};

}  // namespace

std::unique_ptr<Transport> make_wrapper_transport(dlms::Meter& meter) {
  return std::make_unique<WrapperTransport>(meter);
}

std::unique_ptr<Transport> make_hdlc_transport(dlms::Meter& meter, std::uint16_t logical, std::uint16_t physical,
                                               HdlcMedium medium) {
  return std::make_unique<HdlcTransport>(meter, hdlc::ServerAddress{logical, physical}, medium);
}

}  // namespace metergen::host
