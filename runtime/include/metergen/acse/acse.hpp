// DLMS subset of ACSE (dlms-protocol.md §5): AARQ/AARE/RLRQ/RLRE codecs and the
// xDLMS InitiateRequest / InitiateResponse / ConfirmedServiceError carried in
// their user-information.
//
// Owns: the BER layout of the association APDUs (explicit context tags, lengths
// in short form or long form 81/82) and the A-XDR layout of the Initiate APDUs.
// Pure codecs: no state, no crypto, no policy (the server decides what to accept
// and decrypts ciphered user-information itself). Uses bytes.hpp and the A-XDR
// length prefix (axdr.hpp).
//
// Decoders take untrusted bytes: every length is checked, unknown optional
// components are skipped, anything malformed makes them return false. Views
// (ByteView) point into the decoded buffer and live as long as it does.
// Encoders take trusted values; they return false when the writer overflowed.
#pragma once

#include <cstddef>
#include <cstdint>

#include <metergen/bytes.hpp>

namespace metergen::acse {

// Borrowed bytes inside a buffer. data == nullptr means "component absent";
// a present component may be empty.
struct ByteView {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  constexpr bool present() const { return data != nullptr; }
};

inline constexpr std::size_t kMaxApTitle = 8;               // system title
inline constexpr std::size_t kMaxAuthenticationValue = 64;  // LLS password or HLS challenge

// Last arc of the application-context-name 2.16.756.5.8.1.x (§5.1).
enum class ContextId : std::uint8_t { unknown = 0, ln = 1, sn = 2, ln_ciphered = 3, sn_ciphered = 4 };

// Last arc of the mechanism-name 2.16.756.5.8.2.x (§5.1).
enum class Mechanism : std::uint8_t {
  none = 0, lls = 1, hls = 2, hls_md5 = 3, hls_sha1 = 4, hls_gmac = 5, hls_sha256 = 6, hls_ecdsa = 7,
  unknown = 0xFF,  // another OID: the server answers "mechanism name not recognised"
};

// AARE result (§5.2).
enum class AssociationResult : std::uint8_t { accepted = 0, rejected_permanent = 1, rejected_transient = 2 };

// Which choice of result-source-diagnostic carries the diagnostic: A1 or A2.
enum class DiagnosticSource : std::uint8_t { service_user = 1, service_provider = 2 };

// acse-service-user diagnostic values (§5.2).
enum class UserDiagnostic : std::uint8_t {
  null = 0, no_reason_given = 1, application_context_name_not_supported = 2,
  calling_ap_title_not_recognized = 3, calling_ap_invocation_id_not_recognized = 4,
  calling_ae_qualifier_not_recognized = 5, calling_ae_invocation_id_not_recognized = 6,
  called_ap_title_not_recognized = 7, called_ap_invocation_id_not_recognized = 8,
  called_ae_qualifier_not_recognized = 9, called_ae_invocation_id_not_recognized = 10,
  mechanism_name_not_recognised = 11, mechanism_name_required = 12, authentication_failure = 13,
  authentication_required = 14,
};

// acse-service-provider diagnostic values (§5.2).
enum class ProviderDiagnostic : std::uint8_t { null = 0, no_reason_given = 1, no_common_acse_version = 2 };

// Code of a ConfirmedServiceError initiateError/initiate (§5.3: 0E 01 06 <code>).
enum class InitiateError : std::uint8_t {
  other = 0, dlms_version_too_low = 1, incompatible_conformance = 2, pdu_size_too_short = 3,
  refused_by_vde_handler = 4,
};

// Release reasons (§5.4): RLRQ normal/urgent/user-defined, RLRE normal/not-finished/user-defined.
inline constexpr std::uint8_t kReleaseNormal = 0;
inline constexpr std::uint8_t kReleaseUrgent = 1;        // RLRQ
inline constexpr std::uint8_t kReleaseNotFinished = 1;   // RLRE
inline constexpr std::uint8_t kReleaseUserDefined = 30;

inline constexpr std::uint8_t kDlmsVersion = 6;
inline constexpr std::uint16_t kVaaNameLn = 0x0007;
inline constexpr std::uint16_t kVaaNameSn = 0xFA00;

// ---------------------------------------------------------------------------
// Association request (tag 60). Decoded by the server, encoded by the client.
struct Aarq {
  ContextId context = ContextId::unknown;      // A1 (mandatory)
  ByteView calling_ap_title;                   // A6, at most kMaxApTitle bytes
  bool authentication = false;                 // 8A sender-acse-requirements, bit 0
  bool has_mechanism = false;                  // 8B present
  Mechanism mechanism = Mechanism::none;
  ByteView authentication_value;               // AC, GraphicString choice (80), at most kMaxAuthenticationValue
  ByteView user_information;                   // BE: the octet string's content (an Initiate APDU or its glo form)
};

// Decodes the AARQ that fills `apdu` exactly. False on a wrong tag, a length
// beyond its container, a component of an unexpected shape, a missing A1, a
// calling-AP-title or authentication value over its limit, or trailing bytes.
bool decode_aarq(ByteReader apdu, Aarq& out);
// Writes A1, then A6/8A/8B/AC/BE for what is present (8A when `authentication`,
// 8B when `has_mechanism`).
bool encode_aarq(const Aarq& in, ByteWriter& w);

// Association response (tag 61). Encoded by the server, decoded by the client.
struct Aare {
  ContextId context = ContextId::unknown;      // A1
  AssociationResult result = AssociationResult::accepted;                   // A2
  DiagnosticSource diagnostic_source = DiagnosticSource::service_user;      // A3 A1 / A3 A2
  std::uint8_t diagnostic = 0;                 // UserDiagnostic or ProviderDiagnostic value
  ByteView responding_ap_title;                // A4, at most kMaxApTitle bytes
  bool authentication = false;                 // 88 responder-acse-requirements, bit 0
  bool has_mechanism = false;                  // 89 present
  Mechanism mechanism = Mechanism::none;
  ByteView authentication_value;               // AA, StoC challenge (HLS), at most kMaxAuthenticationValue
  ByteView user_information;                   // BE: InitiateResponse, ConfirmedServiceError or glo form
};

// Writes A1, A2, A3, then A4/88/89/AA/BE for what is present.
bool encode_aare(const Aare& in, ByteWriter& w);
// Decodes the AARE that fills `apdu` exactly; A1, A2 and A3 are mandatory.
bool decode_aare(ByteReader apdu, Aare& out);

// Release request (62) and response (63): `62 len [80 01 reason] [BE len 04 len info]`.
struct Release {
  bool has_reason = false;
  std::uint8_t reason = kReleaseNormal;
  ByteView user_information;                   // BE content, when present
};

bool decode_rlrq(ByteReader apdu, Release& out);
bool encode_rlrq(const Release& in, ByteWriter& w);
bool decode_rlre(ByteReader apdu, Release& out);
bool encode_rlre(const Release& in, ByteWriter& w);

// ---------------------------------------------------------------------------
// xDLMS Initiate APDUs inside user-information (A-XDR, §5.3).

// What a user-information octet string holds.
enum class Initiate : std::uint8_t {
  malformed,
  plain,          // InitiateRequest (01) / InitiateResponse (08): the struct is filled
  ciphered,       // glo-initiate-request (21) / glo-initiate-response (28): decrypt, then decode the plaintext
  service_error,  // ConfirmedServiceError 0E 01 06 <code> (responses only)
};

struct InitiateRequest {
  ByteView dedicated_key;                      // absent when not sent
  bool response_allowed = true;
  bool has_quality_of_service = false;
  std::uint8_t quality_of_service = 0;
  std::uint8_t dlms_version = kDlmsVersion;
  std::uint32_t conformance = 0;               // conformance.hpp bits
  std::uint16_t max_receive_pdu_size = 0;      // client-max-receive-pdu-size
};

struct InitiateResponse {
  bool has_quality_of_service = false;         // negotiated QoS (never sent by encode)
  std::uint8_t quality_of_service = 0;
  std::uint8_t dlms_version = kDlmsVersion;
  std::uint32_t conformance = 0;
  std::uint16_t max_receive_pdu_size = 0;      // server-max-receive-pdu-size
  std::uint16_t vaa_name = kVaaNameLn;
  InitiateError error = InitiateError::other;  // set when decode returned service_error
};

// Decodes user-information from an AARQ (or a decrypted glo-initiate-request).
// For `ciphered`, `ciphered` views the whole glo APDU (tag 21 included, its length
// checked) ready for security::parse_glo; `out` is left untouched.
Initiate decode_initiate_request(ByteView user_information, InitiateRequest& out, ByteView& ciphered);
// Decodes user-information from an AARE (or a decrypted glo-initiate-response):
// InitiateResponse (08), ConfirmedServiceError (0E, code in out.error) or glo (28).
Initiate decode_initiate_response(ByteView user_information, InitiateResponse& out, ByteView& ciphered);

// `01 | key | response-allowed | QoS | version | 5F 1F 04 00 b0 b1 b2 | pdu(2)`;
// response_allowed == true is sent as the default (00).
bool encode_initiate_request(const InitiateRequest& in, ByteWriter& w);
// `08 00 06 5F 1F 04 00 b0 b1 b2 | pdu(2) | vaa(2)`: negotiated QoS absent, version 6.
bool encode_initiate_response(std::uint32_t conformance, std::uint16_t max_receive_pdu_size, ByteWriter& w,
                              std::uint16_t vaa_name = kVaaNameLn);
// `0E 01 06 <code>`: the user-information of a rejected AARE.
bool encode_initiate_error(InitiateError code, ByteWriter& w);

}  // namespace metergen::acse
