// Source tree: a YAML document converted once into plain nodes that remember
// the file, line and column they came from. Everything after loading (merging
// `extends`, schema validation, model building) works on this tree, so every
// diagnostic can point at the exact node, in the file it came from.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diag.hpp"
#include "source_file.hpp"

namespace metergen {

struct Mark {
  std::shared_ptr<const std::string> file;
  int line = 0;  // 1-based
  int col = 0;   // 1-based
  SourcePos pos() const { return {file ? *file : std::string(), line, col}; }
};

struct Node;

struct Entry {
  std::string key;
  Mark key_mark;
  std::unique_ptr<Node> value;
};

struct Node {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  Mark mark;
  std::string scalar;          // kind == scalar
  bool quoted = false;         // scalar was written in quotes: always a string
  std::vector<Node> items;     // kind == sequence
  std::vector<Entry> entries;  // kind == map, in document order, keys unique

  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }

  const Node* find(const std::string& key) const;
  Node* find(const std::string& key);
  const Entry* find_entry(const std::string& key) const;

  Node clone() const;
};

namespace limits {
// Per file, each a located error when exceeded (docs/spec-format.md, "Limits").
// Real specs nest 6 levels, have scalars of at most 1.4 kB and use no aliases;
// the 100,000-object synthetic spec has about 0.8 million nodes.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 4'000'000;
constexpr std::size_t kMaxAliasNodes = 100'000;  // nodes copied by all aliases together
constexpr std::size_t kMaxStringBytes = 65'536;  // one scalar or key
}  // namespace limits

// Parses one YAML file. On malformed YAML, duplicate keys, a limit exceeded or a
// string that is not UTF-8 it reports at the offending position and returns
// nothing. A file that is not a regular file of at most limits::kMaxFileBytes is
// reported at its own first line.
std::optional<Node> load_yaml_file(const std::string& path, Diagnostics& diags);
std::optional<Node> load_yaml_text(const std::string& text, const std::string& file_name, Diagnostics& diags);

// Offset of the first byte that is not part of well-formed UTF-8 (no overlong
// forms, no surrogates, at most U+10FFFF), or npos.
std::size_t first_invalid_utf8(const std::string& s);

// Scalar helpers (the tree keeps text; typed views are parsed on demand).
std::optional<long long> scalar_int(const Node& n);
std::optional<double> scalar_number(const Node& n);
std::optional<bool> scalar_bool(const Node& n);

const char* kind_name(Node::Kind k);

}  // namespace metergen
