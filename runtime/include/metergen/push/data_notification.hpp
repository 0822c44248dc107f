// The xDLMS DataNotification APDU (tag 0x0F) a push setup sends:
//   0F | long-invoke-id-and-priority (4 bytes, big-endian)
//      | date-time: OCTET STRING, 0C + 12 bytes, or 00 when empty
//      | notification-body: one Data (a push sends a structure of the push
//        object list's attribute values)
//
// Owns: that encoding and its decoding (tests, `metergen listen`). May call:
// bytes.hpp, axdr/.
#pragma once

#include <cstdint>

#include <metergen/axdr/date_time.hpp>
#include <metergen/bytes.hpp>

namespace metergen::push {

inline constexpr std::uint8_t kDataNotificationTag = 0x0F;

// Long-Invoke-Id-And-Priority: bits 0-23 invoke id, 28 self-descriptive, 29
// break on error, 30 confirmed, 31 high priority.
inline constexpr std::uint32_t kInvokeIdMask = 0x00FFFFFFu;
inline constexpr std::uint32_t kSelfDescriptive = 1u << 28;
inline constexpr std::uint32_t kBreakOnError = 1u << 29;
inline constexpr std::uint32_t kConfirmed = 1u << 30;
inline constexpr std::uint32_t kPriorityHigh = 1u << 31;

// Writes the tag, the long-invoke-id-and-priority and the date-time (empty when
// `time` is nullptr); the caller writes the body after it.
void put_header(ByteWriter& w, std::uint32_t long_invoke_id_and_priority, const axdr::DateTime* time);

struct Notification {
  std::uint32_t long_invoke_id_and_priority;
  bool has_time;
  axdr::DateTime time;
  ByteReader body;  // exactly one encoded Data
};

// Reads a whole DataNotification APDU; false when the tag, the date-time
// (neither empty nor 12 bytes) or the body (not exactly one Data) is wrong.
bool decode(ByteReader r, Notification& out);

}  // namespace metergen::push
