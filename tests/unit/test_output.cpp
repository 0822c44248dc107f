#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
