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

// The top-level section `id` of a page: from its <section id=...> to the next
// top-level one (each follows a blank line) or the page's closing note.
std::string section(const std::string& html, const std::string& id) {
  const auto begin = html.find("<section id=\"" + id + "\"");
  if (begin == std::string::npos) return "";
  return html.substr(begin, std::min(html.find("\n\n<section id=", begin), html.find("\n\n<p class=\"note\">", begin)) - begin);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A row of a section's facts table.
std::string fact_row(const std::string& key, const std::string& value) {
  return "<tr><th>" + key + "</th><td>" + value + "</td></tr>";
}

// Each {key, value} is a row of the section's facts table.
void expect_facts(const std::string& section, const std::vector<std::pair<std::string, std::string>>& rows) {
  for (const auto& [key, value] : rows)
    EXPECT_NE(section.find(fact_row(key, value)), std::string::npos) << key << ": " << value;
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

TEST(Report, DemandShowsTheWindowAndTheRegisters) {
  auto m = load("hxf300-eu");
  const std::string demand = section(metergen::emit_report_html(m, nullptr), "demand");
  ASSERT_FALSE(demand.empty());
  // specs/hxf300-eu.yaml, demand: sliding, 60 s sub-periods, 15 of them: 15 x 60 s = 900 s;
  // allowed 60, 120, ... 3600 s (60 periods 60 s apart); reset automatic and by command.
  expect_facts(demand, {{"Method", "sliding"},
                        {"Sub-period", "60 s"},
                        {"Number of periods", "15"},
                        {"Window", "15 × 60 s = 900 s"},
                        {"Allowed sub-periods", "60–3600 s in steps of 60 s"},
                        {"Longest window", "3600 s"},
                        {"Window restarts on", "–"},
                        {"Maximum demand reset by", "automatic, command"}});
  // The objects section declares 11 demand registers (1.4.0 .. 15.4.0, Annex B) and 11
  // maximum demand families each for the total and tariffs 1..4: 11 x 5 = 55.
  const auto max_at = demand.find("<h3>Maximum demand registers</h3>");
  ASSERT_NE(max_at, std::string::npos);
  const std::string current = demand.substr(0, max_at), maxima = demand.substr(max_at);
  EXPECT_EQ(count(current, "<tr><td class=\"mono\">"), 11u);
  EXPECT_NE(current.find("<tr><td class=\"mono\">1.0.1.4.0.255</td>"), std::string::npos);
  EXPECT_NE(current.find("<tr><td class=\"mono\">1.0.15.4.0.255</td>"), std::string::npos);
  EXPECT_NE(current.find("<td>5 demand_register v0</td><td>W</td>"), std::string::npos);
  EXPECT_EQ(count(maxima, "<tr><td class=\"mono\">"), 55u);
  EXPECT_NE(maxima.find("<tr><td class=\"mono\">1.0.1.6.0.255</td>"), std::string::npos);
  EXPECT_NE(maxima.find("<tr><td class=\"mono\">1.0.15.6.4.255</td>"), std::string::npos);

  // DTSD545: block demand over 1800 s; the allowed periods are not evenly spaced.
  const std::string dtsd = section(metergen::emit_report_html(load("dtsd545"), nullptr), "demand");
  expect_facts(dtsd, {{"Window", "1 × 1800 s = 1800 s"},
                      {"Allowed sub-periods", "300, 600, 900, 1200, 1800, 3600 s"},
                      {"Window restarts on", "power_off, clock_set, period_change, billing"}});

  // The ACME variant changes the demand to a 900 s block: the section is highlighted.
  auto acme = load("hxf300-eu-acme");
  const std::string changed = section(metergen::emit_report_html(acme, &m), "demand");
  EXPECT_EQ(changed.rfind("<section id=\"demand\" class=\"changed\">", 0), 0u);
  EXPECT_NE(changed.find(fact_row("Window", "1 × 900 s = 900 s")), std::string::npos);
}

TEST(Report, BillingShowsPeriodsWhatIsFrozenAndTheCounter) {
  const std::string billing = section(metergen::emit_report_html(load("hxf300-eu"), nullptr), "billing");
  ASSERT_FALSE(billing.empty());
  // specs/hxf300-eu.yaml, billing and profiles: monthly on day 1 at 00:00 by the schedule,
  // a command or the button into monthly_billing (1.0.98.1.0.255, 14 entries) whose capture
  // list is clock, serial number, 4 x 5 energies (x.8.0-4), 4 + 2 + 2 energies, 4 x 5 maximum
  // demands and their times (1.6 and 2.6, tariffs 0-4), 2 x 2 (3-4.6.0), 2 (9.6.0) and the 4
  // ratios: 1 + 1 + 20 + 8 + 20 + 4 + 2 + 4 = 60 values; daily at 00:00 into daily_billing
  // (1.0.98.2.0.255, 62 entries): clock, 20 + 8 energies, 6 per-phase: 35 values.
  EXPECT_NE(billing.find("<tr><td>end of billing period</td><td>day 1 of each month, 00:00</td><td>automatic, command, button</td>"
                         "<td><a href=\"#profile-monthly_billing\">monthly_billing</a></td><td class=\"mono\">1.0.98.1.0.255</td>"
                         "<td>60 values, 14 entries</td></tr>"),
            std::string::npos);
  EXPECT_NE(billing.find("<tr><td>daily freeze</td><td>every day, 00:00</td><td>automatic</td>"
                         "<td><a href=\"#profile-daily_billing\">daily_billing</a></td><td class=\"mono\">1.0.98.2.0.255</td>"
                         "<td>35 values, 62 entries</td></tr>"),
            std::string::npos);
  // The implicit schedule and script table (docs/time.md), the catalogue's counter and lock-out.
  expect_facts(billing,
               {{"Schedule", "End of billing period (0.0.15.0.0.255)"},
                {"Billing script table", "MDI reset / end of billing period script table (0.0.10.0.1.255)"},
                {"Billing period counter", "Billing period counter (1.0.0.1.0.255)"},
                {"Lock-out of command and button billing",
                 "3600 s, a client may set Billing period reset lockout time (s) (1.0.0.9.12.255)"},
                {"Billing button", "held 10 s"},
                {"A billing time missed during an outage or before a clock set", "billed once at power-up or at the clock set"},
                {"Maximum demand", "reset at each end of billing period"}});
  EXPECT_EQ(billing.find("Historical values"), std::string::npos);

  // HXE312-KP: the last 6 months' consumption, 1.0.1.9.0.101 .. 106, shift at each end;
  // billing by schedule and command only, no button, no catch-up.
  const std::string kp = section(metergen::emit_report_html(load("hxe312-kp"), nullptr), "billing");
  const std::string historical = kp.substr(kp.find("<h3>Historical values</h3>"));
  EXPECT_EQ(count(historical, "<tr><td class=\"mono\">"), 6u);
  EXPECT_NE(historical.find("<tr><td class=\"mono\">1.0.1.9.0.101</td>"), std::string::npos);
  EXPECT_NE(historical.find("<tr><td class=\"mono\">1.0.1.9.0.106</td>"), std::string::npos);
  EXPECT_NE(kp.find("<td>automatic, command</td>"), std::string::npos);
  EXPECT_EQ(kp.find("Billing button"), std::string::npos);
  EXPECT_NE(kp.find(fact_row("A billing time missed during an outage or before a clock set", "skipped")), std::string::npos);
}

TEST(Report, PushSetupsShowDestinationObjectsAndWhatPushes) {
  const std::string push = section(metergen::emit_report_html(load("hxf300-eu"), nullptr), "push");
  ASSERT_FALSE(push.empty());
  // specs/hxf300-eu.yaml, push_setups: to 127.0.0.1:4061 for the pre-established client
  // (SAP 102, no security policy: plain), 3 retries 60 s apart, no randomisation.
  EXPECT_NE(push.find("<h3>Push of data to the pre-established client <span class=\"mono\">0.0.25.9.0.255</span></h3>"), std::string::npos);
  expect_facts(push, {{"Destination", "127.0.0.1:4061"},
                      {"Method", "DataNotification over TCP (wrapper), A-XDR, to wPort 102"},
                      {"Protection", "plain (association pre_established protects no response)"},
                      {"Communication windows", "none: pushes at any time"},
                      {"Randomisation start interval", "0 s"},
                      {"Retries", "3"},
                      {"Repetition delay", "60 s"}});
  // The fraud log's events marked `push: true` (codes 40, 42, 44).
  EXPECT_NE(push.find("<li>events of fraud_event_log: 40 Terminal cover open, 42 Magnetic influence detection start, "
                      "44 Meter cover open</li>"),
            std::string::npos);
  // The push object list: the setup's logical name, serial number, clock and the two event codes.
  EXPECT_EQ(count(push, "<tr><td>"), 5u);
  EXPECT_NE(push.find("<tr><td>1</td><td>Push of data to the pre-established client</td><td class=\"mono\">0.0.25.9.0.255</td><td>1</td>"), std::string::npos);
  EXPECT_NE(push.find("<td class=\"mono\">0.0.96.1.0.255</td><td>2</td>"), std::string::npos);
  EXPECT_NE(push.find("<td class=\"mono\">0.0.1.0.0.255</td><td>2</td>"), std::string::npos);
  EXPECT_NE(push.find("<tr><td>5</td>"), std::string::npos);
  EXPECT_NE(push.find("<td class=\"mono\">0.0.96.11.1.255</td><td>2</td>"), std::string::npos);

  // DTSD545: protected like the management client's responses (authenticated and encrypted);
  // its logs push what a client sets in their filters, none by default.
  const std::string dtsd = section(metergen::emit_report_html(load("dtsd545"), nullptr), "push");
  EXPECT_NE(dtsd.find(fact_row("Protection", "general-glo-ciphering with the keys of association management, "
                                             "authenticated and encrypted")),
            std::string::npos);
  EXPECT_NE(dtsd.find("whose push bit is set in its filter"), std::string::npos);
  EXPECT_NE(dtsd.find("(by default: none)</li>"), std::string::npos);
}

TEST(Report, RegisterMonitorsShowThresholdsAndTheirScripts) {
  // No seed has a register monitor: tests/runtime/specs/monitors.yaml watches the active
  // power at 1000 W (push up) and 2000 W (end of billing period up, push down), and the
  // alarm register at 0 (push up); its one push setup, push_setup (no description), is
  // 0.0.25.9.0.255.
  metergen::Diagnostics d;
  auto m = metergen::load_model(std::string(METERGEN_TESTS_DIR) + "/runtime/specs/monitors.yaml", d, load_options());
  ASSERT_TRUE(m);
  const std::string html = metergen::emit_report_html(*m, nullptr);
  const std::string monitors = section(html, "monitors");
  ASSERT_FALSE(monitors.empty());
  const std::string push_by = "push_script_table script 1: push by push_setup (0.0.25.9.0.255)";
  EXPECT_NE(monitors.find("<h3>power_monitor <span class=\"mono\">0.0.16.0.0.255</span></h3>"), std::string::npos);
  EXPECT_NE(monitors.find("1.0.1.7.0.255)</td></tr>"), std::string::npos);
  EXPECT_NE(monitors.find("<tr><td>1</td><td>1000 W</td><td>" + push_by + "</td><td>–</td></tr>"), std::string::npos);
  EXPECT_NE(monitors.find("<tr><td>2</td><td>2000 W</td><td>mdi_reset_script_table script 1: end of billing period</td><td>" +
                          push_by + "</td></tr>"),
            std::string::npos);
  EXPECT_NE(monitors.find("<h3>alarm_monitor <span class=\"mono\">0.0.16.1.0.255</span></h3>"), std::string::npos);
  EXPECT_NE(monitors.find(fact_row("Monitored value", "Alarm register (0.0.97.98.0.255)")), std::string::npos);
  EXPECT_NE(monitors.find("<tr><td>1</td><td>0</td><td>" + push_by + "</td><td>–</td></tr>"), std::string::npos);
  // The same crossings are listed as what pushes, with a client's execute of the push script.
  const std::string push = section(html, "push");
  EXPECT_NE(push.find("rises above 1000 W</li>"), std::string::npos);
  EXPECT_NE(push.find("falls back to 2000 W or below</li>"), std::string::npos);
  EXPECT_NE(push.find("<li>register monitor alarm_monitor: Alarm register rises above 0</li>"), std::string::npos);
  EXPECT_NE(push.find("script 1 of push_script_table (0.0.10.0.108.255)</li>"), std::string::npos);
}

TEST(Report, SectionsOnlyWhereTheSpecHasThem) {
  // specs/clms100.yaml has billing but no demand and no push setups; no seed has a register monitor.
  const std::string html = metergen::emit_report_html(load("clms100"), nullptr);
  EXPECT_NE(html.find("<section id=\"billing\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"demand\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"#demand\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"push\""), std::string::npos);
  EXPECT_EQ(html.find("id=\"monitors\""), std::string::npos);
}
