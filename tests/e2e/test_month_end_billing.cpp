// End to end across a month end: the hxf300-eu host meter plays
// month_end_billing.yaml at readings fidelity from Sunday 2027-01-31 20:00 CET
// (19:00Z) to Monday 2027-02-01 08:00 CET at 3 x 230 V x 5 A, PF 1, with the power
// off from 21:00 to 23:00 CET on the Sunday (--speed max --exit-at-end). A second
// meter process on the same state directory, without a scenario, is read over the
// wrapper with `metergen read`: the monthly billing made by the schedule at
// 2027-02-01 00:00 local (by range and by entry), the daily freeze of the same
// minute, the energy per tariff, the billing period counter and the tariff in force.
//
// By hand, from specs/hxf300-eu.yaml's calendar (weekend: T4 all day; workday: T1
// from 00:00, T2 from 07:00) and the load, 3 x 230 V x 5 A = 3,450 W = 3,450 Wh an
// hour = 345 steps of the registers' 10 Wh (scaler 1):
//   Sunday  20:00-21:00 and 23:00-24:00 (2 h, the outage removed)  T4   6,900 Wh   690
//   Monday  00:00-07:00 (7 h)                                        T1  24,150 Wh  2415
//   Monday  07:00-08:00 (1 h)                                        T2   3,450 Wh   345
//   total                                                                34,500 Wh  3450
// The readings are exact (1,150 W a phase) and the accumulators count whole uJ, so
// the registers, which truncate to whole 10 Wh steps, show these values exactly: no
// rounding is involved. The billing at 00:00 takes the energy as it stood at the
// period's end (the second ending at 00:00:00 is still Sunday's T4): total 690, T4
// 690, T1..T3 0.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using e2e::Result;

constexpr const char* kModel = "hxf300-eu";
constexpr const char* kStart = "2027-01-31T19:00:00Z";  // Sunday 20:00 CET
constexpr const char* kMonthly = "1.0.98.1.0.255";
constexpr const char* kDaily = "1.0.98.2.0.255";

// +A in register steps of 10 Wh: index = tariff (0 = total).
constexpr std::int64_t kBilledImport[5] = {690, 0, 0, 0, 690};
constexpr std::int64_t kFinalImport[5] = {3450, 2415, 345, 0, 690};

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The logical name a.b.c.d.e.f as the client prints an octet-string: hex.
std::string ln_hex(int a, int b, int c, int d, int e, int f) {
  char buf[13];
  std::snprintf(buf, sizeof buf, "%02X%02X%02X%02X%02X%02X", a, b, c, d, e, f);
  return buf;
}

// The column of (logical name, attribute) in a profile's capture_objects
// (attribute 3: structures {class_id, logical_name, attribute_index, data_index}); -1 when absent.
int column_of(const json& captures, const std::string& ln, int attribute) {
  const json& list = captures["value"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& c = list[i]["value"];
    if (upper(c[1]["value"].get<std::string>()) == ln && c[2]["value"].get<int>() == attribute)
      return static_cast<int>(i);
  }
  return -1;
}

// A COSEM date-time octet-string (12 bytes, hex) taken apart.
struct DateTime {
  int year = 0, month = 0, day = 0, weekday = 0, hour = 0, minute = 0, second = 0, deviation = 0, status = 0;
};

DateTime date_time(const json& value) {
  const std::string hex = value["value"];
  auto byte = [&](std::size_t i) { return std::stoi(hex.substr(2 * i, 2), nullptr, 16); };
  DateTime t;
  if (hex.size() != 24) return t;
  t.year = byte(0) << 8 | byte(1);
  t.month = byte(2);
  t.day = byte(3);
  t.weekday = byte(4);
  t.hour = byte(5);
  t.minute = byte(6);
  t.second = byte(7);
  t.deviation = static_cast<std::int16_t>(byte(9) << 8 | byte(10));
  t.status = byte(11);
  return t;
}

void expect_month_end_midnight(const json& clock) {
  ASSERT_EQ(clock["type"], "octet-string") << clock.dump();
  const DateTime t = date_time(clock);
  EXPECT_EQ(t.year, 2027) << clock.dump();
  EXPECT_EQ(t.month, 2) << clock.dump();
  EXPECT_EQ(t.day, 1) << clock.dump();
  EXPECT_EQ(t.hour, 0) << clock.dump();
  EXPECT_EQ(t.minute, 0) << clock.dump();
  EXPECT_EQ(t.second, 0) << clock.dump();
  EXPECT_EQ(t.deviation, -60) << clock.dump();  // CET: UTC = local - 60 min
  EXPECT_EQ(t.status & 0x80, 0) << clock.dump();  // no daylight saving in February
}

TEST(MonthEndBilling, ScheduleBillsTheHandComputedTariffEnergiesAtLocalMidnight) {
  const fs::path dir = fs::temp_directory_path() / ("metergen-e2e-" + std::to_string(getpid()) + "-month-end");
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path scenario = fs::path(METERGEN_SOURCE_DIR) / "tests" / "e2e" / "month_end_billing.yaml";

  // The first run plays the scenario and stops by itself.
  const Result played =
      e2e::run({METERGEN_METER_BIN, "--model", kModel, "--state", (dir / "state").string(), "--wrapper-port", "0",
                "--scenario", scenario.string(), "--speed", "max", "--start", kStart, "--exit-at-end"},
               dir);
  ASSERT_EQ(played.exit_code, 0) << played.err;
  EXPECT_NE(played.err.find("scenario: power off at meter time 2027-01-31T20:00:00Z"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("scenario: power on at meter time 2027-01-31T22:00:00Z"), std::string::npos) << played.err;
  EXPECT_NE(played.err.find("scenario: played to its end at meter time 2027-02-01T07:00:00Z; stopping"),
            std::string::npos)
      << played.err;

  // The second run, without a scenario, serves what the first saved; its clock
  // runs on from Monday 08:00 CET.
  auto process = std::make_unique<e2e::HostMeter>(kModel, dir, std::vector<std::string>{}, /*fresh=*/false);
  e2e::HostMeter& meter = *process;
  ASSERT_TRUE(meter.ready()) << e2e::read_text(dir / "meter.log");
  e2e::Association reading;
  for (const auto& a : e2e::associations_of(kModel))
    if (a.sap == 2) reading = a;
  ASSERT_EQ(reading.sap, 2);
  auto read = [&](std::vector<std::string> service) {
    std::vector<std::string> args{METERGEN_BIN, "read", "--meter", meter.wrapper_url()};
    const auto options = e2e::client_options(reading, meter);
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), service.begin(), service.end());
    return e2e::run(args, dir);
  };
  auto value_of = [&](const std::string& obis, int class_id) -> std::int64_t {
    const Result r = read({"get", obis + ":2", "--class", std::to_string(class_id)});
    EXPECT_EQ(r.exit_code, 0) << obis << ": " << r.err;
    if (r.exit_code != 0) return -1;
    return json::parse(r.out)["value"].get<std::int64_t>();
  };

  // Monthly billing: the capture objects name the columns.
  const Result captures = read({"get", std::string(kMonthly) + ":3", "--class", "7"});
  ASSERT_EQ(captures.exit_code, 0) << captures.err;
  const json monthly_columns = json::parse(captures.out);
  const int clock_column = column_of(monthly_columns, ln_hex(0, 0, 1, 0, 0, 255), 2);
  ASSERT_EQ(clock_column, 0) << captures.out;
  int import_column[5];
  for (int tariff = 0; tariff <= 4; ++tariff) {
    import_column[tariff] = column_of(monthly_columns, ln_hex(1, 0, 1, 8, tariff, 255), 2);
    ASSERT_GE(import_column[tariff], 0) << "1.0.1.8." << tariff << ".255 in " << captures.out;
  }

  // By range over the clock column (2027-02-01, meter local time) and by entry:
  // the same single entry.
  const Result by_range = read({"profile", kMonthly, "--from", "2027-02-01T00:00:00", "--to", "2027-02-01T23:59:59"});
  ASSERT_EQ(by_range.exit_code, 0) << by_range.err;
  const Result by_entry = read({"profile", kMonthly, "--entries", "1:1"});
  ASSERT_EQ(by_entry.exit_code, 0) << by_entry.err;
  const Result all_entries = read({"profile", kMonthly, "--entries", "1:0"});
  ASSERT_EQ(all_entries.exit_code, 0) << all_entries.err;
  const json range = json::parse(by_range.out), entry = json::parse(by_entry.out), all = json::parse(all_entries.out);
  ASSERT_EQ(range["value"].size(), 1u) << by_range.out;
  ASSERT_EQ(all["value"].size(), 1u) << all_entries.out;  // one billing only: no catch-up billing at power-up
  EXPECT_EQ(range, entry);
  EXPECT_EQ(entry, all);
  const json& billed = range["value"][0]["value"];
  expect_month_end_midnight(billed[clock_column]);
  for (int tariff = 0; tariff <= 4; ++tariff)
    EXPECT_EQ(billed[import_column[tariff]]["value"].get<std::int64_t>(), kBilledImport[tariff])
        << "+A tariff " << tariff << " (0 = total) in the monthly entry, 10 Wh steps";

  // The registers at the end of the scenario.
  for (int tariff = 0; tariff <= 4; ++tariff)
    EXPECT_EQ(value_of("1.0.1.8." + std::to_string(tariff) + ".255", 3), kFinalImport[tariff])
        << "+A tariff " << tariff << " (0 = total), 10 Wh steps";
  EXPECT_EQ(value_of("1.0.0.1.0.255", 1), 1) << "billing period counter";
  EXPECT_EQ(value_of("0.0.96.14.0.255", 1), 2) << "current tariff after 07:00 on a Monday";

  // Daily billing: one freeze, at local midnight, holding the same energies.
  const Result daily_captures = read({"get", std::string(kDaily) + ":3", "--class", "7"});
  ASSERT_EQ(daily_captures.exit_code, 0) << daily_captures.err;
  const json daily_columns = json::parse(daily_captures.out);
  ASSERT_EQ(column_of(daily_columns, ln_hex(0, 0, 1, 0, 0, 255), 2), 0) << daily_captures.out;
  const Result daily = read({"profile", kDaily, "--entries", "1:0"});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  const json daily_entries = json::parse(daily.out);
  ASSERT_EQ(daily_entries["value"].size(), 1u) << daily.out;
  const json& frozen = daily_entries["value"][0]["value"];
  expect_month_end_midnight(frozen[0]);
  for (int tariff = 0; tariff <= 4; ++tariff) {
    const int column = column_of(daily_columns, ln_hex(1, 0, 1, 8, tariff, 255), 2);
    ASSERT_GE(column, 0) << daily_captures.out;
    EXPECT_EQ(frozen[column]["value"].get<std::int64_t>(), kBilledImport[tariff])
        << "+A tariff " << tariff << " (0 = total) in the daily entry, 10 Wh steps";
  }

  process.reset();  // stopped by its PID before its directory goes
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
