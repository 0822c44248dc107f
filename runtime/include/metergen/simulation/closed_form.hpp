// A scenario segment's metering second in closed form: the metrology::Readings
// metrology would measure from the segment's waveform (docs/scenario.md, "The
// waveform"), computed from the segment's numbers without any samples. Used to
// play a scenario at Fidelity::readings, on the host or in a firmware image:
// a year of meter time then costs a year of metering seconds, not 126 billion
// samples.
//
// Owns: the formulas (RMS with harmonics, total active power, fundamental
// reactive power, apparent power, power factor, angles, THD, neutral current,
// frequency, voltage presence, phase sequence and anti-creep, with the units,
// signs and thresholds of docs/metrology.md). May call: scenario.hpp,
// synthesizer.hpp (sin_cos of Turns), the tables' MeteringDef and metrology's
// readings.hpp, scalar_math.hpp and thresholds (metrology.hpp).
//
// Exactness: an ideal meter's readings, rounded like metrology rounds them;
// metrology measuring the same segment's samples agrees within its own error
// (a few ppm of S on 16/24-bit channels; test_closed_form.cpp).
#pragma once

#include <cstdint>

#include <metergen/metrology/readings.hpp>
#include <metergen/model_tables.hpp>
#include <metergen/simulation/scenario.hpp>

namespace metergen::simulation {

// The readings of one second of `segment` on `model` (its phases, neutral
// current measurement, voltage and starting-current thresholds); `second` is
// copied into Readings::second.
metrology::Readings readings_of(const Segment& segment, const tables::Model& model, std::uint32_t second);

}  // namespace metergen::simulation
