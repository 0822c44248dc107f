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

namespace {

// Writes `content` to a temporary file beside `target` (creating its folder),
// named in `tmp`.
bool write_temporary(const fs::path& target, const std::string& content, fs::path& tmp, std::string& error) {
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) {
    error = "cannot create " + target.parent_path().string() + ": " + ec.message();
    return false;
  }
  tmp = target;
  tmp += ".new." + std::to_string(::getpid());
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.flush();
  if (!out) {
    error = "cannot write " + tmp.string();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

bool replace_with(const fs::path& tmp, const fs::path& target, std::string& error) {
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (!ec) return true;
  error = "cannot replace " + target.string() + ": " + ec.message();
  fs::remove(tmp, ec);
  return false;
}

}  // namespace

bool write_file_atomic(const std::string& path, const std::string& content, std::string& error) {
  fs::path tmp;
  return write_temporary(path, content, tmp, error) && replace_with(tmp, path, error);
}

StagedOutput::~StagedOutput() {
  std::error_code ec;
  for (const auto& [tmp, target] : staged_) fs::remove(tmp, ec);
}

void StagedOutput::add(const std::string& rel, const std::string& text, Diagnostics& diags) {
  if (failed_) return;
  fs::path target = fs::path(dir_) / rel;
  if (auto existing = read_file(target); existing && *existing == text) {
    ++report_.unchanged;
    return;
  }
  fs::path tmp;
  std::string error;
  if (!write_temporary(target, text, tmp, error)) {
    diags.error({target.string(), 0, 0}, "", error, "a writable output directory");
    failed_ = true;
    return;
  }
  staged_.push_back({tmp, target});
}

bool StagedOutput::commit(Diagnostics& diags) {
  if (failed_) return false;
  for (const auto& [tmp, target] : staged_) {
    std::string error;
    if (!replace_with(tmp, target, error)) {
      diags.error({target.string(), 0, 0}, "", error, "a writable output directory");
      failed_ = true;
      return false;
    }
    ++report_.written;
  }
  staged_.clear();
  return true;
}

WriteReport write_output(const std::string& dir, const FileSet& files, Diagnostics& diags) {
  StagedOutput out(dir);
  for (const auto& [rel, text] : files) out.add(rel, text, diags);
  out.commit(diags);
  return out.report();
}

std::string compare_file(const std::string& dir, const std::string& rel, const std::string& text) {
  fs::path p = fs::path(dir) / rel;
  auto existing = read_file(p);
  if (!existing) return "missing " + p.string();
  return *existing == text ? std::string() : "differs " + p.string();
}

std::vector<std::string> stray_files(const std::string& dir, const std::set<std::string>& expected,
                                     const std::vector<Model>& models) {
  std::vector<std::string> out;
  for (const auto& m : models) {
    fs::path folder = fs::path(dir) / m.id;
    if (!fs::is_directory(folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      std::string rel = fs::relative(entry.path(), dir).generic_string();
      if (!expected.count(rel)) out.push_back("stray " + entry.path().string());
    }
  }
  return out;
}

std::vector<std::string> compare_output(const std::string& dir, const FileSet& files, const std::vector<Model>& models) {
  std::vector<std::string> out;
  std::set<std::string> expected;
  for (const auto& [rel, text] : files) {
    if (auto d = compare_file(dir, rel, text); !d.empty()) out.push_back(d);
    expected.insert(rel);
  }
  for (auto& stray : stray_files(dir, expected, models)) out.push_back(std::move(stray));
  return out;
}

void write_depfile(const std::string& depfile, const std::string& dir, const std::string& first_output,
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
  if (first_output.empty()) return;
  text += escape((fs::path(dir) / first_output).string()) + ":";
  std::set<std::string> seen;
  for (const auto& in : inputs)
    if (seen.insert(in).second) text += " \\\n  " + escape(fs::absolute(in).lexically_normal().string());
  text += "\n";
  std::string error;
  if (!write_file_atomic(depfile, text, error)) diags.error({depfile, 0, 0}, "", error, "a writable depfile path");
}

}  // namespace metergen
