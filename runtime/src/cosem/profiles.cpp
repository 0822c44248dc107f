// Profile generic (IC 7 v1) over the generated profile tables: ring buffers in
// NVM (layout in profiles.hpp), attributes, methods and selective access.
// May call: the tables, axdr/ (codec, date-time), the HAL, the AttributeSource.
//
// Untrusted: the selective-access parameters and set() values. Entries read back
// from NVM are re-validated before any byte of them is copied out.
#include <metergen/cosem/profiles.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/storage/crc32.hpp>

#include "capture_object.hpp"

namespace metergen::cosem {
namespace {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::DataType;

constexpr std::uint8_t kVersion = 1;
constexpr std::uint32_t kSettingsBytes = 8;        // per profile: capture_period (be32), reset point (be32)
constexpr std::uint32_t kSettingsWritesPerDay = 4;  // a client's period changes and resets

// What a buffer's and a settings record's slots are laid out for.
std::uint32_t tag_of(const tables::Model& m, const tables::ProfileDef& d) {
  std::uint32_t crc = storage::crc32_update(~storage::crc32_text(m.id), m.objects[d.object].ln.b, 6);
  const std::uint32_t layout[] = {d.entries, d.entry_bytes, d.capture_count};
  for (std::uint32_t v : layout) crc = storage::crc32_update_be32(crc, v);
  return ~crc;
}

// A row of null-data, in place of an entry whose slot does not check out
// (usable() makes sure it fits entry_bytes).
void put_null_entry(std::uint8_t* entry, std::uint16_t entry_bytes, std::uint16_t columns) {
  ByteWriter w(entry, entry_bytes);
  axdr::put_structure(w, columns);
  for (std::uint16_t i = 0; i < columns; ++i) w.u8(static_cast<std::uint8_t>(DataType::null_data));
}

// Splits a stored entry `02 <columns> <Data>...`: column i is bytes offsets[i]..offsets[i+1].
bool split_entry(const std::uint8_t* entry, std::size_t n, std::uint16_t columns, std::uint16_t* offsets) {
  ByteReader r(entry, n);
  std::uint32_t count = 0;
  if (!axdr::get_structure(r, count) || count != columns) return false;
  for (std::uint16_t i = 0; i < columns; ++i) {
    offsets[i] = static_cast<std::uint16_t>(r.position());
    if (!axdr::skip_value(r)) return false;
  }
  offsets[columns] = static_cast<std::uint16_t>(r.position());
  return true;
}

CaptureObject capture_object_of(const tables::Model& m, const tables::CaptureDef& c) {
  const tables::ObjectDef& o = m.objects[c.object];
  return {o.class_id, o.ln, c.attribute, c.data_index};
}

// Column of the profile that `c` names, or -1.
int find_column(const tables::Model& m, const tables::ProfileDef& d, const CaptureObject& c) {
  for (std::uint16_t i = 0; i < d.capture_count; ++i) {
    const CaptureObject own = capture_object_of(m, m.captures[d.first_capture + i]);
    if (own.class_id == c.class_id && own.ln == c.ln && own.attribute == c.attribute && own.data_index == c.data_index)
      return i;
  }
  return -1;
}

// What a selective read of the buffer returns: entries [from, to) counted from
// the oldest, the listed columns, and for a range only the entries whose
// `restricting` column is a date-time within [not_before, not_after].
struct Query {
  std::uint32_t from;
  std::uint32_t to;
  std::uint8_t columns[Profiles::kMaxColumns];
  std::uint16_t column_count;
  bool by_range;
  std::uint16_t restricting;
  std::int64_t not_before;
  std::int64_t not_after;
  bool before_is_local;  // the bound had no deviation (0x8000): compared with the entries' local time
  bool after_is_local;
};

// A date-time bound as seconds: UTC when its deviation is given; otherwise, as
// the Blue Book reads an unspecified deviation, local time (its fields counted as if UTC).
bool bound_seconds(axdr::DateTime t, std::int64_t& s, bool& local) {
  local = t.deviation == axdr::kDeviationNotSpecified;
  if (local) t.deviation = 0;
  return axdr::to_utc_seconds(t, s);
}

void select_columns(Query& q, std::uint16_t first, std::uint16_t last) {
  q.column_count = 0;
  for (std::uint16_t c = first; c <= last; ++c) q.columns[q.column_count++] = static_cast<std::uint8_t>(c);
}

// dlms-protocol.md §12, selector 1.
DataAccessResult parse_range(const tables::Model& m, const tables::ProfileDef& d, ByteReader r, Query& q) {
  std::uint32_t fields = 0, listed = 0;
  CaptureObject restricting{};
  axdr::DateTime from{}, to{};
  if (!axdr::get_structure(r, fields) || fields != 4 || !read_capture_object(r, restricting) ||
      !axdr::get_date_time(r, from) || !axdr::get_date_time(r, to) || !axdr::get_array(r, listed))
    return DataAccessResult::type_unmatched;
  if (listed > Profiles::kMaxColumns) return DataAccessResult::other_reason;
  bool unknown_column = false;
  for (std::uint32_t i = 0; i < listed; ++i) {
    CaptureObject c{};
    if (!read_capture_object(r, c)) return DataAccessResult::type_unmatched;
    const int column = find_column(m, d, c);
    unknown_column |= column < 0;
    q.columns[i] = static_cast<std::uint8_t>(column);
  }
  if (!r.empty()) return DataAccessResult::type_unmatched;
  const int column = find_column(m, d, restricting);
  if (unknown_column || column < 0 || !bound_seconds(from, q.not_before, q.before_is_local) ||
      !bound_seconds(to, q.not_after, q.after_is_local))
    return DataAccessResult::other_reason;
  if (listed == 0) select_columns(q, 0, static_cast<std::uint16_t>(d.capture_count - 1));
  else q.column_count = static_cast<std::uint16_t>(listed);
  q.by_range = true;
  q.restricting = static_cast<std::uint16_t>(column);
  return DataAccessResult::success;
}

// dlms-protocol.md §12, selector 2: entries and columns from 1, 0 = the last.
DataAccessResult parse_entries(const tables::ProfileDef& d, ByteReader r, std::uint32_t in_use, Query& q) {
  std::uint32_t fields = 0, from_entry = 0, to_entry = 0;
  std::uint16_t from_column = 0, to_column = 0;
  if (!axdr::get_structure(r, fields) || fields != 4 || !axdr::get_u32(r, from_entry) || !axdr::get_u32(r, to_entry) ||
      !axdr::get_u16(r, from_column) || !axdr::get_u16(r, to_column) || !r.empty())
    return DataAccessResult::type_unmatched;
  if (to_column == 0) to_column = d.capture_count;
  if (from_entry == 0 || (to_entry != 0 && to_entry < from_entry) || from_column == 0 || from_column > to_column ||
      to_column > d.capture_count)
    return DataAccessResult::other_reason;
  if (to_entry == 0 || to_entry > in_use) to_entry = in_use;
  q.from = from_entry - 1 < to_entry ? from_entry - 1 : to_entry;
  q.to = to_entry;
  select_columns(q, static_cast<std::uint16_t>(from_column - 1), static_cast<std::uint16_t>(to_column - 1));
  return DataAccessResult::success;
}

// The entry's restricting column is a date-time within the range; a value that is not one instant is outside.
bool in_range(const Query& q, const std::uint8_t* entry, const std::uint16_t* offsets) {
  const std::uint16_t at = offsets[q.restricting];
  ByteReader r(entry + at, static_cast<std::size_t>(offsets[q.restricting + 1] - at));
  axdr::DateTime t{};
  std::int64_t utc = 0;
  if (!axdr::get_date_time(r, t) || !axdr::to_utc_seconds(t, utc)) return false;
  const std::int64_t local = utc - std::int64_t{t.deviation} * 60;  // UTC = local + deviation
  return (q.before_is_local ? local : utc) >= q.not_before && (q.after_is_local ? local : utc) <= q.not_after;
}

}  // namespace

Profiles::Profiles(const tables::Model& model, hal::Hal& hal) : model_(model), hal_(hal), rings_(model.ram.profiles) {
  for (std::uint16_t p = 0; p < count(); ++p) rings_[p] = Ring{};
}

bool Profiles::usable(std::uint16_t profile) const {
  if (profile >= model_.profile_count || profile >= kMaxProfiles) return false;
  const tables::ProfileDef& d = model_.profiles[profile];
  // Room for a row of null-data: a structure header of at most 3 bytes and a byte per column.
  return d.entries > 0 && d.entry_bytes <= kMaxEntryBytes && d.capture_count > 0 && d.capture_count <= kMaxColumns &&
         d.entry_bytes >= 3u + d.capture_count;
}

std::uint16_t Profiles::count() const {
  return model_.profile_count < kMaxProfiles ? model_.profile_count : kMaxProfiles;
}

void Profiles::place(storage::Allocator& at, const hal::NvmGeometry& g) {
  const std::uint32_t body = kSettingsBytes * count();
  std::uint32_t tag = ~storage::crc32_text(model_.id);
  for (std::uint16_t p = 0; p < count(); ++p) tag = storage::crc32_update_be32(tag, tag_of(model_, model_.profiles[p]));
  const std::uint32_t slots = storage::Record::slots_for(body, kSettingsWritesPerDay, g);
  settings_.place(at.take(storage::Record::bytes(body, slots, g.erase_unit)), body, slots, g.erase_unit,
                  {storage::RecordKind::profile, kVersion, ~tag});
  for (std::uint16_t p = 0; p < count(); ++p) {
    if (!usable(p)) continue;
    const tables::ProfileDef& d = model_.profiles[p];
    // One slot more than entries, so a capture never overwrites an entry still
    // in the buffer, plus what an erase may reach.
    const std::uint32_t slots_needed = d.entries + 1 + storage::SlotRing::erase_spare(d.entry_bytes, g.erase_unit);
    rings_[p].buffer = storage::SlotRing(at.take(storage::SlotRing::bytes(d.entry_bytes, slots_needed, g.erase_unit)),
                                         d.entry_bytes, slots_needed, g.erase_unit, tag_of(model_, d));
  }
}

void Profiles::boot() {
  const bool stored = settings_.open(hal_);
  for (std::uint16_t p = 0; p < count(); ++p) {
    Ring& ring = rings_[p];
    ring.capture_period_s = model_.profiles[p].capture_period_s;
    ring.cleared = storage::kNoSequence;
    ring.newest = storage::kNoSequence;
    ring.ticked = false;
    if (!usable(p)) continue;
    std::uint8_t settings[kSettingsBytes];
    if (stored && settings_.read(hal_, kSettingsBytes * p, settings, kSettingsBytes)) {
      ByteReader r(settings, kSettingsBytes);
      ring.capture_period_s = r.be32();
      ring.cleared = r.be32();
    }
    ring.newest = ring.buffer.newest(hal_);
    if (ring.cleared > ring.newest) ring.cleared = ring.newest;
    ring.next = ring.newest + 1;
  }
}

bool Profiles::save_settings(std::uint16_t profile, std::uint32_t period_s, std::uint32_t cleared) {
  std::uint8_t body[kSettingsBytes * kMaxProfiles];
  ByteWriter w(body, sizeof body);
  for (std::uint16_t p = 0; p < count(); ++p) {
    w.be32(p == profile ? period_s : rings_[p].capture_period_s);
    w.be32(p == profile ? cleared : rings_[p].cleared);
  }
  if (!settings_.write(hal_, body)) return false;
  rings_[profile].capture_period_s = period_s;
  rings_[profile].cleared = cleared;
  return true;
}

bool Profiles::append(std::uint16_t profile, std::uint8_t* entry, std::uint32_t used) {
  Ring& ring = rings_[profile];
  const std::uint32_t size = ring.buffer.payload_bytes();
  for (std::uint32_t i = used; i < size; ++i) entry[i] = 0;
  std::uint32_t sequence = ring.next;
  storage::SlotRing::Writer w;
  const bool ok = ring.buffer.begin(hal_, sequence, ring.newest, w) && w.put(entry, size) && w.finish();
  ring.next = ok ? sequence + 1 : ring.buffer.after_failure(sequence);
  if (ok) ring.newest = sequence;
  return ok;
}

bool Profiles::adopt_entry(std::uint16_t profile, const std::uint8_t* entry, std::uint32_t n) {
  if (!usable(profile) || n > model_.profiles[profile].entry_bytes) return false;
  std::uint8_t copy[kMaxEntryBytes];
  for (std::uint32_t i = 0; i < n; ++i) copy[i] = entry[i];
  return append(profile, copy, n);
}

bool Profiles::restart(std::uint16_t profile, std::uint32_t period_s) {
  return usable(profile) && save_settings(profile, period_s, rings_[profile].newest);
}

void Profiles::read_entry(std::uint16_t profile, std::uint32_t index, std::uint8_t* buf) const {
  const Ring& ring = rings_[profile];
  const std::uint32_t sequence = ring.newest - entries_in_use(profile) + 1 + index;
  if (!ring.buffer.read(hal_, sequence, buf)) put_null_entry(buf, model_.profiles[profile].entry_bytes, model_.profiles[profile].capture_count);
}

std::uint32_t Profiles::entries_in_use(std::uint16_t profile) const {
  if (!usable(profile)) return 0;
  const std::uint32_t kept = rings_[profile].newest - rings_[profile].cleared;
  return kept < model_.profiles[profile].entries ? kept : model_.profiles[profile].entries;
}

dlms::DataAccessResult Profiles::get(std::uint16_t profile, std::int8_t attribute, const Selection* sel,
                                     ByteWriter& out, bool compact) {
  if (profile >= model_.profile_count) return DataAccessResult::object_undefined;
  if (!usable(profile)) return DataAccessResult::object_unavailable;
  if (sel && attribute != 2) return DataAccessResult::other_reason;
  const tables::ProfileDef& d = model_.profiles[profile];
  const Ring& ring = rings_[profile];
  switch (attribute) {
    case 1: axdr::put_logical_name(out, model_.objects[d.object].ln); break;
    case 2: return get_buffer(profile, sel, out, compact);
    case 3:
      axdr::put_array(out, d.capture_count);
      for (std::uint16_t i = 0; i < d.capture_count; ++i)
        put_capture_object(out, capture_object_of(model_, model_.captures[d.first_capture + i]));
      break;
    case 4: axdr::put_double_long_unsigned(out, ring.capture_period_s); break;
    case 5: axdr::put_enum(out, static_cast<std::uint8_t>(d.sort)); break;
    case 6: put_capture_object(out, CaptureObject{}); break;  // FIFO: no sort object
    case 7: axdr::put_double_long_unsigned(out, entries_in_use(profile)); break;
    case 8: axdr::put_double_long_unsigned(out, d.entries); break;
    default: return DataAccessResult::object_undefined;
  }
  return DataAccessResult::success;
}

dlms::DataAccessResult Profiles::get_buffer(std::uint16_t profile, const Selection* sel, ByteWriter& out,
                                            bool compact) {
  const tables::ProfileDef& d = model_.profiles[profile];
  Query q{};
  q.to = entries_in_use(profile);
  select_columns(q, 0, static_cast<std::uint16_t>(d.capture_count - 1));
  if (sel) {
    const std::uint8_t needed = sel->selector == 1 ? tables::kSelectByRange
                                : sel->selector == 2 ? tables::kSelectByEntry
                                                     : 0;
    if ((d.selective_access & needed) == 0) return DataAccessResult::other_reason;
    const DataAccessResult parsed = sel->selector == 1 ? parse_range(model_, d, sel->parameters, q)
                                                       : parse_entries(d, sel->parameters, q.to, q);
    if (parsed != DataAccessResult::success) return parsed;
  }

  std::uint8_t entry[kMaxEntryBytes];
  std::uint16_t offsets[kMaxColumns + 1];
  const auto load = [&](std::uint32_t i) {
    read_entry(profile, i, entry);
    return split_entry(entry, d.entry_bytes, d.capture_count, offsets);
  };
  // Calls row() for each selected row, loaded into entry/offsets; false when one cannot be read.
  const auto each_row = [&](auto&& row) {
    for (std::uint32_t i = q.from; i < q.to; ++i) {
      if (!load(i)) return false;
      if (!q.by_range || in_range(q, entry, offsets)) row();
    }
    return true;
  };
  const auto column = [&](std::uint16_t k, std::size_t& size) {
    const std::uint8_t c = q.columns[k];
    size = static_cast<std::size_t>(offsets[c + 1] - offsets[c]);
    return entry + offsets[c];
  };
  std::uint32_t rows = q.to - q.from;
  if (q.by_range) {
    rows = 0;
    if (!each_row([&] { ++rows; })) return DataAccessResult::hardware_fault;
  }
  // Compact-array: the first row's column tags describe every row, each row
  // then goes without its tags (a string keeps its length). The description's
  // structure count takes one byte below 128 columns.
  std::uint8_t description[2 + kMaxColumns] = {static_cast<std::uint8_t>(DataType::structure),
                                               static_cast<std::uint8_t>(q.column_count)};
  std::uint32_t content = 0;
  bool uniform = compact && rows > 0 && q.column_count < 0x80;
  bool first = true;
  if (uniform && !each_row([&] {
        for (std::uint16_t k = 0; k < q.column_count; ++k) {
          std::size_t size = 0;
          const std::uint8_t tag = *column(k, size);
          if (first) description[2 + k] = tag;
          uniform = uniform && tag == description[2 + k] && tag != static_cast<std::uint8_t>(DataType::array) &&
                    tag != static_cast<std::uint8_t>(DataType::structure) &&
                    tag != static_cast<std::uint8_t>(DataType::compact_array);
          content += static_cast<std::uint32_t>(size - 1);
        }
        first = false;
      }))
    return DataAccessResult::hardware_fault;
  if (uniform) axdr::put_compact_array_header(out, description, 2u + q.column_count, content);
  else axdr::put_array(out, rows);
  const bool ok = each_row([&] {
    if (!uniform) axdr::put_structure(out, q.column_count);
    for (std::uint16_t k = 0; k < q.column_count; ++k) {
      std::size_t size = 0;
      const std::uint8_t* value = column(k, size);
      if (uniform) out.bytes(value + 1, size - 1);
      else out.bytes(value, size);
    }
  });
  return ok ? DataAccessResult::success : DataAccessResult::hardware_fault;
}

dlms::DataAccessResult Profiles::set(std::uint16_t profile, std::int8_t attribute, ByteReader value) {
  if (profile >= model_.profile_count) return DataAccessResult::object_undefined;
  if (!usable(profile)) return DataAccessResult::object_unavailable;
  if (attribute < 1 || attribute > 8) return DataAccessResult::object_undefined;
  if (attribute != 4) return DataAccessResult::read_write_denied;
  const bool typed = value.u8() == static_cast<std::uint8_t>(DataType::double_long_unsigned);
  const std::uint32_t period = value.be32();
  if (!typed || value.error() || !value.empty()) return DataAccessResult::type_unmatched;
  if (!save_settings(profile, period, rings_[profile].cleared)) return DataAccessResult::hardware_fault;
  rings_[profile].ticked = false;
  return DataAccessResult::success;
}

dlms::ActionResult Profiles::reset(std::uint16_t profile) {
  if (profile >= model_.profile_count) return ActionResult::object_undefined;
  if (!usable(profile)) return ActionResult::object_unavailable;
  const Ring& ring = rings_[profile];
  return save_settings(profile, ring.capture_period_s, ring.newest) ? ActionResult::success
                                                                    : ActionResult::hardware_fault;
}

dlms::ActionResult Profiles::capture(std::uint16_t profile, AttributeSource* from) {
  if (profile >= model_.profile_count) return ActionResult::object_undefined;
  if (!usable(profile)) return ActionResult::object_unavailable;
  AttributeSource* source = from != nullptr ? from : source_;
  if (source == nullptr) return ActionResult::temporary_failure;
  const tables::ProfileDef& d = model_.profiles[profile];

  std::uint8_t entry[kMaxEntryBytes];
  ByteWriter head(entry, d.entry_bytes);
  axdr::put_structure(head, d.capture_count);
  std::size_t used = head.size();
  for (std::uint16_t i = 0; i < d.capture_count; ++i) {
    const tables::CaptureDef& c = model_.captures[d.first_capture + i];
    ByteWriter column(entry + used, d.entry_bytes - used);
    if (source->read(c.object, c.attribute, column) == DataAccessResult::success && !column.overflow() &&
        column.size() > 0) {
      used += column.size();
    } else {
      if (used >= d.entry_bytes) return ActionResult::hardware_fault;
      entry[used++] = static_cast<std::uint8_t>(DataType::null_data);
    }
  }
  if (head.overflow()) return ActionResult::hardware_fault;

  return append(profile, entry, static_cast<std::uint32_t>(used)) ? ActionResult::success : ActionResult::hardware_fault;
}

dlms::ActionResult Profiles::capture_at(std::uint16_t profile, std::int64_t utc_s) {
  if (source_ == nullptr) return capture(profile);
  SourceAt stamped(*source_, utc_s);
  return capture(profile, &stamped);
}

void Profiles::tick(std::uint64_t utc_ms) {
  const std::uint64_t utc_s = utc_ms / 1000;
  const tables::BillingDef& billing = model_.billing;
  for (std::uint16_t p = 0; p < model_.profile_count; ++p) {
    Ring& ring = rings_[p];
    if (!usable(p) || ring.capture_period_s == 0 || p == billing.daily_profile || p == billing.monthly_profile) continue;
    const auto period = static_cast<std::uint32_t>(utc_s / ring.capture_period_s);
    if (ring.ticked && period <= ring.last_period) continue;
    if (ring.ticked) {
      if (period_hooks_ != nullptr) period_hooks_->period_closing(p);
      // The next period in turn is stamped with its boundary (12:45:00, not the
      // tick's 12:45:00.02); after a clock jump the entry keeps the time it is taken.
      if (period == ring.last_period + 1) capture_at(p, static_cast<std::int64_t>(period) * ring.capture_period_s);
      else capture(p);
    }
    ring.last_period = period;
    ring.ticked = true;
  }
}

}  // namespace metergen::cosem
