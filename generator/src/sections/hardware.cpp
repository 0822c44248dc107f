// Sections `model` (identity) and `hardware` (what metrology measures with).
#include <algorithm>
#include <cmath>

#include "sections.hpp"
#include "values.hpp"

namespace metergen::sections {

void build_identity(Context& ctx) {
  Model& m = ctx.model;
  const Node& model = *ctx.tree.find("model");
  m.id = text(model, "id");
  m.vendor = text(model, "vendor");
  m.name = text(model, "name");
  m.description = text(model, "description");
  if (const Node* manual = model.find("manual")) {
    m.manual_title = text(*manual, "title");
    m.manual_revision = text(*manual, "revision");
    m.manual_notes = text(*manual, "notes");
  }
}

void add_identity_objects(Context& ctx) {
  const Node& model = *ctx.tree.find("model");
  if (const Node* ldn = model.find("logical_device_name"))
    if (auto i = ctx.add_implicit("logical_device_name", obis_of("0.0.42.0.0.255"), "data", {"identity"}, ldn->mark,
                                  "COSEM logical device name", cosem::DataType::octet_string, "constant")) {
      Object& o = ctx.pending()[*i].object;
      o.value = ldn->scalar;
      o.length = static_cast<int>(ldn->scalar.size());
    }
  if (const Node* fw = model.find("firmware"))
    for (const auto& f : fw->items)
      if (auto i = ctx.add_implicit(text(f, "name"), obis_of(text(f, "obis")), "data", {"identity", "firmware"}, f.mark,
                                    text(f, "description", "Firmware identifier"), cosem::DataType::visible_string,
                                    "constant")) {
        Object& o = ctx.pending()[*i].object;
        o.value = text(f, "value");
        o.length = static_cast<int>(o.value->size());
        o.display_code = text(f, "display_code");
      }
}

namespace {

void read_parts_and_ports(Model& m, const Node& hw) {
  if (const Node* parts = hw.find("parts"))
    for (const auto& p : parts->items)
      m.parts.push_back({text(p, "part"), text(p, "presence"), text(p, "description"),
                         static_cast<int>(integer(p, "count", 1))});
  if (const Node* ports = hw.find("ports"))
    for (const auto& p : ports->items)
      m.ports.push_back({text(p, "name"), text(p, "kind"), text(p, "presence", "fitted"), strings(p, "protocols"),
                         static_cast<int>(integer(p, "default_baud", 0))});
}

// Error limit at unity power factor and rated current, in hundredths of a
// percent, for ranking the classes a spec lists (EN 50470-3 letters by their
// IEC equivalents: A ~ 2, B ~ 1, C ~ 0.5S).
int class_limit(const std::string& c) {
  static const std::map<std::string, int> limits = {{"0.2S", 20}, {"0.5S", 50}, {"C", 50}, {"1S", 100}, {"1", 100},
                                                    {"B", 100}, {"2", 200}, {"A", 200}, {"3", 300}};
  auto it = limits.find(c);
  return it == limits.end() ? 1000 : it->second;
}

double largest(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

std::uint32_t milli(double v) { return static_cast<std::uint32_t>(std::llround(v * 1000.0)); }

Metering metering_of(const Model& m) {
  Metering t;
  t.transformer_operated = m.connection == "transformer";
  t.neutral_current =
      std::any_of(m.parts.begin(), m.parts.end(), [](const Model::Part& p) { return p.part == "neutral_current"; });
  const auto& v = m.reference_voltage_v;
  t.voltage_min_mv = v.empty() ? 0 : milli(*std::min_element(v.begin(), v.end()));
  t.voltage_max_mv = milli(largest(v));
  t.basic_current_ma = milli(largest(m.basic_current_a));
  t.max_current_ma = milli(largest(m.max_current_a));
  t.starting_current_ma = milli(starting_current_a(m));
  t.frequency_hz = m.frequency_hz.empty() ? 50 : static_cast<int>(m.frequency_hz.front());
  // The table field holds 4 characters; every class the ranking knows fits.
  t.active_class = tightest_class(m.accuracy_active).substr(0, 4);
  t.reactive_class = tightest_class(m.accuracy_reactive).substr(0, 4);
  return t;
}

}  // namespace

std::string tightest_class(const std::vector<std::string>& classes) {
  std::string best;
  for (const auto& c : classes)
    if (best.empty() || class_limit(c) < class_limit(best)) best = c;
  return best;
}

double starting_current_a(const Model& m) {
  if (m.starting_current_a) return *m.starting_current_a;
  double ratio = m.starting_current_ratio.value_or(m.connection == "transformer" ? 0.001 : 0.004);
  return largest(m.basic_current_a) * ratio;
}

void build_hardware(Context& ctx) {
  Model& m = ctx.model;
  const Node& hw = *ctx.tree.find("hardware");
  m.phases = static_cast<int>(integer(hw, "phases", 3));
  m.networks = strings(hw, "networks");
  m.connection = text(hw, "connection");
  m.reference_voltage_v = numbers(hw, "reference_voltage_v");
  m.basic_current_a = numbers(hw, "basic_current_a");
  m.max_current_a = numbers(hw, "max_current_a");
  m.frequency_hz = numbers(hw, "frequency_hz");
  if (const Node* a = hw.find("starting_current_a")) m.starting_current_a = scalar_number(*a);
  if (const Node* r = hw.find("starting_current_ratio")) m.starting_current_ratio = scalar_number(*r);
  if (const Node* mc = hw.find("meter_constants")) {
    m.active_imp_per_kwh = static_cast<int>(integer(*mc, "active_imp_per_kwh", 0));
    m.reactive_imp_per_kvarh = static_cast<int>(integer(*mc, "reactive_imp_per_kvarh", 0));
  }
  if (const Node* acc = hw.find("accuracy")) {
    m.accuracy_active = strings(*acc, "active");
    m.accuracy_reactive = strings(*acc, "reactive");
  }
  read_parts_and_ports(m, hw);
  m.metering = metering_of(m);
  bool one_phase_network = std::find(m.networks.begin(), m.networks.end(), "1P2W") != m.networks.end();
  if (one_phase_network != (m.phases == 1))
    ctx.diags.error(field_or(hw, "networks").mark.pos(), "hardware.networks",
                    "network types do not match phases: " + std::to_string(m.phases),
                    m.phases == 1 ? "1P2W for a single-phase meter" : "3P4W and/or 3P3W for a three-phase meter");
}

}  // namespace metergen::sections
