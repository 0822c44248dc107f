// The objects section: catalog quantities, declared objects and their tariff and
// phase expansions, `remove`, the final order by logical name, and the layout of
// the objects' values and state in the firmware tables.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "context.hpp"

namespace metergen::sections {

class ObjectsSection {
 public:
  explicit ObjectsSection(Context& ctx) : ctx_(ctx) {}

  void load_catalogs();
  void declare();   // objects: entries, after the catalogs
  void remove();    // remove.objects, once every section has added its objects
  void finalize();  // sort by logical name into Model::objects; duplicate LNs, tariff registers
  // Value pool and state offsets; runs last, when every section has set the types.
  void layout();

 private:
  struct CatalogEntry {
    const Node* node;
    bool per_tariff, per_phase;
  };
  // One declaration before expansion.
  struct Declared {
    Object proto;
    std::string base_name;
    const Node* obis = nullptr;
    bool per_tariff = true, per_phase = true;
  };

  std::optional<Declared> read_declaration(const Node& decl, const std::string& path);
  bool read_identity(Declared& d, const Node& decl, const Node* cat, const std::string& path);
  void read_fields(Object& o, const Node& decl, const Node* cat);
  void read_attributes(Object& o, const Node& decl, const std::string& path);
  void encode_constant_attributes(Object& o);
  bool check_link_limit(const Object& o, const StaticAttribute& a, const std::vector<std::uint8_t>& bytes,
                        const std::string& path);
  void pool_constant(StaticAttribute& a, const std::vector<std::uint8_t>& bytes);
  void check_values(const Object& o, const Node& decl, const std::string& path);
  bool parse_source(Object& o, const Node& n, const std::string& path);
  std::vector<int> expansion_values(const Node& n);
  std::optional<std::vector<int>> tariffs(const Declared& d, const Node& decl, const std::string& path);
  std::optional<std::vector<int>> phases(const Declared& d, const Node& decl, const std::string& path);
  void expand(const Declared& d, const Node& decl, const std::string& path);
  void check_tariff_registers();
  void check_roles();
  void check_bit_string_roles();

  Context& ctx_;
  std::map<std::string, CatalogEntry> catalog_;
  std::vector<std::string> catalog_names_;
  std::map<std::string, const Node*> tariffs_node_;  // per base name: where its tariffs were given
};

}  // namespace metergen::sections
