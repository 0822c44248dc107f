// Sizes of runtime classes that the board code holds inside its statics, for
// the footprint report (footprint.sh): each array below is as large as its
// class, so `nm -S` on this object reads the sizes the target compiler lays
// out. The object is compiled with the image's flags and never linked.
#include <cstdint>

#include <metergen/metering/engine.hpp>

extern "C" {
// dlms::Meter holds the metering engine (metrology, energy registers, demand).
std::uint8_t footprint_metering_engine[sizeof(metergen::metering::Engine)];
}
