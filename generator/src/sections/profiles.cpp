// Section `profiles`: Profile generic objects, their capture lists, entry sizes
// and storage; and the readability of captured values per association.
#include <algorithm>

#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

namespace {

int encoded_attribute_size(const Object& o, const cosem::Attribute& a) {
  switch (a.kind) {
    case cosem::AttrKind::logical_name: return 8;
    case cosem::AttrKind::scaler_unit: return 6;
    case cosem::AttrKind::date_time: return 14;
    case cosem::AttrKind::value: return o.type ? cosem::encoded_size(*o.type, o.length) : 1;
    case cosem::AttrKind::fixed: return cosem::encoded_size(a.type, a.type == cosem::DataType::octet_string ? 6 : 0);
    case cosem::AttrKind::complex: return -1;
  }
  return -1;
}

Profile make_profile(Context& ctx, std::size_t object, const Node& p, const std::string& path) {
  Profile pr;
  pr.mark = p.mark;
  pr.object = object;
  pr.name = ctx.model.objects[object].name;
  pr.description = text(p, "description");
  pr.purpose = text(p, "purpose", "other");
  pr.capture_period_s = static_cast<std::uint32_t>(integer(p, "capture_period_s", 0));
  for (auto v : integers(p, "allowed_periods_s")) pr.allowed_periods_s.push_back(static_cast<std::uint32_t>(v));
  pr.entries = static_cast<std::uint32_t>(integer(p, "entries", 1));
  pr.sort = text(p, "sort", "fifo");
  if (const Node* s = p.find("sort_object")) pr.sort_object = ctx.resolve_one(*s, path + ".sort_object");
  if (const Node* s = p.find("storage_bytes")) pr.storage_bytes = static_cast<std::uint64_t>(*scalar_int(*s));
  if (const Node* s = p.find("max_capture_objects")) pr.max_capture_objects = static_cast<int>(*scalar_int(*s));
  pr.selective_access = strings(p, "selective_access");
  // A load or power quality profile is captured by its period; 0 would never capture it.
  if ((pr.purpose == "load" || pr.purpose == "power_quality") && pr.capture_period_s == 0)
    ctx.diags.error(field_or(p, "capture_period_s").mark.pos(), path + ".capture_period_s",
                    "a " + pr.purpose + " profile with capture period 0 never captures", "a period of at least 1 s");
  const auto& allowed = pr.allowed_periods_s;
  if (!allowed.empty() && pr.capture_period_s != 0 &&
      std::find(allowed.begin(), allowed.end(), pr.capture_period_s) == allowed.end())
    ctx.diags.error(field_or(p, "capture_period_s").mark.pos(), path + ".capture_period_s",
                    "capture period " + std::to_string(pr.capture_period_s) + " s is not among the allowed periods",
                    "one of allowed_periods_s");
  return pr;
}

}  // namespace

void add_capture(Context& ctx, Profile& pr, std::size_t object, int attribute, int data_index, const Mark& mark,
                 const std::string& path, CaptureSeen& seen) {
  const Object& o = ctx.model.objects[object];
  if (!ctx.check_attribute(o, attribute, mark, path)) return;
  const auto* attr = cosem::find_attribute(*o.cls, attribute);
  int size = encoded_attribute_size(o, *attr);
  if (size < 0) {
    ctx.diags.error(mark.pos(), path, std::string("attribute ") + attr->name + " of '" + o.name + "' is not a capturable value",
                    "a value attribute");
    return;
  }
  auto key = std::make_tuple(object, attribute, data_index);
  if (auto [it, ok] = seen.emplace(key, mark); !ok) {
    ctx.diags.error(mark.pos(), path,
                    "'" + o.name + "' attribute " + std::to_string(attribute) + " captured twice (first at line " +
                        std::to_string(it->second.line) + ")",
                    "each capture object once per profile");
    return;
  }
  pr.capture.push_back({object, attribute, data_index, size, mark});
}

void finish_profile(Context& ctx, Profile& pr, const Node& p, const std::string& path) {
  // A buffer entry is a structure: tag + element count, then the captured values.
  std::uint32_t bytes = pr.capture.size() < 128 ? 2 : 3;
  for (const auto& c : pr.capture) bytes += static_cast<std::uint32_t>(c.encoded_bytes);
  pr.entry_bytes = bytes;
  // The status word a periodic profile's capture engine computes (profile status bits).
  for (const auto& c : pr.capture) {
    const Object& o = ctx.model.objects[c.object];
    if (o.source_kind == "status" && (o.source_quantity == "profile" || o.source_quantity == "pq_profile") &&
        c.attribute == 2 && !pr.status_object)
      pr.status_object = c.object;
  }
  if (pr.storage_bytes) {
    std::uint64_t need = std::uint64_t(pr.entries) * pr.entry_bytes;
    if (need > *pr.storage_bytes)
      ctx.diags.error(field_or(p, "storage_bytes").mark.pos(), path + ".storage_bytes",
                      std::to_string(pr.entries) + " entries x " + std::to_string(pr.entry_bytes) + " bytes = " +
                          std::to_string(need) + " bytes exceed storage_bytes " + std::to_string(*pr.storage_bytes),
                      "at most " + std::to_string(*pr.storage_bytes / pr.entry_bytes) + " entries, or more storage");
  }
  if (pr.max_capture_objects && static_cast<int>(pr.capture.size()) > *pr.max_capture_objects)
    ctx.diags.error(field_or(p, "capture").mark.pos(), path + ".capture",
                    std::to_string(pr.capture.size()) + " capture objects",
                    "at most " + std::to_string(*pr.max_capture_objects));
}

void add_profile_objects(Context& ctx) {
  const Node* profiles = ctx.tree.find("profiles");
  if (!profiles) return;
  for (const auto& p : profiles->items) {
    std::vector<std::string> groups = {"profile"};
    for (auto& g : strings(p, "groups")) groups.push_back(g);
    ctx.add_implicit(text(p, "name"), obis_of(text(p, "obis")), "profile_generic", groups, field_or(p, "obis").mark,
                     text(p, "description", "Profile"));
  }
}

void build_profiles(Context& ctx) {
  for_each_item(ctx.tree, "profiles", "profiles", [&](const Node& p, const std::string& path) {
    Profile pr = make_profile(ctx, ctx.object(text(p, "name")), p, path);
    CaptureSeen seen;
    const Node& cap = *p.find("capture");
    for (std::size_t k = 0; k < cap.items.size(); ++k) {
      const Node& item = cap.items[k];
      std::string ipath = path + ".capture[" + std::to_string(k) + "]";
      const Node& ref = item.is_map() ? *item.find("object") : item;
      int attribute = item.is_map() ? static_cast<int>(integer(item, "attribute", 2)) : 2;
      int data_index = item.is_map() ? static_cast<int>(integer(item, "data_index", 0)) : 0;
      for (auto obj : ctx.resolve(ref, ipath)) add_capture(ctx, pr, obj, attribute, data_index, item.mark, ipath, seen);
    }
    finish_profile(ctx, pr, p, path);
    ctx.model.profiles.push_back(std::move(pr));
  });
}

void check_capture_readability(const Model& model, Diagnostics& diags) {
  for (const auto& as : model.associations) {
    for (const auto& p : model.profiles) {
      const AccessSet& pa = as.access[p.object];
      if (!pa.listed || !readable(pa.attributes[1])) continue;  // this client cannot read the buffer
      for (const auto& c : p.capture) {
        const AccessSet& ca = as.access[c.object];
        std::size_t ai = static_cast<std::size_t>(c.attribute - 1);
        if (ca.listed && ai < ca.attributes.size() && readable(ca.attributes[ai])) continue;
        diags.warning(c.mark.pos(), "profiles[" + p.name + "].capture",
                      "association '" + as.name + "' reads this profile but may not read '" +
                          model.objects[c.object].name + "' attribute " + std::to_string(c.attribute),
                      "captured values readable by every association that reads the buffer");
      }
    }
  }
}

}  // namespace metergen::sections
