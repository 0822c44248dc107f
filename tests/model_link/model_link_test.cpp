// Links one generated model with the runtime seam and checks the table
// invariants the runtime relies on: ABI, objects strictly sorted by logical
// name, the clock where the clock table says, every index in range, and the
// logical-name lookup finding every object.
#include <cstdio>

#include <metergen/model_tables.hpp>

using namespace metergen::tables;

static int failures = 0;
#define EXPECT(cond)                                                  \
  do {                                                                \
    if (!(cond)) {                                                    \
      std::printf("%s: FAILED %s (line %d)\n", active_model.id, #cond, __LINE__); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

int main() {
  const Model& m = active_model;
  EXPECT(m.abi_version == kAbiVersion);
  EXPECT(m.object_count > 0);
  for (std::uint16_t i = 1; i < m.object_count; ++i) EXPECT(m.objects[i - 1].ln < m.objects[i].ln);
  for (std::uint16_t i = 0; i < m.object_count; ++i) EXPECT(find_object(m, m.objects[i].ln) == i);
  EXPECT(find_object(m, LogicalName{{0, 0, 1, 0, 0, 255}}) == m.clock.object);
  EXPECT(m.objects[m.clock.object].class_id == 8);
  EXPECT(find_object(m, LogicalName{{9, 9, 9, 9, 9, 9}}) == kNone);
  for (std::uint8_t a = 0; a < m.association_count; ++a) {
    const AssociationDef& as = m.associations[a];
    EXPECT(find_object(m, as.ln) != kNone);
    for (std::uint16_t i = 0; i < m.object_count; ++i) {
      std::uint16_t p = as.object_access[i];
      if (p == kNone) continue;
      EXPECT(p < m.access_profile_count);
      // Attribute counts in the access profile match the class of the object.
      if (m.objects[i].class_id == 8) EXPECT(m.access_profiles[p].attribute_count == 9);
    }
  }
  for (std::uint16_t p = 0; p < m.profile_count; ++p) {
    const ProfileDef& pr = m.profiles[p];
    EXPECT(pr.object < m.object_count && m.objects[pr.object].class_id == 7);
    for (std::uint16_t c = 0; c < pr.capture_count; ++c) EXPECT(m.captures[pr.first_capture + c].object < m.object_count);
  }
  for (std::uint8_t l = 0; l < m.event_log_count; ++l) {
    const EventLogDef& log = m.event_logs[l];
    EXPECT(m.profiles[log.profile].object == log.log_object);
    for (std::uint16_t e = 0; e < log.event_count; ++e) {
      std::uint16_t code = m.events[log.first_event + e].code;
      EXPECT(code >= log.code_min && code <= log.code_max);
    }
  }
  for (std::uint16_t i = 0; i < m.object_count; ++i)
    if (m.objects[i].value_offset != kNone)
      EXPECT(m.objects[i].value_offset + m.objects[i].value_size <= m.value_pool_size &&
             m.value_pool[m.objects[i].value_offset] == static_cast<std::uint8_t>(m.objects[i].value_type));
  std::printf("%s: %u objects, %u associations, %u profiles: %s\n", m.id, m.object_count, m.association_count,
              m.profile_count, failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
