// libFuzzer harness: arbitrary bytes as a scenario file (docs/scenario.md). The
// loader must answer with diagnostics, never crash, hang or leak (ASan+UBSan);
// a scenario it accepts must also render as C++ (`metergen scenario emit`).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "input/scenario.hpp"
#include "scenario_emit.hpp"
#include "temp_folder.hpp"

namespace {

// The input's file, in a private temporary folder.
struct Workspace {
  metergen::test::TempFolder folder{"fuzz_scenario"};
  std::string input = (folder.root() / "input.yaml").string();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Workspace workspace;
  {
    std::ofstream out(workspace.input, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  metergen::Diagnostics diags;
  auto scenario = metergen::load_scenario(workspace.input, diags);
  if (scenario) (void)metergen::emit_scenario_cpp(*scenario, "fuzzed");
  return 0;
}
