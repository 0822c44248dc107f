#include "obis.hpp"

#include <cctype>
#include <charconv>

namespace metergen {

namespace {

std::optional<int> parse_group(const std::string& s) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto p = s.find(sep, start);
    parts.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return parts;
}

const char* kGroupNames = "ABCDEF";

// Splits either notation into six textual groups; empty on a shape error.
std::vector<std::string> groups_of(const std::string& text, bool allow_ranges) {
  auto colon = text.find(':');
  if (colon != std::string::npos) {
    // IEC form A-B:C.D.E*F
    std::string ab = text.substr(0, colon), rest = text.substr(colon + 1);
    auto abp = split(ab, '-');
    if (abp.size() != 2) return {};
    std::string f = "255";
    auto star = rest.find('*');
    if (star != std::string::npos) {
      f = rest.substr(star + 1);
      rest = rest.substr(0, star);
    }
    auto cde = split(rest, '.');
    if (cde.size() != 3) return {};
    return {abp[0], abp[1], cde[0], cde[1], cde[2], f};
  }
  (void)allow_ranges;
  auto parts = split(text, '.');
  if (parts.size() != 6) return {};
  return parts;
}

}  // namespace

ObisParse parse_obis(const std::string& text) {
  auto g = groups_of(text, false);
  if (g.empty()) return {std::nullopt, "is not an OBIS code"};
  Obis o{};
  for (int i = 0; i < 6; ++i) {
    auto v = parse_group(g[static_cast<std::size_t>(i)]);
    if (!v) return {std::nullopt, std::string("has a non-numeric value group ") + kGroupNames[i]};
    if (*v > 255) return {std::nullopt, std::string("has value group ") + kGroupNames[i] + " = " + std::to_string(*v) + " above 255"};
    o[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(*v);
  }
  return {o, {}};
}

ObisPatternParse parse_obis_pattern(const std::string& text) {
  if (text.find(':') != std::string::npos) {
    auto p = parse_obis(text);
    if (!p.value) return {{}, p.problem};
    return {{*p.value}, {}};
  }
  auto g = groups_of(text, true);
  if (g.empty()) return {{}, "is not an OBIS code"};
  std::array<std::pair<int, int>, 6> ranges{};
  for (int i = 0; i < 6; ++i) {
    const std::string& s = g[static_cast<std::size_t>(i)];
    auto dash = s.find('-');
    auto lo = parse_group(dash == std::string::npos ? s : s.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_group(s.substr(dash + 1));
    if (!lo || !hi) return {{}, std::string("has a non-numeric value group ") + kGroupNames[i]};
    if (*lo > 255 || *hi > 255)
      return {{}, std::string("has value group ") + kGroupNames[i] + " above 255"};
    if (*hi < *lo) return {{}, std::string("has an empty range in value group ") + kGroupNames[i]};
    ranges[static_cast<std::size_t>(i)] = {*lo, *hi};
  }
  ObisPatternParse out;
  Obis cur{};
  // Odometer over the six ranges, last group fastest... except that we want E (tariff)
  // to vary fastest as written; nested loops in group order give exactly that.
  std::array<int, 6> idx{};
  for (int i = 0; i < 6; ++i) idx[static_cast<std::size_t>(i)] = ranges[static_cast<std::size_t>(i)].first;
  for (;;) {
    for (int i = 0; i < 6; ++i) cur[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(idx[static_cast<std::size_t>(i)]);
    out.values.push_back(cur);
    if (out.values.size() > 4096) return {{}, "expands to more than 4096 objects"};
    int i = 5;
    while (i >= 0) {
      auto& r = ranges[static_cast<std::size_t>(i)];
      if (idx[static_cast<std::size_t>(i)] < r.second) {
        ++idx[static_cast<std::size_t>(i)];
        break;
      }
      idx[static_cast<std::size_t>(i)] = r.first;
      --i;
    }
    if (i < 0) break;
  }
  return out;
}

bool looks_like_obis(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  return text.find('.') != std::string::npos || text.find(':') != std::string::npos;
}

std::string format_obis(const Obis& o) {
  std::string s;
  for (int i = 0; i < 6; ++i) {
    if (i) s += '.';
    s += std::to_string(o[static_cast<std::size_t>(i)]);
  }
  return s;
}

std::string format_obis_hex(const Obis& o) {
  static const char* hex = "0123456789ABCDEF";
  std::string s;
  for (int i = 0; i < 6; ++i) {
    if (i) s += ", ";
    s += "0x";
    s += hex[o[static_cast<std::size_t>(i)] >> 4];
    s += hex[o[static_cast<std::size_t>(i)] & 15];
  }
  return s;
}

std::string obis_identifier(const Obis& o) {
  std::string s;
  for (int i = 0; i < 6; ++i) {
    if (i) s += '_';
    s += std::to_string(o[static_cast<std::size_t>(i)]);
  }
  return s;
}

std::string display_code(const Obis& o) {
  std::string c = o[2] == 96 ? "C" : o[2] == 97 ? "F" : std::to_string(o[2]);
  std::string d = o[3] == 97 ? "F" : std::to_string(o[3]);
  std::string s = c + "." + d + "." + std::to_string(o[4]);
  if (o[5] != 255) s += "." + std::to_string(o[5]);
  return s;
}

}  // namespace metergen
