// Each bad-spec fixture carries, on its second line, the exact diagnostic the
// generator must print first (position, object path, message, expectation).
// Expected texts were written by hand from the fixture, not copied from output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "build_model.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> fixtures() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(METERGEN_TESTS_DIR) / "bad_specs"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class BadSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(BadSpec, ReportsExactDiagnostic) {
  fs::current_path(METERGEN_TESTS_DIR);
  std::string path = "bad_specs/" + GetParam();
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const std::string prefix = "# expect: ";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << path << " has no expectation line";
  std::string expected = line.substr(prefix.size());

  metergen::Diagnostics diags;
  auto model = metergen::load_model(path, diags);
  auto all = diags.sorted();
  ASSERT_FALSE(all.empty()) << path << " produced no diagnostic";
  EXPECT_EQ(all.front().format(), expected);
  bool is_warning = expected.find(": warning: ") != std::string::npos;
  EXPECT_EQ(model.has_value(), is_warning) << "a spec error must yield no model";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadSpec, ::testing::ValuesIn(fixtures()),
                         [](const auto& info) { return info.param.substr(0, info.param.size() - 5); });

TEST(BadSpec, MinimalSpecIsClean) {
  fs::current_path(METERGEN_TESTS_DIR);
  metergen::Diagnostics diags;
  auto model = metergen::load_model("minimal.yaml", diags);
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
