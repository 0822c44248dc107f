// libFuzzer harness: arbitrary bytes as a scenario file (docs/scenario.md). The
// loader must answer with diagnostics, never crash, hang or leak (ASan+UBSan);
// a scenario it accepts must also render as C++ (`metergen scenario emit`).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "input/scenario.hpp"
#include "scenario_emit.hpp"

namespace {

namespace fs = std::filesystem;

// The input's file, in a private temporary folder removed at exit.
class Workspace {
 public:
  Workspace() {
    std::string pattern = (fs::temp_directory_path() / "fuzz_scenario.XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    root_ = pattern;
    input_ = (root_ / "input.yaml").string();
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  const std::string& input() const { return input_; }

 private:
  fs::path root_;
  std::string input_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Workspace workspace;
  {
    std::ofstream out(workspace.input(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  metergen::Diagnostics diags;
  auto scenario = metergen::load_scenario(workspace.input(), diags);
  if (scenario) (void)metergen::emit_scenario_cpp(*scenario, "fuzzed");
  return 0;
}
