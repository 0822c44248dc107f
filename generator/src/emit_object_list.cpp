// object_list.json: per association, the object list a delivered meter must
// expose (class_id, version, logical name, attribute and method access), as
// Association LN attribute 2 carries it. Auditors diff real meters against it.
// The list itself comes from object_list_from_model, which the audit shares.
#include "emit.hpp"
#include "object_list.hpp"

namespace metergen {

std::string emit_object_list_json(const Model& m) {
  return object_list_document("model", m.id, object_list_from_model(m).associations);
}

}  // namespace metergen
