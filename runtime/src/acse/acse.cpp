// ACSE and xDLMS Initiate codecs (see acse/acse.hpp). Uses bytes.hpp and the
// A-XDR length prefix; nothing else.
#include <metergen/acse/acse.hpp>

#include <limits>

#include <metergen/axdr/axdr.hpp>

namespace metergen::acse {
namespace {

constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

// OID bodies 2.16.756.5.8.<kind>.<arc>: 60 85 74 05 08 <kind> <arc>.
constexpr std::uint8_t kDlmsOidPrefix[5] = {0x60, 0x85, 0x74, 0x05, 0x08};
constexpr std::size_t kDlmsOidSize = 7;
constexpr std::uint8_t kOidContext = 0x01;
constexpr std::uint8_t kOidMechanism = 0x02;

constexpr std::uint8_t kInitiateRequestTag = 0x01;
constexpr std::uint8_t kInitiateResponseTag = 0x08;
constexpr std::uint8_t kConfirmedServiceErrorTag = 0x0E;
constexpr std::uint8_t kGloInitiateRequestTag = 0x21;
constexpr std::uint8_t kGloInitiateResponseTag = 0x28;
constexpr std::uint8_t kInitiateErrorService = 0x01;  // ConfirmedServiceError choice initiateError
constexpr std::uint8_t kInitiateErrorType = 0x06;     // ServiceError choice initiate

// ---- BER reading ----------------------------------------------------------

// Short form, or long form 81 xx / 82 xx xx; anything else (indefinite, wider) fails.
std::size_t get_ber_length(ByteReader& r) {
  std::uint8_t b = r.u8();
  if (b < 0x80) return b;
  if (b == 0x81) return r.u8();
  if (b == 0x82) return r.be16();
  r.fail();
  return 0;
}

// Reads one tag and length from r; returns a reader over the content (consumed from r).
ByteReader element(ByteReader& r, std::uint8_t& tag) {
  tag = r.u8();
  if ((tag & 0x1F) == 0x1F) r.fail();  // multi-byte tag numbers: no ACSE component has one
  return r.sub(get_ber_length(r));
}

ByteReader expect(ByteReader& r, std::uint8_t tag) {
  std::uint8_t got = 0;
  ByteReader content = element(r, got);
  if (got != tag) r.fail();
  return content;
}

// The content of a primitive element `tag` of at most `max` bytes.
ByteView tagged_bytes(ByteReader& r, std::uint8_t tag, std::size_t max) {
  ByteReader content = expect(r, tag);
  std::size_t n = content.remaining();
  if (r.error() || n > max) {
    r.fail();
    return {};
  }
  return {content.take(n), n};
}

ByteView rest(ByteReader& r) {
  std::size_t n = r.remaining();
  return {r.take(n), n};
}

// `02 01 v`: the one-byte INTEGER every DLMS result and diagnostic uses.
std::uint8_t small_integer(ByteReader& r) {
  if (r.u8() != 0x02 || r.u8() != 0x01) r.fail();
  return r.u8();
}

// Last arc of a 2.16.756.5.8.<kind>.x OID body, or 0xFF for any other OID.
std::uint8_t dlms_oid_arc(ByteView oid, std::uint8_t kind) {
  if (oid.size != kDlmsOidSize || !equal_bytes(oid.data, kDlmsOidPrefix, sizeof kDlmsOidPrefix) ||
      oid.data[5] != kind)
    return 0xFF;
  return oid.data[6];
}

ContextId context_of(ByteReader& c) {
  std::uint8_t arc = dlms_oid_arc(tagged_bytes(c, 0x06, kUnlimited), kOidContext);
  return arc >= 1 && arc <= 4 ? static_cast<ContextId>(arc) : ContextId::unknown;
}

// Implicitly tagged OID (8B, 89): the content is the OID body.
Mechanism mechanism_of(ByteReader& c) {
  std::uint8_t arc = dlms_oid_arc(rest(c), kOidMechanism);
  return arc <= 7 ? static_cast<Mechanism>(arc) : Mechanism::unknown;
}

// ACSE-requirements BIT STRING: unused-bit count, then bits; authentication = bit 0.
bool authentication_bit(ByteReader& c) {
  if (c.u8() > 7) c.fail();
  bool authentication = (c.peek() & 0x80) != 0;
  rest(c);
  return authentication;
}

// Reads every component of the APDU `apdu_tag` that fills `apdu` exactly, calling
// on_component(tag, content); it returns false for components it does not know,
// which are skipped. A known component must consume its content exactly.
template <class OnComponent>
bool for_each_component(ByteReader apdu, std::uint8_t apdu_tag, OnComponent on_component) {
  ByteReader body = expect(apdu, apdu_tag);
  if (apdu.error() || !apdu.empty()) return false;
  while (!body.empty()) {  // every pass consumes at least two bytes or fails
    std::uint8_t tag = 0;
    ByteReader content = element(body, tag);
    if (body.error()) return false;
    if (on_component(tag, content) && (content.error() || !content.empty())) return false;
  }
  return true;
}

// ---- BER writing ----------------------------------------------------------

std::size_t ber_length_size(std::size_t n) { return n < 0x80 ? 1 : n <= 0xFF ? 2 : 3; }

void put_ber_length(ByteWriter& w, std::size_t n) {
  if (n >= 0x80) w.u8(n <= 0xFF ? 0x81 : 0x82);
  if (n > 0xFF) w.u8(static_cast<std::uint8_t>(n >> 8));
  w.u8(static_cast<std::uint8_t>(n));
}

// `outer L inner n <bytes>`: an explicitly tagged primitive (A6 04, AC 80, BE 04 …).
void put_wrapped(ByteWriter& w, std::uint8_t outer, std::uint8_t inner, ByteView v) {
  w.u8(outer);
  put_ber_length(w, 1 + ber_length_size(v.size) + v.size);
  w.u8(inner);
  put_ber_length(w, v.size);
  w.bytes(v.data, v.size);
}

void put_oid_body(ByteWriter& w, std::uint8_t kind, std::uint8_t arc) {
  w.u8(kDlmsOidSize);
  w.bytes(kDlmsOidPrefix, sizeof kDlmsOidPrefix);
  w.u8(kind);
  w.u8(arc);
}

void put_context(ByteWriter& w, ContextId context) {
  w.u8(0xA1);
  w.u8(2 + kDlmsOidSize);
  w.u8(0x06);
  put_oid_body(w, kOidContext, static_cast<std::uint8_t>(context));
}

// `<tag> 02 07 80`: one bit, authentication, set.
void put_authentication_bit(ByteWriter& w, std::uint8_t tag) {
  const std::uint8_t bits[] = {tag, 0x02, 0x07, 0x80};
  w.bytes(bits, sizeof bits);
}

// The APDU's tag and length, then its body: the body is produced twice, first
// only to count its bytes.
template <class T>
bool put_apdu(ByteWriter& w, std::uint8_t tag, const T& in, void (*body)(const T&, ByteWriter&)) {
  ByteWriter counter(nullptr, 0, kUnlimited);
  body(in, counter);
  w.u8(tag);
  put_ber_length(w, counter.position());
  body(in, w);
  return !w.overflow();
}

void aarq_body(const Aarq& in, ByteWriter& w) {
  put_context(w, in.context);
  if (in.calling_ap_title.present()) put_wrapped(w, 0xA6, 0x04, in.calling_ap_title);
  if (in.authentication) put_authentication_bit(w, 0x8A);
  if (in.has_mechanism) {
    w.u8(0x8B);
    put_oid_body(w, kOidMechanism, static_cast<std::uint8_t>(in.mechanism));
  }
  if (in.authentication_value.present()) put_wrapped(w, 0xAC, 0x80, in.authentication_value);
  if (in.user_information.present()) put_wrapped(w, 0xBE, 0x04, in.user_information);
}

void aare_body(const Aare& in, ByteWriter& w) {
  put_context(w, in.context);
  const std::uint8_t result[] = {0xA2, 0x03, 0x02, 0x01, static_cast<std::uint8_t>(in.result),
                                 0xA3, 0x05, static_cast<std::uint8_t>(0xA0 | static_cast<std::uint8_t>(in.diagnostic_source)),
                                 0x03, 0x02, 0x01, in.diagnostic};
  w.bytes(result, sizeof result);
  if (in.responding_ap_title.present()) put_wrapped(w, 0xA4, 0x04, in.responding_ap_title);
  if (in.authentication) put_authentication_bit(w, 0x88);
  if (in.has_mechanism) {
    w.u8(0x89);
    put_oid_body(w, kOidMechanism, static_cast<std::uint8_t>(in.mechanism));
  }
  if (in.authentication_value.present()) put_wrapped(w, 0xAA, 0x80, in.authentication_value);
  if (in.user_information.present()) put_wrapped(w, 0xBE, 0x04, in.user_information);
}

void release_body(const Release& in, ByteWriter& w) {
  if (in.has_reason) {
    w.u8(0x80);
    w.u8(0x01);
    w.u8(in.reason);
  }
  if (in.user_information.present()) put_wrapped(w, 0xBE, 0x04, in.user_information);
}

bool decode_release(ByteReader apdu, std::uint8_t tag, Release& out) {
  out = Release{};
  return for_each_component(apdu, tag, [&](std::uint8_t component, ByteReader& c) {
    switch (component) {
      case 0x80: out.has_reason = true; out.reason = c.u8(); return true;
      case 0xBE: out.user_information = tagged_bytes(c, 0x04, kUnlimited); return true;
      default: return false;
    }
  });
}

// ---- xDLMS Initiate (A-XDR) -------------------------------------------------

// A-XDR OPTIONAL / DEFAULT presence flag: 00 absent, 01 present.
bool present_flag(ByteReader& r) {
  std::uint8_t flag = r.u8();
  if (flag > 1) r.fail();
  return flag == 1;
}

// `5F 1F 04 00 b0 b1 b2`: [APPLICATION 31] BIT STRING of 24 bits, no unused bits.
std::uint32_t get_conformance(ByteReader& r) {
  const std::uint8_t* header = r.take(4);
  if (!header || header[0] != 0x5F || header[1] != 0x1F || header[2] != 0x04 || header[3] != 0x00) r.fail();
  std::uint32_t bits = r.u8();
  bits = (bits << 8) | r.u8();
  return (bits << 8) | r.u8();
}

void put_conformance(ByteWriter& w, std::uint32_t conformance) {
  const std::uint8_t header[] = {0x5F, 0x1F, 0x04, 0x00};
  w.bytes(header, sizeof header);
  w.u8(static_cast<std::uint8_t>(conformance >> 16));
  w.u8(static_cast<std::uint8_t>(conformance >> 8));
  w.u8(static_cast<std::uint8_t>(conformance));
}

// A glo-initiate APDU, whose tag `r` has already read: its length must cover the rest exactly.
Initiate ciphered_initiate(ByteReader& r, ByteView whole, ByteView& ciphered) {
  std::uint32_t n = axdr::get_length(r);
  if (r.error() || n != r.remaining()) return Initiate::malformed;
  ciphered = whole;
  return Initiate::ciphered;
}

}  // namespace

// ---- ACSE APDUs -------------------------------------------------------------

bool decode_aarq(ByteReader apdu, Aarq& out) {
  out = Aarq{};
  bool has_context = false;
  bool ok = for_each_component(apdu, 0x60, [&](std::uint8_t tag, ByteReader& c) {
    switch (tag) {
      case 0xA1: out.context = context_of(c); has_context = true; return true;
      case 0xA6: out.calling_ap_title = tagged_bytes(c, 0x04, kMaxApTitle); return true;
      case 0x8A: out.authentication = authentication_bit(c); return true;
      case 0x8B: out.has_mechanism = true; out.mechanism = mechanism_of(c); return true;
      case 0xAC: out.authentication_value = tagged_bytes(c, 0x80, kMaxAuthenticationValue); return true;
      case 0xBE: out.user_information = tagged_bytes(c, 0x04, kUnlimited); return true;
      default: return false;
    }
  });
  return ok && has_context;
}

bool encode_aarq(const Aarq& in, ByteWriter& w) { return put_apdu(w, 0x60, in, aarq_body); }

bool encode_aare(const Aare& in, ByteWriter& w) { return put_apdu(w, 0x61, in, aare_body); }

bool decode_aare(ByteReader apdu, Aare& out) {
  out = Aare{};
  unsigned mandatory = 0;  // bit 0 A1, bit 1 A2, bit 2 A3
  bool ok = for_each_component(apdu, 0x61, [&](std::uint8_t tag, ByteReader& c) {
    switch (tag) {
      case 0xA1: out.context = context_of(c); mandatory |= 1; return true;
      case 0xA2: {
        std::uint8_t result = small_integer(c);
        if (result > static_cast<std::uint8_t>(AssociationResult::rejected_transient)) c.fail();
        out.result = static_cast<AssociationResult>(result);
        mandatory |= 2;
        return true;
      }
      case 0xA3: {
        std::uint8_t source = 0;
        ByteReader choice = element(c, source);
        if (source != 0xA1 && source != 0xA2) c.fail();
        out.diagnostic_source = static_cast<DiagnosticSource>(source & 0x03);
        out.diagnostic = small_integer(choice);
        if (choice.error() || !choice.empty()) c.fail();
        mandatory |= 4;
        return true;
      }
      case 0xA4: out.responding_ap_title = tagged_bytes(c, 0x04, kMaxApTitle); return true;
      case 0x88: out.authentication = authentication_bit(c); return true;
      case 0x89: out.has_mechanism = true; out.mechanism = mechanism_of(c); return true;
      case 0xAA: out.authentication_value = tagged_bytes(c, 0x80, kMaxAuthenticationValue); return true;
      case 0xBE: out.user_information = tagged_bytes(c, 0x04, kUnlimited); return true;
      default: return false;
    }
  });
  return ok && mandatory == 7;
}

bool decode_rlrq(ByteReader apdu, Release& out) { return decode_release(apdu, 0x62, out); }
bool encode_rlrq(const Release& in, ByteWriter& w) { return put_apdu(w, 0x62, in, release_body); }
bool decode_rlre(ByteReader apdu, Release& out) { return decode_release(apdu, 0x63, out); }
bool encode_rlre(const Release& in, ByteWriter& w) { return put_apdu(w, 0x63, in, release_body); }

// ---- xDLMS Initiate -----------------------------------------------------------

Initiate decode_initiate_request(ByteView user_information, InitiateRequest& out, ByteView& ciphered) {
  ByteReader r(user_information.data, user_information.size);
  std::uint8_t tag = r.u8();
  if (tag == kGloInitiateRequestTag) return ciphered_initiate(r, user_information, ciphered);
  if (tag != kInitiateRequestTag) return Initiate::malformed;
  InitiateRequest v;
  if (present_flag(r)) {
    std::uint32_t n = axdr::get_length(r);
    v.dedicated_key = {r.take(n), n};
  }
  if (present_flag(r)) v.response_allowed = r.u8() != 0;
  v.has_quality_of_service = present_flag(r);
  if (v.has_quality_of_service) v.quality_of_service = r.u8();
  v.dlms_version = r.u8();
  v.conformance = get_conformance(r);
  v.max_receive_pdu_size = r.be16();
  if (r.error() || !r.empty()) return Initiate::malformed;
  out = v;
  return Initiate::plain;
}

Initiate decode_initiate_response(ByteView user_information, InitiateResponse& out, ByteView& ciphered) {
  ByteReader r(user_information.data, user_information.size);
  std::uint8_t tag = r.u8();
  if (tag == kGloInitiateResponseTag) return ciphered_initiate(r, user_information, ciphered);
  InitiateResponse v;
  Initiate kind = Initiate::plain;
  if (tag == kConfirmedServiceErrorTag) {
    if (r.u8() != kInitiateErrorService || r.u8() != kInitiateErrorType) r.fail();
    v.error = static_cast<InitiateError>(r.u8());
    kind = Initiate::service_error;
  } else if (tag == kInitiateResponseTag) {
    v.has_quality_of_service = present_flag(r);
    if (v.has_quality_of_service) v.quality_of_service = r.u8();
    v.dlms_version = r.u8();
    v.conformance = get_conformance(r);
    v.max_receive_pdu_size = r.be16();
    v.vaa_name = r.be16();
  } else {
    r.fail();
  }
  if (r.error() || !r.empty()) return Initiate::malformed;
  out = v;
  return kind;
}

bool encode_initiate_request(const InitiateRequest& in, ByteWriter& w) {
  w.u8(kInitiateRequestTag);
  w.u8(in.dedicated_key.present() ? 1 : 0);
  if (in.dedicated_key.present()) {
    axdr::put_length(w, static_cast<std::uint32_t>(in.dedicated_key.size));
    w.bytes(in.dedicated_key.data, in.dedicated_key.size);
  }
  if (in.response_allowed) {
    w.u8(0);  // DEFAULT TRUE
  } else {
    w.u8(1);
    w.u8(0);
  }
  w.u8(in.has_quality_of_service ? 1 : 0);
  if (in.has_quality_of_service) w.u8(in.quality_of_service);
  w.u8(in.dlms_version);
  put_conformance(w, in.conformance);
  w.be16(in.max_receive_pdu_size);
  return !w.overflow();
}

bool encode_initiate_response(std::uint32_t conformance, std::uint16_t max_receive_pdu_size, ByteWriter& w,
                              std::uint16_t vaa_name) {
  w.u8(kInitiateResponseTag);
  w.u8(0);  // negotiated QoS absent
  w.u8(kDlmsVersion);
  put_conformance(w, conformance);
  w.be16(max_receive_pdu_size);
  w.be16(vaa_name);
  return !w.overflow();
}

bool encode_initiate_error(InitiateError code, ByteWriter& w) {
  const std::uint8_t error[] = {kConfirmedServiceErrorTag, kInitiateErrorService, kInitiateErrorType,
                                static_cast<std::uint8_t>(code)};
  w.bytes(error, sizeof error);
  return !w.overflow();
}

}  // namespace metergen::acse
