// libFuzzer harness: arbitrary bytes as a spec file. The front end must answer
// with diagnostics, never crash, hang or leak (ASan+UBSan).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "build_model.hpp"
#include "emit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Written next to the seed specs so that relative imports of the catalog resolve.
  static const std::string path = std::string(METERGEN_SOURCE_DIR) + "/tests/fuzz/.fuzz_input.yaml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  metergen::Diagnostics diags;
  auto model = metergen::load_model(path, diags);
  if (model) (void)metergen::emit_model(*model);
  return 0;
}
