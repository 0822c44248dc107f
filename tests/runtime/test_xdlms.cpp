// xDLMS service codecs. Expected bytes are the examples of dlms-protocol.md
// §7–§12 where they exist; the block and with-list variants are worked out by
// hand from the 62056-5-3 layouts recorded in xdlms.hpp (section noted per test).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/xdlms/xdlms.hpp>

namespace metergen::xdlms {
namespace {

using Bytes = std::vector<std::uint8_t>;
using tables::LogicalName;

ByteReader reader(const Bytes& b) { return ByteReader(b.data(), b.size()); }
Bytes bytes_of(const ByteReader& r) { return Bytes(r.current(), r.current() + r.remaining()); }

class Out {
 public:
  ByteWriter w{buf_, sizeof buf_};
  Bytes bytes() const { return Bytes(buf_, buf_ + w.size()); }

 private:
  std::uint8_t buf_[256];
};

constexpr LogicalName kClock{{0, 0, 1, 0, 0, 255}};
constexpr AccessSelection kNoSelection{};

// §7: GET-Request-Normal for Data 0.0.43.1.0.255 attribute 2.
const Bytes kGetNormal{0xC0, 0x01, 0xC1, 0x00, 0x01, 0x00, 0x00, 0x2B, 0x01, 0x00, 0xFF, 0x02, 0x00};

TEST(XdlmsGetRequest, NormalDocumentExample) {
  GetRequest req;
  ASSERT_EQ(decode_get_request(reader(kGetNormal), req), Decode::ok);
  EXPECT_EQ(req.type, GetRequestType::normal);
  EXPECT_EQ(req.invoke_id, 0xC1);
  EXPECT_EQ(req.attribute.class_id, 1);
  EXPECT_EQ(req.attribute.ln, (LogicalName{{0, 0, 43, 1, 0, 255}}));
  EXPECT_EQ(req.attribute.attribute_id, 2);
  EXPECT_FALSE(req.access.present);

  Out out;
  put_get_request(out.w, 0xC1, {1, {{0, 0, 43, 1, 0, 255}}, 2}, kNoSelection);
  EXPECT_EQ(out.bytes(), kGetNormal);
}

TEST(XdlmsGetRequest, EveryTruncationIsMalformed) {
  GetRequest req;
  EXPECT_EQ(decode_get_request(ByteReader(), req), Decode::wrong_apdu);
  for (std::size_t n = 1; n < kGetNormal.size(); ++n)
    EXPECT_EQ(decode_get_request(ByteReader(kGetNormal.data(), n), req), Decode::malformed) << n;
  Bytes trailing = kGetNormal;
  trailing.push_back(0x00);
  EXPECT_EQ(decode_get_request(reader(trailing), req), Decode::malformed);
  Bytes bad_flag = kGetNormal;
  bad_flag.back() = 0x02;  // access-selection OPTIONAL flag must be 00 or 01
  EXPECT_EQ(decode_get_request(reader(bad_flag), req), Decode::malformed);
}

TEST(XdlmsGetRequest, UnknownChoiceAndWrongApdu) {
  GetRequest req;
  EXPECT_EQ(decode_get_request(reader({0xC0, 0x04, 0xC1}), req), Decode::unknown_choice);
  EXPECT_EQ(decode_get_request(reader({0xC0, 0x00}), req), Decode::unknown_choice);
  EXPECT_EQ(decode_get_request(reader({0xC1, 0x01, 0xC1}), req), Decode::wrong_apdu);
}

// §7: GET-Request-With-List for 0.0.42.0.0.255/2 (class 1) and the clock /2 (class 8).
TEST(XdlmsGetRequest, WithListDocumentExample) {
  const Bytes b{0xC0, 0x03, 0xC1, 0x02, 0x00, 0x01, 0x00, 0x00, 0x2A, 0x00, 0x00, 0xFF,
                0x02, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00};
  GetRequest req;
  ASSERT_EQ(decode_get_request(reader(b), req), Decode::ok);
  EXPECT_EQ(req.type, GetRequestType::with_list);
  EXPECT_EQ(req.list.count, 2u);
  CosemAttributeDescriptor a;
  AccessSelection s;
  ASSERT_TRUE(req.list.next(a, s));
  EXPECT_EQ(a.class_id, 1);
  EXPECT_EQ(a.ln, (LogicalName{{0, 0, 42, 0, 0, 255}}));
  EXPECT_FALSE(s.present);
  ASSERT_TRUE(req.list.next(a, s));
  EXPECT_EQ(a.class_id, 8);
  EXPECT_EQ(a.ln, kClock);
  EXPECT_EQ(a.attribute_id, 2);
  EXPECT_FALSE(req.list.next(a, s));

  Out out;
  put_get_request_list(out.w, 0xC1, 2);
  put_attribute_item(out.w, {1, {{0, 0, 42, 0, 0, 255}}, 2}, kNoSelection);
  put_attribute_item(out.w, {8, kClock, 2}, kNoSelection);
  EXPECT_EQ(out.bytes(), b);

  EXPECT_EQ(decode_get_request(reader({0xC0, 0x03, 0xC1, 0x84, 0xFF, 0xFF, 0xFF, 0xFF}), req), Decode::malformed);
  Bytes one_missing(b.begin(), b.begin() + 14);
  EXPECT_EQ(decode_get_request(reader(one_missing), req), Decode::malformed);
}

// §7: GET-Request-Next "C0 02 iid block(4)", block 1 by hand.
TEST(XdlmsGetRequest, Next) {
  const Bytes b{0xC0, 0x02, 0xC1, 0x00, 0x00, 0x00, 0x01};
  GetRequest req;
  ASSERT_EQ(decode_get_request(reader(b), req), Decode::ok);
  EXPECT_EQ(req.type, GetRequestType::next);
  EXPECT_EQ(req.block_number, 1u);
  Out out;
  put_get_request_next(out.w, 0xC1, 1);
  EXPECT_EQ(out.bytes(), b);
}

// §12: profile generic buffer by range; parameters = the whole range descriptor.
TEST(XdlmsGetRequest, SelectiveAccessDocumentExample) {
  const Bytes b{0xC0, 0x01, 0xC1, 0x00, 0x07, 0x01, 0x00, 0x63, 0x01, 0x00, 0xFF, 0x02, 0x01, 0x01,
                0x02, 0x04, 0x02, 0x04, 0x12, 0x00, 0x08, 0x09, 0x06, 0x00, 0x00, 0x01, 0x00, 0x00,
                0xFF, 0x0F, 0x02, 0x12, 0x00, 0x00, 0x09, 0x0C, 0x07, 0xE2, 0x06, 0x01, 0xFF, 0x00,
                0x03, 0x00, 0xFF, 0xFF, 0x88, 0x80, 0x09, 0x0C, 0x07, 0xE5, 0x01, 0x06, 0xFF, 0x00,
                0x03, 0x00, 0xFF, 0xFF, 0xC4, 0x00, 0x01, 0x00};
  GetRequest req;
  ASSERT_EQ(decode_get_request(reader(b), req), Decode::ok);
  EXPECT_EQ(req.attribute.class_id, 7);
  EXPECT_EQ(req.attribute.ln, (LogicalName{{1, 0, 99, 1, 0, 255}}));
  ASSERT_TRUE(req.access.present);
  EXPECT_EQ(req.access.selector, 1);
  EXPECT_EQ(req.access.parameters.current(), b.data() + 14);
  EXPECT_EQ(req.access.parameters.remaining(), b.size() - 14);

  ByteReader p = req.access.parameters;
  std::uint32_t count = 0;
  ASSERT_TRUE(axdr::get_structure(p, count));
  EXPECT_EQ(count, 4u);

  Out out;
  put_get_request(out.w, 0xC1, req.attribute, req.access);
  EXPECT_EQ(out.bytes(), b);

  Bytes broken = b;
  broken[15] = 0x05;  // range descriptor claims five elements
  EXPECT_EQ(decode_get_request(reader(broken), req), Decode::malformed);
}

// §7 response examples: uint32 5009 and hardware fault.
TEST(XdlmsGetResponse, NormalDocumentExamples) {
  const Bytes data{0xC4, 0x01, 0xC1, 0x00, 0x06, 0x00, 0x00, 0x13, 0x91};
  const Bytes fault{0xC4, 0x01, 0xC1, 0x01, 0x01};
  Out out;
  put_get_response_data(out.w, 0xC1);
  axdr::put_double_long_unsigned(out.w, 5009);
  EXPECT_EQ(out.bytes(), data);
  Out out2;
  put_get_response_error(out2.w, 0xC1, DataAccessResult::hardware_fault);
  EXPECT_EQ(out2.bytes(), fault);

  GetResponse rsp;
  ASSERT_EQ(decode_get_response(reader(data), rsp), Decode::ok);
  ASSERT_TRUE(rsp.result.has_data);
  std::uint32_t v = 0;
  ASSERT_TRUE(axdr::get_u32(rsp.result.data, v));
  EXPECT_EQ(v, 5009u);
  ASSERT_EQ(decode_get_response(reader(fault), rsp), Decode::ok);
  EXPECT_FALSE(rsp.result.has_data);
  EXPECT_EQ(rsp.result.error, DataAccessResult::hardware_fault);
}

// §7: datablock header example "C4 02 C1 00 00 00 00 01 00 82 04 9E".
TEST(XdlmsGetResponse, DatablockDocumentExample) {
  Out out;
  put_get_response_block_header(out.w, 0xC1, false, 1, 1182);
  EXPECT_EQ(out.bytes(), (Bytes{0xC4, 0x02, 0xC1, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x82, 0x04, 0x9E}));

  // Last block 2 carrying three raw bytes, and a block error (by hand).
  const Bytes last{0xC4, 0x02, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x03, 0x11, 0x22, 0x33};
  Out out2;
  const std::uint8_t raw[] = {0x11, 0x22, 0x33};
  put_get_response_block(out2.w, 0xC1, true, 2, raw, sizeof raw);
  EXPECT_EQ(out2.bytes(), last);
  GetResponse rsp;
  ASSERT_EQ(decode_get_response(reader(last), rsp), Decode::ok);
  EXPECT_EQ(rsp.type, GetResponseType::with_datablock);
  EXPECT_TRUE(rsp.last);
  EXPECT_EQ(rsp.block_number, 2u);
  ASSERT_TRUE(rsp.has_raw);
  EXPECT_EQ(bytes_of(rsp.raw), (Bytes{0x11, 0x22, 0x33}));

  const Bytes error{0xC4, 0x02, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x13};
  Out out3;
  put_get_response_block_error(out3.w, 0xC1, true, 2, DataAccessResult::data_block_number_invalid);
  EXPECT_EQ(out3.bytes(), error);
  ASSERT_EQ(decode_get_response(reader(error), rsp), Decode::ok);
  EXPECT_FALSE(rsp.has_raw);
  EXPECT_EQ(rsp.result.error, DataAccessResult::data_block_number_invalid);
}

// §7: with-list "C4 03 iid count (00 Data | 01 dar)…": unsigned 5, then object-undefined.
TEST(XdlmsGetResponse, WithList) {
  const Bytes b{0xC4, 0x03, 0xC1, 0x02, 0x00, 0x11, 0x05, 0x01, 0x04};
  Out out;
  put_get_response_list(out.w, 0xC1, 2);
  put_list_item_data(out.w);
  axdr::put_unsigned(out.w, 5);
  put_list_item_error(out.w, DataAccessResult::object_undefined);
  EXPECT_EQ(out.bytes(), b);
  GetResponse rsp;
  ASSERT_EQ(decode_get_response(reader(b), rsp), Decode::ok);
  ASSERT_EQ(rsp.list.count, 2u);
  DataResult item;
  ASSERT_TRUE(rsp.list.next(item));
  EXPECT_TRUE(item.has_data);
  EXPECT_EQ(bytes_of(item.data), (Bytes{0x11, 0x05}));
  ASSERT_TRUE(rsp.list.next(item));
  EXPECT_FALSE(item.has_data);
  EXPECT_EQ(item.error, DataAccessResult::object_undefined);
  EXPECT_FALSE(rsp.list.next(item));
}

// §8: setting the clock to 2021-01-24 14:48:57.80 UTC+1; response "C5 01 C1 00".
const Bytes kSetClock{0xC1, 0x01, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00, 0x09,
                      0x0C, 0x07, 0xE5, 0x01, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50, 0xFF, 0xC4, 0x00};

TEST(XdlmsSetRequest, NormalDocumentExample) {
  SetRequest req;
  ASSERT_EQ(decode_set_request(reader(kSetClock), req), Decode::ok);
  EXPECT_EQ(req.type, SetRequestType::normal);
  EXPECT_EQ(req.attribute.class_id, 8);
  EXPECT_EQ(req.attribute.ln, kClock);
  EXPECT_EQ(req.attribute.attribute_id, 2);
  EXPECT_EQ(req.value.remaining(), 14u);
  axdr::DateTime t{};
  ASSERT_TRUE(axdr::get_date_time(req.value, t));
  EXPECT_EQ(t.year, 2021);
  EXPECT_EQ(t.deviation, -60);

  Out out;
  put_set_request(out.w, 0xC1, {8, kClock, 2}, kNoSelection);
  axdr::put_date_time_octets(out.w, t);
  EXPECT_EQ(out.bytes(), kSetClock);

  for (std::size_t n = 1; n < kSetClock.size(); ++n)
    EXPECT_EQ(decode_set_request(ByteReader(kSetClock.data(), n), req), Decode::malformed) << n;
  EXPECT_EQ(decode_set_request(reader({0xC1, 0x06, 0xC1}), req), Decode::unknown_choice);
}

TEST(XdlmsSetResponse, AllTypes) {
  struct Case {
    void (*encode)(ByteWriter&);
    Bytes expected;  // by hand from the SET-Response layouts in xdlms.hpp
  };
  const Case cases[] = {
      {[](ByteWriter& w) { put_set_response(w, 0xC1, DataAccessResult::success); }, {0xC5, 0x01, 0xC1, 0x00}},
      {[](ByteWriter& w) { put_set_response_datablock(w, 0xC1, 1); }, {0xC5, 0x02, 0xC1, 0x00, 0x00, 0x00, 0x01}},
      {[](ByteWriter& w) { put_set_response_last_datablock(w, 0xC1, DataAccessResult::type_unmatched, 2); },
       {0xC5, 0x03, 0xC1, 0x0C, 0x00, 0x00, 0x00, 0x02}},
      {[](ByteWriter& w) {
         const DataAccessResult r[] = {DataAccessResult::success, DataAccessResult::read_write_denied};
         put_set_response_last_datablock_list(w, 0xC1, r, 2, 3);
       },
       {0xC5, 0x04, 0xC1, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03}},
      {[](ByteWriter& w) {
         const DataAccessResult r[] = {DataAccessResult::success, DataAccessResult::read_write_denied};
         put_set_response_list(w, 0xC1, r, 2);
       },
       {0xC5, 0x05, 0xC1, 0x02, 0x00, 0x03}},
  };
  for (const Case& c : cases) {
    Out out;
    c.encode(out.w);
    EXPECT_EQ(out.bytes(), c.expected);
    SetResponse rsp;
    EXPECT_EQ(decode_set_response(reader(c.expected), rsp), Decode::ok);
  }
  SetResponse rsp;
  ASSERT_EQ(decode_set_response(reader(cases[3].expected), rsp), Decode::ok);
  EXPECT_EQ(rsp.block_number, 3u);
  DataAccessResult r;
  ASSERT_TRUE(rsp.list.next(r));
  ASSERT_TRUE(rsp.list.next(r));
  EXPECT_EQ(r, DataAccessResult::read_write_denied);
  EXPECT_FALSE(rsp.list.next(r));
  ASSERT_EQ(decode_set_response(reader(cases[2].expected), rsp), Decode::ok);
  EXPECT_EQ(rsp.result, DataAccessResult::type_unmatched);
  EXPECT_EQ(rsp.block_number, 2u);
}

// SET block and list requests, by hand from the layouts in xdlms.hpp.
TEST(XdlmsSetRequest, Datablocks) {
  const Bytes first{0xC1, 0x02, 0xC1, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02,
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x09, 0x0C};
  SetRequest req;
  ASSERT_EQ(decode_set_request(reader(first), req), Decode::ok);
  EXPECT_EQ(req.type, SetRequestType::with_first_datablock);
  EXPECT_EQ(req.attribute.ln, kClock);
  EXPECT_FALSE(req.block.last);
  EXPECT_EQ(req.block.number, 1u);
  EXPECT_EQ(bytes_of(req.block.raw), (Bytes{0x09, 0x0C}));

  const Bytes next{0xC1, 0x03, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x02, 0x03, 0xAA, 0xBB, 0xCC};
  ASSERT_EQ(decode_set_request(reader(next), req), Decode::ok);
  EXPECT_EQ(req.type, SetRequestType::with_datablock);
  EXPECT_TRUE(req.block.last);
  EXPECT_EQ(req.block.number, 2u);
  EXPECT_EQ(bytes_of(req.block.raw), (Bytes{0xAA, 0xBB, 0xCC}));
  const Bytes overlong{0xC1, 0x03, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x02, 0x04, 0xAA, 0xBB, 0xCC};
  EXPECT_EQ(decode_set_request(reader(overlong), req), Decode::malformed);

  const Bytes list_first{0xC1, 0x05, 0xC1, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02,
                         0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00};
  ASSERT_EQ(decode_set_request(reader(list_first), req), Decode::ok);
  EXPECT_EQ(req.list.count, 1u);
  EXPECT_EQ(bytes_of(req.block.raw), (Bytes{0x00}));
}

TEST(XdlmsSetRequest, WithList) {
  // clock/3 (time_zone) = long -60 and clock/9 (clock_base) = enum 1.
  const Bytes b{0xC1, 0x04, 0xC1, 0x02, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x03, 0x00,
                0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x09, 0x00, 0x02, 0x10, 0xFF, 0xC4,
                0x16, 0x01};
  SetRequest req;
  ASSERT_EQ(decode_set_request(reader(b), req), Decode::ok);
  EXPECT_EQ(req.type, SetRequestType::with_list);
  ASSERT_EQ(req.list.count, 2u);
  ASSERT_EQ(req.values.count, 2u);
  CosemAttributeDescriptor a;
  AccessSelection s;
  ByteReader v;
  ASSERT_TRUE(req.list.next(a, s));
  EXPECT_EQ(a.attribute_id, 3);
  ASSERT_TRUE(req.values.next(v));
  std::int16_t tz = 0;
  ASSERT_TRUE(axdr::get_i16(v, tz));
  EXPECT_EQ(tz, -60);
  ASSERT_TRUE(req.list.next(a, s));
  EXPECT_EQ(a.attribute_id, 9);
  ASSERT_TRUE(req.values.next(v));
  EXPECT_EQ(bytes_of(v), (Bytes{0x16, 0x01}));

  Bytes mismatch(b.begin(), b.end() - 2);
  mismatch[24] = 0x01;  // one value for two descriptors
  EXPECT_EQ(decode_set_request(reader(mismatch), req), Decode::malformed);
}

// §9: HLS pass 3, reply_to_HLS_authentication on 0.0.40.0.0.255 with
// f(StoC) = 10 | IC 00001A90 | 12-byte GMAC (GMAC bytes arbitrary here).
TEST(XdlmsActionRequest, HlsDocumentExample) {
  const Bytes b{0xC3, 0x01, 0xC0, 0x00, 0x0F, 0x00, 0x00, 0x28, 0x00, 0x00, 0xFF, 0x01, 0x01, 0x09, 0x11,
                0x10, 0x00, 0x00, 0x1A, 0x90, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  ActionRequest req;
  ASSERT_EQ(decode_action_request(reader(b), req), Decode::ok);
  EXPECT_EQ(req.type, ActionRequestType::normal);
  EXPECT_EQ(req.invoke_id, 0xC0);
  EXPECT_EQ(req.method.class_id, 15);
  EXPECT_EQ(req.method.ln, (LogicalName{{0, 0, 40, 0, 0, 255}}));
  EXPECT_EQ(req.method.method_id, 1);
  ASSERT_TRUE(req.has_parameters);
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  ASSERT_TRUE(axdr::get_octet_string_view(req.parameters, p, n));
  EXPECT_EQ(n, 17u);
  EXPECT_EQ(p[0], 0x10);

  Out out;
  put_action_request(out.w, 0xC0, req.method, true);
  axdr::put_octet_string(out.w, p, n);
  EXPECT_EQ(out.bytes(), b);

  for (std::size_t cut = 1; cut < b.size(); ++cut)
    EXPECT_EQ(decode_action_request(ByteReader(b.data(), cut), req), Decode::malformed) << cut;
  const Bytes no_params{0xC3, 0x01, 0xC1, 0x00, 0x46, 0x00, 0x00, 0x60, 0x03, 0x0A, 0xFF, 0x01, 0x00};
  ASSERT_EQ(decode_action_request(reader(no_params), req), Decode::ok);
  EXPECT_EQ(req.method.class_id, 70);
  EXPECT_FALSE(req.has_parameters);
  EXPECT_EQ(decode_action_request(reader({0xC3, 0x07, 0xC1}), req), Decode::unknown_choice);
}

TEST(XdlmsActionRequest, BlocksAndList) {
  ActionRequest req;
  ASSERT_EQ(decode_action_request(reader({0xC3, 0x02, 0xC1, 0x00, 0x00, 0x00, 0x03}), req), Decode::ok);
  EXPECT_EQ(req.type, ActionRequestType::next_pblock);
  EXPECT_EQ(req.block_number, 3u);

  const Bytes pblock{0xC3, 0x06, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x02, 0x02, 0xAA, 0xBB};
  ASSERT_EQ(decode_action_request(reader(pblock), req), Decode::ok);
  EXPECT_EQ(req.type, ActionRequestType::with_pblock);
  EXPECT_TRUE(req.block.last);
  EXPECT_EQ(bytes_of(req.block.raw), (Bytes{0xAA, 0xBB}));

  const Bytes first{0xC3, 0x04, 0xC1, 0x00, 0x0F, 0x00, 0x00, 0x28, 0x00, 0x00, 0xFF, 0x02,
                    0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x09};
  ASSERT_EQ(decode_action_request(reader(first), req), Decode::ok);
  EXPECT_EQ(req.method.method_id, 2);
  EXPECT_FALSE(req.block.last);

  // disconnect 0.0.96.3.10.255 method 1 with parameter integer 0
  const Bytes list{0xC3, 0x03, 0xC1, 0x01, 0x00, 0x46, 0x00, 0x00, 0x60, 0x03, 0x0A, 0xFF, 0x01,
                   0x01, 0x0F, 0x00};
  ASSERT_EQ(decode_action_request(reader(list), req), Decode::ok);
  CosemMethodDescriptor m;
  ASSERT_TRUE(req.list.next(m));
  EXPECT_EQ(m.class_id, 70);
  ByteReader v;
  ASSERT_TRUE(req.values.next(v));
  EXPECT_EQ(bytes_of(v), (Bytes{0x0F, 0x00}));
  EXPECT_FALSE(req.list.next(m));

  const Bytes list_first{0xC3, 0x05, 0xC1, 0x01, 0x00, 0x46, 0x00, 0x00, 0x60, 0x03, 0x0A, 0xFF, 0x01,
                         0x01, 0x00, 0x00, 0x00, 0x01, 0x00};
  ASSERT_EQ(decode_action_request(reader(list_first), req), Decode::ok);
  EXPECT_EQ(req.type, ActionRequestType::with_list_and_first_pblock);
  EXPECT_EQ(req.block.raw.remaining(), 0u);
}

// §9: "C7 01 C0 00 00"; the other forms by hand from the ACTION-Response layout.
TEST(XdlmsActionResponse, AllForms) {
  Out plain;
  put_action_response(plain.w, 0xC0, ActionResult::success);
  EXPECT_EQ(plain.bytes(), (Bytes{0xC7, 0x01, 0xC0, 0x00, 0x00}));

  const Bytes with_data{0xC7, 0x01, 0xC0, 0x00, 0x01, 0x00, 0x09, 0x02, 0xAB, 0xCD};
  Out data;
  put_action_response_data(data.w, 0xC0, ActionResult::success);
  const std::uint8_t ret[] = {0xAB, 0xCD};
  axdr::put_octet_string(data.w, ret, 2);
  EXPECT_EQ(data.bytes(), with_data);
  ActionResponse rsp;
  ASSERT_EQ(decode_action_response(reader(with_data), rsp), Decode::ok);
  EXPECT_EQ(rsp.item.result, ActionResult::success);
  ASSERT_TRUE(rsp.item.has_return);
  EXPECT_TRUE(rsp.item.return_value.has_data);
  EXPECT_EQ(bytes_of(rsp.item.return_value.data), (Bytes{0x09, 0x02, 0xAB, 0xCD}));

  Out error;
  put_action_response_error(error.w, 0xC0, ActionResult::other_reason, DataAccessResult::temporary_failure);
  EXPECT_EQ(error.bytes(), (Bytes{0xC7, 0x01, 0xC0, 0xFA, 0x01, 0x01, 0x02}));

  Out pblock;
  put_action_response_pblock_header(pblock.w, 0xC1, true, 1, 2);
  pblock.w.u8(0x00);
  pblock.w.u8(0x00);
  const Bytes pblock_bytes{0xC7, 0x02, 0xC1, 0x01, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00};
  EXPECT_EQ(pblock.bytes(), pblock_bytes);
  ASSERT_EQ(decode_action_response(reader(pblock_bytes), rsp), Decode::ok);
  EXPECT_TRUE(rsp.block.last);

  Out list;
  put_action_response_list(list.w, 0xC1, 2);
  put_action_item(list.w, ActionResult::success);
  put_action_item_data(list.w, ActionResult::success);
  axdr::put_null(list.w);
  const Bytes list_bytes{0xC7, 0x03, 0xC1, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
  EXPECT_EQ(list.bytes(), list_bytes);
  ASSERT_EQ(decode_action_response(reader(list_bytes), rsp), Decode::ok);
  ActionItem item;
  ASSERT_TRUE(rsp.list.next(item));
  EXPECT_FALSE(item.has_return);
  ASSERT_TRUE(rsp.list.next(item));
  EXPECT_TRUE(item.has_return);
  EXPECT_FALSE(rsp.list.next(item));

  Out next;
  put_action_response_next_pblock(next.w, 0xC1, 4);
  EXPECT_EQ(next.bytes(), (Bytes{0xC7, 0x04, 0xC1, 0x00, 0x00, 0x00, 0x04}));
}

// §11: "D8 01 02" for an unknown service, "D8 <state> 06 <counter>" for a stale counter.
TEST(XdlmsErrors, ExceptionResponse) {
  Out out;
  put_exception_response(out.w, StateError::service_not_allowed, ServiceError::service_not_supported);
  EXPECT_EQ(out.bytes(), (Bytes{0xD8, 0x01, 0x02}));
  Out ic;
  put_exception_response_invocation_counter(ic.w, StateError::service_not_allowed, 0x2A);
  const Bytes ic_bytes{0xD8, 0x01, 0x06, 0x00, 0x00, 0x00, 0x2A};
  EXPECT_EQ(ic.bytes(), ic_bytes);
  ExceptionResponse e;
  ASSERT_EQ(decode_exception_response(reader(ic_bytes), e), Decode::ok);
  EXPECT_EQ(e.service, ServiceError::invocation_counter_error);
  EXPECT_EQ(e.invocation_counter, 0x2Au);
  EXPECT_EQ(decode_exception_response(reader({0xD8, 0x01}), e), Decode::malformed);

  // §11: confirmedServiceError "0E <service> <error-type> <code>": write, access, 1.
  Out cse;
  put_confirmed_service_error(cse.w, ConfirmedService::write, ServiceErrorType::access, 1);
  EXPECT_EQ(cse.bytes(), (Bytes{0x0E, 0x06, 0x05, 0x01}));
}

// §15: E0 | control | block(2) | ack(2) | length + bytes.
TEST(XdlmsGeneralBlock, HeaderAndDecode) {
  const Bytes b{0xE0, 0x81, 0x00, 0x02, 0x00, 0x01, 0x02, 0xAA, 0xBB};
  Out out;
  put_general_block_header(out.w, true, false, 1, 2, 1, 2);
  out.w.u8(0xAA);
  out.w.u8(0xBB);
  EXPECT_EQ(out.bytes(), b);
  GeneralBlock g;
  ASSERT_EQ(decode_general_block(reader(b), g), Decode::ok);
  EXPECT_TRUE(g.last);
  EXPECT_FALSE(g.streaming);
  EXPECT_EQ(g.window, 1);
  EXPECT_EQ(g.number, 2);
  EXPECT_EQ(g.ack, 1);
  EXPECT_EQ(bytes_of(g.data), (Bytes{0xAA, 0xBB}));
  EXPECT_EQ(decode_general_block(ByteReader(b.data(), b.size() - 1), g), Decode::malformed);
}

}  // namespace
}  // namespace metergen::xdlms
