// Selective access of a GET/SET (IEC 62056-5-3 access-selection): the selector
// and a view of its one encoded Data parameter. Shared by the interface classes
// and the server, which builds it from the request.
#pragma once

#include <cstdint>

#include <metergen/bytes.hpp>

namespace metergen::cosem {

struct Selection {
  std::uint8_t selector;
  ByteReader parameters;
};

}  // namespace metergen::cosem
