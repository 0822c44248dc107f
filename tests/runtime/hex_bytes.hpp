// Test helper: byte vectors written as hex, the way standards print test vectors.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace metergen::test {

// "41 13 12ff" → {0x41, 0x13, 0x12, 0xFF}; spaces are ignored.
inline std::vector<std::uint8_t> hex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out;
  int high = -1;
  for (char c : s) {
    int v = nibble(c);
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

}  // namespace metergen::test
