// The host meter's --lcd FILE: dtsd545 plays display_press.yaml at --speed max
// from 2027-03-01T10:00:00Z (UTC model) and stops at its end. Expected by hand
// from specs/dtsd545.yaml: auto scroll every 10 s from the serial number (C.1.0)
// to the local date (0.9.2, dd-mm-yy) at 10:00:10; the press shows the button
// list's first item, +A total of the last billing period (1.8.0.101) in kWh.
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool has_line_starting(const std::vector<std::string>& lines, const std::string& start) {
  for (const auto& l : lines)
    if (l.rfind(start, 0) == 0) return true;
  return false;
}

TEST(HostMeterLcd, WritesEachScreenChangeWithItsMeterTime) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-lcd");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string scenario = (fs::path(METERGEN_SOURCE_DIR) / "tests" / "e2e" / "display_press.yaml").string();
  const e2e::Result r = e2e::run({METERGEN_METER_BIN, "--model", "dtsd545", "--state", (dir / "state").string(),
                                  "--wrapper-port", "0", "--lcd", (dir / "lcd.txt").string(), "--scenario", scenario,
                                  "--speed", "max", "--start", "2027-03-01T10:00:00Z", "--exit-at-end"},
                                 dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(dir / "lcd.txt");
  ASSERT_FALSE(lines.empty());
  const std::regex line(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (off|\S+ \| .* \|.*))");
  for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, line)) << l;
  EXPECT_EQ(lines.front().rfind("2027-03-01T10:00:00Z C.1.0 | ", 0), 0u) << lines.front();
  EXPECT_TRUE(has_line_starting(lines, "2027-03-01T10:00:10Z 0.9.2 | 01-03-27 |"));
  bool pressed = false;
  for (const auto& l : lines) pressed = pressed || l.find(" 1.8.0.101 | 0.00 kWh |") != std::string::npos;
  EXPECT_TRUE(pressed) << "no button list screen";
  fs::remove_all(dir);
}

}  // namespace
