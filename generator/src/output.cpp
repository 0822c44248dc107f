#include "output.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace metergen {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

bool write_file_atomic(const std::string& path, const std::string& content, std::string& error) {
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) {
    error = "cannot create " + target.parent_path().string() + ": " + ec.message();
    return false;
  }
  fs::path tmp = target;
  tmp += ".new." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      error = "cannot write " + tmp.string();
      fs::remove(tmp, ec);
      return false;
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    error = "cannot replace " + target.string() + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

WriteReport write_output(const std::string& dir, const FileSet& files, Diagnostics& diags) {
  WriteReport report;
  for (const auto& [rel, text] : files) {
    fs::path p = fs::path(dir) / rel;
    if (auto existing = read_file(p); existing && *existing == text) {
      ++report.unchanged;
      continue;
    }
    std::string error;
    if (!write_file_atomic(p.string(), text, error)) {
      diags.error({p.string(), 0, 0}, "", error, "a writable output directory");
      return report;
    }
    ++report.written;
  }
  return report;
}

std::vector<std::string> compare_output(const std::string& dir, const FileSet& files, const std::vector<Model>& models) {
  std::vector<std::string> out;
  for (const auto& [rel, text] : files) {
    fs::path p = fs::path(dir) / rel;
    auto existing = read_file(p);
    if (!existing) out.push_back("missing " + p.string());
    else if (*existing != text) out.push_back("differs " + p.string());
  }
  for (const auto& m : models) {
    fs::path folder = fs::path(dir) / m.id;
    if (!fs::is_directory(folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      std::string rel = fs::relative(entry.path(), dir).generic_string();
      if (!files.count(rel)) out.push_back("stray " + entry.path().string());
    }
  }
  return out;
}

void write_depfile(const std::string& depfile, const std::string& dir, const FileSet& files,
                   const std::vector<std::string>& inputs, Diagnostics& diags) {
  auto escape = [](const std::string& s) {
    std::string o;
    for (char c : s) {
      if (c == ' ') o += '\\';
      o += c;
    }
    return o;
  };
  std::string text;
  // One rule for the first output; the rest are byproducts of the same command.
  if (files.empty()) return;
  text += escape((fs::path(dir) / files.begin()->first).string()) + ":";
  std::set<std::string> seen;
  for (const auto& in : inputs)
    if (seen.insert(in).second) text += " \\\n  " + escape(fs::absolute(in).lexically_normal().string());
  text += "\n";
  std::string error;
  if (!write_file_atomic(depfile, text, error)) diags.error({depfile, 0, 0}, "", error, "a writable depfile path");
}

}  // namespace metergen
