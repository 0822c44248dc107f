// Rendering one display item as the LCD shows it (docs/display.md, Rendering).
#include <metergen/axdr/axdr.hpp>
#include <metergen/bytes.hpp>
#include <metergen/display/display.hpp>

namespace metergen::display {

namespace {

using tables::DataType;
using tables::DisplayFormat;

// The texts drawn, as arrays rather than string literals: the linker would merge
// literals across files, which the firmware footprint report cannot attribute.
constexpr char kNotSpecified[] = "--";
constexpr char kNoValue[] = "----";  // a value the LCD cannot show
constexpr char kOff[] = "off";
constexpr char kField[] = " | ";
constexpr char kLastField[] = " |";
constexpr char kFlags[][14] = {" relay-open", " L1", " L2", " L3", " alarm", " test", " all-segments"};

// A bounded text builder over a NUL-terminated char array.
class Text {
 public:
  Text(char* out, std::size_t cap) : out_(out), cap_(cap) { out_[0] = '\0'; }
  void put(char c) {
    if (n_ + 1 >= cap_) return;
    out_[n_++] = c;
    out_[n_] = '\0';
  }
  void put(const char* s) {
    while (*s) put(*s++);
  }
  void two_digits(unsigned v, unsigned not_specified) {
    if (v == not_specified) return put(kNotSpecified);
    put(static_cast<char>('0' + v / 10 % 10));
    put(static_cast<char>('0' + v % 10));
  }
  std::size_t size() const { return n_; }

 private:
  char* out_;
  std::size_t cap_;
  std::size_t n_ = 0;
};

void copy(char* out, std::size_t cap, const char* s) {
  Text t(out, cap);
  t.put(s);
}

std::int64_t pow10(int e) {
  std::int64_t p = 1;
  for (int i = 0; i < e && i < 18; ++i) p *= 10;
  return p;
}

// `raw` x 10^(scaler - shift) with `decimals` decimals, truncated toward zero
// (a shown energy never exceeds the register), the lowest `digits` digits kept
// as a register rolls over.
void number(Text& t, std::int64_t raw, int scaler, const tables::DisplayItemDef& item) {
  const int e = scaler - item.unit_shift + item.decimals;
  std::int64_t n = e >= 0 ? raw * pow10(e) : raw / pow10(-e);
  if (n < 0) t.put('-');
  std::uint64_t u = n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
  if (item.digits > 0 && item.digits < 19) u %= static_cast<std::uint64_t>(pow10(item.digits));
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0 || count <= item.decimals);
  while (count > 0) {
    if (count == item.decimals) t.put('.');
    t.put(digits[--count]);
  }
}

void hex(Text& t, std::uint64_t v, int width) {
  static const char kHex[] = "0123456789ABCDEF";
  for (int i = width - 1; i >= 0; --i) t.put(kHex[(v >> (4 * i)) & 0xF]);
}

void date(Text& t, const std::uint8_t* d) {  // year hi, lo, month, day, weekday: dd-mm-yy
  const unsigned year = static_cast<unsigned>(d[0] << 8 | d[1]);
  t.two_digits(d[3], 0xFF);
  t.put('-');
  t.two_digits(d[2], 0xFF);
  t.put('-');
  t.two_digits(year == 0xFFFF ? 0xFF : year % 100, 0xFF);
}

void time(Text& t, const std::uint8_t* d, bool seconds) {  // hour, minute, second, hundredths: hh:mm:ss
  t.two_digits(d[0], 0xFF);
  t.put(':');
  t.two_digits(d[1], 0xFF);
  if (!seconds) return;
  t.put(':');
  t.two_digits(d[2], 0xFF);
}

// An octet-string: a date (5), a time (4) or a date-time (12) as the item's
// format asks, else text when printable, else hex.
void octets(Text& t, const std::uint8_t* p, std::size_t n, DisplayFormat f) {
  const bool is_dt = n == 12;
  if (f == DisplayFormat::date && (n == 5 || is_dt)) return date(t, p);
  if (f == DisplayFormat::time && (n == 4 || is_dt)) return time(t, is_dt ? p + 5 : p, true);
  if (f != DisplayFormat::hex) {
    if (is_dt) {
      date(t, p);
      t.put(' ');
      return time(t, p + 5, false);
    }
    if (n == 5) return date(t, p);
    if (n == 4) return time(t, p, true);
    bool printable = n > 0;
    for (std::size_t i = 0; i < n; ++i) printable = printable && p[i] >= 0x20 && p[i] < 0x7F;
    if (printable) {
      for (std::size_t i = 0; i < n; ++i) t.put(static_cast<char>(p[i]));
      return;
    }
  }
  for (std::size_t i = 0; i < n; ++i) hex(t, p[i], 2);
}

// Width in hex digits of an integer type's value.
int hex_width(DataType type) {
  switch (type) {
    case DataType::integer: case DataType::unsigned_: case DataType::enum_: case DataType::boolean: return 2;
    case DataType::long_: case DataType::long_unsigned: return 4;
    case DataType::long64: case DataType::long64_unsigned: return 16;
    default: return 8;
  }
}

// The scaler a read value carries: the object's, for the values of registers.
int scaler_of(const tables::ObjectDef& d, std::int8_t attribute) {
  const bool value = attribute == 2 || (d.class_id == 5 && attribute == 3);
  return d.unit != 0 && value ? d.scaler : 0;
}

void value(Text& t, const tables::ObjectDef& d, const tables::DisplayItemDef& item, ByteReader r) {
  const auto type = static_cast<DataType>(r.remaining() ? r.peek() : 0);
  std::int64_t v = 0;
  const std::uint8_t* p = nullptr;
  std::size_t n = 0;
  bool b = false;
  ByteReader copy_r = r;
  if (type == DataType::boolean && axdr::get_bool(copy_r, b)) v = b;
  if (type == DataType::boolean || axdr::get_integer_any(r, v)) {
    if (item.format == DisplayFormat::hex) return hex(t, static_cast<std::uint64_t>(v), hex_width(type));
    return number(t, v, scaler_of(d, item.attribute), item);
  }
  if (axdr::get_octet_string_view(r, p, n) || axdr::get_visible_string_view(r, p, n))
    return octets(t, p, n, item.format);
  if (type == DataType::bit_string && r.u8()) {
    const std::uint32_t bits = axdr::get_length(r);
    for (std::uint32_t i = 0; i < (bits + 7) / 8 && r.remaining(); ++i) hex(t, r.u8(), 2);
    return;
  }
  t.put(kNoValue);
}

void all_segments(hal::LcdScreen& out, const tables::DisplayItemDef& item) {
  Text t(out.value, sizeof out.value);
  for (int i = 0; i < item.digits && i < 16; ++i) t.put('8');
  out.flags = 0xFF;
}

}  // namespace

void render(const tables::Model& model, cosem::Objects& objects, const tables::DisplayItemDef& item,
            hal::LcdScreen& out) {
  out = hal::LcdScreen{};
  copy(out.code, sizeof out.code, item.code);
  copy(out.unit, sizeof out.unit, item.unit);
  if (item.format == DisplayFormat::all_segments) return all_segments(out, item);
  if (item.format == DisplayFormat::blank || item.object == tables::kNone) return;
  std::uint8_t buf[80];
  ByteWriter w(buf, sizeof buf);
  Text t(out.value, sizeof out.value);
  if (objects.read(item.object, item.attribute, w) != dlms::DataAccessResult::success || w.overflow())
    return t.put(kNoValue);
  value(t, model.objects[item.object], item, ByteReader(buf, w.size()));
}

std::size_t describe(const hal::LcdScreen& s, char* out, std::size_t cap) {
  Text t(out, cap);
  if (!s.code[0] && !s.value[0]) return t.put(kOff), t.size();
  t.put(s.code);
  t.put(kField);
  t.put(s.value);
  if (s.unit[0]) t.put(' ');
  t.put(s.unit);
  t.put(kLastField);
  if (s.tariff) t.put(' '), t.put('T'), t.put(static_cast<char>('0' + s.tariff % 10));
  for (unsigned i = 0; i < sizeof kFlags / sizeof kFlags[0]; ++i)
    if (s.flags & (1u << i)) t.put(kFlags[i]);
  return t.size();
}

}  // namespace metergen::display
