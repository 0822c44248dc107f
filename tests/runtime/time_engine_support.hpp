// Test helper for the time-engine tests: a meter run second by second at the
// readings level (each second: the clock moves on, metering takes the second's
// readings, the meter ticks), power cuts that keep the NVM while the clock runs
// on, and the profile buffers split into entries and columns.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <metergen/axdr/axdr.hpp>
#include <metergen/axdr/date_time.hpp>
#include <metergen/dlms/server.hpp>
#include <metergen/metrology/readings.hpp>
#include <metergen/simulation/closed_form.hpp>
#include <metergen/simulation/scenario.hpp>

#include "metering_test_hal.hpp"

namespace metergen::test {

using Bytes = std::vector<std::uint8_t>;

// UTC seconds of a local civil time `offset_min` minutes ahead of UTC.
inline std::int64_t utc_of(int year, int month, int day, int hour, int minute, int offset_min) {
  return axdr::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 - offset_min * 60;
}

// `phases` phases at `volts` and `amps` each, power factor 1.
inline metrology::Readings balanced(int phases, double volts, double amps) {
  metrology::Readings r{};
  r.phases = static_cast<std::uint8_t>(phases);
  for (int i = 0; i < phases; ++i) {
    metrology::PhaseReadings& p = r.phase[i];
    p.voltage_uv = static_cast<std::int64_t>(volts * 1e6);
    p.current_ua = static_cast<std::int64_t>(amps * 1e6);
    p.active_uw = p.apparent_uva = static_cast<std::int64_t>(volts * amps * 1e6);
    p.power_factor_milli = 1000;
    p.voltage_angle_mdeg = (360000 - 120000 * i) % 360000;
    p.voltage_present = true;
  }
  r.frequency_mhz = 50000;
  return r;
}

// One second of a balanced three-phase load: `volts` and `amps` on each phase,
// power factor 1, positive sequence (for TimedMeter::play).
inline simulation::Segment balanced_segment(double volts, double amps) {
  simulation::Segment s{};
  s.name = "";
  s.duration_s = 1;
  s.frequency_hz = 50;
  s.neutral_current_rms = -1;
  const double angles[3] = {0, -120, 120};
  for (int p = 0; p < 3; ++p) {
    s.phase[p].voltage_rms = volts;
    s.phase[p].current_rms = amps;
    s.phase[p].voltage_angle_deg = angles[p];
  }
  return s;
}

// A session of the first association (the objects check no access rights).
class Session final : public cosem::Session {
 public:
  std::uint16_t association() const override { return 0; }
  std::uint8_t association_status() const override { return 2; }
  std::uint32_t negotiated_conformance() const override { return 0x00101D; }
  std::uint16_t negotiated_max_pdu() const override { return 0x0400; }
  metergen::tables::Authentication mechanism() const override { return metergen::tables::Authentication::none; }
  dlms::ActionResult reply_to_hls_authentication(ByteReader, ByteWriter&) override {
    return dlms::ActionResult::read_write_denied;
  }
};

class TimedMeter {
 public:
  TimedMeter(const tables::Model& model, std::int64_t start_utc) : model_(model) {
    hal.memory.now_ms = static_cast<std::uint64_t>(start_utc) * 1000;
    power_on();
  }

  // `seconds` meter seconds at readings `r`.
  void run(const metrology::Readings& r, std::int64_t seconds) {
    for (std::int64_t s = 0; s < seconds; ++s) {
      hal.memory.now_ms += 1000;
      meter_->metering().on_second(r);
      meter_->tick();
    }
  }
  // `seconds` meter seconds of `segment` behind the meter's relay, in closed
  // form: while the HAL's relay is open the second has no load current
  // (simulation::without_load), as the simulated front ends play it.
  void play(const simulation::Segment& segment, std::int64_t seconds) {
    const metrology::Readings connected = simulation::readings_of(segment, model_, 0);
    const metrology::Readings cut = simulation::readings_of(simulation::without_load(segment), model_, 0);
    for (std::int64_t s = 0; s < seconds; ++s) {
      hal.memory.now_ms += 1000;
      meter_->metering().on_second(hal.relay_connected() ? connected : cut);
      meter_->tick();
    }
  }
  // A power cut of `seconds`: the power-fail save, RAM lost, the clock runs on.
  // `while_off` sees the memory as the save left it (to damage it).
  void power_cut(std::int64_t seconds, const std::function<void()>& while_off = {}) {
    meter_->persist();
    meter_.reset();
    if (while_off) while_off();
    hal.memory.now_ms += static_cast<std::uint64_t>(seconds) * 1000;
    power_on();
  }
  std::int64_t now() const { return static_cast<std::int64_t>(hal.memory.now_ms / 1000); }
  // A client's SET of one attribute, the value encoded.
  dlms::DataAccessResult set(std::uint16_t object, std::int8_t attribute, const Bytes& value) {
    Session session;
    return meter_->objects().set(session, object, attribute, nullptr, ByteReader(value.data(), value.size()));
  }
  // A client's ACTION with parameter integer 0.
  dlms::ActionResult act(std::uint16_t object, std::int8_t method) { return act(object, method, Bytes{0x0F, 0x00}); }
  // A client's ACTION with the encoded parameter `params`.
  dlms::ActionResult act(std::uint16_t object, std::int8_t method, const Bytes& params) {
    std::uint8_t ret[64];
    ByteWriter w(ret, sizeof ret);
    bool has_return = false;
    Session session;
    return meter_->objects().action(session, object, method, ByteReader(params.data(), params.size()), w, has_return);
  }
  // A client sets the clock object (attribute 2) to local time `t`.
  dlms::DataAccessResult set_clock(std::uint16_t clock, const axdr::DateTime& t) {
    std::uint8_t buf[16];
    ByteWriter w(buf, sizeof buf);
    axdr::put_date_time_octets(w, t);
    Session session;
    return meter_->objects().set(session, clock, 2, nullptr, ByteReader(buf, w.size()));
  }

  // One attribute's encoded value.
  Bytes value(std::uint16_t object, std::int8_t attribute = 2) {
    Bytes out(1u << 20);
    ByteWriter w(out.data(), out.size());
    if (meter_->objects().read(object, attribute, w) != dlms::DataAccessResult::success) return {};
    out.resize(w.size());
    return out;
  }
  std::int64_t integer(std::uint16_t object, std::int8_t attribute = 2) {
    const Bytes v = value(object, attribute);
    ByteReader r(v.data(), v.size());
    std::int64_t n = -1;
    return axdr::get_integer_any(r, n) ? n : -1;
  }
  // The buffer of profile object `object`: entries of encoded columns.
  std::vector<std::vector<Bytes>> entries(std::uint16_t object) {
    const Bytes buffer = value(object, 2);
    ByteReader r(buffer.data(), buffer.size());
    std::vector<std::vector<Bytes>> rows;
    if (r.u8() != 0x01) return rows;
    const std::uint32_t n = axdr::get_length(r);
    for (std::uint32_t i = 0; i < n; ++i) {
      r.u8();  // structure
      const std::uint32_t columns = axdr::get_length(r);
      std::vector<Bytes> row;
      for (std::uint32_t c = 0; c < columns; ++c) {
        const std::size_t at = r.position();
        axdr::skip_value(r);
        row.emplace_back(buffer.begin() + static_cast<std::ptrdiff_t>(at),
                         buffer.begin() + static_cast<std::ptrdiff_t>(r.position()));
      }
      rows.push_back(row);
    }
    return rows;
  }

  dlms::Meter& meter() { return *meter_; }
  const tables::Model& model() const { return model_; }
  MeteringHal hal{8u << 20};

 private:
  void power_on() {
    meter_ = std::make_unique<dlms::Meter>(model_, hal);
    meter_->boot();
  }

  const tables::Model& model_;
  std::unique_ptr<dlms::Meter> meter_;
};

// An encoded integer column's value.
inline std::int64_t column_integer(const Bytes& v) {
  ByteReader r(v.data(), v.size());
  std::int64_t n = -1;
  return axdr::get_integer_any(r, n) ? n : -1;
}

// A clock column (octet-string of 12) as local date-time.
inline axdr::DateTime column_time(const Bytes& v) {
  ByteReader r(v.data(), v.size());
  axdr::DateTime t{};
  axdr::get_date_time(r, t);
  return t;
}

}  // namespace metergen::test
