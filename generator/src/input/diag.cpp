#include "diag.hpp"

#include <algorithm>
#include <tuple>

namespace metergen {

std::string Diagnostic::format() const {
  std::string out = pos.file;
  if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
  out += severity == Severity::error ? ": error: " : ": warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  if (!expected.empty()) out += "; expected " + expected;
  return out;
}

void Diagnostics::error(const SourcePos& pos, std::string path, std::string message, std::string expected) {
  items_.push_back({Severity::error, pos, std::move(path), std::move(message), std::move(expected)});
  ++errors_;
}

void Diagnostics::warning(const SourcePos& pos, std::string path, std::string message, std::string expected) {
  items_.push_back({Severity::warning, pos, std::move(path), std::move(message), std::move(expected)});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.pos.file, a.pos.line, a.pos.col) < std::tie(b.pos.file, b.pos.line, b.pos.col);
  });
  return out;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace metergen
