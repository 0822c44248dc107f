// Audit: object-list readers (object_list.json, GXDLMSDirector .gxc) and the
// diff. Expected differences are the hand edits made to the fixtures in
// tests/fixtures/audit/ (listed in each test); object counts were made by hand
// with xmllint over the .gxc files.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "audit.hpp"
#include "build_model.hpp"
#include "../support/load_spec.hpp"

namespace {

using metergen::DifferenceKind;
using metergen::ObjectList;

const std::string kSource = METERGEN_SOURCE_DIR;
const std::string kFixtures = std::string(METERGEN_TESTS_DIR) + "/fixtures/";

ObjectList spec_list(const std::string& path) {
  return metergen::object_list_from_model(metergen::test::load_spec(path));
}

ObjectList file_list(const std::string& path) {
  metergen::Diagnostics d;
  auto list = metergen::read_object_list(path, d);
  for (const auto& x : d.items()) ADD_FAILURE() << x.format();
  if (!list) throw std::runtime_error("object list did not load: " + path);
  return std::move(*list);
}

metergen::AuditResult run(const ObjectList& expected, const ObjectList& actual, const std::string& association = "") {
  metergen::Diagnostics d;
  auto result = metergen::audit(expected, actual, {association}, d);
  for (const auto& x : d.items()) ADD_FAILURE() << x.format();
  if (!result) throw std::runtime_error("audit failed");
  return std::move(*result);
}

// One difference as the tests write it: association, kind, logical name, id, expected, actual.
struct Expected {
  std::string association;
  DifferenceKind kind;
  std::string ln;
  int id;
  std::string expected, actual;
};

void expect_differences(const metergen::AuditResult& result, const std::vector<Expected>& want) {
  ASSERT_EQ(result.differences.size(), want.size()) << metergen::render_audit_text(result);
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& d = result.differences[i];
    SCOPED_TRACE("difference " + std::to_string(i));
    EXPECT_EQ(d.association, want[i].association);
    EXPECT_EQ(d.kind, want[i].kind);
    EXPECT_EQ(d.logical_name ? metergen::format_obis(*d.logical_name) : "", want[i].ln);
    EXPECT_EQ(d.id, want[i].id);
    EXPECT_EQ(d.expected, want[i].expected);
    EXPECT_EQ(d.actual, want[i].actual);
  }
}

std::string first_error(const std::string& text, const std::string& file, bool gxc) {
  metergen::Diagnostics d;
  auto list = gxc ? metergen::parse_object_list_gxc(text, file, d) : metergen::parse_object_list_json(text, file, d);
  EXPECT_FALSE(list.has_value());
  return d.items().empty() ? "" : d.items().front().format();
}

TEST(Audit, SpecMatchesItsOwnGeneratedObjectList) {
  auto result = run(spec_list(kSource + "/specs/clms100.yaml"), file_list(kSource + "/generated/clms100/object_list.json"));
  EXPECT_TRUE(result.equal()) << metergen::render_audit_text(result);
  ASSERT_EQ(result.associations.size(), 4u);  // public, reader, utility, firmware: all compared
  for (const auto& a : result.associations) EXPECT_EQ(a.expected_objects, a.actual_objects) << a.name;
}

// tests/fixtures/audit/clms100-edited.json = generated/clms100/object_list.json with, in
// association "reader": 0.0.11.0.0.255 removed, disconnect control 0.0.24.4.0.255 version
// 1 -> 0, serial number 0.0.96.1.0.255 attribute 2 access 1 -> 3, Data 0.0.96.1.9.255 added.
TEST(Audit, EditedJsonShowsExactlyTheEdits) {
  auto result = run(spec_list(kSource + "/specs/clms100.yaml"), file_list(kFixtures + "audit/clms100-edited.json"));
  expect_differences(result, {
                                 {"reader", DifferenceKind::missing_object, "0.0.11.0.0.255", 0, "class 11 version 0", ""},
                                 {"reader", DifferenceKind::version, "0.0.24.4.0.255", 0, "1", "0"},
                                 {"reader", DifferenceKind::attribute_access, "0.0.96.1.0.255", 2, "read", "read-write"},
                                 {"reader", DifferenceKind::extra_object, "0.0.96.1.9.255", 0, "", "class 1 version 0"},
                             });
  EXPECT_EQ(result.differences[2].object_name, "serial_number");
}

TEST(Audit, AssociationOptionComparesOnlyThatAssociation) {
  auto expected = spec_list(kSource + "/specs/clms100.yaml");
  auto actual = file_list(kFixtures + "audit/clms100-edited.json");
  auto utility = run(expected, actual, "utility");
  ASSERT_EQ(utility.associations.size(), 1u);
  EXPECT_EQ(utility.associations[0].client_sap, 1);
  EXPECT_TRUE(utility.equal());
  EXPECT_EQ(run(expected, actual, "reader").differences.size(), 4u);

  metergen::Diagnostics d;
  EXPECT_FALSE(metergen::audit(expected, actual, {"reeder"}, d).has_value());
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_NE(d.items()[0].message.find("no association named 'reeder'; did you mean 'reader'?"), std::string::npos);
}

// The spec models Association LN version 2 only (generator/src/cosem.cpp); the MetCom
// meter lists its current association as version 1 with attributes 1-9. Everything
// else in the hand-written spec matches, so that version is the one difference left.
TEST(Audit, HandWrittenSpecMatchesMetcomPublicList) {
  auto result = run(spec_list(kFixtures + "audit/metcom-public.yaml"), file_list(kFixtures + "gxc/metcom-mcs301-public.gxc"));
  expect_differences(result, {{"public", DifferenceKind::version, "0.0.40.0.0.255", 0, "2", "1"}});
  ASSERT_EQ(result.associations.size(), 1u);
  EXPECT_EQ(result.associations[0].expected_objects, 8u);
  EXPECT_EQ(result.associations[0].actual_objects, 8u);
}

// tests/fixtures/audit/metcom-mcs301-public-edited.gxc = the fixture with: 0.0.42.0.0.255
// attribute 2 Access 1 -> 3, 0.0.43.1.5.255 removed, SAP assignment Version 0 -> 1,
// Data 0.0.96.1.0.255 added (plus the Association LN version above).
TEST(Audit, EditedGxcShowsExactlyTheEdits) {
  auto result = run(spec_list(kFixtures + "audit/metcom-public.yaml"),
                    file_list(kFixtures + "audit/metcom-mcs301-public-edited.gxc"));
  expect_differences(result, {
                                 {"public", DifferenceKind::version, "0.0.40.0.0.255", 0, "2", "1"},
                                 {"public", DifferenceKind::version, "0.0.41.0.0.255", 0, "0", "1"},
                                 {"public", DifferenceKind::attribute_access, "0.0.42.0.0.255", 2, "read", "read-write"},
                                 {"public", DifferenceKind::missing_object, "0.0.43.1.5.255", 0, "class 1 version 0", ""},
                                 {"public", DifferenceKind::extra_object, "0.0.96.1.0.255", 0, "", "class 1 version 0"},
                             });
}

// Counts of Objects2/GXDLMSObject per file (xmllint count(...)), ClientAddress and
// Authentication as written in each file (absent: GXDLMSDirector's defaults 16, None).
TEST(Audit, AllGxcFixturesParse) {
  struct Case {
    const char* file;
    std::size_t objects;
    int sap;
    const char* authentication;
  };
  for (const Case& c : {Case{"metcom-mcs301-public.gxc", 8, 16, "none"}, Case{"metcom-mcs301-management.gxc", 839, 1, "hls-gmac"},
                        Case{"edmi-mk7mi-low.gxc", 22, 32, "lls"}, Case{"kamstrup-382jx3-none.gxc", 26, 16, "none"}}) {
    SCOPED_TRACE(c.file);
    auto list = file_list(kFixtures + "gxc/" + c.file);
    ASSERT_EQ(list.associations.size(), 1u);
    EXPECT_EQ(list.associations[0].objects.size(), c.objects);
    EXPECT_EQ(list.associations[0].client_sap, c.sap);
    EXPECT_EQ(list.associations[0].authentication, c.authentication);
  }
}

// Item values from metcom-mcs301-public.gxc, current association 0.0.40.0.0.255:
// attribute 2 AccessSelector 6 (bits 1 and 2), attribute 7 Access 0, methods 1-2
// without MethodAccess (Gurux default NoAccess).
TEST(Audit, GxcItemsAndGuruxDefaults) {
  auto list = file_list(kFixtures + "gxc/metcom-mcs301-public.gxc");
  const auto& objects = list.associations[0].objects;
  auto it = std::find_if(objects.begin(), objects.end(),
                         [](const auto& o) { return o.logical_name == metergen::Obis{0, 0, 40, 0, 0, 255}; });
  ASSERT_NE(it, objects.end());
  EXPECT_EQ(it->class_id, 15);
  EXPECT_EQ(it->version, 1);
  ASSERT_EQ(it->attributes.size(), 9u);
  EXPECT_EQ(it->attributes[1].selectors, (std::vector<int>{1, 2}));
  EXPECT_EQ(it->attributes[6].access, 0);
  ASSERT_EQ(it->methods.size(), 2u);
  EXPECT_EQ(it->methods[0].access, 0);

  // Access absent: Gurux's default ReadWrite (3).
  const std::string gxc = R"(<ArrayOfGXDLMSDevice><GXDLMSDevice><Objects2>
<GXDLMSObject xsi:type="GXDLMSRegister"><LogicalName>1.0.1.8.0.255</LogicalName>
<Attributes><Item><Index>2</Index></Item></Attributes><Methods><Item><Index>1</Index><MethodAccess>2</MethodAccess></Item></Methods>
</GXDLMSObject></Objects2></GXDLMSDevice></ArrayOfGXDLMSDevice>)";
  metergen::Diagnostics d;
  auto small = metergen::parse_object_list_gxc(gxc, "small.gxc", d);
  ASSERT_TRUE(small.has_value());
  const auto& o = small->associations[0].objects.at(0);
  EXPECT_EQ(o.class_id, 3);
  EXPECT_EQ(o.version, 0);
  EXPECT_EQ(o.attributes.at(0).access, 3);
  EXPECT_EQ(o.methods.at(0).access, 2);
}

TEST(Audit, MalformedJsonIsAnErrorWithFileAndLine) {
  // The parser stops at the '}' on line 3, column 1.
  EXPECT_EQ(first_error("{\n \"format\": \n}", "bad.json", false).substr(0, 25), "bad.json:3:1: error: inva");
  EXPECT_EQ(first_error(R"({"format": "other"})", "bad.json", false),
            "bad.json: error: format: unknown or missing format; expected \"metergen-object-list/1\"");
  EXPECT_EQ(first_error(R"({"format": "metergen-object-list/1", "associations": [{"client_sap": 16, "objects": [{"version": 0}]}]})",
                        "bad.json", false),
            "bad.json: error: associations[0].objects[0].class_id: missing; expected an integer");
}

TEST(Audit, MalformedGxcIsAnErrorWithFileAndLine) {
  EXPECT_EQ(first_error("<ArrayOfGXDLMSDevice>\n<GXDLMSDevice>\n</ArrayOfGXDLMSDevice>", "bad.gxc", true).substr(0, 20),
            "bad.gxc:3:3: error: ");
  const std::string unknown = "<ArrayOfGXDLMSDevice><GXDLMSDevice><Objects2>\n"
                              "<GXDLMSObject xsi:type=\"GXDLMSWidget\"><LogicalName>0.0.1.0.0.255</LogicalName></GXDLMSObject>\n"
                              "</Objects2></GXDLMSDevice></ArrayOfGXDLMSDevice>";
  EXPECT_EQ(first_error(unknown, "bad.gxc", true),
            "bad.gxc:2:1: error: GXDLMSObject: unknown object type 'GXDLMSWidget'; expected a GXDLMS* interface class type");
  EXPECT_NE(first_error("<ArrayOfGXDLMSDevice><GXDLMSDevice><ClientAddress>x1</ClientAddress><Objects2/></GXDLMSDevice>"
                        "</ArrayOfGXDLMSDevice>", "bad.gxc", true)
                .find("'x1' is not a valid ClientAddress"),
            std::string::npos);
}

TEST(Audit, TextReportOneLinePerDifferenceAndSummary) {
  auto result = run(spec_list(kSource + "/specs/clms100.yaml"), file_list(kFixtures + "audit/clms100-edited.json"), "reader");
  EXPECT_EQ(metergen::render_audit_text(result),
            "reader (sap 2): 0.0.11.0.0.255 special_days_table: missing object (expected class 11 version 0)\n"
            "reader (sap 2): 0.0.24.4.0.255 disconnect_control: version expected 1, actual 0\n"
            "reader (sap 2): 0.0.96.1.0.255 serial_number: attribute 2 access expected read, actual read-write\n"
            "reader (sap 2): 0.0.96.1.9.255: extra object (class 1 version 0)\n"
            "audit: 4 differences (1 association(s) compared: reader (sap 2); 138 objects expected)\n");
}

TEST(Audit, JsonReportCarriesEachDifference) {
  auto result = run(spec_list(kSource + "/specs/clms100.yaml"), file_list(kFixtures + "audit/clms100-edited.json"), "reader");
  auto j = nlohmann::json::parse(metergen::render_audit_json(result));
  EXPECT_EQ(j["format"], "metergen-audit/1");
  EXPECT_EQ(j["equal"], false);
  ASSERT_EQ(j["differences"].size(), 4u);
  const auto& access = j["differences"][2];
  EXPECT_EQ(access["kind"], "attribute_access");
  EXPECT_EQ(access["logical_name"], "0.0.96.1.0.255");
  EXPECT_EQ(access["name"], "serial_number");
  EXPECT_EQ(access["id"], 2);
  EXPECT_EQ(access["expected"], "read");
  EXPECT_EQ(access["actual"], "read-write");
  EXPECT_TRUE(j["differences"][0]["actual"].is_null());
}

}  // namespace
