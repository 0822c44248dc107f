// LCD pictures for the HTML report (emit_report.cpp): one inline SVG per screen
// of a display list, with the screen's code field, a value placeholder shaped by
// its digits and decimals, and its unit. Text from the spec is escaped here.
#pragma once

#include <string>

#include "model.hpp"

namespace metergen::report {

// &, <, >, " and ' as character references (text and attribute values alike).
std::string html_escape(const std::string& text);

// What the value field looks like: `000000.00` for 8 digits with 2 decimals,
// `dd-mm-yy`, `hh:mm:ss`, `88888888` for the segment test, ...
std::string lcd_placeholder(const DisplayItem& item);

// One screen as an <svg> element: its position in the list (1-based), the code
// (class lcd-code), the value placeholder (lcd-value) and the unit (lcd-unit).
std::string lcd_screen_svg(int position, const DisplayItem& item);

}  // namespace metergen::report
