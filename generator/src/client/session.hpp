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
  // The Data value of an attribute (GET normal, then GET-next until the last block).
  Bytes get(const AttributeRef& attribute, const AccessSelection& access = {}, const BlockProgress& progress = {});
  // Writes one Data value (SET normal).
  void set(const AttributeRef& attribute, const Bytes& value);
  // Invokes a method; returns its return Data when the meter sends one.
  std::optional<Bytes> action(const AttributeRef& method, const std::optional<Bytes>& parameter);
  // RLRQ/RLRE (errors ignored), then closes the transport.
  void release();

  std::uint16_t negotiated_pdu() const { return server_max_pdu_; }

 private:
  // Sends the APDU `build` makes (ciphered in the ciphered context) and returns
  // the plain reply; `build` runs again when the request is resent.
  Bytes request(const std::function<Bytes()>& build);
  // ACTION whose parameter (none when `parameter` is empty) is made per attempt.
  std::optional<Bytes> action_with(const AttributeRef& method, const std::function<Bytes()>& parameter);
  Bytes unwrap(const Bytes& reply);
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
};

}  // namespace metergen::client
