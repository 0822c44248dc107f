// The streaming JSON writer: layout and escaping as nlohmann's dump(1) writes
// them (expected texts spelled by hand from RFC 8259 and that layout).
#include <gtest/gtest.h>

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "json_writer.hpp"

namespace metergen {
namespace {

std::string escaped(std::string_view s) {
  std::string out;
  append_json_escaped(out, s);
  return out;
}

TEST(JsonEscape, QuoteAndBackslashEscapedSolidusNot) {
  EXPECT_EQ(escaped(R"(a"b\c/d)"), R"(a\"b\\c/d)");
}

TEST(JsonEscape, ControlCharactersShortFormsWhereJsonHasThem) {
  EXPECT_EQ(escaped("\b\t\n\f\r"), R"(\b\t\n\f\r)");
}

TEST(JsonEscape, OtherControlCharactersAsLowerCaseUnicodeEscapes) {
  EXPECT_EQ(escaped(std::string_view("\0", 1)), R"(\u0000)");
  EXPECT_EQ(escaped("\x01\x0b\x1f"), R"(\u0001\u000b\u001f)");
  EXPECT_EQ(escaped("\x7f"), "\x7f");  // DEL is not a control character for JSON
}

TEST(JsonEscape, WellFormedUtf8KeptAsItIs) {
  // é U+00E9 (2 bytes), € U+20AC (3), U+10FFFF (4, the last code point), U+1F600 (4)
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF4\x8F\xBF\xBF \xF0\x9F\x98\x80";
  EXPECT_EQ(escaped(text), text);
  EXPECT_EQ(escaped(""), "");
}

TEST(JsonEscape, MalformedUtf8Rejected) {
  EXPECT_THROW(escaped("\x80"), std::invalid_argument);              // continuation without a lead
  EXPECT_THROW(escaped("\xC0\x80"), std::invalid_argument);          // overlong NUL
  EXPECT_THROW(escaped("\xE0\x9F\xBF"), std::invalid_argument);      // overlong U+07FF
  EXPECT_THROW(escaped("\xED\xA0\x80"), std::invalid_argument);      // surrogate U+D800
  EXPECT_THROW(escaped("\xF4\x90\x80\x80"), std::invalid_argument);  // U+110000
  EXPECT_THROW(escaped("\xF5\x80\x80\x80"), std::invalid_argument);
  EXPECT_THROW(escaped("\xFF"), std::invalid_argument);
  EXPECT_THROW(escaped("ab\xC3"), std::invalid_argument);            // cut short at the end
  EXPECT_THROW(escaped("\xE2\x82x"), std::invalid_argument);         // cut short by ASCII
}

TEST(JsonWriter, IndentOneSpacePerLevelEmptyContainersClosed) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().member("a", 1).key("b").begin_array().end_array().key("c").begin_object().end_object();
  w.key("d").begin_array().value(true).null().value("x").end_array();
  w.key("e").begin_object().member("f", -2).end_object().end_object();
  EXPECT_EQ(out,
            "{\n"
            " \"a\": 1,\n"
            " \"b\": [],\n"
            " \"c\": {},\n"
            " \"d\": [\n"
            "  true,\n"
            "  null,\n"
            "  \"x\"\n"
            " ],\n"
            " \"e\": {\n"
            "  \"f\": -2\n"
            " }\n"
            "}");
}

TEST(JsonWriter, KeysEscapedLikeStrings) {
  std::string out;
  JsonWriter(out).begin_object().member("a\"b", "\n").end_object();
  EXPECT_EQ(out, "{\n \"a\\\"b\": \"\\n\"\n}");
}

TEST(JsonWriter, IntegersAtTheirLimits) {
  std::string out;
  JsonWriter(out).begin_array().value(-9223372036854775807LL - 1).value(18446744073709551615ULL).value(0u).end_array();
  EXPECT_EQ(out, "[\n -9223372036854775808,\n 18446744073709551615,\n 0\n]");
}

TEST(JsonWriter, NumbersWithFractionsShortestWithPointOrExponent) {
  std::string out;
  JsonWriter(out).begin_array().value(0.5).value(2.0).value(-0.1).value(1e100).end_array();
  EXPECT_EQ(out, "[\n 0.5,\n 2.0,\n -0.1,\n 1e+100\n]");
}

TEST(JsonWriter, DocumentBuiltWithNlohmannWrittenInPlaceInItsOrder) {
  nlohmann::ordered_json part = {{"z", 1}, {"a", {{"k", nullptr}}}, {"list", {1.5, "s", false}}};
  std::string out;
  JsonWriter(out).begin_object().member("part", part).end_object();
  EXPECT_EQ(out,
            "{\n"
            " \"part\": {\n"
            "  \"z\": 1,\n"
            "  \"a\": {\n"
            "   \"k\": null\n"
            "  },\n"
            "  \"list\": [\n"
            "   1.5,\n"
            "   \"s\",\n"
            "   false\n"
            "  ]\n"
            " }\n"
            "}");
  // The same document dumped by nlohmann reads the same.
  EXPECT_EQ(out, nlohmann::ordered_json({{"part", part}}).dump(1));
}

}  // namespace
}  // namespace metergen
