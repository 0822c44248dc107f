// Demand engine: sub-periods aligned to local standard time, a ring of
// per-sub-period energies per channel, averages over number_of_periods x
// period (IC 5), maxima per tariff. Rules and worked examples: docs/demand.md.
#include <metergen/demand/demand.hpp>

#include <metergen/axdr/axdr.hpp>

namespace metergen::demand {

using tables::DataType;
using tables::ObjectDef;
using tables::SourceKind;

namespace {

constexpr std::int64_t kDay = 86400;

// Representable range of an integer type; false for other types.
bool integer_range(DataType t, std::int64_t& lo, std::int64_t& hi) {
  switch (t) {
    case DataType::integer: lo = -128; hi = 127; return true;
    case DataType::unsigned_: lo = 0; hi = 255; return true;
    case DataType::long_: lo = -32768; hi = 32767; return true;
    case DataType::long_unsigned: lo = 0; hi = 65535; return true;
    case DataType::double_long: lo = -2147483648LL; hi = 2147483647LL; return true;
    case DataType::double_long_unsigned: lo = 0; hi = 4294967295LL; return true;
    case DataType::long64: lo = -9223372036854775807LL - 1; hi = 9223372036854775807LL; return true;
    case DataType::long64_unsigned: lo = 0; hi = 9223372036854775807LL; return true;
    default: return false;
  }
}

// energy_uj / (window_s * 10^(6 + scaler)): the average power in steps of
// 10^scaler W, rounded half away from zero. scaler in kMinScaler..kMaxScaler
// keeps the divisor below 10^12 * window_s.
std::int64_t average(std::int64_t energy_uj, std::uint32_t window_s, std::int8_t scaler) {
  std::int64_t divisor = window_s;
  for (int i = 0; i < 6 + scaler; ++i) divisor *= 10;
  const std::int64_t half = divisor / 2;
  return energy_uj >= 0 ? (energy_uj + half) / divisor : -((half - energy_uj) / divisor);
}

// Start of the day (local seconds) that holds `local`, also before 1970.
std::int64_t day_start(std::int64_t local) {
  const std::int64_t r = local % kDay;
  return local - (r < 0 ? r + kDay : r);
}

}  // namespace

Demand::Demand(const tables::Model& model, cosem::Objects& objects) : model_(model), objects_(objects) {
  const tables::DemandDef* def = model.demand;
  active_ = def != nullptr && def->period_s > 0 && def->number_of_periods >= 1 &&
            def->number_of_periods <= kMaxSubPeriods;
  if (active_) {
    period_s_ = def->period_s;
    periods_ = def->number_of_periods;
    window_s_ = period_s_ * periods_;
  }
  for (std::uint16_t i = 0; i < model.object_count; ++i) {
    const ObjectDef& d = model.objects[i];
    const bool is_demand = d.binding.kind == SourceKind::demand;
    if (!is_demand && d.binding.kind != SourceKind::max_demand) continue;
    const std::uint8_t c = feeds(d) ? channel(d.binding) : kMaxChannels;
    if (c == channel_count_ && c < kMaxChannels)
      channels_[channel_count_++] = {d.binding.quantity, d.binding.phase, tables::kNone, 0, {}};
    if (c == kMaxChannels || (is_demand && channels_[c].demand_object != tables::kNone)) {
      ++unfed_;
      continue;
    }
    if (is_demand) channels_[c].demand_object = i;
  }
}

// A register this engine can feed, whether or not its channel found room.
bool Demand::feeds(const ObjectDef& d) const {
  const bool is_demand = d.binding.kind == SourceKind::demand && d.class_id == 5;
  const bool is_maximum = d.binding.kind == SourceKind::max_demand && d.class_id == 4;
  std::int64_t lo, hi;
  return active_ && (is_demand || is_maximum) && energy::is_energy_quantity(d.binding.quantity) &&
         d.binding.phase <= metrology::kMaxPhases && d.scaler >= kMinScaler && d.scaler <= kMaxScaler &&
         d.state_offset != tables::kNoState && integer_range(d.value_type, lo, hi);
}

// Index of the channel of `b`; channel_count_ when it has none yet.
std::uint8_t Demand::channel(const tables::Binding& b) const {
  std::uint8_t i = 0;
  while (i < channel_count_ && (channels_[i].quantity != b.quantity || channels_[i].phase != b.phase)) ++i;
  return i;
}

// A maximum demand register this engine feeds.
bool Demand::fed_maximum(const ObjectDef& d) const {
  return d.binding.kind == SourceKind::max_demand && feeds(d) && channel(d.binding) < channel_count_;
}

std::int64_t Demand::register_value(std::int64_t energy_uj, const ObjectDef& d) const {
  std::int64_t lo = 0, hi = 0;
  integer_range(d.value_type, lo, hi);
  const std::int64_t v = average(energy_uj, window_s_, d.scaler);
  return v < lo ? lo : v > hi ? hi : v;
}

// The sub-period holding the second that starts at `instant`: multiples of the
// period from local standard midnight (time zone, no DST), the day's last one
// cut short at midnight when the period does not divide a day.
void Demand::schedule(std::int64_t instant, std::int64_t& start, std::int64_t& end) const {
  const std::int64_t offset = std::int64_t{objects_.clock_settings().time_zone_min} * 60;
  const std::int64_t local = instant + offset;
  const std::int64_t day = day_start(local);
  const std::int64_t into_day = (local - day) / period_s_ * period_s_;
  start = day + into_day - offset;
  end = (into_day + period_s_ < kDay ? day + into_day + period_s_ : day + kDay) - offset;
}

void Demand::second(const energy::SecondPowers& p, std::uint8_t tariff, std::uint64_t utc_s) {
  if (!active_) return;
  const std::int64_t now = static_cast<std::int64_t>(utc_s);
  const std::int64_t measured = now - 1;  // the second [now - 1, now) that `p` covers
  if (period_end_ == 0) {
    std::int64_t start, end;
    schedule(measured, start, end);
    begin(start, measured);
  } else if (now < period_start_) {
    // The clock went back before the running sub-period: it continues, with
    // its energy, in the sub-period now holding the clock. (A second that ends
    // right at the start, as after a restart on a boundary, counts in it.)
    schedule(measured, period_start_, period_end_);
    data_start_[head_] = period_start_;
    write_start_time();
  } else if (measured >= period_end_) {
    // The clock jumped past the end: close the running sub-period and the
    // skipped ones; once a whole window has passed, start afresh.
    for (std::uint8_t i = 0; i < periods_ && measured >= period_end_; ++i) close(tariff);
    if (measured >= period_end_) {
      std::int64_t start, end;
      schedule(measured, start, end);
      begin(start, measured);
    }
  }
  for (std::uint8_t i = 0; i < channel_count_; ++i) {
    Channel& c = channels_[i];
    const std::int64_t uj = p.phase[c.phase][c.quantity];
    c.energy_uj[head_] += uj;
    c.window_uj += uj;
  }
  if (now == period_end_) close(tariff);
  write_current();
}

void Demand::reset_maximum(std::uint64_t utc_s) {
  const axdr::DateTime at = objects_.local_time(static_cast<std::int64_t>(utc_s));
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    if (!fed_maximum(model_.objects[i])) continue;
    objects_.write_integer(i, 2, 0);
    objects_.write_time(i, 5, at);
  }
}

void Demand::recalculate(Reason r, std::uint64_t utc_s) {
  if (!active_ || (model_.demand->recalculate & (1u << static_cast<unsigned>(r))) == 0) return;
  const std::int64_t t = static_cast<std::int64_t>(utc_s);
  begin(t, t);
  write_current();
}

void Demand::restart(std::uint64_t utc_s) {
  if (!active_) return;
  const std::int64_t t = static_cast<std::int64_t>(utc_s);
  begin(t, t);
  write_current();
}

void Demand::next_period(std::uint8_t tariff, std::uint64_t utc_s) {
  if (!active_ || period_end_ == 0) return;
  period_end_ = static_cast<std::int64_t>(utc_s);
  close(tariff);
  write_current();
}

bool Demand::change_period(std::uint32_t period_s, std::uint64_t utc_s) {
  if (!active_ || period_s == 0 || std::uint64_t{period_s} * periods_ > model_.demand->max_window_s) return false;
  if (period_s == period_s_) return true;
  period_s_ = period_s;
  window_s_ = period_s_ * periods_;
  restart(utc_s);
  return true;
}

// Record body: period_start (8) | period_end (8) | period_s (4) | head | filled |
// 2 reserved | data_start per sub-period (8 each) | per channel its energy per
// sub-period (8 each), all big-endian.
constexpr std::uint32_t kWindowHeader = 24;
constexpr std::uint8_t kRecordVersion = 1;
constexpr std::uint32_t kWritesPerDay = 96;  // with the energy record, every 15 minutes

std::uint32_t Demand::record_body() const {
  return kWindowHeader + 8u * periods_ * (1u + channel_count_);
}

void Demand::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  if (!active_) return;
  const std::uint32_t body = record_body();
  const std::uint32_t slots = storage::Record::slots_for(body, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(body, slots, g.erase_unit)), body, slots, g.erase_unit,
                {storage::RecordKind::demand, kRecordVersion, body});
}

bool Demand::persist(hal::Hal& hal) {
  if (!active_ || period_end_ == 0) return true;
  std::uint8_t buf[8 * kMaxSubPeriods];
  ByteWriter header(buf, kWindowHeader);
  header.be64(static_cast<std::uint64_t>(period_start_));
  header.be64(static_cast<std::uint64_t>(period_end_));
  header.be32(period_s_);
  header.u8(head_), header.u8(filled_), header.be16(0);
  storage::SlotRing::Writer w;
  bool ok = record_.begin(hal, w) && w.put(buf, kWindowHeader);
  ByteWriter starts(buf, sizeof buf);
  for (std::uint8_t i = 0; i < periods_; ++i) starts.be64(static_cast<std::uint64_t>(data_start_[i]));
  ok = ok && w.put(buf, 8u * periods_);
  for (std::uint8_t c = 0; c < channel_count_ && ok; ++c) {
    ByteWriter energy(buf, sizeof buf);
    for (std::uint8_t i = 0; i < periods_; ++i) energy.be64(static_cast<std::uint64_t>(channels_[c].energy_uj[i]));
    ok = w.put(buf, 8u * periods_);
  }
  return record_.commit(w) && ok;
}

bool Demand::restore(hal::Hal& hal) {
  std::uint8_t buf[8 * kMaxSubPeriods];
  if (!active_ || !record_.open(hal) || !record_.read(hal, 0, buf, kWindowHeader)) return false;
  ByteReader header(buf, kWindowHeader);
  const auto start = static_cast<std::int64_t>(header.be64());
  const auto end = static_cast<std::int64_t>(header.be64());
  const std::uint32_t period_s = header.be32();
  const std::uint8_t head = header.u8(), filled = header.u8();
  if (period_s != period_s_ || head >= periods_ || filled == 0 || filled > periods_) return false;
  std::uint32_t at = kWindowHeader;
  if (!record_.read(hal, at, buf, 8u * periods_)) return false;
  ByteReader starts(buf, sizeof buf);
  for (std::uint8_t i = 0; i < periods_; ++i) data_start_[i] = static_cast<std::int64_t>(starts.be64());
  for (std::uint8_t c = 0; c < channel_count_; ++c) {
    at += 8u * periods_;
    if (!record_.read(hal, at, buf, 8u * periods_)) return false;
    Channel& ch = channels_[c];
    ByteReader energy(buf, sizeof buf);
    ch.window_uj = 0;
    for (std::uint8_t i = 0; i < periods_; ++i) {
      ch.energy_uj[i] = static_cast<std::int64_t>(energy.be64());
      ch.window_uj += ch.energy_uj[i];
    }
  }
  period_start_ = start, period_end_ = end, head_ = head, filled_ = filled;
  write_start_time();
  write_current();
  return true;
}

bool Demand::feeds_demand(std::uint16_t object) const {
  for (std::uint8_t i = 0; i < channel_count_; ++i)
    if (channels_[i].demand_object == object) return true;
  return false;
}

// A new window: every channel empty, the running sub-period the one holding
// `instant`, its energy counted from `data_start`.
void Demand::begin(std::int64_t data_start, std::int64_t instant) {
  for (std::uint8_t i = 0; i < channel_count_; ++i) {
    Channel& c = channels_[i];
    c.window_uj = 0;
    for (std::int64_t& e : c.energy_uj) e = 0;
  }
  head_ = 0;
  filled_ = 1;
  data_start_[0] = data_start;
  schedule(instant, period_start_, period_end_);
  write_start_time();
}

// Closes the running sub-period at its end: last average and capture_time,
// maxima, then the next sub-period starts and the oldest leaves a full window.
void Demand::close(std::uint8_t tariff) {
  const std::int64_t end = period_end_;
  const axdr::DateTime at = objects_.local_time(end);
  for (std::uint8_t i = 0; i < channel_count_; ++i) {
    const Channel& c = channels_[i];
    if (c.demand_object == tables::kNone) continue;
    objects_.write_integer(c.demand_object, 3, register_value(c.window_uj, model_.objects[c.demand_object]));
    objects_.write_time(c.demand_object, 6, at);
  }
  update_maxima(tariff, at);

  head_ = static_cast<std::uint8_t>((head_ + 1) % periods_);
  const bool full = filled_ == periods_;
  if (!full) ++filled_;
  for (std::uint8_t i = 0; i < channel_count_; ++i) {
    Channel& c = channels_[i];
    if (full) c.window_uj -= c.energy_uj[head_];
    c.energy_uj[head_] = 0;
  }
  data_start_[head_] = end;
  schedule(end, period_start_, period_end_);
  write_start_time();
}

// The closed window against the maximum of the total (tariff 0) and of
// `tariff`: a larger value replaces it, stamped with the window's end.
void Demand::update_maxima(std::uint8_t tariff, const axdr::DateTime& at) {
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    const ObjectDef& d = model_.objects[i];
    if ((d.binding.tariff != 0 && d.binding.tariff != tariff) || !fed_maximum(d)) continue;
    const std::int64_t v = register_value(channels_[channel(d.binding)].window_uj, d);
    std::int64_t maximum = 0;
    if (held_value(i, maximum) && v <= maximum) continue;
    objects_.write_integer(i, 2, v);
    objects_.write_time(i, 5, at);
  }
}

// The value an object holds now (a client's reset may have changed it).
bool Demand::held_value(std::uint16_t object, std::int64_t& v) { return objects_.read_integer(object, 2, v); }

// start_time_current: when the oldest sub-period of the window began.
void Demand::write_start_time() {
  const std::uint8_t oldest = static_cast<std::uint8_t>((head_ + periods_ - filled_ + 1) % periods_);
  const axdr::DateTime start = objects_.local_time(data_start_[oldest]);
  for (std::uint8_t i = 0; i < channel_count_; ++i)
    if (channels_[i].demand_object != tables::kNone) objects_.write_time(channels_[i].demand_object, 7, start);
}

// current_average: the window's energy so far over number_of_periods x period.
void Demand::write_current() {
  for (std::uint8_t i = 0; i < channel_count_; ++i) {
    const Channel& c = channels_[i];
    if (c.demand_object != tables::kNone)
      objects_.write_integer(c.demand_object, 2, register_value(c.window_uj, model_.objects[c.demand_object]));
  }
}

}  // namespace metergen::demand
