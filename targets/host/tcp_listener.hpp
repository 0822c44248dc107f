// The TCP listeners of metergen-meter (the DLMS ports and the control port):
// non-blocking IPv4 sockets. Uses POSIX sockets only.
#pragma once

#include <netinet/in.h>

#include <string>

namespace metergen::host {

// Listens on IPv4 `address`:`port` (0 = ephemeral); returns the socket and sets
// *bound_port, or returns -1 with *error ("ADDRESS:PORT: reason").
int listen_tcp(const std::string& address, int port, int* bound_port, std::string* error);

// "a.b.c.d:port" of a peer.
std::string peer_name(const sockaddr_in& addr);

}  // namespace metergen::host
