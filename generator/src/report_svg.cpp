#include "report_svg.hpp"

#include <algorithm>

namespace metergen::report {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string lcd_placeholder(const DisplayItem& item) {
  const auto digits = static_cast<std::size_t>(std::clamp(item.digits, 1, 16));
  if (item.special == "all_segments") return std::string(digits, '8');
  if (item.special == "blank") return "";
  if (item.format == "date") return "dd-mm-yy";
  if (item.format == "time") return "hh:mm:ss";
  if (item.format == "date_time") return "dd-mm-yy hh:mm";
  if (item.format == "text") return std::string(digits, 'A');
  if (item.format == "hex") return std::string(digits, 'F');
  const auto decimals = static_cast<std::size_t>(std::clamp(item.decimals, 0, static_cast<int>(digits) - 1));
  std::string value(digits - decimals, '0');
  if (decimals > 0) value += "." + std::string(decimals, '0');
  return value;
}

std::string lcd_screen_svg(int position, const DisplayItem& item) {
  const std::string n = std::to_string(position);
  std::string svg = "<svg class=\"lcd\" xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"96\" viewBox=\"0 0 240 96\" role=\"img\" aria-label=\"screen " + n + "\">";
  svg += "<rect x=\"1\" y=\"1\" width=\"238\" height=\"94\" rx=\"8\" class=\"lcd-glass\"/>";
  svg += "<text x=\"10\" y=\"22\" class=\"lcd-pos\">" + n + "</text>";
  svg += "<text x=\"230\" y=\"22\" text-anchor=\"end\" class=\"lcd-code\">" + html_escape(item.code) + "</text>";
  const std::string value = lcd_placeholder(item);
  const char* size = value.size() > 9 ? "17" : "26";  // long fields (date and time) in a smaller face
  svg += "<text x=\"12\" y=\"70\" font-size=\"" + std::string(size) + "\" class=\"lcd-value\">" + html_escape(value) + "</text>";
  svg += "<text x=\"230\" y=\"70\" text-anchor=\"end\" class=\"lcd-unit\">" + html_escape(item.unit) + "</text>";
  svg += "</svg>";
  return svg;
}

}  // namespace metergen::report
