// Each bad-spec fixture carries, on its second line, the exact diagnostic the
// generator must print first (position, object path, message, expectation).
// Expected texts were written by hand from the fixture, not copied from output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "build_model.hpp"
#include "../support/expectation_fixtures.hpp"
#include "../support/load_spec.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> fixtures() { return metergen::test::yaml_fixtures(fs::path(METERGEN_TESTS_DIR) / "bad_specs"); }

class BadSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(BadSpec, ReportsExactDiagnostic) {
  fs::current_path(METERGEN_TESTS_DIR);
  std::string path = "bad_specs/" + GetParam();
  std::string expected = metergen::test::expected_diagnostic(path);
  ASSERT_FALSE(expected.empty()) << path << " has no expectation line";

  metergen::Diagnostics diags;
  auto model = metergen::load_model(path, diags, metergen::test::with_catalog());
  auto all = diags.sorted();
  ASSERT_FALSE(all.empty()) << path << " produced no diagnostic";
  EXPECT_EQ(all.front().format(), expected);
  bool is_warning = expected.find(": warning: ") != std::string::npos;
  EXPECT_EQ(model.has_value(), is_warning) << "a spec error must yield no model";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadSpec, ::testing::ValuesIn(fixtures()),
                         [](const auto& info) { return metergen::test::fixture_test_name(info.param); });

TEST(BadSpec, MinimalSpecIsClean) {
  fs::current_path(METERGEN_TESTS_DIR);
  metergen::Diagnostics diags;
  auto model = metergen::load_model("minimal.yaml", diags, metergen::test::with_catalog());
  EXPECT_TRUE(model.has_value());
  EXPECT_TRUE(diags.items().empty()) << diags.items().front().format();
}

TEST(BadSpec, EveryFixtureDiffersFromMinimalByItsMistakeOnly) {
  // Guard against fixtures that fail for an unrelated reason: each must reference
  // the same catalogs as the minimal spec.
  for (const auto& f : fixtures()) {
    std::ifstream in(fs::path(METERGEN_TESTS_DIR) / "bad_specs" / f);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("imports: [../../specs/catalog/electricity.yaml"), std::string::npos) << f;
  }
}

}  // namespace
