// object_list.json: per association, the object list a delivered meter must
// expose (class_id, version, logical name, attribute and method access), as
// Association LN attribute 2 carries it. Auditors diff real meters against it.
// The lists come from association_objects, which the audit shares.
#include "emit.hpp"
#include "object_list.hpp"

namespace metergen {

std::string emit_object_list_json(const Model& m) {
  return object_list_document("model", m.id, m.associations.size(),
                              [&](std::size_t k) { return association_objects(m, k); });
}

}  // namespace metergen
