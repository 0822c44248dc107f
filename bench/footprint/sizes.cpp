// Sizes of runtime classes that the board code holds inside its statics, for
// the footprint report (footprint.sh): each array below is as large as its
// class, so `nm -S` on this object reads the sizes the target compiler lays
// out. The object is compiled with the image's flags and never linked.
#include <cstdint>

#include <metergen/billing/billing.hpp>
#include <metergen/display/display.hpp>
#include <metergen/events/events.hpp>
#include <metergen/load_control/load_control.hpp>
#include <metergen/metering/engine.hpp>
#include <metergen/prepayment/account.hpp>
#include <metergen/timing/time_engine.hpp>

extern "C" {
// dlms::Meter holds the engines: metering (metrology, energy registers,
// demand, period values), billing, the time engine, load control, events,
// the display and the prepayment account.
std::uint8_t footprint_meter_engines[sizeof(metergen::metering::Engine) + sizeof(metergen::billing::Billing) +
                                     sizeof(metergen::timing::TimeEngine) +
                                     sizeof(metergen::load_control::LoadControl) + sizeof(metergen::events::Events) +
                                     sizeof(metergen::display::Display) + sizeof(metergen::prepayment::Account)];
}
