// The push engine: sends the DataNotification of a push setup (IC 40) to its
// destination through the HAL's outbound connection, and retries.
//
// Owns: the requests waiting per push setup, the one attempt in flight, its
// frame in the model's RAM (TCP wrapper header: source wPort 1, the management logical device;
// destination wPort PushSetupDef::client_sap; then the APDU, plain or
// general-glo-ciphered with the server system title and the next server frame
// counter of the push setup's association), the retries (number_of_retries
// more attempts, repetition_delay seconds apart; the first after a random
// delay of up to randomisation_start_interval seconds), the communication
// windows (an attempt due outside every window of a non-empty list is held
// until one opens, then starts after a new random delay) and a log line per
// attempt, outcome and hold. Values are read through cosem::Objects when an attempt
// starts, as a GET reads them. Never blocks: each tick asks the HAL once.
//
// Who raises a push: IC 40 method 1 (Hooks::push_requested), a script of the
// table with role push_script (script N: the N-th push setup of the model, run
// by a client or a single action schedule) and, later, the event engine when
// an event whose push bit is set occurs: all call request().
//
// May call: the tables, cosem::Objects and cosem/push_setup.hpp, security/,
// wrapper/ (header only), the HAL; frame counters through CounterSource.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/cosem/objects.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_ram.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/security/ciphering.hpp>

namespace metergen::push {

// The largest plain DataNotification APDU.
inline constexpr std::size_t kMaxApdu = tables::kPushApduBytes;
inline constexpr std::uint8_t kMaxPushSetups = 8;
// An attempt the HAL still reports busy after this long is given up.
inline constexpr std::uint32_t kAttemptTimeoutMs = 15000;
// Wrapper source wPort of every push: the management logical device.
inline constexpr std::uint16_t kSourceWport = 1;

// Server frame counters (the Meter's, reserved ahead in NVM).
class CounterSource {
 public:
  // The next server invocation counter of `association`; 0 when none can be reserved.
  virtual std::uint32_t next_server_counter(std::uint16_t association) = 0;

 protected:
  ~CounterSource() = default;
};

class Pusher {
 public:
  Pusher(const tables::Model& model, hal::Hal& hal, cosem::Objects& objects, CounterSource& counters);

  // Raises a push of push setup `push_setup_object` (an index into
  // Model::objects): it is sent at the next tick (after its randomisation
  // delay). A push already waiting is not queued twice. False when the object
  // is not one of the model's push setups.
  bool request(std::uint16_t push_setup_object);
  // Script `script` of the push script table: push setup number `script` (1-based, model order).
  bool run_script(std::uint16_t script);
  // Drives the attempt in flight, or starts the next one due. Call every meter tick.
  void tick();

  // A client changed a value or ran a method: the communication windows and
  // the clock's settings may have changed, so each push setup's windows are
  // decided again at its next due tick.
  void settings_changed() { windows_known_ = 0; }

  // Counts (tests, diagnostics).
  std::uint32_t sent() const { return sent_; }
  std::uint32_t failed_attempts() const { return failed_attempts_; }
  bool idle() const;

  // The plain DataNotification of push setup number `index` (Model::push_setups)
  // at `time` (nullptr: no date-time) with invoke id `invoke_id`; its size, 0
  // when it does not fit `cap`.
  std::size_t encode_notification(std::uint8_t index, const axdr::DateTime* time, std::uint32_t invoke_id,
                                  std::uint8_t* out, std::size_t cap);

 private:
  struct Job {
    bool pending = false;
    bool held = false;          // due, but outside every communication window
    std::uint8_t attempts = 0;  // made for the request waiting
    std::uint32_t due_ms = 0;   // HAL ticks when the next attempt may start
  };

  // A random delay of up to the push setup's randomisation_start_interval.
  std::uint32_t start_delay_ms(std::uint16_t push_setup_object);
  // A due job may start now: inside a window, its random delay past.
  bool may_start(std::uint8_t index, std::uint32_t now_ms);
  // Whether push setup number `index` is inside one of its communication windows now.
  bool window_open(std::uint8_t index);
  void start(std::uint8_t index);
  void finish(bool sent);
  bool build_frame(std::uint8_t index);
  bool protect(const tables::PushSetupDef& p, const std::uint8_t* plain_at, std::size_t plain, std::uint8_t* out,
               std::size_t cap, std::size_t& n);
  void log_attempt(std::uint8_t index, const char* outcome, std::uint32_t number = 0, const char* tail = nullptr);

  const tables::Model& model_;
  hal::Hal& hal_;
  cosem::Objects& objects_;
  CounterSource& counters_;
  Job jobs_[kMaxPushSetups];
  std::uint8_t count_ = 0;
  std::int16_t active_ = -1;  // push setup number in flight
  std::uint32_t started_ms_ = 0;
  std::uint32_t invoke_id_ = 0;
  std::uint32_t sent_ = 0;
  std::uint32_t failed_attempts_ = 0;
  // window_open's answers in UTC second window_second_ (its low 32 bits): bit
  // i of windows_known_ set when push setup i's is known, bit i of
  // windows_open_ the answer. Within a second the local time is the same, and
  // the windows and clock settings change only by a client (settings_changed).
  static_assert(kMaxPushSetups <= 8, "one bit per push setup in windows_known_ and windows_open_");
  std::uint32_t window_second_ = 0;
  std::uint8_t windows_known_ = 0;
  std::uint8_t windows_open_ = 0;
  // Wrapper header, room for the general-glo header, the plain APDU, the GCM tag
  // (tables::kPushFrameBytes of the model's RAM).
  std::uint8_t* frame_;
  std::size_t frame_size_ = 0;
};

}  // namespace metergen::push
