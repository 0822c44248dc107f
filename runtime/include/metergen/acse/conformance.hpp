// xDLMS conformance block (dlms-protocol.md §5.3): the 24-bit set of services a
// client proposes in its InitiateRequest and a server grants in its response.
//
// Owns: the bit numbering only. Uses nothing. A conformance value is the three
// content bytes b0 b1 b2 read as one big-endian number; bit n of the standard
// (bit 0 = most significant bit of b0) is therefore 1 << (23 - n).
#pragma once

#include <cstdint>

namespace metergen::acse::conformance {

constexpr std::uint32_t bit(unsigned n) { return 1u << (23u - n); }

inline constexpr std::uint32_t kGeneralProtection = bit(1);
inline constexpr std::uint32_t kGeneralBlockTransfer = bit(2);
inline constexpr std::uint32_t kRead = bit(3);                 // SN
inline constexpr std::uint32_t kWrite = bit(4);                // SN
inline constexpr std::uint32_t kUnconfirmedWrite = bit(5);     // SN
inline constexpr std::uint32_t kDeltaValueEncoding = bit(6);
inline constexpr std::uint32_t kAttribute0WithSet = bit(8);
inline constexpr std::uint32_t kPriorityManagement = bit(9);
inline constexpr std::uint32_t kAttribute0WithGet = bit(10);
inline constexpr std::uint32_t kBlockTransferWithGetOrRead = bit(11);
inline constexpr std::uint32_t kBlockTransferWithSetOrWrite = bit(12);
inline constexpr std::uint32_t kBlockTransferWithAction = bit(13);
inline constexpr std::uint32_t kMultipleReferences = bit(14);
inline constexpr std::uint32_t kInformationReport = bit(15);   // SN
inline constexpr std::uint32_t kDataNotification = bit(16);
inline constexpr std::uint32_t kAccess = bit(17);
inline constexpr std::uint32_t kParameterizedAccess = bit(18); // SN
inline constexpr std::uint32_t kGet = bit(19);
inline constexpr std::uint32_t kSet = bit(20);
inline constexpr std::uint32_t kSelectiveAccess = bit(21);
inline constexpr std::uint32_t kEventNotification = bit(22);
inline constexpr std::uint32_t kAction = bit(23);

}  // namespace metergen::acse::conformance
