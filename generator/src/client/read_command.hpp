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

// The spec's associations read from a meter (audit --meter): for each one,
// associate with its SAP and mechanism (secrets from the file), read its object
// list, release. Throws ClientError.
ObjectList read_object_lists(const Model& model, const ConnectionOptions& connection, std::ostream& err);

}  // namespace metergen::client
