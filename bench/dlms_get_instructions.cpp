// Server instructions per GET-Request-Normal, HDLC framing included, no
// ciphering: for a 6-object model (bench/specs/small-meter.yaml) and for
// hxf300-eu (319 objects). Each model gets an in-memory HAL, a dlms::Meter, a
// dlms::Connection and an hdlc::ServerLink; the public client (SAP 16, server
// 1/17) connects with SNRM and a plain AARQ, then sends N GET I-frames. Every
// reply is checked to be a GET-Response-Normal with data.
//
// Measure only the GET loop with
//   valgrind --tool=callgrind --toggle-collect='*run_gets*' bench_dlms_get <model>
// (the pattern matches the anonymous-namespace name)
// and divide the total Ir by kGets. Calls: the runtime's hdlc/, acse/, dlms/.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/hdlc/frame.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::models::small_meter { extern const tables::Model model; }
namespace metergen::models::hxf300_eu { extern const tables::Model model; }

namespace {

using namespace metergen;

constexpr int kGets = 10000;
constexpr std::uint8_t kClientSap = 16;
constexpr hdlc::ServerAddress kServer{1, 17};
constexpr std::size_t kMaxInfo = 128;  // a lean meter's HDLC info field

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "bench_dlms_get: %s\n", what);
  std::abort();
}

// NVM in RAM; records any access outside it so a too-small NVM cannot go unnoticed.
class MemoryHal final : public hal::Hal {
 public:
  explicit MemoryHal(std::size_t nvm_size) : nvm_(nvm_size, 0) {}
  bool failed() const { return failed_; }

  std::uint64_t utc_ms() override { return 1'795'000'000'000ull; }  // fixed: no clock work varies per run
  bool set_utc_ms(std::uint64_t) override { return true; }
  std::uint32_t ticks_ms() override { return 0; }
  std::uint32_t nvm_size() override { return static_cast<std::uint32_t>(nvm_.size()); }
  bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) override {
    if (!in_range(offset, n)) return false;
    std::memcpy(out, nvm_.data() + offset, n);
    return true;
  }
  bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) override {
    if (!in_range(offset, n)) return false;
    std::memcpy(nvm_.data() + offset, in, n);
    return true;
  }
  void random(std::uint8_t* out, std::size_t n) override { std::memset(out, 0x5A, n); }
  std::size_t secret(std::uint8_t, hal::Secret, std::uint8_t*, std::size_t) override { return 0; }
  void log(const char* line) override { std::fprintf(stderr, "meter: %s\n", line); }

 private:
  bool in_range(std::uint32_t offset, std::size_t n) {
    if (offset <= nvm_.size() && n <= nvm_.size() - offset) return true;
    failed_ = true;
    return false;
  }
  std::vector<std::uint8_t> nvm_;
  bool failed_ = false;
};

// Keeps the last frame the link sent.
class LastFrame final : public hdlc::FrameSink {
 public:
  void send(const std::uint8_t* data, std::size_t size) override {
    if (size > sizeof bytes) fail("reply frame larger than expected");
    std::memcpy(bytes, data, size);
    this->size = size;
  }
  std::uint8_t bytes[kMaxInfo + hdlc::kMaxFrameOverhead];
  std::size_t size = 0;
};

struct Request {
  std::uint8_t bytes[hdlc::kMaxFrameOverhead + 128];
  std::size_t size = 0;
};

// A client frame to the meter; the 4-byte server address form carries logical and physical.
Request client_frame(std::uint8_t control, const std::uint8_t* apdu, std::size_t apdu_size) {
  std::uint8_t info[128];
  ByteWriter iw(info, sizeof info);
  if (apdu_size > 0) {
    iw.bytes(hdlc::kLlcRequest, hdlc::kLlcSize);
    iw.bytes(apdu, apdu_size);
  }
  hdlc::Frame f;
  f.destination = {kServer.logical, kServer.physical, 4};
  f.source = {kClientSap, 0, 1};
  f.control = control;
  f.info = apdu_size > 0 ? info : nullptr;
  f.info_size = iw.size();
  Request r;
  ByteWriter w(r.bytes, sizeof r.bytes);
  if (iw.overflow() || !hdlc::encode_frame(w, f)) fail("cannot encode a request frame");
  r.size = w.size();
  return r;
}

// The reply's info field (LLC included), after checking the frame decodes.
ByteReader reply_info(const LastFrame& sink) {
  hdlc::Frame f;
  if (sink.size < 2 || !hdlc::decode_frame(sink.bytes + 1, sink.size - 2, f)) fail("undecodable reply frame");
  return ByteReader(f.info, f.info_size);
}

struct Bench {
  const char* name;
  const tables::Model& model;
  std::uint16_t class_id;
  std::uint8_t obis[6];
};

// GET-Request-Normal (C0 01), invoke-id-and-priority C1, attribute 2, no selective access.
std::size_t get_request(const Bench& b, std::uint8_t* out) {
  const std::uint8_t apdu[] = {0xC0, 0x01, 0xC1, static_cast<std::uint8_t>(b.class_id >> 8),
                               static_cast<std::uint8_t>(b.class_id), b.obis[0], b.obis[1], b.obis[2], b.obis[3],
                               b.obis[4], b.obis[5], 0x02, 0x00};
  std::memcpy(out, apdu, sizeof apdu);
  return sizeof apdu;
}

// The server side of one connection; big (APDU buffers), so it is allocated.
struct Server {
  Server(const tables::Model& model, std::size_t nvm_bytes)
      : hal(nvm_bytes), meter(model, hal), connection(meter), link(kServer, connection, sink) {}
  MemoryHal hal;
  dlms::Meter meter;
  dlms::Connection connection;
  LastFrame sink;
  hdlc::ServerLink<kMaxInfo, dlms::kMaxPdu> link;
};

// The request frames of the GET loop: N(S) = N(R) = k for the k-th I-frame mod 8.
Request g_gets[8];

// GET-Response-Normal (C4 01), invoke-id C1, result choice data (00) after the
// reply LLC E6 E7 00: dlms-protocol.md §6.
constexpr std::uint8_t kResponseHead[] = {0xE6, 0xE7, 0x00, 0xC4, 0x01, 0xC1, 0x00};
// Where the info field starts in a reply to the 4-byte server address form: flag,
// format (2), client address (1), server address (4), control, HCS (2).
constexpr std::size_t kReplyInfoOffset = 1 + 2 + 1 + 4 + 1 + 2;

// Only the server's work should count, so each reply is checked by a byte
// compare at a fixed offset; bench() decodes one reply in full beforehand.
[[gnu::noinline]] void run_gets(Server& server, int first_sequence) {
  for (int i = 0; i < kGets; ++i) {
    const Request& rq = g_gets[(i + first_sequence) & 7];
    server.sink.size = 0;
    server.link.receive(rq.bytes, rq.size);
    if (server.sink.size < kReplyInfoOffset + sizeof kResponseHead + 3 ||
        std::memcmp(server.sink.bytes + kReplyInfoOffset, kResponseHead, sizeof kResponseHead) != 0)
      fail("reply is not a GET-Response with data");
  }
}

void bench(const Bench& b) {
  constexpr std::size_t kNvmBytes = 64u << 20;  // like the host meter; hxf300's profiles take several MB
  const auto server = std::make_unique<Server>(b.model, kNvmBytes);
  server->meter.boot();
  const std::size_t needed = server->meter.nvm_bytes();
  if (server->hal.failed() || needed > kNvmBytes) fail("meter boot: NVM too small");

  const Request snrm = client_frame(hdlc::kControlSnrm, nullptr, 0);
  server->link.receive(snrm.bytes, snrm.size);
  if (!server->link.connected()) fail("SNRM not answered with UA");

  // Public AARQ: LN context, no authentication, InitiateRequest proposing GET.
  std::uint8_t initiate[32];
  ByteWriter iw(initiate, sizeof initiate);
  acse::InitiateRequest ir;
  ir.conformance = acse::conformance::kGet | acse::conformance::kBlockTransferWithGetOrRead | acse::conformance::kSelectiveAccess;
  ir.max_receive_pdu_size = dlms::kMaxPdu;
  acse::Aarq aarq;
  aarq.context = acse::ContextId::ln;
  std::uint8_t aarq_bytes[96];
  ByteWriter aw(aarq_bytes, sizeof aarq_bytes);
  if (!acse::encode_initiate_request(ir, iw)) fail("cannot encode InitiateRequest");
  aarq.user_information = {initiate, iw.size()};
  if (!acse::encode_aarq(aarq, aw)) fail("cannot encode AARQ");
  const Request aarq_frame = client_frame(hdlc::control_i(0, 0), aarq_bytes, aw.size());
  server->link.receive(aarq_frame.bytes, aarq_frame.size);
  ByteReader aare = reply_info(server->sink);
  aare.take(hdlc::kLlcSize);
  acse::Aare decoded;
  if (!acse::decode_aare(aare, decoded) || decoded.result != acse::AssociationResult::accepted)
    fail("public AARQ not accepted");

  std::uint8_t get[16];
  const std::size_t get_size = get_request(b, get);
  for (std::uint8_t k = 0; k < 8; ++k) g_gets[k] = client_frame(hdlc::control_i(k, k), get, get_size);
  // A full check of one reply (frame, FCS, addresses, position of the info field),
  // then the loop. The AARQ was I-frame 0, this one is 1, the loop starts at 2.
  const Request& first = g_gets[1];
  server->link.receive(first.bytes, first.size);
  ByteReader info = reply_info(server->sink);
  const std::uint8_t* head = info.take(sizeof kResponseHead);
  if (!head || std::memcmp(head, kResponseHead, sizeof kResponseHead) != 0 ||
      head != server->sink.bytes + kReplyInfoOffset)
    fail("first reply is not a GET-Response with data");
  run_gets(*server, 2);
  std::printf("%-12s %5u objects (NVM %zu bytes): %d GETs answered\n", b.name, b.model.object_count, needed, kGets);
}

}  // namespace

int main(int argc, char** argv) {
  const Bench benches[] = {
      // Register 1.0.1.8.0.255 (class 3): the only register the public client reads here.
      {"small-meter", models::small_meter::model, 3, {1, 0, 1, 8, 0, 255}},
      // Data 0.0.96.1.0.255 (class 1), the serial number: read by both public clients.
      {"small-serial", models::small_meter::model, 1, {0, 0, 96, 1, 0, 255}},
      {"hxf300-eu", models::hxf300_eu::model, 1, {0, 0, 96, 1, 0, 255}},
  };
  for (const Bench& b : benches)
    if (argc < 2 || std::strcmp(argv[1], b.name) == 0) bench(b);
  return 0;
}
