// A DLMS/COSEM client association over a Transport: AARQ/AARE (LN or
// LN-ciphered context; no authentication, LLS or HLS-GMAC pass 3/4), security
// suite 0 ciphering with an incrementing invocation counter, GET (with block
// transfer), SET, ACTION and RLRQ. Values travel as encoded A-XDR Data.
//
// In the ciphered context the InitiateRequest goes plain inside the AARQ; every
// service APDU is glo-ciphered (SC 0x30). When the meter answers an
// invocation-counter-error (D8 .. 06 expected) the request is sent once more
// with the counter the meter expects.
//
// Owns: the client's association state. Throws ClientError with a message that
// names the failed step ("association rejected: authentication failure", "object
// 1.0.1.8.0.255 attribute 2: read-write-denied").
// May call: transport, runtime acse/, xdlms/, axdr/, security/.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/transport.hpp"
#include "obis.hpp"

namespace metergen::client {

enum class Authentication { none, lls, hls_gmac };

struct Credentials {
  Authentication authentication = Authentication::none;
  // Mechanism id (2.16.756.5.8.2.x) sent instead of the authentication's own,
  // with the password as authentication value: AARQs a meter must refuse.
  std::optional<int> mechanism_override;
  // Send the calling-AP-title, or not, whatever the context and mechanism need.
  std::optional<bool> calling_ap_title;
  std::string password;          // LLS
  Bytes ek, ak;                  // 16 bytes each (HLS-GMAC, ciphered context)
  Bytes system_title;            // client system title, 8 bytes
  bool ciphered = false;         // LN-ciphered application context
  std::uint32_t invocation_counter = 1;  // first counter the client uses
  std::uint16_t max_pdu = 1024;  // client-max-receive-pdu-size
};

// Secrets file of the host meter (docs/host-meter.md): `sap.<SAP>.lls_password`,
// `.ek`, `.ak` per client SAP. Fills the credentials of `client_sap` that are
// still empty; throws ClientError for an unreadable file or a bad line.
void load_secrets(const std::string& path, int client_sap, Credentials& credentials);

struct AttributeRef {
  int class_id = 0;
  Obis logical_name{};
  int id = 0;  // attribute or method id
};

// Selective access: selector (1 by range, 2 by entry) and its parameters as one Data.
struct AccessSelection {
  int selector = 0;  // 0: none
  Bytes parameters;
};

// A service a meter refused with a Data-Access-Result or Action-Result (code,
// the standard's number); what() names the object and the result.
struct ResultError : ClientError {
  ResultError(const std::string& message, int result_code) : ClientError(message), code(result_code) {}
  int code;
};

// What the meter answered an AARQ: the AARE's result and diagnostic (source 1
// acse-service-user, 2 acse-service-provider), the xDLMS initiate error of a
// ConfirmedServiceError when it sent one.
struct AssociationOutcome {
  bool accepted = false;
  int result = 0;
  int diagnostic_source = 1;
  int diagnostic = 0;
  std::optional<int> initiate_error;
  std::string reason;  // "authentication failure", "xDLMS initiate error 3"
};

// The name of an acse-service-user diagnostic (Green Book, 0..14): "authentication failure".
const char* user_diagnostic_name(int diagnostic);

// One item of a GET-with-list answer: the Data, or the Data-Access-Result.
struct ListItem {
  std::optional<Bytes> data;
  int result = 0;
};

// Called once per received GET block: block number and raw bytes received so far.
using BlockProgress = std::function<void(std::uint32_t block, std::size_t bytes)>;

class Session {
 public:
  Session(std::unique_ptr<Transport> transport, const Credentials& credentials, const std::string& meter_name);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // AARQ/AARE, then HLS pass 3/4 when HLS-GMAC. Throws when rejected.
  void associate();
  // AARQ/AARE only: what the meter answered (HLS pass 3/4 is left to
  // authenticate()). Throws for transport errors and a malformed AARE.
  AssociationOutcome try_associate();
  // HLS pass 3/4 after an accepted try_associate (nothing for other mechanisms).
  void authenticate();
  // The Data value of an attribute (GET normal, then GET-next until the last block).
  Bytes get(const AttributeRef& attribute, const AccessSelection& access = {}, const BlockProgress& progress = {});
  // GET-with-list of several attributes (no selective access), blocks followed.
  std::vector<ListItem> get_with_list(const std::vector<AttributeRef>& attributes);
  // Writes one Data value (SET normal).
  void set(const AttributeRef& attribute, const Bytes& value);
  // Writes several Data values in one SET-Request-With-List; the
  // Data-Access-Result of each, in order.
  std::vector<int> set_with_list(const std::vector<std::pair<AttributeRef, Bytes>>& items);
  // Writes one Data value in blocks of `block_size` bytes (SET-Request-With-
  // First-Datablock, then With-Datablock); throws ResultError when refused.
  void set_in_blocks(const AttributeRef& attribute, const Bytes& value, std::size_t block_size);
  // Invokes a method; returns its return Data when the meter sends one.
  std::optional<Bytes> action(const AttributeRef& method, const std::optional<Bytes>& parameter);
  // RLRQ/RLRE (errors ignored), then closes the transport.
  void release();

  std::uint16_t negotiated_pdu() const { return server_max_pdu_; }
  // The invocation counter the next ciphered APDU uses (a later session goes on from it).
  std::uint32_t next_invocation_counter() const { return counter_; }
  // The longest APDU the meter sent in this session (ciphered form included).
  std::size_t largest_reply() const { return largest_reply_; }
  // Bytes on the link of this session (framing included), also after release().
  std::uint64_t wire_bytes() const { return transport_ ? transport_->wire_bytes() : wire_bytes_; }

 private:
  // Sends the APDU `build` makes (ciphered in the ciphered context) and returns
  // the plain reply; `build` runs again when the request is resent.
  Bytes request(const std::function<Bytes()>& build);
  // ACTION whose parameter (none when `parameter` is empty) is made per attempt.
  std::optional<Bytes> action_with(const AttributeRef& method, const std::function<Bytes()>& parameter);
  Bytes unwrap(const Bytes& reply);
  // Sends a GET request and follows its blocks. `blocked` false: the reply APDU
  // (normal or with-list response); true: the raw bytes of every block together.
  Bytes follow_get(const std::function<Bytes()>& build, const std::string& what, const BlockProgress& progress,
                   bool& blocked);
  void hls_pass3();

  std::unique_ptr<Transport> transport_;
  Credentials credentials_;
  std::string meter_name_;
  Bytes server_title_;
  Bytes challenge_;  // CtoS
  Bytes stoc_;
  bool ciphered_ = false;
  bool associated_ = false;
  std::uint32_t counter_ = 1;
  std::uint16_t server_max_pdu_ = 0;
  std::size_t largest_reply_ = 0;
  std::uint64_t wire_bytes_ = 0;
};

}  // namespace metergen::client
