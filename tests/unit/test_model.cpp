// Model building: expansions, implicit objects, access rights, extends, and
// deterministic emission. Expected values are worked out from the specs by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "build_model.hpp"
#include "emit.hpp"
#include "sections/sections.hpp"
#include "../support/load_spec.hpp"

namespace {

namespace fs = std::filesystem;
using metergen::Model;
using metergen::Obis;

Model load(const std::string& path) { return metergen::test::load_spec(path); }

const metergen::Object* by_name(const Model& m, const std::string& name) {
  for (const auto& o : m.objects)
    if (o.name == name) return &o;
  return nullptr;
}

const metergen::Object* by_ln(const Model& m, Obis ln) {
  for (const auto& o : m.objects)
    if (o.ln == ln) return &o;
  return nullptr;
}

std::size_t index_of(const Model& m, const std::string& name) {
  for (std::size_t i = 0; i < m.objects.size(); ++i)
    if (m.objects[i].name == name) return i;
  return SIZE_MAX;
}

class MinimalModel : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::current_path(METERGEN_TESTS_DIR);
    model = load("minimal.yaml");
  }
  Model model;
};

TEST_F(MinimalModel, TariffAndPhaseExpansionNamesAndLogicalNames) {
  ASSERT_TRUE(by_name(model, "active_import_energy_t2"));
  EXPECT_EQ(by_name(model, "active_import_energy")->ln, (Obis{1, 0, 1, 8, 0, 255}));
  EXPECT_EQ(by_name(model, "active_import_energy_t2")->ln, (Obis{1, 0, 1, 8, 2, 255}));
  EXPECT_EQ(by_name(model, "active_import_energy_t2")->tariff, 2);
  EXPECT_EQ(by_name(model, "voltage_l1")->ln, (Obis{1, 0, 32, 7, 0, 255}));
  EXPECT_EQ(by_name(model, "voltage_l3")->ln, (Obis{1, 0, 72, 7, 0, 255}));
  EXPECT_EQ(by_name(model, "voltage_l3")->phase, 3);
  EXPECT_FALSE(by_name(model, "voltage")) << "only L1..L3 were requested";
}

TEST_F(MinimalModel, ImplicitObjectsFromSections) {
  EXPECT_EQ(by_ln(model, {0, 0, 1, 0, 0, 255})->cls->id, 8);      // clock
  EXPECT_EQ(by_ln(model, {0, 0, 40, 0, 0, 255})->cls->id, 15);    // current association
  EXPECT_EQ(by_ln(model, {0, 0, 40, 0, 1, 255})->name, "association_public");
  EXPECT_EQ(by_ln(model, {0, 0, 40, 0, 2, 255})->name, "association_management");
  EXPECT_EQ(by_ln(model, {0, 0, 41, 0, 0, 255})->cls->id, 17);    // SAP assignment
  EXPECT_EQ(by_ln(model, {1, 0, 99, 1, 0, 255})->cls->id, 7);     // the profile
  EXPECT_EQ(by_ln(model, {0, 0, 13, 0, 0, 255})->cls->id, 20);    // activity calendar
  for (std::size_t i = 1; i < model.objects.size(); ++i) EXPECT_LT(model.objects[i - 1].ln, model.objects[i].ln);
}

TEST_F(MinimalModel, AccessRulesPerAssociation) {
  const auto& pub = model.associations[0];
  const auto& mgmt = model.associations[1];
  std::size_t clock = index_of(model, "clock"), energy = index_of(model, "active_import_energy");
  using metergen::AttrMode;
  using metergen::MethodMode;
  EXPECT_TRUE(pub.access[clock].listed);
  EXPECT_EQ(pub.access[clock].attributes[1], AttrMode::read);
  EXPECT_EQ(pub.access[clock].methods[0], MethodMode::none);
  EXPECT_FALSE(pub.access[energy].listed) << "the public client must not see energy registers";
  // read_write writes only what the class makes settable: clock time yes, register value no.
  EXPECT_EQ(mgmt.access[clock].attributes[1], AttrMode::read_write);
  EXPECT_EQ(mgmt.access[clock].attributes[3], AttrMode::read);  // attribute 4 status is read-only
  EXPECT_EQ(mgmt.access[energy].attributes[1], AttrMode::read);
  EXPECT_EQ(mgmt.access[energy].methods[0], MethodMode::access);  // reset
}

TEST_F(MinimalModel, ProfileEntrySizeFromAxdrEncodings) {
  ASSERT_EQ(model.profiles.size(), 1u);
  // structure header 2 + clock time octet-string(12) 14 + three double-long-unsigned 3 x 5
  EXPECT_EQ(model.profiles[0].entry_bytes, 2u + 14u + 15u);
  EXPECT_EQ(model.profiles[0].capture.size(), 4u);
}

TEST(SeedModels, Hxf300FactsFromTheManual) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("specs/hxf300-eu.yaml");
  EXPECT_EQ(m.phases, 3);
  EXPECT_EQ(m.active_imp_per_kwh, 10000);  // §26 impulse constant
  std::vector<int> saps;
  for (const auto& a : m.associations) saps.push_back(a.sap);
  std::sort(saps.begin(), saps.end());
  EXPECT_EQ(saps, (std::vector<int>{1, 2, 16, 102}));  // §19
  for (int e = 0; e <= 4; ++e) EXPECT_TRUE(by_ln(m, {1, 0, 1, 8, static_cast<std::uint8_t>(e), 255})) << e;
  ASSERT_TRUE(m.disconnect);
  EXPECT_EQ(m.disconnect->supported_modes.size(), 7u);  // §10.4 modes 0..6
  ASSERT_TRUE(m.demand);
  EXPECT_LE(m.demand->period_s * static_cast<std::uint32_t>(m.demand->number_of_periods), 3600u);  // §7.1
  bool power_down = false;
  for (const auto& log : m.event_logs)
    for (const auto& e : log.events) power_down |= e.code == 1 && e.name == "Power down";  // §13.2.1
  EXPECT_TRUE(power_down);
  EXPECT_EQ(m.event_logs.size(), 5u);  // §13.1: five groups
}

// Roles are what the runtime's engines look objects up by: the Blue Book's
// transformer ratio objects (1.0.0.4.2/5 current, 1.0.0.4.3/6 voltage), the
// currently active tariff 0.0.96.14.0 and the MDI reset / end of billing
// period script table 0.0.10.0.1, the calendar's objects (Blue Book OBIS: activity calendar
// 0.0.13.0.0, special days 0.0.11.0.0, tariffication script table 0.0.10.0.100), the
// end-of-billing single action schedule 0.0.15.0.0, the billing period counter 1.0.0.1.0 and
// the billing lockout time 1.0.0.9.12, the error and alarm registers 0.0.97.97.0 and 0.0.97.98.0,
// local time 1.0.0.9.1 and local date 1.0.0.9.2 (read from the clock), the serial number 0.0.96.1.0.
TEST(SeedModels, Hxf300RolesOfTheObjectsEnginesUse) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("specs/hxf300-eu.yaml");
  const std::pair<Obis, const char*> expected[] = {
      {{1, 0, 0, 4, 2, 255}, "ct_numerator"},   {{1, 0, 0, 4, 5, 255}, "ct_denominator"},
      {{1, 0, 0, 4, 3, 255}, "vt_numerator"},   {{1, 0, 0, 4, 6, 255}, "vt_denominator"},
      {{0, 0, 96, 14, 0, 255}, "current_tariff"}, {{0, 0, 10, 0, 1, 255}, "md_reset_script"},
      {{0, 0, 13, 0, 0, 255}, "activity_calendar"}, {{0, 0, 11, 0, 0, 255}, "special_days_table"},
      {{0, 0, 10, 0, 100, 255}, "tariff_script"}, {{0, 0, 15, 0, 0, 255}, "billing_schedule"},
      {{1, 0, 0, 1, 0, 255}, "billing_counter"}, {{1, 0, 0, 9, 12, 255}, "billing_lockout"},
      {{0, 0, 97, 97, 0, 255}, "error_register"}, {{0, 0, 97, 98, 0, 255}, "alarm_register"},
      {{1, 0, 0, 9, 1, 255}, "local_time"},     {{1, 0, 0, 9, 2, 255}, "local_date"},
      {{0, 0, 96, 1, 0, 255}, "serial_number"}, {{0, 0, 10, 0, 101, 255}, "display_test_script"},
      {{0, 0, 10, 0, 102, 255}, "display_normal_script"}};
  for (const auto& [ln, role] : expected) {
    const metergen::Object* o = by_ln(m, ln);
    ASSERT_TRUE(o) << role;
    EXPECT_EQ(o->role, role);
  }
  int with_role = 0;
  for (const metergen::Object& o : m.objects) with_role += o.role != "none";
  EXPECT_EQ(with_role, 19);
}

TEST(SeedModels, AllFourSeedsLoadClean) {
  fs::current_path(METERGEN_SOURCE_DIR);
  for (const char* id : {METERGEN_SEED_MODEL_IDS}) {  // cmake/SeedModels.cmake
    const std::string s = std::string("specs/") + id + ".yaml";
    metergen::Diagnostics d;
    EXPECT_TRUE(metergen::load_model(s, d)) << s;
    EXPECT_EQ(d.error_count(), 0u) << s;
  }
}

TEST(SeedModels, Clms100RelayAtTheManualsCode) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("specs/clms100.yaml");
  ASSERT_TRUE(m.disconnect);
  EXPECT_EQ(m.objects[m.disconnect->object].ln, (Obis{0, 0, 24, 4, 0, 255}));  // §5.9
  EXPECT_EQ(m.disconnect->default_mode, 5);
  EXPECT_EQ(m.phases, 1);
}

// clms100 grants its reader read on every attribute and its utility read_write:
// an Association LN's secret (attribute 7) is never readable, as the runtime
// refuses every GET of it; the utility keeps write access to it.
TEST(SeedModels, Clms100AssociationSecretsAreNeverReadable) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("specs/clms100.yaml");
  std::size_t checked = 0;
  for (const auto& a : m.associations)
    for (std::size_t i = 0; i < m.objects.size(); ++i) {
      if (m.objects[i].cls->id != 15 || !a.access[i].listed) continue;
      const metergen::AttrMode secret = a.access[i].attributes.at(6);
      EXPECT_TRUE(secret == metergen::AttrMode::none || secret == metergen::AttrMode::write ||
                  secret == metergen::AttrMode::auth_write)
          << a.name << " " << m.objects[i].name;
      if (a.name == "utility") EXPECT_EQ(secret, metergen::AttrMode::write) << m.objects[i].name;
      ++checked;
    }
  EXPECT_GE(checked, 8u);
}

TEST(Extends, VariantOverridesAndRemoves) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model base = load("specs/hxf300-eu.yaml");
  Model v = load("examples/hxf300-eu-acme.yaml");
  EXPECT_EQ(v.id, "hxf300-eu-acme");
  EXPECT_EQ(v.vendor, base.vendor);  // inherited
  EXPECT_TRUE(by_name(base, "load_profile_2"));
  EXPECT_FALSE(by_name(v, "load_profile_2"));  // removed
  ASSERT_TRUE(by_name(v, "acme_asset_number"));  // added
  EXPECT_EQ(v.disconnect->default_mode, 1);     // overridden scalar inside a mapping
  EXPECT_EQ(v.disconnect->supported_modes, base.disconnect->supported_modes);  // kept
  EXPECT_EQ(v.demand->method, "block");
  EXPECT_EQ(v.objects.size(), base.objects.size());  // one removed, one added
}

TEST(Emit, DeterministicAndIndependentOfHowTheSpecIsNamed) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model a = load("specs/hxf300-eu.yaml");
  Model b = load(fs::absolute("specs/hxf300-eu.yaml").string());
  auto fa = metergen::emit_model(a), fa2 = metergen::emit_model(a), fb = metergen::emit_model(b);
  EXPECT_EQ(fa, fa2);
  EXPECT_EQ(fa, fb) << "absolute and relative spec paths must give identical output";
  for (const auto& [path, text] : fa) {
    EXPECT_EQ(text.find(fs::current_path().string()), std::string::npos) << path << " contains an absolute path";
  }
}

TEST(Emit, TablesCarryTheAbiHandshakeAndSortedObjects) {
  fs::current_path(METERGEN_TESTS_DIR);
  Model m = load("minimal.yaml");
  std::string cpp = metergen::emit_tables_cpp(m);
  EXPECT_NE(cpp.find("static_assert(metergen::tables::kAbiVersion == 15,"), std::string::npos);
  // Objects with a value own state bytes; the model points at one zeroed buffer.
  EXPECT_NE(cpp.find("std::uint8_t kState["), std::string::npos);
  EXPECT_NE(cpp.find(".state = kState,"), std::string::npos);
  // The clock row: LN bytes, class 8, version 0, every field named.
  EXPECT_NE(cpp.find("{.ln = {.b = {0x00, 0x00, 0x01, 0x00, 0x00, 0xFF}}, .class_id = 8, .version = 0,"), std::string::npos);
  EXPECT_LT(cpp.find("0x00, 0x00, 0x01, 0x00, 0x00, 0xFF"), cpp.find("0x01, 0x00, 0x01, 0x08, 0x00, 0xFF"));
}

// The engines' RAM is reserved for what the spec declares: minimal.yaml has one
// profile (load_profile), two associations (public, management) and no push setup.
TEST(Emit, TablesReserveTheEnginesRamForTheModel) {
  fs::current_path(METERGEN_TESTS_DIR);
  const std::string cpp = metergen::emit_tables_cpp(load("minimal.yaml"));
  EXPECT_NE(cpp.find("ProfileRam kProfileRam[1];"), std::string::npos);
  EXPECT_NE(cpp.find("AssociationRam kAssociationRam[2];"), std::string::npos);
  EXPECT_EQ(cpp.find("kPushFrame"), std::string::npos);
  EXPECT_NE(cpp.find(".ram = {.profiles = kProfileRam, .associations = kAssociationRam, .push_frame = nullptr}"),
            std::string::npos);
  // hxf300-eu.yaml: profiles load_profile_1/2, daily and monthly billing and five event logs
  // (standard, fraud, relay, power quality, communication: 9); associations public, reading, management, pre_established (4); a push setup.
  fs::current_path(METERGEN_SOURCE_DIR);
  const std::string hxf = metergen::emit_tables_cpp(load("specs/hxf300-eu.yaml"));
  EXPECT_NE(hxf.find("ProfileRam kProfileRam[9];"), std::string::npos);
  EXPECT_NE(hxf.find("AssociationRam kAssociationRam[4];"), std::string::npos);
  EXPECT_NE(hxf.find("std::uint8_t kPushFrame[kPushFrameBytes];"), std::string::npos);
}

// The metering facts, worked out from the hardware sections by hand.
TEST(Model, MeteringFromTheHardwareSection) {
  fs::current_path(METERGEN_SOURCE_DIR);
  // HXF300: CT/CTPT, 57.7..277 V, In 1/5 A (5 A), Imax 6/10 A (10 A), start 0.1 % of 5 A = 5 mA,
  // 50 Hz, classes 0.2S (of 0.2S/0.5S/C) and 1S (of 1S/2).
  metergen::Metering hxf = load("specs/hxf300-eu.yaml").metering;
  EXPECT_TRUE(hxf.transformer_operated);
  EXPECT_TRUE(hxf.neutral_current);
  EXPECT_EQ(hxf.voltage_min_mv, 57700u);
  EXPECT_EQ(hxf.voltage_max_mv, 277000u);
  EXPECT_EQ(hxf.basic_current_ma, 5000u);
  EXPECT_EQ(hxf.max_current_ma, 10000u);
  EXPECT_EQ(hxf.starting_current_ma, 5u);
  EXPECT_EQ(hxf.frequency_hz, 50);
  EXPECT_EQ(hxf.active_class, "0.2S");
  EXPECT_EQ(hxf.reactive_class, "1S");
  // HXE312-KP: direct, Ib 5/10 A, starting_current_ratio 0.004 of the largest (10 A) = 40 mA;
  // classes 1, 2, A, B: 1 and B tie at 1 %, the first listed wins; no reactive class.
  metergen::Metering hxe = load("specs/hxe312-kp.yaml").metering;
  EXPECT_EQ(hxe.starting_current_ma, 40u);
  EXPECT_EQ(hxe.active_class, "1");
  EXPECT_EQ(hxe.reactive_class, "");
}

// The alarm descriptor from the catalogue (Blue Book OBIS 0-0:97.98.20.255).
TEST(Model, AlarmDescriptorFromTheCatalogue) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("tests/runtime/specs/alarms.yaml");
  const metergen::Object* d = by_ln(m, {0, 0, 97, 98, 20, 255});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "alarm_descriptor");
  EXPECT_EQ(d->role, "alarm_descriptor");
  EXPECT_EQ(d->cls->id, 1);
  EXPECT_EQ(d->type, metergen::cosem::DataType::double_long_unsigned);
}

// The diagnostics of a spec whose objects section is `objects` (catalogue imported).
std::vector<std::string> errors_of_objects(const std::string& objects) {
  const fs::path path = fs::temp_directory_path() / "metergen_alarm_roles.yaml";
  std::ofstream(path) << "format: 1\n"
                         "imports: [" << METERGEN_SOURCE_DIR << "/specs/catalog/general.yaml]\n"
                         "model: {id: roles, vendor: Test, name: Roles}\n"
                         "hardware: {phases: 1, networks: [1P2W], connection: direct}\n"
                         "associations:\n"
                         "  - {name: public, sap: 16, authentication: none, access: [{all: true, attributes: read}]}\n"
                         "objects:\n" << objects;
  metergen::Diagnostics d;
  metergen::load_model(path.string(), d, metergen::test::with_catalog());
  fs::remove(path);
  std::vector<std::string> out;
  for (const auto& x : d.items())
    if (x.severity == metergen::Severity::error) out.push_back(x.format());
  return out;
}

// The alarm register, filter and descriptor are Data or Register objects of
// type double-long-unsigned; another class or type is an error at the object.
TEST(Model, AlarmBitStringRolesNeedADoubleLongUnsignedDataOrRegister) {
  EXPECT_TRUE(errors_of_objects("  - {name: descriptor, obis: 0.0.97.98.21.255, class: register, type: double-long-unsigned,\n"
                                "     unit: count, source: status.alarm_descriptor, role: alarm_descriptor}\n")
                  .empty());
  const auto errors = errors_of_objects("  - use: alarm_register\n"
                                        "  - {name: filter, obis: 0.0.97.98.10.255, class: data, type: long-unsigned,\n"
                                        "     default: 4, role: alarm_filter}\n"
                                        "  - {name: descriptor, obis: 0.0.97.98.20.255, class: clock, role: alarm_descriptor}\n");
  auto has = [&](const std::string& text) {
    return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has(":9:5: error: objects[filter].role: 'filter' (data, long-unsigned) cannot hold role alarm_filter; "
                  "expected a data or register object of type double-long-unsigned"))
      << ::testing::PrintToString(errors);
  EXPECT_TRUE(has(":11:5: error: objects[descriptor].role: 'descriptor' (clock) cannot hold role alarm_descriptor"))
      << ::testing::PrintToString(errors);
}

TEST(Model, StartingCurrentDefaultsToTheIecFraction) {
  Model m;
  m.basic_current_a = {1, 5};
  m.connection = "transformer";  // 0.1 % of In = 5 A
  EXPECT_DOUBLE_EQ(metergen::sections::starting_current_a(m), 0.005);
  m.connection = "direct";  // 0.4 % of Ib
  EXPECT_DOUBLE_EQ(metergen::sections::starting_current_a(m), 0.02);
  m.starting_current_ratio = 0.002;
  EXPECT_DOUBLE_EQ(metergen::sections::starting_current_a(m), 0.01);
  m.starting_current_a = 0.015;  // given outright: wins over any ratio
  EXPECT_DOUBLE_EQ(metergen::sections::starting_current_a(m), 0.015);
}

TEST(Model, TightestAccuracyClass) {
  using metergen::sections::tightest_class;
  EXPECT_EQ(tightest_class({"1", "0.5S", "2"}), "0.5S");
  EXPECT_EQ(tightest_class({"A", "B"}), "B");   // EN 50470-3: B ~ 1, A ~ 2
  EXPECT_EQ(tightest_class({"1S", "C"}), "C");  // C ~ 0.5S
  EXPECT_EQ(tightest_class({"X", "2"}), "2");   // an unknown class ranks last
  EXPECT_EQ(tightest_class({}), "");
}

TEST(Model, SameAsDisplayListShowsTheNamedList) {
  fs::current_path(METERGEN_SOURCE_DIR);
  Model m = load("specs/hxe312-kp.yaml");  // power_off: same_as auto_scroll
  std::size_t power_off = SIZE_MAX, auto_scroll = SIZE_MAX;
  for (std::size_t i = 0; i < m.display_lists.size(); ++i) {
    if (m.display_lists[i].mode == "power_off") power_off = i;
    if (m.display_lists[i].mode == "auto_scroll") auto_scroll = i;
  }
  ASSERT_NE(power_off, SIZE_MAX);
  EXPECT_EQ(m.display_lists[power_off].shows, auto_scroll);
  EXPECT_EQ(m.display_lists[auto_scroll].shows, auto_scroll);
}

// DTSD545 Attachment A, counted by hand row by row:
//   energy 1.8, 2.8, 3.8, 4.8, 15.8, 9.8, 10.8, tariffs 0..8:       7 x 9     =  63
//   maximum demand 1.6, 2.6, 3.6, 4.6, 9.6, 10.6, tariffs 0..8,
//     each on 2 screens (value, then "DD-MM-YY hhmm"):                6 x 9 x 2 = 108
//   the same for the last month (F = 101):                          63 + 108    = 171
//   local date 0.9.2, local time 0.9.1, serial number C.1.0:                       3
//   instantaneous: 1/2/3/4/9/10.7.0 (6); voltage, current, +P, -P, +Q, -Q, +S, -S
//     per phase (8 x 3 = 24); power factor total and per phase (4); current N (1): 35
//   total: 171 + 171 + 3 + 35 = 380.
TEST(Model, Dtsd545PoolIsAttachmentA) {
  fs::current_path(METERGEN_SOURCE_DIR);
  const Model m = load("specs/dtsd545.yaml");
  ASSERT_TRUE(m.display_pool_declared);
  EXPECT_EQ(m.display_pool.size(), 380u);
  std::size_t times = 0, last_month = 0;
  for (const auto& s : m.display_pool) {
    if (s.format == "date_time") ++times;
    if (s.object && m.objects[*s.object].ln[5] == 101) ++last_month;
  }
  EXPECT_EQ(times, 108u);       // 6 x 9 this month + 6 x 9 last month
  EXPECT_EQ(last_month, 171u);  // 63 energy + 108 maximum demand screens
  // Each list holds pool screens only, at most 48 (§5.2.2).
  for (const auto& l : m.display_lists) {
    EXPECT_LE(l.pool_items.size(), 48u);
    ASSERT_EQ(l.pool_items.size(), l.items.size());
    for (std::size_t i = 0; i < l.items.size(); ++i) EXPECT_EQ(m.display_pool[l.pool_items[i]].code, l.items[i].code);
  }
}

// Without a pool the tables' pool is the lists' distinct items. HXE312-KP:
// auto scroll 5 items; manual 23 (balance, emergency credit, +A, -A, |A|, six
// monthly 1.9.0, six phase currents and voltages, P, PF, f, serial number,
// firmware, error register), of which balance, +A and -A are the auto-scroll
// list's screens; power-off shows the auto-scroll list: 5 + 23 - 3 = 25.
TEST(Model, ListItemsFormThePoolWithoutOne) {
  fs::current_path(METERGEN_SOURCE_DIR);
  const Model m = load("specs/hxe312-kp.yaml");
  EXPECT_FALSE(m.display_pool_declared);
  EXPECT_EQ(m.display_pool.size(), 25u);
}

TEST_F(MinimalModel, ValueAndStateLayout) {
  // No constants or defaults: an empty value pool. State in LN order: the special days
  // table (0.0.11.0.0.255; no special days and no limit: an empty array, 01 00, 2 bytes),
  // the activity calendar (0.0.13.0.0.255), then the three +A registers
  // (double-long-unsigned, 5 bytes each), then voltage L1..L3 (long-unsigned, 3).
  EXPECT_TRUE(model.value_pool.empty());
  EXPECT_EQ(by_name(model, "special_days_table")->value_size, 2);
  EXPECT_EQ(by_name(model, "special_days_table")->state_offset, 0u);
  // One calendar at the limits 1 season, 1 week, 2 day profiles of 2 switchings:
  // name octet-string(16) 18 | seasons 01 01 + structure{02 03, name 09 08+8, start 09 0C+12,
  // week 09 08+8} 36 = 38 | weeks 01 01 + structure{02 08, name 10, 7 x 11 xx} 26 = 28 |
  // days 01 02 + 2 x (02 02 | 11 id | 01 02 | 2 x structure{02 03, 09 04+4, 09 06+6, 12 xx xx} 19) = 90.
  // State: active and passive (174 each) and attribute 10 (09 0C + 12).
  const auto* calendar = by_name(model, "activity_calendar");
  EXPECT_EQ(calendar->value_size, 18 + 38 + 28 + 90);
  EXPECT_EQ(calendar->state_offset, 2u);
  const std::uint32_t registers = 2 + 2 * 174 + 14;
  const auto* t0 = by_name(model, "active_import_energy");
  EXPECT_FALSE(t0->value_offset);
  EXPECT_EQ(t0->value_size, 5);
  EXPECT_EQ(t0->state_offset, registers);
  EXPECT_EQ(by_name(model, "active_import_energy_t2")->state_offset, registers + 10);
  EXPECT_EQ(by_name(model, "voltage_l1")->state_offset, registers + 15);
  EXPECT_EQ(by_name(model, "voltage_l3")->state_offset, registers + 21);
  EXPECT_EQ(model.state_size, registers + 24);
  EXPECT_FALSE(by_name(model, "clock")->state_offset);  // the runtime keeps no clock state in the table
  EXPECT_EQ(by_name(model, "voltage_l1")->runtime_quantity, "voltage");
  EXPECT_EQ(by_name(model, "clock")->runtime_quantity, "none");
}

TEST_F(MinimalModel, ModelJsonCarriesTheLayout) {
  std::string json = metergen::model_json(model);
  EXPECT_NE(json.find("\"name\": \"voltage_l3\""), std::string::npos);
  // voltage_l3 after the calendar objects (364 bytes, ValueAndStateLayout) and 21 bytes of values.
  EXPECT_NE(json.find("\"value_size\": 3,\n   \"state_offset\": 385"), std::string::npos);
  EXPECT_NE(json.find("\"state_size\": 388"), std::string::npos);
  EXPECT_NE(json.find("\"starting_current_ma\": 0"), std::string::npos);  // direct, no Ib listed
}

// The metering row as the tables carry it.
TEST(Emit, MeteringDefinitionFromTheHardwareSection) {
  fs::current_path(METERGEN_SOURCE_DIR);
  // CLMS100: direct, 220..240 V, Ib 5 A, Imax 80 A, start 0.02 A, 50 Hz first, 1000/1000, class B and 2.
  std::string clms = metergen::emit_tables_cpp(load("specs/clms100.yaml"));
  EXPECT_NE(clms.find(".metering = {.transformer_operated = false, .neutral_current = false, .voltage_min_mv = 220000, "
                      ".voltage_max_mv = 240000, .basic_current_ma = 5000, .max_current_ma = 80000, "
                      ".starting_current_ma = 20, .frequency_hz = 50, .active_imp_per_kwh = 1000, "
                      ".reactive_imp_per_kvarh = 1000, .active_class = \"B\", .reactive_class = \"2\"},"),
            std::string::npos);
}

}  // namespace
