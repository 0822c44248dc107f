// COSEM date-time values as the client prints them (the hex of the
// octet-string), read back as UTC seconds: for the tests that compare the time
// stamps a meter logs with the times they bracket.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace metergen::test {

// A date-time octet-string (hex of 12 bytes, IEC 62056-6-2): year(2) month day
// day-of-week hour minute second hundredths deviation(2) status, where UTC =
// local time + deviation minutes.
inline std::int64_t utc_of_date_time(const std::string& hex) {
  auto byte = [&](std::size_t i) { return std::stoi(hex.substr(2 * i, 2), nullptr, 16); };
  std::tm local{};
  local.tm_year = (byte(0) << 8 | byte(1)) - 1900;
  local.tm_mon = byte(2) - 1;
  local.tm_mday = byte(3);
  local.tm_hour = byte(5);
  local.tm_min = byte(6);
  local.tm_sec = byte(7);
  const auto deviation = static_cast<std::int16_t>(byte(9) << 8 | byte(10));
  return static_cast<std::int64_t>(timegm(&local)) + deviation * 60;
}

}  // namespace metergen::test
