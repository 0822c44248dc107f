// The demo secrets compiled into every image: the values the host meter writes
// into a new secrets.conf (targets/host, HostHal::demo_secrets; listed in
// docs/host-meter.md), so one secrets file serves both. DEMO ONLY: anyone who
// has read the documentation knows them; a product keeps its keys in protected
// storage and provisions them per meter.
//
//   server system title      4D474D0000000001
//   LLS password             12345678   (associations with LLS, own or fallback)
//   EK                       000102030405060708090A0B0C0D0E0F  } associations with HLS-GMAC
//   AK                       D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF  } or a security policy
//
// Uses: model_tables.hpp and hal.hpp. Portable.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::mps2 {

// hal::Hal::secret for the demo secrets: copies the secret into out and returns
// its length; 0 when the association has none of that kind, or cap is too small.
std::size_t demo_secret(const tables::Model& model, std::uint8_t association, hal::Secret kind, std::uint8_t* out,
                        std::size_t cap);

}  // namespace metergen::mps2
