// Energy accumulators and their NVM record (see energy/registers.hpp).
#include <metergen/energy/registers.hpp>

namespace metergen::energy {

namespace {

constexpr std::int64_t kInt64Max = 0x7FFFFFFFFFFFFFFFll;
constexpr std::int64_t kInt64Min = -kInt64Max - 1;

constexpr std::uint8_t kMagic[4] = {'M', 'G', 'E', '1'};
constexpr std::uint32_t kHeaderBytes = 16;
constexpr std::uint32_t kEntryBytes = 12;
constexpr std::uint32_t kCrcBytes = 4;
constexpr std::uint16_t kChunkEntries = 16;  // entries per NVM access (stack buffer)

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), four bits per step
// from a 16-entry table.
constexpr std::uint32_t kCrcNibble[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
};

std::uint32_t crc_update(std::uint32_t crc, const std::uint8_t* p, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) {
    crc ^= p[i];
    crc = (crc >> 4) ^ kCrcNibble[crc & 0x0F];
    crc = (crc >> 4) ^ kCrcNibble[crc & 0x0F];
  }
  return crc;
}

void store_be(std::uint8_t* at, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) at[i] = static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i)));
}
std::uint64_t load_be(const std::uint8_t* at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | at[i];
  return v;
}

std::int64_t pow10(int k) {  // 0 <= k <= 18
  std::int64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

std::int64_t mul_saturated(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (!__builtin_mul_overflow(a, b, &r)) return r;
  return (a < 0) != (b < 0) ? kInt64Min : kInt64Max;
}

std::int64_t add_saturated(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (!__builtin_add_overflow(a, b, &r)) return r;
  return b < 0 ? kInt64Min : kInt64Max;
}

std::uint32_t layout_of(const tables::Model& m, const std::uint16_t* objects, std::uint16_t count) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint32_t i = 0; m.id != nullptr && m.id[i] != 0 && i < 64; ++i) {
    const auto c = static_cast<std::uint8_t>(m.id[i]);
    crc = crc_update(crc, &c, 1);
  }
  for (std::uint16_t i = 0; i < count; ++i) crc = crc_update(crc, m.objects[objects[i]].ln.b, 6);
  return ~crc;
}

}  // namespace

// ---------------------------------------------------------------------------
// Accumulator

Accumulator Accumulator::from_uj(std::int64_t uj) {
  std::int64_t whole = uj / kUjPerMwh;
  std::int64_t rest = uj % kUjPerMwh;
  if (rest < 0) {  // floor form: the remainder is never negative
    rest += kUjPerMwh;
    --whole;
  }
  return {whole, static_cast<std::uint32_t>(rest)};
}

void Accumulator::add(const Accumulator& a) {
  std::int64_t carry = 0;
  std::uint32_t rem = rem_uj + a.rem_uj;  // < 2 * kUjPerMwh
  if (rem >= kUjPerMwh) {
    rem -= kUjPerMwh;
    carry = 1;
  }
  mwh = add_saturated(add_saturated(mwh, a.mwh), carry);
  rem_uj = rem;
}

std::int64_t Accumulator::in_units(int scaler) const {
  // Digits below 1 mWh that the unit keeps (k > 0) or whole mWh it drops (k < 0).
  const int k = -3 - scaler;
  if (k > 18) return mwh < 0 ? kInt64Min : (mwh > 0 || rem_uj != 0 ? kInt64Max : 0);
  if (k < -18) return 0;
  std::int64_t whole = mwh;
  bool fraction = rem_uj != 0;
  if (k > 0) {
    // rem_uj * 10^12 < 2^63: exact to 10^-12 mWh, far below 1 uJ.
    const int digits = k < 12 ? k : 12;
    const std::int64_t f = static_cast<std::int64_t>(rem_uj) * pow10(digits);
    whole = add_saturated(mul_saturated(mwh, pow10(k)), mul_saturated(f / kUjPerMwh, pow10(k - digits)));
    fraction = f % kUjPerMwh != 0;
  }
  if (whole < 0 && fraction) ++whole;  // floor form to truncation toward zero
  if (k < 0) whole /= pow10(-k);
  return whole;
}

// ---------------------------------------------------------------------------
// EnergyRegisters

bool EnergyRegisters::bind(const tables::Model& model) {
  model_ = &model;
  count_ = 0;
  max_tariff_ = 0;
  generation_ = 0;
  bool fits = true;
  for (std::uint16_t i = 0; i < model.object_count; ++i) {
    const tables::Binding& b = model.objects[i].binding;
    if (b.kind != tables::SourceKind::energy) continue;
    if (!is_energy_quantity(b.quantity) || b.phase > metrology::kMaxPhases || count_ == kMaxEnergyRegisters) {
      fits = false;
      continue;
    }
    acc_[count_] = {};
    object_[count_++] = i;
    if (b.tariff > max_tariff_) max_tariff_ = b.tariff;
  }
  layout_ = layout_of(model, object_, count_);
  return fits;
}

std::uint16_t EnergyRegisters::find(std::uint16_t object) const {
  for (std::uint16_t i = 0; i < count_; ++i)
    if (object_[i] == object) return i;
  return tables::kNone;
}

void EnergyRegisters::add_second(const SecondPowers& p, std::uint8_t tariff) {
  // One division per quantity and phase, then only additions per register.
  Accumulator step[metrology::kMaxPhases + 1][kEnergyQuantities];
  for (int ph = 0; ph <= metrology::kMaxPhases; ++ph)
    for (int q = 0; q < kEnergyQuantities; ++q) step[ph][q] = Accumulator::from_uj(p.phase[ph].uw[q]);  // 1 s of uW = uJ
  for (std::uint16_t i = 0; i < count_; ++i) {
    const tables::Binding& b = model_->objects[object_[i]].binding;
    if (b.tariff == 0 || b.tariff == tariff)
      acc_[i].add(step[b.phase][static_cast<int>(b.quantity) - kFirstEnergyQuantity]);
  }
}

std::uint32_t EnergyRegisters::nvm_bytes() const {
  return 2 * (kHeaderBytes + kEntryBytes * std::uint32_t{count_} + kCrcBytes);
}

bool EnergyRegisters::persist(hal::Hal& hal, std::uint32_t base, std::uint8_t tariff) {
  if (hal.nvm_size() < base || hal.nvm_size() - base < nvm_bytes()) return false;
  const std::uint32_t generation = generation_ + 1;
  std::uint32_t at = base + (generation & 1u) * (nvm_bytes() / 2);
  std::uint8_t header[kHeaderBytes] = {kMagic[0], kMagic[1], kMagic[2], kMagic[3]};
  store_be(header + 4, generation, 4);
  store_be(header + 8, layout_, 4);
  store_be(header + 12, count_, 2);
  header[14] = tariff;
  std::uint32_t crc = crc_update(0xFFFFFFFFu, header, kHeaderBytes);
  if (!hal.nvm_write(at, header, kHeaderBytes)) return false;
  at += kHeaderBytes;
  std::uint8_t chunk[kChunkEntries * kEntryBytes];
  for (std::uint16_t first = 0; first < count_; first = static_cast<std::uint16_t>(first + kChunkEntries)) {
    const std::uint16_t n = count_ - first < kChunkEntries ? static_cast<std::uint16_t>(count_ - first) : kChunkEntries;
    for (std::uint16_t i = 0; i < n; ++i) {
      store_be(chunk + i * kEntryBytes, static_cast<std::uint64_t>(acc_[first + i].mwh), 8);
      store_be(chunk + i * kEntryBytes + 8, acc_[first + i].rem_uj, 4);
    }
    crc = crc_update(crc, chunk, n * kEntryBytes);
    if (!hal.nvm_write(at, chunk, n * kEntryBytes)) return false;
    at += n * kEntryBytes;
  }
  std::uint8_t trailer[kCrcBytes];
  store_be(trailer, ~crc, 4);
  if (!hal.nvm_write(at, trailer, kCrcBytes)) return false;
  generation_ = generation;
  return true;
}

bool EnergyRegisters::check_copy(hal::Hal& hal, std::uint32_t at, std::uint32_t& generation,
                                 std::uint8_t& tariff) const {
  std::uint8_t header[kHeaderBytes];
  if (!hal.nvm_read(at, header, kHeaderBytes) || header[0] != kMagic[0] || header[1] != kMagic[1] ||
      header[2] != kMagic[2] || header[3] != kMagic[3] || load_be(header + 8, 4) != layout_ ||
      load_be(header + 12, 2) != count_)
    return false;
  std::uint32_t crc = crc_update(0xFFFFFFFFu, header, kHeaderBytes);
  std::uint8_t chunk[kChunkEntries * kEntryBytes];
  const std::uint32_t body = kEntryBytes * std::uint32_t{count_};
  for (std::uint32_t done = 0; done < body;) {
    const std::uint32_t n = body - done < sizeof chunk ? body - done : static_cast<std::uint32_t>(sizeof chunk);
    if (!hal.nvm_read(at + kHeaderBytes + done, chunk, n)) return false;
    crc = crc_update(crc, chunk, n);
    done += n;
  }
  std::uint8_t trailer[kCrcBytes];
  if (!hal.nvm_read(at + kHeaderBytes + body, trailer, kCrcBytes) || load_be(trailer, 4) != ~crc) return false;
  generation = static_cast<std::uint32_t>(load_be(header + 4, 4));
  tariff = header[14];
  return true;
}

bool EnergyRegisters::load_copy(hal::Hal& hal, std::uint32_t at) {
  std::uint8_t chunk[kChunkEntries * kEntryBytes];
  at += kHeaderBytes;
  for (std::uint16_t first = 0; first < count_; first = static_cast<std::uint16_t>(first + kChunkEntries)) {
    const std::uint16_t n = count_ - first < kChunkEntries ? static_cast<std::uint16_t>(count_ - first) : kChunkEntries;
    if (!hal.nvm_read(at, chunk, n * kEntryBytes)) return false;
    for (std::uint16_t i = 0; i < n; ++i) {
      const auto rem = static_cast<std::uint32_t>(load_be(chunk + i * kEntryBytes + 8, 4));
      acc_[first + i] = {static_cast<std::int64_t>(load_be(chunk + i * kEntryBytes, 8)), rem < kUjPerMwh ? rem : 0};
    }
    at += n * kEntryBytes;
  }
  return true;
}

bool EnergyRegisters::restore(hal::Hal& hal, std::uint32_t base, std::uint8_t& tariff) {
  for (std::uint16_t i = 0; i < count_; ++i) acc_[i] = {};
  generation_ = 0;
  if (hal.nvm_size() < base || hal.nvm_size() - base < nvm_bytes()) return false;
  std::uint32_t best_at = 0, best_generation = 0;
  std::uint8_t best_tariff = 0;
  bool found = false;
  for (std::uint32_t copy = 0; copy < 2; ++copy) {
    const std::uint32_t at = base + copy * (nvm_bytes() / 2);
    std::uint32_t generation = 0;
    std::uint8_t t = 0;
    if (!check_copy(hal, at, generation, t) || (found && generation <= best_generation)) continue;
    found = true;
    best_at = at;
    best_generation = generation;
    best_tariff = t;
  }
  if (!found) return false;
  if (!load_copy(hal, best_at)) {  // passed its CRC a moment ago: a read fault leaves zeros
    for (std::uint16_t i = 0; i < count_; ++i) acc_[i] = {};
    return false;
  }
  generation_ = best_generation;
  tariff = best_tariff;
  return true;
}

}  // namespace metergen::energy
