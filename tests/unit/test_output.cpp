#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "output.hpp"

namespace fs = std::filesystem;

TEST(Output, AtomicWriteLeavesNoTemporaryFiles) {
  fs::path dir = fs::temp_directory_path() / "metergen_output_test";
  fs::remove_all(dir);
  metergen::Diagnostics d;
  metergen::FileSet files{{"m/a.txt", "one\n"}, {"m/docs/b.md", "two\n"}};
  auto r1 = metergen::write_output(dir.string(), files, d);
  EXPECT_EQ(r1.written, 2u);
  auto r2 = metergen::write_output(dir.string(), files, d);
  EXPECT_EQ(r2.written, 0u);
  EXPECT_EQ(r2.unchanged, 2u);
  std::size_t count = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) count += e.is_regular_file();
  EXPECT_EQ(count, 2u);
  fs::remove_all(dir);
}

TEST(Output, CheckReportsChangedMissingAndStrayFiles) {
  fs::path dir = fs::temp_directory_path() / "metergen_check_test";
  fs::remove_all(dir);
  metergen::Diagnostics d;
  metergen::FileSet files{{"m/a.txt", "one\n"}, {"m/b.txt", "two\n"}};
  metergen::write_output(dir.string(), files, d);
  std::ofstream(dir / "m" / "a.txt") << "edited\n";
  fs::remove(dir / "m" / "b.txt");
  std::ofstream(dir / "m" / "stray.txt") << "x\n";
  metergen::Model m;
  m.id = "m";
  auto diffs = metergen::compare_output(dir.string(), files, {m});
  ASSERT_EQ(diffs.size(), 3u);
  std::sort(diffs.begin(), diffs.end());
  EXPECT_EQ(diffs[0].rfind("differs ", 0), 0u);
  EXPECT_EQ(diffs[1].rfind("missing ", 0), 0u);
  EXPECT_EQ(diffs[2].rfind("stray ", 0), 0u);
  fs::remove_all(dir);
}

TEST(Output, StagedFilesReachTheirTargetsOnlyOnCommit) {
  fs::path dir = fs::temp_directory_path() / "metergen_staged_test";
  fs::remove_all(dir);
  metergen::Diagnostics d;
  metergen::write_output(dir.string(), {{"m/a.txt", "old\n"}}, d);
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  {
    metergen::StagedOutput out(dir.string());
    out.add("m/a.txt", "new\n", d);
    out.add("m/b.txt", "two\n", d);
    EXPECT_EQ(read(dir / "m" / "a.txt"), "old\n");  // staged, not yet in place
    EXPECT_FALSE(fs::exists(dir / "m" / "b.txt"));
  }  // never committed: the temporaries go, the targets stay as they were
  std::size_t count = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) count += e.is_regular_file();
  EXPECT_EQ(count, 1u);
  EXPECT_EQ(read(dir / "m" / "a.txt"), "old\n");

  metergen::StagedOutput out(dir.string());
  out.add("m/a.txt", "new\n", d);
  out.add("m/b.txt", "two\n", d);
  ASSERT_TRUE(out.commit(d));
  EXPECT_EQ(out.report().written, 2u);
  EXPECT_EQ(read(dir / "m" / "a.txt"), "new\n");
  EXPECT_EQ(read(dir / "m" / "b.txt"), "two\n");
  EXPECT_FALSE(d.has_errors());
  fs::remove_all(dir);
}
