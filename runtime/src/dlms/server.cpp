#include <metergen/acse/acse.hpp>
#include <metergen/acse/conformance.hpp>
#include <metergen/axdr/axdr.hpp>
#include <metergen/dlms/nvm_format1.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/log_line.hpp>
#include <metergen/security/hls_gmac.hpp>

namespace metergen::dlms {
namespace {

using tables::AttrAccess;
using tables::Authentication;
using tables::MethodAccess;
namespace cf = acse::conformance;

constexpr std::uint8_t kAarq = 0x60;
constexpr std::uint8_t kRlrq = 0x62;
constexpr std::uint16_t kMinPdu = 64;  // smaller proposals are refused (PDU size too short)
// Room a reply needs besides its Data: the longest service header (a GET
// datablock: C4 02 iid last block(4) 00 length(3)) and, when ciphered, the glo
// framing (tag, length(3), SC, IC, GMAC tag).
constexpr std::size_t kServiceHeader = 12;
constexpr std::size_t kCipherOverhead = 1 + 3 + security::kHeaderSize + security::kTagSize;
constexpr tables::LogicalName kCurrentAssociation{{0, 0, 40, 0, 0, 255}};
constexpr std::uint8_t kProtectionPolicy = tables::kAuthenticatedRequest | tables::kEncryptedRequest |
                                           tables::kAuthenticatedResponse | tables::kEncryptedResponse;

bool readable(AttrAccess a) {
  return a == AttrAccess::read || a == AttrAccess::read_write || a == AttrAccess::auth_read ||
         a == AttrAccess::auth_read_write;
}
bool writable(AttrAccess a) {
  return a == AttrAccess::write || a == AttrAccess::read_write || a == AttrAccess::auth_write ||
         a == AttrAccess::auth_read_write;
}

}  // namespace

std::uint32_t server_conformance() {
  return cf::kBlockTransferWithGetOrRead | cf::kBlockTransferWithSetOrWrite | cf::kMultipleReferences | cf::kGet |
         cf::kSet | cf::kSelectiveAccess | cf::kAction;
}

// ---------------------------------------------------------------------------
// Meter

Meter::Meter(const tables::Model& model, hal::Hal& hal)
    : model_(model),
      hal_(hal),
      engine_(model, hal, objects_),
      profiles_(model, hal),
      objects_(model, hal, *this, profiles_),
      counters_(model, hal),
      logins_(model),
      billing_(model, hal, objects_, profiles_, engine_),
      pusher_(model, hal, objects_, *this),
      time_(model, hal, objects_, engine_, billing_, pusher_),
      load_(model, hal, objects_, engine_, *this),
      events_(model, hal, objects_, profiles_, pusher_),
      monitors_(model, objects_, engine_, *this),
      display_(model, hal, objects_, engine_),
      account_(model, hal, objects_, *this, engine_) {
  engine_.observe(this);
  account_.notify(&events_);
  account_.show_on(&display_);
  billing_.notify(&events_);
  time_.notify(&events_);
}

void Meter::boot() {
  const hal::NvmGeometry g = hal_.nvm_geometry();
  storage::Allocator at(0, g.erase_unit);
  // Records that change often first, the profile buffers after them.
  objects_.place(at, g);
  counters_.place(at, g);
  engine_.place(at, g);
  billing_.place(at, g);
  events_.place(at, g);
  account_.place(at, g);
  profiles_.place(at, g);
  counters_.place_keys(at, g);  // last: added after the others, which keep their places
  nvm_bytes_ = at.end();
  if (nvm_bytes_ > hal_.nvm_size()) hal_.log("storage: the NVM is smaller than the model's layout; records past its end are not kept");
  profiles_.attach(objects_, &time_);
  const std::uint32_t recoveries = storage::recoveries();
  const bool restored = objects_.boot();
  profiles_.boot();
  counters_.boot();
  // A format-1 image read as format 2 is garbage to every record: converted, not an error.
  const bool converted = !restored && convert_format1(*this, nvm_bytes_);
  const bool counters_lost = counters_.settle();
  engine_.boot();
  billing_.boot();
  events_.boot(billing_.last_seen());
  time_.boot();
  load_.boot();
  account_.boot();
  display_.boot();
  // A record restored from an older copy or started from defaults over
  // something that was there (damaged, another model's) is an NVM error.
  if (!converted && (counters_lost || storage::recoveries() != recoveries)) events_.raise(tables::Trigger::nvm_error);
  last_persist_ms_ = hal_.ticks_ms();
}

void Meter::tick() {
  engine_.tick();
  account_.tick();
  load_.tick();
  time_.tick();
  events_.tick();
  monitors_.tick();
  profiles_.tick(hal_.utc_ms());
  pusher_.tick();
  logins_.tick(hal_.ticks_ms());
  display_.tick();
  constexpr std::uint32_t kPersistEveryMs = 60000;
  if (hal_.ticks_ms() - last_persist_ms_ >= kPersistEveryMs) {
    last_persist_ms_ = hal_.ticks_ms();
    saved(objects_.persist());  // only when changed; the energy record keeps its own 15-minute schedule (docs/energy.md)
  }
}

bool Meter::persist() {
  last_persist_ms_ = hal_.ticks_ms();
  const bool objects = objects_.persist();
  const bool energy = engine_.persist();
  const bool events = events_.persist();
  const bool account = account_.persist();
  return saved(time_.persist() && objects && energy && events && account);
}

bool Meter::saved(bool ok) {
  if (!ok) events_.raise(tables::Trigger::nvm_error);
  return ok;
}

std::uint32_t Meter::login_locked_for_s(std::uint16_t association) const {
  return logins_.locked_for_s(association, hal_.ticks_ms());
}

void Meter::login_result(std::uint16_t association, bool ok) {
  events_.authentication(ok);
  if (ok) {
    logins_.succeeded(association);
    return;
  }
  const std::uint32_t seconds = logins_.failed(association, hal_.ticks_ms());
  if (seconds == 0) return;
  LogLine line;
  line.text("login: client SAP ").number(model_.associations[association].client_sap).text(" locked for ");
  line.number(seconds).text(" s after ").number(logins_.threshold()).text(" failed logins in a row");
  hal_.log(line.c_str());
}

void Meter::clock_set() {
  engine_.clock_set();
  time_.clock_set();
  events_.clock_set();
}

// ---------------------------------------------------------------------------
// Connection: dispatch

Connection::Connection(Meter& meter) : meter_(meter) {}

void Connection::on_link_reset() {
  association_ = tables::kNone;
  status_ = Status::none;
  ciphered_context_ = false;
  mechanism_ = Authentication::none;
  reply_sc_ = 0;
  long_get_block_ = 0;
  long_set_block_ = 0;
}

bool Connection::on_apdu(std::uint16_t client_sap, std::uint16_t, std::span<std::uint8_t> request, ByteWriter& out) {
  if (request.empty()) return false;
  ByteReader apdu(request.data(), request.size());
  std::uint8_t tag = apdu.peek();
  if (tag == kAarq) {
    on_aarq(client_sap, request, out);
    return true;
  }
  if (association_ == tables::kNone || meter_.model().associations[association_].client_sap != client_sap) {
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed,
                                  xdlms::ServiceError::operation_not_possible);
    return true;
  }
  if (tag == kRlrq) {
    on_rlrq(apdu, out);
    return true;
  }
  if (security::plain_tag_of(tag) != 0 || tag == security::kGeneralGloCipheringTag) {
    on_ciphered(request, out);
    return true;
  }
  const tables::AssociationDef& a = meter_.model().associations[association_];
  if (a.security_policy & (tables::kAuthenticatedRequest | tables::kEncryptedRequest)) {
    // The policy demands protected requests: a plain one is refused unread.
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed,
                                  xdlms::ServiceError::operation_not_possible);
    return true;
  }
  reply_sc_ = 0;
  on_service(apdu, out);
  return true;
}

void Connection::on_service(ByteReader apdu, ByteWriter& out) {
  const bool cipher = reply_sc_ != 0;
  // The reply is written straight into the transport's buffer; one to be
  // ciphered leaves room for the glo header in front and the tag behind, and
  // is ciphered where it is.
  const std::size_t front = cipher ? security::kGloHeaderRoom : 0;
  const std::size_t framing = cipher ? front + security::kTagSize : 0;
  const std::size_t room = out.capacity() - out.size();
  std::uint8_t* const plain = out.data() + out.size() + front;
  ByteWriter reply(plain, room > framing ? room - framing : 0);
  switch (apdu.peek()) {
    case xdlms::kGetRequest: on_get(apdu, reply); break;
    case xdlms::kSetRequest: on_set(apdu, reply); break;
    case xdlms::kActionRequest: on_action(apdu, reply); break;
    default:
      xdlms::put_exception_response(reply, xdlms::StateError::service_not_allowed,
                                    xdlms::ServiceError::service_not_supported);
  }
  if (!cipher) {
    out.commit(reply.size());
    return;
  }
  if (security::glo_tag_of(plain[0]) == 0) {  // exception-response has no ciphered form
    out.bytes(plain, reply.size());
    return;
  }
  const std::uint32_t ic = meter_.next_server_counter(association_);
  if (ic == 0) {  // no counter could be reserved: never send a nonce twice
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed, xdlms::ServiceError::other_reason);
    return;
  }
  security::protect_glo(out, reply_sc_, keys_, server_title_, ic, plain, reply.size());
}

security::Unprotected Connection::decipher(std::span<std::uint8_t> request, ByteReader content, std::uint8_t required,
                                           const std::uint8_t*& plain) {
  // The plaintext goes over the ciphertext: SC and IC are in front of it.
  const std::size_t at = static_cast<std::size_t>(content.current() - request.data()) + security::kHeaderSize;
  std::uint8_t* body = request.data() + (at < request.size() ? at : request.size());
  plain = body;
  return security::unprotect(content, required, keys_, client_title_, body,
                             static_cast<std::size_t>(request.data() + request.size() - body));
}

// ---------------------------------------------------------------------------
// Association control

bool Connection::load_keys() {
  hal::Hal& hal = meter_.hal();
  auto index = static_cast<std::uint8_t>(association_);
  return hal.secret(index, hal::Secret::encryption_key, keys_.ek, sizeof(keys_.ek)) == sizeof(keys_.ek) &&
         hal.secret(index, hal::Secret::authentication_key, keys_.ak, sizeof(keys_.ak)) == sizeof(keys_.ak) &&
         hal.secret(index, hal::Secret::server_system_title, server_title_, sizeof(server_title_)) ==
             sizeof(server_title_);
}

void Connection::on_aarq(std::uint16_t client_sap, std::span<std::uint8_t> request, ByteWriter& out) {
  on_link_reset();
  const tables::Model& m = meter_.model();
  acse::Aarq rq;
  acse::Aare re;
  re.context = acse::ContextId::ln;
  re.result = acse::AssociationResult::rejected_permanent;
  re.diagnostic = static_cast<std::uint8_t>(acse::UserDiagnostic::no_reason_given);
  std::uint8_t user_info[64];
  ByteWriter info(user_info, sizeof(user_info));
  auto reject = [&](acse::UserDiagnostic d) {
    re.diagnostic = static_cast<std::uint8_t>(d);
    acse::encode_aare(re, out);
    on_link_reset();
  };
  auto reject_initiate = [&](acse::InitiateError e) {
    acse::encode_initiate_error(e, info);
    re.user_information = {user_info, info.size()};
    re.diagnostic = static_cast<std::uint8_t>(acse::UserDiagnostic::null);
    acse::encode_aare(re, out);
    on_link_reset();
  };

  ByteReader apdu(request.data(), request.size());
  if (!acse::decode_aarq(apdu, rq)) return reject(acse::UserDiagnostic::no_reason_given);
  re.context = rq.context;
  std::uint16_t index = tables::kNone;
  for (std::uint8_t i = 0; i < m.association_count && i < kMaxAssociations; ++i)
    if (m.associations[i].client_sap == client_sap) index = i;
  if (index == tables::kNone) return reject(acse::UserDiagnostic::no_reason_given);
  const tables::AssociationDef& a = m.associations[index];
  association_ = index;

  // Context: LN, or LN with ciphering when the association has keys. An
  // association whose security policy protects APDUs takes only the ciphered
  // context: a plain login would be accepted and then refuse every request.
  ciphered_context_ = rq.context == acse::ContextId::ln_ciphered;
  // Keys whose frame counters were lost (or used up) are not used: the
  // association is answered as one without keys (docs/nvm-format.md).
  bool keys = a.security_setup != tables::kNone && !meter_.counters().exhausted(index) && load_keys();
  const bool plain_allowed = (a.security_policy & kProtectionPolicy) == 0;
  if (!((rq.context == acse::ContextId::ln && plain_allowed) || (ciphered_context_ && keys)))
    return reject(acse::UserDiagnostic::application_context_name_not_supported);

  // Mechanism: the association's own, or its declared fallback.
  auto mechanism = static_cast<Authentication>(rq.has_mechanism ? static_cast<std::uint8_t>(rq.mechanism) : 0);
  bool allowed = mechanism == a.authentication ||
                 (a.fallback_authentication != Authentication::none && mechanism == a.fallback_authentication);
  if (!allowed)
    return reject(rq.has_mechanism ? acse::UserDiagnostic::mechanism_name_not_recognised
                                   : acse::UserDiagnostic::mechanism_name_required);
  // A locked association refuses logins without looking at them.
  if (mechanism != Authentication::none && meter_.login_locked_for_s(index) > 0)
    return reject(acse::UserDiagnostic::authentication_failure);
  // The client's system title is needed to decipher (ciphered context) and for
  // HLS-GMAC, not for a password login in the plain context, which usually
  // sends none, whatever the association's own mechanism.
  if (ciphered_context_ || mechanism == Authentication::hls_gmac) {
    if (rq.calling_ap_title.size != security::kSystemTitleSize)
      return reject(acse::UserDiagnostic::calling_ap_title_not_recognized);
    copy_bytes(client_title_, rq.calling_ap_title.data, security::kSystemTitleSize);
  }
  if (mechanism == Authentication::lls) {
    std::uint8_t secret[acse::kMaxAuthenticationValue];
    std::size_t n = meter_.hal().secret(static_cast<std::uint8_t>(index), hal::Secret::lls_password, secret, sizeof(secret));
    if (n == 0 || rq.authentication_value.size != n || !equal_secret(secret, rq.authentication_value.data, n)) {
      meter_.login_result(index, false);
      return reject(acse::UserDiagnostic::authentication_failure);
    }
  }
  if (mechanism == Authentication::hls_gmac) {
    if (!keys || rq.authentication_value.size < 8 || rq.authentication_value.size > sizeof(ctos_))
      return reject(acse::UserDiagnostic::authentication_failure);
    ctos_len_ = static_cast<std::uint8_t>(rq.authentication_value.size);
    copy_bytes(ctos_, rq.authentication_value.data, ctos_len_);
    meter_.hal().random(stoc_, sizeof(stoc_));
  }

  // xDLMS InitiateRequest, plain or (in a ciphered context) glo-ciphered.
  acse::InitiateRequest init;
  acse::ByteView glo;
  acse::Initiate kind = acse::decode_initiate_request(rq.user_information, init, glo);
  bool initiate_ciphered = kind == acse::Initiate::ciphered;
  if (initiate_ciphered) {
    if (!ciphered_context_) return reject(acse::UserDiagnostic::no_reason_given);
    ByteReader r(glo.data, glo.size);
    security::GloFrame frame;
    if (!security::parse_glo(r, frame)) return reject(acse::UserDiagnostic::no_reason_given);
    const std::uint8_t* plain = nullptr;
    security::Unprotected u = decipher(request, frame.content, security::kScAuthentication, plain);
    if (!accepted(u, index)) return reject(acse::UserDiagnostic::authentication_failure);
    reply_sc_ = u.sc;
    kind = acse::decode_initiate_request({plain, u.length}, init, glo);
  }
  if (kind != acse::Initiate::plain) return reject_initiate(acse::InitiateError::other);
  if (init.dlms_version < acse::kDlmsVersion) return reject_initiate(acse::InitiateError::dlms_version_too_low);
  if (init.max_receive_pdu_size < kMinPdu) return reject_initiate(acse::InitiateError::pdu_size_too_short);
  conformance_ = init.conformance & server_conformance();
  if (conformance_ == 0) return reject_initiate(acse::InitiateError::incompatible_conformance);
  max_pdu_ = init.max_receive_pdu_size < kMaxPdu ? init.max_receive_pdu_size : kMaxPdu;

  // Accepted.
  re.result = acse::AssociationResult::accepted;
  re.diagnostic = static_cast<std::uint8_t>(acse::UserDiagnostic::null);
  if (ciphered_context_ || mechanism == Authentication::hls_gmac) re.responding_ap_title = {server_title_, sizeof(server_title_)};
  if (mechanism == Authentication::hls_gmac) {
    re.diagnostic = static_cast<std::uint8_t>(acse::UserDiagnostic::authentication_required);
    re.authentication = true;
    re.has_mechanism = true;
    re.mechanism = acse::Mechanism::hls_gmac;
    re.authentication_value = {stoc_, sizeof(stoc_)};
  }
  std::uint8_t initiate[16];
  ByteWriter iw(initiate, sizeof(initiate));
  acse::encode_initiate_response(conformance_, kMaxPdu, iw);
  const std::uint32_t initiate_ic = initiate_ciphered ? meter_.next_server_counter(index) : 0;
  if (initiate_ciphered && initiate_ic == 0) return reject(acse::UserDiagnostic::no_reason_given);
  if (initiate_ciphered) {
    const std::uint32_t ic = initiate_ic;
    security::protect_glo(info, reply_sc_, keys_, server_title_, ic, initiate, iw.size());
    re.user_information = {user_info, info.size()};
  } else {
    re.user_information = {initiate, iw.size()};
  }
  acse::encode_aare(re, out);
  status_ = mechanism == Authentication::hls_gmac ? Status::pending : Status::associated;
  mechanism_ = mechanism;
  if (status_ == Status::associated) meter_.login_result(index, true);
  reply_sc_ = 0;
}

void Connection::on_rlrq(ByteReader apdu, ByteWriter& out) {
  acse::Release rq;
  acse::Release re;
  re.has_reason = true;
  re.reason = acse::kReleaseNormal;
  if (!acse::decode_rlrq(apdu, rq)) {
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed, xdlms::ServiceError::other_reason);
    return;
  }
  acse::encode_rlre(re, out);
  on_link_reset();
}

void Connection::on_ciphered(std::span<std::uint8_t> request, ByteWriter& out) {
  const tables::AssociationDef& a = meter_.model().associations[association_];
  ByteReader apdu(request.data(), request.size());
  security::GloFrame frame;
  if (!ciphered_context_ || !security::parse_glo(apdu, frame)) {
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed,
                                  xdlms::ServiceError::service_not_supported);
    return;
  }
  std::uint8_t required = security::kScAuthentication;
  if (a.security_policy & tables::kEncryptedRequest) required |= security::kScEncryption;
  const std::uint8_t* plain = nullptr;
  security::Unprotected u = decipher(request, frame.content, required, plain);
  if (u.status != security::Status::ok) {
    meter_.events().raise(tables::Trigger::decryption_failure);
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed, xdlms::ServiceError::deciphering_error);
    return;
  }
  if (!accepted(u, association_)) {
    xdlms::put_exception_response_invocation_counter(out, xdlms::StateError::service_not_allowed,
                                                     meter_.expected_client_counter(association_));
    return;
  }
  // The plain APDU inside must be the service the glo tag named.
  if (frame.tag != security::kGeneralGloCipheringTag && (u.length == 0 || plain[0] != security::plain_tag_of(frame.tag))) {
    xdlms::put_exception_response(out, xdlms::StateError::service_not_allowed, xdlms::ServiceError::deciphering_error);
    return;
  }
  reply_sc_ = u.sc;
  if (a.security_policy & tables::kEncryptedResponse) reply_sc_ |= security::kScEncryption;
  if (a.security_policy & tables::kAuthenticatedResponse) reply_sc_ |= security::kScAuthentication;
  on_service(ByteReader(plain, u.length), out);
  reply_sc_ = 0;
}

ActionResult Connection::reply_to_hls_authentication(ByteReader f_stoc, ByteWriter& out) {
  if (status_ != Status::pending) return ActionResult::read_write_denied;
  const std::uint8_t* reply = f_stoc.take(f_stoc.remaining());
  std::uint32_t ic = 0;
  if (!reply || !security::hls_gmac_verify(keys_, client_title_, stoc_, sizeof(stoc_), reply,
                                           f_stoc.position(), &ic) ||
      !meter_.accept_client_counter(association_, ic)) {
    meter_.login_result(association_, false);
    return ActionResult::read_write_denied;
  }
  const std::uint32_t server_ic = meter_.next_server_counter(association_);
  if (server_ic == 0) return ActionResult::hardware_fault;
  std::uint8_t f_ctos[security::kHlsGmacReplySize];
  security::hls_gmac_reply(keys_, server_title_, server_ic, ctos_, ctos_len_, f_ctos);
  axdr::put_octet_string(out, f_ctos, sizeof(f_ctos));
  status_ = Status::associated;
  meter_.login_result(association_, true);
  return ActionResult::success;
}

// A ciphered APDU that deciphered: its frame counter must be new (else a replay).
bool Connection::accepted(const security::Unprotected& u, std::uint16_t association) {
  if (u.status != security::Status::ok) {
    meter_.events().raise(tables::Trigger::decryption_failure);
    return false;
  }
  if (meter_.accept_client_counter(association, u.ic)) return true;
  meter_.events().raise(tables::Trigger::replay_attack);
  return false;
}

// ---------------------------------------------------------------------------
// GET

// The object a request names, as this association sees it: object-undefined
// when the association does not list it, object-class-inconsistent when the
// request names another class.
DataAccessResult Connection::resolve(const tables::LogicalName& ln, std::uint16_t class_id,
                                     std::uint16_t& object) const {
  const tables::Model& m = meter_.model();
  object = tables::find_object(m, ln);
  if (object == tables::kNone || m.associations[association_].object_access[object] == tables::kNone)
    return DataAccessResult::object_undefined;
  return m.objects[object].class_id == class_id ? DataAccessResult::success
                                                : DataAccessResult::object_class_inconsistent;
}

DataAccessResult Connection::get_one(const xdlms::CosemAttributeDescriptor& a, const xdlms::AccessSelection& s,
                                     ByteWriter& out) {
  std::uint16_t object = tables::kNone;
  if (DataAccessResult r = resolve(a.ln, a.class_id, object); r != DataAccessResult::success) return r;
  if (status_ != Status::associated || !readable(meter_.objects().attribute_access(association_, object, a.attribute_id)))
    return DataAccessResult::read_write_denied;
  cosem::Selection sel{s.selector, s.parameters};
  return meter_.objects().get(*this, object, a.attribute_id, s.present ? &sel : nullptr, out);
}

void Connection::on_get(ByteReader apdu, ByteWriter& w) {
  const std::uint8_t* request = apdu.current();
  const std::size_t request_len = apdu.remaining();
  xdlms::GetRequest rq{};
  xdlms::Decode d = xdlms::decode_get_request(apdu, rq);
  if (d != xdlms::Decode::ok) {
    xdlms::put_exception_response(w, xdlms::StateError::service_not_allowed,
                                  d == xdlms::Decode::unknown_choice ? xdlms::ServiceError::service_not_supported
                                                                     : xdlms::ServiceError::other_reason);
    return;
  }
  if (rq.type == xdlms::GetRequestType::next) {
    if (long_get_block_ == 0) {
      xdlms::put_get_response_block_error(w, rq.invoke_id, true, rq.block_number,
                                          DataAccessResult::no_long_get_in_progress);
    } else if (rq.block_number != long_get_block_) {
      long_get_block_ = 0;
      xdlms::put_get_response_block_error(w, rq.invoke_id, true, rq.block_number,
                                          DataAccessResult::data_block_number_invalid);
    } else {
      send_get_block(long_get_block_ + 1, w);
    }
    return;
  }
  long_get_block_ = 0;
  const std::size_t limit = get_reply_limit(w);
  if (rq.type == xdlms::GetRequestType::normal) {
    xdlms::put_get_response_data(w, rq.invoke_id);
  } else {
    w.u8(xdlms::kGetResponse);
    w.u8(static_cast<std::uint8_t>(xdlms::GetRequestType::with_list));
    w.u8(rq.invoke_id);
  }
  const std::size_t header = w.size();
  ByteWriter body(w.data() + header, limit > header ? limit - header : 0);
  DataAccessResult r = encode_get_body(rq, body);
  if (r != DataAccessResult::success) {
    w.truncate(0);
    xdlms::put_get_response_error(w, rq.invoke_id, r);
    return;
  }
  if (!body.overflow()) {
    w.commit(body.size());
    return;
  }
  // Too long for one APDU: keep the request and send the body in blocks.
  w.truncate(0);
  if (!(conformance_ & cf::kBlockTransferWithGetOrRead) || request_len > sizeof(long_)) {
    xdlms::put_get_response_error(w, rq.invoke_id, DataAccessResult::other_reason);
    return;
  }
  start_long_get();
  long_len_ = static_cast<std::uint16_t>(request_len);
  copy_bytes(long_, request, request_len);
  send_get_block(1, w);
}

void Connection::start_long_get() {
  long_set_block_ = 0;
  long_len_ = 0;
}

void Connection::start_long_set() {
  long_get_block_ = 0;
  long_len_ = 0;
}

std::size_t Connection::cipher_overhead() const { return reply_sc_ ? kCipherOverhead : 0; }

std::size_t Connection::reply_limit(const ByteWriter& w) const {
  // The APDU sent: the negotiated PDU size, and what the transport's buffer
  // holds (the writer of a reply to be ciphered leaves the framing's room in it).
  const std::size_t framing = cipher_overhead();
  const std::size_t limit = max_pdu_ && max_pdu_ < kMaxPdu ? max_pdu_ : kMaxPdu;
  return w.capacity() + framing < limit ? w.capacity() + framing : limit;
}

std::size_t Connection::without_cipher(std::size_t limit) const {
  const std::size_t overhead = cipher_overhead();
  return limit > overhead ? limit - overhead : 0;
}

// prefix + APDU a whole number of frames, when at least one frame fits: a full
// block (header kServiceHeader, cipher framing kCipherOverhead) then ends
// exactly at a frame's end instead of leaving a short frame behind it.
std::size_t Connection::block_reply_limit(const ByteWriter& w) const {
  std::size_t limit = reply_limit(w);
  if (frame_unit_ != 0 && limit + frame_prefix_ >= frame_unit_)
    limit = (limit + frame_prefix_) / frame_unit_ * frame_unit_ - frame_prefix_;
  return without_cipher(limit);
}

DataAccessResult Connection::encode_get_body(const xdlms::GetRequest& rq, ByteWriter& body) {
  if (rq.type == xdlms::GetRequestType::normal) return get_one(rq.attribute, rq.access, body);
  // With-list: count, then per item its Data or its error. A dry run learns
  // each item's result before anything of it is written.
  axdr::put_length(body, rq.list.count);
  xdlms::AttributeList list = rq.list;
  xdlms::CosemAttributeDescriptor a;
  xdlms::AccessSelection s;
  while (list.next(a, s)) {
    ByteWriter counter(nullptr, 0, static_cast<std::size_t>(-1));
    DataAccessResult r = get_one(a, s, counter);
    if (r != DataAccessResult::success) {
      xdlms::put_list_item_error(body, r);
      continue;
    }
    xdlms::put_list_item_data(body);
    get_one(a, s, body);
  }
  return DataAccessResult::success;
}

void Connection::send_get_block(std::uint32_t block, ByteWriter& w) {
  xdlms::GetRequest rq{};
  xdlms::decode_get_request(ByteReader(long_, long_len_), rq);
  const std::size_t limit = block_reply_limit(w);
  const std::size_t raw_cap = limit > kServiceHeader ? limit - kServiceHeader : 0;
  // Encode the block's window of the body after room for the longest header,
  // then write the real header and move the raw bytes up against it.
  ByteWriter window(w.data() + kServiceHeader, raw_cap, static_cast<std::size_t>(block - 1) * raw_cap);
  DataAccessResult r = encode_get_body(rq, window);
  const bool last = window.position() <= static_cast<std::size_t>(block) * raw_cap;
  if (r != DataAccessResult::success || raw_cap == 0 || window.size() == 0) {
    long_get_block_ = 0;
    xdlms::put_get_response_block_error(w, rq.invoke_id, true, block,
                                        r != DataAccessResult::success ? r : DataAccessResult::long_get_aborted);
    return;
  }
  const std::size_t n = window.size();
  xdlms::put_get_response_block_header(w, rq.invoke_id, last, block, static_cast<std::uint32_t>(n));
  const std::size_t at = w.size();
  for (std::size_t i = 0; i < n; ++i) w.data()[at + i] = w.data()[kServiceHeader + i];  // at <= kServiceHeader
  w.commit(n);
  long_get_block_ = last ? 0 : block;
}

// ---------------------------------------------------------------------------
// SET

DataAccessResult Connection::set_one(const xdlms::CosemAttributeDescriptor& a, const xdlms::AccessSelection& s,
                                     ByteReader value) {
  std::uint16_t object = tables::kNone;
  if (DataAccessResult r = resolve(a.ln, a.class_id, object); r != DataAccessResult::success) return r;
  if (status_ != Status::associated || !writable(meter_.objects().attribute_access(association_, object, a.attribute_id)))
    return DataAccessResult::read_write_denied;
  cosem::Selection sel{s.selector, s.parameters};
  const DataAccessResult r = meter_.objects().set(*this, object, a.attribute_id, s.present ? &sel : nullptr, value);
  // Acknowledged means kept: the changed state is in NVM before the answer;
  // when it cannot be written the object's state goes back to the kept one.
  if (r != DataAccessResult::success || meter_.commit_changes()) return r;
  meter_.objects().revert(object);
  return DataAccessResult::hardware_fault;
}

void Connection::on_set(ByteReader apdu, ByteWriter& w) {
  xdlms::SetRequest rq{};
  xdlms::Decode d = xdlms::decode_set_request(apdu, rq);
  if (d != xdlms::Decode::ok || rq.type == xdlms::SetRequestType::with_list_and_first_datablock) {
    xdlms::put_exception_response(w, xdlms::StateError::service_not_allowed,
                                  d == xdlms::Decode::malformed ? xdlms::ServiceError::other_reason
                                                                : xdlms::ServiceError::service_not_supported);
    return;
  }
  switch (rq.type) {
    case xdlms::SetRequestType::normal:
      long_set_block_ = 0;
      xdlms::put_set_response(w, rq.invoke_id, set_one(rq.attribute, rq.access, rq.value));
      return;
    case xdlms::SetRequestType::with_list: {
      long_set_block_ = 0;
      constexpr std::uint32_t kMaxItems = 32;
      DataAccessResult results[kMaxItems];
      if (rq.list.count > kMaxItems) {
        xdlms::put_exception_response(w, xdlms::StateError::service_not_allowed, xdlms::ServiceError::pdu_too_long);
        return;
      }
      xdlms::CosemAttributeDescriptor a;
      xdlms::AccessSelection s;
      ByteReader value;
      std::uint32_t n = 0;
      while (rq.list.next(a, s) && rq.values.next(value)) results[n++] = set_one(a, s, value);
      xdlms::put_set_response_list(w, rq.invoke_id, results, n);
      return;
    }
    case xdlms::SetRequestType::with_first_datablock:
      long_set_block_ = 0;
      if (!(conformance_ & cf::kBlockTransferWithSetOrWrite) || rq.block.number != 1) {
        xdlms::put_set_response_last_datablock(w, rq.invoke_id, DataAccessResult::data_block_number_invalid,
                                               rq.block.number);
        return;
      }
      start_long_set();
      long_set_attribute_ = rq.attribute;
      break;
    default:  // with_datablock
      if (long_set_block_ == 0 || rq.block.number != long_set_block_ + 1) {
        DataAccessResult r = long_set_block_ == 0 ? DataAccessResult::no_long_set_in_progress
                                                  : DataAccessResult::data_block_number_invalid;
        long_set_block_ = 0;
        xdlms::put_set_response_last_datablock(w, rq.invoke_id, r, rq.block.number);
        return;
      }
  }
  const std::size_t n = rq.block.raw.remaining();
  if (n > sizeof(long_) - long_len_) {
    long_set_block_ = 0;
    xdlms::put_set_response_last_datablock(w, rq.invoke_id, DataAccessResult::long_set_aborted, rq.block.number);
    return;
  }
  copy_bytes(long_ + long_len_, rq.block.raw.take(n), n);
  long_len_ = static_cast<std::uint16_t>(long_len_ + n);
  if (!rq.block.last) {
    long_set_block_ = rq.block.number;
    xdlms::put_set_response_datablock(w, rq.invoke_id, rq.block.number);
    return;
  }
  long_set_block_ = 0;
  // The blocks together must hold exactly one Data.
  ByteReader check(long_, long_len_);
  DataAccessResult r = DataAccessResult::type_unmatched;
  if (axdr::skip_value(check) && check.empty())
    r = set_one(long_set_attribute_, xdlms::AccessSelection{false, 0, {}}, ByteReader(long_, long_len_));
  xdlms::put_set_response_last_datablock(w, rq.invoke_id, r, rq.block.number);
}

// ---------------------------------------------------------------------------
// ACTION

ActionResult Connection::check_action(const xdlms::CosemMethodDescriptor& md, std::uint16_t& object) const {
  const tables::Model& m = meter_.model();
  // Data-Access-Result and Action-Result share the wire values 0..14.
  if (DataAccessResult r = resolve(md.ln, md.class_id, object); r != DataAccessResult::success)
    return static_cast<ActionResult>(r);
  if (status_ == Status::pending) {
    // Until HLS pass 4 only reply_to_HLS_authentication on the own association is open.
    bool own = md.ln == kCurrentAssociation || md.ln == m.associations[association_].ln;
    if (md.class_id != 15 || md.method_id != 1 || !own) return ActionResult::read_write_denied;
  }
  if (meter_.objects().method_access(association_, object, md.method_id) == MethodAccess::none &&
      !(status_ == Status::pending && md.class_id == 15 && md.method_id == 1))
    return ActionResult::read_write_denied;
  return ActionResult::success;
}

void Connection::on_action(ByteReader apdu, ByteWriter& w) {
  xdlms::ActionRequest rq{};
  xdlms::Decode d = xdlms::decode_action_request(apdu, rq);
  if (d != xdlms::Decode::ok || rq.type != xdlms::ActionRequestType::normal) {
    xdlms::put_exception_response(w, xdlms::StateError::service_not_allowed,
                                  d == xdlms::Decode::malformed ? xdlms::ServiceError::other_reason
                                                                : xdlms::ServiceError::service_not_supported);
    return;
  }
  std::uint16_t object = tables::kNone;
  ActionResult r = check_action(rq.method, object);
  if (r != ActionResult::success) {
    xdlms::put_action_response(w, rq.invoke_id, r);
    return;
  }
  // Return data goes in place after the 6-byte header `C7 01 iid result 01 00`.
  constexpr std::size_t kHeader = 6;
  const std::size_t limit = get_reply_limit(w);
  ByteWriter ret(w.data() + kHeader, limit > kHeader ? limit - kHeader : 0);
  bool has_return = false;
  r = meter_.objects().action(*this, object, rq.method.method_id,
                              rq.has_parameters ? rq.parameters : ByteReader(), ret, has_return);
  if (r == ActionResult::success && !meter_.commit_changes()) {
    meter_.objects().revert(object);
    r = ActionResult::hardware_fault;
  }
  if (r == ActionResult::success && has_return && !ret.overflow()) {
    xdlms::put_action_response_data(w, rq.invoke_id, r);
    w.commit(ret.size());
    return;
  }
  xdlms::put_action_response(w, rq.invoke_id, r == ActionResult::success && has_return ? ActionResult::other_reason : r);
}

}  // namespace metergen::dlms
