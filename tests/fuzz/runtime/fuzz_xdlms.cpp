// Fuzz harness for the xDLMS request and response decoders on arbitrary bytes:
// every decoder must return without reading outside the input, and the lists
// of a decoded APDU must yield exactly their count of items.
#include <cstddef>
#include <cstdint>

#include <metergen/xdlms/xdlms.hpp>

using namespace metergen;
using namespace metergen::xdlms;

namespace {

void check(bool condition) {
  if (!condition) __builtin_trap();
}

void drain(AttributeList list) {
  CosemAttributeDescriptor a;
  AccessSelection s;
  std::uint32_t n = 0;
  while (list.next(a, s)) ++n;
  check(n == list.count);
}

void drain(ValueList list) {
  ByteReader v;
  std::uint32_t n = 0;
  while (list.next(v)) ++n;
  check(n == list.count);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteReader apdu(data, size);
  GetRequest get;
  if (decode_get_request(apdu, get) == Decode::ok && get.type == GetRequestType::with_list) drain(get.list);
  SetRequest set;
  if (decode_set_request(apdu, set) == Decode::ok) {
    drain(set.list);
    drain(set.values);
  }
  ActionRequest action;
  if (decode_action_request(apdu, action) == Decode::ok) {
    CosemMethodDescriptor m;
    std::uint32_t n = 0;
    while (action.list.next(m)) ++n;
    check(n == action.list.count);
    drain(action.values);
  }
  GeneralBlock block;
  decode_general_block(apdu, block);
  GetResponse get_response;
  if (decode_get_response(apdu, get_response) == Decode::ok) {
    DataResult d;
    while (get_response.list.next(d)) {
    }
  }
  SetResponse set_response;
  decode_set_response(apdu, set_response);
  ActionResponse action_response;
  if (decode_action_response(apdu, action_response) == Decode::ok) {
    ActionItem item;
    while (action_response.list.next(item)) {
    }
  }
  ExceptionResponse exception;
  decode_exception_response(apdu, exception);
  return 0;
}
