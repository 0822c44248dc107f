#include "build_model.hpp"

#include "sections/objects.hpp"
#include "sections/sections.hpp"
#include "spec_schema.hpp"

namespace metergen {

namespace {

bool schema_valid(const ResolvedSpec& spec, Diagnostics& diags) {
  bool ok = schema::validate(spec.tree, *spec_schema(), "", diags);
  for (const auto& catalog : spec.catalogs) ok &= schema::validate(catalog, *catalog_schema(), "", diags);
  return ok;
}

// Every object exists before any section resolves a reference: declared ones,
// then those the sections imply, in this order (it decides which of two
// duplicates is reported).
bool collect_objects(sections::Context& ctx) {
  using namespace sections;
  ObjectsSection objects(ctx);
  objects.load_catalogs();
  objects.declare();
  add_clock_objects(ctx);
  add_identity_objects(ctx);
  add_association_objects(ctx);
  add_profile_objects(ctx);
  add_event_log_objects(ctx);
  add_disconnect_objects(ctx);
  add_limiter_objects(ctx);
  add_register_monitor_objects(ctx);
  add_calendar_objects(ctx);
  add_billing_objects(ctx);
  objects.remove();
  objects.finalize();
  return !ctx.diags.has_errors();
}

bool build_sections(sections::Context& ctx) {
  using namespace sections;
  build_clock(ctx);
  build_associations(ctx);
  build_profiles(ctx);
  build_event_logs(ctx);
  build_detection(ctx);
  build_disconnect(ctx);
  build_limiters(ctx);
  build_push_setups(ctx);
  build_demand(ctx);
  build_billing(ctx);
  build_calendar(ctx);
  build_register_monitors(ctx);  // after the scripts it may run (push setups, calendar)
  build_prepayment(ctx);
  build_display(ctx);
  if (ctx.diags.has_errors()) return false;
  ObjectsSection(ctx).layout();  // last: limiters give their objects a type
  return true;
}

}  // namespace

std::optional<Model> build_model(const ResolvedSpec& spec, Diagnostics& diags) {
  if (!schema_valid(spec, diags)) return std::nullopt;
  Model model;
  model.inputs = spec.files;
  // The resolver reads the named spec first and its direct base second.
  if (const Node* extends = spec.tree.find("extends"); extends && extends->is_scalar() && spec.files.size() > 1)
    model.base_spec = spec.files[1];
  sections::Context ctx(spec, diags, model);
  sections::build_identity(ctx);
  sections::build_hardware(ctx);
  if (!collect_objects(ctx) || !build_sections(ctx)) return std::nullopt;
  sections::check_capture_readability(model, diags);
  sections::check_value_sources(model, diags);
  return model;
}

std::optional<Model> load_model(const std::string& spec_path, Diagnostics& diags, const LoadOptions& options) {
  auto resolved = resolve_spec(spec_path, diags, options);
  if (!resolved || diags.has_errors()) return std::nullopt;
  auto model = build_model(*resolved, diags);
  if (!model || diags.has_errors()) return std::nullopt;
  return model;
}

}  // namespace metergen
