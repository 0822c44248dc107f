// xDLMS GET/SET/ACTION, exception-response, confirmedServiceError and
// general-block-transfer codecs (layouts in xdlms/xdlms.hpp).
// Uses bytes.hpp and axdr/ only; every Data inside a request is validated with
// axdr::take_value before the caller sees it.
#include <metergen/xdlms/xdlms.hpp>

#include <metergen/axdr/axdr.hpp>

namespace metergen::xdlms {
namespace {

// ---- Readers of the parts shared by several APDUs ----

bool read_descriptor(ByteReader& r, std::uint16_t& class_id, tables::LogicalName& ln, std::int8_t& id) {
  class_id = r.be16();
  const std::uint8_t* instance = r.take(sizeof ln.b);
  if (instance == nullptr) return false;
  copy_bytes(ln.b, instance, sizeof ln.b);
  id = static_cast<std::int8_t>(r.u8());
  return !r.error();
}

bool read_attribute(ByteReader& r, CosemAttributeDescriptor& a) {
  return read_descriptor(r, a.class_id, a.ln, a.attribute_id);
}

bool read_method(ByteReader& r, CosemMethodDescriptor& m) { return read_descriptor(r, m.class_id, m.ln, m.method_id); }

// A-XDR OPTIONAL: 00 absent, 01 present; anything else is malformed.
bool read_optional_flag(ByteReader& r, bool& present) {
  std::uint8_t flag = r.u8();
  present = flag == 1;
  return !r.error() && flag <= 1;
}

bool read_access_selection(ByteReader& r, AccessSelection& a) {
  a = {};
  if (!read_optional_flag(r, a.present)) return false;
  if (!a.present) return true;
  a.selector = r.u8();
  return !r.error() && axdr::take_value(r, a.parameters);
}

bool read_attribute_item(ByteReader& r) {
  CosemAttributeDescriptor attribute;
  AccessSelection access;
  return read_attribute(r, attribute) && read_access_selection(r, access);
}

bool read_method_item(ByteReader& r) {
  CosemMethodDescriptor method;
  return read_method(r, method);
}

bool read_value_item(ByteReader& r) {
  ByteReader value;
  return axdr::take_value(r, value);
}

// Length-prefixed raw bytes as a view.
bool read_raw(ByteReader& r, ByteReader& raw) {
  std::uint32_t n = axdr::get_length(r);
  if (r.error() || n > r.remaining()) return false;
  raw = r.sub(n);
  return true;
}

// DataBlock-SA: last-block, block-number, raw-data.
bool read_block(ByteReader& r, DataBlock& b) {
  b.last = r.u8() != 0;
  b.number = r.be32();
  return !r.error() && read_raw(r, b.raw);
}

bool read_data_result(ByteReader& r, DataResult& d) {
  d = {};
  std::uint8_t choice = r.u8();
  if (r.error()) return false;
  if (choice == 0) {
    d.has_data = true;
    return axdr::take_value(r, d.data);
  }
  d.error = static_cast<DataAccessResult>(r.u8());
  return choice == 1 && !r.error();
}

bool read_action_item(ByteReader& r, ActionItem& item) {
  item = {};
  item.result = static_cast<ActionResult>(r.u8());
  return read_optional_flag(r, item.has_return) && (!item.has_return || read_data_result(r, item.return_value));
}

bool read_access_result(ByteReader& r) {
  r.u8();
  return !r.error();
}

bool read_action_result_item(ByteReader& r) {
  ActionItem item;
  return read_action_item(r, item);
}

bool read_data_result_item(ByteReader& r) {
  DataResult d;
  return read_data_result(r, d);
}

// SEQUENCE OF: a count, then count items each validated by read_item; `items`
// becomes a view over exactly those items. Every item takes at least one byte.
template <typename ReadItem>
bool read_list(ByteReader& r, std::uint32_t& count, ByteReader& items, ReadItem read_item) {
  count = axdr::get_length(r);
  if (r.error() || count > r.remaining()) return false;
  const std::uint8_t* start = r.current();
  std::size_t before = r.remaining();
  for (std::uint32_t i = 0; i < count; ++i)
    if (!read_item(r)) return false;
  items = ByteReader(start, before - r.remaining());
  return true;
}

// Reads the APDU tag and the request/response type byte, then the invoke-id.
// Returns ok, wrong_apdu or unknown_choice (type outside 1..last), or malformed.
Decode read_header(ByteReader& r, std::uint8_t tag, std::uint8_t last_type, std::uint8_t& type,
                   std::uint8_t& invoke_id) {
  if (r.empty() || r.peek() != tag) return Decode::wrong_apdu;
  r.u8();
  type = r.u8();
  if (r.error()) return Decode::malformed;
  if (type < 1 || type > last_type) return Decode::unknown_choice;
  invoke_id = r.u8();
  return r.error() ? Decode::malformed : Decode::ok;
}

// The service must end exactly at the end of the APDU.
Decode finish(const ByteReader& r, bool parsed) { return parsed && !r.error() && r.empty() ? Decode::ok : Decode::malformed; }

// ---- Writers ----

void put_header(ByteWriter& w, std::uint8_t tag, std::uint8_t type, std::uint8_t invoke_id) {
  w.u8(tag);
  w.u8(type);
  w.u8(invoke_id);
}

void put_descriptor(ByteWriter& w, std::uint16_t class_id, const tables::LogicalName& ln, std::int8_t id) {
  w.be16(class_id);
  w.bytes(ln.b, sizeof ln.b);
  w.u8(static_cast<std::uint8_t>(id));
}

void put_access_selection(ByteWriter& w, const AccessSelection& access) {
  if (!access.present) {
    w.u8(0);
    return;
  }
  w.u8(1);
  w.u8(access.selector);
  w.bytes(access.parameters.current(), access.parameters.remaining());
}

void put_block_start(ByteWriter& w, bool last, std::uint32_t block) {
  w.u8(last ? 1 : 0);
  w.be32(block);
}

void put_results(ByteWriter& w, const DataAccessResult* results, std::uint32_t count) {
  axdr::put_length(w, count);
  for (std::uint32_t i = 0; i < count; ++i) w.u8(static_cast<std::uint8_t>(results[i]));
}

}  // namespace

// ---- Lists ----

bool AttributeList::next(CosemAttributeDescriptor& attribute, AccessSelection& access) {
  return !items.empty() && read_attribute(items, attribute) && read_access_selection(items, access);
}
bool MethodList::next(CosemMethodDescriptor& method) { return !items.empty() && read_method(items, method); }
bool ValueList::next(ByteReader& value) { return !items.empty() && axdr::take_value(items, value); }
bool DataResultList::next(DataResult& result) { return !items.empty() && read_data_result(items, result); }
bool AccessResultList::next(DataAccessResult& result) {
  if (items.empty()) return false;
  result = static_cast<DataAccessResult>(items.u8());
  return true;
}
bool ActionResultList::next(ActionItem& item) { return !items.empty() && read_action_item(items, item); }

// ---- Request decoders ----

Decode decode_get_request(ByteReader apdu, GetRequest& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kGetRequest, 3, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<GetRequestType>(type);
  bool parsed = false;
  switch (out.type) {
    case GetRequestType::normal:
      parsed = read_attribute(apdu, out.attribute) && read_access_selection(apdu, out.access);
      break;
    case GetRequestType::next:
      out.block_number = apdu.be32();
      parsed = true;
      break;
    case GetRequestType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_attribute_item);
      break;
  }
  return finish(apdu, parsed);
}

Decode decode_set_request(ByteReader apdu, SetRequest& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kSetRequest, 5, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<SetRequestType>(type);
  bool parsed = false;
  switch (out.type) {
    case SetRequestType::normal:
      parsed = read_attribute(apdu, out.attribute) && read_access_selection(apdu, out.access) &&
               axdr::take_value(apdu, out.value);
      break;
    case SetRequestType::with_first_datablock:
      parsed = read_attribute(apdu, out.attribute) && read_access_selection(apdu, out.access) &&
               read_block(apdu, out.block);
      break;
    case SetRequestType::with_datablock:
      parsed = read_block(apdu, out.block);
      break;
    case SetRequestType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_attribute_item) &&
               read_list(apdu, out.values.count, out.values.items, read_value_item) &&
               out.values.count == out.list.count;
      break;
    case SetRequestType::with_list_and_first_datablock:
      parsed = read_list(apdu, out.list.count, out.list.items, read_attribute_item) && read_block(apdu, out.block);
      break;
  }
  return finish(apdu, parsed);
}

Decode decode_action_request(ByteReader apdu, ActionRequest& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kActionRequest, 6, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<ActionRequestType>(type);
  bool parsed = false;
  switch (out.type) {
    case ActionRequestType::normal:
      parsed = read_method(apdu, out.method) && read_optional_flag(apdu, out.has_parameters) &&
               (!out.has_parameters || axdr::take_value(apdu, out.parameters));
      break;
    case ActionRequestType::next_pblock:
      out.block_number = apdu.be32();
      parsed = true;
      break;
    case ActionRequestType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_method_item) &&
               read_list(apdu, out.values.count, out.values.items, read_value_item) &&
               out.values.count == out.list.count;
      break;
    case ActionRequestType::with_first_pblock:
      parsed = read_method(apdu, out.method) && read_block(apdu, out.block);
      break;
    case ActionRequestType::with_list_and_first_pblock:
      parsed = read_list(apdu, out.list.count, out.list.items, read_method_item) && read_block(apdu, out.block);
      break;
    case ActionRequestType::with_pblock:
      parsed = read_block(apdu, out.block);
      break;
  }
  return finish(apdu, parsed);
}

// ---- Response encoders ----

void put_get_response_data(ByteWriter& w, std::uint8_t invoke_id) {
  put_header(w, kGetResponse, 1, invoke_id);
  w.u8(0);
}

void put_get_response_error(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result) {
  put_header(w, kGetResponse, 1, invoke_id);
  put_list_item_error(w, result);
}

void put_get_response_block_header(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                   std::uint32_t raw_size) {
  put_header(w, kGetResponse, 2, invoke_id);
  put_block_start(w, last, block);
  w.u8(0);
  axdr::put_length(w, raw_size);
}

void put_get_response_block(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                            const std::uint8_t* raw, std::size_t n) {
  put_get_response_block_header(w, invoke_id, last, block, static_cast<std::uint32_t>(n));
  w.bytes(raw, n);
}

void put_get_response_block_error(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                  DataAccessResult result) {
  put_header(w, kGetResponse, 2, invoke_id);
  put_block_start(w, last, block);
  put_list_item_error(w, result);
}

void put_get_response_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count) {
  put_header(w, kGetResponse, 3, invoke_id);
  axdr::put_length(w, count);
}

void put_list_item_data(ByteWriter& w) { w.u8(0); }

void put_list_item_error(ByteWriter& w, DataAccessResult result) {
  w.u8(1);
  w.u8(static_cast<std::uint8_t>(result));
}

void put_set_response(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result) {
  put_header(w, kSetResponse, 1, invoke_id);
  w.u8(static_cast<std::uint8_t>(result));
}

void put_set_response_datablock(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block) {
  put_header(w, kSetResponse, 2, invoke_id);
  w.be32(block);
}

void put_set_response_last_datablock(ByteWriter& w, std::uint8_t invoke_id, DataAccessResult result,
                                     std::uint32_t block) {
  put_header(w, kSetResponse, 3, invoke_id);
  w.u8(static_cast<std::uint8_t>(result));
  w.be32(block);
}

void put_set_response_last_datablock_list(ByteWriter& w, std::uint8_t invoke_id, const DataAccessResult* results,
                                          std::uint32_t count, std::uint32_t block) {
  put_header(w, kSetResponse, 4, invoke_id);
  put_results(w, results, count);
  w.be32(block);
}

void put_set_response_list(ByteWriter& w, std::uint8_t invoke_id, const DataAccessResult* results,
                           std::uint32_t count) {
  put_header(w, kSetResponse, 5, invoke_id);
  put_results(w, results, count);
}

void put_action_response(ByteWriter& w, std::uint8_t invoke_id, ActionResult result) {
  put_header(w, kActionResponse, 1, invoke_id);
  put_action_item(w, result);
}

void put_action_response_data(ByteWriter& w, std::uint8_t invoke_id, ActionResult result) {
  put_header(w, kActionResponse, 1, invoke_id);
  put_action_item_data(w, result);
}

void put_action_response_error(ByteWriter& w, std::uint8_t invoke_id, ActionResult result,
                               DataAccessResult data_result) {
  put_header(w, kActionResponse, 1, invoke_id);
  w.u8(static_cast<std::uint8_t>(result));
  w.u8(1);
  put_list_item_error(w, data_result);
}

void put_action_response_pblock_header(ByteWriter& w, std::uint8_t invoke_id, bool last, std::uint32_t block,
                                       std::uint32_t raw_size) {
  put_header(w, kActionResponse, 2, invoke_id);
  put_block_start(w, last, block);
  axdr::put_length(w, raw_size);
}

void put_action_response_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count) {
  put_header(w, kActionResponse, 3, invoke_id);
  axdr::put_length(w, count);
}

void put_action_item(ByteWriter& w, ActionResult result) {
  w.u8(static_cast<std::uint8_t>(result));
  w.u8(0);
}

void put_action_item_data(ByteWriter& w, ActionResult result) {
  w.u8(static_cast<std::uint8_t>(result));
  w.u8(1);
  put_list_item_data(w);
}

void put_action_response_next_pblock(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block) {
  put_header(w, kActionResponse, 4, invoke_id);
  w.be32(block);
}

void put_exception_response(ByteWriter& w, StateError state, ServiceError service) {
  w.u8(kExceptionResponse);
  w.u8(static_cast<std::uint8_t>(state));
  w.u8(static_cast<std::uint8_t>(service));
}

void put_exception_response_invocation_counter(ByteWriter& w, StateError state, std::uint32_t expected) {
  put_exception_response(w, state, ServiceError::invocation_counter_error);
  w.be32(expected);
}

void put_confirmed_service_error(ByteWriter& w, ConfirmedService service, ServiceErrorType type, std::uint8_t code) {
  w.u8(kConfirmedServiceError);
  w.u8(static_cast<std::uint8_t>(service));
  w.u8(static_cast<std::uint8_t>(type));
  w.u8(code);
}

// ---- General block transfer ----

Decode decode_general_block(ByteReader apdu, GeneralBlock& out) {
  out = {};
  if (apdu.empty() || apdu.peek() != kGeneralBlockTransfer) return Decode::wrong_apdu;
  apdu.u8();
  std::uint8_t control = apdu.u8();
  out.last = (control & 0x80) != 0;
  out.streaming = (control & 0x40) != 0;
  out.window = control & 0x3F;
  out.number = apdu.be16();
  out.ack = apdu.be16();
  return finish(apdu, !apdu.error() && read_raw(apdu, out.data));
}

void put_general_block_header(ByteWriter& w, bool last, bool streaming, std::uint8_t window, std::uint16_t number,
                              std::uint16_t ack, std::uint32_t data_size) {
  w.u8(kGeneralBlockTransfer);
  w.u8(static_cast<std::uint8_t>((last ? 0x80 : 0) | (streaming ? 0x40 : 0) | (window & 0x3F)));
  w.be16(number);
  w.be16(ack);
  axdr::put_length(w, data_size);
}

// ---- Client side: request encoders ----

void put_get_request(ByteWriter& w, std::uint8_t invoke_id, const CosemAttributeDescriptor& attribute,
                     const AccessSelection& access) {
  put_header(w, kGetRequest, 1, invoke_id);
  put_attribute_item(w, attribute, access);
}

void put_get_request_next(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t block) {
  put_header(w, kGetRequest, 2, invoke_id);
  w.be32(block);
}

void put_get_request_list(ByteWriter& w, std::uint8_t invoke_id, std::uint32_t count) {
  put_header(w, kGetRequest, 3, invoke_id);
  axdr::put_length(w, count);
}

void put_attribute_item(ByteWriter& w, const CosemAttributeDescriptor& attribute, const AccessSelection& access) {
  put_descriptor(w, attribute.class_id, attribute.ln, attribute.attribute_id);
  put_access_selection(w, access);
}

void put_set_request(ByteWriter& w, std::uint8_t invoke_id, const CosemAttributeDescriptor& attribute,
                     const AccessSelection& access) {
  put_header(w, kSetRequest, 1, invoke_id);
  put_attribute_item(w, attribute, access);
}

void put_action_request(ByteWriter& w, std::uint8_t invoke_id, const CosemMethodDescriptor& method,
                        bool has_parameters) {
  put_header(w, kActionRequest, 1, invoke_id);
  put_descriptor(w, method.class_id, method.ln, method.method_id);
  w.u8(has_parameters ? 1 : 0);
}

// ---- Client side: response decoders ----

Decode decode_get_response(ByteReader apdu, GetResponse& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kGetResponse, 3, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<GetResponseType>(type);
  bool parsed = false;
  switch (out.type) {
    case GetResponseType::normal:
      parsed = read_data_result(apdu, out.result);
      break;
    case GetResponseType::with_datablock: {
      out.last = apdu.u8() != 0;
      out.block_number = apdu.be32();
      std::uint8_t choice = apdu.u8();
      out.has_raw = choice == 0;
      if (out.has_raw) parsed = read_raw(apdu, out.raw);
      else {
        out.result.error = static_cast<DataAccessResult>(apdu.u8());
        parsed = choice == 1;
      }
      break;
    }
    case GetResponseType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_data_result_item);
      break;
  }
  return finish(apdu, parsed);
}

Decode decode_set_response(ByteReader apdu, SetResponse& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kSetResponse, 5, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<SetResponseType>(type);
  bool parsed = true;
  switch (out.type) {
    case SetResponseType::normal:
      out.result = static_cast<DataAccessResult>(apdu.u8());
      break;
    case SetResponseType::datablock:
      out.block_number = apdu.be32();
      break;
    case SetResponseType::last_datablock:
      out.result = static_cast<DataAccessResult>(apdu.u8());
      out.block_number = apdu.be32();
      break;
    case SetResponseType::last_datablock_with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_access_result);
      out.block_number = apdu.be32();
      break;
    case SetResponseType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_access_result);
      break;
  }
  return finish(apdu, parsed);
}

Decode decode_action_response(ByteReader apdu, ActionResponse& out) {
  out = {};
  std::uint8_t type = 0;
  Decode header = read_header(apdu, kActionResponse, 4, type, out.invoke_id);
  if (header != Decode::ok) return header;
  out.type = static_cast<ActionResponseType>(type);
  bool parsed = true;
  switch (out.type) {
    case ActionResponseType::normal:
      parsed = read_action_item(apdu, out.item);
      break;
    case ActionResponseType::with_pblock:
      parsed = read_block(apdu, out.block);
      break;
    case ActionResponseType::with_list:
      parsed = read_list(apdu, out.list.count, out.list.items, read_action_result_item);
      break;
    case ActionResponseType::next_pblock:
      out.block_number = apdu.be32();
      break;
  }
  return finish(apdu, parsed);
}

Decode decode_exception_response(ByteReader apdu, ExceptionResponse& out) {
  out = {};
  if (apdu.empty() || apdu.peek() != kExceptionResponse) return Decode::wrong_apdu;
  apdu.u8();
  out.state = static_cast<StateError>(apdu.u8());
  out.service = static_cast<ServiceError>(apdu.u8());
  if (out.service == ServiceError::invocation_counter_error) out.invocation_counter = apdu.be32();
  return finish(apdu, true);
}

}  // namespace metergen::xdlms
