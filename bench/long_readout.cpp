// A 90-day load profile (8,640 quarter-hour entries of 48 bytes, the model of
// bench/specs/long-readout.yaml) read over HDLC in one process, for each link
// setting (and once as a compact-array of 38-byte elements): bytes and frames each way, and the time the read-out takes on a
// 9,600 Bd line (960 bytes/s, 8N1) with a fixed turnaround each time the line
// changes direction (after every frame with P/F set: each frame at window 1,
// each window at window 7). Figures in bench/README.md.
//
//   bench_long_readout [TURNAROUND_MS]   (default 20)
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <long-readout/model.hpp>
#include <metergen/dlms/server.hpp>

#include "long_readout.hpp"

namespace {

using namespace metergen;

constexpr std::uint64_t kT0 = 1'798'761'600'000;  // 2027-01-01T00:00:00Z
constexpr std::uint64_t kQuarter = 900'000;
constexpr std::uint32_t kEntries = 8640;
constexpr double kLineBytesPerS = 960;
constexpr std::uint8_t kLoadProfile[6] = {1, 0, 99, 1, 0, 255};

struct Setting {
  std::uint32_t window;
  std::uint16_t max_info;
  bool compact;  // read by the spec's compact-array association (SAP 17)
};

}  // namespace

int main(int argc, char** argv) {
  const double turnaround_s = (argc > 1 ? std::atof(argv[1]) : 20.0) / 1000;
  auto hal = std::make_unique<test::MemoryHal>();
  auto meter = std::make_unique<dlms::Meter>(models::long_readout::model, *hal);
  test::capture_periods(*meter, *hal, kT0, kQuarter, kEntries);
  std::printf("| window | info field | buffer | blocks | bytes to meter | bytes from meter | frames to/from | turns | "
              "minutes at 9,600 Bd |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const Setting s : {Setting{1, 128, false}, Setting{7, 128, false}, Setting{1, 2030, false},
                          Setting{7, 2030, false}, Setting{7, 2030, true}}) {
    const hdlc::LinkParameters p{s.max_info, s.max_info, s.window, s.window};
    auto readout = std::make_unique<test::HdlcReadout>(*meter, p, p, s.compact ? 17 : 16);
    const test::Readout r = readout->read(7, kLoadProfile, 2);
    if (!r.ok || r.data.size() < kEntries * 38) {
      std::fprintf(stderr, "read-out with window %u, %u bytes failed\n", s.window, s.max_info);
      return 1;
    }
    std::printf("| %u | %u | %s | %u | %llu | %llu | %llu / %llu | %llu | %.2f |\n", s.window, s.max_info,
                s.compact ? "compact-array" : "array", r.blocks,
                static_cast<unsigned long long>(r.to_server.bytes), static_cast<unsigned long long>(r.to_client.bytes),
                static_cast<unsigned long long>(r.to_server.frames),
                static_cast<unsigned long long>(r.to_client.frames),
                static_cast<unsigned long long>(r.to_server.turns + r.to_client.turns),
                test::line_seconds(r, kLineBytesPerS, turnaround_s) / 60);
  }
  return 0;
}
