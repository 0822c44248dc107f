// The billing engine (see billing/billing.hpp).
#include <metergen/axdr/axdr.hpp>
#include <metergen/billing/billing.hpp>
#include <metergen/metering/register_values.hpp>

namespace metergen::billing {

using tables::kNone;

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kWritesPerDay = 100;  // every 15 minutes with the times of operation, billings, power-fail saves
constexpr std::uint8_t kCurrentF = 255;
constexpr std::uint8_t kFirstHistoricalF = 101;
constexpr std::uint8_t kLastHistoricalF = 125;
constexpr std::uint8_t kConsumptionD = 9;  // time integral 2: energy over the billing period
constexpr std::uint8_t kEnergyD = 8;       // time integral 1: energy since the register's start

bool historical(const tables::LogicalName& ln) { return ln.b[5] >= kFirstHistoricalF && ln.b[5] <= kLastHistoricalF; }

tables::LogicalName with_f(tables::LogicalName ln, std::uint8_t f) {
  ln.b[5] = f;
  return ln;
}

}  // namespace

Billing::Billing(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Profiles& profiles,
                 metering::Engine& engine)
    : model_(model),
      hal_(hal),
      objects_(objects),
      profiles_(profiles),
      engine_(engine),
      counter_(tables::find_role(model, tables::Role::billing_counter)),
      lockout_(tables::find_role(model, tables::Role::billing_lockout)) {
  bind();
}

// The D = 9, F = 101 registers without an F = 255 object of their own are
// computed from the D = 8 register of the same quantity.
void Billing::bind() {
  for (std::uint16_t i = 0; i < model_.object_count; ++i) {
    const tables::ObjectDef& d = model_.objects[i];
    if (d.binding.kind != tables::SourceKind::billing || d.ln.b[3] != kConsumptionD || d.ln.b[5] != kFirstHistoricalF ||
        tables::find_object(model_, with_f(d.ln, kCurrentF)) != kNone)
      continue;
    tables::LogicalName energy = with_f(d.ln, kCurrentF);
    energy.b[3] = kEnergyD;
    const std::uint16_t source = tables::find_object(model_, energy);
    if (source == kNone || model_.objects[source].scaler != d.scaler || consumption_count_ == kMaxPeriodConsumptions) {
      hal_.log("billing: a period consumption register has no energy register of its scaler; it is not computed");
      continue;
    }
    consumption_[consumption_count_] = i;
    consumption_source_[consumption_count_++] = source;
  }
}

void Billing::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t slots = storage::Record::slots_for(kBodyBytes, kWritesPerDay, g);
  record_.place(at.take(storage::Record::bytes(kBodyBytes, slots, g.erase_unit)), kBodyBytes, slots, g.erase_unit,
                {storage::RecordKind::billing, kVersion, kBodyBytes});
}

void Billing::boot() {
  body_ = {};
  std::uint8_t raw[kBodyBytes];
  if (!record_.open(hal_) || !record_.read(hal_, 0, raw, kBodyBytes)) return;
  ByteReader r(raw, kBodyBytes);
  body_.last_seen = static_cast<std::int64_t>(r.be64());
  body_.last_billing = static_cast<std::int64_t>(r.be64());
  for (std::int64_t& base : body_.base) base = static_cast<std::int64_t>(r.be64());
  for (std::uint32_t& s : body_.operating_s) s = r.be32();
}

bool Billing::persist() {
  std::uint8_t raw[kBodyBytes];
  ByteWriter w(raw, kBodyBytes);
  w.be64(static_cast<std::uint64_t>(body_.last_seen));
  w.be64(static_cast<std::uint64_t>(body_.last_billing));
  for (const std::int64_t base : body_.base) w.be64(static_cast<std::uint64_t>(base));
  for (const std::uint32_t s : body_.operating_s) w.be32(s);
  return record_.write(hal_, raw);
}

std::uint32_t Billing::lockout_s() {
  std::int64_t v = 0;
  if (lockout_ != kNone && objects_.read_integer(lockout_, 2, v) && v >= 0 && v <= 0xFFFFFFFFll) return static_cast<std::uint32_t>(v);
  return model_.billing.lockout_s;
}

bool Billing::end_of_period(Trigger how, std::int64_t utc_s) {
  const bool manual = how == Trigger::command || how == Trigger::button;
  if (manual && body_.last_billing != 0 && utc_s >= body_.last_billing &&
      utc_s - body_.last_billing < static_cast<std::int64_t>(lockout_s())) {
    hal_.log("billing: refused within the lock-out after the previous billing");
    return false;
  }
  shift_history();
  write_consumptions();
  count_period();
  capture(model_.billing.monthly_profile, how, utc_s);
  engine_.billing_period_ended();
  body_.last_billing = utc_s;
  body_.last_seen = utc_s;
  if (!persist()) hal_.log("billing: the billing record could not be written");
  if (notice_ != nullptr) notice_->raise(tables::Trigger::billing_period_ended);
  return true;
}

void Billing::daily_freeze(Trigger how, std::int64_t utc_s) { capture(model_.billing.daily_profile, how, utc_s); }

// A schedule fires, and a passive calendar activates, in the minute they name,
// so the entry reads that minute's start (as a periodic capture reads its
// period's boundary); a billing on demand or caught up late reads the time it is taken.
void Billing::capture(std::uint16_t profile, Trigger how, std::int64_t utc_s) {
  if (profile == kNone) return;
  if (how == Trigger::schedule || how == Trigger::contract_change) profiles_.capture_at(profile, utc_s - ((utc_s % 60) + 60) % 60);
  else profiles_.capture(profile);
}

// Objects are sorted by logical name, so walking them backwards visits F = 125
// before 101 within one quantity: each takes its predecessor's value before
// that one is overwritten.
void Billing::shift_history() {
  for (std::uint16_t i = model_.object_count; i-- > 0;) {
    const tables::ObjectDef& d = model_.objects[i];
    if (d.binding.kind != tables::SourceKind::billing || !historical(d.ln)) continue;
    const std::uint8_t f = d.ln.b[5];
    const std::uint16_t from = tables::find_object(model_, with_f(d.ln, f == kFirstHistoricalF ? kCurrentF : f - 1));
    if (from != kNone) copy_value(from, i);
  }
}

// Value (and, for extended registers, capture time) of `from` into `to`.
void Billing::copy_value(std::uint16_t from, std::uint16_t to) {
  std::int64_t v = 0;
  if (!objects_.read_integer(from, 2, v)) return;
  write_integer(to, v);
  if (model_.objects[from].class_id != 4 || model_.objects[to].class_id != 4) return;
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  axdr::DateTime t{};
  if (objects_.read(from, 5, w) != dlms::DataAccessResult::success || w.overflow()) return;
  ByteReader r(buf, w.size());
  if (axdr::get_date_time(r, t)) objects_.write_time(to, 5, t);
}

void Billing::write_consumptions() {
  for (std::uint8_t i = 0; i < consumption_count_; ++i) {
    std::int64_t now = 0;
    if (!objects_.read_integer(consumption_source_[i], 2, now)) continue;
    write_integer(consumption_[i], now - body_.base[i]);
    body_.base[i] = now;
  }
}

// The counter runs over the range of its type and starts again at 0.
void Billing::count_period() {
  std::int64_t n = 0;
  if (counter_ == kNone || !objects_.read_integer(counter_, 2, n)) return;
  const tables::DataType t = model_.objects[counter_].value_type;
  const std::int64_t wrap = t == tables::DataType::unsigned_ ? 0x100 : t == tables::DataType::long_unsigned ? 0x10000 : 0x100000000ll;
  write_integer(counter_, (n + 1) % wrap);
}

void Billing::write_integer(std::uint16_t object, std::int64_t v) {
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  if (!metering::put_clamped(w, model_.objects[object].value_type, v) || w.overflow()) return;
  objects_.write_value(object, ByteReader(buf, w.size()));
}

}  // namespace metergen::billing
