// Section `push_setups`: the destination, protection, push object list and
// retry settings of push setup (IC 40) objects declared under `objects`; they
// become PushSetupDef rows and the objects' default state.
#include <metergen/cosem/push_setup.hpp>
#include <metergen/push/pusher.hpp>

#include "sections.hpp"

namespace metergen::sections {

namespace {

constexpr int kPushSetupClass = 40;

std::optional<std::size_t> association_named(Context& ctx, const Node& n, const std::string& path) {
  for (std::size_t i = 0; i < ctx.model.associations.size(); ++i)
    if (ctx.model.associations[i].name == n.scalar) return i;
  std::vector<std::string> names;
  for (const auto& a : ctx.model.associations) names.push_back(a.name);
  ctx.diags.error(n.mark.pos(), path, "no association '" + n.scalar + "'" + did_you_mean(n.scalar, names),
                  "one of " + join(names));
  return std::nullopt;
}

// Items as in a profile's capture list: a reference (attribute 2) or {object, attribute}.
void read_objects(Context& ctx, PushSetup& ps, const Node& list, const std::string& path) {
  for (std::size_t k = 0; k < list.items.size(); ++k) {
    const Node& item = list.items[k];
    const std::string ipath = path + ".objects[" + std::to_string(k) + "]";
    const Node& ref = item.is_map() ? *item.find("object") : item;
    const int attribute = item.is_map() ? static_cast<int>(integer(item, "attribute", 2)) : 2;
    if (item.is_map() && integer(item, "data_index", 0) != 0)
      ctx.diags.error(field_or(item, "data_index").mark.pos(), ipath + ".data_index",
                      "a push object list entry with a data_index", "data_index 0 (the whole attribute)");
    for (auto obj : ctx.resolve(ref, ipath))
      if (ctx.check_attribute(ctx.model.objects[obj], attribute, item.mark, ipath))
        ps.objects.push_back({obj, attribute, 0, 0, item.mark});
  }
  if (ps.objects.size() > cosem::kPushObjects)
    ctx.diags.error(list.mark.pos(), path + ".objects", std::to_string(ps.objects.size()) + " objects",
                    "at most " + std::to_string(cosem::kPushObjects));
}

void check_object(Context& ctx, const PushSetup& ps, const Node& ref, const std::string& path) {
  const Object& o = ctx.model.objects[ps.object];
  if (o.cls->id != kPushSetupClass)
    ctx.diags.error(ref.mark.pos(), path + ".object", "'" + o.name + "' is a " + o.cls->title + " object",
                    "a push_setup (IC 40) object");
  for (const auto& other : ctx.model.push_setups)
    if (other.object == ps.object)
      ctx.diags.error(ref.mark.pos(), path + ".object", "push setup '" + o.name + "' configured twice",
                      "one push_setups entry per object");
}

}  // namespace

void build_push_setups(Context& ctx) {
  for_each_item(ctx.tree, "push_setups", "push_setups", [&](const Node& p, const std::string& path) {
    PushSetup ps;
    ps.mark = p.mark;
    const Node& ref = *p.find("object");
    auto object = ctx.resolve_one(ref, path + ".object");
    if (!object) return;
    ps.object = *object;
    check_object(ctx, ps, ref, path);
    ps.destination = text(p, "destination");
    const auto* d = reinterpret_cast<const std::uint8_t*>(ps.destination.data());
    if (!cosem::valid_push_destination(d, ps.destination.size()))
      ctx.diags.error(field_or(p, "destination").mark.pos(), path + ".destination",
                      "'" + ps.destination + "' is not a destination", "host:port, e.g. 127.0.0.1:4059");
    if (const Node* a = p.find("association")) {
      ps.association = association_named(ctx, *a, path + ".association");
      if (ps.association) ps.client_sap = ctx.model.associations[*ps.association].sap;
    }
    ps.client_sap = static_cast<int>(integer(p, "client_sap", ps.client_sap));
    ps.randomisation_s = static_cast<int>(integer(p, "randomisation_start_interval_s", 0));
    ps.retries = static_cast<int>(integer(p, "number_of_retries", 0));
    ps.repetition_delay_s = static_cast<int>(integer(p, "repetition_delay_s", 0));
    if (const Node* list = p.find("objects")) read_objects(ctx, ps, *list, path);
    if (ctx.model.push_setups.size() == push::kMaxPushSetups)
      ctx.diags.error(p.mark.pos(), path, "more push setups than the runtime drives",
                      "at most " + std::to_string(push::kMaxPushSetups));
    ctx.model.push_setups.push_back(std::move(ps));
  });
}

}  // namespace metergen::sections
