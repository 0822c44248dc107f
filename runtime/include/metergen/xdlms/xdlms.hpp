// xDLMS service APDU codecs (IEC 62056-5-3, LN referencing): GET, SET, ACTION,
// exception-response, confirmedServiceError and general-block-transfer.
//
// Owns: the byte layout of these APDUs. No I/O, no state, no heap: decoders
// return plain structs whose ByteReaders are views into the caller's APDU
// buffer; encoders write into a ByteWriter and leave Data values to the caller.
// Uses: bytes.hpp, axdr/, dlms_types/result.hpp, model_tables.hpp (LogicalName).
//
// Request APDUs are untrusted: a decoder checks every length, validates every
// embedded Data (axdr::skip_value) and requires the APDU to end exactly where
// the service ends.
//
// Layouts (A-XDR of the 62056-5-3 ASN.1; iid = Invoke-Id-And-Priority byte):
//   Cosem-Attribute-Descriptor = class-id(2) instance-id(6) attribute-id(1)
//   Cosem-Method-Descriptor    = class-id(2) instance-id(6) method-id(1)
//   access-selection           = 00 | 01 selector(1) parameters(Data)
//   DataBlock-G  = last-block(1) block-number(4) (00 raw-data(octet string: length + bytes) | 01 dar(1))
//   DataBlock-SA = last-block(1) block-number(4) raw-data(length + bytes)
//   GET-Request    C0: 01 iid desc sel | 02 iid block(4) | 03 iid n n×(desc sel)
//   GET-Response   C4: 01 iid (00 Data | 01 dar) | 02 iid DataBlock-G | 03 iid n n×(00 Data | 01 dar)
//   SET-Request    C1: 01 iid desc sel Data | 02 iid desc sel DataBlock-SA | 03 iid DataBlock-SA
//                      | 04 iid n n×(desc sel) n n×Data | 05 iid n n×(desc sel) DataBlock-SA
//   SET-Response   C5: 01 iid dar | 02 iid block(4) | 03 iid dar block(4)
//                      | 04 iid n n×dar block(4) | 05 iid n n×dar
//   ACTION-Request C3: 01 iid mdesc (00 | 01 Data) | 02 iid block(4) | 03 iid n n×mdesc n n×Data
//                      | 04 iid mdesc DataBlock-SA | 05 iid n n×mdesc DataBlock-SA | 06 iid DataBlock-SA
//   ACTION-Response C7: 01 iid result (00 | 01 (00 Data | 01 dar)) | 02 iid DataBlock-SA
//                      | 03 iid n n×(result (00 | 01 (00 Data | 01 dar))) | 04 iid block(4)
//   exception-response D8 state-error(1) service-error(1) [invocation counter(4) when service-error = 6]
//   confirmedServiceError 0E service(1) error-type(1) code(1)
//   general-block-transfer E0 control(1) block(2) ack(2) length + bytes
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>
#include <metergen/dlms_types/result.hpp>
#include <metergen/model_tables.hpp>

namespace metergen::xdlms {

using dlms::ActionResult;
using dlms::DataAccessResult;

// APDU tags.
inline constexpr std::uint8_t kGetRequest = 0xC0;
inline constexpr std::uint8_t kSetRequest = 0xC1;
inline constexpr std::uint8_t kActionRequest = 0xC3;
inline constexpr std::uint8_t kGetResponse = 0xC4;
inline constexpr std::uint8_t kSetResponse = 0xC5;
inline constexpr std::uint8_t kActionResponse = 0xC7;
inline constexpr std::uint8_t kExceptionResponse = 0xD8;
inline constexpr std::uint8_t kConfirmedServiceError = 0x0E;
inline constexpr std::uint8_t kGeneralBlockTransfer = 0xE0;

// Outcome of decoding an APDU.
enum class Decode : std::uint8_t {
  ok,
  wrong_apdu,      // the first byte is not this decoder's APDU tag
  unknown_choice,  // known APDU, unknown request/response type byte: answer exception-response
  malformed,       // truncated, bad length, invalid Data, trailing bytes: the service's error
};

struct CosemAttributeDescriptor {
  std::uint16_t class_id;
  tables::LogicalName ln;
  std::int8_t attribute_id;
};

struct CosemMethodDescriptor {
  std::uint16_t class_id;
  tables::LogicalName ln;
  std::int8_t method_id;
};

struct AccessSelection {
  bool present;
  std::uint8_t selector;
  ByteReader parameters;  // exactly one validated Data when present
};

struct DataBlock {
  bool last;
  std::uint32_t number;
  ByteReader raw;  // the raw-data bytes of this block
};

// A validated list of attribute descriptors with their access selections.
struct AttributeList {
  std::uint32_t count = 0;
  // The next item; false when none is left.
  bool next(CosemAttributeDescriptor& attribute, AccessSelection& access);
  ByteReader items;  // the encoded items not yet returned
};

// A validated list of method descriptors.
struct MethodList {
  std::uint32_t count = 0;
  bool next(CosemMethodDescriptor& method);
  ByteReader items;
};

// A validated list of Data values (SET/ACTION with-list values, one per descriptor).
struct ValueList {
  std::uint32_t count = 0;
  // The next value as a view over one Data; false when none is left.
  bool next(ByteReader& value);
  ByteReader items;
};

// ---- Server side: request decoders ----

enum class GetRequestType : std::uint8_t { normal = 1, next = 2, with_list = 3 };

struct GetRequest {
  GetRequestType type;
  std::uint8_t invoke_id;  // the whole Invoke-Id-And-Priority byte; set as soon as it was read
  CosemAttributeDescriptor attribute;  // normal
  AccessSelection access;              // normal
  std::uint32_t block_number;          // next: the block the client acknowledges
  AttributeList list;                  // with_list
};

enum class SetRequestType : std::uint8_t {
  normal = 1, with_first_datablock = 2, with_datablock = 3, with_list = 4, with_list_and_first_datablock = 5,
};

struct SetRequest {
  SetRequestType type;
  std::uint8_t invoke_id;
  CosemAttributeDescriptor attribute;  // normal, with_first_datablock
  AccessSelection access;              // normal, with_first_datablock
  ByteReader value;                    // normal: one validated Data
  DataBlock block;                     // *_datablock
  AttributeList list;                  // with_list*
  ValueList values;                    // with_list (count == list.count)
};

enum class ActionRequestType : std::uint8_t {
  normal = 1, next_pblock = 2, with_list = 3, with_first_pblock = 4, with_list_and_first_pblock = 5, with_pblock = 6,
};

struct ActionRequest {
  ActionRequestType type;
  std::uint8_t invoke_id;
  CosemMethodDescriptor method;  // normal, with_first_pblock
  bool has_parameters;           // normal
  ByteReader parameters;         // normal: one validated Data when has_parameters
  std::uint32_t block_number;    // next_pblock
  DataBlock block;               // *_pblock
  MethodList list;               // with_list*
  ValueList values;              // with_list (count == list.count)
};

// `apdu` is the whole APDU, starting with its tag.
Decode decode_get_request(ByteReader apdu, GetRequest& out);
Decode decode_set_request(ByteReader apdu, SetRequest& out);
Decode decode_action_request(ByteReader apdu, ActionRequest& out);

// ---- Server side: response encoders ----
// Functions ending in _data write everything before a Data value; the caller
// then writes exactly one Data.

void put_get_response_data(ByteWriter& w, std::uint8_t invoke_id);  // C4 01 iid 00
void put_get_response_error(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result);
// C4 02 iid last block 00 length; the caller then writes raw_size raw bytes.
void put_get_response_block_header(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                   std::uint32_t raw_size);
void put_get_response_block(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                            const std::uint8_t* raw, std::size_t n);
void put_get_response_block_error(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                  DataAccessResult result);
// C4 03 iid count; then per item put_list_item_data + Data, or put_list_item_error.
void put_get_response_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count);
void put_list_item_data(ByteWriter& w);                             // 00 (Data follows)
void put_list_item_error(ByteWriter& w, DataAccessResult result);  // 01 dar

void put_set_response(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result);
void put_set_response_datablock(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block);
void put_set_response_last_datablock(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result,
                                     std::uint32_t block);
void put_set_response_last_datablock_list(ByteWriter& w, std::uint8_t invoke_id, const DataAccessResult* results,
                                          std::uint32_t count, std::uint32_t block);
void put_set_response_list(ByteWriter& w, std::uint8_t invoke_id, const DataAccessResult* results,
                           std::uint32_t count);

// C7 01 iid result 00 (no return parameters).
void put_action_response(ByteWriter& w, std::uint8_t invoke_id, ActionResult result);
// C7 01 iid result 01 00; the caller then writes the return Data.
void put_action_response_data(ByteWriter& w, std::uint8_t invoke_id, ActionResult result);
// C7 01 iid result 01 01 dar.
void put_action_response_error(ByteWriter& w, std::uint8_t invoke_id, ActionResult result,
                               DataAccessResult data_result);
// C7 02 iid last block length; the caller then writes raw_size raw bytes.
void put_action_response_pblock_header(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                       std::uint32_t raw_size);
// C7 03 iid count; then per item put_action_item / put_action_item_data + Data.
void put_action_response_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count);
void put_action_item(ByteWriter& w, ActionResult result);       // result 00
void put_action_item_data(ByteWriter& w, ActionResult result);  // result 01 00 (Data follows)
// C7 04 iid block: acknowledges a parameter block, asks for the next.
void put_action_response_next_pblock(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block);

enum class StateError : std::uint8_t { service_not_allowed = 1, service_unknown = 2 };
enum class ServiceError : std::uint8_t {
  operation_not_possible = 1, service_not_supported = 2, other_reason = 3, pdu_too_long = 4,
  deciphering_error = 5, invocation_counter_error = 6,
};
// D8 state service. Use the overload below for invocation_counter_error.
void put_exception_response(ByteWriter& w, StateError state, ServiceError service);
// D8 state 06 expected(4).
void put_exception_response_invocation_counter(ByteWriter& w, StateError state, std::uint32_t expected);

enum class ConfirmedService : std::uint8_t { initiate = 1, read = 5, write = 6 };
enum class ServiceErrorType : std::uint8_t {
  application_reference = 0, hardware_resource = 1, vde_state_error = 2, service = 3, definition = 4,
  access = 5, initiate = 6, load_data_set = 7, task = 8, other = 9,
};
// 0E service type code.
void put_confirmed_service_error(ByteWriter& w, ConfirmedService service, ServiceErrorType type, std::uint8_t code);

// ---- General block transfer (either direction) ----

struct GeneralBlock {
  bool last;
  bool streaming;
  std::uint8_t window;  // 0..63
  std::uint16_t number;
  std::uint16_t ack;
  ByteReader data;
};
Decode decode_general_block(ByteReader apdu, GeneralBlock& out);
// E0 control number ack length; the caller then writes data_size bytes.
void put_general_block_header(ByteWriter& w, bool last, bool streaming, std::uint8_t window, std::uint16_t number,
                              std::uint16_t ack, std::uint32_t data_size);

// ---- Client side: request encoders ----

// C0 01 iid desc sel. `access.parameters` is copied as it stands (its remaining bytes).
void put_get_request(ByteWriter& w, std::uint8_t invoke_id, const CosemAttributeDescriptor& attribute,
                     const AccessSelection& access);
void put_get_request_next(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block);
// C0 03 iid count; then count × put_attribute_item.
void put_get_request_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count);
void put_attribute_item(ByteWriter& w, const CosemAttributeDescriptor& attribute, const AccessSelection& access);
// C1 01 iid desc sel; the caller then writes the value Data.
void put_set_request(ByteWriter& w, std::uint8_t invoke_id, const CosemAttributeDescriptor& attribute,
                     const AccessSelection& access);
// C3 01 iid mdesc (00 | 01); with parameters the caller then writes the Data.
void put_action_request(ByteWriter& w, std::uint8_t invoke_id, const CosemMethodDescriptor& method,
                        bool has_parameters);

// ---- Client side: response decoders ----

// One Get-Data-Result: a validated Data, or a data-access-result.
struct DataResult {
  bool has_data;
  ByteReader data;
  DataAccessResult error;
};

struct DataResultList {
  std::uint32_t count = 0;
  bool next(DataResult& result);
  ByteReader items;
};

struct AccessResultList {
  std::uint32_t count = 0;
  bool next(DataAccessResult& result);
  ByteReader items;
};

struct ActionItem {
  ActionResult result;
  bool has_return;
  DataResult return_value;  // when has_return
};

struct ActionResultList {
  std::uint32_t count = 0;
  bool next(ActionItem& item);
  ByteReader items;
};

enum class GetResponseType : std::uint8_t { normal = 1, with_datablock = 2, with_list = 3 };

struct GetResponse {
  GetResponseType type;
  std::uint8_t invoke_id;
  DataResult result;        // normal
  bool last;                // with_datablock
  std::uint32_t block_number;
  bool has_raw;             // with_datablock: raw data (true) or result.error
  ByteReader raw;
  DataResultList list;      // with_list
};

enum class SetResponseType : std::uint8_t {
  normal = 1, datablock = 2, last_datablock = 3, last_datablock_with_list = 4, with_list = 5,
};

struct SetResponse {
  SetResponseType type;
  std::uint8_t invoke_id;
  DataAccessResult result;     // normal, last_datablock
  std::uint32_t block_number;  // *datablock*
  AccessResultList list;       // *with_list
};

enum class ActionResponseType : std::uint8_t { normal = 1, with_pblock = 2, with_list = 3, next_pblock = 4 };

struct ActionResponse {
  ActionResponseType type;
  std::uint8_t invoke_id;
  ActionItem item;             // normal
  DataBlock block;             // with_pblock
  ActionResultList list;       // with_list
  std::uint32_t block_number;  // next_pblock
};

struct ExceptionResponse {
  StateError state;
  ServiceError service;
  std::uint32_t invocation_counter;  // invocation_counter_error only
};

Decode decode_get_response(ByteReader apdu, GetResponse& out);
Decode decode_set_response(ByteReader apdu, SetResponse& out);
Decode decode_action_response(ByteReader apdu, ActionResponse& out);
Decode decode_exception_response(ByteReader apdu, ExceptionResponse& out);

}  // namespace metergen::xdlms
