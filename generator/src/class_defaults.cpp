#include "class_defaults.hpp"

#include <metergen/hdlc/parameters.hpp>
#include <metergen/hdlc/server_link.hpp>
#include <metergen/wrapper/wrapper.hpp>

#include "values.hpp"

namespace metergen {

namespace {

using cosem::DataType;

struct Row {
  int class_id;
  int index;
  DataType type;
  std::string text;  // encode_value's text form; the empty array is written out below
  const char* origin;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      // Image transfer (IC 18): the runtime takes no image, so none is ever begun.
      {18, 2, DataType::double_long_unsigned, "0", "meter: no image transfer, no block size"},
      {18, 3, DataType::bit_string, "", "meter: no image transfer, no block received"},
      {18, 4, DataType::double_long_unsigned, "0", "meter: no image transfer, no block received"},
      {18, 5, DataType::boolean, "false", "meter: image transfer not enabled"},
      {18, 6, DataType::enum_, "0", "meter: image transfer not initiated"},
      {18, 7, DataType::array, "", "meter: no image to activate"},
      // IEC local port setup (IC 19): the runtime's ports speak HDLC from the
      // first byte, at the link's speed, without an IEC 62056-21 address or passwords.
      {19, 2, DataType::enum_, "1", "meter: IEC 62056-46 (HDLC) directly"},
      {19, 3, DataType::enum_, "5", "Blue Book default: 9600 Bd"},
      {19, 4, DataType::enum_, "5", "Blue Book default: 9600 Bd"},
      {19, 5, DataType::enum_, "0", "Blue Book default: 20 ms"},
      {19, 6, DataType::octet_string, "", "meter: no IEC 62056-21 device address"},
      {19, 7, DataType::octet_string, "", "meter: no IEC 62056-21 password"},
      {19, 8, DataType::octet_string, "", "meter: no IEC 62056-21 password"},
      {19, 9, DataType::octet_string, "", "meter: no IEC 62056-21 password"},
      // IEC HDLC setup (IC 23): what the runtime's server link (hdlc::ServerLink)
      // does when the spec says nothing; the spec's windows, lengths and timeouts drive it.
      {23, 2, DataType::enum_, "5", "Blue Book default: 9600 Bd"},
      {23, 3, DataType::unsigned_, std::to_string(hdlc::kDefaultWindow), "IEC 62056-46 default: window 1"},
      {23, 4, DataType::unsigned_, std::to_string(hdlc::kDefaultWindow), "IEC 62056-46 default: window 1"},
      {23, 5, DataType::long_unsigned, std::to_string(hdlc::kDefaultMaxInfo), "IEC 62056-46 default: 128 bytes"},
      {23, 6, DataType::long_unsigned, std::to_string(hdlc::kDefaultMaxInfo), "IEC 62056-46 default: 128 bytes"},
      {23, 7, DataType::long_unsigned, std::to_string(hdlc::kDefaultInterOctetMs), "Blue Book default: 25 ms"},
      {23, 8, DataType::long_unsigned, std::to_string(hdlc::kDefaultInactivityS), "Blue Book default: 120 s"},
      {23, 9, DataType::long_unsigned, std::to_string(hdlc::kDefaultServerAddress.physical),
       "meter: HDLC physical address"},
      // TCP-UDP setup (IC 41): the host meter's wrapper listener.
      {41, 2, DataType::long_unsigned, std::to_string(wrapper::kDlmsPort), "meter: DLMS/COSEM wrapper port"},
      {41, 3, DataType::octet_string, "0x0000190100FF", "Blue Book: the IPv4 setup 0.0.25.1.0.255"},
      {41, 4, DataType::long_unsigned, "576", "Blue Book default: MSS 576"},
      {41, 5, DataType::unsigned_, "8", "meter: the host meter's connection limit"},
      {41, 6, DataType::long_unsigned, "120", "meter: the host meter's idle timeout"},
  };
  return table;
}

}  // namespace

std::optional<ClassDefault> class_default(int class_id, int index) {
  for (const Row& r : rows()) {
    if (r.class_id != class_id || r.index != index) continue;
    if (r.type == DataType::array) return ClassDefault{{0x01, 0x00}, r.origin};
    return ClassDefault{encode_value(r.type, r.text).bytes, r.origin};
  }
  return std::nullopt;
}

}  // namespace metergen
