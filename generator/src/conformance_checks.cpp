// The checks of a conformance run against a meter (see conformance.hpp and
// docs/conformance.md). One session per association does the attribute,
// method, list, block and selective-access checks; every AARQ variant opens
// its own link.
#include <algorithm>
#include <chrono>
#include <map>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>

#include "client/data.hpp"
#include "conformance.hpp"

namespace metergen {
namespace {

using client::AccessSelection;
using client::AttributeRef;
using client::Bytes;
using client::ClientError;
using client::Credentials;
using client::ResultError;
using client::Session;

constexpr Obis kCurrentAssociation{0, 0, 40, 0, 0, 255};
constexpr Obis kClock{0, 0, 1, 0, 0, 255};
constexpr int kClassProfileGeneric = 7;
constexpr int kClassClock = 8;
constexpr int kClassAssociationLn = 15;
// The client-max-receive-pdu-size of the block-transfer checks: the smallest a
// server must take (a smaller one is refused as "PDU size too short") and one more.
constexpr std::uint16_t kSmallPdus[] = {64, 128};
// GET-with-list: how many attributes one request names.
constexpr std::size_t kListItems = 8;
// A value longer than this is not part of a GET-with-list (the list stays one APDU).
constexpr std::size_t kListValueMax = 64;
// Room a SET request needs besides its value (header, descriptor, ciphering).
constexpr std::size_t kSetOverhead = 48;

bool writable(AttrMode m) {
  return m == AttrMode::write || m == AttrMode::read_write || m == AttrMode::auth_write || m == AttrMode::auth_read_write;
}

std::string hex_text(const Bytes& b, std::size_t max = 24) {
  static const char* const digits = "0123456789ABCDEF";
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < max; ++i) {
    s += digits[b[i] >> 4];
    s += digits[b[i] & 15];
  }
  return b.size() > max ? s + "…" : s;
}

bool has_service(const Association& a, const std::string& service) {
  return a.services.empty() || std::find(a.services.begin(), a.services.end(), service) != a.services.end();
}

// A date-time octet-string Data: year, month, day, 00:00:00, `deviation`.
Bytes date_time_data(int year, int month, int day, std::int16_t deviation) {
  axdr::DateTime t{};
  t.year = static_cast<std::uint16_t>(year);
  t.month = static_cast<std::uint8_t>(month);
  t.day = static_cast<std::uint8_t>(day);
  t.day_of_week = axdr::kNotSpecified;
  t.deviation = deviation;
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  axdr::put_date_time_octets(w, t);
  return Bytes(buf, buf + w.size());
}

// Rows (and the columns of each) of a profile buffer: an array of structures.
struct Rows {
  std::size_t rows = 0;
  std::vector<std::size_t> columns;
  bool well_formed = false;
};
Rows rows_of(const Bytes& data) {
  Rows out;
  auto typed = client::data_to_json(data);
  if (typed["type"] != "array") return out;
  for (const auto& row : typed["value"]) {
    if (row["type"] != "structure") return out;
    out.columns.push_back(row["value"].size());
  }
  out.rows = out.columns.size();
  out.well_formed = true;
  return out;
}

class Checker {
 public:
  Checker(const Model& model, const ConformanceOptions& options, ConformanceResult& result)
      : model_(model), options_(options), result_(result) {}

  void association(const Association& a);
  void unknown_client();

 private:
  struct Read {
    AttributeRef ref;
    const Object* object = nullptr;
    bool readable = false;
    std::optional<Bytes> value;
    bool writable = false;
  };

  AssociationRun& run() { return result_.associations.back(); }
  void check(bool ok, const std::string& what, const Object* object, const std::string& member,
             const std::string& expected, const std::string& actual);
  void note(const std::string& text) { run().notes.push_back(text); }

  std::unique_ptr<Session> session(const Association& a, const Credentials& cr);
  void finish(Session& s, int sap);

  // AARQ variants: the outcome of one AARQ (and HLS pass 3/4) on a new link.
  struct Attempt {
    client::AssociationOutcome aare;
    std::optional<std::string> authentication_failure;  // HLS pass 3/4 refused: why
  };
  Attempt attempt(const Association& a, Credentials cr);
  void expect_aare(const Association& a, const std::string& variant, const Credentials& cr, int result, int diagnostic);
  void aarq_variants(const Association& a, const Credentials& main);

  void attributes(Session& s, const Association& a, std::vector<Read>& reads);
  void methods(Session& s, const Association& a);
  void unlisted_objects(Session& s, const Association& a);
  void get_with_list(Session& s, const std::vector<Read>& reads);
  void block_transfer(const Association& a, const Credentials& cr, const std::vector<Read>& reads);
  void write_back(Session& s, const Association& a, const std::vector<Read>& reads);
  void check_unchanged(Session& s, const Read& r, const std::string& what, const std::string& member);
  void selective_access(Session& s, const Association& a, const std::vector<Read>& reads);

  const Model& model_;
  const ConformanceOptions& options_;
  ConformanceResult& result_;
  std::map<int, std::uint32_t> counters_;  // per client SAP: the next invocation counter
};

void Checker::check(bool ok, const std::string& what, const Object* object, const std::string& member,
                    const std::string& expected, const std::string& actual) {
  ++run().checks;
  if (ok) return;
  ++run().deviations;
  Deviation d;
  d.association = run().name;
  d.client_sap = run().client_sap;
  d.check = what;
  if (object) {
    d.logical_name = object->ln;
    d.class_id = object->cls->id;
    d.object_name = object->name;
  }
  d.member = member;
  d.expected = expected;
  d.actual = actual;
  result_.deviations.push_back(std::move(d));
}

std::unique_ptr<Session> Checker::session(const Association& a, const Credentials& cr) {
  client::Endpoint endpoint = options_.meter.endpoint;
  endpoint.client_sap = a.sap;
  Credentials c = cr;
  if (auto counter = counters_.find(a.sap); counter != counters_.end())
    c.invocation_counter = std::max(c.invocation_counter, counter->second);
  return std::make_unique<Session>(client::open_transport(endpoint), c, endpoint.url);
}

void Checker::finish(Session& s, int sap) {
  s.release();
  result_.wire_bytes += s.wire_bytes();
  counters_[sap] = std::max(counters_[sap], s.next_invocation_counter());
}

Checker::Attempt Checker::attempt(const Association& a, Credentials cr) {
  auto s = session(a, cr);
  Attempt out;
  try {
    out.aare = s->try_associate();
    if (out.aare.accepted) s->authenticate();
  } catch (const ClientError& e) {
    if (!out.aare.accepted) {
      finish(*s, a.sap);
      throw;
    }
    out.authentication_failure = e.what();
  }
  finish(*s, a.sap);
  return out;
}

void Checker::expect_aare(const Association& a, const std::string& variant, const Credentials& cr, int result,
                          int diagnostic) {
  Attempt got;
  try {
    got = attempt(a, cr);
  } catch (const ClientError& e) {
    check(false, "aarq", nullptr, variant, aare_text(result, diagnostic), e.what());
    return;
  }
  check(got.aare.result == result && got.aare.diagnostic_source == kDiagnosticSourceUser &&
            got.aare.diagnostic == diagnostic,
        "aarq", nullptr, variant, aare_text(result, diagnostic),
        got.aare.initiate_error ? got.aare.reason : aare_text(got.aare.result, got.aare.diagnostic));
  if (got.aare.accepted && result == kAareAccepted)
    check(!got.authentication_failure, "aarq", nullptr, variant, "authenticated",
          got.authentication_failure.value_or(""));
}

void Checker::aarq_variants(const Association& a, const Credentials& main) {
  auto allows = [&](const std::string& m) { return a.authentication == m || a.fallback_authentication == m; };
  const bool plain_allowed = a.security_policy.empty();
  const bool have_keys = main.ek.size() == 16 && main.ak.size() == 16;

  if (allows("lls") && !main.password.empty()) {
    Credentials lls = main;
    lls.authentication = client::Authentication::lls;
    lls.ciphered = !plain_allowed;
    if (!lls.ciphered || have_keys) {
      Credentials wrong = lls;
      wrong.password += "x";
      expect_aare(a, "LLS with a wrong password", wrong, kAareRejectedPermanent, kDiagnosticAuthenticationFailure);
      Credentials titled = lls;
      titled.calling_ap_title = true;
      expect_aare(a, "LLS with a system title", titled, kAareAccepted, kDiagnosticNull);
      Credentials untitled = lls;
      untitled.calling_ap_title = false;
      if (lls.ciphered)  // deciphering needs the client's system title
        expect_aare(a, "LLS without a system title, ciphered context", untitled, kAareRejectedPermanent,
                    kDiagnosticCallingApTitleNotRecognized);
      else
        expect_aare(a, "LLS without a system title", untitled, kAareAccepted, kDiagnosticNull);
    }
  }
  if (allows("hls-gmac") && have_keys) {
    Credentials hls = main;
    hls.authentication = client::Authentication::hls_gmac;
    hls.ciphered = true;
    Credentials untitled = hls;
    untitled.calling_ap_title = false;
    expect_aare(a, "HLS-GMAC without a system title", untitled, kAareRejectedPermanent,
                kDiagnosticCallingApTitleNotRecognized);
    Credentials wrong = hls;
    wrong.ciphered = plain_allowed ? false : true;
    for (auto& b : wrong.ak) b ^= 0x5A;
    for (auto& b : wrong.ek) b ^= 0xA5;
    Attempt got;
    std::string actual;
    try {
      got = attempt(a, wrong);
      actual = !got.aare.accepted ? aare_text(got.aare.result, got.aare.diagnostic)
               : got.authentication_failure ? "refused: " + *got.authentication_failure
                                            : "authenticated";
    } catch (const ClientError& e) {
      actual = e.what();
    }
    check(got.aare.accepted ? got.authentication_failure.has_value() : got.aare.result != kAareAccepted, "aarq",
          nullptr, "HLS-GMAC with a wrong key", "pass 3 refused", actual);
  }
  // A mechanism the association does not allow, and none at all.
  Credentials other = main;
  other.mechanism_override = allows("hls-md5") ? kMechanismHlsSha256 : kMechanismHlsMd5;
  if (other.password.empty()) other.password = "12345678";
  expect_aare(a, "a mechanism the association does not allow", other, kAareRejectedPermanent,
              kDiagnosticMechanismNotRecognised);
  if (!allows("none")) {
    Credentials none = main;
    none.authentication = client::Authentication::none;
    expect_aare(a, "no authentication", none, kAareRejectedPermanent, kDiagnosticMechanismRequired);
  }
  // The other application context.
  if (main.ciphered) {
    Credentials plain = main;
    plain.ciphered = false;
    if (plain_allowed)
      expect_aare(a, "unciphered context", plain, kAareAccepted,
                  main.authentication == client::Authentication::hls_gmac ? kDiagnosticAuthenticationRequired
                                                                           : kDiagnosticNull);
    else
      expect_aare(a, "unciphered context", plain, kAareRejectedPermanent, kDiagnosticApplicationContextNotSupported);
  } else if (!a.security_setup || have_keys) {
    Credentials ciphered = main;
    ciphered.ciphered = true;
    if (!have_keys) {  // the meter must refuse before it needs them
      ciphered.ek.assign(16, 0);
      ciphered.ak.assign(16, 0);
    }
    if (a.security_setup)
      expect_aare(a, "ciphered context", ciphered, kAareAccepted, kDiagnosticNull);
    else
      expect_aare(a, "ciphered context", ciphered, kAareRejectedPermanent, kDiagnosticApplicationContextNotSupported);
  } else {
    note("ciphered context not tried: the secrets give client " + std::to_string(a.sap) + " no keys");
  }
}

void Checker::attributes(Session& s, const Association& a, std::vector<Read>& reads) {
  std::size_t long_values = 0;
  for (std::size_t i = 0; i < model_.objects.size(); ++i) {
    const AccessSet& access = a.access[i];
    if (!access.listed) continue;
    const Object& o = model_.objects[i];
    for (const auto& attribute : o.cls->attributes) {
      const int id = attribute.index;
      const std::size_t k = static_cast<std::size_t>(id - 1);
      const AttrMode mode = k < access.attributes.size() ? access.attributes[k] : AttrMode::none;
      const std::string member = "attribute " + std::to_string(id);
      Read read{{o.cls->id, o.ln, id}, &o, readable(mode), std::nullopt, writable(mode)};
      int code = kResultSuccess;
      try {
        read.value = s.get(read.ref);
      } catch (const ResultError& e) {
        code = e.code;
      }
      if (read.readable) {
        check(code == kResultSuccess, "get", &o, member, result_text(kResultSuccess), result_text(code));
        if (read.value) {
          std::string problem = value_problem(o, id, *read.value);
          check(problem.empty(), "get", &o, member, "a value of the declared type", problem);
        }
      } else {
        check(code == kResultReadWriteDenied, "get", &o, member, result_text(kResultReadWriteDenied),
              read.value ? "success, " + hex_text(*read.value) : result_text(code));
      }
      // SET: a read-only attribute gets its own value back, refused; one without
      // any access gets null-data, refused. Writable attributes are left alone.
      if (!writable(mode) && (read.value || !read.readable)) {
        const Bytes value = read.value ? *read.value : Bytes{0x00};
        if (value.size() + kSetOverhead > s.negotiated_pdu()) {
          ++long_values;
        } else {
          int set_code = kResultSuccess;
          try {
            s.set(read.ref, value);
          } catch (const ResultError& e) {
            set_code = e.code;
          }
          check(set_code == kResultReadWriteDenied, "set", &o, member, result_text(kResultReadWriteDenied),
                result_text(set_code));
          if (read.value && !changes_by_itself(o, id)) {
            std::optional<Bytes> after;
            try {
              after = s.get(read.ref);
            } catch (const ResultError&) {
            }
            check(after == read.value, "set", &o, member, "value unchanged (" + hex_text(*read.value) + ")",
                  after ? hex_text(*after) : "unreadable");
          }
        }
      }
      reads.push_back(std::move(read));
    }
  }
  if (long_values)
    note(std::to_string(long_values) + " read-only attribute(s) longer than one APDU not written back");
}

void Checker::methods(Session& s, const Association& a) {
  std::size_t granted = 0;
  for (std::size_t i = 0; i < model_.objects.size(); ++i) {
    const AccessSet& access = a.access[i];
    if (!access.listed) continue;
    const Object& o = model_.objects[i];
    for (const auto& method : o.cls->methods) {
      const std::size_t k = static_cast<std::size_t>(method.index - 1);
      const MethodMode mode = k < access.methods.size() ? access.methods[k] : MethodMode::none;
      if (mode != MethodMode::none) {
        ++granted;  // invoking it would change the meter
        continue;
      }
      int code = kResultSuccess;
      try {
        s.action({o.cls->id, o.ln, method.index}, Bytes{0x0F, 0x00});  // integer 0
      } catch (const ResultError& e) {
        code = e.code;
      }
      check(code == kResultReadWriteDenied, "action", &o, "method " + std::to_string(method.index),
            result_text(kResultReadWriteDenied), result_text(code));
    }
  }
  if (granted) note(std::to_string(granted) + " granted method(s) not invoked (they change the meter)");
}

void Checker::unlisted_objects(Session& s, const Association& a) {
  for (std::size_t i = 0; i < model_.objects.size(); ++i) {
    if (a.access[i].listed) continue;
    const Object& o = model_.objects[i];
    int code = kResultSuccess;
    try {
      s.get({o.cls->id, o.ln, 1});
    } catch (const ResultError& e) {
      code = e.code;
    }
    check(code == kResultObjectUndefined, "get", &o, "attribute 1 (object not in this association)",
          result_text(kResultObjectUndefined), result_text(code));
  }
}

void Checker::get_with_list(Session& s, const std::vector<Read>& reads) {
  std::vector<const Read*> chosen;
  std::size_t denied = 0;
  for (const auto& r : reads) {
    if (chosen.size() == kListItems) break;
    if (r.readable && r.value && r.value->size() <= kListValueMax && !changes_by_itself(*r.object, r.ref.id))
      chosen.push_back(&r);
    else if (!r.readable && denied < 2 && !r.value) {
      chosen.push_back(&r);
      ++denied;
    }
  }
  if (chosen.size() < 2) {
    note("GET-with-list not tried: fewer than 2 attributes to name");
    return;
  }
  std::vector<AttributeRef> refs;
  for (const Read* r : chosen) refs.push_back(r->ref);
  std::vector<client::ListItem> items;
  try {
    items = s.get_with_list(refs);
  } catch (const ClientError& e) {
    check(false, "get-with-list", nullptr, "", std::to_string(refs.size()) + " results", e.what());
    return;
  }
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const Read& r = *chosen[i];
    const std::string member = "attribute " + std::to_string(r.ref.id);
    if (r.readable)
      check(items[i].data == r.value, "get-with-list", r.object, member, "the value GET read (" + hex_text(*r.value) + ")",
            items[i].data ? hex_text(*items[i].data) : result_text(items[i].result));
    else
      check(!items[i].data && items[i].result == kResultReadWriteDenied, "get-with-list", r.object, member,
            result_text(kResultReadWriteDenied), items[i].data ? "success" : result_text(items[i].result));
  }
}

void Checker::block_transfer(const Association& a, const Credentials& cr, const std::vector<Read>& reads) {
  // The object list when the association reads it, else its longest value read.
  const Read* target = nullptr;
  for (const auto& r : reads) {
    if (!r.value || changes_by_itself(*r.object, r.ref.id)) continue;
    if (r.ref.class_id == kClassAssociationLn && r.ref.logical_name == kCurrentAssociation && r.ref.id == 2) {
      target = &r;
      break;
    }
    if (!target || r.value->size() > target->value->size()) target = &r;
  }
  if (!target || target->value->size() <= kSmallPdus[0]) {
    note("block transfer not tried: no value longer than " + std::to_string(kSmallPdus[0]) + " bytes");
    return;
  }
  const std::string member = "attribute " + std::to_string(target->ref.id);
  for (std::uint16_t pdu : kSmallPdus) {
    Credentials small = cr;
    small.max_pdu = pdu;
    const std::string variant = "client-max-receive-pdu-size " + std::to_string(pdu);
    std::unique_ptr<Session> s = session(a, small);
    std::uint32_t blocks = 0;
    try {
      s->associate();
      Bytes value = s->get(target->ref, {}, [&](std::uint32_t block, std::size_t) { blocks = block; });
      check(value == *target->value, "block-transfer", target->object, member + ", " + variant,
            "the value read in one APDU (" + std::to_string(target->value->size()) + " bytes)",
            std::to_string(value.size()) + " bytes, " + (value == *target->value ? "equal" : "different"));
      check(blocks > 1 || value.size() < pdu, "block-transfer", target->object, member + ", " + variant,
            "more than one block", std::to_string(blocks) + " block(s)");
      check(s->largest_reply() <= pdu, "block-transfer", target->object, member + ", " + variant,
            "no APDU longer than " + std::to_string(pdu) + " bytes", std::to_string(s->largest_reply()) + " bytes");
    } catch (const ClientError& e) {
      check(false, "block-transfer", target->object, member + ", " + variant, "the value in blocks", e.what());
    }
    finish(*s, a.sap);
  }
}

// Writable values that a SET only stores are written back as they are: all
// together in one SET-Request-With-List (every result success), and the
// longest again in two blocks (SET-Request-With-First-Datablock, With-Datablock);
// each must read the same afterwards.
void Checker::write_back(Session& s, const Association& a, const std::vector<Read>& reads) {
  std::vector<const Read*> chosen;
  for (const auto& r : reads)
    if (chosen.size() < kListItems && r.writable && r.value && r.value->size() <= kListValueMax &&
        only_stored(*r.object, r.ref.id))
      chosen.push_back(&r);
  if (chosen.empty()) {
    note("SET write-back not tried: no writable value that a SET only stores");
    return;
  }
  if (has_service(a, "set_with_list")) {
    std::vector<std::pair<AttributeRef, Bytes>> items;
    for (const Read* r : chosen) items.emplace_back(r->ref, *r->value);
    try {
      const std::vector<int> results = s.set_with_list(items);
      check(results.size() == items.size(), "set-with-list", nullptr, "", std::to_string(items.size()) + " results",
            std::to_string(results.size()) + " results");
      for (std::size_t k = 0; k < results.size() && k < chosen.size(); ++k) {
        const std::string member = "attribute " + std::to_string(chosen[k]->ref.id);
        check(results[k] == kResultSuccess, "set-with-list", chosen[k]->object, member, result_text(kResultSuccess),
              result_text(results[k]));
        check_unchanged(s, *chosen[k], "set-with-list", member);
      }
    } catch (const ClientError& e) {
      check(false, "set-with-list", nullptr, "", std::to_string(items.size()) + " results", e.what());
    }
  }
  if (has_service(a, "block_transfer_set")) {
    const Read* longest = *std::max_element(chosen.begin(), chosen.end(), [](const Read* x, const Read* y) {
      return x->value->size() < y->value->size();
    });
    const std::string member = "attribute " + std::to_string(longest->ref.id) + ", in 2 blocks";
    try {
      s.set_in_blocks(longest->ref, *longest->value, (longest->value->size() + 1) / 2);
      check(true, "block-set", longest->object, member, result_text(kResultSuccess), result_text(kResultSuccess));
    } catch (const ResultError& e) {
      check(false, "block-set", longest->object, member, result_text(kResultSuccess), result_text(e.code));
    } catch (const ClientError& e) {
      check(false, "block-set", longest->object, member, result_text(kResultSuccess), e.what());
    }
    check_unchanged(s, *longest, "block-set", member);
  }
}

void Checker::check_unchanged(Session& s, const Read& r, const std::string& what, const std::string& member) {
  std::optional<Bytes> after;
  try {
    after = s.get(r.ref);
  } catch (const ResultError&) {
  }
  check(after == r.value, what, r.object, member, "value unchanged (" + hex_text(*r.value) + ")",
        after ? hex_text(*after) : "unreadable");
}

void Checker::selective_access(Session& s, const Association& a, const std::vector<Read>& reads) {
  auto value_of = [&](const Obis& ln, int id) -> const Bytes* {
    for (const auto& r : reads)
      if (r.ref.class_id == kClassProfileGeneric && r.ref.logical_name == ln && r.ref.id == id && r.value) return &*r.value;
    return nullptr;
  };
  std::int16_t deviation = 0;
  try {
    Bytes clock = s.get({kClassClock, kClock, 2});
    ByteReader r(clock.data(), clock.size());
    axdr::DateTime now{};
    if (axdr::get_date_time(r, now) && now.deviation != axdr::kDeviationNotSpecified) deviation = now.deviation;
  } catch (const ClientError&) {
    // No clock in this association: ranges in UTC.
  }
  for (const Profile& p : model_.profiles) {
    const Object& o = model_.objects[p.object];
    if (!a.access[p.object].listed || !value_of(o.ln, 2)) continue;
    const AccessSet& access = a.access[p.object];
    if (access.attributes.empty() || !readable(access.attributes[1])) continue;
    const Bytes* in_use = value_of(o.ln, 7);
    std::optional<std::size_t> entries;
    if (in_use) {
      auto typed = client::data_to_json(*in_use);
      if (typed["value"].is_number()) entries = typed["value"].get<std::size_t>();
    }
    const std::size_t columns = p.capture.size();
    const AttributeRef buffer{kClassProfileGeneric, o.ln, 2};
    auto read = [&](const std::string& variant, const AccessSelection& selection, std::optional<std::size_t> rows,
                    std::size_t row_columns) {
      const std::string member = "attribute 2, " + variant;
      try {
        Rows got = rows_of(s.get(buffer, selection));
        std::string actual = std::to_string(got.rows) + " row(s)";
        bool ok = got.well_formed && (!rows || got.rows == *rows);
        for (std::size_t c : got.columns)
          if (c != row_columns) {
            ok = false;
            actual += ", a row of " + std::to_string(c) + " column(s)";
            break;
          }
        check(ok, "selective-access", &o, member,
              (rows ? std::to_string(*rows) : std::string("any number of")) + " row(s) of " +
                  std::to_string(row_columns) + " column(s)",
              got.well_formed ? actual : "not an array of structures");
      } catch (const ClientError& e) {
        check(false, "selective-access", &o, member, "rows", e.what());
      }
    };
    const bool by_entry = std::find(p.selective_access.begin(), p.selective_access.end(), "entry") != p.selective_access.end();
    const bool by_range = std::find(p.selective_access.begin(), p.selective_access.end(), "range") != p.selective_access.end();
    if (by_entry) {
      read("entries 1..last", client::entry_selection(1, 0, 1, 0), entries, columns);
      std::optional<std::size_t> one;
      if (entries) one = std::min<std::size_t>(*entries, 1);
      read("entry 1, column 1", client::entry_selection(1, 1, 1, 1), one, 1);
    }
    const bool clock_first = !p.capture.empty() && model_.objects[p.capture[0].object].ln == kClock &&
                             p.capture[0].attribute == 2;
    if (by_range && clock_first) {
      read("range 2000..2100", client::range_selection(date_time_data(2000, 1, 1, deviation), date_time_data(2100, 1, 1, deviation)),
           entries, columns);
      read("range 2000..2100, deviation 0x8000",
           client::range_selection(date_time_data(2000, 1, 1, axdr::kDeviationNotSpecified),
                                   date_time_data(2100, 1, 1, axdr::kDeviationNotSpecified)),
           entries, columns);
      read("range 2000-01-01..2000-01-02", client::range_selection(date_time_data(2000, 1, 1, deviation), date_time_data(2000, 1, 2, deviation)),
           0, columns);
    } else if (by_range) {
      note("profile " + o.name + ": range not tried (its first column is not the clock's time)");
    }
  }
}

void Checker::association(const Association& a) {
  AssociationRun r;
  r.name = a.name;
  r.client_sap = a.sap;
  result_.associations.push_back(std::move(r));
  Credentials cr;
  std::unique_ptr<Session> s;
  try {
    cr = client::association_credentials(options_.meter, a);
    s = session(a, cr);  // refuses credentials that cannot work (no keys for HLS)
  } catch (const ClientError& e) {
    note(std::string("not opened: ") + e.what());
    return;
  }
  run().context = a.authentication + (cr.ciphered ? ", ciphered" : "");
  const int accepted_diagnostic =
      cr.authentication == client::Authentication::hls_gmac ? kDiagnosticAuthenticationRequired : kDiagnosticNull;
  try {
    client::AssociationOutcome aare = s->try_associate();
    check(aare.accepted && aare.diagnostic == accepted_diagnostic, "aarq", nullptr, "as specified",
          aare_text(kAareAccepted, accepted_diagnostic),
          aare.initiate_error ? aare.reason : aare_text(aare.result, aare.diagnostic));
    if (!aare.accepted) {
      finish(*s, a.sap);
      return;
    }
    s->authenticate();
  } catch (const ClientError& e) {
    check(false, "aarq", nullptr, "as specified", "associated", e.what());
    finish(*s, a.sap);
    return;
  }
  std::vector<Read> reads;
  try {
    attributes(*s, a, reads);
    methods(*s, a);
    unlisted_objects(*s, a);
    if (has_service(a, "get_with_list")) get_with_list(*s, reads);
    if (has_service(a, "selective_access")) selective_access(*s, a, reads);
    write_back(*s, a, reads);
  } catch (const ClientError& e) {
    check(false, "session", nullptr, "", "an answer to every request", e.what());
  }
  finish(*s, a.sap);
  if (has_service(a, "block_transfer_get")) block_transfer(a, cr, reads);
  aarq_variants(a, cr);
}

void Checker::unknown_client() {
  int sap = 17;
  auto used = [&](int candidate) {
    return std::any_of(model_.associations.begin(), model_.associations.end(),
                       [&](const Association& a) { return a.sap == candidate; });
  };
  while (used(sap)) ++sap;
  Association unknown;
  unknown.name = "unknown client";
  unknown.sap = sap;
  unknown.authentication = "none";
  AssociationRun r;
  r.name = unknown.name;
  r.client_sap = sap;
  r.context = "none";
  result_.associations.push_back(std::move(r));
  Credentials cr = client::association_credentials(options_.meter, unknown);
  std::string actual;
  bool refused = false;
  try {
    Attempt got = attempt(unknown, cr);
    refused = refuses_unknown_client(got.aare.result, false);
    actual = aare_text(got.aare.result, got.aare.diagnostic);
  } catch (const client::LinkRefused& e) {
    refused = refuses_unknown_client(std::nullopt, true);
    actual = e.what();
  } catch (const ClientError& e) {
    actual = e.what();
  }
  check(refused, "aarq", nullptr, "a client SAP the spec does not define",
        "rejected-permanent or rejected-transient (over HDLC also DM or no answer to SNRM)", actual);
}

}  // namespace

ConformanceResult run_conformance_checks(const Model& model, const ConformanceOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ConformanceResult result;
  result.meter = options.meter.endpoint.url;
  Checker checker(model, options, result);
  for (const Association& a : model.associations)
    if (options.association.empty() || a.name == options.association) checker.association(a);
  if (options.association.empty()) checker.unknown_client();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace metergen
