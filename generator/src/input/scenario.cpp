// Scenario files: schema, value parsers with units and checks. Stages as for
// specs: load (located tree) -> validate (schema) -> check and build
// (simulation::Scenario); the C++ emitter is the generator's (scenario_emit.cpp).
#include "scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <regex>

#include <metergen/hal.hpp>
#include <metergen/simulation/synthesizer.hpp>

namespace metergen {

using namespace schema;

namespace {

constexpr double kDefaultFrequencyHz = 50;
constexpr double kMinFrequencyHz = 40;
constexpr double kMaxFrequencyHz = 70;
constexpr double kNyquistHz = simulation::kSampleRateHz / 2.0;
constexpr const char* kPhaseNames[] = {"L1", "L2", "L3"};
using simulation::kButtonNames;  // the press list's names, hal::Button order
using simulation::kInputNames;   // the inputs list's names, hal::Input order
// Positive sequence: L2 lags L1 by 120 degrees, L3 leads it by 120.
constexpr double kDefaultVoltageAngle[] = {0, -120, 120};

struct Unit {
  const char* name;
  double factor;
};

// A scalar's text -> value in base units; returns what is wrong, or "".
using Parser = std::string (*)(const std::string& text, double* value);

// "<number>[blanks]<rest>": the number and the rest (a unit or a word).
std::string split_number(const std::string& text, double* number, std::string* rest) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *number);
  if (ec != std::errc() || !std::isfinite(*number)) return "is not a number";
  const char* p = ptr;
  while (p != end && (*p == ' ' || *p == '\t')) ++p;
  *rest = std::string(p, end);
  return {};
}

// A number with one of `units` (the first is the unit of a bare number, unless
// `unit_required`); the value in the first unit.
std::string parse_with_unit(const std::string& text, std::initializer_list<Unit> units, bool unit_required,
                            double* value) {
  std::string unit;
  if (std::string problem = split_number(text, value, &unit); !problem.empty()) return problem;
  if (unit.empty()) return unit_required ? "has no unit" : std::string();
  std::vector<std::string> names;
  for (const Unit& u : units) {
    if (unit == u.name) return *value *= u.factor, std::string();
    names.emplace_back(u.name);
  }
  const std::string hint = closest_match(unit, names);
  return "has unknown unit '" + unit + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
}

std::string non_negative(const std::string& text, std::initializer_list<Unit> units, double* value) {
  std::string problem = parse_with_unit(text, units, false, value);
  if (problem.empty() && *value < 0) problem = "is negative";
  return problem;
}

std::string in_range(const std::string& problem, double value, double min, double max) {
  if (problem.empty() && (value < min || value > max)) return "is out of range";
  return problem;
}

std::string parse_voltage(const std::string& text, double* volts) {
  return non_negative(text, {{"V", 1}, {"kV", 1e3}, {"mV", 1e-3}}, volts);
}

std::string parse_current(const std::string& text, double* amps) {
  return non_negative(text, {{"A", 1}, {"mA", 1e-3}, {"kA", 1e3}}, amps);
}

std::string parse_frequency(const std::string& text, double* hz) {
  const std::string problem = parse_with_unit(text, {{"Hz", 1}}, false, hz);
  return in_range(problem, *hz, kMinFrequencyHz, kMaxFrequencyHz);
}

std::string parse_angle(const std::string& text, double* degrees) {
  const std::string problem = parse_with_unit(text, {{"deg", 1}, {"°", 1}}, false, degrees);
  return in_range(problem, *degrees, -360, 360);
}

std::string parse_percent(const std::string& text, double* percent) {
  const std::string problem = non_negative(text, {{"%", 1}}, percent);
  return in_range(problem, *percent, 0, 100);
}

std::string parse_duration(const std::string& text, double* seconds) {
  std::string problem = parse_with_unit(text, {{"s", 1}, {"min", 60}, {"h", 3600}, {"d", 86400}}, true, seconds);
  if (!problem.empty()) return problem;
  if (*seconds < 0) return "is negative";
  if (*seconds == 0) return "is zero";
  if (std::fabs(*seconds - std::round(*seconds)) > 1e-6) return "is not a whole number of seconds";
  if (*seconds > 4294967295.0) return "is longer than 4294967295 s";
  *seconds = std::round(*seconds);
  return {};
}

// "1", "0.5 inductive", "0.8 capacitive" -> the angle by which the current lags.
std::string parse_power_factor(const std::string& text, double* lag_degrees) {
  double pf = 0;
  std::string kind;
  if (std::string problem = split_number(text, &pf, &kind); !problem.empty()) return problem;
  if (pf < 0) return "is negative";
  if (pf > 1) return "is out of range";
  if (kind != "" && kind != "inductive" && kind != "capacitive") {
    const std::string hint = closest_match(kind, {"inductive", "capacitive"});
    return "has unknown kind '" + kind + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
  }
  if (kind.empty() && pf < 1) return "needs inductive or capacitive";
  *lag_degrees = std::acos(pf) * 180 / std::numbers::pi * (kind == "capacitive" ? -1 : 1);
  return {};
}

TypeP quantity(const char* def_name, const char* pattern, const char* expected, Parser parse, const char* doc) {
  return pattern_type(def_name, pattern, expected, [parse](const std::string& s) { double v = 0; return parse(s, &v); },
                      doc);
}

TypeP voltage_type() {
  static TypeP t = quantity("Voltage", R"(^[0-9.eE+-]+ *(V|kV|mV)?$)", "a voltage >= 0 in V, kV or mV, like 230 V",
                            parse_voltage, "RMS voltage of the fundamental, phase to neutral.");
  return t;
}

TypeP current_type() {
  static TypeP t = quantity("Current", R"(^[0-9.eE+-]+ *(A|mA|kA)?$)", "a current >= 0 in A, mA or kA, like 5 A",
                            parse_current, "RMS current of the fundamental.");
  return t;
}

TypeP angle_type(const char* doc) {
  return quantity("", R"(^[0-9.eE+-]+ *(deg|°)?$)", "an angle in degrees, -360..360, like 30 or -36.87 deg",
                  parse_angle, doc);
}

TypeP percent_type(const char* doc) {
  return quantity("", R"(^[0-9.eE+-]+ *%?$)", "a percentage in 0..100 of the fundamental, like 5%", parse_percent,
                  doc);
}

std::vector<Field> phase_fields(bool per_phase) {
  const TypeP harmonic = object(
      "Harmonic",
      {{"order", integer(2, 40), true, "Harmonic order; order x frequency must stay below 2000 Hz."},
       {"voltage", percent_type("Voltage harmonic, % of the fundamental voltage."), false, ""},
       {"current", percent_type("Current harmonic, % of the fundamental current."), false, ""},
       {"phase", angle_type("The current harmonic lags the voltage harmonic by this angle."), false, ""}});
  std::vector<Field> fields = {
      {"voltage", voltage_type(), false, ""},
      {"current", current_type(), false, ""},
      {"angle", angle_type("The current lags the voltage by this angle (negative: leads)."), false, ""},
      {"pf", quantity("PowerFactor", R"(^[0-9.]+ *(inductive|capacitive)?$)",
                      "a power factor in 0..1, inductive or capacitive below 1, like 1 or 0.5 inductive",
                      parse_power_factor, "Power factor: the angle as cos(angle) and its sense."),
       false, ""},
      {"harmonics", list_of(harmonic, "Up to 8 harmonics."), false, ""}};
  if (per_phase)
    fields.push_back({"voltage_angle", angle_type("Angle of this phase's voltage; default 0, -120, 120 for L1..L3."),
                      false, ""});
  return fields;
}

// Segment names appear in logs and, unescaped, in emitted C++ string literals.
constexpr const char* kNamePattern = R"(^[A-Za-z0-9][A-Za-z0-9 _.,:()/+-]{0,39}$)";

std::string check_name(const std::string& name) {
  static const std::regex re(kNamePattern);
  return std::regex_match(name, re) ? std::string() : std::string("is not such a name");
}

double number_of(const Node& n, Parser parse) {
  double value = 0;
  parse(n.scalar, &value);
  return value;
}

double normalized_degrees(double d) {
  d = std::fmod(d, 360.0);
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

// Builds one segment from its validated node; reports what the schema cannot see.
class SegmentBuilder {
 public:
  SegmentBuilder(const Node& node, std::string path, Diagnostics& diags)
      : node_(node), path_(std::move(path)), diags_(diags) {}

  simulation::Segment build(std::string* name, std::string* keys) {
    simulation::Segment s{};
    const Node* n = node_.find("name");
    *name = n ? n->scalar : std::string();
    if (const Node* k = node_.find("keys")) *keys = checked_keys(*k);
    s.duration_s = static_cast<std::uint32_t>(number_of(*node_.find("duration"), parse_duration));
    const Node* f = node_.find("frequency");
    s.frequency_hz = f ? number_of(*f, parse_frequency) : kDefaultFrequencyHz;
    const Node* neutral = node_.find("neutral");
    s.neutral_current_rms = neutral ? number_of(*neutral, parse_current) : -1;
    check_entry("all", s.frequency_hz);
    const Node* power = node_.find("power");
    s.power_off = power && power->scalar == "off";
    s.buttons = bits("press", kButtonNames, "button");
    s.inputs = bits("inputs", kInputNames, "input");
    const Node* relay = node_.find("relay");
    s.relay_bypassed = relay && relay->scalar == "bypassed";
    if (s.power_off && s.buttons != 0)
      diags_.error(node_.find("press")->mark.pos(), path_ + ".press", "buttons are pressed while the power is off",
                   "no press: in a segment with power: off (an unpowered meter does not see its buttons)");
    if (!node_.find("all") && !node_.find("L1") && !node_.find("L2") && !node_.find("L3")) {
      // An unpowered meter sees nothing: its phases may be left out (no voltage, no current).
      if (!s.power_off)
        diags_.error(node_.mark.pos(), path_, "has no phases", "all: or L1:, L2:, L3: with a voltage and a current");
      for (int p = 0; p < 3; ++p) s.phase[p].voltage_angle_deg = kDefaultVoltageAngle[p];
      return s;
    }
    for (int p = 0; p < 3; ++p) {
      check_entry(kPhaseNames[p], s.frequency_hz);
      s.phase[p] = phase(p);
    }
    for (int p : phase_list("phase_loss")) s.phase[p].voltage_rms = 0;
    for (int p : phase_list("reverse")) reverse(s.phase[p]);
    return s;
  }

 private:
  // The field of phase p: its own entry's, else the `all:` entry's.
  const Node* field(int p, const char* key) const {
    for (const char* entry : {kPhaseNames[p], "all"})
      if (const Node* e = node_.find(entry); e && e->find(key)) return e->find(key);
    return nullptr;
  }

  // The entry that sets phase p's angle: its own when it has angle or pf, else `all:`.
  const Node* angle_entry(int p) const {
    for (const char* entry : {kPhaseNames[p], "all"})
      if (const Node* e = node_.find(entry); e && (e->find("angle") || e->find("pf"))) return e;
    return nullptr;
  }

  simulation::PhaseLoad phase(int p) {
    simulation::PhaseLoad load{};
    const Node* v = field(p, "voltage");
    const Node* i = field(p, "current");
    for (auto [node, what] : {std::pair{v, "voltage"}, std::pair{i, "current"}})
      if (!node)
        diags_.error(node_.mark.pos(), path_, std::string(kPhaseNames[p]) + " has no " + what,
                     std::string(what) + " under all: or " + kPhaseNames[p] + ":");
    load.voltage_rms = v ? number_of(*v, parse_voltage) : 0;
    load.current_rms = i ? number_of(*i, parse_current) : 0;
    if (const Node* e = angle_entry(p))
      load.angle_deg = e->find("angle") ? number_of(*e->find("angle"), parse_angle)
                                        : number_of(*e->find("pf"), parse_power_factor);
    const Node* va = field(p, "voltage_angle");
    load.voltage_angle_deg = va ? number_of(*va, parse_angle) : kDefaultVoltageAngle[p];
    if (const Node* list = field(p, "harmonics")) {
      for (const Node& h : list->items) {
        if (load.harmonic_count == simulation::kMaxHarmonics) break;  // reported by check_entry
        simulation::Harmonic& out = load.harmonics[load.harmonic_count++];
        out.order = static_cast<std::uint8_t>(*scalar_int(*h.find("order")));
        out.voltage_percent = h.find("voltage") ? number_of(*h.find("voltage"), parse_percent) : 0;
        out.current_percent = h.find("current") ? number_of(*h.find("current"), parse_percent) : 0;
        out.phase_deg = h.find("phase") ? number_of(*h.find("phase"), parse_angle) : 0;
      }
    }
    return load;
  }

  // Checks one of all:, L1:, L2:, L3: once, however many phases it applies to.
  void check_entry(const char* key, double frequency_hz) {
    const Node* e = node_.find(key);
    if (!e) return;
    const std::string path = path_ + "." + key;
    if (e->find("angle") && e->find("pf"))
      diags_.error(e->find("pf")->mark.pos(), path + ".pf", "angle is given too", "either angle or pf");
    const Node* list = e->find("harmonics");
    if (!list) return;
    if (list->items.size() > simulation::kMaxHarmonics)
      diags_.error(list->mark.pos(), path + ".harmonics", "has " + std::to_string(list->items.size()) + " harmonics",
                   "at most " + std::to_string(simulation::kMaxHarmonics));
    // Order x f must stay below the Nyquist frequency of the simulated front end.
    const int max_order = static_cast<int>(std::ceil(kNyquistHz / frequency_hz)) - 1;
    std::vector<long long> seen;
    for (std::size_t j = 0; j < list->items.size(); ++j) {
      const Node& order = *list->items[j].find("order");
      const long long h = *scalar_int(order);
      const std::string where = item_path(path + ".harmonics", list->items[j], j) + ".order";
      if (std::find(seen.begin(), seen.end(), h) != seen.end())
        diags_.error(order.mark.pos(), where, "order " + order.scalar + " is listed twice", "each order once");
      else if (h > max_order)
        diags_.error(order.mark.pos(), where,
                     "order " + order.scalar + " at " + scenario_number(frequency_hz) + " Hz is " +
                         scenario_number(h * frequency_hz) + " Hz, not below " + scenario_number(kNyquistHz) +
                         " Hz (half the simulated front end's " + std::to_string(simulation::kSampleRateHz) +
                         " samples/s)",
                     "an order of at most " + std::to_string(max_order) + " at " + scenario_number(frequency_hz) + " Hz");
      seen.push_back(h);
    }
  }

  // Phase indexes of an event list (phase_loss, reverse); each phase once.
  std::vector<int> phase_list(const char* key) {
    std::vector<int> out;
    const Node* list = node_.find(key);
    if (!list) return out;
    for (std::size_t j = 0; j < list->items.size(); ++j) {
      const Node& item = list->items[j];
      const int p = item.scalar.back() - '1';  // validated: L1, L2 or L3
      if (std::find(out.begin(), out.end(), p) != out.end())
        diags_.error(item.mark.pos(), path_ + "." + key + "[" + std::to_string(j) + "]",
                     item.scalar + " is listed twice", "each phase once");
      else
        out.push_back(p);
    }
    return out;
  }

  // Keys typed on the keypad: digits, '*' (back) and '#' (enter), at most 64.
  std::string checked_keys(const Node& k) {
    const bool known = k.scalar.find_first_not_of("0123456789*#") == std::string::npos;
    if (!known || k.scalar.empty() || k.scalar.size() > 64)
      diags_.error(k.mark.pos(), path_ + ".keys", "'" + k.scalar + "' is not a key sequence",
                   "1 to 64 keypad keys: digits, * (back) and # (enter)");
    return k.scalar;
  }

  // A list of names (`press`, `inputs`) as bits 1 << index in `names`; each name once.
  template <std::size_t N>
  std::uint8_t bits(const char* key, const char* const (&names)[N], const char* what) {
    std::uint8_t out = 0;
    const Node* list = node_.find(key);
    if (!list) return out;
    for (std::size_t j = 0; j < list->items.size(); ++j) {
      const Node& item = list->items[j];
      const auto* name = std::find_if(std::begin(names), std::end(names),
                                      [&](const char* b) { return item.scalar == b; });  // validated: one of them
      const auto bit = static_cast<std::uint8_t>(1u << (name - std::begin(names)));
      if (out & bit)
        diags_.error(item.mark.pos(), path_ + "." + key + "[" + std::to_string(j) + "]", item.scalar + " is listed twice",
                     std::string("each ") + what + " once");
      out |= bit;
    }
    return out;
  }

  // A reversed current (export): the whole current waveform negated, i.e. 180
  // degrees more on the fundamental and on every current harmonic.
  static void reverse(simulation::PhaseLoad& load) {
    load.angle_deg = normalized_degrees(load.angle_deg + 180);
    for (std::uint8_t j = 0; j < load.harmonic_count; ++j)
      load.harmonics[j].phase_deg = normalized_degrees(load.harmonics[j].phase_deg + 180);
  }

  const Node& node_;
  const std::string path_;
  Diagnostics& diags_;
};

}  // namespace

std::string scenario_number(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("0");
}

std::uint64_t LoadedScenario::total_seconds() const {
  std::uint64_t total = 0;
  for (const auto& s : segments) total += s.duration_s;
  return total;
}

schema::TypeP scenario_schema() {
  static const TypeP root = [] {
    const TypeP phase_name = enumeration({"L1", "L2", "L3"});
    const TypeP all = object("AllPhases", phase_fields(false), "Applies to every phase; a phase's own entry overrides it.");
    const TypeP phase = object("Phase", phase_fields(true), "One phase; overrides all: field by field.");
    const TypeP segment = object(
        "Segment",
        {{"name",
          pattern_type("SegmentName", kNamePattern, "a name of up to 40 letters, digits, blanks and _ . , : ( ) / + -",
                       check_name, "Shown in logs."),
          false, ""},
         {"duration",
          quantity("Duration", R"(^[0-9.]+ *(s|min|h|d)$)",
                   "a duration in s, min, h or d, like 90s, 15min, 2h or 1d", parse_duration,
                   "How long the segment lasts, in whole seconds."),
          true, ""},
         {"frequency",
          quantity("Frequency", R"(^[0-9.]+ *(Hz)?$)", "a frequency in 40..70 Hz, like 50 Hz", parse_frequency,
                   "Fundamental frequency; default 50 Hz. The phase runs on without a jump."),
          false, ""},
         {"all", all, false, ""},
         {"L1", phase, false, ""},
         {"L2", phase, false, ""},
         {"L3", phase, false, ""},
         {"neutral", current_type(), false, "Neutral current (fundamental, in phase with L1's current); default the sum"},
         {"phase_loss", list_of(phase_name, "Phases whose voltage is 0."), false, ""},
         {"reverse", list_of(phase_name, "Phases whose current is reversed (export)."), false, ""},
         {"power", enumeration({"on", "off"}, "off: the meter is unpowered for the segment (default on)."), false, ""},
         {"relay",
          enumeration({"cuts", "bypassed"},
                      "bypassed: the load is wired around the supply relay, its current flows with the relay open "
                      "(default cuts)."),
          false, ""},
         {"press",
          list_of(enumeration(std::vector<std::string>(std::begin(kButtonNames), std::end(kButtonNames))),
                  "Buttons held down for the whole segment."),
          false, ""},
         {"inputs",
          list_of(enumeration(std::vector<std::string>(std::begin(kInputNames), std::end(kInputNames))),
                  "Inputs active for the whole segment: covers open, magnet, low battery, over temperature."),
          false, ""},
         {"keys", string_type("Typed on the keypad when the segment starts: digits, * (back), # (enter)."), false, ""}},
        "One stretch of constant conditions.");
    return object("Scenario",
                  {{"description", string_type("What the scenario is for."), false, ""},
                   {"segments", list_of(segment, "Played in order.", 1), true, ""},
                   {"repeat", boolean("Start again after the last segment (default: hold the last)."), false, ""},
                   {"seed", integer(0, 4294967295.0, "Seed of the noise generator (default 1)."), false, ""},
                   {"noise_lsb", number(0, 1000, "RMS noise on every channel, in ADC codes (default 0)."), false, ""},
                   {"fidelity",
                    enumeration({"samples", "readings"},
                                "samples: ADC frames through metrology (default); readings: each second's readings "
                                "in closed form."),
                    false, ""}},
                  "A scenario of the simulated analogue front end.");
  }();
  return root;
}

std::optional<LoadedScenario> parse_scenario(const Node& root, const std::string& file, Diagnostics& diags) {
  const std::size_t errors_before = diags.error_count();
  if (!validate(root, *scenario_schema(), "", diags)) return std::nullopt;
  const Node& list = *root.find("segments");
  if (list.items.size() > 0xFFFF) {
    diags.error(list.mark.pos(), "segments", "has " + std::to_string(list.items.size()) + " segments", "at most 65535");
    return std::nullopt;
  }
  LoadedScenario out;
  out.file = file;
  out.names.resize(list.items.size());
  out.keys.resize(list.items.size());
  for (std::size_t i = 0; i < list.items.size(); ++i)
    out.segments.push_back(SegmentBuilder(list.items[i], item_path("segments", list.items[i], i), diags)
                               .build(&out.names[i], &out.keys[i]));
  if (diags.error_count() != errors_before) return std::nullopt;
  for (std::size_t i = 0; i < out.segments.size(); ++i) {
    out.segments[i].name = out.names[i].c_str();
    out.segments[i].keys = out.keys[i].c_str();
  }
  const Node* repeat = root.find("repeat");
  const Node* seed = root.find("seed");
  const Node* noise = root.find("noise_lsb");
  const Node* fidelity = root.find("fidelity");
  out.scenario = {out.segments.data(), static_cast<std::uint16_t>(out.segments.size()),
                  repeat ? *scalar_bool(*repeat) : false, seed ? static_cast<std::uint32_t>(*scalar_int(*seed)) : 1u,
                  noise ? *scalar_number(*noise) : 0.0,
                  fidelity && fidelity->scalar == "readings" ? simulation::Fidelity::readings
                                                             : simulation::Fidelity::samples};
  // Settings the readings fidelity has no use for: there are no samples to add noise to.
  if (out.scenario.fidelity == simulation::Fidelity::readings && noise && out.scenario.noise_lsb > 0)
    diags.warning(noise->mark.pos(), "noise_lsb", "has no effect at fidelity readings (no samples are made)",
                  "noise_lsb: 0 or fidelity: samples");
  return out;
}

std::optional<LoadedScenario> load_scenario(const std::string& path, Diagnostics& diags) {
  auto root = load_yaml_file(path, diags);
  if (!root) return std::nullopt;
  return parse_scenario(*root, path, diags);
}

}  // namespace metergen
