// Profile generic (IC 7 v1) over the generated profile tables: ring buffers in
// NVM (layout in profiles.hpp), attributes, methods and selective access.
// May call: the tables, axdr/ (codec, date-time), the HAL, the AttributeSource.
//
// Untrusted: the selective-access parameters and set() values. Entries read back
// from NVM are re-validated before any byte of them is copied out.
#include <metergen/cosem/profiles.hpp>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>

namespace metergen::cosem {
namespace {

using dlms::ActionResult;
using dlms::DataAccessResult;
using tables::DataType;

// first, count, sequence, capture_period, checksum: big-endian u32 each.
constexpr std::uint32_t kHeaderBytes = 20;

std::uint32_t region_bytes(const tables::ProfileDef& d) {
  return 2 * kHeaderBytes + (d.entries + 1) * static_cast<std::uint32_t>(d.entry_bytes);
}

// FNV-1a over the header fields and the profile's table layout, so a header
// written for other tables (or erased NVM) is not taken as valid.
std::uint32_t header_check(const tables::ProfileDef& d, std::uint32_t first, std::uint32_t count,
                           std::uint32_t sequence, std::uint32_t period) {
  const std::uint32_t words[] = {first, count, sequence, period, d.entries, d.entry_bytes, d.capture_count, d.object};
  std::uint32_t h = 2166136261u;
  for (std::uint32_t w : words)
    for (int shift = 24; shift >= 0; shift -= 8) h = (h ^ ((w >> shift) & 0xFF)) * 16777619u;
  return h;
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

struct CaptureObject {
  std::uint16_t class_id;
  tables::LogicalName ln;
  std::int8_t attribute;
  std::uint16_t data_index;
};

// cosem-interface-classes.md §0.4: structure{long-unsigned, octet-string(6), integer, long-unsigned}.
void put_capture_object(ByteWriter& w, const CaptureObject& c) {
  axdr::put_structure(w, 4);
  axdr::put_long_unsigned(w, c.class_id);
  axdr::put_logical_name(w, c.ln);
  axdr::put_integer(w, c.attribute);
  axdr::put_long_unsigned(w, c.data_index);
}

bool read_capture_object(ByteReader& r, CaptureObject& c) {
  std::uint32_t fields = 0;
  return axdr::get_structure(r, fields) && fields == 4 && axdr::get_u16(r, c.class_id) &&
         axdr::get_logical_name(r, c.ln) && axdr::get_i8(r, c.attribute) && axdr::get_u16(r, c.data_index);
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
};

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
  if (unknown_column || column < 0 || !axdr::to_utc_seconds(from, q.not_before) ||
      !axdr::to_utc_seconds(to, q.not_after))
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
  return axdr::get_date_time(r, t) && axdr::to_utc_seconds(t, utc) && utc >= q.not_before && utc <= q.not_after;
}

}  // namespace

Profiles::Profiles(const tables::Model& model, hal::Hal& hal) : model_(model), hal_(hal) {}

void Profiles::attach(AttributeSource& source, std::uint32_t nvm_base) {
  source_ = &source;
  nvm_base_ = nvm_base;
}

bool Profiles::usable(std::uint16_t profile) const {
  if (profile >= model_.profile_count || profile >= kMaxProfiles) return false;
  const tables::ProfileDef& d = model_.profiles[profile];
  return d.entries > 0 && d.entry_bytes <= kMaxEntryBytes && d.capture_count > 0 && d.capture_count <= kMaxColumns;
}

std::uint32_t Profiles::region_offset(std::uint16_t profile) const {
  std::uint32_t offset = nvm_base_;
  for (std::uint16_t p = 0; p < profile; ++p) offset += region_bytes(model_.profiles[p]);
  return offset;
}

std::uint32_t Profiles::slot_offset(std::uint16_t profile, std::uint32_t slot) const {
  return region_offset(profile) + 2 * kHeaderBytes + slot * model_.profiles[profile].entry_bytes;
}

std::uint32_t Profiles::nvm_bytes() const {
  std::uint32_t total = 0;
  for (std::uint16_t p = 0; p < model_.profile_count; ++p) total += region_bytes(model_.profiles[p]);
  return total;
}

void Profiles::boot() {
  for (std::uint16_t p = 0; p < model_.profile_count && p < kMaxProfiles; ++p) {
    const tables::ProfileDef& d = model_.profiles[p];
    Ring best{0, 0, 0, d.capture_period_s, 0, false};
    bool found = false;
    for (std::uint32_t copy = 0; copy < 2; ++copy) {
      std::uint8_t raw[kHeaderBytes];
      if (!hal_.nvm_read(region_offset(p) + copy * kHeaderBytes, raw, kHeaderBytes)) continue;
      ByteReader r(raw, kHeaderBytes);
      const std::uint32_t first = r.be32(), count = r.be32(), sequence = r.be32(), period = r.be32();
      const bool valid = r.be32() == header_check(d, first, count, sequence, period) && (sequence & 1) == copy &&
                         first <= d.entries && count <= d.entries;
      if (valid && (!found || static_cast<std::int32_t>(sequence - best.sequence) > 0)) {
        best = Ring{first, count, sequence, period, 0, false};
        found = true;
      }
    }
    rings_[p] = best;
  }
}

bool Profiles::commit(std::uint16_t profile, Ring next) {
  next.sequence = rings_[profile].sequence + 1;
  std::uint8_t raw[kHeaderBytes];
  ByteWriter w(raw, kHeaderBytes);
  w.be32(next.first);
  w.be32(next.count);
  w.be32(next.sequence);
  w.be32(next.capture_period_s);
  w.be32(header_check(model_.profiles[profile], next.first, next.count, next.sequence, next.capture_period_s));
  if (!hal_.nvm_write(region_offset(profile) + (next.sequence & 1) * kHeaderBytes, raw, kHeaderBytes)) return false;
  rings_[profile] = next;
  return true;
}

bool Profiles::read_entry(std::uint16_t profile, std::uint32_t index, std::uint8_t* buf) const {
  const tables::ProfileDef& d = model_.profiles[profile];
  const std::uint32_t slot = (rings_[profile].first + index) % (d.entries + 1);
  return hal_.nvm_read(slot_offset(profile, slot), buf, d.entry_bytes);
}

std::uint32_t Profiles::entries_in_use(std::uint16_t profile) const {
  return usable(profile) ? rings_[profile].count : 0;
}

dlms::DataAccessResult Profiles::get(std::uint16_t profile, std::int8_t attribute, const Selection* sel,
                                     ByteWriter& out) {
  if (profile >= model_.profile_count) return DataAccessResult::object_undefined;
  if (!usable(profile)) return DataAccessResult::object_unavailable;
  if (sel && attribute != 2) return DataAccessResult::other_reason;
  const tables::ProfileDef& d = model_.profiles[profile];
  const Ring& ring = rings_[profile];
  switch (attribute) {
    case 1: axdr::put_logical_name(out, model_.objects[d.object].ln); break;
    case 2: return get_buffer(profile, sel, out);
    case 3:
      axdr::put_array(out, d.capture_count);
      for (std::uint16_t i = 0; i < d.capture_count; ++i)
        put_capture_object(out, capture_object_of(model_, model_.captures[d.first_capture + i]));
      break;
    case 4: axdr::put_double_long_unsigned(out, ring.capture_period_s); break;
    case 5: axdr::put_enum(out, static_cast<std::uint8_t>(d.sort)); break;
    case 6: put_capture_object(out, CaptureObject{}); break;  // FIFO: no sort object
    case 7: axdr::put_double_long_unsigned(out, ring.count); break;
    case 8: axdr::put_double_long_unsigned(out, d.entries); break;
    default: return DataAccessResult::object_undefined;
  }
  return DataAccessResult::success;
}

dlms::DataAccessResult Profiles::get_buffer(std::uint16_t profile, const Selection* sel, ByteWriter& out) {
  const tables::ProfileDef& d = model_.profiles[profile];
  Query q{};
  q.to = rings_[profile].count;
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
    return read_entry(profile, i, entry) && split_entry(entry, d.entry_bytes, d.capture_count, offsets);
  };
  std::uint32_t rows = q.to - q.from;
  if (q.by_range) {
    rows = 0;
    for (std::uint32_t i = q.from; i < q.to; ++i) {
      if (!load(i)) return DataAccessResult::hardware_fault;
      rows += in_range(q, entry, offsets);
    }
  }
  axdr::put_array(out, rows);
  for (std::uint32_t i = q.from; i < q.to; ++i) {
    if (!load(i)) return DataAccessResult::hardware_fault;
    if (q.by_range && !in_range(q, entry, offsets)) continue;
    axdr::put_structure(out, q.column_count);
    for (std::uint16_t k = 0; k < q.column_count; ++k) {
      const std::uint8_t c = q.columns[k];
      out.bytes(entry + offsets[c], static_cast<std::size_t>(offsets[c + 1] - offsets[c]));
    }
  }
  return DataAccessResult::success;
}

dlms::DataAccessResult Profiles::set(std::uint16_t profile, std::int8_t attribute, ByteReader value) {
  if (profile >= model_.profile_count) return DataAccessResult::object_undefined;
  if (!usable(profile)) return DataAccessResult::object_unavailable;
  if (attribute < 1 || attribute > 8) return DataAccessResult::object_undefined;
  if (attribute != 4) return DataAccessResult::read_write_denied;
  const bool typed = value.u8() == static_cast<std::uint8_t>(DataType::double_long_unsigned);
  const std::uint32_t period = value.be32();
  if (!typed || value.error() || !value.empty()) return DataAccessResult::type_unmatched;
  Ring next = rings_[profile];
  next.capture_period_s = period;
  next.ticked = false;
  return commit(profile, next) ? DataAccessResult::success : DataAccessResult::hardware_fault;
}

dlms::ActionResult Profiles::reset(std::uint16_t profile) {
  if (profile >= model_.profile_count) return ActionResult::object_undefined;
  if (!usable(profile)) return ActionResult::object_unavailable;
  Ring next = rings_[profile];
  next.count = 0;
  return commit(profile, next) ? ActionResult::success : ActionResult::hardware_fault;
}

dlms::ActionResult Profiles::capture(std::uint16_t profile) {
  if (profile >= model_.profile_count) return ActionResult::object_undefined;
  if (!usable(profile)) return ActionResult::object_unavailable;
  if (!source_) return ActionResult::temporary_failure;
  const tables::ProfileDef& d = model_.profiles[profile];

  std::uint8_t entry[kMaxEntryBytes];
  ByteWriter head(entry, d.entry_bytes);
  axdr::put_structure(head, d.capture_count);
  std::size_t used = head.size();
  for (std::uint16_t i = 0; i < d.capture_count; ++i) {
    const tables::CaptureDef& c = model_.captures[d.first_capture + i];
    ByteWriter column(entry + used, d.entry_bytes - used);
    if (source_->read(c.object, c.attribute, column) == DataAccessResult::success && !column.overflow() &&
        column.size() > 0) {
      used += column.size();
    } else {
      if (used >= d.entry_bytes) return ActionResult::hardware_fault;
      entry[used++] = static_cast<std::uint8_t>(DataType::null_data);
    }
  }
  if (head.overflow()) return ActionResult::hardware_fault;

  const Ring& ring = rings_[profile];
  const std::uint32_t slots = d.entries + 1;
  // The slot after the newest entry is never part of the ring (there is one more slot than entries).
  if (!hal_.nvm_write(slot_offset(profile, (ring.first + ring.count) % slots), entry, used))
    return ActionResult::hardware_fault;
  Ring next = ring;
  if (next.count < d.entries) ++next.count;
  else next.first = (next.first + 1) % slots;
  return commit(profile, next) ? ActionResult::success : ActionResult::hardware_fault;
}

void Profiles::tick(std::uint64_t utc_ms) {
  const std::uint64_t utc_s = utc_ms / 1000;
  for (std::uint16_t p = 0; p < model_.profile_count; ++p) {
    if (!usable(p) || rings_[p].capture_period_s == 0) continue;
    const std::uint64_t period = utc_s / rings_[p].capture_period_s;
    if (rings_[p].ticked && period > rings_[p].last_period) capture(p);
    rings_[p].last_period = period;
    rings_[p].ticked = true;
  }
}

}  // namespace metergen::cosem
