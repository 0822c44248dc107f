// Model building: expansions, implicit objects, access rights, extends, and
// deterministic emission. Expected values are worked out from the specs by hand.
#include <gtest/gtest.h>

#include <filesystem>

#include "build_model.hpp"
#include "emit.hpp"

namespace {

namespace fs = std::filesystem;
using metergen::Model;
using metergen::Obis;

Model load(const std::string& path) {
  metergen::Diagnostics d;
  auto m = metergen::load_model(path, d);
  for (const auto& x : d.items()) ADD_FAILURE() << x.format();
  if (!m) throw std::runtime_error("model did not load: " + path);
  return std::move(*m);
}

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
  EXPECT_NE(cpp.find("static_assert(metergen::tables::kAbiVersion == 3,"), std::string::npos);
  // Objects with a value own state bytes; the model points at one zeroed buffer.
  EXPECT_NE(cpp.find("std::uint8_t kState["), std::string::npos);
  EXPECT_NE(cpp.find(".state = kState,"), std::string::npos);
  // The clock row: LN bytes, class 8, version 0.
  EXPECT_NE(cpp.find("{{0x00, 0x00, 0x01, 0x00, 0x00, 0xFF}}, 8, 0,"), std::string::npos);
  EXPECT_LT(cpp.find("0x00, 0x00, 0x01, 0x00, 0x00, 0xFF"), cpp.find("0x01, 0x00, 0x01, 0x08, 0x00, 0xFF"));
}

// The metering row, worked out from the hardware sections by hand.
TEST(Emit, MeteringDefinitionFromTheHardwareSection) {
  fs::current_path(METERGEN_SOURCE_DIR);
  // HXF300: CT/CTPT, 57.7..277 V, In 1/5 A (5 A), Imax 6/10 A (10 A), start 0.1 % of 5 A = 5 mA,
  // 50 Hz, 10,000 imp/kWh and imp/kvarh, classes 0.2S (of 0.2S/0.5S/C) and 1S (of 1S/2).
  std::string hxf = metergen::emit_tables_cpp(load("specs/hxf300-eu.yaml"));
  EXPECT_NE(hxf.find(".metering = {true, true, 57700, 277000, 5000, 10000, 5, 50, 10000, 10000, \"0.2S\", \"1S\"},"),
            std::string::npos);
  // CLMS100: direct, 220..240 V, Ib 5 A, Imax 80 A, start 0.02 A, 50 Hz first, 1000/1000, class B and 2.
  std::string clms = metergen::emit_tables_cpp(load("specs/clms100.yaml"));
  EXPECT_NE(clms.find(".metering = {false, false, 220000, 240000, 5000, 80000, 20, 50, 1000, 1000, \"B\", \"2\"},"),
            std::string::npos);
}

}  // namespace
