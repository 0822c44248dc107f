// libFuzzer harness: arbitrary bytes as a spec file. The front end must answer
// with diagnostics, never crash, hang or leak (ASan+UBSan).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "build_model.hpp"
#include "emit.hpp"
#include "temp_folder.hpp"

namespace {

namespace fs = std::filesystem;

// A private temporary folder laid out like the source tree: the input is written
// to <tmp>/tests/fuzz/ and <tmp>/specs links to the real specs/, so that the
// corpus' relative catalog imports (../../specs/catalog/...) resolve.
class Workspace {
 public:
  Workspace() {
    fs::create_directories(folder_.root() / "tests" / "fuzz");
    fs::create_directory_symlink(fs::path(METERGEN_SOURCE_DIR) / "specs", folder_.root() / "specs");
    input_ = (folder_.root() / "tests" / "fuzz" / "input.yaml").string();
  }
  const std::string& input() const { return input_; }

 private:
  metergen::test::TempFolder folder_{"fuzz_spec_loader"};
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
  const metergen::LoadOptions options{{std::string(METERGEN_SOURCE_DIR) + "/specs"}};
  auto model = metergen::load_model(workspace.input(), diags, options);
  if (model) (void)metergen::emit_model(*model);
  return 0;
}
