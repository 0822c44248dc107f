// Profile generic (class_id 7): every attribute and method goes to Profiles,
// addressed by the object's index in Model::profiles; a class 7 object without
// a profile is a display readout (display_settings.cpp).
#include "class_context.hpp"

namespace metergen::cosem {

using dlms::ActionResult;
using dlms::DataAccessResult;

namespace {

std::uint16_t profile_of(const ClassContext& c) {
  for (std::uint16_t i = 0; i < c.model.profile_count; ++i)
    if (c.model.profiles[i].object == c.index) return i;
  return tables::kNone;
}

// The reading client's association asks for compact-array buffers.
bool compact(const ClassContext& c) {
  const std::uint16_t a = c.session == nullptr ? tables::kNone : c.session->association();
  return a != tables::kNone && c.model.associations[a].compact_profiles;
}

DataAccessResult get(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteWriter& out) {
  const std::uint16_t p = profile_of(c);
  if (p != tables::kNone) return c.profiles.get(p, attribute, sel, out, compact(c));
  return sel == nullptr ? display_readout_get(c, attribute, out) : DataAccessResult::object_unavailable;
}

DataAccessResult set(const ClassContext& c, std::int8_t attribute, const Selection* sel, ByteReader value) {
  const std::uint16_t p = profile_of(c);
  if (sel != nullptr) return DataAccessResult::object_unavailable;
  return p == tables::kNone ? display_readout_set(c, attribute, value) : c.profiles.set(p, attribute, value);
}

ActionResult action(const ClassContext& c, std::int8_t method, ByteReader params, ByteWriter&, bool&) {
  const std::uint16_t p = profile_of(c);
  if (p == tables::kNone || (method != 1 && method != 2)) return ActionResult::object_unavailable;
  if (!is_zero_parameter(params)) return ActionResult::type_unmatched;
  return method == 1 ? c.profiles.reset(p) : c.profiles.capture(p);
}

}  // namespace

// A display readout keeps its list as its state; a profile's state is Profiles'.
const ClassHandler kProfileGenericClass{.get = get, .set = set, .action = action, .state_bytes = value_only_state,
                                        .default_state = default_value_state};

}  // namespace metergen::cosem
