// Audit: the differences between the object list a spec expects and the one a
// meter exposes, per client association, and their text and JSON renderings.
// Pure functions over ObjectList; the CLI (commands.cpp) reads the files.
// May call: object_list, obis.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "object_list.hpp"

namespace metergen {

enum class DifferenceKind {
  unknown_association,  // the meter lists a client SAP the spec does not define
  authentication,       // association authentication mechanism differs
  missing_object,       // expected, not listed by the meter
  extra_object,         // listed by the meter, not expected
  class_id,
  version,
  attribute_access,     // both list the attribute, modes differ
  attribute_missing,    // only the spec lists it (with an access other than none)
  attribute_extra,      // only the meter lists it (with an access other than none)
  selectors,            // selective access differs where the spec declares it
  method_access,
  method_missing,
  method_extra,
};

const char* difference_kind_name(DifferenceKind kind);  // "missing_object", ...

struct Difference {
  std::string association;  // expected association's name (or "sap N" when unknown)
  int client_sap = 0;
  DifferenceKind kind = DifferenceKind::missing_object;
  std::optional<Obis> logical_name;  // empty for association-level differences
  std::string object_name;           // the spec's name, when known
  int id = 0;                        // attribute or method id; 0 otherwise
  std::string expected, actual;      // values as shown to the auditor ("" when absent)
};

struct AuditedAssociation {
  std::string name;
  int client_sap = 0;
  std::size_t expected_objects = 0, actual_objects = 0;
};

struct AuditResult {
  std::vector<AuditedAssociation> associations;  // the pairs that were compared
  std::vector<Difference> differences;           // by association, logical name, then id
  bool equal() const { return differences.empty(); }
};

struct AuditOptions {
  std::string association;  // compare only this expected association (by name); empty: all the meter lists
};

// Associations are paired by client SAP. With options.association, the named
// expected association is compared with the actual one of the same SAP, or with
// the only actual association when the source lists just one. Errors (unknown
// name, no pair) go to diags and yield nullopt.
std::optional<AuditResult> audit(const ObjectList& expected, const ObjectList& actual, const AuditOptions& options,
                                 Diagnostics& diags);

// One line per difference, then a summary line.
std::string render_audit_text(const AuditResult& result);
// {"format": "metergen-audit/1", "equal", "associations", "differences"}.
std::string render_audit_json(const AuditResult& result);

}  // namespace metergen
