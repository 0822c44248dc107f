// DataNotification encoding (see push/data_notification.hpp).
#include <metergen/push/data_notification.hpp>

#include <metergen/axdr/axdr.hpp>

namespace metergen::push {

namespace {
constexpr std::uint8_t kDateTimeBytes = 12;
}

void put_header(ByteWriter& w, std::uint32_t long_invoke_id_and_priority, const axdr::DateTime* time) {
  w.u8(kDataNotificationTag);
  w.be32(long_invoke_id_and_priority);
  if (time == nullptr) {
    w.u8(0);
    return;
  }
  w.u8(kDateTimeBytes);
  axdr::put_date_time_raw(w, *time);
}

bool decode(ByteReader r, Notification& out) {
  if (r.u8() != kDataNotificationTag) return false;
  out.long_invoke_id_and_priority = r.be32();
  const std::uint8_t n = r.u8();
  out.has_time = n == kDateTimeBytes;
  if (r.error() || (n != 0 && !out.has_time)) return false;
  if (out.has_time && !axdr::get_date_time_raw(r, out.time)) return false;
  ByteReader rest = r;
  if (!axdr::take_value(rest, out.body) || !rest.empty()) return false;
  return true;
}

}  // namespace metergen::push
