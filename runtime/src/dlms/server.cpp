#include <metergen/dlms/server.hpp>

namespace metergen::dlms {

Meter::Meter(const tables::Model& model, hal::Hal& hal) : model_(model), hal_(hal) {}

void Meter::boot() {}
void Meter::tick() {}
bool Meter::persist() { return true; }

Connection::Connection(Meter& meter) : meter_(meter) {}

// First cut: every request is answered with exception-response
// service-not-allowed / service-not-supported until the services land.
bool Connection::on_apdu(std::uint16_t, std::uint16_t, ByteReader, ByteWriter& out) {
  out.u8(0xD8);
  out.u8(0x01);
  out.u8(0x02);
  return true;
}

void Connection::on_link_reset() { association_ = tables::kNone; }

}  // namespace metergen::dlms
