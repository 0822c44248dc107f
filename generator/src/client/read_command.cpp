// `metergen read` and the meter source of `metergen audit` (see read_command.hpp).
#include "client/read_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <regex>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>

#include "client/data.hpp"
#include "client/meanings.hpp"
#include "client/readable.hpp"

namespace metergen::client {
namespace {

constexpr Obis kCurrentAssociation{0, 0, 40, 0, 0, 255};
constexpr Obis kClock{0, 0, 1, 0, 0, 255};
constexpr int kClassAssociationLn = 15;
constexpr int kClassClock = 8;
constexpr int kClassProfileGeneric = 7;
constexpr int kExitMeterError = 1;
constexpr int kExitUsage = 2;
// "MGR" + 00000001: the client system title unless --system-title says otherwise.
constexpr const char* kDefaultSystemTitle = "4D47520000000001";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Bytes hex_option(const std::string& text, const char* option, std::size_t size) {
  Bytes b;
  if (text.size() != 2 * size || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw UsageError(std::string(option) + " needs " + std::to_string(size) + " bytes in hex");
  for (std::size_t i = 0; i < text.size(); i += 2) b.push_back(static_cast<std::uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return b;
}

Authentication authentication_of(const std::string& name) {
  if (name == "none") return Authentication::none;
  if (name == "lls") return Authentication::lls;
  if (name == "hls" || name == "hls-gmac") return Authentication::hls_gmac;
  throw UsageError("authentication '" + name + "' is not supported (none, lls or hls)");
}

Credentials credentials_for(const ConnectionOptions& c, int client_sap, const std::string& auth, bool ciphered) {
  Credentials cr;
  cr.authentication = authentication_of(auth);
  cr.password = c.password;
  if (!c.ek.empty()) cr.ek = hex_option(c.ek, "--ek", 16);
  if (!c.ak.empty()) cr.ak = hex_option(c.ak, "--ak", 16);
  cr.system_title = hex_option(c.system_title.empty() ? kDefaultSystemTitle : c.system_title, "--system-title", 8);
  if (!c.secrets.empty()) load_secrets(c.secrets, client_sap, cr);
  cr.ciphered = ciphered;
  cr.invocation_counter = c.invocation_counter.value_or(1);
  if (c.max_pdu < 64 || c.max_pdu > static_cast<int>(kMaxApdu))
    throw UsageError("--max-pdu must be 64.." + std::to_string(kMaxApdu));
  cr.max_pdu = static_cast<std::uint16_t>(c.max_pdu);
  if (cr.authentication == Authentication::lls && cr.password.empty())
    throw UsageError("LLS needs --password (or --secrets)");
  return cr;
}

BlockProgress progress_printer(const ConnectionOptions& c, const std::string& what, std::ostream& err) {
  if (!c.progress && !::isatty(STDERR_FILENO)) return {};
  return [&err, what](std::uint32_t block, std::size_t bytes) {
    err << "reading " << what << " block " << block << " (" << bytes << " bytes)\n" << std::flush;
  };
}

Obis parse_obis_or_usage(const std::string& text) {
  auto parsed = parse_obis(text);
  if (!parsed.value) throw UsageError("'" + text + "' is not a logical name: " + parsed.problem);
  return *parsed.value;
}

// "OBIS:N" → logical name and attribute/method id.
AttributeRef parse_target(const std::string& text, const char* what) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) throw UsageError("expected OBIS:" + std::string(what) + ", got '" + text + "'");
  AttributeRef ref;
  ref.logical_name = parse_obis_or_usage(text.substr(0, colon));
  std::string id = text.substr(colon + 1);
  if (id.empty() || id.size() > 3 || id.find_first_not_of("0123456789") != std::string::npos || std::stoi(id) < 1 ||
      std::stoi(id) > 127)
    throw UsageError(std::string(what) + " in '" + text + "' must be 1..127");
  ref.id = std::stoi(id);
  return ref;
}

std::pair<std::uint32_t, std::uint32_t> parse_range(const std::string& text, const char* option) {
  static const std::regex form(R"((\d{1,9}):(\d{1,9}))");
  std::smatch m;
  if (!std::regex_match(text, m, form)) throw UsageError(std::string(option) + " expects A:B, got '" + text + "'");
  return {static_cast<std::uint32_t>(std::stoul(m[1])), static_cast<std::uint32_t>(std::stoul(m[2]))};
}

std::vector<ListedObject> read_objects(Session& session, const ConnectionOptions& c, std::ostream& err) {
  return decode_object_list(
      session.get({kClassAssociationLn, kCurrentAssociation, 2}, {}, progress_printer(c, "object list", err)));
}

// The class of `ln` from the association's object list (when --class is not given).
int class_of(Session& session, const ConnectionOptions& c, const Obis& ln, std::ostream& err) {
  for (const auto& o : read_objects(session, c, err))
    if (o.logical_name == ln) return o.class_id;
  throw ClientError("object " + format_obis(ln) + " is not in this association's object list (give --class to try anyway)");
}

// An ISO 8601 local date-time ("2026-03-01T00:00[:00][Z|+01:00]") as the meter's
// date-time: without an offset it is the meter's local time; with one it is
// converted to the meter's local time using its clock deviation.
Bytes meter_date_time(const std::string& text, std::int16_t deviation) {
  static const std::regex form(R"((\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) throw UsageError("'" + text + "' is not an ISO date-time (YYYY-MM-DDTHH:MM[:SS][offset])");
  axdr::DateTime t{};
  t.year = static_cast<std::uint16_t>(std::stoi(m[1]));
  t.month = static_cast<std::uint8_t>(std::stoi(m[2]));
  t.day = static_cast<std::uint8_t>(std::stoi(m[3]));
  t.hour = static_cast<std::uint8_t>(std::stoi(m[4]));
  t.minute = static_cast<std::uint8_t>(std::stoi(m[5]));
  t.second = static_cast<std::uint8_t>(m[6].matched ? std::stoi(m[6]) : 0);
  t.deviation = deviation == axdr::kDeviationNotSpecified ? 0 : deviation;
  t.day_of_week = axdr::kNotSpecified;
  if (m[7].matched) {
    std::string z = m[7];
    int offset = z == "Z" ? 0 : (z[0] == '-' ? -1 : 1) * (std::stoi(z.substr(1, 2)) * 60 + std::stoi(z.substr(4, 2)));
    t.deviation = static_cast<std::int16_t>(-offset);
    std::int64_t utc = 0;
    if (!axdr::to_utc_seconds(t, utc)) throw UsageError("'" + text + "' is not a valid date-time");
    t = axdr::from_utc_seconds(utc, deviation == axdr::kDeviationNotSpecified ? 0 : deviation);
  } else if (std::int64_t utc = 0; !axdr::to_utc_seconds(t, utc)) {
    throw UsageError("'" + text + "' is not a valid date-time");
  }
  std::uint8_t buf[16];
  ByteWriter w(buf, sizeof buf);
  axdr::put_date_time_octets(w, t);
  return Bytes(buf, buf + w.size());
}

AccessSelection profile_selection(Session& session, const ReadOptions& o) {
  std::pair<std::uint32_t, std::uint32_t> columns{1, 0};  // 0: up to the last column
  if (!o.columns.empty()) columns = parse_range(o.columns, "--columns");
  if (!o.entries.empty()) {
    auto [from, to] = parse_range(o.entries, "--entries");
    return entry_selection(from, to, static_cast<std::uint16_t>(columns.first), static_cast<std::uint16_t>(columns.second));
  }
  Bytes clock = session.get({kClassClock, kClock, 2});
  ByteReader r(clock.data(), clock.size());
  axdr::DateTime now{};
  if (!axdr::get_date_time(r, now)) throw ClientError("the meter's clock time is not a date-time");
  return range_selection(meter_date_time(o.from, now.deviation), meter_date_time(o.to, now.deviation));
}

void print_objects(const std::vector<ListedObject>& objects, std::ostream& out) {
  for (const auto& o : objects) {
    out << "class " << o.class_id << " v" << o.version << ' ' << format_obis(o.logical_name) << "  attributes";
    for (const auto& a : o.attributes) {
      out << ' ' << a.id << ':' << attribute_access_name(a.access);
      if (!a.selectors.empty()) {
        out << '[';
        for (std::size_t i = 0; i < a.selectors.size(); ++i) out << (i ? "," : "") << a.selectors[i];
        out << ']';
      }
    }
    if (!o.methods.empty()) out << "  methods";
    for (const auto& m : o.methods) out << ' ' << m.id << ':' << method_access_name(m.access);
    out << '\n';
  }
}

// What the value of `ref` means: from the spec when it has the object, else
// from the meter (the scaler_unit of a register's value, read in the same
// association; raw when the meter refuses it) and the class.
Meaning meaning_of(Session& session, const ReadOptions& o, const AttributeRef& ref) {
  if (o.model)
    if (auto m = model_meaning(*o.model, ref)) return *m;
  if (auto su = scaler_unit_attribute(ref.class_id, ref.id)) {
    try {
      if (auto m = meaning_of_scaler_unit(data_to_json(session.get({ref.class_id, ref.logical_name, *su})))) return *m;
    } catch (const ClientError&) {
      return {};
    }
  }
  return class_meaning(ref.class_id, ref.id);
}

// The columns of a profile: the spec's capture list, else the meter's
// capture_objects with each column's meaning; only those --columns selects
// (which the request applies to a read by entry only: a range reads all columns).
std::vector<Column> profile_columns(Session& session, const ReadOptions& o, const Obis& profile) {
  std::vector<Column> columns;
  if (o.model)
    if (auto spec = model_columns(*o.model, profile)) columns = std::move(*spec);
  if (columns.empty())
    for (const auto& ref : capture_objects(data_to_json(session.get({kClassProfileGeneric, profile, 3}))))
      columns.push_back({attribute_heading(ref), meaning_of(session, o, ref)});
  if (o.columns.empty() || o.entries.empty()) return columns;
  auto [first, last] = parse_range(o.columns, "--columns");
  const std::size_t begin = std::min<std::size_t>(first == 0 ? 0 : first - 1, columns.size());
  const std::size_t end = last == 0 ? columns.size() : std::clamp<std::size_t>(last, begin, columns.size());
  return {columns.begin() + static_cast<std::ptrdiff_t>(begin), columns.begin() + static_cast<std::ptrdiff_t>(end)};
}

bool is_profile_buffer(const AttributeRef& ref) { return ref.class_id == kClassProfileGeneric && ref.id == 2; }

// One value read: as typed JSON, or as a reading (table) or a CSV record with
// its unit in a column of its own.
std::string value_output(const Bytes& value, const Meaning& meaning, const AttributeRef& ref, const std::string& format) {
  auto typed = data_to_json(value);
  if (format == "json") return typed.dump(1) + "\n";
  if (format == "table") return reading_text(typed, meaning) + "\n";
  return csv_text({{"object", "attribute", "value", "unit"},
                   {format_obis(ref.logical_name), std::to_string(ref.id), value_text(typed, meaning), unit_text(meaning)}});
}

// A profile buffer as a table or CSV.
std::string buffer_output(const Bytes& value, const std::vector<Column>& columns, const std::string& format) {
  auto rows = profile_rows(data_to_json(value), columns);
  return format == "csv" ? csv_text(rows) : table_text(rows);
}

// The text of a GET (or a profile read) in the requested format.
std::string read_output(Session& session, const ReadOptions& o, const AttributeRef& ref, const Bytes& data) {
  if (o.format == "json") return value_output(data, {}, ref, o.format);
  if (is_profile_buffer(ref)) return buffer_output(data, profile_columns(session, o, ref.logical_name), o.format);
  return value_output(data, meaning_of(session, o, ref), ref, o.format);
}

std::string objects_csv(const std::vector<ListedObject>& objects) {
  std::vector<std::vector<std::string>> rows{{"class", "version", "logical_name", "attributes", "methods"}};
  for (const auto& obj : objects) {
    std::string attributes, methods;
    for (const auto& a : obj.attributes) attributes += (attributes.empty() ? "" : " ") + std::to_string(a.id) + ":" + attribute_access_name(a.access);
    for (const auto& m : obj.methods) methods += (methods.empty() ? "" : " ") + std::to_string(m.id) + ":" + method_access_name(m.access);
    rows.push_back({std::to_string(obj.class_id), std::to_string(obj.version), format_obis(obj.logical_name), attributes, methods});
  }
  return csv_text(rows);
}

int run(const ReadOptions& o, std::ostream& out, std::ostream& err) {
  const ConnectionOptions& c = o.connection;
  Credentials cr = credentials_for(c, c.endpoint.client_sap, c.auth, c.ciphered);
  bool needs_target = o.service != "objects";
  if (needs_target && o.target.empty()) throw UsageError(o.service + " needs a target");
  if (o.service == "profile" && o.entries.empty() == (o.from.empty() || o.to.empty()))
    throw UsageError("profile needs either --from and --to, or --entries");
  // Parse every argument before connecting, so a usage error never touches the meter.
  AttributeRef ref;
  if (o.service == "get" || o.service == "set") ref = parse_target(o.target, "ATTR");
  if (o.service == "action") ref = parse_target(o.target, "METHOD");
  if (o.service == "profile") ref = {kClassProfileGeneric, parse_obis_or_usage(o.target), 2};
  std::optional<Bytes> value;
  if (o.service == "set" || (o.service == "action" && !o.value.empty())) {
    try {
      value = parse_value_argument(o.value);
    } catch (const ClientError& e) {
      throw UsageError(e.what());
    }
  }

  auto session = open_session(c.endpoint, cr);
  if (o.class_id) ref.class_id = *o.class_id;
  else if (o.service != "objects" && o.service != "profile") ref.class_id = class_of(*session, c, ref.logical_name, err);
  std::string what = format_obis(ref.logical_name) + ":" + std::to_string(ref.id);
  if (o.service == "objects") {
    auto objects = read_objects(*session, c, err);
    session->release();
    if (o.format == "json") {
      AssociationObjects a;
      a.client_sap = c.endpoint.client_sap;
      a.authentication = c.auth == "hls" ? "hls-gmac" : c.auth;
      a.objects = std::move(objects);
      out << object_list_document("source", c.endpoint.url, {a});
    } else if (o.format == "csv") {
      out << objects_csv(objects);
    } else {
      print_objects(objects, out);
    }
  } else if (o.service == "get" || o.service == "profile") {
    AccessSelection access = o.service == "profile" ? profile_selection(*session, o) : AccessSelection{};
    Bytes data = session->get(ref, access, progress_printer(c, what, err));
    std::string text = read_output(*session, o, ref, data);  // may read scalers and capture lists first
    session->release();
    out << text;
  } else if (o.service == "set") {
    session->set(ref, *value);
    session->release();
    out << (o.format == "json" ? "null\n" : "ok\n");
  } else if (o.service == "action") {
    auto ret = session->action(ref, value);
    session->release();
    if (!ret) out << (o.format == "json" ? "null\n" : "ok\n");
    else out << value_output(*ret, {}, ref, o.format);
  } else {
    throw UsageError("unknown read service '" + o.service + "'");
  }
  return 0;
}

}  // namespace

int run_read(const ReadOptions& options, std::ostream& out, std::ostream& err) {
  try {
    return run(options, out, err);
  } catch (const UsageError& e) {
    err << "metergen read: " << e.what() << '\n';
    return kExitUsage;
  } catch (const ClientError& e) {
    err << "metergen read: " << e.what() << '\n';
    return kExitMeterError;
  }
}

namespace {

// True when the spec lets the association read its own object list
// (Association LN 0.0.40.0.0.255 attribute 2).
bool object_list_readable(const AssociationObjects& expected) {
  for (const auto& o : expected.objects)
    if (o.logical_name == kCurrentAssociation && o.class_id == kClassAssociationLn)
      for (const auto& at : o.attributes)
        if (at.id == 2) return at.access == 1 || at.access == 3 || at.access == 4 || at.access == 6;
  return false;
}

}  // namespace

AccessSelection entry_selection(std::uint32_t from, std::uint32_t to, std::uint16_t first_column,
                                std::uint16_t last_column) {
  // entry_descriptor: from_entry, to_entry (0 = last), from/to_selected_value.
  std::uint8_t buf[32];
  ByteWriter w(buf, sizeof buf);
  axdr::put_structure(w, 4);
  axdr::put_double_long_unsigned(w, from);
  axdr::put_double_long_unsigned(w, to);
  axdr::put_long_unsigned(w, first_column);
  axdr::put_long_unsigned(w, last_column);
  return {2, Bytes(buf, buf + w.size())};
}

AccessSelection range_selection(const Bytes& from, const Bytes& to) {
  // range_descriptor: restricting object (the clock's time), from, to, selected values (all).
  std::uint8_t buf[128];
  ByteWriter w(buf, sizeof buf);
  axdr::put_structure(w, 4);
  axdr::put_structure(w, 4);
  axdr::put_long_unsigned(w, kClassClock);
  axdr::put_octet_string(w, kClock.data(), kClock.size());
  axdr::put_integer(w, 2);
  axdr::put_long_unsigned(w, 0);
  w.bytes(from.data(), from.size());
  w.bytes(to.data(), to.size());
  axdr::put_array(w, 0);
  return {1, Bytes(buf, buf + w.size())};
}

std::unique_ptr<Session> open_session(const Endpoint& endpoint, const Credentials& cr) {
  auto session = std::make_unique<Session>(open_transport(endpoint), cr, endpoint.url);
  session->associate();
  return session;
}

Credentials association_credentials(const ConnectionOptions& connection, const Association& a) {
  // The ciphered context wherever the association has keys: required by a
  // security policy, and it lets HLS resynchronise its invocation counter.
  bool ciphered = !a.security_policy.empty() || a.authentication == "hls-gmac";
  try {
    return credentials_for(connection, a.sap, a.authentication, ciphered);
  } catch (const UsageError& e) {
    throw ClientError("association " + a.name + ": " + e.what());
  }
}

ObjectList read_object_lists(const Model& model, const ConnectionOptions& connection, std::ostream& err) {
  ObjectList list;
  list.source = connection.endpoint.url;
  ObjectList expected = object_list_from_model(model);
  for (const auto& a : model.associations) {
    auto spec_list = std::find_if(expected.associations.begin(), expected.associations.end(),
                                  [&](const AssociationObjects& e) { return e.client_sap == a.sap; });
    if (spec_list == expected.associations.end() || !object_list_readable(*spec_list)) {
      err << "metergen audit: association " << a.name << " (client " << a.sap
          << ") not read: its spec gives it no readable object list (0.0.40.0.0.255 attribute 2)\n";
      continue;
    }
    Endpoint endpoint = connection.endpoint;
    endpoint.client_sap = a.sap;
    Credentials cr = association_credentials(connection, a);
    try {
      auto session = open_session(endpoint, cr);
      AssociationObjects objects;
      objects.name = a.name;
      objects.client_sap = a.sap;
      objects.authentication = a.authentication;
      objects.objects = read_objects(*session, connection, err);
      session->release();
      list.associations.push_back(std::move(objects));
    } catch (const ClientError& e) {
      throw ClientError("association " + a.name + " (client " + std::to_string(a.sap) + "): " + e.what());
    }
  }
  return list;
}

}  // namespace metergen::client
