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
