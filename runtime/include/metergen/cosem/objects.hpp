// COSEM interface-class behaviour over the generated model tables.
//
// Owns: the attribute/method semantics of every interface class the models use
// (one file per class under src/cosem/ with its services, state size, boot
// default and engine-writable attributes, reached through one table keyed by
// class_id), the layout of Model::state, the clock settings and
// the persisted record at NVM offset 0. May call: the tables, axdr/, the HAL,
// Hooks and Profiles (class 7 objects are forwarded there).
//
// Access rights are checked by the caller (the server) with attribute_access /
// method_access before get/set/action; values given to set/action are untrusted.
#pragma once

#include <cstdint>

#include <metergen/axdr/date_time.hpp>
#include <metergen/bytes.hpp>
#include <metergen/cosem/profiles.hpp>
#include <metergen/cosem/selection.hpp>
#include <metergen/dlms_types/result.hpp>
#include <metergen/hal.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/storage/record.hpp>

namespace metergen::cosem {

// What the DLMS server knows about the connection a request came on.
class Session {
 public:
  // Index into Model::associations of the caller's association.
  virtual std::uint16_t association() const = 0;
  // 0 non-associated, 1 associated-pending, 2 associated (IC 15 attribute 8).
  virtual std::uint8_t association_status() const = 0;
  virtual std::uint32_t negotiated_conformance() const = 0;
  virtual std::uint16_t negotiated_max_pdu() const = 0;
  // The mechanism the client logged in with (its association's own or the
  // fallback; IC 15 attribute 6 of the current association).
  virtual tables::Authentication mechanism() const = 0;
  // Association LN method 1 (reply_to_HLS_authentication): verifies f(StoC) and
  // writes f(CtoS) as one encoded octet-string Data into out.
  virtual dlms::ActionResult reply_to_hls_authentication(ByteReader f_stoc, ByteWriter& out) = 0;

 protected:
  ~Session() = default;
};

// Disconnect control (IC 70) control_state values.
inline constexpr std::uint8_t kDisconnected = 0, kConnected = 1, kReadyForReconnection = 2;

// Why the disconnect control changed state, by the trigger of IC 70's
// transitions (disconnect-control.md §3): a client's method (remote: a, b, c,
// d), the meter's button (manual: e, f) or a meter function (local: g, h),
// which names its tables::LocalTrigger.
struct RelayCause {
  enum class Kind : std::uint8_t { remote, manual, local };
  Kind kind;
  tables::LocalTrigger trigger;  // Kind::local only (tables::LocalTrigger::limiter otherwise)

  static constexpr RelayCause remote() { return {Kind::remote, tables::LocalTrigger::limiter}; }
  static constexpr RelayCause manual() { return {Kind::manual, tables::LocalTrigger::limiter}; }
  static constexpr RelayCause local(tables::LocalTrigger t) { return {Kind::local, t}; }
};

// Hooks the engines (metrology, relay driver, scripts) override; defaults do nothing.
// Defined inline so code built with RTTI (tests, host) can derive from it.
class Hooks {
 public:
  // Disconnect control changed output_state; the relay driver switches the relay.
  virtual void relay_changed(bool connected) { (void)connected; }
  // Disconnect control changed control_state `from` -> `to` (kDisconnected,
  // kConnected, kReadyForReconnection) because of `cause`; called once per
  // transition, after relay_changed when output_state changed with it. The
  // load-control engine writes the disconnect reason and follows what others
  // did to the relay; an event engine logs the transition.
  virtual void control_state_changed(std::uint8_t from, std::uint8_t to, RelayCause cause) {
    (void)from, (void)to, (void)cause;
  }
  // The clock was set or shifted (time, time zone or DST settings).
  virtual void clock_set() {}
  // A register-like object (class 3/4/5) was reset by its method 1.
  virtual void register_reset(std::uint16_t object) { (void)object; }
  // A client's SET of `attribute` of `object` succeeded.
  virtual void value_set(std::uint16_t object, std::int8_t attribute) { (void)object, (void)attribute; }
  // `object` is about to be read (a client's GET or an engine's read): an
  // engine that writes values lazily brings it up to date.
  virtual void before_read(std::uint16_t object) { (void)object; }
  // A demand register (class 5) was asked to start its next period (method 2).
  virtual void demand_next_period(std::uint16_t object) { (void)object; }
  // A client asked script table `object` to execute script `script` (IC 9
  // method 1); false when the engine owning the script refuses it now (the
  // action answers temporary-failure).
  virtual bool script_executed(std::uint16_t object, std::uint16_t script) { return (void)object, (void)script, true; }
  // A client's ACTION of `method` of `object` succeeded.
  virtual void action_done(std::uint16_t object, std::int8_t method) { (void)object, (void)method; }
  // A client asked push setup `object` to push now (IC 40 method 1); false when
  // no push engine takes it (the action answers temporary-failure).
  virtual bool push_requested(std::uint16_t object) { return (void)object, false; }

 protected:
  ~Hooks() = default;
};

// The prepayment engine as the prepayment classes see them (account 111,
// credit 112, charge 113, token gateway 115: every attribute but
// logical_name and every method is forwarded to it, as class 7's are to
// Profiles; docs/prepayment.md).
class PrepaymentPort {
 public:
  virtual dlms::DataAccessResult prepayment_get(std::uint16_t object, std::int8_t attribute, ByteWriter& out) = 0;
  // The value is untrusted; nothing changes unless it is accepted.
  virtual dlms::DataAccessResult prepayment_set(std::uint16_t object, std::int8_t attribute, ByteReader value) = 0;
  virtual dlms::ActionResult prepayment_action(std::uint16_t object, std::int8_t method, ByteReader params) = 0;

 protected:
  ~PrepaymentPort() = default;
};

// Clock settings a client may change (IC 8 attributes 3, 5..9); persisted with
// Model::state, defaults from Model::clock.
struct ClockSettings {
  std::int16_t time_zone_min;   // local standard time minus UTC (the model's sign; attribute 3 is its negation)
  std::uint8_t dst_begin[12];   // date-time pattern: month, day of month (FE last), day of week, hour, minute
  std::uint8_t dst_end[12];
  std::int8_t dst_deviation_min;
  std::uint8_t dst_enabled;     // 0 / 1
  std::uint8_t clock_base;      // IC 8 attribute 9 enum
};

// Bytes of a limiter's state that belong to the load-control engine.
inline constexpr std::uint32_t kLimiterEngineBytes = 8;

// What a limiter (class 71) watches and runs, as a client last set its
// attributes 2 and 11 (Objects::limiter_settings).
struct LimiterSettings {
  std::uint16_t monitored = tables::kNone;  // object index of monitored_value
  std::int8_t attribute = 2;
  std::uint16_t over_table = tables::kNone;   // action_over_threshold: script table (kNone: no script)
  std::uint16_t over_selector = 0;
  std::uint16_t under_table = tables::kNone;  // action_under_threshold
  std::uint16_t under_selector = 0;
};

// The screens a display list shows now: a settable list's (list_object) from
// its display readout's state, which a client may have set, else the tables'.
std::uint16_t display_list_count(const tables::Model& m, const tables::DisplayListDef& l);
// Its screen `i` (< display_list_count), an index into Model::display_items.
std::uint16_t display_list_screen(const tables::Model& m, const tables::DisplayListDef& l, std::uint16_t i);

// Bytes of mutable state an object of `class_id` keeps in Model::state, given
// the encoded size of its value; 0 for classes without state. The generator
// sizes Model::state with it; the layout inside is the class file's.
std::uint32_t state_bytes(std::uint16_t class_id, std::uint16_t value_size);
// Whether the runtime gives `class_id` behaviour of its own; the others serve
// logical_name and the spec's constant attributes (tables::AttributeValueDef).
bool has_class_behaviour(std::uint16_t class_id);

class Objects final : public AttributeSource {
 public:
  Objects(const tables::Model& model, hal::Hal& hal, Hooks& hooks, Profiles& profiles);

  // Takes the objects record's place from `at`.
  void place(storage::Allocator& at, const hal::NvmGeometry& g);
  // Zeroes Model::state, copies defaults from the value pool, then restores the
  // objects record; true when a valid copy was restored.
  bool boot();
  // Writes the objects record when its bytes changed since the last write or
  // restore; false when the NVM write failed.
  bool persist();
  // Puts an object's persisted state (and, for the clock, its settings) back
  // to what the objects record holds (its boot default when there is no
  // copy): a client's change that could not be kept is not kept in RAM either.
  void revert(std::uint16_t object);
  // Record copies written so far (benchmarks).
  std::uint32_t writes() const { return writes_; }

  // Access of `association` to an attribute/method; `none` for unlisted objects
  // and ids beyond the access profile.
  tables::AttrAccess attribute_access(std::uint16_t association, std::uint16_t object, std::int8_t attribute) const;
  tables::MethodAccess method_access(std::uint16_t association, std::uint16_t object, std::int8_t method) const;

  // Writes exactly one encoded Data. Deterministic: a block transfer calls it
  // again for every block with a windowed writer.
  dlms::DataAccessResult get(Session& session, std::uint16_t object, std::int8_t attribute, const Selection* sel,
                             ByteWriter& out);
  // Checks the value's type and size against the attribute and changes nothing on error.
  dlms::DataAccessResult set(Session& session, std::uint16_t object, std::int8_t attribute, const Selection* sel,
                             ByteReader value);
  // params empty = no parameters. Sets has_return when `ret` holds one encoded Data.
  dlms::ActionResult action(Session& session, std::uint16_t object, std::int8_t method, ByteReader params,
                            ByteWriter& ret, bool& has_return);

  // For engines: replaces the value of a class 1/3/4/5/71 object (current
  // value for 5) with one encoded Data of exactly its type and size.
  bool write_value(std::uint16_t object, ByteReader encoded);
  // write_value of `v` in the object's integer type (wrapped to its width).
  bool write_integer_value(std::uint16_t object, std::int64_t v);
  // For engines: attributes of class 4 and 5 objects that clients only read,
  // changing nothing else (unlike write_value, no capture_time stamp). Integer
  // values: class 4 attribute 2, class 5 attributes 2 and 3, encoded as the
  // object's integer type (the caller keeps `v` in its range). Date-times:
  // class 4 attribute 5, class 5 attributes 6 and 7. False for anything else.
  bool write_integer(std::uint16_t object, std::int8_t attribute, std::int64_t v);
  bool write_time(std::uint16_t object, std::int8_t attribute, const axdr::DateTime& t);
  // The local date-time of `utc_s` under the current clock settings (time zone, DST).
  axdr::DateTime local_time(std::int64_t utc_s) const;

  // An integer attribute's value, read as an engine reads it; false when the
  // attribute cannot be read or is not an integer.
  bool read_integer(std::uint16_t object, std::int8_t attribute, std::int64_t& v);

  // AttributeSource: a get without a session (profile capture).
  dlms::DataAccessResult read(std::uint16_t object, std::int8_t attribute, ByteWriter& out) override;
  // The clock's time (attribute 2 of ClockDef::object) at `utc_s`, local, no hundredths.
  dlms::DataAccessResult read_at(std::uint16_t object, std::int8_t attribute, std::int64_t utc_s,
                                 ByteWriter& out) override;

  // Local disconnect-control triggers (IC 70 transitions e..h); false when the
  // control mode does not allow it in the current state, and for a local
  // trigger the model does not list (DisconnectDef::local_triggers: an
  // inhibited trigger never disconnects).
  bool manual_reconnect();
  bool manual_disconnect();
  bool local_disconnect(tables::LocalTrigger trigger);
  bool local_reconnect(tables::LocalTrigger trigger);
  // The disconnect control's control_state, kConnected without one.
  std::uint8_t control_state() const;
  // For the load-control engine: the kLimiterEngineBytes a limiter (class 71)
  // object keeps for it in its state (persisted with the objects record);
  // nullptr for other objects.
  std::uint8_t* limiter_engine_state(std::uint16_t object);
  // For the load-control engine, each clock second: whether a limiter's
  // emergency profile is active at `utc_s` (its attribute 10, which switches
  // threshold_active); true when that changed.
  bool update_limiter_emergency(std::uint16_t object, std::int64_t utc_s);
  // For the load-control engine, at boot and after a SET of the limiter: its
  // monitored value and actions resolved to object indexes; false for other
  // objects.
  bool limiter_settings(std::uint16_t object, LimiterSettings& out);
  // For the register-monitor engine: the byte a register monitor (class 21)
  // keeps of which thresholds the value was above (bit n: threshold n),
  // persisted with the objects record; nullptr for other objects.
  std::uint8_t* register_monitor_above(std::uint16_t object);

  // The prepayment engine the prepayment classes forward to (nullptr: they
  // answer object-unavailable).
  void attach_prepayment(PrepaymentPort* port) { prepayment_ = port; }
  PrepaymentPort* prepayment() const { return prepayment_; }
  const tables::Model& model() const { return model_; }
  const ClockSettings& clock_settings() const { return clock_; }
  // Clock settings in their 29-byte record form (an older NVM format's).
  void adopt_clock(const std::uint8_t* encoded);

 private:
  const tables::Model& model_;
  hal::Hal& hal_;
  Hooks& hooks_;
  Profiles& profiles_;
  void reset_state();
  std::uint32_t body_crc() const;

  ClockSettings clock_{};
  PrepaymentPort* prepayment_ = nullptr;
  storage::Record record_;
  std::uint32_t saved_crc_ = 0;  // of the body last written or restored
  std::uint32_t writes_ = 0;
};

}  // namespace metergen::cosem
