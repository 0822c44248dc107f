#include <gtest/gtest.h>

#include "schema.hpp"
#include "tree.hpp"

using metergen::Diagnostics;
using metergen::load_yaml_text;

TEST(Loader, RemembersLineAndColumnOfEveryNode) {
  Diagnostics d;
  auto t = load_yaml_text("model:\n  id: x\nlist:\n  - a\n  - {k: 1}\n", "f.yaml", d);
  ASSERT_TRUE(t);
  const auto* id = t->find("model")->find("id");
  EXPECT_EQ(id->mark.line, 2);
  EXPECT_EQ(id->mark.col, 7);
  const auto& list = *t->find("list");
  EXPECT_EQ(list.items[1].find("k")->mark.line, 5);
  EXPECT_EQ(list.items[1].find("k")->mark.col, 9);
  EXPECT_EQ(*list.items[1].find("k")->mark.file, "f.yaml");
}

TEST(Loader, DuplicateKeyIsAnErrorAtTheSecondKey) {
  Diagnostics d;
  auto t = load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml", d);
  EXPECT_FALSE(t);
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].format(), "f.yaml:3:1: error: duplicate key 'a' (first at line 1); expected each key once per mapping");
}

TEST(Loader, QuotedScalarsStayStrings) {
  Diagnostics d;
  auto t = load_yaml_text("a: \"12\"\nb: 12\n", "f.yaml", d);
  EXPECT_FALSE(metergen::scalar_int(*t->find("a")));
  EXPECT_EQ(*metergen::scalar_int(*t->find("b")), 12);
}

TEST(Loader, DeepNestingIsRefusedNotACrash) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  Diagnostics d;
  auto t = load_yaml_text("a: " + deep + "\n", "f.yaml", d);
  EXPECT_FALSE(t);
  EXPECT_TRUE(d.has_errors());
}

TEST(Schema, UnknownKeySuggestsTheClosestName) {
  using namespace metergen::schema;
  auto type = object("T", {{"capture_period_s", integer(0, 10), false, ""}, {"entries", integer(1, 9), true, ""}});
  Diagnostics d;
  auto t = load_yaml_text("capture_periode_s: 1\nentries: 1\n", "f.yaml", d);
  EXPECT_FALSE(validate(*t, *type, "p", d));
  EXPECT_EQ(d.items()[0].format(),
            "f.yaml:1:1: error: p.capture_periode_s: unknown key 'capture_periode_s' (did you mean 'capture_period_s'?); "
            "expected one of capture_period_s, entries");
}

TEST(Loader, Utf8ValidationRejectsOverlongSurrogateAndTruncatedForms) {
  using metergen::first_invalid_utf8;
  constexpr auto ok = std::string::npos;
  EXPECT_EQ(first_invalid_utf8("plain"), ok);
  EXPECT_EQ(first_invalid_utf8("Z\xc3\xa4hler \xe2\x82\xac \xf0\x9f\x94\x8c"), ok);  // ä, €, U+1F50C
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(first_invalid_utf8("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xe0\x80\xaf"), 0u);      // overlong, 3 bytes
  EXPECT_EQ(first_invalid_utf8("\xed\xa0\x80"), 0u);      // surrogate U+D800
  EXPECT_EQ(first_invalid_utf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("x\xe2\x82"), 1u);         // truncated at the end
  EXPECT_EQ(first_invalid_utf8("\xe2\x28\xa1"), 0u);      // bad continuation
}

TEST(Loader, AliasesWithinTheLimitAreCopiedWithTheAliasPosition) {
  Diagnostics d;
  auto t = load_yaml_text("a: &x {k: 1}\nb: *x\n", "f.yaml", d);
  ASSERT_TRUE(t) << d.items().front().format();
  const auto* b = t->find("b");
  ASSERT_TRUE(b && b->is_map());
  EXPECT_EQ(b->mark.line, 2);
  EXPECT_EQ(b->find("k")->scalar, "1");
}
