// `metergen listen`'s reading of one connection (client/notification_reader):
// wrapper frames written by hand from the Green Book (version 1, source and
// destination wPort, length, APDU) holding DataNotifications (tag 0x0F,
// long-invoke-id-and-priority, date-time octet-string, body Data).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "client/notification_reader.hpp"

namespace {

using metergen::client::Bytes;
using metergen::client::NotificationConnection;
using metergen::client::NotificationPrinter;

Bytes hex(const std::string& text) {
  Bytes b;
  std::istringstream in(text);
  for (std::string byte; in >> byte;) b.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
  return b;
}

// wPort 1 -> 102; a structure that promises two elements and holds one, then
// a notification with invoke id 2 and body long-unsigned 5; fed a byte at a time.
TEST(NotificationReader, AMalformedNotificationIsReportedAndTheNextOnePrinted) {
  const Bytes bytes = hex("00 01 00 01 00 66 00 09  0F 00 00 00 01 00 02 02 12 "
                          "00 01 00 01 00 66 00 09  0F 00 00 00 02 00 12 00 05");
  std::ostringstream out, err;
  NotificationPrinter printer({}, true, out, err);
  NotificationConnection connection;
  for (std::uint8_t b : bytes) ASSERT_TRUE(connection.feed(&b, 1, printer, 10, err)) << err.str();
  EXPECT_EQ(printer.printed(), 1);
  EXPECT_EQ(out.str(),
            "{\"source_wport\":1,\"destination_wport\":102,\"long_invoke_id_and_priority\":2,\"invoke_id\":2,"
            "\"date_time\":null,\"body\":{\"type\":\"long-unsigned\",\"value\":5}}\n");
  EXPECT_NE(err.str().find("wPort 1 -> 102: not a DataNotification (9 bytes)"), std::string::npos)
      << err.str();
}

// A visible-string body holding a byte that is not UTF-8 (0xFF): the JSON line
// carries U+FFFD in its place instead of failing to be written.
TEST(NotificationReader, TextThatIsNotUtf8IsPrintedWithReplacementCharacters) {
  const Bytes bytes = hex("00 01 00 01 00 66 00 0A  0F 00 00 00 03 00 0A 02 41 FF");
  std::ostringstream out, err;
  NotificationPrinter printer({}, true, out, err);
  NotificationConnection connection;
  ASSERT_TRUE(connection.feed(bytes.data(), bytes.size(), printer, 10, err));
  EXPECT_EQ(out.str(),
            "{\"source_wport\":1,\"destination_wport\":102,\"long_invoke_id_and_priority\":3,\"invoke_id\":3,"
            "\"date_time\":null,\"body\":{\"type\":\"visible-string\",\"value\":\"A\xEF\xBF\xBD\"}}\n");
}

TEST(NotificationReader, AnotherWrapperVersionEndsTheConnection) {
  const Bytes bytes = hex("00 02 00 01 00 66 00 01 0F");
  std::ostringstream out, err;
  NotificationPrinter printer({}, false, out, err);
  NotificationConnection connection;
  EXPECT_FALSE(connection.feed(bytes.data(), bytes.size(), printer, 10, err));
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
