#include "values.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace metergen {

namespace {

using cosem::DataType;

void put_length(std::vector<std::uint8_t>& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
  }
}

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

bool parse_integer(const std::string& s, long long& v) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  int base = (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
  v = std::strtoll(s.c_str(), &end, base);
  return errno == 0 && end == s.c_str() + s.size();
}

struct IntSpec {
  DataType type;
  long long min;
  long long max;
  int bytes;
};

}  // namespace

Encoded encode_value(DataType type, const std::string& text) {
  Encoded e;
  static const IntSpec ints[] = {
      {DataType::integer, -128, 127, 1},
      {DataType::long_, -32768, 32767, 2},
      {DataType::double_long, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(), 4},
      {DataType::long64, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max(), 8},
      {DataType::unsigned_, 0, 255, 1},
      {DataType::enum_, 0, 255, 1},
      {DataType::long_unsigned, 0, 65535, 2},
      {DataType::double_long_unsigned, 0, 4294967295LL, 4},
      {DataType::long64_unsigned, 0, std::numeric_limits<long long>::max(), 8},
  };
  e.bytes.push_back(static_cast<std::uint8_t>(type));
  for (const auto& is : ints) {
    if (is.type != type) continue;
    long long v = 0;
    if (!parse_integer(text, v) || v < is.min || v > is.max) {
      e.problem = "does not fit type " + std::string(cosem::data_type_info(type).name);
      e.expected = "an integer in " + std::to_string(is.min) + ".." + std::to_string(is.max);
      return e;
    }
    put_be(e.bytes, static_cast<std::uint64_t>(v), is.bytes);
    return e;
  }
  switch (type) {
    case DataType::boolean:
      if (text != "true" && text != "false") {
        e.problem = "is not a boolean";
        e.expected = "true or false";
        return e;
      }
      e.bytes.push_back(text == "true" ? 0xFF : 0x00);
      return e;
    case DataType::visible_string:
    case DataType::utf8_string:
      put_length(e.bytes, text.size());
      e.bytes.insert(e.bytes.end(), text.begin(), text.end());
      return e;
    case DataType::octet_string: {
      if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        std::string hex = text.substr(2);
        if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
          e.problem = "is not hexadecimal octets";
          e.expected = "0x followed by an even number of hex digits";
          return e;
        }
        put_length(e.bytes, hex.size() / 2);
        for (std::size_t i = 0; i < hex.size(); i += 2)
          e.bytes.push_back(static_cast<std::uint8_t>(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
        return e;
      }
      put_length(e.bytes, text.size());
      e.bytes.insert(e.bytes.end(), text.begin(), text.end());
      return e;
    }
    case DataType::bit_string: {
      if (text.find_first_not_of("01") != std::string::npos) {
        e.problem = "is not a bit string";
        e.expected = "a string of 0 and 1";
        return e;
      }
      put_length(e.bytes, text.size());
      for (std::size_t i = 0; i < text.size(); i += 8) {
        std::uint8_t b = 0;
        for (std::size_t k = 0; k < 8 && i + k < text.size(); ++k)
          if (text[i + k] == '1') b = static_cast<std::uint8_t>(b | (0x80 >> k));
        e.bytes.push_back(b);
      }
      return e;
    }
    case DataType::float32:
    case DataType::float64: {
      errno = 0;
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (errno != 0 || end != text.c_str() + text.size() || text.empty()) {
        e.problem = "is not a number";
        e.expected = "a decimal number";
        return e;
      }
      if (type == DataType::float32) {
        float f = static_cast<float>(d);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        put_be(e.bytes, bits, 4);
      } else {
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        put_be(e.bytes, bits, 8);
      }
      return e;
    }
    default:
      e.problem = "cannot be given as a static value of type " + std::string(cosem::data_type_info(type).name);
      e.expected = "a runtime source instead";
      return e;
  }
}

}  // namespace metergen
