// DLMS result codes with their wire values (IEC 62056-5-3 Data-Access-Result,
// Action-Result). Runtime functions return these directly, so a result maps 1:1
// onto the byte a reply carries.
//
// dlms_types/ holds the DLMS vocabulary that modules below the server share
// (cosem/, xdlms/, hdlc/, wrapper/) and the server (dlms/) implements: these
// result codes and the transport-to-application seam (apdu_handler.hpp). It
// includes nothing but bytes.hpp, so no module has to include dlms/ from below.
#pragma once

#include <cstdint>

namespace metergen::dlms {

enum class DataAccessResult : std::uint8_t {
  success = 0,
  hardware_fault = 1,
  temporary_failure = 2,
  read_write_denied = 3,
  object_undefined = 4,
  object_class_inconsistent = 9,
  object_unavailable = 11,
  type_unmatched = 12,
  scope_of_access_violated = 13,
  data_block_unavailable = 14,
  long_get_aborted = 15,
  no_long_get_in_progress = 16,
  long_set_aborted = 17,
  no_long_set_in_progress = 18,
  data_block_number_invalid = 19,
  other_reason = 250,
};

enum class ActionResult : std::uint8_t {
  success = 0,
  hardware_fault = 1,
  temporary_failure = 2,
  read_write_denied = 3,
  object_undefined = 4,
  object_class_inconsistent = 9,
  object_unavailable = 11,
  type_unmatched = 12,
  scope_of_access_violated = 13,
  data_block_unavailable = 14,
  long_action_aborted = 15,
  no_long_action_in_progress = 16,
  other_reason = 250,
};

}  // namespace metergen::dlms
