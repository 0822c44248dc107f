// `metergen read --format table|csv`: values as a meter engineer reads them,
// against expected text worked out by hand (scalers, units, date-times, names,
// bit names, profile tables and CSV), and the JSON shape scripts depend on.
#include <gtest/gtest.h>

#include "client/data.hpp"
#include "client/meanings.hpp"
#include "client/readable.hpp"
#include "../support/load_spec.hpp"

namespace metergen::client {
namespace {

using json = nlohmann::json;

json typed(const char* type, json value) { return {{"type", type}, {"value", std::move(value)}}; }

AttributeRef at(int class_id, const char* ln, int attribute) { return {class_id, *parse_obis(ln).value, attribute}; }

Model seed(const char* id) { return test::load_spec(std::string(METERGEN_SOURCE_DIR) + "/specs/" + id + ".yaml"); }

TEST(Readable, DecimalsComeFromTheScaler) {
  EXPECT_EQ(decimal_text(23000, -2), "230.00");
  EXPECT_EQ(decimal_text(7, -3), "0.007");
  EXPECT_EQ(decimal_text(-5, -2), "-0.05");
  EXPECT_EQ(decimal_text(179, 1), "1790");  // scaler 1: ×10, no decimals
  EXPECT_EQ(decimal_text(0, 2), "0");
  EXPECT_EQ(decimal_text(42, 0), "42");
}

TEST(Readable, EnergyIsShownInKiloUnitsWithoutLosingADigit) {
  EXPECT_EQ(scaled_text(1790, 0, 30), "1.790");    // 1790 Wh
  EXPECT_EQ(scaled_text(179, 1, 30), "1.790");     // 179 × 10 Wh
  EXPECT_EQ(scaled_text(123456, -2, 32), "1.23456");  // 1234.56 varh
  EXPECT_EQ(scaled_text(2, 3, 31), "2.000");       // 2 × 1000 VAh
  EXPECT_EQ(scaled_text(-7, 0, 30), "-0.007");
  EXPECT_EQ(unit_label(30), "kWh");
  EXPECT_EQ(unit_label(32), "kvarh");
  EXPECT_EQ(unit_label(31), "kVAh");
  EXPECT_EQ(unit_label(35), "V");
  EXPECT_EQ(unit_label(56), "%");
  EXPECT_EQ(unit_label(255), "");
  EXPECT_EQ(unit_label(100), "unit 100");
}

TEST(Readable, RegisterValueWithItsScalerAndUnit) {
  EXPECT_EQ(reading_text(typed("long-unsigned", 23000), scaled(-2, 35)), "230.00 V");
  EXPECT_EQ(reading_text(typed("double-long-unsigned", 179), scaled(1, 30)), "1.790 kWh");
  EXPECT_EQ(reading_text(typed("double-long", -1150), scaled(0, 27)), "-1150 W");
  EXPECT_EQ(reading_text(typed("long", 995), scaled(-3, 255)), "0.995");  // power factor: no unit
}

TEST(Readable, ScalerUnitAsTheMeterSendsIt) {
  auto m = meaning_of_scaler_unit(typed("structure", {typed("integer", -2), typed("enum", 35)}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, Meaning::Kind::scaled);
  EXPECT_EQ(m->scaler, -2);
  EXPECT_EQ(m->unit, 35);
  EXPECT_FALSE(meaning_of_scaler_unit(typed("long-unsigned", 5)));
  EXPECT_EQ(scaler_unit_attribute(3, 2), 3);
  EXPECT_EQ(scaler_unit_attribute(4, 2), 3);
  EXPECT_EQ(scaler_unit_attribute(5, 2), 4);
  EXPECT_EQ(scaler_unit_attribute(5, 3), 4);
  EXPECT_FALSE(scaler_unit_attribute(4, 4));  // an extended register's status is not scaled
  EXPECT_FALSE(scaler_unit_attribute(1, 2));
}

TEST(Readable, DateTimeInIso8601WithTheDeviation) {
  // 2027-03-01 (Monday) 10:00:00, deviation -60 (UTC+1), status 0.
  EXPECT_EQ(date_time_text("07EB0301010A000000FFC400"), "2027-03-01T10:00:00+01:00");
  // 2027-07-01 (Thursday) 10:00:00, deviation -120, daylight saving active.
  EXPECT_EQ(date_time_text("07EB0701040A000000FF8880"), "2027-07-01T10:00:00+02:00 (dst)");
  // UTC-5, doubtful (0x02) and a different clock base (0x04).
  EXPECT_EQ(date_time_text("07EA0C1F05173B3B00012C06"), "2026-12-31T23:59:59-05:00 (doubtful, different clock base)");
  // Every year's 25 December at midnight, deviation and status not specified.
  EXPECT_EQ(date_time_text("FFFF0C19FF00000000800000"), "****-12-25T00:00:00");
  EXPECT_EQ(date_time_text("FFFF0C19FFFFFFFFFF8000FF"), "****-12-25T**:**:**");
  EXPECT_FALSE(date_time_text("07EB0301"));
}

TEST(Readable, ClockTimeByItsClass) {
  Meaning m = class_meaning(8, 2);
  EXPECT_EQ(reading_text(typed("octet-string", "07EB0301010A000000FFC400"), m), "2027-03-01T10:00:00+01:00");
  EXPECT_EQ(reading_text(typed("enum", 1), class_meaning(8, 9)), "internal_crystal");
  EXPECT_EQ(class_meaning(5, 6).kind, Meaning::Kind::date_time);  // a demand register's capture_time
}

TEST(Readable, DisconnectControlStatesByName) {
  EXPECT_EQ(reading_text(typed("boolean", true), class_meaning(70, 2)), "connected");
  EXPECT_EQ(reading_text(typed("boolean", false), class_meaning(70, 2)), "disconnected");
  EXPECT_EQ(reading_text(typed("enum", 0), class_meaning(70, 3)), "disconnected");
  EXPECT_EQ(reading_text(typed("enum", 1), class_meaning(70, 3)), "connected");
  EXPECT_EQ(reading_text(typed("enum", 2), class_meaning(70, 3)), "ready_for_reconnection");
  EXPECT_EQ(reading_text(typed("enum", 7), class_meaning(70, 3)), "7");  // not a state the class defines
  EXPECT_EQ(reading_text(typed("enum", 4), class_meaning(70, 4)), "4");  // control_mode: its number
}

TEST(Readable, BitStringsWithTheirNames) {
  std::map<std::int64_t, std::string> names{{1, "cover_open"}, {2, "magnet"}};
  EXPECT_EQ(bits_text("0110", names), "0110 (cover_open, magnet)");
  EXPECT_EQ(bits_text("0001", names), "0001 (bit 3)");
  EXPECT_EQ(bits_text("0000", names), "0000 (none)");
  EXPECT_EQ(flags_text(6, names), "6 (cover_open, magnet)");
  EXPECT_EQ(flags_text(0, names), "0 (none)");
}

TEST(Readable, UnknownValuesStayPlain) {
  EXPECT_EQ(reading_text(typed("long-unsigned", 5), {}), "5");
  EXPECT_EQ(reading_text(typed("visible-string", "HXF300"), {}), "HXF300");
  EXPECT_EQ(reading_text(typed("octet-string", "0102"), {}), "0102");
  EXPECT_EQ(reading_text(typed("octet-string", "07EB0301010A000000FFC400"), {}), "2027-03-01T10:00:00+01:00");
}

TEST(Readable, SpecGivesScalerUnitAndBitNames) {
  Model hxf = seed("hxf300-eu");
  auto voltage = model_meaning(hxf, at(3, "1.0.32.7.0.255", 2));
  ASSERT_TRUE(voltage);
  EXPECT_EQ(reading_text(typed("long-unsigned", 23000), *voltage), "230.00 V");
  auto energy = model_meaning(hxf, at(3, "1.0.1.8.0.255", 2));
  ASSERT_TRUE(energy);
  EXPECT_EQ(reading_text(typed("double-long-unsigned", 179), *energy), "1.790 kWh");
  auto demand = model_meaning(hxf, at(5, "1.0.1.4.0.255", 3));  // last_average_value, W
  ASSERT_TRUE(demand);
  EXPECT_EQ(reading_text(typed("double-long-unsigned", 3450), *demand), "3450 W");
  EXPECT_FALSE(model_meaning(hxf, at(1, "0.0.96.99.99.255", 2)));

  Model dtsd = seed("dtsd545");
  auto filter = model_meaning(dtsd, at(1, "0.0.96.3.128.255", 2));  // tamper disconnect filter
  ASSERT_TRUE(filter);
  EXPECT_EQ(reading_text(typed("bit-string", "100010"), *filter), "100010 (Current reversal L1, Main cover is open)");
  // disconnector_event_log: bits 2k and 2k + 1 log and push its k-th event (80, 81, ...).
  auto log_filter = model_meaning(dtsd, at(1, "0.0.96.11.102.255", 2));
  ASSERT_TRUE(log_filter);
  EXPECT_EQ(reading_text(typed("bit-string", "1001"), *log_filter),
            "1001 (Remote disconnection (command) log, Remote connection (command) push)");
  auto code = model_meaning(dtsd, at(1, "0.0.96.11.2.255", 2));  // its event code object
  ASSERT_TRUE(code);
  EXPECT_EQ(reading_text(typed("long-unsigned", 81), *code), "Remote connection (command)");
}

TEST(Readable, ProfileColumnsCarryTheSpecsNamesAndUnits) {
  auto columns = model_columns(seed("hxf300-eu"), *parse_obis("1.0.99.1.0.255").value);
  ASSERT_TRUE(columns);
  std::vector<std::string> headings;
  for (const auto& c : *columns) headings.push_back(column_heading(c));
  EXPECT_EQ(headings, (std::vector<std::string>{"clock", "profile_status", "active_import_energy [kWh]",
                                                "active_export_energy [kWh]", "reactive_q1_energy [kvarh]",
                                                "reactive_q2_energy [kvarh]", "reactive_q3_energy [kvarh]",
                                                "reactive_q4_energy [kvarh]"}));
}

json two_entries() {
  auto entry = [](const char* time, int energy) {
    return typed("structure", {typed("octet-string", time), typed("double-long-unsigned", energy)});
  };
  return typed("array", {entry("07EB0301010A000000FFC400", 179), entry("07EB0301010A0F0000FFC400", 1805)});
}

TEST(Readable, ProfileAsATable) {
  std::vector<Column> columns{{"clock", date_time()}, {"active_import_energy", scaled(0, 30)}};
  EXPECT_EQ(table_text(profile_rows(two_entries(), columns)),
            "clock                      active_import_energy [kWh]\n"
            "-------------------------  --------------------------\n"
            "2027-03-01T10:00:00+01:00  0.179\n"
            "2027-03-01T10:15:00+01:00  1.805\n");
}

TEST(Readable, ProfileAsCsv) {
  std::vector<Column> columns{{"clock", date_time()}};  // the second column has no heading in the spec
  EXPECT_EQ(csv_text(profile_rows(two_entries(), columns)),
            "clock,column 2\r\n"
            "2027-03-01T10:00:00+01:00,179\r\n"
            "2027-03-01T10:15:00+01:00,1805\r\n");
  EXPECT_EQ(csv_text({{"a,b", "say \"hi\"", "plain"}}), "\"a,b\",\"say \"\"hi\"\"\",plain\r\n");
}

TEST(Readable, CaptureObjectsAsTheMeterSendsThem) {
  auto element = [](int cls, const char* ln, int attr) {
    return typed("structure",
                 {typed("long-unsigned", cls), typed("octet-string", ln), typed("integer", attr), typed("long-unsigned", 0)});
  };
  auto refs = capture_objects(typed("array", {element(8, "0000010000FF", 2), element(3, "0100010800FF", 2)}));
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(attribute_heading(refs[0]), "0.0.1.0.0.255:2");
  EXPECT_EQ(refs[1].class_id, 3);
  EXPECT_EQ(attribute_heading(refs[1]), "1.0.1.8.0.255:2");
  EXPECT_THROW(capture_objects(typed("long-unsigned", 1)), ClientError);
}

// `--format json` keeps its shape: scripts read "type" and "value" in this order,
// indented by one space.
TEST(Readable, JsonShapeIsPinned) {
  const Bytes scaler_unit{0x02, 0x02, 0x0F, 0xFE, 0x16, 0x23};
  EXPECT_EQ(data_to_json(scaler_unit).dump(1),
            "{\n \"type\": \"structure\",\n \"value\": [\n  {\n   \"type\": \"integer\",\n   \"value\": -2\n  },\n"
            "  {\n   \"type\": \"enum\",\n   \"value\": 35\n  }\n ]\n}");
  EXPECT_EQ(data_to_json({0x12, 0x59, 0xD8}).dump(1), "{\n \"type\": \"long-unsigned\",\n \"value\": 23000\n}");
  EXPECT_EQ(data_to_json({0x04, 0x04, 0x60}).dump(1), "{\n \"type\": \"bit-string\",\n \"value\": \"0110\"\n}");
}

// Compact-array (tag 13, the layout of runtime/include/metergen/axdr/axdr.hpp):
// TypeDescription, content length, untagged elements. The client reads it as
// the array it stands for. Worked out by hand: structure {long-unsigned,
// octet-string} elements {1, "AB"} (00 01 | 02 41 42) and {2, ""} (00 02 | 00).
TEST(Readable, CompactArrayReadsAsItsArray) {
  const Bytes compact{0x13, 0x02, 0x02, 0x12, 0x09, 0x08, 0x00, 0x01, 0x02, 0x41, 0x42, 0x00, 0x02, 0x00};
  const json expected = json::parse(R"({"type": "array", "value": [
      {"type": "structure", "value": [{"type": "long-unsigned", "value": 1}, {"type": "octet-string", "value": "4142"}]},
      {"type": "structure", "value": [{"type": "long-unsigned", "value": 2}, {"type": "octet-string", "value": ""}]}]})");
  EXPECT_EQ(json::parse(data_to_json(compact).dump()), expected);
  // Elements that are arrays of 2 unsigned (01 00 02 11): [1, 2] and [3, 4].
  const Bytes arrays{0x13, 0x01, 0x00, 0x02, 0x11, 0x04, 0x01, 0x02, 0x03, 0x04};
  const json pairs = json::parse(R"({"type": "array", "value": [
      {"type": "array", "value": [{"type": "unsigned", "value": 1}, {"type": "unsigned", "value": 2}]},
      {"type": "array", "value": [{"type": "unsigned", "value": 3}, {"type": "unsigned", "value": 4}]}]})");
  EXPECT_EQ(json::parse(data_to_json(arrays).dump()), pairs);
  // Contents that end inside an element are malformed.
  EXPECT_THROW(data_to_json(Bytes{0x13, 0x02, 0x02, 0x12, 0x09, 0x02, 0x00, 0x01}), ClientError);
}

}  // namespace
}  // namespace metergen::client
