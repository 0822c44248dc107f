// metergen-meter (clms100) under hostile input: reads a snapshot over the TCP
// wrapper (public and reader clients), throws 10,000 random and mutated wrapper
// APDUs and HDLC frames at it over many connections (fixed seed, bounded time),
// then checks that it is alive, still serves a fresh public association and that
// the snapshot reads back byte-identical. The child is killed by PID in TearDown.
//
// Expected values come from dlms-protocol.md (§3.5 frames, §4 wrapper, §3 CRC)
// and specs/clms100.yaml; none is produced by our encoders.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

Bytes hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2) out.push_back(std::stoi(digits.substr(i, 2), nullptr, 16));
  return out;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

// dlms-protocol.md §4: version 1, source wPort = client SAP, destination wPort 1, length.
Bytes wrap(std::uint16_t client_sap, const Bytes& apdu) {
  Bytes out = {0x00, 0x01, static_cast<std::uint8_t>(client_sap >> 8), static_cast<std::uint8_t>(client_sap),
               0x00, 0x01, static_cast<std::uint8_t>(apdu.size() >> 8), static_cast<std::uint8_t>(apdu.size())};
  return concat(out, apdu);
}

// CRC-16/X.25 as described in words in dlms-protocol.md §3 (check value 0x906E).
std::uint16_t crc16(const std::uint8_t* p, std::size_t n) {
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : crc >> 1;
  }
  return static_cast<std::uint16_t>(~crc);
}

// An HDLC I/U frame client 16 → server 1/17 with `control` and `info` (LLC
// header included), format type 3, HCS and FCS over it (dlms-protocol.md §2, §3).
Bytes hdlc_frame(std::uint8_t control, const Bytes& info) {
  const std::size_t length = 2 + 2 + 1 + 1 + (info.empty() ? 0 : 2 + info.size()) + 2;
  Bytes f = {static_cast<std::uint8_t>(0xA0 | ((length >> 8) & 0x07)), static_cast<std::uint8_t>(length), 0x02, 0x23,
             0x21, control};
  std::uint16_t crc = crc16(f.data(), f.size());
  f.push_back(crc & 0xFF);
  f.push_back(crc >> 8);
  if (!info.empty()) {
    f.insert(f.end(), info.begin(), info.end());
    crc = crc16(f.data(), f.size());
    f.push_back(crc & 0xFF);
    f.push_back(crc >> 8);
  }
  f.insert(f.begin(), 0x7E);
  f.push_back(0x7E);
  return f;
}

// dlms-protocol.md §3.5 example 2: public AARQ (SAP 16), LN, no security.
const Bytes kPublicAarq = hex("60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
// The same with LLS (mechanism 2.16.756.5.8.2.1) and the reader's demo password
// "12345678" (docs/host-meter.md).
const Bytes kReaderAarq = hex(
    "60 36 A1 09 06 07 60 85 74 05 08 01 01 8A 02 07 80 8B 07 60 85 74 05 08 02 01"
    " AC 0A 80 08 31 32 33 34 35 36 37 38 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF");
// get-request-normal, invoke-id 0xC1 (dlms-protocol.md §7): class, LN, attribute 2 or 7, no selection.
const Bytes kGetLogicalDeviceName = hex("C0 01 C1 00 01 00 00 2A 00 00 FF 02 00");
const Bytes kGetObjectList = hex("C0 01 C1 00 0F 00 00 28 00 00 FF 02 00");
const Bytes kGetImportEnergy = hex("C0 01 C1 00 03 01 00 01 08 00 FF 02 00");
const Bytes kGetExportEnergy = hex("C0 01 C1 00 03 01 00 02 08 00 FF 02 00");
const Bytes kGetLoadProfileEntries = hex("C0 01 C1 00 07 01 00 63 01 00 FF 07 00");
// set-request-normal of the logical device name with an unsigned (11) instead of its octet-string.
const Bytes kSetWrongType = hex("C1 01 C1 00 01 00 00 2A 00 00 FF 02 00 11 05");
// action-request-normal: capture (method 2) on the load profile, parameter integer 0.
const Bytes kActionCapture = hex("C3 01 C1 00 07 01 00 63 01 00 FF 02 01 0F 00");

// The HDLC frames of dlms-protocol.md §3.5: SNRM (example 1) and the AARQ I-frame (example 2).
const Bytes kSnrm = hex("7E A0 08 02 23 21 93 BD 64 7E");
const Bytes kHdlcAarq = hex(
    "7E A0 2C 02 23 21 10 AF 9F E6 E6 00 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06"
    " 5F 1F 04 00 00 1E 1D FF FF C5 E4 7E");

class Robustness : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/robustness_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    start();
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (HasFailure()) {
      std::ifstream log(dir_ + "/meter.log");
      std::cerr << "--- meter log (tail) ---\n";
      std::string line;
      std::vector<std::string> lines;
      while (std::getline(log, line)) lines.push_back(line);
      for (std::size_t i = lines.size() > 40 ? lines.size() - 40 : 0; i < lines.size(); ++i) std::cerr << lines[i] << "\n";
    }
    fs::remove_all(dir_);
  }

  void start() {
    const std::string ready = dir_ + "/ready";
    const std::vector<std::string> args = {METERGEN_METER_PATH, "--model", "clms100", "--state", dir_ + "/state",
                                           "--wrapper-port", "0", "--hdlc-port", "0", "--ready-file", ready};
    pid_ = fork();
    if (pid_ == 0) {
      const int log = open((dir_ + "/meter.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      dup2(log, STDERR_FILENO);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    ASSERT_GT(pid_, 0);
    const auto deadline = Clock::now() + 10s;
    while (!fs::exists(ready)) {
      ASSERT_LT(Clock::now(), deadline) << "no ready file after 10 s";
      ASSERT_TRUE(alive()) << "meter exited early";
      std::this_thread::sleep_for(20ms);
    }
    std::ifstream in(ready);
    std::string line;
    while (std::getline(in, line))
      if (const auto eq = line.find('='); eq != std::string::npos) ports_[line.substr(0, eq)] = line.substr(eq + 1);
    ASSERT_TRUE(ports_.count("wrapper") && ports_.count("hdlc"));
  }

  bool alive() {
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }

  int connect_to(const std::string& name) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(std::stoi(ports_.at(name))));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  }

  std::string dir_;
  pid_t pid_ = -1;
  std::map<std::string, std::string> ports_;
};

// Reads exactly n bytes within `limit`; false on timeout or close.
bool read_exact(int fd, std::uint8_t* out, std::size_t n, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (std::size_t got = 0; got < n;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    const ssize_t r = read(fd, out + got, n - got);
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

// Drains whatever arrives within `limit` into `received` (a count of bytes);
// false when the peer closed the connection.
bool drain(int fd, std::chrono::milliseconds limit, std::size_t& received) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) return true;
    std::uint8_t buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    received += static_cast<std::size_t>(n);
  }
}

// One client over the wrapper: request → reply APDU (empty on error).
class WrapperClient {
 public:
  WrapperClient(int fd, std::uint16_t sap) : fd_(fd), sap_(sap) {}
  ~WrapperClient() {
    if (fd_ >= 0) close(fd_);
  }

  Bytes request(const Bytes& apdu) {
    const Bytes frame = wrap(sap_, apdu);
    if (send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame.size())) return {};
    std::uint8_t header[8];
    if (!read_exact(fd_, header, sizeof header, 3s)) return {};
    // Reply header: version 1, source wPort 1 (server), destination wPort = our SAP.
    EXPECT_EQ(Bytes(header, header + 6), (Bytes{0x00, 0x01, 0x00, 0x01, static_cast<std::uint8_t>(sap_ >> 8),
                                                static_cast<std::uint8_t>(sap_)}));
    Bytes reply((header[6] << 8) | header[7]);
    if (!read_exact(fd_, reply.data(), reply.size(), 3s)) return {};
    return reply;
  }

  // A GET's result: `00 <Data>` or `01 <result>`, the blocks of a long reply
  // joined (get-response-with-datablock, dlms-protocol.md §7: C4 02 C1 last
  // block-number(4) 00 <length> <raw>, next block asked with C0 02 C1 <block-number>).
  Bytes get(const Bytes& get_request) {
    Bytes reply = request(get_request);
    if (reply.size() >= 4 && reply[0] == 0xC4 && reply[1] == 0x01) return Bytes(reply.begin() + 3, reply.end());
    Bytes data = {0x00};
    for (int blocks = 0; blocks < 1000; ++blocks) {
      if (reply.size() < 10 || reply[0] != 0xC4 || reply[1] != 0x02 || reply[8] != 0x00) return {};
      std::size_t at = 9, length = reply[at++];
      if (length == 0x81) length = reply[at++];
      else if (length == 0x82) length = (reply[at] << 8) | reply[at + 1], at += 2;
      if (at + length != reply.size()) return {};
      data.insert(data.end(), reply.begin() + static_cast<std::ptrdiff_t>(at), reply.end());
      if (reply[3] != 0x00) return data;
      reply = request(concat(hex("C0 02 C1"), Bytes(reply.begin() + 4, reply.begin() + 8)));
    }
    return {};
  }

 private:
  int fd_;
  std::uint16_t sap_;
};

bool accepted(const Bytes& aare) {
  // AARE (61) with result accepted `A2 03 02 01 00` (dlms-protocol.md §5, §3.5 example 3).
  return !aare.empty() && aare[0] == 0x61 && contains(aare, hex("A2 03 02 01 00"));
}

using Snapshot = std::map<std::string, Bytes>;

// 1.0.99.1.0.255 captures every 900 s (specs/clms100.yaml): a capture during the
// flood adds exactly one entry.
constexpr std::time_t kLoadProfilePeriod = 900;

// `00 06 <4 bytes>`: the success and double-long-unsigned of attribute 7.
std::uint32_t entries_in_use(const Snapshot& s) {
  const Bytes& v = s.at("load_profile_entries_in_use");
  return v.size() == 6 ? (std::uint32_t{v[2]} << 24) | (v[3] << 16) | (v[4] << 8) | v[5] : 0;
}

class Flood : public Robustness {
 protected:
  Snapshot read_snapshot() {
    Snapshot s;
    {
      WrapperClient public_client(connect_to("wrapper"), 16);
      EXPECT_TRUE(accepted(public_client.request(kPublicAarq)));
      s["logical_device_name"] = public_client.get(kGetLogicalDeviceName);
      s["object_list"] = public_client.get(kGetObjectList);
    }
    {
      WrapperClient reader(connect_to("wrapper"), 2);
      EXPECT_TRUE(accepted(reader.request(kReaderAarq)));
      s["active_import_energy"] = reader.get(kGetImportEnergy);
      s["active_export_energy"] = reader.get(kGetExportEnergy);
      s["load_profile_entries_in_use"] = reader.get(kGetLoadProfileEntries);
    }
    return s;
  }
};

// The valid APDUs the flood mutates, with the SAP each is sent as. The fuzz never
// speaks as the utility client (SAP 1), whose LLS fallback may write.
struct Seed {
  std::uint16_t sap;
  Bytes apdu;
};

const std::vector<Seed>& seeds() {
  static const std::vector<Seed> all = {
      {16, kPublicAarq},   {2, kReaderAarq},       {16, kGetLogicalDeviceName}, {2, kGetImportEnergy},
      {16, kGetObjectList}, {2, kSetWrongType},     {16, kSetWrongType},         {2, kActionCapture},
      {16, kActionCapture}, {2, kGetLoadProfileEntries}, {2, hex("62 00")},
  };
  return all;
}

Bytes mutate(Bytes bytes, std::mt19937& rng) {
  switch (rng() % 4) {
    case 0:  // truncation
      bytes.resize(rng() % (bytes.size() + 1));
      break;
    case 1:
    case 2:  // 1-4 bit flips
      for (unsigned n = 1 + rng() % 4; n > 0 && !bytes.empty(); --n) bytes[rng() % bytes.size()] ^= 1u << (rng() % 8);
      break;
    default:  // one random byte replaced or inserted
      if (!bytes.empty() && rng() % 2) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
      else bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(rng() % (bytes.size() + 1)), static_cast<std::uint8_t>(rng()));
  }
  return bytes;
}

Bytes random_bytes(std::mt19937& rng, std::size_t max) {
  Bytes b(rng() % (max + 1));
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

// One hostile wrapper frame: random bytes, a mutated APDU behind a valid
// header, a valid APDU (so associations are reached), or a mutated whole frame
// whose source wPort is kept off SAP 1.
Bytes wrapper_frame(std::mt19937& rng) {
  const Seed& seed = seeds()[rng() % seeds().size()];
  switch (rng() % 5) {
    case 0: return random_bytes(rng, 300);
    case 1: return wrap(seed.sap, seed.apdu);
    case 2: {
      Bytes f = mutate(wrap(seed.sap, seed.apdu), rng);
      if (f.size() >= 4 && f[2] == 0x00 && f[3] == 0x01) f[3] = 0x10;
      return f;
    }
    default: return wrap(seed.sap, mutate(seed.apdu, rng));
  }
}

// One hostile HDLC frame: random bytes, a raw bit-flipped/truncated valid frame
// (bad CRC), or a frame with valid HCS/FCS around a mutated APDU or random
// control byte (so the link and application layers see it).
Bytes hdlc_frame_for_flood(std::mt19937& rng) {
  const Seed& seed = seeds()[rng() % seeds().size()];
  static const std::uint8_t kControls[] = {0x10, 0x32, 0x54, 0x76, 0x98, 0x11, 0x31, 0x93, 0x53, 0x13, 0x97};
  switch (rng() % 6) {
    case 0: return random_bytes(rng, 300);
    case 1: return rng() % 2 ? kSnrm : kHdlcAarq;
    case 2: return mutate(rng() % 2 ? kSnrm : kHdlcAarq, rng);
    case 3: return hdlc_frame(kControls[rng() % sizeof kControls], random_bytes(rng, 64));
    default: return hdlc_frame(kControls[rng() % 5], concat(hex("E6 E6 00"), mutate(seed.apdu, rng)));
  }
}

TEST_F(Flood, MeterSurvivesTenThousandHostileFramesUnchanged) {
  const Snapshot before = read_snapshot();
  // specs/clms100.yaml: logical_device_name "CNXCLMS100000001" as an octet-string (09 10).
  EXPECT_EQ(before.at("logical_device_name"), concat(hex("00 09 10"), Bytes{'C', 'N', 'X', 'C', 'L', 'M', 'S', '1', '0', '0',
                                                                          '0', '0', '0', '0', '0', '1'}));
  // The clock's object_list_element (IC 15 attr 2): structure of class-id 8,
  // version 0, LN 0.0.1.0.0.255 (cosem-interface-classes.md, IC 8 version 0).
  EXPECT_TRUE(contains(before.at("object_list"), hex("02 04 12 00 08 11 00 09 06 00 00 01 00 00 FF")));
  // Energies read as a success with some Data; entries_in_use is a double-long-unsigned (06).
  for (const char* name : {"active_import_energy", "active_export_energy"}) {
    ASSERT_GE(before.at(name).size(), 2u) << name;
    EXPECT_EQ(before.at(name)[0], 0x00) << name;
  }
  ASSERT_EQ(before.at("load_profile_entries_in_use").size(), 6u);
  EXPECT_EQ(before.at("load_profile_entries_in_use")[1], 0x06);
  const std::time_t flood_start = std::time(nullptr);

  std::mt19937 rng(20261120);
  constexpr int kFrames = 10000;
  constexpr int kFramesPerTurn = 250;
  const auto deadline = Clock::now() + 40s;
  int sent = 0, connections = 0, closed_by_meter = 0;
  std::size_t received[2] = {0, 0};  // reply bytes over the wrapper, over HDLC
  // Transports alternate every kFramesPerTurn frames; a connection the
  // meter closes is replaced by a new one on the same transport.
  int fd = -1;
  for (; sent < kFrames && Clock::now() < deadline; ++sent) {
    const bool hdlc = (sent / kFramesPerTurn) % 2 == 1;
    if (sent % kFramesPerTurn == 0 && fd >= 0) {
      close(fd);
      fd = -1;
    }
    if (fd < 0) {
      ASSERT_TRUE(alive()) << "meter died after " << sent << " frames";
      fd = connect_to(hdlc ? "hdlc" : "wrapper");
      ASSERT_GE(fd, 0) << "meter refused a connection after " << sent << " frames";
      ++connections;
    }
    const Bytes frame = hdlc ? hdlc_frame_for_flood(rng) : wrapper_frame(rng);
    if (send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) < 0 || !drain(fd, 2ms, received[hdlc])) {
      ++closed_by_meter;
      close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) close(fd);
  EXPECT_EQ(sent, kFrames) << "only " << sent << " frames within the time bound";
  // The flood reached the protocol layers: both transports answered something.
  EXPECT_GT(received[0], 0u);
  EXPECT_GT(received[1], 0u);
  std::cout << sent << " frames over " << connections << " connections (" << closed_by_meter
            << " closed by the meter), reply bytes: wrapper " << received[0] << ", HDLC " << received[1] << "\n";
  ASSERT_TRUE(alive());

  // A fresh public association still answers the logical device name.
  {
    WrapperClient fresh(connect_to("wrapper"), 16);
    ASSERT_TRUE(accepted(fresh.request(kPublicAarq)));
    EXPECT_EQ(fresh.get(kGetLogicalDeviceName), before.at("logical_device_name"));
  }

  Snapshot after = read_snapshot();
  // A periodic capture may have added one load profile entry meanwhile.
  if (std::time(nullptr) / kLoadProfilePeriod != flood_start / kLoadProfilePeriod &&
      entries_in_use(after) == entries_in_use(before) + 1)
    after["load_profile_entries_in_use"] = before.at("load_profile_entries_in_use");
  for (const auto& [name, value] : before) EXPECT_EQ(after.at(name), value) << name;
}

}  // namespace
