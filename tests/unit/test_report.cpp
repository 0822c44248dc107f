// metergen report: the HTML page of every seed model and of the example variant,
// byte-identical between runs, escaped, with the display codes in the spec's order
// and a variant's changes from its base.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "build_model.hpp"
#include "commands.hpp"
#include "emit.hpp"
#include "report_svg.hpp"

namespace fs = std::filesystem;

namespace {

std::string spec_path(const std::string& id) {
  if (id == "hxf300-eu-acme") return std::string(METERGEN_SOURCE_DIR) + "/examples/" + id + ".yaml";
  return std::string(METERGEN_SOURCE_DIR) + "/specs/" + id + ".yaml";
}

metergen::LoadOptions load_options() {
  metergen::LoadOptions o;
  o.allow_dirs.push_back(std::string(METERGEN_SOURCE_DIR) + "/specs");
  return o;
}

metergen::Model load(const std::string& id) {
  metergen::Diagnostics d;
  auto m = metergen::load_model(spec_path(id), d, load_options());
  EXPECT_TRUE(m) << id;
  EXPECT_FALSE(d.has_errors()) << id;
  return m ? *m : metergen::Model{};
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The texts of the <text class="lcd-code"> elements of the first display list.
std::vector<std::string> first_list_codes(const std::string& html) {
  auto begin = html.find("class=\"display-list");
  auto end = html.find("</section>", begin);
  std::string part = html.substr(begin, end - begin);
  std::vector<std::string> codes;
  std::regex code("class=\"lcd-code\">([^<]*)</text>");
  for (auto it = std::sregex_iterator(part.begin(), part.end(), code); it != std::sregex_iterator(); ++it)
    codes.push_back((*it)[1]);
  return codes;
}

}  // namespace

TEST(Report, EveryModelIsDeterministicAndComplete) {
  std::vector<std::string> ids{METERGEN_SEED_MODEL_IDS};
  ids.push_back("hxf300-eu-acme");
  for (const auto& id : ids) {
    auto m = load(id);
    std::optional<metergen::Model> base;
    if (!m.base_spec.empty()) base = load("hxf300-eu");
    std::string a = metergen::emit_report_html(m, base ? &*base : nullptr);
    std::string b = metergen::emit_report_html(m, base ? &*base : nullptr);
    EXPECT_EQ(a, b) << id;
    for (const char* section : {"id=\"identity\"", "id=\"objects\"", "id=\"profiles\"", "id=\"events\"", "id=\"control\"", "id=\"display\""})
      EXPECT_NE(a.find(section), std::string::npos) << id << " lacks " << section;
    EXPECT_EQ(a.find("<script"), std::string::npos) << id;
    EXPECT_EQ(a.find("src="), std::string::npos) << id << ": the page loads nothing";
    EXPECT_EQ(a.find("href=\"http"), std::string::npos) << id;
    if (m.calendar.present) EXPECT_NE(a.find("id=\"calendar\""), std::string::npos) << id;
    if (m.prepayment) EXPECT_NE(a.find("id=\"prepayment\""), std::string::npos) << id;
    EXPECT_EQ(a.find("Changes from") != std::string::npos, base.has_value()) << id;
    EXPECT_EQ(base.has_value(), id == "hxf300-eu-acme");
  }
}

TEST(Report, DisplayCodesInTheSpecsOrder) {
  auto m = load("hxf300-eu");
  auto codes = first_list_codes(metergen::emit_report_html(m, nullptr));
  ASSERT_FALSE(m.display_lists.empty());
  ASSERT_EQ(m.display_lists[0].mode, "auto_scroll");
  std::vector<std::string> expected;
  for (const auto& i : m.display_lists[0].items) expected.push_back(metergen::report::html_escape(i.code));
  EXPECT_EQ(codes, expected);
  // The spec's first screens (specs/hxf300-eu.yaml, display.lists[0]): the segment
  // test, then the date and time, then the serial number.
  ASSERT_GE(codes.size(), 4u);
  EXPECT_EQ(codes[0], "C.2.221");
  EXPECT_EQ(codes[1], "0.9.2");
}

TEST(Report, LcdPlaceholderFollowsDigitsAndDecimals) {
  metergen::DisplayItem i;
  i.digits = 8;
  i.decimals = 2;
  EXPECT_EQ(metergen::report::lcd_placeholder(i), "000000.00");
  i.decimals = 0;
  EXPECT_EQ(metergen::report::lcd_placeholder(i), "00000000");
  i.format = "date";
  EXPECT_EQ(metergen::report::lcd_placeholder(i), "dd-mm-yy");
  i.format = "value";
  i.special = "all_segments";
  EXPECT_EQ(metergen::report::lcd_placeholder(i), "88888888");
}

TEST(Report, VariantShowsItsChangesFromItsBase) {
  auto m = load("hxf300-eu-acme");
  auto base = load("hxf300-eu");
  ASSERT_FALSE(m.base_spec.empty());
  std::string html = metergen::emit_report_html(m, &base);
  EXPECT_NE(html.find("<h2>Changes from hxf300-eu</h2>"), std::string::npos);
  // The asset number object is new, load profile 2 removed, the workday profile and
  // the disconnect control's default mode changed (examples/hxf300-eu-acme.yaml).
  EXPECT_NE(html.find("<tr class=\"added\"><td>added</td><td>object 0.0.96.1.5.255</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"removed\"><td>removed</td><td>profile load_profile_2</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>changed</td><td>calendar day workday</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>changed</td><td>disconnect control</td>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"changed\"><td class=\"mono\">0.0.96.1.5.255</td>"), std::string::npos);
}

TEST(Report, SpecTextIsEscaped) {
  auto m = load("clms100");
  m.description = "<script>alert('x')</script> & \"co\"";
  m.display_lists[0].items[0].code = "<b>";
  std::string html = metergen::emit_report_html(m, nullptr);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;co&quot;"), std::string::npos);
  EXPECT_NE(html.find("class=\"lcd-code\">&lt;b&gt;</text>"), std::string::npos);
}

TEST(Report, CommandWritesPagesAndIndexIdenticallyTwice) {
  fs::path dir = fs::temp_directory_path() / "metergen_report_test";
  fs::remove_all(dir);
  metergen::ReportOptions o;
  o.specs = {spec_path("clms100"), spec_path("hxf300-eu-acme")};
  o.output_dir = (dir / "a").string();
  o.quiet = true;
  o.load = load_options();
  metergen::Diagnostics d;
  ASSERT_EQ(metergen::run_report(o, d), 0);
  o.output_dir = (dir / "b").string();
  ASSERT_EQ(metergen::run_report(o, d), 0);
  for (const char* f : {"index.html", "clms100.html", "hxf300-eu-acme.html"}) {
    EXPECT_TRUE(fs::is_regular_file(dir / "a" / f)) << f;
    EXPECT_EQ(read(dir / "a" / f), read(dir / "b" / f)) << f;
  }
  std::string index = read(dir / "a" / "index.html");
  EXPECT_LT(index.find("href=\"clms100.html\""), index.find("href=\"hxf300-eu-acme.html\""));
  fs::remove_all(dir);
}

TEST(Report, UnwritableDirectoryIsAnError) {
  fs::path dir = fs::temp_directory_path() / "metergen_report_blocked";
  fs::remove_all(dir);
  std::ofstream(dir.string()) << "a file, not a directory\n";
  metergen::ReportOptions o;
  o.specs = {spec_path("clms100")};
  o.output_dir = (dir / "out").string();
  o.quiet = true;
  metergen::Diagnostics d;
  EXPECT_EQ(metergen::run_report(o, d), 1);
  ASSERT_TRUE(d.has_errors());
  // Diagnostics sort by file: the spec's own warnings may come first, wherever the tree is.
  bool named = false;
  for (const auto& diag : d.sorted()) named = named || diag.format().find("a writable output directory") != std::string::npos;
  EXPECT_TRUE(named);
  fs::remove(dir);
}

TEST(Report, InvalidSpecWritesNothing) {
  fs::path dir = fs::temp_directory_path() / "metergen_report_invalid";
  fs::remove_all(dir);
  metergen::ReportOptions o;
  o.specs = {spec_path("clms100"), std::string(METERGEN_TESTS_DIR) + "/bad_specs/capture_twice.yaml"};
  o.output_dir = dir.string();
  o.quiet = true;
  o.load = load_options();
  metergen::Diagnostics d;
  EXPECT_EQ(metergen::run_report(o, d), 1);
  ASSERT_TRUE(d.has_errors());
  std::string errors;
  for (const auto& e : d.sorted())
    if (e.severity == metergen::Severity::error) errors += e.format() + "\n";
  EXPECT_NE(errors.find("attribute 2 captured twice"), std::string::npos) << errors;
  EXPECT_FALSE(fs::exists(dir));
}
