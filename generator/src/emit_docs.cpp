// Markdown annexes in the shape of the manuals: object list, display lists,
// event tables, profile capture lists.
#include <cstdio>

#include "emit.hpp"

namespace metergen {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

std::string md(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string access_letters(const Model& m, std::size_t object) {
  std::string out;
  for (const auto& a : m.associations) {
    const AccessSet& acc = a.access[object];
    std::string mode = "–";
    if (acc.listed) {
      bool r = false, w = false, x = false;
      for (auto at : acc.attributes) {
        r |= at == AttrMode::read || at == AttrMode::read_write || at == AttrMode::auth_read || at == AttrMode::auth_read_write;
        w |= at == AttrMode::write || at == AttrMode::read_write || at == AttrMode::auth_write || at == AttrMode::auth_read_write;
      }
      for (auto mm : acc.methods) x |= mm != MethodMode::none;
      mode = std::string(r ? "R" : "") + (w ? "W" : "") + (x ? "X" : "");
      if (mode.empty()) mode = "listed";
    }
    out += (out.empty() ? "" : " | ") + mode;
  }
  return out;
}

std::string value_format(const DisplayItem& i) {
  if (!i.special.empty()) return i.special == "all_segments" ? "all segments" : "blank";
  if (i.format == "date") return "dd-mm-yy";
  if (i.format == "time") return "hh:mm:ss";
  if (i.format == "date_time") return "dd-mm-yy hh:mm";
  if (i.format != "value") return i.format;
  int whole = std::max(1, i.digits - i.decimals);
  std::string f(static_cast<std::size_t>(whole), 'x');
  if (i.decimals > 0) f += "." + std::string(static_cast<std::size_t>(i.decimals), 'x');
  return f;
}

std::string seconds(int s) { return s ? std::to_string(s) + " s" : "–"; }

// One table row per screen: number, what it shows, code, object/attribute, format, unit.
list display_rows(const Model& m, const std::vector<DisplayItem>& screens) {
  list rows;
  int n = 0;
  for (const auto& i : screens) {
    data r;
    std::string what = i.label;
    if (what.empty() && i.object) what = m.objects[*i.object].description.empty() ? m.objects[*i.object].name : m.objects[*i.object].description;
    if (what.empty()) what = i.special;
    r.set("row", "| " + std::to_string(++n) + " | " + md(what) + " | " + md(i.show) + " | " +
                     (i.object ? format_obis(m.objects[*i.object].ln) + " /" + std::to_string(i.attribute) : "–") + " | " +
                     value_format(i) + " | " + md(i.unit) + " |");
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

FileSet emit_docs(const Model& m) {
  FileSet files;
  data base;
  base.set("provenance", provenance(m, ""));
  base.set("model", m.vendor + " " + m.name);
  base.set("id", m.id);

  // Object list with access per association.
  {
    data v = base;
    std::string header = "| Logical name | IC | Ver | Name | Unit |", rule = "|---|---|---|---|---|";
    for (const auto& a : m.associations) {
      header += " " + md(a.name) + " (" + std::to_string(a.sap) + ") |";
      rule += "---|";
    }
    v.set("header", header);
    v.set("rule", rule);
    std::string rows;  // one line per object, joined here rather than by the template (large models)
    for (std::size_t i = 0; i < m.objects.size(); ++i) {
      const Object& o = m.objects[i];
      std::string unit = o.unit >= 0 && o.unit != 255 ? std::string(cosem::unit_name(o.unit)) : "";
      if (!unit.empty() && o.scaler) unit += " (×10^" + std::to_string(o.scaler) + ")";
      rows += "| " + format_obis(o.ln) + " | " + std::to_string(o.cls->id) + " | " + std::to_string(o.version) + " | " +
              md(o.description.empty() ? o.name : o.description) + " | " + unit + " | " + access_letters(m, i) + " |\n";
    }
    v.set("rows", rows);
    v.set("count", std::to_string(m.objects.size()));
    files["objects.md"] = render("objects.md.mustache", v);
  }

  // Display lists.
  {
    data v = base;
    list lists;
    for (const auto& l : m.display_lists) {
      data d;
      d.set("mode", l.mode);
      std::string facts = "scroll " + seconds(l.scroll_s);
      if (l.scroll_max_s) facts += " (configurable " + std::to_string(l.scroll_min_s) + "–" + std::to_string(l.scroll_max_s) + " s)";
      if (l.timeout_s) facts += ", back to default after " + seconds(l.timeout_s);
      if (l.duration_s) facts += ", lasts " + seconds(l.duration_s);
      if (l.activations) facts += ", " + std::to_string(l.activations) + " activations per outage";
      facts += ", at most " + std::to_string(l.max_items) + " items";
      if (!l.same_as.empty()) facts += "; shows the " + l.same_as + " list";
      d.set("facts", facts);
      if (!l.description.empty()) d.set("description", md(l.description));
      d.set("items", display_rows(m, l.items));
      d.set("has_items", !l.items.empty());
      lists.push_back(d);
    }
    v.set("lists", lists);
    v.set("has_pool", m.display_pool_declared);
    v.set("pool_count", std::to_string(m.display_pool.size()));
    v.set("pool", display_rows(m, m.display_pool));
    files["display.md"] = render("display.md.mustache", v);
  }

  // Event tables.
  {
    data v = base;
    list logs;
    for (const auto& l : m.event_logs) {
      data d;
      d.set("name", l.name);
      d.set("description", md(l.description.empty() ? l.name : l.description));
      d.set("log", format_obis(m.objects[l.log_object].ln));
      d.set("code_object", format_obis(m.objects[l.code_object].ln));
      d.set("capacity", std::to_string(l.capacity));
      list events;
      for (const auto& e : l.events) {
        data r;
        r.set("row", "| " + std::to_string(e.code) + " | " + md(e.name) + " | " + (e.log ? "yes" : "no") + " | " +
                         (e.push ? "yes" : "no") + " |");
        events.push_back(r);
      }
      d.set("events", events);
      logs.push_back(d);
    }
    v.set("logs", logs);
    files["events.md"] = render("events.md.mustache", v);
  }

  // Profile capture lists.
  {
    data v = base;
    list profiles;
    for (const auto& p : m.profiles) {
      if (p.purpose == "event_log") continue;
      data d;
      d.set("name", p.name);
      d.set("description", md(p.description.empty() ? p.name : p.description));
      d.set("obis", format_obis(m.objects[p.object].ln));
      d.set("period", p.capture_period_s ? std::to_string(p.capture_period_s) + " s" : "on trigger");
      d.set("entries", std::to_string(p.entries));
      d.set("entry_bytes", std::to_string(p.entry_bytes));
      d.set("total", std::to_string(std::uint64_t(p.entries) * p.entry_bytes));
      d.set("storage", p.storage_bytes ? std::to_string(*p.storage_bytes) : "not declared");
      list cap;
      int n = 0;
      for (const auto& c : p.capture) {
        const Object& o = m.objects[c.object];
        data r;
        r.set("row", "| " + std::to_string(++n) + " | " + md(o.description.empty() ? o.name : o.description) + " | " +
                         format_obis(o.ln) + " | " + std::to_string(c.attribute) + " | " + std::to_string(c.encoded_bytes) + " |");
        cap.push_back(r);
      }
      d.set("capture", cap);
      profiles.push_back(d);
    }
    v.set("profiles", profiles);
    files["profiles.md"] = render("profiles.md.mustache", v);
  }
  return files;
}

}  // namespace metergen
