// Section `display`: the screen pool, LCD lists by mode, their items and the codes shown.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "schema.hpp"
#include "sections.hpp"

namespace metergen::sections {

namespace {

// What a screen shows: its object and attribute, or its special screen. A pool
// holds each once; a list names pool screens by it.
using ScreenKey = std::tuple<std::size_t, int, std::string>;
ScreenKey screen_key(const DisplayItem& i) { return {i.object.value_or(SIZE_MAX), i.attribute, i.special}; }

// Everything a table row holds: without a pool, identical items of several lists are one row.
using RowKey = std::tuple<ScreenKey, std::string, int, int, std::string, std::string, int>;
RowKey row_key(const DisplayItem& i) {
  return {screen_key(i), i.format, i.digits, i.decimals, i.code, i.unit, i.unit_shift};
}

std::string screen_name(const Model& m, const DisplayItem& i) {
  if (!i.object) return "'" + i.special + "'";
  return "'" + m.objects[*i.object].name + "' attribute " + std::to_string(i.attribute);
}

DisplayItem read_item(const Node& item, int decimals, int digits) {
  DisplayItem di;
  di.mark = item.mark;
  di.special = item.is_map() ? text(item, "special") : std::string();
  di.decimals = decimals;
  di.digits = digits;
  if (item.is_map()) {
    di.attribute = static_cast<int>(integer(item, "attribute", 2));
    di.label = text(item, "label");
    di.format = text(item, "format", "value");
    di.unit = text(item, "unit");
    di.digits = static_cast<int>(integer(item, "digits", di.digits));
    di.decimals = static_cast<int>(integer(item, "decimals", di.decimals));
    di.show = text(item, "show");
  }
  return di;
}

// The power of ten between an object's unit and the unit shown: 3 for Wh shown as kWh.
int unit_shift(const std::string& object_unit, const std::string& shown) {
  if (shown.size() == object_unit.size() + 1 && shown.substr(1) == object_unit) {
    if (shown[0] == 'k') return 3;
    if (shown[0] == 'M') return 6;
  }
  return 0;
}

// DTSD545 Attachment A "(2 screens display)": after a maximum demand's value,
// the time it occurred (Extended register attribute 5, Demand register 6).
void add_capture_time(Context& ctx, std::vector<DisplayItem>& out, const Node& item, const std::string& path) {
  const DisplayItem value = out.back();
  const Object& obj = ctx.model.objects[*value.object];
  if (obj.cls->id != 4 && obj.cls->id != 5) {
    ctx.diags.error(field_or(item, "capture_time").mark.pos(), path + ".capture_time",
                    "'" + obj.name + "' has no capture time", "an Extended register (class 4) or Demand register (class 5)");
    return;
  }
  DisplayItem time = value;
  time.attribute = obj.cls->id == 4 ? 5 : 6;
  time.format = "date_time";
  time.unit.clear();
  time.unit_shift = 0;
  time.decimals = 0;
  out.push_back(std::move(time));
}

// The screens an item names: one per object the reference names (two with
// `capture_time`); a special screen is one item without an object.
void display_item(Context& ctx, std::vector<DisplayItem>& out, const Node& item, int decimals, const std::string& path) {
  const Node* ref = item.is_map() ? item.find("object") : &item;
  if (!ref && text(item, "special").empty()) {
    ctx.diags.error(item.mark.pos(), path, "display item shows nothing", "object or special");
    return;
  }
  if (!ref) {
    out.push_back(read_item(item, decimals, ctx.model.display_digits));
    out.back().code = out.back().show.substr(0, 11);
    return;
  }
  const bool capture_time = item.is_map() && flag(item, "capture_time", false);
  for (auto o : ctx.resolve(*ref, path)) {
    DisplayItem di = read_item(item, decimals, ctx.model.display_digits);
    di.object = o;
    const Object& obj = ctx.model.objects[o];
    if (!ctx.check_attribute(obj, di.attribute, item.mark, path)) continue;
    if (di.show.empty()) di.show = obj.display_code.empty() ? display_code(obj.ln) : obj.display_code;
    const bool has_unit = obj.unit >= 0 && obj.unit != 255;
    if (di.unit.empty() && di.format == "value" && has_unit) di.unit = cosem::unit_name(obj.unit);
    if (has_unit) di.unit_shift = unit_shift(cosem::unit_name(obj.unit), di.unit);
    di.code = di.show.substr(0, 11);  // DisplayItemDef::code holds 11 characters
    out.push_back(std::move(di));
    if (capture_time) add_capture_time(ctx, out, item, path);
  }
}

using PoolIndex = std::map<ScreenKey, std::size_t>;

// `display.pool`: every screen once, in order.
void read_pool(Context& ctx, const Node& pool) {
  Model& m = ctx.model;
  m.display_pool_declared = true;
  std::map<ScreenKey, int> line;  // the pool item that gave each screen
  for (std::size_t k = 0; k < pool.items.size(); ++k) {
    const Node& item = pool.items[k];
    const std::string path = "display.pool[" + std::to_string(k) + "]";
    std::vector<DisplayItem> screens;
    display_item(ctx, screens, item, 0, path);
    for (DisplayItem& s : screens) {
      const auto [at, fresh] = line.emplace(screen_key(s), item.mark.line);
      if (!fresh) {
        ctx.diags.error(item.mark.pos(), path, "screen " + screen_name(m, s) + " is already in the pool",
                        "each screen once (first at line " + std::to_string(at->second) + ")");
        continue;
      }
      m.display_pool.push_back(std::move(s));
    }
  }
}

// With a pool, a list item names pool screens (object and attribute, or
// special); how they are shown is the pool's.
void pooled_item(Context& ctx, const PoolIndex& pool, DisplayList& dl, const Node& item, const std::string& path) {
  for (const char* key : {"format", "unit", "digits", "decimals", "show", "label", "capture_time"})
    if (const Node* n = item.is_map() ? item.find(key) : nullptr)
      ctx.diags.error(n->mark.pos(), path + "." + key, "a list item names a screen of display.pool",
                      "object, attribute or special; set '" + std::string(key) + "' in display.pool");
  std::vector<DisplayItem> named;
  display_item(ctx, named, item, 0, path);
  for (const DisplayItem& s : named) {
    const auto it = pool.find(screen_key(s));
    if (it == pool.end()) {
      ctx.diags.error(item.mark.pos(), path, "screen " + screen_name(ctx.model, s) + " is not in display.pool",
                      "one of its " + std::to_string(ctx.model.display_pool.size()) + " screens");
      continue;
    }
    dl.items.push_back(ctx.model.display_pool[it->second]);
    dl.items.back().mark = item.mark;
    dl.pool_items.push_back(it->second);
  }
}

// A time and its configurable range (`scroll_range_s`, `timeout_range_s`):
// false when the list gives no range.
bool read_range(Context& ctx, const Node& l, const char* time_key, const char* range_key, const std::string& path,
                int& min_s, int& max_s) {
  const auto range = integers(l, range_key);
  if (range.empty()) return false;
  if (range.size() != 2) {
    ctx.diags.error(field_or(l, range_key).mark.pos(), path + "." + range_key, "range is not [min, max]", "two values");
    return false;
  }
  min_s = static_cast<int>(range[0]);
  max_s = static_cast<int>(range[1]);
  const int time = static_cast<int>(integer(l, time_key, 0));
  if (time && (time < min_s || time > max_s))
    ctx.diags.error(field_or(l, time_key).mark.pos(), path + "." + time_key, "time outside its configurable range",
                    std::to_string(min_s) + ".." + std::to_string(max_s) + " s");
  return true;
}

void read_times(Context& ctx, DisplayList& dl, const Node& l, const std::string& path) {
  dl.scroll_s = static_cast<int>(integer(l, "scroll_s", 0));
  dl.timeout_s = static_cast<int>(integer(l, "timeout_s", 0));
  read_range(ctx, l, "scroll_s", "scroll_range_s", path, dl.scroll_min_s, dl.scroll_max_s);
  int timeout_min = 0, timeout_max = 0;
  const bool timeout_range = read_range(ctx, l, "timeout_s", "timeout_range_s", path, timeout_min, timeout_max);
  // The time a client sets: the scroll time of a list that scrolls, else its timeout.
  dl.time_min_s = dl.scroll_s ? dl.scroll_min_s : timeout_min;
  dl.time_max_s = dl.scroll_s ? dl.scroll_max_s : timeout_max;
  const Node* time_ref = l.find("time_object");
  if (!time_ref) return;
  if (!(dl.scroll_s ? dl.scroll_max_s != 0 : dl.timeout_s && timeout_range)) {
    ctx.diags.error(time_ref->mark.pos(), path + ".time_object", "a settable time needs a time and its range",
                    "scroll_s with scroll_range_s, or timeout_s with timeout_range_s");
    return;
  }
  const auto o = ctx.resolve_one(*time_ref, path + ".time_object");
  if (!o) return;
  const Object& obj = ctx.model.objects[*o];
  if (obj.cls->id != 1 || !obj.type || !cosem::is_integer(*obj.type) || obj.value) {
    ctx.diags.error(time_ref->mark.pos(), path + ".time_object", "'" + obj.name + "' cannot hold the list's time",
                    "a Data object (class 1) with an integer type and no constant value");
    return;
  }
  dl.time_object = o;
}

// A list a client may set is shown by a display readout: a class 7 object that
// is no profile or event log, in a display with a pool to choose from.
void read_list_object(Context& ctx, DisplayList& dl, const Node& l, const std::string& path) {
  const Node* ref = l.find("list_object");
  if (!ref) return;
  const auto o = ctx.resolve_one(*ref, path + ".list_object");
  if (!o) return;
  const Model& m = ctx.model;
  const bool profile = std::any_of(m.profiles.begin(), m.profiles.end(), [&](const Profile& p) { return p.object == *o; });
  if (m.objects[*o].cls->id != 7 || profile) {
    ctx.diags.error(ref->mark.pos(), path + ".list_object", "'" + m.objects[*o].name + "' cannot hold a display list",
                    "a Profile generic object (class 7) that is no profile or event log, e.g. 0.0.21.0.1.255");
    return;
  }
  if (!m.display_pool_declared) {
    ctx.diags.error(ref->mark.pos(), path + ".list_object", "a settable list chooses from display.pool",
                    "a display.pool");
    return;
  }
  dl.list_object = o;
}

DisplayList read_list(Context& ctx, const Node& l, const std::string& path, const std::set<std::string>& modes,
                      int default_max, const PoolIndex* pool) {
  DisplayList dl;
  dl.mark = l.mark;
  dl.mode = text(l, "mode");
  dl.description = text(l, "description");
  dl.same_as = text(l, "same_as");
  read_times(ctx, dl, l, path);
  read_list_object(ctx, dl, l, path);
  dl.duration_s = static_cast<int>(integer(l, "duration_s", 0));
  dl.activations = static_cast<int>(integer(l, "activations", 0));
  dl.max_items = static_cast<int>(integer(l, "max_items", default_max));
  if (!dl.same_as.empty() && !modes.count(dl.same_as))
    ctx.diags.error(field_or(l, "same_as").mark.pos(), path + ".same_as", "no display list with mode '" + dl.same_as + "'",
                    "a mode listed in display.lists");
  int decimals = static_cast<int>(integer(l, "decimals", 0));
  if (const Node* items = l.find("items")) {
    for (std::size_t k = 0; k < items->items.size(); ++k) {
      const std::string item_path = path + ".items[" + std::to_string(k) + "]";
      if (pool) pooled_item(ctx, *pool, dl, items->items[k], item_path);
      else display_item(ctx, dl.items, items->items[k], decimals, item_path);
    }
    if (static_cast<int>(dl.items.size()) > dl.max_items)
      ctx.diags.error(items->mark.pos(), path + ".items", "display list has " + std::to_string(dl.items.size()) + " items",
                      "at most " + std::to_string(dl.max_items) + " (the model's limit)");
  }
  return dl;
}

// A list with same_as shows the items of the (last) list of that mode.
void resolve_same_as(std::vector<DisplayList>& lists) {
  for (std::size_t i = 0; i < lists.size(); ++i) {
    lists[i].shows = i;
    if (lists[i].same_as.empty()) continue;
    for (std::size_t k = 0; k < lists.size(); ++k)
      if (lists[k].mode == lists[i].same_as) lists[i].shows = k;
  }
}

// Without a declared pool the tables' pool is the lists' items, each distinct row once.
void pool_list_items(Model& m) {
  std::map<RowKey, std::size_t> rows;
  for (DisplayList& l : m.display_lists)
    for (const DisplayItem& i : l.items) {
      const auto [at, fresh] = rows.emplace(row_key(i), m.display_pool.size());
      if (fresh) m.display_pool.push_back(i);
      l.pool_items.push_back(at->second);
    }
}

// A settable list's boot default: the readout's state holds the screen count,
// then max_items pool indexes (big-endian 16 each; cosem/display_settings.cpp);
// its time object's default is the list's time.
void place_settable(Context& ctx, const DisplayList& dl) {
  Model& m = ctx.model;
  if (dl.list_object) {
    std::vector<std::uint8_t> state;
    auto be16 = [&](std::size_t v) { state.insert(state.end(), {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}); };
    be16(dl.pool_items.size());
    for (int i = 0; i < dl.max_items; ++i) be16(i < static_cast<int>(dl.pool_items.size()) ? dl.pool_items[i] : 0);
    Object& o = m.objects[*dl.list_object];
    o.value_offset = m.value_pool.size();
    o.value_size = static_cast<int>(state.size());
    m.value_pool.insert(m.value_pool.end(), state.begin(), state.end());
  }
  if (dl.time_object) {
    Object& o = m.objects[*dl.time_object];
    const std::string time = std::to_string(dl.scroll_s ? dl.scroll_s : dl.timeout_s);
    if (o.default_value && *o.default_value != time)
      ctx.diags.error(dl.mark.pos(), "display.lists[" + dl.mode + "].time_object",
                      "'" + o.name + "' has default " + *o.default_value + ", the list's time is " + time,
                      "no default, or the list's time");
    o.default_value = time;
  }
}

}  // namespace

void build_display(Context& ctx) {
  const Node* d = ctx.tree.find("display");
  if (!d) return;
  ctx.model.display_digits = static_cast<int>(integer(*d, "digits", 8));
  int default_max = static_cast<int>(integer(*d, "max_items", 1000));
  PoolIndex pool;
  if (const Node* p = d->find("pool")) {
    read_pool(ctx, *p);
    for (std::size_t i = 0; i < ctx.model.display_pool.size(); ++i) pool.emplace(screen_key(ctx.model.display_pool[i]), i);
  }
  const Node* lists = d->find("lists");
  if (!lists) return;
  std::set<std::string> modes;
  for (const auto& l : lists->items) modes.insert(text(l, "mode"));
  for (std::size_t i = 0; i < lists->items.size(); ++i) {
    const Node& l = lists->items[i];
    ctx.model.display_lists.push_back(read_list(ctx, l, schema::item_path("display.lists", l, i), modes, default_max,
                                                ctx.model.display_pool_declared ? &pool : nullptr));
  }
  if (!ctx.model.display_pool_declared) pool_list_items(ctx.model);
  resolve_same_as(ctx.model.display_lists);
  for (const DisplayList& dl : ctx.model.display_lists) place_settable(ctx, dl);
}

}  // namespace metergen::sections
