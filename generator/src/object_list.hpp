// Object lists as plain data: per client association, the objects a meter exposes
// with their access rights (what Association LN attribute 2 carries). One
// structure whatever the source: the spec's typed Model, our object_list.json,
// a GXDLMSDirector .gxc device file, or (later) a meter read over the network.
// Readers report problems as diagnostics naming the file (and line where the
// parser gives one); they never throw. May call: model, obis, diag.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag.hpp"
#include "model.hpp"
#include "obis.hpp"

namespace metergen {

struct AttributeAccess {
  int id = 0;
  int access = 0;              // 0 none, 1 read, 2 write, 3 read-write, 4-6 authenticated read/write/read-write
  std::vector<int> selectors;  // selective access selectors, ascending (empty: none declared)
};

struct MethodAccess {
  int id = 0;
  int access = 0;  // 0 none, 1 access, 2 authenticated access
};

struct ListedObject {
  int class_id = 0;
  int version = 0;
  Obis logical_name{};
  std::string name;  // the spec's object name; empty when the source has none
  std::vector<AttributeAccess> attributes;  // ascending id
  std::vector<MethodAccess> methods;        // ascending id
};

struct AssociationObjects {
  std::string name;                  // may be empty (a meter does not name its clients)
  int client_sap = 0;
  std::optional<Obis> logical_name;  // empty when the source does not say
  std::string authentication;        // spec spelling: none, lls, hls-gmac, ... (empty: unknown)
  std::vector<ListedObject> objects;  // ascending (logical name, class_id)
};

struct ObjectList {
  std::string source;  // file name or "spec <id>", for messages
  std::vector<AssociationObjects> associations;
};

// The object list each association of the spec must expose (also what
// object_list.json is written from).
ObjectList object_list_from_model(const Model& model);
// The list of one association of the model (index into Model::associations).
AssociationObjects association_objects(const Model& model, std::size_t association);

// An object_list.json document ("metergen-object-list/1"); `origin_key` is
// "model" (the spec's lists) or "source" (a list read from a meter). The
// generator and the network client both write lists through it. Empty names,
// absent logical names and empty authentication are left out.
std::string object_list_document(const std::string& origin_key, const std::string& origin,
                                 const std::vector<AssociationObjects>& associations);
// The same, each of `count` associations made only when written (a large model's
// lists are never all held at once).
std::string object_list_document(const std::string& origin_key, const std::string& origin, std::size_t count,
                                 const std::function<AssociationObjects(std::size_t)>& association);

// object_list.json ("metergen-object-list/1"). `file` names the text in messages.
std::optional<ObjectList> parse_object_list_json(const std::string& text, const std::string& file, Diagnostics& diags);

// GXDLMSDirector device file: one association per GXDLMSDevice (ClientAddress,
// default 16; Authentication, default None), class ids from each object's xsi:type.
std::optional<ObjectList> parse_object_list_gxc(const std::string& text, const std::string& file, Diagnostics& diags);

// Reads a .json or .gxc file (chosen by extension).
std::optional<ObjectList> read_object_list(const std::string& path, Diagnostics& diags);

// Spelling of access modes in reports: "read", "auth-read-write", "access", ...
std::string attribute_access_name(int access);
std::string method_access_name(int access);

}  // namespace metergen
