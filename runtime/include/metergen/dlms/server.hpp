// The DLMS/COSEM server: one Meter (the logical device over one model's tables)
// and one Connection per transport connection (association state, security
// context, long transfers in progress).
//
// Owns: ACSE (AARQ/AARE, RLRQ/RLRE) policy, authentication (none, LLS,
// HLS-GMAC), security suite 0 ciphering with frame counters, the GET/SET/ACTION
// services with their block-transfer and with-list variants, and the error
// replies. Uses: acse/, xdlms/, security/, cosem/, the engines (metering/,
// timing/, billing/, load_control/, events/, monitoring/, push/,
// display/, prepayment/) and the HAL.
// Every byte it is given is untrusted; a malformed APDU gets the protocol's
// error reply.
//
// Transports (hdlc/, wrapper/) hand it complete APDUs and send what it returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <metergen/billing/billing.hpp>
#include <metergen/bytes.hpp>
#include <metergen/cosem/objects.hpp>
#include <metergen/cosem/profiles.hpp>
#include <metergen/display/display.hpp>
#include <metergen/dlms/frame_counters.hpp>
#include <metergen/dlms/login_guard.hpp>
#include <metergen/dlms_types/apdu_handler.hpp>
#include <metergen/events/events.hpp>
#include <metergen/hal.hpp>
#include <metergen/load_control/load_control.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/monitoring/register_monitors.hpp>
#include <metergen/prepayment/account.hpp>
#include <metergen/push/pusher.hpp>
#include <metergen/security/ciphering.hpp>
#include <metergen/timing/time_engine.hpp>
#include <metergen/xdlms/xdlms.hpp>

namespace metergen::dlms {

// Largest APDU the server receives or sends (a client may negotiate it down).
#ifndef METERGEN_MAX_PDU
#define METERGEN_MAX_PDU 1024
#endif
inline constexpr std::uint16_t kMaxPdu = METERGEN_MAX_PDU;
// Services granted to clients (the negotiated set is the AND with their proposal).
std::uint32_t server_conformance();

// The logical device: the objects and the engines behind them. It is the
// objects' cosem::Hooks and passes each hook to the engine it concerns, and
// the push engine's source of server frame counters.
class Meter final : private cosem::Hooks, private metering::SecondObserver,
                    private push::CounterSource {
 public:
  Meter(const tables::Model& model, hal::Hal& hal);

  // Lays out the NVM (docs/nvm-format.md), restores every record (converting
  // an older format's image first); call once before serving.
  void boot();
  // Periodic work (metering from the front end's frames, the time engine's
  // minute, profile captures, saving changed state); call at least once a
  // second, and often enough for the front end (metering::kMaxFramesPerTick).
  void tick();
  // Saves state now: what a meter saves when it detects a power failure, and
  // at shutdown.
  bool persist();
  // Saves the objects record if a client's SET or ACTION changed it; the
  // server calls it before answering, so an acknowledged write is kept.
  bool commit_changes() { return saved(objects_.persist()); }
  // NVM bytes the layout takes (from offset 0).
  std::uint32_t nvm_bytes() const { return nvm_bytes_; }

  const tables::Model& model() const { return model_; }
  hal::Hal& hal() { return hal_; }
  cosem::Objects& objects() { return objects_; }
  cosem::Profiles& profiles() { return profiles_; }
  metering::Engine& metering() { return engine_; }
  billing::Billing& billing() { return billing_; }
  timing::TimeEngine& time_engine() { return time_; }
  events::Events& events() { return events_; }
  load_control::LoadControl& load_control() { return load_; }
  display::Display& display() { return display_; }
  prepayment::Account& prepayment() { return account_; }
  // Raises pushes: push().request(push setup object) (docs/runtime.md, Push).
  push::Pusher& push() { return pusher_; }

  // Logins (docs/runtime.md, Login lockout): seconds the association's logins
  // are still refused (0: open); the outcome of a login, which the events log
  // and the lockout counts.
  std::uint32_t login_locked_for_s(std::uint16_t association) const;
  void login_result(std::uint16_t association, bool ok);

  // Frame counters of security suite 0 (replay protection), per association.
  FrameCounters& counters() { return counters_; }
  bool accept_client_counter(std::uint16_t association, std::uint32_t ic) { return counters_.accept_client(association, ic); }
  std::uint32_t expected_client_counter(std::uint16_t association) const { return counters_.expected_client(association); }
  std::uint32_t next_server_counter(std::uint16_t association) override { return counters_.next_server(association); }

 private:
  // `ok`, after raising nvm_error when a record could not be written.
  bool saved(bool ok);
  // cosem::Hooks
  void relay_changed(bool connected) override {
    engine_.relay_changed(connected);
    display_.relay_changed(connected);
  }
  void control_state_changed(std::uint8_t from, std::uint8_t to, cosem::RelayCause cause) override {
    load_.control_state_changed(from, to, cause);
    events_.control_state_changed(from, to, cause);
  }
  void clock_set() override;
  void action_done(std::uint16_t object, std::int8_t method) override {
    events_.action_done(object, method);
    pusher_.settings_changed();
  }
  // metering::SecondObserver
  void metering_second(const metrology::Readings& r) override {
    events_.metering_second(r, engine_.ratios());
    display_.metering_second(r);
  }
  void register_reset(std::uint16_t object) override {
    engine_.register_reset(object);
    time_.register_reset(object);
  }
  void demand_next_period(std::uint16_t object) override { engine_.demand_next_period(object); }
  void before_read(std::uint16_t object) override {
    engine_.before_read(object);
    time_.before_read(object);
  }
  void value_set(std::uint16_t object, std::int8_t attribute) override {
    engine_.value_set(object, attribute);
    events_.value_set(object, attribute);
    load_.value_set(object, attribute);
    account_.value_set(object, attribute);
    display_.value_set(object);
    pusher_.settings_changed();
  }
  bool script_executed(std::uint16_t object, std::uint16_t script) override {
    return time_.script_executed(object, script) && display_.script_executed(object);
  }
  bool push_requested(std::uint16_t object) override { return pusher_.request(object); }

  const tables::Model& model_;
  hal::Hal& hal_;
  metering::Engine engine_;
  cosem::Profiles profiles_;
  cosem::Objects objects_;
  FrameCounters counters_;
  LoginGuard logins_;
  billing::Billing billing_;
  push::Pusher pusher_;
  timing::TimeEngine time_;
  load_control::LoadControl load_;
  events::Events events_;
  monitoring::RegisterMonitors monitors_;
  display::Display display_;
  prepayment::Account account_;
  std::uint32_t nvm_bytes_ = 0;
  std::uint32_t last_persist_ms_ = 0;
};

class Connection final : public ApduHandler, private cosem::Session {
 public:
  explicit Connection(Meter& meter);

  bool on_apdu(std::uint16_t client_sap, std::uint16_t server_logical, std::span<std::uint8_t> apdu,
               ByteWriter& out) override;
  void on_link_reset() override;
  void on_reply_frames(std::uint16_t unit, std::uint8_t prefix) override {
    frame_unit_ = unit;
    frame_prefix_ = prefix;
  }

  // The association this connection holds (index into Model::associations), or
  // tables::kNone: cosem::Session::association(), public here.
  std::uint16_t association() const override { return association_; }
  // True once a client logged in with a password or HLS (not the public client's
  // "none", not before HLS pass 4).
  bool authenticated() const { return status_ == Status::associated && mechanism_ != tables::Authentication::none; }

 private:
  enum class Status : std::uint8_t { none = 0, pending = 1, associated = 2 };

  // cosem::Session
  std::uint8_t association_status() const override { return static_cast<std::uint8_t>(status_); }
  std::uint32_t negotiated_conformance() const override { return conformance_; }
  std::uint16_t negotiated_max_pdu() const override { return max_pdu_; }
  tables::Authentication mechanism() const override { return mechanism_; }
  ActionResult reply_to_hls_authentication(ByteReader f_stoc, ByteWriter& out) override;

  void on_aarq(std::uint16_t client_sap, std::span<std::uint8_t> request, ByteWriter& out);
  void on_rlrq(ByteReader apdu, ByteWriter& out);
  void on_ciphered(std::span<std::uint8_t> request, ByteWriter& out);
  // Deciphers in place the ciphered `content` (SC IC body tag) lying in
  // `request`; `plain` points at the plaintext.
  security::Unprotected decipher(std::span<std::uint8_t> request, ByteReader content, std::uint8_t required,
                                 const std::uint8_t*& plain);
  void on_service(ByteReader apdu, ByteWriter& out);
  void on_get(ByteReader apdu, ByteWriter& w);
  void on_set(ByteReader apdu, ByteWriter& w);
  void on_action(ByteReader apdu, ByteWriter& w);

  void send_get_block(std::uint32_t block, ByteWriter& w);
  DataAccessResult encode_get_body(const xdlms::GetRequest& rq, ByteWriter& body);
  std::size_t get_reply_limit(const ByteWriter& w) const { return without_cipher(reply_limit(w)); }
  // A GET block's limit: the reply limit cut to whole frames of the transport.
  std::size_t block_reply_limit(const ByteWriter& w) const;
  std::size_t without_cipher(std::size_t limit) const;
  // The ciphered framing a reply carries on this association (0 when plain).
  std::size_t cipher_overhead() const;
  // The most bytes the (ciphered) reply APDU written by `w` may take.
  std::size_t reply_limit(const ByteWriter& w) const;
  DataAccessResult get_one(const xdlms::CosemAttributeDescriptor& a, const xdlms::AccessSelection& s, ByteWriter& out);
  DataAccessResult set_one(const xdlms::CosemAttributeDescriptor& a, const xdlms::AccessSelection& s, ByteReader value);
  DataAccessResult resolve(const tables::LogicalName& ln, std::uint16_t class_id, std::uint16_t& object) const;
  ActionResult check_action(const xdlms::CosemMethodDescriptor& md, std::uint16_t& object) const;
  bool load_keys();
  bool accepted(const security::Unprotected& u, std::uint16_t association);

  Meter& meter_;
  std::uint16_t association_ = tables::kNone;
  Status status_ = Status::none;
  bool ciphered_context_ = false;
  tables::Authentication mechanism_ = tables::Authentication::none;  // the one the client logged in with
  std::uint8_t reply_sc_ = 0;        // SC of the ciphered request being answered, 0 = plain
  std::uint32_t conformance_ = 0;
  std::uint16_t max_pdu_ = 0;
  std::uint16_t frame_unit_ = 0;  // on_reply_frames
  std::uint8_t frame_prefix_ = 0;
  security::Keys keys_{};
  std::uint8_t client_title_[security::kSystemTitleSize]{};
  std::uint8_t server_title_[security::kSystemTitleSize]{};
  std::uint8_t stoc_[16]{};
  std::uint8_t ctos_[64]{};
  std::uint8_t ctos_len_ = 0;

  // A long transfer: a GET whose reply spans blocks keeps its request here (it
  // is re-encoded per block); a SET whose value arrives in blocks collects the
  // value here. One buffer serves both, so starting one abandons the other.
  void start_long_get();
  void start_long_set();
  std::uint8_t long_[kMaxPdu]{};
  std::uint16_t long_len_ = 0;
  std::uint32_t long_get_block_ = 0;  // last block sent, 0 = none in progress
  std::uint32_t long_set_block_ = 0;  // last block received, 0 = none in progress
  xdlms::CosemAttributeDescriptor long_set_attribute_{};
};

}  // namespace metergen::dlms
