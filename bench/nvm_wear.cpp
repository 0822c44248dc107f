// NVM wear and write volume of every seed model on a NOR flash (4 KiB erase
// units, 100,000 erase cycles): a meter metering a steady load, its clock
// running, its profiles capturing, and a ciphered client session every 15
// minutes (association, HLS-GMAC and ten GETs: the frame counters a real
// session moves, 11 client and 12 server counters), for N simulated days at
// the readings level. Prints per model the bytes written a day, the writes of
// each record kind, ciphered GETs per NVM write of the frame counters, and the
// busiest erase unit extrapolated to 15 years against its endurance
// (docs/nvm-format.md; figures in bench/README.md).
//
//   bench_nvm_wear [DAYS]   (default 7)
#include <cstdio>
#include <cstdlib>

#include <metergen/dlms/server.hpp>
#include <metergen/storage/record.hpp>

#include "accuracy_grid.hpp"
#include "nvm_emulator.hpp"

namespace {

using namespace metergen;

constexpr std::uint32_t kUnit = 4096;
constexpr std::uint32_t kEndurance = 100000;
constexpr std::uint32_t kSessionEveryS = 900;
constexpr int kGetsPerSession = 10;
constexpr std::int64_t kWattUw = 1'000'000;

metrology::Readings steady(std::uint8_t phases) {
  metrology::Readings r{};
  r.phases = phases;
  for (std::uint8_t p = 0; p < phases; ++p) {
    r.phase[p].active_uw = 1150 * kWattUw;  // 230 V x 5 A, PF 1
    r.phase[p].apparent_uva = 1150 * kWattUw;
    r.phase[p].voltage_present = true;
  }
  return r;
}

// The counters one ciphered session moves: the AARE's ciphered initiate, HLS
// pass 3/4, kGetsPerSession requests and replies.
void session(dlms::Meter& m, std::uint16_t association, std::uint32_t& client_ic) {
  m.next_server_counter(association);
  m.accept_client_counter(association, client_ic++);
  m.next_server_counter(association);
  for (int i = 0; i < kGetsPerSession; ++i) {
    m.accept_client_counter(association, client_ic++);
    m.next_server_counter(association);
  }
}

// The first association whose policy ciphers requests (the management client).
std::uint16_t ciphered_association(const tables::Model& model) {
  for (std::uint8_t a = 0; a < model.association_count; ++a)
    if (model.associations[a].security_policy & tables::kEncryptedRequest) return a;
  return 0;
}

void run(const char* name, const tables::Model& model, int days) {
  test::NvmEmulator nvm(64u << 20, kUnit, kEndurance);
  dlms::Meter meter(model, nvm);
  meter.boot();
  nvm.reset_counters();
  const std::uint32_t counters_before = meter.counters().writes();
  const std::uint16_t association = ciphered_association(model);
  const metrology::Readings load = steady(model.phases);
  std::uint32_t client_ic = 1;
  const std::uint64_t seconds = static_cast<std::uint64_t>(days) * 86400;
  for (std::uint64_t s = 0; s < seconds; ++s) {
    nvm.base.now_ms += 1000;
    nvm.ticks += 1000;
    meter.metering().on_second(load);
    meter.tick();
    if (s % kSessionEveryS == 0) session(meter, association, client_ic);
  }
  const double per_day = static_cast<double>(nvm.bytes_written) / days;
  const std::uint32_t counter_writes = meter.counters().writes() - counters_before;
  const double sessions = static_cast<double>(seconds) / kSessionEveryS;
  const double lifetime_erases = static_cast<double>(nvm.max_erases()) * storage::kLifetimeDays / days;
  std::printf("%-10s %9u %12.0f %8u %8u %8u %10.0f %10u %12.0f %8.2f%%\n", name, meter.nvm_bytes(), per_day,
              meter.objects().writes(), meter.metering().registers().writes(), counter_writes,
              counter_writes == 0 ? 0.0 : sessions * kGetsPerSession / counter_writes, nvm.max_erases(),
              lifetime_erases, 100.0 * lifetime_erases / kEndurance);
  if (nvm.violations != 0) std::printf("%-10s ERROR: %llu writes over programmed flash bytes\n", name,
                                       static_cast<unsigned long long>(nvm.violations));
}

}  // namespace

int main(int argc, char** argv) {
  const int days = argc > 1 ? std::atoi(argv[1]) : 7;
  if (days <= 0) {
    std::fprintf(stderr, "usage: bench_nvm_wear [DAYS]\n");
    return 2;
  }
  std::printf("%d simulated days on NOR flash (%u-byte erase units, %u cycles), a ciphered session every %u s\n", days,
              kUnit, kEndurance, kSessionEveryS);
  std::printf("%-10s %9s %12s %8s %8s %8s %10s %10s %12s %9s\n", "model", "layout B", "B/day", "objects", "energy",
              "counters", "GETs/cw", "max erases", "15 y erases", "of rated");
  for (const accuracy::SeedModel& s : accuracy::kSeedModels) run(s.id, s.model, days);
  return 0;
}
