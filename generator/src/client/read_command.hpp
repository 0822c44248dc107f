// `metergen read` and the `--meter` source of `metergen audit`: command-line
// options to a Session, the requested service, its output. May call: session,
// data, readable, meanings, audit, build_model, object_list.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "client/session.hpp"
#include "diag.hpp"
#include "model.hpp"
#include "object_list.hpp"

namespace metergen::client {

struct ConnectionOptions {
  Endpoint endpoint;
  std::string auth = "none";        // none | lls | hls
  std::string password;
  std::string ek, ak, system_title;  // hex
  std::string secrets;              // host meter secrets.conf
  bool ciphered = false;
  std::optional<std::uint32_t> invocation_counter;
  int max_pdu = 1024;
  bool progress = false;            // block progress on stderr (also when stderr is a terminal)
};

struct ReadOptions {
  ConnectionOptions connection;
  std::string service;     // objects | get | set | action | profile
  std::string target;      // OBIS:ATTR, OBIS:METHOD or OBIS
  std::string value;       // set / action parameter
  std::optional<int> class_id;
  std::string from, to;    // profile by range (ISO 8601 local date-times)
  std::string entries;     // profile by entry "A:B"
  std::string columns;     // "C:D"
  std::string format = "json";  // json | table | csv
  // The meter's spec (`--spec`), when given: scalers, units, names and profile
  // columns come from it instead of from extra reads of the meter.
  const Model* model = nullptr;
};

// Runs `metergen read`: 0 ok, 1 protocol/meter error (message on `err`), 2 usage.
int run_read(const ReadOptions& options, std::ostream& out, std::ostream& err);

// The credentials of one of the spec's associations (audit --meter,
// conformance): its client SAP's secrets and mechanism, in the ciphered
// context wherever it has keys (a security policy or HLS-GMAC). Throws
// ClientError naming the association.
Credentials association_credentials(const ConnectionOptions& connection, const Association& association);

// Selective access of a profile's buffer (profile generic attribute 2): by
// entry (selector 2: entries and columns from 1, 0 = up to the last), or by
// range (selector 1) over the clock's time (0.0.1.0.0.255 attribute 2), every
// column; `from` and `to` are date-time octet-string Data values.
AccessSelection entry_selection(std::uint32_t from, std::uint32_t to, std::uint16_t first_column,
                                std::uint16_t last_column);
AccessSelection range_selection(const Bytes& from, const Bytes& to);

// Opens the transport and associates (HLS pass 3/4 included). Throws ClientError.
std::unique_ptr<Session> open_session(const Endpoint& endpoint, const Credentials& credentials);

// The spec's associations read from a meter (audit --meter): for each one,
// associate with its SAP and mechanism (secrets from the file), read its object
// list, release. Throws ClientError.
ObjectList read_object_lists(const Model& model, const ConnectionOptions& connection, std::ostream& err);

}  // namespace metergen::client
