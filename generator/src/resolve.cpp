#include "resolve.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "source_file.hpp"

namespace metergen {

namespace fs = std::filesystem;

namespace {

std::string relative_to(const std::string& from_file, const std::string& path) {
  fs::path p(path);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(from_file).parent_path() / p).lexically_normal().string();
}

// Lists whose items merge one by one in a variant, with the key that identifies an item.
const char* list_item_key_field(const std::string& path) {
  if (path == "associations" || path == "profiles" || path == "event_logs" || path == "limiters" ||
      path == "register_monitors" || path == "calendar.days" || path == "calendar.weeks" || path == "calendar.seasons")
    return "name";
  if (path == "display.lists") return "mode";
  if (path == "push_setups") return "object";
  if (path == "objects") return "";  // name, else use, else obis
  return nullptr;
}

std::string item_key(const Node& item, const std::string& path) {
  if (!item.is_map()) return {};
  const char* field = list_item_key_field(path);
  if (field && *field) {
    const Node* n = item.find(field);
    return n && n->is_scalar() ? n->scalar : std::string();
  }
  for (const char* k : {"name", "use", "obis"}) {
    const Node* n = item.find(k);
    if (n && n->is_scalar()) return std::string(k) + ":" + n->scalar;
  }
  return {};
}

void merge_into(Node& base, const Node& over, const std::string& path);

void merge_list(Node& base, const Node& over, const std::string& path) {
  for (const auto& item : over.items) {
    std::string key = item_key(item, path);
    Node* target = nullptr;
    if (!key.empty())
      for (auto& b : base.items)
        if (item_key(b, path) == key) target = &b;
    if (target && target->is_map() && item.is_map())
      merge_into(*target, item, path + "[]");
    else
      base.items.push_back(item.clone());
  }
}

void merge_into(Node& base, const Node& over, const std::string& path) {
  for (const auto& e : over.entries) {
    std::string child = path.empty() ? e.key : path + "." + e.key;
    Node* existing = base.find(e.key);
    if (!existing) {
      base.entries.push_back({e.key, e.key_mark, std::make_unique<Node>(e.value->clone())});
    } else if (existing->is_map() && e.value->is_map()) {
      merge_into(*existing, *e.value, child);
    } else if (existing->is_seq() && e.value->is_seq() && list_item_key_field(child)) {
      merge_list(*existing, *e.value, child);
    } else {
      *existing = e.value->clone();
    }
  }
}

// Drops items of `list_path` named in the variant's remove list; objects are removed
// later, after expansion, by the model builder.
void apply_removals(Node& tree, const Node& remove, Diagnostics& diags) {
  struct Target { const char* remove_key; const char* section; const char* sub; };
  const Target targets[] = {{"profiles", "profiles", nullptr},       {"event_logs", "event_logs", nullptr},
                            {"associations", "associations", nullptr}, {"limiters", "limiters", nullptr},
                            {"display_lists", "display", "lists"}};
  for (const auto& t : targets) {
    const Node* names = remove.find(t.remove_key);
    if (!names || !names->is_seq()) continue;
    Node* list = tree.find(t.section);
    if (list && t.sub) list = list->is_map() ? list->find(t.sub) : nullptr;
    std::string path = std::string(t.section) + (t.sub ? std::string(".") + t.sub : "");
    for (const auto& n : names->items) {
      if (!n.is_scalar()) continue;
      bool found = false;
      if (list && list->is_seq()) {
        auto& items = list->items;
        auto it = std::remove_if(items.begin(), items.end(),
                                 [&](const Node& i) { return item_key(i, path) == n.scalar; });
        found = it != items.end();
        items.erase(it, items.end());
      }
      if (!found)
        diags.error(n.mark.pos(), std::string("remove.") + t.remove_key, "nothing named '" + n.scalar + "' to remove",
                    "a name defined in the extended spec");
    }
  }
}

bool is_within(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

// A file named by `imports` or `extends`, as written and as found.
struct Reference {
  const char* kind;     // "catalog" or "base spec"
  const char* field;    // object path of the diagnostic
  std::string written;  // as in the spec: shown in messages
  std::string path;     // relative to the including spec (dependency list, relative imports)
  const Mark* mark;     // where it is written
};

struct Resolver {
  Diagnostics& diags;
  std::vector<fs::path> roots;  // canonical folders that imported and extended files must be in
  std::vector<std::string> stack;
  ResolvedSpec out;

  void add_file(const std::string& f) {
    if (std::find(out.files.begin(), out.files.end(), f) == out.files.end()) out.files.push_back(f);
  }

  void refuse(const Reference& ref, const std::string& what, const std::string& expected) {
    diags.error(ref.mark->pos(), ref.field, std::string(ref.kind) + " '" + ref.written + "' " + what, expected);
  }

  // The canonical path of a referenced file, if it exists inside the allowed folders.
  // Nothing of the file is read here, so a refused file's content is never shown.
  std::optional<std::string> locate(const Reference& ref) {
    std::error_code ec;
    fs::path real = fs::canonical(ref.path, ec);
    if (ec == std::errc::no_such_file_or_directory) {
      refuse(ref, "not found", "a path relative to this spec");
      return std::nullopt;
    }
    if (ec) {
      refuse(ref, "cannot be resolved: " + errno_phrase(ec.value()), "a path to a readable file");
      return std::nullopt;
    }
    if (std::none_of(roots.begin(), roots.end(), [&](const fs::path& r) { return is_within(real, r); })) {
      refuse(ref, "is outside the spec's folder and the --allow-dir folders",
             "a file under the spec's folder or under a folder given with --allow-dir");
      return std::nullopt;
    }
    return real.string();
  }

  std::optional<Node> read(const Reference& ref, const std::string& real) {
    auto content = read_input_file(real);
    if (auto* failure = std::get_if<ReadFailure>(&content)) {
      refuse(ref, failure->what, failure->expected);
      return std::nullopt;
    }
    return load_yaml_text(std::get<std::string>(content), ref.path, diags);
  }

  // The spec named on the command line: anywhere, but only a regular file.
  std::optional<Node> load_named(const std::string& path) {
    std::error_code ec;
    fs::path real = fs::canonical(path, ec);
    return load(path, ec ? path : real.string(), load_yaml_file(path, diags));
  }

  std::optional<Node> load_base(const Reference& ref) {
    auto real = locate(ref);
    if (!real) return std::nullopt;
    if (std::find(stack.begin(), stack.end(), *real) != stack.end()) {
      diags.error(ref.mark->pos(), "extends", "spec extends itself through '" + ref.written + "'",
                  "an acyclic chain of extends");
      return std::nullopt;
    }
    return load(ref.path, *real, read(ref, *real));
  }

  std::optional<Node> load(const std::string& path, const std::string& real, std::optional<Node> tree) {
    add_file(path);
    if (!tree) return std::nullopt;
    if (!tree->is_map()) {
      diags.error(tree->mark.pos(), "", "spec is " + std::string(kind_name(tree->kind)), "a mapping of spec sections");
      return std::nullopt;
    }
    stack.push_back(real);
    std::optional<Node> result;
    const Node* extends = tree->find("extends");
    if (extends && extends->is_scalar()) {
      auto base = load_base({"base spec", "extends", extends->scalar, relative_to(path, extends->scalar), &extends->mark});
      collect_imports(path, *tree);
      if (base) {
        merge_into(*base, *tree, "");
        if (const Node* remove = tree->find("remove"); remove && remove->is_map()) apply_removals(*base, *remove, diags);
        result = std::move(base);  // keeps the variant's own extends/imports/remove entries
      }
    } else {
      collect_imports(path, *tree);
      result = std::move(tree);
    }
    stack.pop_back();
    return result;
  }

  void collect_imports(const std::string& path, const Node& tree) {
    const Node* imports = tree.find("imports");
    if (!imports || !imports->is_seq()) return;
    for (const auto& i : imports->items) {
      if (!i.is_scalar()) continue;
      Reference ref{"catalog", "imports", i.scalar, relative_to(path, i.scalar), &i.mark};
      if (std::find(out.imports.begin(), out.imports.end(), ref.path) != out.imports.end()) continue;
      auto real = locate(ref);
      if (!real) continue;
      auto cat = read(ref, *real);
      if (!cat) continue;
      add_file(ref.path);
      out.imports.push_back(ref.path);
      out.catalogs.push_back(std::move(*cat));
    }
  }
};

// The folders imported and extended files may come from, canonical.
std::vector<fs::path> allowed_roots(const std::string& spec, const LoadOptions& options) {
  std::vector<fs::path> roots;
  std::vector<fs::path> dirs{fs::absolute(spec).parent_path()};
  for (const auto& d : options.allow_dirs) dirs.emplace_back(d);
  for (const auto& d : dirs) {
    std::error_code ec;
    fs::path real = fs::canonical(d, ec);
    if (!ec) roots.push_back(real);
  }
  return roots;
}

}  // namespace

std::optional<ResolvedSpec> resolve_spec(const std::string& path, Diagnostics& diags, const LoadOptions& options) {
  Resolver r{diags, allowed_roots(path, options), {}, {}};
  auto tree = r.load_named(path);
  if (!tree) return std::nullopt;
  r.out.tree = std::move(*tree);
  return std::move(r.out);
}

}  // namespace metergen
