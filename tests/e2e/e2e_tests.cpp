// End-to-end tests of `metergen read` and `metergen audit --meter` against the
// host meter (metergen-meter) for each seed model: both binaries run as child
// processes on loopback with ephemeral ports; each test starts a fresh meter
// and stops it by its PID. Expected values come from the specs' generated
// object_list.json / model.json, the demo secrets of docs/host-meter.md and the
// protocol facts named at each check.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/wrapper/wrapper.hpp>
#include <metergen/xdlms/xdlms.hpp>

#include "../runtime/hex_bytes.hpp"
#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using e2e::Association;
using e2e::associations_of;
using e2e::client_options;
using e2e::HostMeter;
using e2e::read_text;
using e2e::Result;
using e2e::run;

class EndToEnd : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-" + GetParam() + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    meter_ = std::make_unique<HostMeter>(GetParam(), dir_);
    ASSERT_TRUE(meter_->ready()) << read_text(dir_ / "meter.log");
    associations_ = associations_of(GetParam());
  }
  void TearDown() override {
    meter_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Result metergen(std::vector<std::string> args) {
    args.insert(args.begin(), METERGEN_BIN);
    return run(args, dir_);
  }
  Result read(const Association& a, const std::string& url, std::vector<std::string> args) {
    std::vector<std::string> full{"read", "--meter", url};
    auto o = client_options(a, *meter_);
    full.insert(full.end(), o.begin(), o.end());
    full.insert(full.end(), args.begin(), args.end());
    return metergen(full);
  }
  const Association& by_sap(int sap) {
    for (const auto& a : associations_)
      if (a.sap == sap) return a;
    throw std::runtime_error("no association " + std::to_string(sap));
  }
  // The first non-public association that may call capture (method 2) on a
  // profile whose buffer it reads with selectors 1 and 2.
  bool capturing(Association& assoc, std::string& profile) {
    for (const auto& a : associations_) {
      if (a.sap == 16) continue;
      for (const auto& o : a.objects) {
        if (o["class_id"] != 7) continue;
        bool capture = false, selective = false;
        for (const auto& m : o["methods"]) capture |= m["id"] == 2 && m["access"] != 0;
        for (const auto& at : o["attributes"])
          selective |= at["id"] == 2 && at.value("selectors", json::array()) == json::array({1, 2});
        if (capture && selective) {
          assoc = a;
          profile = o["logical_name"];
          return true;
        }
      }
    }
    return false;
  }

  fs::path dir_;
  std::unique_ptr<HostMeter> meter_;
  std::vector<Association> associations_;
};

// Every association whose object list the spec lets it read is audited over
// both transports: the meter exposes exactly the spec's object lists.
TEST_P(EndToEnd, AuditOverWrapperAndHdlcFindsTheSpecsObjectLists) {
  std::string spec = "specs/" + GetParam() + ".yaml";
  Result wrapper = metergen({"audit", spec, "--meter", meter_->wrapper_url(), "--secrets", meter_->secrets(), "--format", "json"});
  Result hdlc = metergen({"audit", spec, "--meter", meter_->hdlc_url(), "--secrets", meter_->secrets(), "--format", "json"});
  EXPECT_EQ(wrapper.exit_code, 0) << wrapper.out << wrapper.err;
  EXPECT_EQ(hdlc.exit_code, 0) << hdlc.out << hdlc.err;
  json report = json::parse(wrapper.out);
  EXPECT_EQ(report, json::parse(hdlc.out));
  EXPECT_GE(report["associations"].size(), 2u);
  EXPECT_TRUE(report["differences"].empty()) << report["differences"].dump();
}

TEST_P(EndToEnd, PublicClientReadsAPlausibleClockButNoEnergy) {
  const Association& pub = by_sap(16);
  Result clock = read(pub, meter_->wrapper_url(), {"get", "0.0.1.0.0.255:2", "--class", "8"});
  ASSERT_EQ(clock.exit_code, 0) << clock.err;
  json value = json::parse(clock.out);
  // Clock time is an octet-string of 12 bytes, year first (IEC 62056-6-2 date-time).
  ASSERT_EQ(value["type"], "octet-string");
  std::string hex = value["value"];
  ASSERT_EQ(hex.size(), 24u);
  int year = std::stoi(hex.substr(0, 4), nullptr, 16);
  std::time_t now = std::time(nullptr);
  int host_year = std::gmtime(&now)->tm_year + 1900;
  EXPECT_GE(year, host_year - 1);
  EXPECT_LE(year, host_year + 1);

  Result energy = read(pub, meter_->wrapper_url(), {"get", "1.0.1.8.0.255:2", "--class", "3"});
  EXPECT_EQ(energy.exit_code, 1);
  EXPECT_TRUE(energy.err.find("object 1.0.1.8.0.255 attribute 2: object-undefined") != std::string::npos ||
              energy.err.find("object 1.0.1.8.0.255 attribute 2: read-write-denied") != std::string::npos)
      << energy.err;
}

TEST_P(EndToEnd, EnergyRegisterScalerUnitMatchesTheSpec) {
  json model = json::parse(read_text(fs::path(METERGEN_SOURCE_DIR) / "generated" / GetParam() / "model.json"));
  json energy;
  for (const auto& o : model["objects"])
    if (o["logical_name"] == "1.0.1.8.0.255") energy = o;
  ASSERT_EQ(energy["unit"], "Wh");
  // scaler_unit: structure {integer scaler, enum unit}; unit Wh = 30 (IEC 62056-6-2 unit table).
  json expected = {{"type", "structure"},
                   {"value", {{{"type", "integer"}, {"value", energy["scaler"]}}, {{"type", "enum"}, {"value", 30}}}}};
  Association a;
  std::string profile;
  ASSERT_TRUE(capturing(a, profile));
  Result r = read(a, meter_->hdlc_url(), {"get", "1.0.1.8.0.255:3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), expected);
}

TEST_P(EndToEnd, ProfileByEntryAndByRangeAfterCapture) {
  Association a;
  std::string profile;
  ASSERT_TRUE(capturing(a, profile)) << "no association may capture a profile";
  Result capture = read(a, meter_->wrapper_url(), {"action", profile + ":2", "--class", "7", "{\"type\": \"integer\", \"value\": 0}"});
  ASSERT_EQ(capture.exit_code, 0) << capture.err;

  Result by_entry = read(a, meter_->wrapper_url(), {"profile", profile, "--entries", "1:0"});
  ASSERT_EQ(by_entry.exit_code, 0) << by_entry.err;
  json entries = json::parse(by_entry.out);
  ASSERT_EQ(entries["type"], "array");
  EXPECT_GE(entries["value"].size(), 1u);

  // The meter runs on host UTC: an hour either side of now holds the capture.
  auto iso = [](std::time_t t) {
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return std::string(buf);
  };
  std::time_t now = std::time(nullptr);
  Result by_range = read(a, meter_->hdlc_url(), {"profile", profile, "--from", iso(now - 3600), "--to", iso(now + 3600)});
  ASSERT_EQ(by_range.exit_code, 0) << by_range.err;
  json range = json::parse(by_range.out);
  ASSERT_EQ(range["type"], "array");
  EXPECT_GE(range["value"].size(), 1u);
}

TEST_P(EndToEnd, WrongPasswordAndWrongKeyAreRejected) {
  // LLS associations (own or fallback mechanism), from specs/<model>.yaml;
  // hxf300-eu's requires ciphering (its security policy), so the ciphered context.
  const std::map<std::string, int> lls_sap{{"clms100", 2}, {"hxf300-eu", 1}, {"hxe312-kp", 2}};
  if (auto it = lls_sap.find(GetParam()); it != lls_sap.end()) {
    std::vector<std::string> args{"read", "--meter", meter_->wrapper_url(), "--client", std::to_string(it->second),
                                  "--auth", "lls", "--password", "wrong"};
    if (GetParam() == "hxf300-eu") args.insert(args.end(), {"--secrets", meter_->secrets(), "--ciphered"});
    args.push_back("objects");
    Result r = metergen(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("association rejected"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("authentication failure"), std::string::npos) << r.err;
  }
  for (const auto& a : associations_) {
    if (a.authentication != "hls-gmac") continue;
    auto args = client_options(a, *meter_);
    std::vector<std::string> full{"read", "--meter", meter_->wrapper_url(), "--ek", "000102030405060708090A0B0C0D0E00"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("objects");
    Result r = metergen(full);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HLS authentication failed"), std::string::npos) << r.err;
    break;
  }
}

TEST_P(EndToEnd, BiggestObjectListArrivesInBlocksAndEqualsOverHdlcAndWrapper) {
  const Association* biggest = &associations_.front();
  for (const auto& a : associations_)
    if (a.objects.size() > biggest->objects.size()) biggest = &a;
  Result wrapper = read(*biggest, meter_->wrapper_url(), {"--progress", "objects"});
  ASSERT_EQ(wrapper.exit_code, 0) << wrapper.err;
  // More than one GET block: the list is longer than the negotiated PDU (1024 bytes).
  EXPECT_NE(wrapper.err.find("reading object list block 2 ("), std::string::npos) << wrapper.err;
  Result hdlc = read(*biggest, meter_->hdlc_url(), {"objects"});
  ASSERT_EQ(hdlc.exit_code, 0) << hdlc.err;
  json a = json::parse(wrapper.out), b = json::parse(hdlc.out);
  a.erase("source");
  b.erase("source");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["associations"][0]["objects"].size(), biggest->objects.size());
}

// A ciphered APDU sent twice on one association: the second carries a used
// invocation counter and must get exception-response D8 01 06 <expected counter>
// (state-error service-not-allowed, service-error invocation-counter-error;
// dlms-protocol.md exception-response). Built with the runtime codecs over a raw
// wrapper socket; clms100's utility client (SAP 1) has keys and LLS as fallback.
class Wrapper {
 public:
  explicit Wrapper(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Wrapper() { close(fd_); }
  bool connected() const { return connected_; }
  // Writes `frame` as it is (header included) and returns what arrives within
  // `wait_ms` (empty: nothing), at most one read.
  std::vector<std::uint8_t> raw_exchange(const std::vector<std::uint8_t>& frame, int wait_ms) {
    if (write(fd_, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) return {};
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, wait_ms) <= 0) return {};
    std::uint8_t buf[512];
    ssize_t n = read(fd_, buf, sizeof buf);
    return n > 0 ? std::vector<std::uint8_t>(buf, buf + n) : std::vector<std::uint8_t>{};
  }
  std::vector<std::uint8_t> exchange(const std::vector<std::uint8_t>& apdu) {
    std::uint8_t head[metergen::wrapper::kHeaderSize];
    metergen::ByteWriter w(head, sizeof head);
    metergen::wrapper::encode_header(w, {1, 1, 1, static_cast<std::uint16_t>(apdu.size())});
    std::vector<std::uint8_t> frame(head, head + sizeof head);
    frame.insert(frame.end(), apdu.begin(), apdu.end());
    if (write(fd_, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) return {};
    std::uint8_t buf[2048];
    metergen::wrapper::Reassembler reassembler(buf, sizeof buf);
    for (;;) {
      std::uint8_t chunk[512];
      ssize_t n = read(fd_, chunk, sizeof chunk);
      if (n <= 0) return {};
      auto event = metergen::wrapper::Reassembler::Event::none;
      reassembler.feed(chunk, static_cast<std::size_t>(n), event);
      if (event == metergen::wrapper::Reassembler::Event::apdu) {
        const std::span<std::uint8_t> apdu = reassembler.apdu();
        return {apdu.begin(), apdu.end()};
      }
      if (event == metergen::wrapper::Reassembler::Event::error) return {};
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(EndToEndReplay, ReplayedCipheredApduIsRejected) {
  fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-replay");
  HostMeter meter("clms100", dir);
  ASSERT_TRUE(meter.ready());
  Wrapper link(meter.wrapper_port());
  ASSERT_TRUE(link.connected());

  namespace acse = metergen::acse;
  const std::uint8_t title[8] = {0x4D, 0x47, 0x52, 0, 0, 0, 0, 1};
  const std::uint8_t password[] = {'1', '2', '3', '4', '5', '6', '7', '8'};  // demo default, docs/host-meter.md
  acse::InitiateRequest init;
  init.conformance = acse::conformance::kGet | acse::conformance::kBlockTransferWithGetOrRead;
  init.max_receive_pdu_size = 1024;
  std::uint8_t init_buf[32], aarq_buf[128];
  metergen::ByteWriter iw(init_buf, sizeof init_buf), aw(aarq_buf, sizeof aarq_buf);
  ASSERT_TRUE(acse::encode_initiate_request(init, iw));
  acse::Aarq rq;
  rq.context = acse::ContextId::ln_ciphered;
  rq.calling_ap_title = {title, sizeof title};
  rq.authentication = rq.has_mechanism = true;
  rq.mechanism = acse::Mechanism::lls;
  rq.authentication_value = {password, sizeof password};
  rq.user_information = {init_buf, iw.size()};
  ASSERT_TRUE(acse::encode_aarq(rq, aw));
  auto aare_bytes = link.exchange({aarq_buf, aarq_buf + aw.size()});
  acse::Aare aare;
  ASSERT_TRUE(acse::decode_aare(metergen::ByteReader(aare_bytes.data(), aare_bytes.size()), aare));
  ASSERT_EQ(aare.result, acse::AssociationResult::accepted);

  // GET clock time, glo-ciphered (SC 0x30) with invocation counter 1; demo keys of docs/host-meter.md.
  metergen::security::Keys keys{{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F},
                                {0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF}};
  std::uint8_t get_buf[32], glo_buf[64];
  metergen::ByteWriter gw(get_buf, sizeof get_buf), cw(glo_buf, sizeof glo_buf);
  metergen::xdlms::put_get_request(gw, 0xC1, {8, {{0, 0, 1, 0, 0, 255}}, 2}, {false, 0, metergen::ByteReader()});
  ASSERT_TRUE(metergen::security::protect_glo(cw, 0x30, keys, title, 1, get_buf, gw.size()));
  std::vector<std::uint8_t> ciphered(glo_buf, glo_buf + cw.size());

  auto first = link.exchange(ciphered);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0], 0xCC);  // glo-get-response
  auto second = link.exchange(ciphered);
  const std::vector<std::uint8_t> expected{0xD8, 0x01, 0x06, 0x00, 0x00, 0x00, 0x02};
  EXPECT_EQ(second, expected);
}

TEST(EndToEndWrapper, FrameForAnotherDestinationWPortIsNotAnswered) {
  // dlms-protocol.md §4: version 00 01, source wPort 00 10 (public client 16),
  // destination wPort, length 00 1F; the APDU is the AARQ of §3.5 example 2 (31 bytes).
  fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-wport");
  HostMeter meter("clms100", dir);
  ASSERT_TRUE(meter.ready());
  Wrapper link(meter.wrapper_port());
  ASSERT_TRUE(link.connected());
  const std::string aarq = "60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF";
  auto frame = [&](const char* header) {
    std::vector<std::uint8_t> f = metergen::test::hex(header), a = metergen::test::hex(aarq);
    f.insert(f.end(), a.begin(), a.end());
    return f;
  };
  // Destination wPort 2 (another logical device) and 127 (all-station): dropped, no reply.
  EXPECT_TRUE(link.raw_exchange(frame("00 01 00 10 00 02 00 1F"), 500).empty());
  EXPECT_TRUE(link.raw_exchange(frame("00 01 00 10 00 7F 00 1F"), 500).empty());
  // The connection stays open; wPort 1 (management logical device) gets the AARE
  // with the wPorts swapped: 00 01 | 00 01 | 00 10 | 00 2B, accepted (A2 … 00).
  const auto reply = link.raw_exchange(frame("00 01 00 10 00 01 00 1F"), 5000);
  ASSERT_GE(reply.size(), 8u + 18u);
  EXPECT_EQ(std::vector<std::uint8_t>(reply.begin(), reply.begin() + 8), metergen::test::hex("00 01 00 01 00 10 00 2B"));
  EXPECT_EQ(std::vector<std::uint8_t>(reply.begin() + 23, reply.begin() + 26), metergen::test::hex("02 01 00"));
}

INSTANTIATE_TEST_SUITE_P(SeedModels, EndToEnd, ::testing::Values(METERGEN_SEED_MODEL_IDS),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
