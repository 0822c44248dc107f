// `metergen conformance SPEC --meter URL`: a conformance run generated from the
// spec, in the spirit of the DLMS UA conformance test tool (docs/conformance.md).
// For every association of the spec it can open: every object × attribute is
// read (and decodes to the class's type, scaler_unit and enumeration ranges) or
// refused with read-write-denied as the spec's access says; a read-only
// attribute written back is refused and keeps its value; methods without access
// are refused; GET-with-list, block transfer at small PDU sizes, selective access
// by range and by entry of every profile; AARQ variants with their AARE
// diagnostics. A deviation names object, attribute, what was expected and what
// the meter did.
//
// Owns: the checks (conformance_checks.cpp), what the standard and the spec
// expect of a value (conformance_expect.cpp) and the reports
// (conformance_report.cpp). May call: client (session, read_command, data),
// model, cosem, object_list.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "client/read_command.hpp"
#include "model.hpp"
#include "resolve.hpp"

namespace metergen {

struct ConformanceOptions {
  std::string spec;
  client::ConnectionOptions meter;  // meter.endpoint.url: the meter
  std::string association;          // only this association of the spec; empty: all
  std::string format = "text";      // text | json
  LoadOptions load;
};

// One way the meter differs from the spec or the standard.
struct Deviation {
  std::string association;  // spec name, or "unknown client"
  int client_sap = 0;
  std::string check;        // get, set, action, get-with-list, block-transfer, selective-access, aarq
  std::optional<Obis> logical_name;
  int class_id = 0;         // 0 for association-level checks
  std::string object_name;
  std::string member;       // "attribute 2", "method 1", "" for association-level checks
  std::string expected, actual;
};

struct AssociationRun {
  std::string name;
  int client_sap = 0;
  std::string context;      // how the main session was opened: "hls-gmac, ciphered"
  std::size_t checks = 0;
  std::size_t deviations = 0;
  std::vector<std::string> notes;  // what was not checked, and why
};

struct ConformanceResult {
  std::string meter;
  std::vector<AssociationRun> associations;
  std::vector<Deviation> deviations;
  std::uint64_t wire_bytes = 0;  // bytes on the link, every session together
  double seconds = 0;
  std::size_t checks() const {
    std::size_t n = 0;
    for (const auto& a : associations) n += a.checks;
    return n;
  }
};

// Runs every check against the meter. Throws client::ClientError when the meter
// cannot be reached at all.
ConformanceResult run_conformance_checks(const Model& model, const ConformanceOptions& options);

std::string render_conformance_text(const ConformanceResult& result);
// {"format": "metergen-conformance/1", "conformant", "meter", "associations", "deviations", ...}.
std::string render_conformance_json(const ConformanceResult& result);

// The command: 0 conformant, 3 (kAuditDifferences) on any deviation, 1 on spec
// or connection errors, 2 on usage errors.
int run_conformance(const ConformanceOptions& options, std::ostream& out, std::ostream& err);

// ---- What the standard and the spec expect (conformance_expect.cpp) ----

// Data-Access-Result and Action-Result values (IEC 62056-5-3, Green Book).
inline constexpr int kResultSuccess = 0;
inline constexpr int kResultReadWriteDenied = 3;
inline constexpr int kResultObjectUndefined = 4;

// AARE result (IEC 62056-5-3 ACSE: Association-result).
inline constexpr int kAareAccepted = 0;
inline constexpr int kAareRejectedPermanent = 1;
inline constexpr int kAareRejectedTransient = 2;
// acse-service-user diagnostics (Green Book, result-source-diagnostic).
inline constexpr int kDiagnosticNull = 0;
inline constexpr int kDiagnosticNoReasonGiven = 1;
inline constexpr int kDiagnosticApplicationContextNotSupported = 2;
inline constexpr int kDiagnosticCallingApTitleNotRecognized = 3;
inline constexpr int kDiagnosticMechanismNotRecognised = 11;
inline constexpr int kDiagnosticMechanismRequired = 12;
inline constexpr int kDiagnosticAuthenticationFailure = 13;
inline constexpr int kDiagnosticAuthenticationRequired = 14;
inline constexpr int kDiagnosticSourceUser = 1;

// Mechanism names 2.16.756.5.8.2.x: the value of x.
inline constexpr int kMechanismLls = 1;
inline constexpr int kMechanismHlsMd5 = 3;
inline constexpr int kMechanismHlsSha256 = 6;

// "success", "read-write-denied (3)", ...
std::string result_text(int code);
// "accepted", "rejected-permanent, authentication failure (13)", ...
std::string aare_text(int result, int diagnostic);

// What is wrong with `data` (one encoded Data value) as attribute `attribute`
// of `object`: the class's declared type, the object's value type, its
// scaler_unit, the class's enumeration range, its logical name. Empty when
// nothing is.
std::string value_problem(const Object& object, int attribute, const std::vector<std::uint8_t>& data);

// Whether a meter refused a client SAP it does not serve as the standard lets
// it: `aare_result` the AARE's result (none when the link was refused before
// any AARQ: DM or no answer to SNRM over HDLC, which `link_refused` says).
bool refuses_unknown_client(std::optional<int> aare_result, bool link_refused);

// True when a SET of the attribute only stores its value: a spec value
// (constant or parameter) that no engine acts on when it is written.
bool only_stored(const Object& object, int attribute);

// True when the attribute's value may change between two reads without a
// client writing it (times, measured and counted values, profile buffers).
bool changes_by_itself(const Object& object, int attribute);

}  // namespace metergen
