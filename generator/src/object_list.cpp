// Builders of ObjectList: from the typed Model, from object_list.json and from
// GXDLMSDirector .gxc device files. Readers turn every problem into a diagnostic
// naming the file (line and column where the parser gives an offset).
#include "object_list.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "json_writer.hpp"

namespace metergen {

namespace {

// A shape problem found while walking a parsed document; caught at the reader's
// entry and turned into one diagnostic.
struct ReadError {
  std::size_t offset;  // into the text; npos when unknown
  std::string path, message, expected;
};

SourcePos position(const std::string& text, const std::string& file, std::size_t offset) {
  if (offset == std::string::npos || offset > text.size()) return {file, 0, 0};
  auto begin = text.begin();
  auto end = begin + static_cast<std::ptrdiff_t>(offset);
  int line = 1 + static_cast<int>(std::count(begin, end, '\n'));
  auto last_newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  std::size_t line_start = (last_newline == std::string::npos || offset == 0) ? 0 : last_newline + 1;
  return {file, line, static_cast<int>(offset - line_start) + 1};
}

std::vector<int> selector_list(const Model& m, std::size_t object, int attribute) {
  std::vector<int> out;
  if (attribute != 2) return out;  // only a profile's buffer takes selective access in the spec
  for (const auto& p : m.profiles) {
    if (p.object != object) continue;
    for (const auto& s : p.selective_access) out.push_back(s == "range" ? 1 : 2);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Objects are keyed by (logical name, class_id): real meters do list one logical
// name under two classes (a script table and a schedule at 0.0.129.0.16.255).
void sort_and_check(ObjectList& list, const std::string& file) {
  auto key = [](const ListedObject& o) { return std::make_pair(o.logical_name, o.class_id); };
  for (auto& a : list.associations) {
    std::sort(a.objects.begin(), a.objects.end(), [&](const auto& x, const auto& y) { return key(x) < key(y); });
    auto twice = std::adjacent_find(a.objects.begin(), a.objects.end(),
                                    [&](const auto& x, const auto& y) { return key(x) == key(y); });
    if (twice != a.objects.end())
      throw ReadError{std::string::npos, "association " + std::to_string(a.client_sap),
                      "object " + format_obis(twice->logical_name) + " of class " + std::to_string(twice->class_id) +
                          " listed twice in " + file,
                      "each logical name and class once per association"};
    for (auto& o : a.objects) {
      auto by_id = [](const auto& x, const auto& y) { return x.id < y.id; };
      auto same_id = [](const auto& x, const auto& y) { return x.id == y.id; };
      std::sort(o.attributes.begin(), o.attributes.end(), by_id);
      std::sort(o.methods.begin(), o.methods.end(), by_id);
      if (std::adjacent_find(o.attributes.begin(), o.attributes.end(), same_id) != o.attributes.end() ||
          std::adjacent_find(o.methods.begin(), o.methods.end(), same_id) != o.methods.end())
        throw ReadError{std::string::npos, format_obis(o.logical_name), "an attribute or method id listed twice",
                        "each id once per object"};
    }
  }
}

// ---- object_list.json -------------------------------------------------------

class JsonReader {
 public:
  ObjectList read(const nlohmann::json& root) {
    ObjectList list;
    if (!root.is_object()) fail("", "not a JSON object", "an object list document");
    if (root.value("format", std::string()) != "metergen-object-list/1")
      fail("format", "unknown or missing format", "\"metergen-object-list/1\"");
    const auto& assocs = member(root, "associations", "", &nlohmann::json::is_array, "an array");
    for (std::size_t i = 0; i < assocs.size(); ++i) {
      std::string path = "associations[" + std::to_string(i) + "]";
      const auto& ja = assocs[i];
      if (!ja.is_object()) fail(path, "not an object", "an association object");
      AssociationObjects a;
      if (ja.contains("name")) a.name = member(ja, "name", path, &nlohmann::json::is_string, "a string").get<std::string>();
      a.client_sap = integer(ja, "client_sap", path, 0, 0x7F);
      if (ja.contains("logical_name")) a.logical_name = obis(ja, path);
      if (ja.contains("authentication"))
        a.authentication = member(ja, "authentication", path, &nlohmann::json::is_string, "a string").get<std::string>();
      const auto& objects = member(ja, "objects", path, &nlohmann::json::is_array, "an array");
      for (std::size_t k = 0; k < objects.size(); ++k) a.objects.push_back(object(objects[k], path + ".objects[" + std::to_string(k) + "]"));
      list.associations.push_back(std::move(a));
    }
    return list;
  }

 private:
  [[noreturn]] static void fail(const std::string& path, const std::string& message, const std::string& expected) {
    throw ReadError{std::string::npos, path, message, expected};
  }

  static const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& path,
                                      bool (nlohmann::json::*is_type)() const noexcept, const char* type) {
    std::string where = path.empty() ? key : path + "." + key;
    if (!j.contains(key)) fail(where, "missing", type);
    const auto& v = j.at(key);
    if (!(v.*is_type)()) fail(where, "wrong type", type);
    return v;
  }

  static int integer(const nlohmann::json& j, const char* key, const std::string& path, int min, int max) {
    const auto& v = member(j, key, path, &nlohmann::json::is_number_integer, "an integer");
    auto n = v.get<long long>();
    if (n < min || n > max)
      fail(path + "." + key, "out of range: " + std::to_string(n), std::to_string(min) + ".." + std::to_string(max));
    return static_cast<int>(n);
  }

  static Obis obis(const nlohmann::json& j, const std::string& path) {
    const auto& v = member(j, "logical_name", path, &nlohmann::json::is_string, "a string");
    auto parsed = parse_obis(v.get<std::string>());
    if (!parsed.value) fail(path + ".logical_name", parsed.problem, "A.B.C.D.E.F");
    return *parsed.value;
  }

  static std::vector<int> selectors(const nlohmann::json& j, const std::string& path) {
    std::vector<int> out;
    if (!j.contains("selectors")) return out;
    const auto& list = member(j, "selectors", path, &nlohmann::json::is_array, "an array");
    for (const auto& s : list) {
      if (!s.is_number_integer() || s.get<long long>() < 1 || s.get<long long>() > 255)
        fail(path + ".selectors", "not a selector", "integers 1..255");
      out.push_back(s.get<int>());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  ListedObject object(const nlohmann::json& jo, const std::string& path) {
    if (!jo.is_object()) fail(path, "not an object", "an object entry");
    ListedObject o;
    o.class_id = integer(jo, "class_id", path, 0, 0xFFFF);
    o.version = integer(jo, "version", path, 0, 0xFF);
    o.logical_name = obis(jo, path);
    const auto& attrs = member(jo, "attributes", path, &nlohmann::json::is_array, "an array");
    for (std::size_t k = 0; k < attrs.size(); ++k) {
      std::string at = path + ".attributes[" + std::to_string(k) + "]";
      if (!attrs[k].is_object()) fail(at, "not an object", "{id, access}");
      o.attributes.push_back({integer(attrs[k], "id", at, 1, 127), integer(attrs[k], "access", at, 0, 6),
                              selectors(attrs[k], at)});
    }
    const auto& methods = member(jo, "methods", path, &nlohmann::json::is_array, "an array");
    for (std::size_t k = 0; k < methods.size(); ++k) {
      std::string mt = path + ".methods[" + std::to_string(k) + "]";
      if (!methods[k].is_object()) fail(mt, "not an object", "{id, access}");
      o.methods.push_back({integer(methods[k], "id", mt, 1, 127), integer(methods[k], "access", mt, 0, 2)});
    }
    return o;
  }
};

// ---- GXDLMSDirector .gxc ----------------------------------------------------

// xsi:type of a GXDLMSObject -> class_id. Ids from the Blue Book (DLMS UA 1000-1);
// every type found in tests/fixtures/gxc/ is covered, plus common ones beside them.
const std::map<std::string, int>& gurux_class_ids() {
  static const std::map<std::string, int> ids = {
      {"GXDLMSData", 1},
      {"GXDLMSRegister", 3},
      {"GXDLMSExtendedRegister", 4},
      {"GXDLMSDemandRegister", 5},
      {"GXDLMSRegisterActivation", 6},
      {"GXDLMSProfileGeneric", 7},
      {"GXDLMSClock", 8},
      {"GXDLMSScriptTable", 9},
      {"GXDLMSSchedule", 10},
      {"GXDLMSSpecialDaysTable", 11},
      {"GXDLMSAssociationShortName", 12},
      {"GXDLMSAssociationLogicalName", 15},
      {"GXDLMSSapAssignment", 17},
      {"GXDLMSImageTransfer", 18},
      {"GXDLMSIECLocalPortSetup", 19},
      {"GXDLMSActivityCalendar", 20},
      {"GXDLMSRegisterMonitor", 21},
      {"GXDLMSActionSchedule", 22},
      {"GXDLMSHdlcSetup", 23},
      {"GXDLMSIecTwistedPairSetup", 24},
      {"GXDLMSMBusSlavePortSetup", 25},
      {"GXDLMSModemConfiguration", 27},
      {"GXDLMSAutoAnswer", 28},
      {"GXDLMSAutoConnect", 29},
      {"GXDLMSPushSetup", 40},
      {"GXDLMSTcpUdpSetup", 41},
      {"GXDLMSIp4Setup", 42},
      {"GXDLMSMacAddressSetup", 43},
      {"GXDLMSPppSetup", 44},
      {"GXDLMSGprsSetup", 45},
      {"GXDLMSSmtpSetup", 46},
      {"GXDLMSIp6Setup", 48},
      {"GXDLMSSecuritySetup", 64},
      {"GXDLMSDisconnectControl", 70},
      {"GXDLMSLimiter", 71},
      {"GXDLMSMBusClient", 72},
      {"GXDLMSMBusMasterPortSetup", 74},
      {"GXDLMSG3PlcMacLayerCounters", 90},
      {"GXDLMSG3PlcMacSetup", 91},
      {"GXDLMSG3Plc6LoWPan", 92},
      {"GXDLMSAccount", 111},
      {"GXDLMSCredit", 112},
      {"GXDLMSCharge", 113},
      {"GXDLMSTokenGateway", 115},
  };
  return ids;
}

// Gurux Authentication enumerator names -> the spec's spelling.
const std::map<std::string, std::string>& gurux_authentications() {
  static const std::map<std::string, std::string> names = {
      {"None", "none"},         {"Low", "lls"},           {"High", "hls"},
      {"HighMD5", "hls-md5"},   {"HighSHA1", "hls-sha1"}, {"HighGMAC", "hls-gmac"},
      {"HighSHA256", "hls-sha256"}, {"HighECDSA", "hls-ecdsa"},
  };
  return names;
}

class GxcReader {
 public:
  ObjectList read(const pugi::xml_document& doc) {
    ObjectList list;
    auto root = doc.child("ArrayOfGXDLMSDevice");
    if (!root) fail(doc.first_child(), "", "no ArrayOfGXDLMSDevice element", "a GXDLMSDirector device file");
    for (auto device : root.children("GXDLMSDevice")) list.associations.push_back(association(device));
    if (list.associations.empty()) fail(root, "ArrayOfGXDLMSDevice", "no GXDLMSDevice", "at least one device");
    return list;
  }

 private:
  [[noreturn]] void fail(const pugi::xml_node& node, const std::string& path, const std::string& message,
                         const std::string& expected) const {
    // pugixml gives an element's offset at its name; point at its '<'.
    std::ptrdiff_t at = node ? node.offset_debug() : -1;
    std::size_t offset = at > 0 ? static_cast<std::size_t>(at - 1) : std::string::npos;
    throw ReadError{offset, path, message, expected};
  }

  int number(const pugi::xml_node& parent, const char* element, int fallback, int min, int max) const {
    auto node = parent.child(element);
    if (!node) return fallback;
    std::string text = node.text().get();
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
      fail(node, element, "'" + text + "' is not a valid " + element,
           "an integer " + std::to_string(min) + ".." + std::to_string(max));
    return value;
  }

  AssociationObjects association(const pugi::xml_node& device) {
    AssociationObjects a;
    a.name = device.child("Name").text().get();
    a.client_sap = number(device, "ClientAddress", 16, 0, 0x7F);  // Gurux omits the default public client 16
    std::string auth = device.child("Authentication") ? device.child("Authentication").text().get() : "None";
    auto known = gurux_authentications().find(auth);
    if (known == gurux_authentications().end())
      fail(device.child("Authentication"), "Authentication", "unknown authentication '" + auth + "'",
           "None, Low, High, HighMD5, HighSHA1, HighGMAC, HighSHA256 or HighECDSA");
    a.authentication = known->second;
    auto objects = device.child("Objects2");
    if (!objects) fail(device, "GXDLMSDevice", "no Objects2 element", "the device's object list");
    for (auto o : objects.children("GXDLMSObject")) a.objects.push_back(object(o));
    return a;
  }

  ListedObject object(const pugi::xml_node& node) {
    ListedObject o;
    std::string type = node.attribute("xsi:type").value();
    auto id = gurux_class_ids().find(type);
    if (id == gurux_class_ids().end())
      fail(node, "GXDLMSObject", "unknown object type '" + type + "'", "a GXDLMS* interface class type");
    o.class_id = id->second;
    o.version = number(node, "Version", 0, 0, 255);
    auto ln = node.child("LogicalName");
    auto parsed = parse_obis(ln.text().get());
    if (!parsed.value) fail(ln ? ln : node, "LogicalName", "bad logical name: " + parsed.problem, "A.B.C.D.E.F");
    o.logical_name = *parsed.value;
    for (auto item : node.child("Attributes").children("Item")) {
      // Gurux leaves out Access when it is ReadWrite (3), its default.
      AttributeAccess at{number(item, "Index", -1, 1, 127), number(item, "Access", 3, 0, 6), {}};
      if (at.id < 0) fail(item, "Index", "attribute item without Index", "an attribute index");
      int bits = number(item, "AccessSelector", 0, 0, 255);  // bit n set: selector n supported
      for (int s = 1; s < 8; ++s)
        if (bits & (1 << s)) at.selectors.push_back(s);
      o.attributes.push_back(std::move(at));
    }
    for (auto item : node.child("Methods").children("Item")) {
      // Gurux leaves out MethodAccess when it is NoAccess (0), its default.
      MethodAccess mt{number(item, "Index", -1, 1, 127), number(item, "MethodAccess", 0, 0, 2)};
      if (mt.id < 0) fail(item, "Index", "method item without Index", "a method index");
      o.methods.push_back(mt);
    }
    return o;
  }
};

std::string extension(const std::string& path) {
  auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

AssociationObjects association_objects(const Model& m, std::size_t association) {
  const Association& a = m.associations[association];
  AssociationObjects out{a.name, a.sap, a.ln, a.authentication, {}};
  for (std::size_t i = 0; i < m.objects.size(); ++i) {
    const AccessSet& acc = a.access[i];
    if (!acc.listed) continue;
    const Object& o = m.objects[i];
    ListedObject lo{o.cls->id, o.version, o.ln, o.name, {}, {}};
    for (std::size_t k = 0; k < acc.attributes.size(); ++k) {
      int id = static_cast<int>(k + 1);
      lo.attributes.push_back({id, static_cast<int>(acc.attributes[k]), selector_list(m, i, id)});
    }
    for (std::size_t k = 0; k < acc.methods.size(); ++k)
      lo.methods.push_back({static_cast<int>(k + 1), static_cast<int>(acc.methods[k])});
    out.objects.push_back(std::move(lo));
  }
  return out;
}

ObjectList object_list_from_model(const Model& m) {
  ObjectList list;
  list.source = "spec " + m.id;
  for (std::size_t k = 0; k < m.associations.size(); ++k) list.associations.push_back(association_objects(m, k));
  return list;
}

std::optional<ObjectList> parse_object_list_json(const std::string& text, const std::string& file, Diagnostics& diags) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    diags.error(position(text, file, e.byte == 0 ? 0 : e.byte - 1), "", std::string("invalid JSON: ") + e.what());
    return std::nullopt;
  }
  try {
    ObjectList list = JsonReader().read(root);
    list.source = file;
    sort_and_check(list, file);
    return list;
  } catch (const ReadError& e) {
    diags.error(position(text, file, e.offset), e.path, e.message, e.expected);
    return std::nullopt;
  }
}

std::optional<ObjectList> parse_object_list_gxc(const std::string& text, const std::string& file, Diagnostics& diags) {
  pugi::xml_document doc;
  auto parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    diags.error(position(text, file, static_cast<std::size_t>(parsed.offset)), "",
                std::string("invalid XML: ") + parsed.description());
    return std::nullopt;
  }
  try {
    ObjectList list = GxcReader().read(doc);
    list.source = file;
    sort_and_check(list, file);
    return list;
  } catch (const ReadError& e) {
    diags.error(position(text, file, e.offset), e.path, e.message, e.expected);
    return std::nullopt;
  }
}

std::optional<ObjectList> read_object_list(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({path, 0, 0}, "", "cannot read the object list file");
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string ext = extension(path);
  if (ext == "json") return parse_object_list_json(text.str(), path, diags);
  if (ext == "gxc" || ext == "xml") return parse_object_list_gxc(text.str(), path, diags);
  diags.error({path, 0, 0}, "", "unknown object list format '." + ext + "'", ".json (metergen) or .gxc (GXDLMSDirector)");
  return std::nullopt;
}

std::string attribute_access_name(int access) {
  static const char* const names[] = {"none",      "read",       "write",          "read-write",
                                      "auth-read", "auth-write", "auth-read-write"};
  return access >= 0 && access <= 6 ? names[access] : "mode " + std::to_string(access);
}

std::string method_access_name(int access) {
  static const char* const names[] = {"none", "access", "auth-access"};
  return access >= 0 && access <= 2 ? names[access] : "mode " + std::to_string(access);
}

std::string object_list_document(const std::string& origin_key, const std::string& origin, std::size_t count,
                                 const std::function<AssociationObjects(std::size_t)>& association) {
  std::string text;
  JsonWriter w(text);
  w.begin_object();
  w.member("format", "metergen-object-list/1").member(origin_key, origin);
  w.member("generator", std::string("metergen ") + METERGEN_VERSION);
  w.key("access_modes").begin_object();
  w.member("attribute", "0 none, 1 read, 2 write, 3 read-write, 4-6 authenticated read/write/read-write");
  w.member("method", "0 none, 1 access, 2 authenticated access").end_object();
  w.key("associations").begin_array();
  for (std::size_t k = 0; k < count; ++k) {
    const AssociationObjects a = association(k);
    w.begin_object();
    if (!a.name.empty()) w.member("name", a.name);
    w.member("client_sap", a.client_sap);
    if (a.logical_name) w.member("logical_name", format_obis(*a.logical_name));
    if (!a.authentication.empty()) w.member("authentication", a.authentication);
    w.key("objects").begin_array();
    for (const auto& o : a.objects) {
      w.begin_object().member("class_id", o.class_id).member("version", o.version);
      w.member("logical_name", format_obis(o.logical_name));
      w.key("attributes").begin_array();
      for (const auto& at : o.attributes) {
        w.begin_object().member("id", at.id).member("access", at.access);
        if (!at.selectors.empty()) {
          w.key("selectors").begin_array();
          for (int s : at.selectors) w.value(s);
          w.end_array();
        }
        w.end_object();
      }
      w.end_array().key("methods").begin_array();
      for (const auto& mt : o.methods) w.begin_object().member("id", mt.id).member("access", mt.access).end_object();
      w.end_array().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
  text += '\n';
  return text;
}

std::string object_list_document(const std::string& origin_key, const std::string& origin,
                                 const std::vector<AssociationObjects>& associations) {
  return object_list_document(origin_key, origin, associations.size(),
                              [&](std::size_t k) { return associations[k]; });
}

}  // namespace metergen
