// `metergen listen`: a receiver of pushed DataNotifications (IC 40 push
// setups). It accepts TCP wrapper connections on 127.0.0.1, reassembles each
// APDU, deciphers a general-glo-ciphered one with the keys given, decodes the
// notification (long-invoke-id-and-priority, date-time, body) and prints it;
// it stops after --count notifications or at --timeout.
//
// Owns: the listening socket and its connections. May call: runtime wrapper/,
// push/data_notification, security/, client/data (the body as typed JSON or a
// line), client/notification_reader (each connection's bytes to printed
// notifications) and client/session (the secrets file).
#pragma once

#include <iosfwd>
#include <string>

namespace metergen::client {

struct ListenOptions {
  int port = 4059;              // 0: an ephemeral port (see ready_file)
  std::string ek, ak;           // hex, 16 bytes each
  std::string secrets;          // host meter secrets.conf: keys of `client_sap` (default: each frame's destination wPort)
  int client_sap = -1;
  int count = 1;                // notifications to receive, then exit 0
  double timeout_s = 60;        // exit 1 when they have not all arrived by then
  std::string format = "table"; // table | json (one object per line)
  std::string ready_file;       // written `port=N` once listening
};

// 0 after `count` notifications, 1 on a timeout or a socket error, 2 on usage errors.
int run_listen(const ListenOptions& options, std::ostream& out, std::ostream& err);

}  // namespace metergen::client
