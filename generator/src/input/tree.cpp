#include "tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

namespace metergen {

namespace {

// Builds the tree from yaml-cpp's parse events, so that every limit is checked
// while parsing: an alias bomb or a deep nesting stops at the limit instead of
// being expanded (the recursive parser unwinds from the handler's exception).
class TreeBuilder : public YAML::EventHandler {
 public:
  struct Stop {};  // thrown after the error is reported

  TreeBuilder(std::shared_ptr<const std::string> file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  std::optional<Node> take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.mark = mark_of(mark);
    complete(std::move(n), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Mark at = mark_of(mark);
    auto it = anchored_.find(anchor);
    if (it == anchored_.end()) fail(at, "alias refers to a node that contains it", "an alias to a complete node");
    alias_nodes_ += it->second.size;
    if (alias_nodes_ > limits::kMaxAliasNodes)
      fail(at, "aliases expand to more than " + std::to_string(limits::kMaxAliasNodes) + " nodes",
           "at most " + std::to_string(limits::kMaxAliasNodes) + " nodes copied by aliases per file");
    if (static_cast<int>(stack_.size()) + it->second.height > limits::kMaxDepth)
      fail(at, "nesting too deep (through this alias)", "at most " + std::to_string(limits::kMaxDepth) + " levels");
    Node copy = it->second.node.clone();
    copy.mark = at;
    check_position(copy);
    count_nodes(it->second.size, at);
    place(std::move(copy));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    Node n;
    n.mark = mark_of(mark);
    check_string(value, n.mark);
    n.kind = Node::Kind::scalar;
    n.scalar = value;
    n.quoted = tag == "!";  // a quoted scalar has the non-specific tag "!"
    complete(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(Node::Kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(Node::Kind::map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    Node node;
    YAML::anchor_t anchor;
    std::size_t first_node;           // nodes_ before this one: its size when closed
    std::optional<Entry> pending;     // a map's key waiting for its value
  };
  struct Anchored {
    Node node;
    std::size_t size;  // nodes, itself included
    int height;        // levels below it
  };

  [[noreturn]] void fail(const Mark& at, std::string message, std::string expected) {
    diags_.error(at.pos(), "", std::move(message), std::move(expected));
    throw Stop{};
  }

  Mark mark_of(const YAML::Mark& m) const {
    // yaml-cpp marks are 0-based; a null mark (-1) becomes the document start.
    return Mark{file_, m.line < 0 ? 1 : m.line + 1, m.column < 0 ? 1 : m.column + 1};
  }

  void count_nodes(std::size_t n, const Mark& at) {
    nodes_ += n;
    if (nodes_ > limits::kMaxNodes)
      fail(at, "more than " + std::to_string(limits::kMaxNodes) + " nodes",
           "at most " + std::to_string(limits::kMaxNodes) + " nodes per file");
  }

  void check_string(const std::string& s, const Mark& at) {
    if (s.size() > limits::kMaxStringBytes)
      fail(at, "string of " + std::to_string(s.size()) + " bytes",
           "at most " + std::to_string(limits::kMaxStringBytes) + " bytes");
    if (std::size_t bad = first_invalid_utf8(s); bad != std::string::npos) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(s[bad]));
      fail(at, "string is not valid UTF-8 (byte " + std::string(byte) + " at offset " + std::to_string(bad) + ")",
           "UTF-8 text");
    }
  }

  // A new node at the current position: checks depth and that a map key is a scalar.
  void check_position(const Node& n) {
    if (static_cast<int>(stack_.size()) > limits::kMaxDepth)
      fail(n.mark, "nesting too deep", "at most " + std::to_string(limits::kMaxDepth) + " levels");
    if (!stack_.empty() && stack_.back().node.is_map() && !stack_.back().pending && !n.is_scalar())
      fail(n.mark, "mapping key is not a plain name", "a scalar key");
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Node n;
    n.kind = kind;
    n.mark = mark_of(mark);
    check_position(n);
    count_nodes(1, n.mark);
    stack_.push_back({std::move(n), anchor, nodes_ - 1, std::nullopt});
  }

  void close() {
    Open done = std::move(stack_.back());
    stack_.pop_back();
    remember(done.anchor, done.node, nodes_ - done.first_node);
    place(std::move(done.node));
  }

  void complete(Node n, YAML::anchor_t anchor) {
    check_position(n);
    count_nodes(1, n.mark);
    remember(anchor, n, 1);
    place(std::move(n));
  }

  void remember(YAML::anchor_t anchor, const Node& n, std::size_t size) {
    if (anchor != YAML::NullAnchor) anchored_[anchor] = Anchored{n.clone(), size, height(n)};
  }

  static int height(const Node& n) {
    int h = 0;
    for (const auto& i : n.items) h = std::max(h, 1 + height(i));
    for (const auto& e : n.entries) h = std::max(h, 1 + height(*e.value));
    return h;
  }

  // Attaches a finished node to its parent (or makes it the document).
  void place(Node n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = stack_.back();
    if (parent.node.is_seq()) {
      parent.node.items.push_back(std::move(n));
    } else if (!parent.pending) {  // a key: check_position made sure it is a scalar
      if (const Entry* previous = parent.node.find_entry(n.scalar))
        fail(n.mark, "duplicate key '" + n.scalar + "' (first at line " + std::to_string(previous->key_mark.line) + ")",
             "each key once per mapping");
      parent.pending = Entry{std::move(n.scalar), n.mark, nullptr};
    } else {
      parent.pending->value = std::make_unique<Node>(std::move(n));
      parent.node.entries.push_back(std::move(*parent.pending));
      parent.pending.reset();
    }
  }

  std::shared_ptr<const std::string> file_;
  Diagnostics& diags_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, Anchored> anchored_;
  std::optional<Node> root_;
  std::size_t nodes_ = 0;
  std::size_t alias_nodes_ = 0;
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
  std::istringstream in(text);
  TreeBuilder builder(file, diags);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);  // the first document only, as YAML::Load
  } catch (const TreeBuilder::Stop&) {
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    int line = e.mark.line < 0 ? 1 : e.mark.line + 1;
    int col = e.mark.column < 0 ? 1 : e.mark.column + 1;
    diags.error({file_name, line, col}, "", "malformed YAML: " + first_line(e.msg), "well-formed YAML");
    return std::nullopt;
  }
  std::optional<Node> out = builder.take_root();
  if (!out) out = Node{};
  if (out->is_null()) out->mark = Mark{file, 1, 1};
  return out;
}

std::optional<Node> load_yaml_file(const std::string& path, Diagnostics& diags) {
  auto content = read_input_file(path);
  if (auto* failure = std::get_if<ReadFailure>(&content)) {
    diags.error({path, 1, 1}, "", "file " + failure->what, failure->expected);
    return std::nullopt;
  }
  return load_yaml_text(std::get<std::string>(content), path, diags);
}

std::size_t first_invalid_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;                // no overlong 3-byte forms
    else if (c == 0xED) len = 3, hi = 0x9F;                // no surrogates
    else if (c >= 0xE1 && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;                // no overlong 4-byte forms
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;                // at most U+10FFFF
    else return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string::npos;
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
