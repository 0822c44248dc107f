// Energy accumulators and their NVM record (see energy/registers.hpp).
#include <metergen/energy/registers.hpp>
#include <metergen/storage/crc32.hpp>

namespace metergen::energy {

namespace {

constexpr std::int64_t kInt64Max = 0x7FFFFFFFFFFFFFFFll;
constexpr std::int64_t kInt64Min = -kInt64Max - 1;

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kHeaderBytes = 4;  // count (be16), tariff, 0
constexpr std::uint32_t kEntryBytes = 12;
constexpr std::uint16_t kChunkEntries = 16;  // entries per NVM access (stack buffer)
constexpr std::uint32_t kWritesPerDay = 24 * 3600 / 900;  // metering::kPersistEverySeconds

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
  std::uint32_t crc = ~storage::crc32_text(m.id);
  for (std::uint16_t i = 0; i < count; ++i) crc = storage::crc32_update(crc, m.objects[objects[i]].ln.b, 6);
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

void EnergyRegisters::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t body = kHeaderBytes + kEntryBytes * std::uint32_t{count_};
  const std::uint32_t slots = storage::Record::slots_for(body, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(body, slots, g.erase_unit)), body, slots, g.erase_unit,
                {storage::RecordKind::energy, kVersion, layout_});
}

bool EnergyRegisters::persist(hal::Hal& hal, std::uint8_t tariff) {
  std::uint8_t chunk[kChunkEntries * kEntryBytes];
  store_be(chunk, count_, 2);
  chunk[2] = tariff;
  chunk[3] = 0;
  storage::SlotRing::Writer w;
  bool ok = record_.begin(hal, w) && w.put(chunk, kHeaderBytes);
  for (std::uint16_t first = 0; first < count_ && ok; first += kChunkEntries) {
    const std::uint16_t n = count_ - first < kChunkEntries ? static_cast<std::uint16_t>(count_ - first) : kChunkEntries;
    for (std::uint16_t i = 0; i < n; ++i) {
      store_be(chunk + i * kEntryBytes, static_cast<std::uint64_t>(acc_[first + i].mwh), 8);
      store_be(chunk + i * kEntryBytes + 8, acc_[first + i].rem_uj, 4);
    }
    ok = w.put(chunk, n * kEntryBytes);
  }
  ok = record_.commit(w) && ok;
  writes_ += ok;
  return ok;
}

bool EnergyRegisters::restore(hal::Hal& hal, std::uint8_t& tariff) {
  for (std::uint16_t i = 0; i < count_; ++i) acc_[i] = {};
  std::uint8_t chunk[kChunkEntries * kEntryBytes];
  if (!record_.open(hal) || !record_.read(hal, 0, chunk, kHeaderBytes) || load_be(chunk, 2) != count_) return false;
  const std::uint8_t stored_tariff = chunk[2];
  for (std::uint16_t first = 0; first < count_; first += kChunkEntries) {
    const std::uint16_t n = count_ - first < kChunkEntries ? static_cast<std::uint16_t>(count_ - first) : kChunkEntries;
    bool ok = record_.read(hal, kHeaderBytes + first * kEntryBytes, chunk, n * kEntryBytes);
    for (std::uint16_t i = 0; i < n && ok; ++i) ok = set_from_bytes(static_cast<std::uint16_t>(first + i), chunk + i * kEntryBytes);
    if (!ok) {  // the copy checked out a moment ago: a failing re-read leaves zeros
      for (std::uint16_t i = 0; i < count_; ++i) acc_[i] = {};
      return false;
    }
  }
  tariff = stored_tariff;
  return true;
}

bool EnergyRegisters::set_from_bytes(std::uint16_t i, const std::uint8_t* entry) {
  const auto rem = static_cast<std::uint32_t>(load_be(entry + 8, 4));
  if (i >= count_ || rem >= kUjPerMwh) return false;
  acc_[i] = {static_cast<std::int64_t>(load_be(entry, 8)), rem};
  return true;
}

}  // namespace metergen::energy
