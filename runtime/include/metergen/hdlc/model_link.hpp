// What a model's IEC HDLC setup objects make of the meter's HDLC link
// (tables::HdlcLinkDef): the server's limits in the SNRM/UA negotiation, its
// timeouts and its physical address.
//
// Owns: nothing. Calls: model_tables.hpp, parameters.hpp, server_link.hpp.
#pragma once

#include <metergen/hdlc/parameters.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::hdlc {

constexpr LinkParameters link_limits(const tables::HdlcLinkDef& d) {
  return {d.max_info_transmit, d.max_info_receive, d.window_transmit, d.window_receive};
}

constexpr LinkTimeouts link_timeouts(const tables::HdlcLinkDef& d) { return {d.inter_octet_ms, d.inactivity_s}; }

constexpr ServerAddress server_address(const tables::HdlcLinkDef& d) {
  return {kDefaultServerAddress.logical, d.device_address};
}

}  // namespace metergen::hdlc
