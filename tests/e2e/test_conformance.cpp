// `metergen conformance` against the host meter of every seed model, over the
// TCP wrapper and over HDLC, and against a meter whose spec differs from the
// one given (tests/e2e/conformance-reader-no-time-zone.yaml).
// Any deviation fails the test.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("metergen-conformance-" + std::to_string(getpid()) + "-" + GetParam() + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    meter_ = std::make_unique<e2e::HostMeter>(GetParam(), dir_, std::vector<std::string>{"--hdlc-pty"});
    ASSERT_TRUE(meter_->ready()) << e2e::read_text(dir_ / "meter.log");
  }
  void TearDown() override {
    meter_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }
  e2e::Result conformance(const std::string& spec, const std::string& url, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{METERGEN_BIN, "conformance", spec, "--meter", url, "--secrets", meter_->secrets(),
                                  "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return e2e::run(args, dir_);
  }
  // The run over `url` finds no deviation.
  void expect_conformant(const std::string& url, const std::vector<std::string>& extra = {}) {
    const std::string spec = (fs::path(METERGEN_SOURCE_DIR) / "specs" / (GetParam() + ".yaml")).string();
    e2e::Result r = conformance(spec, url, extra);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.out << r.err;
    const json report = json::parse(r.out);
    for (const auto& d : report["deviations"]) ADD_FAILURE() << d.dump();
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(report["conformant"], true);
    // Every association of the spec was opened and checked, and one unknown client refused.
    for (const auto& a : report["associations"]) {
      EXPECT_GT(a["checks"].get<int>(), 0) << a.dump();
      for (const auto& note : a["notes"]) EXPECT_EQ(note.get<std::string>().find("not opened"), std::string::npos) << note;
    }
    EXPECT_EQ(report["associations"].back()["name"], "unknown client");
    // The management association writes its parameters back (SET-with-list, block SET).
    const bool written_back = std::any_of(report["associations"].begin(), report["associations"].end(), [](const json& a) {
      return a["name"] != "unknown client" &&
             std::none_of(a["notes"].begin(), a["notes"].end(), [](const json& n) {
               return n.get<std::string>().rfind("SET write-back not tried", 0) == 0;
             });
    });
    EXPECT_TRUE(written_back) << report["associations"].dump(1);
    EXPECT_GT(report["wire_bytes"].get<std::uint64_t>(), 0u);
  }

  fs::path dir_;
  std::unique_ptr<e2e::HostMeter> meter_;
};

TEST_P(Conformance, OverTheWrapper) { expect_conformant(meter_->wrapper_url()); }

TEST_P(Conformance, OverHdlc) { expect_conformant(meter_->hdlc_url(), {"--server", "1/17"}); }

// The pty serves as a serial port would (the checks are those over HDLC on TCP).
TEST_P(Conformance, OverAPty) {
  ASSERT_FALSE(meter_->pty_url().empty()) << e2e::read_text(dir_ / "meter.log");
  expect_conformant(meter_->pty_url(), {"--server", "1/17"});
}

INSTANTIATE_TEST_SUITE_P(SeedModels, Conformance, ::testing::ValuesIn(std::vector<std::string>{METERGEN_SEED_MODEL_IDS}),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

// A spec that takes read access to the clock's time_zone from the reader: the
// clms100 meter still grants it, and the run says so (exit 3), naming the
// object and attribute, what was expected and what the meter did.
class ConformanceOfAnotherSpec : public Conformance {};

TEST_P(ConformanceOfAnotherSpec, NamesTheAttributeWhoseAccessDiffers) {
  const std::string variant = (fs::path(METERGEN_SOURCE_DIR) / "tests" / "e2e" / "conformance-reader-no-time-zone.yaml").string();
  for (const std::string& url : {meter_->wrapper_url(), meter_->hdlc_url()}) {
    e2e::Result r = conformance(variant, url,
                                {"--association", "reader", "--allow-dir", (fs::path(METERGEN_SOURCE_DIR) / "specs").string()});
    ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
    const json report = json::parse(r.out);
    ASSERT_EQ(report["deviations"].size(), 1u) << report["deviations"].dump(1);
    const json& d = report["deviations"][0];
    EXPECT_EQ(d["association"], "reader");
    EXPECT_EQ(d["client_sap"], 2);
    EXPECT_EQ(d["check"], "get");
    EXPECT_EQ(d["logical_name"], "0.0.1.0.0.255");
    EXPECT_EQ(d["member"], "attribute 3");
    EXPECT_EQ(d["expected"], "read-write-denied (3)");
    EXPECT_EQ(d["actual"].get<std::string>().rfind("success", 0), 0u) << d.dump();

    e2e::Result text = e2e::run({METERGEN_BIN, "conformance", variant, "--meter", url, "--secrets", meter_->secrets(),
                                 "--association", "reader", "--allow-dir",
                                 (fs::path(METERGEN_SOURCE_DIR) / "specs").string()},
                                dir_);
    EXPECT_EQ(text.exit_code, 3);
    EXPECT_NE(text.out.find("0.0.1.0.0.255 clock: attribute 3 get: expected read-write-denied (3), got success"),
              std::string::npos)
        << text.out;
  }
}

INSTANTIATE_TEST_SUITE_P(Clms100, ConformanceOfAnotherSpec, ::testing::Values(std::string("clms100")));

}  // namespace
