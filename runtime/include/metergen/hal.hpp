// The runtime's only way out to the hardware. A target implements Hal once;
// the runtime holds a reference and calls nothing else.
//
// Error contract: functions that can fail return false and leave outputs
// unspecified; the runtime treats a failed NVM access as a hardware fault of the
// request that caused it, never as a reason to stop.
#pragma once

#include <cstddef>
#include <cstdint>

namespace metergen::hal {

// Keys and passwords live with the target (a file, a secure element, protected
// flash), never in the generated tables.
enum class Secret : std::uint8_t {
  lls_password,         // LLS secret of an association
  encryption_key,       // global unicast encryption key (EK), 16 bytes
  authentication_key,   // authentication key (AK), 16 bytes
  server_system_title,  // 8 bytes; the same for every association
  sts_decoder_key,      // the STS decoder key at delivery, 8 bytes (the association is ignored)
};

// One simultaneous sample of every analogue channel, as signed ADC codes:
// phase voltages L1..L3 and currents L1..L3 plus neutral. Unused channels are 0.
struct AdcFrame {
  std::int32_t voltage[3];
  std::int32_t current[4];
};

// The analogue front end's scaling: a code of ±2^(bits-1) is the full-scale
// peak. Calibration (gain and phase per channel) corrects what this nominal
// scaling gets wrong.
struct FrontEnd {
  std::uint32_t sample_rate_hz;    // 0 = no front end
  std::uint8_t voltage_bits;
  std::uint8_t current_bits;
  std::uint32_t voltage_full_scale_mv;  // peak
  std::uint32_t current_full_scale_ma;  // peak
};

enum class PulseOutput : std::uint8_t { active_energy, reactive_energy };

// Push buttons a meter may have; buttons_held() reports them as bits (1 << Button).
enum class Button : std::uint8_t {
  display,    // scrolls the display
  billing,    // sealed billing / MD reset button
  reconnect,  // manual reconnection of the supply
};
constexpr std::uint8_t button_bit(Button b) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(b)); }

// One LCD screen (docs/display.md): an OBIS/ID code field, a value field of
// digits and letters whose decimal points and separators are characters of
// the text ("1234.56", "04-12-26", "23:59:07"), a unit and indicators. An
// empty screen (code and value "") is the LCD switched off.
struct LcdScreen {
  char code[12];
  char value[17];
  char unit[6];
  std::uint8_t tariff;  // tariff indicator T1.., 0 = none
  std::uint8_t flags;   // kLcd* bits
  bool operator==(const LcdScreen&) const = default;
};
inline constexpr std::uint8_t kLcdRelayOpen = 0x01;    // the supply relay is open
inline constexpr std::uint8_t kLcdPhase1 = 0x02;       // L1 voltage present (L2, L3: the next bits)
inline constexpr std::uint8_t kLcdAlarm = 0x10;        // the alarm register is not zero
inline constexpr std::uint8_t kLcdTest = 0x20;         // test mode
inline constexpr std::uint8_t kLcdAllSegments = 0x40;  // every segment lit (the segment test)

// Keypad keys besides the digits (Hal::keypad_read).
inline constexpr char kKeyEnter = '#';
inline constexpr char kKeyBack = '*';
// Switches and sensors a meter may have; inputs_active() reports those active
// now as bits (1 << Input). Their order is the event triggers' (tables::Trigger
// cover_open .. over_temperature).
enum class Input : std::uint8_t {
  meter_cover_open, terminal_cover_open, module_removed, magnetic_field, battery_cover_open, low_battery,
  over_temperature,
};
inline constexpr std::uint8_t kInputCount = 7;
constexpr std::uint8_t input_bit(Input i) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(i)); }

// What kind of non-volatile memory the target has. EEPROM, FRAM and retained RAM
// rewrite bytes in place (erase_unit 0). NOR flash programs bytes only after
// their erase unit (sector) was erased, and wears out by erases.
// Progress of an outbound push connection (push_send).
enum class PushState : std::uint8_t {
  busy,    // still connecting or sending: call again with the same bytes
  sent,    // every byte was handed to the transport
  failed,  // the connection failed, was refused or timed out
};

struct NvmGeometry {
  std::uint32_t erase_unit;  // bytes, a power of two; 0 = rewritable in place
  std::uint32_t endurance;   // rated erase cycles per unit; 0 = not limited
};

class Hal {
 public:
  // Meter clock: milliseconds since 1970-01-01 00:00 UTC.
  virtual std::uint64_t utc_ms() = 0;
  // Sets the clock; false when the new time could not be kept (the RTC or its
  // backing store refused it), and the clock is then left as it was.
  virtual bool set_utc_ms(std::uint64_t ms) = 0;
  // False while the clock cannot be trusted (the real-time clock lost its time,
  // e.g. its battery ran out while the meter was off), until the clock is set.
  virtual bool clock_valid() { return true; }
  // Monotonic milliseconds since boot (wraps after 49 days).
  virtual std::uint32_t ticks_ms() = 0;

  // Non-volatile memory, byte addressed, nvm_size() bytes. A write cut by a power
  // failure may land in part (torn); a write may fail; a stored bit may flip.
  // The storage layer (storage/) keeps copies and checksums for all of these.
  virtual std::uint32_t nvm_size() = 0;
  virtual bool nvm_read(std::uint32_t offset, std::uint8_t* out, std::size_t n) = 0;
  virtual bool nvm_write(std::uint32_t offset, const std::uint8_t* in, std::size_t n) = 0;
  // Devices with an erase unit also erase: every byte of the unit starting at
  // `offset` (a multiple of erase_unit) reads 0xFF afterwards. A byte programmed
  // since the unit's last erase must not be written again.
  virtual NvmGeometry nvm_geometry() { return {}; }
  virtual bool nvm_erase(std::uint32_t offset) { return (void)offset, false; }

  // Unpredictable bytes for authentication challenges.
  virtual void random(std::uint8_t* out, std::size_t n) = 0;

  // Copies a secret of association `association` (index into Model::associations)
  // into out; returns its length, 0 when the target has none.
  virtual std::size_t secret(std::uint8_t association, Secret kind, std::uint8_t* out, std::size_t cap) = 0;

  // One human-readable log line (no newline); may be dropped.
  virtual void log(const char* line) = 0;

  // Devices a target may lack; the defaults are "not fitted".
  //
  // The analogue front end: its scaling, and the frames sampled since the last
  // call (at most cap, oldest first; the rest wait for the next call).
  virtual FrontEnd front_end() { return {}; }
  virtual std::size_t adc_read(AdcFrame* out, std::size_t cap) { return (void)out, (void)cap, 0; }
  // One meter-constant pulse on the metrological LED / pulse output; the
  // target shapes its width.
  virtual void pulse(PulseOutput output) { (void)output; }
  // Drives the supply relay (disconnect control output_state).
  virtual void set_relay(bool connected) { (void)connected; }
  // The buttons held down now (button_bit per Button); the runtime samples it
  // once a second and times how long each is held.
  virtual std::uint8_t buttons_held() { return 0; }
  // Shows a screen until the next call; called only when the screen changes.
  virtual void lcd_show(const LcdScreen& screen) { (void)screen; }
  // The inputs active now (input_bit per Input); sampled once a second.
  virtual std::uint8_t inputs_active() { return 0; }
  // Keys pressed on the keypad since the last call, oldest first, at most cap:
  // '0'..'9', kKeyEnter, kKeyBack (deletes the last digit).
  virtual std::size_t keypad_read(char* out, std::size_t cap) { return (void)out, (void)cap, 0; }
  // The outbound connection of push setups (IC 40), one at a time; none of
  // these may block. push_open starts connecting to `destination` ("host:port",
  // n bytes, not NUL-terminated) and is false when it cannot even start (no
  // network, a destination it cannot resolve without waiting). push_send is
  // then called on every tick with the same frame until it answers sent or
  // failed; the target bounds how long connecting may take. push_close ends the
  // connection whatever its state.
  virtual bool push_open(const std::uint8_t* destination, std::size_t n) { return (void)destination, (void)n, false; }
  virtual PushState push_send(const std::uint8_t* frame, std::size_t n) { return (void)frame, (void)n, PushState::failed; }
  virtual void push_close() {}

 protected:
  ~Hal() = default;
};

}  // namespace metergen::hal
