#include "tree.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace metergen {

namespace {

constexpr int kMaxDepth = 64;

class Converter {
 public:
  Converter(std::shared_ptr<const std::string> file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  bool convert(const YAML::Node& in, Node& out, int depth) {
    out.mark = mark_of(in.Mark());
    if (depth > kMaxDepth) {
      diags_.error(out.mark.pos(), "", "nesting too deep", "at most " + std::to_string(kMaxDepth) + " levels");
      return false;
    }
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Node::Kind::null;
        return true;
      case YAML::NodeType::Scalar:
        out.kind = Node::Kind::scalar;
        out.scalar = in.Scalar();
        out.quoted = in.Tag() == "!";
        return true;
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        out.items.reserve(in.size());
        for (const auto& item : in) {
          out.items.emplace_back();
          if (!convert(item, out.items.back(), depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map:
        out.kind = Node::Kind::map;
        for (const auto& kv : in) {
          Mark key_mark = mark_of(kv.first.Mark());
          if (!kv.first.IsScalar()) {
            diags_.error(key_mark.pos(), "", "mapping key is not a plain name", "a scalar key");
            return false;
          }
          const std::string& key = kv.first.Scalar();
          if (const Entry* previous = out.find_entry(key)) {
            diags_.error(key_mark.pos(), "", "duplicate key '" + key + "' (first at line " +
                                                 std::to_string(previous->key_mark.line) + ")",
                         "each key once per mapping");
            return false;
          }
          Entry e{key, key_mark, std::make_unique<Node>()};
          if (!convert(kv.second, *e.value, depth + 1)) return false;
          out.entries.push_back(std::move(e));
        }
        return true;
    }
    return false;
  }

 private:
  Mark mark_of(const YAML::Mark& m) const {
    // yaml-cpp marks are 0-based; a null mark (-1) becomes the document start.
    return Mark{file_, m.line < 0 ? 1 : m.line + 1, m.column < 0 ? 1 : m.column + 1};
  }

  std::shared_ptr<const std::string> file_;
  Diagnostics& diags_;
};

std::string first_line(const std::string& s) {
  auto nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

}  // namespace

const Entry* Node::find_entry(const std::string& key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const Node* Node::find(const std::string& key) const {
  const Entry* e = find_entry(key);
  return e ? e->value.get() : nullptr;
}

Node* Node::find(const std::string& key) {
  for (auto& e : entries)
    if (e.key == key) return e.value.get();
  return nullptr;
}

Node Node::clone() const {
  Node n;
  n.kind = kind;
  n.mark = mark;
  n.scalar = scalar;
  n.quoted = quoted;
  n.items.reserve(items.size());
  for (const auto& i : items) n.items.push_back(i.clone());
  n.entries.reserve(entries.size());
  for (const auto& e : entries) n.entries.push_back({e.key, e.key_mark, std::make_unique<Node>(e.value->clone())});
  return n;
}

std::optional<Node> load_yaml_text(const std::string& text, const std::string& file_name, Diagnostics& diags) {
  auto file = std::make_shared<const std::string>(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line < 0 ? 1 : e.mark.line + 1;
    int col = e.mark.column < 0 ? 1 : e.mark.column + 1;
    diags.error({file_name, line, col}, "", "malformed YAML: " + first_line(e.msg), "well-formed YAML");
    return std::nullopt;
  }
  Node out;
  Converter conv(file, diags);
  try {
    if (!conv.convert(root, out, 0)) return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.error({file_name, 1, 1}, "", "malformed YAML: " + first_line(e.msg), "well-formed YAML");
    return std::nullopt;
  }
  if (out.is_null()) out.mark = Mark{file, 1, 1};
  return out;
}

std::optional<Node> load_yaml_file(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({path, 0, 0}, "", "cannot read file", "a readable YAML file");
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_yaml_text(text.str(), path, diags);
}

std::optional<long long> scalar_int(const Node& n) {
  if (!n.is_scalar() || n.quoted || n.scalar.empty()) return std::nullopt;
  const std::string& s = n.scalar;
  long long v = 0;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  int base = 10;
  bool negative = false;
  if (*begin == '-' || *begin == '+') {
    negative = *begin == '-';
    ++begin;
  }
  if (end - begin > 2 && begin[0] == '0' && (begin[1] == 'x' || begin[1] == 'X')) {
    base = 16;
    begin += 2;
  }
  auto [ptr, ec] = std::from_chars(begin, end, v, base);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return negative ? -v : v;
}

std::optional<double> scalar_number(const Node& n) {
  if (auto i = scalar_int(n)) return static_cast<double>(*i);
  if (!n.is_scalar() || n.quoted || n.scalar.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(n.scalar.c_str(), &end);
  if (errno != 0 || end != n.scalar.c_str() + n.scalar.size()) return std::nullopt;
  return v;
}

std::optional<bool> scalar_bool(const Node& n) {
  if (!n.is_scalar() || n.quoted) return std::nullopt;
  if (n.scalar == "true" || n.scalar == "True" || n.scalar == "TRUE") return true;
  if (n.scalar == "false" || n.scalar == "False" || n.scalar == "FALSE") return false;
  return std::nullopt;
}

const char* kind_name(Node::Kind k) {
  switch (k) {
    case Node::Kind::null: return "nothing";
    case Node::Kind::scalar: return "a scalar";
    case Node::Kind::sequence: return "a list";
    case Node::Kind::map: return "a mapping";
  }
  return "?";
}

}  // namespace metergen
