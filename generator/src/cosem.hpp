// COSEM facts the generator needs: interface classes (attributes, methods,
// versions), A-XDR data types with their encoded sizes, and units.
// Source: ../shared/reference/cosem-interface-classes.md (Blue Book class set).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace metergen::cosem {

// A-XDR data types with their wire tags (IEC 62056-62 / Green Book).
enum class DataType : std::uint8_t {
  null_data = 0, array = 1, structure = 2, boolean = 3, bit_string = 4, double_long = 5,
  double_long_unsigned = 6, octet_string = 9, visible_string = 10, utf8_string = 12, bcd = 13,
  integer = 15, long_ = 16, unsigned_ = 17, long_unsigned = 18, compact_array = 19, long64 = 20,
  long64_unsigned = 21, enum_ = 22, float32 = 23, float64 = 24, date_time = 25, date = 26, time = 27,
};

struct DataTypeInfo {
  DataType type;
  const char* name;        // spec spelling, e.g. "double-long-unsigned"
  const char* cpp_name;    // enumerator in the runtime seam header
  int fixed_size;          // encoded bytes including the tag, or -1 when variable
};

const std::vector<DataTypeInfo>& data_types();
std::optional<DataType> data_type_by_name(const std::string& name);
const DataTypeInfo& data_type_info(DataType t);

// Encoded size (tag included) of a value; `length` is the content length for
// string types (octet-string, visible-string, bit-string in bits).
int encoded_size(DataType t, int length);
// An integer type of A-XDR (signed or unsigned, 8 to 64 bits).
bool is_integer(DataType t);

// What an attribute holds, for size computations and for the object's own value type.
enum class AttrKind : std::uint8_t {
  logical_name,  // octet-string(6)
  value,         // the object's declared value type
  scaler_unit,   // structure{integer, enum}
  date_time,     // octet-string(12)
  fixed,         // a fixed A-XDR type given in `type`
  complex,       // structure/array of class-specific layout (not capturable as a scalar)
};

struct Attribute {
  int index;
  const char* name;
  AttrKind kind;
  DataType type;        // for fixed
  bool writable;        // settable by a management client by default
};

struct Method {
  int index;
  const char* name;
};

struct InterfaceClass {
  int id;
  const char* name;       // spec spelling, e.g. "register"
  const char* title;      // "Register"
  int version;            // version this generator models
  std::vector<Attribute> attributes;
  std::vector<Method> methods;
  bool has_value = false;  // value attributes typed per object (Data, Register, ...)
};

const std::vector<InterfaceClass>& classes();
const InterfaceClass* class_by_id(int id);
const InterfaceClass* class_by_name(const std::string& name);
std::vector<std::string> class_names();

const Attribute* find_attribute(const InterfaceClass& c, int index);
bool has_method(const InterfaceClass& c, int index);

// Object roles: what the runtime's engines use an object for, spelled as the
// seam's tables::Role enumerators (the generated tables name them, so a name
// the runtime lacks does not compile). "none" is the default.
const std::vector<std::string>& object_roles();

// Units (DLMS unit enumeration).
struct UnitInfo {
  int code;
  const char* name;  // spec spelling: "Wh", "varh", "V", "count", ...
};
const std::vector<UnitInfo>& units();
std::optional<int> unit_by_name(const std::string& name);
const char* unit_name(int code);

}  // namespace metergen::cosem
