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

// Parses one YAML file. On malformed YAML, duplicate keys or excessive nesting it
// reports at the offending position and returns nothing.
std::optional<Node> load_yaml_file(const std::string& path, Diagnostics& diags);
std::optional<Node> load_yaml_text(const std::string& text, const std::string& file_name, Diagnostics& diags);

// Scalar helpers (the tree keeps text; typed views are parsed on demand).
std::optional<long long> scalar_int(const Node& n);
std::optional<double> scalar_number(const Node& n);
std::optional<bool> scalar_bool(const Node& n);

const char* kind_name(Node::Kind k);

}  // namespace metergen
