// Baseline for the generator benchmark: a bare yaml-cpp parse of the same file.
#include <yaml-cpp/yaml.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: yaml_parse FILE\n");
    return 2;
  }
  YAML::Node n = YAML::LoadFile(argv[1]);
  std::printf("%zu top-level keys\n", n.size());
  return 0;
}
