// A capture_object_definition (Blue Book IC 7 attribute 3): what a profile
// captures, and what a display readout's list shows. Internal to cosem/.
#pragma once

#include <cstdint>

#include <metergen/axdr/axdr.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::cosem {

struct CaptureObject {
  std::uint16_t class_id;
  tables::LogicalName ln;
  std::int8_t attribute;
  std::uint16_t data_index;
};

// cosem-interface-classes.md §0.4: structure{long-unsigned, octet-string(6), integer, long-unsigned}.
inline void put_capture_object(ByteWriter& w, const CaptureObject& c) {
  axdr::put_structure(w, 4);
  axdr::put_long_unsigned(w, c.class_id);
  axdr::put_logical_name(w, c.ln);
  axdr::put_integer(w, c.attribute);
  axdr::put_long_unsigned(w, c.data_index);
}

inline bool read_capture_object(ByteReader& r, CaptureObject& c) {
  std::uint32_t fields = 0;
  return axdr::get_structure(r, fields) && fields == 4 && axdr::get_u16(r, c.class_id) &&
         axdr::get_logical_name(r, c.ln) && axdr::get_i8(r, c.attribute) && axdr::get_u16(r, c.data_index);
}

}  // namespace metergen::cosem
