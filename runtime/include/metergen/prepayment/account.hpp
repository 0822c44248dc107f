// The prepayment account (spec `prepayment:`, docs/prepayment.md): credit
// bought with STS tokens and used up by the charged energy, emergency credit,
// friendly hours, the disconnection when credit runs out and the
// reconnection when it returns, token entry by keypad and by the token
// gateway (IC 115), and the account, credit, charge and token gateway
// objects (IC 111, 112, 113, 115) as cosem::PrepaymentPort.
//
// Owns: the account record (storage kind 'A'): credits, the active and
// passive tariff rates (currency credit), the emergency credit's state, the STS decoder state (key, used TIDs), the last token and
// its result, the keypad's failures in a row. Every change a token or a
// client makes is written before it is answered, in one record write, so a
// power cut credits a token exactly once or not at all; consumption is
// written every 15 minutes and by the power-fail save, as the energy record
// is. May call: the tables, the HAL (clock, keypad, secrets), cosem::Objects
// (the disconnect control, the limiter's threshold, the special days table
// through cosem/calendar.hpp), the metering engine's energy registers, sts/
// and the event engine's Notice.
#pragma once

#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/display/display.hpp>
#include <metergen/events/notice.hpp>
#include <metergen/hal.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>
#include <metergen/sts/decoder.hpp>

namespace metergen::prepayment {

// IC 112 credit_status values (Blue Book).
enum class CreditStatus : std::uint8_t { enabled = 0, selectable = 1, invoked = 2, in_use = 3, consumed = 4 };
// IC 115 token_status status_code values (Blue Book).
enum class TokenStatus : std::uint8_t {
  format_ok = 0, authentication_ok = 1, validation_ok = 2, execution_ok = 3, format_failure = 4,
  authentication_failure = 5, validation_failure = 6, execution_failure = 7, not_processed = 8,
};
// The result of a token's outcome byte (an sts::Outcome, or what the account refused), for logs and token_description.
const char* result_text(std::uint8_t outcome);
// IC 115 token_delivery_method.
enum class Delivery : std::uint8_t { remote = 0, local = 1, manual = 2 };

inline constexpr std::uint8_t kPaymentCredit = 1, kPaymentPrepayment = 2;  // account payment_mode
inline constexpr std::uint8_t kAccountNew = 1, kAccountActive = 2, kAccountClosed = 3;

class Account final : public cosem::PrepaymentPort {
 public:
  Account(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, cosem::Hooks& hooks,
          const metering::Engine& engine);

  // Who is told of token results, credit levels and friendly periods, and
  // the display that shows a token's result.
  void notify(events::Notice* notice) { notice_ = notice; }
  void show_on(display::Display* display) { display_ = display; }
  // Takes the account record's place from `at` (nothing without a prepayment section).
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // After the objects and the metering engine booted: restores the record, or
  // starts a new account with the target's decoder key.
  void boot();
  // Each Meter tick: the keypad, and for each new metering second the
  // consumption, the credit levels and the supply.
  void tick();
  // Writes the record (the power-fail save).
  bool persist();

  // A 20-digit token from `delivery` (digits as ASCII): decoded, applied,
  // written, logged; the gateway's token_status shows the result.
  TokenStatus enter_token(const char* digits, std::size_t n, Delivery delivery);
  // Emergency credit invoked (keypad Enter on an empty entry, IC 112 method 3).
  bool invoke_emergency();

  // Credit in amount units (mWh of the charged energy, or 10^-5 of the
  // currency; tables::PrepaymentDef): the token credit (negative: debt taken
  // in friendly periods) and the emergency credit left.
  std::int64_t token_credit() const { return body_.token; }
  std::int64_t emergency_credit() const { return body_.emergency; }
  CreditStatus emergency_status() const { return static_cast<CreditStatus>(body_.emergency_status); }
  // What the account may still use, in amount units (0 or more).
  std::int64_t available() const;
  // Currency credit: amount units a kWh costs now (the charge's active unit charge).
  std::uint32_t rate() const { return body_.rate; }
  bool friendly_now() const { return friendly_; }
  std::uint8_t keypad_failures() const { return body_.failures_in_row; }
  const sts::DecoderState& decoder() const { return body_.decoder; }
  std::uint32_t record_writes() const { return writes_; }
  // A client's SET succeeded: the friendly mode enable object is read again.
  void value_set(std::uint16_t object, std::int8_t attribute);

  // cosem::PrepaymentPort
  dlms::DataAccessResult prepayment_get(std::uint16_t object, std::int8_t attribute, ByteWriter& out) override;
  dlms::DataAccessResult prepayment_set(std::uint16_t object, std::int8_t attribute, ByteReader value) override;
  dlms::ActionResult prepayment_action(std::uint16_t object, std::int8_t method, ByteReader params) override;

 private:
  static constexpr std::size_t kTokenDigits = 20;
  // Seconds a keypad entry waits for its next key (assumed; the datasheet gives none).
  static constexpr std::uint8_t kEntryTimeoutS = 30;
  static constexpr char kEntryCode[] = "token";  // the code field of the echo and of a token's result
  // The account record's content, encoded field by field (account_record.cpp,
  // docs/nvm-format.md). Amounts in amount units.
  struct Body {
    std::int64_t token;
    std::int64_t emergency;
    std::int64_t paid_total;          // charge attribute 2: all consumption charged
    std::int64_t last_collection;     // the latest collection (charge attribute 11)
    std::int64_t last_register_mwh;   // the charged register when consumption was last taken
    std::int64_t last_collection_utc_s;
    std::int64_t low_credit;          // account attribute 16
    std::int64_t token_utc_s;         // gateway attribute 3
    std::int64_t locked_until_utc_s;  // keypad
    std::uint32_t rate;               // unit_charge_active: amount units a kWh (currency credit)
    std::uint32_t passive_rate;       // unit_charge_passive
    std::uint32_t rate_remainder;     // consumption × rate not yet charged, in 10^-6 amount units
    std::uint32_t max_power_w;        // the latest maximum power limit token
    std::uint32_t max_unbalance_w;    // the latest maximum phase power unbalance token
    std::uint8_t payment_mode;
    std::uint8_t account_status;
    std::uint8_t emergency_status;
    std::uint8_t flags;               // kLow, kExhausted, kCut
    std::uint8_t failures_in_row;
    std::uint8_t token_status;
    std::uint8_t token_outcome;       // of the last token: an sts::Outcome, or what the account refused (result_text)
    std::uint8_t token_delivery;
    std::uint8_t token_length;
    char token_digits[kTokenDigits];
    sts::DecoderState decoder;
  };
  // Its encoded size: 9 × 8 + 5 × 4 + 9 + 20 digits, then the decoder state:
  // key 18, MfrCode 2, TID count 1, key-change half 10, 50 TIDs × 4.
  static constexpr std::uint32_t kRecordBytes = 72 + 20 + 9 + kTokenDigits + 18 + 2 + 1 + 10 + 4 * sts::kTidMemorySize;
  static constexpr std::uint8_t kLow = 0x01, kExhausted = 0x02, kCut = 0x04;

  bool write();
  void encode(ByteWriter& w) const;
  bool decode(ByteReader r);
  void start_new_account();
  void read_friendly_enable();
  void write_key_data();
  void metering_second();
  void take_consumption();
  std::int64_t charge_for(std::int64_t used_mwh);
  void follow_levels();
  void follow_supply();
  void update_friendly();
  bool friendly_at(std::int64_t utc_s) const;
  std::int32_t shown(std::int64_t amount) const;
  void read_keypad();
  void echo_entry();
  void add_credit(std::int64_t amount);
  tables::Trigger apply(const sts::Token& t);
  std::int64_t credit_amount(const sts::Token& t) const;
  std::uint8_t refusal(const sts::Token& t) const;
  void raise(tables::Trigger t);
  void show(const char* text);
  TokenStatus finish_token(TokenStatus status, std::uint8_t outcome, const char* digits, std::size_t n, Delivery d);

  dlms::DataAccessResult get_account(std::int8_t attribute, ByteWriter& out);
  dlms::DataAccessResult get_credit(bool emergency, std::int8_t attribute, ByteWriter& out);
  dlms::DataAccessResult get_charge(std::int8_t attribute, ByteWriter& out);
  dlms::DataAccessResult get_gateway(std::int8_t attribute, ByteWriter& out);
  dlms::ActionResult account_action(std::int8_t method, ByteReader params);
  dlms::ActionResult credit_action(bool emergency, std::int8_t method, ByteReader params);
  dlms::ActionResult charge_action(std::int8_t method, ByteReader params);
  void put_unit_charge(ByteWriter& out, std::uint32_t rate) const;
  bool rate_of_unit_charge(ByteReader value, std::uint32_t& rate) const;
  void put_time(ByteWriter& out, std::int64_t utc_s) const;

  const tables::Model& model_;
  const tables::PrepaymentDef* def_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  cosem::Hooks& hooks_;
  const metering::Engine& engine_;
  events::Notice* notice_ = nullptr;
  display::Display* display_ = nullptr;
  storage::Record record_;
  Body body_{};
  std::uint16_t charged_register_ = tables::kNone;  // index into the engine's energy registers
  std::uint16_t limiter_ = tables::kNone;
  std::uint32_t seen_seconds_ = 0;
  std::uint32_t seconds_since_write_ = 0;
  std::uint32_t writes_ = 0;
  bool friendly_ = false;
  bool friendly_enabled_ = false;  // the enable object's value, read at boot and after its SET
  char entry_[kTokenDigits]{};
  std::uint8_t entry_length_ = 0;
  std::int64_t entry_key_s_ = 0;  // the clock second of the entry's last key
  bool echoing_ = false;          // the LCD shows the entry
};

}  // namespace metergen::prepayment
