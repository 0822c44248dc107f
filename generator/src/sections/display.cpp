// Section `display`: LCD lists by mode, their items and the codes shown.
#include <set>

#include "schema.hpp"
#include "sections.hpp"

namespace metergen::sections {

namespace {

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

// One item per object the reference names; a special screen is one item without an object.
void display_item(Context& ctx, DisplayList& dl, const Node& item, int decimals, const std::string& path) {
  const Node* ref = item.is_map() ? item.find("object") : &item;
  if (!ref && text(item, "special").empty()) {
    ctx.diags.error(item.mark.pos(), path, "display item shows nothing", "object or special");
    return;
  }
  if (!ref) {
    dl.items.push_back(read_item(item, decimals, ctx.model.display_digits));
    dl.items.back().code = dl.items.back().show.substr(0, 11);
    return;
  }
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
    dl.items.push_back(std::move(di));
  }
}

void read_scroll(Context& ctx, DisplayList& dl, const Node& l, const std::string& path) {
  dl.scroll_s = static_cast<int>(integer(l, "scroll_s", 0));
  auto range = integers(l, "scroll_range_s");
  if (range.size() == 2) {
    dl.scroll_min_s = static_cast<int>(range[0]);
    dl.scroll_max_s = static_cast<int>(range[1]);
    if (dl.scroll_s && (dl.scroll_s < dl.scroll_min_s || dl.scroll_s > dl.scroll_max_s))
      ctx.diags.error(field_or(l, "scroll_s").mark.pos(), path + ".scroll_s", "scroll time outside its configurable range",
                      std::to_string(dl.scroll_min_s) + ".." + std::to_string(dl.scroll_max_s) + " s");
  } else if (!range.empty()) {
    ctx.diags.error(field_or(l, "scroll_range_s").mark.pos(), path + ".scroll_range_s", "range is not [min, max]",
                    "two values");
  }
}

DisplayList read_list(Context& ctx, const Node& l, const std::string& path, const std::set<std::string>& modes,
                      int default_max) {
  DisplayList dl;
  dl.mark = l.mark;
  dl.mode = text(l, "mode");
  dl.description = text(l, "description");
  dl.same_as = text(l, "same_as");
  read_scroll(ctx, dl, l, path);
  dl.timeout_s = static_cast<int>(integer(l, "timeout_s", 0));
  dl.duration_s = static_cast<int>(integer(l, "duration_s", 0));
  dl.activations = static_cast<int>(integer(l, "activations", 0));
  dl.max_items = static_cast<int>(integer(l, "max_items", default_max));
  if (!dl.same_as.empty() && !modes.count(dl.same_as))
    ctx.diags.error(field_or(l, "same_as").mark.pos(), path + ".same_as", "no display list with mode '" + dl.same_as + "'",
                    "a mode listed in display.lists");
  int decimals = static_cast<int>(integer(l, "decimals", 0));
  if (const Node* items = l.find("items")) {
    for (std::size_t k = 0; k < items->items.size(); ++k)
      display_item(ctx, dl, items->items[k], decimals, path + ".items[" + std::to_string(k) + "]");
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

}  // namespace

void build_display(Context& ctx) {
  const Node* d = ctx.tree.find("display");
  if (!d) return;
  ctx.model.display_digits = static_cast<int>(integer(*d, "digits", 8));
  int default_max = static_cast<int>(integer(*d, "max_items", 1000));
  const Node* lists = d->find("lists");
  if (!lists) return;
  std::set<std::string> modes;
  for (const auto& l : lists->items) modes.insert(text(l, "mode"));
  for (std::size_t i = 0; i < lists->items.size(); ++i) {
    const Node& l = lists->items[i];
    ctx.model.display_lists.push_back(read_list(ctx, l, schema::item_path("display.lists", l, i), modes, default_max));
  }
  resolve_same_as(ctx.model.display_lists);
}

}  // namespace metergen::sections
