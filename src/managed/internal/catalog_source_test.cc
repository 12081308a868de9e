#include "managed/internal/catalog_source.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "common/ids.h"

namespace iamd::managed::internal {
namespace {

using Members = std::map<std::string, std::string, std::less<>>;

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

// A source entry for policy `name` under `path`; `changes` replaces members' JSON values, and an
// empty value drops the member.
std::string Entry(std::string_view name, std::string_view path = "/", const Members& changes = {}) {
  std::string arn = "arn:aws:iam::aws:policy";
  arn += path;
  arn += name;
  Members members = {
      {"PolicyName", Quoted(name)},
      {"Path", Quoted(path)},
      {"Arn", Quoted(arn)},
      {"DefaultVersionId", Quoted("v3")},
      {"CreateDate", Quoted("2015-02-06T18:40:58+00:00")},
      {"UpdateDate", Quoted("2021-09-27T20:16:37+00:00")},
      {"Document", R"({"Statement": [], "Version": "2012-10-17"})"},
  };
  for (const auto& [key, value] : changes) members[key] = value;
  std::string out = "{";
  for (const auto& [key, value] : members) {
    if (value.empty()) continue;
    if (out.size() > 1) out += ", ";
    out += Quoted(key);
    out += ": ";
    out += value;
  }
  out += '}';
  return out;
}

std::string Array(std::initializer_list<std::string> entries) {
  std::string out = "[";
  for (const std::string& e : entries) {
    if (out.size() > 1) out += ",\n";
    out += e;
  }
  out += ']';
  return out;
}

std::string ErrorOf(std::string_view json) {
  auto r = ReadCatalogSource(json);
  return r ? "no error" : r.error();
}

TEST(ReadCatalogSource, ComputesEveryField) {
  auto r = ReadCatalogSource(Array({Entry("Alpha", "/service-role/")}));
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_EQ(r->size(), 1u);
  const SourcePolicy& p = (*r)[0];
  EXPECT_EQ(p.name, "Alpha");
  EXPECT_EQ(p.path, "/service-role/");
  EXPECT_EQ(p.arn, "arn:aws:iam::aws:policy/service-role/Alpha");
  EXPECT_EQ(p.policy_id, StableUniqueId("ANPA", "arn:aws:iam::aws:policy/service-role/Alpha"));
  EXPECT_EQ(p.default_version_id, "v3");
  EXPECT_EQ(p.create_millis, 1423248058000);
  EXPECT_EQ(p.update_millis, 1632773797000);
  EXPECT_EQ(p.document, "{\n    \"Version\": \"2012-10-17\",\n    \"Statement\": []\n}");
}

TEST(ReadCatalogSource, SortsByNameInByteOrder) {
  auto r = ReadCatalogSource(Array({Entry("b"), Entry("B"), Entry("a"), Entry("A_")}));
  ASSERT_TRUE(r.has_value()) << r.error();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].name, "A_");
  EXPECT_EQ((*r)[1].name, "B");
  EXPECT_EQ((*r)[2].name, "a");
  EXPECT_EQ((*r)[3].name, "b");
}

TEST(ReadCatalogSource, IgnoresUnknownMembers) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"AttachmentCount", "3"}})})), "no error");
}

TEST(ReadCatalogSource, AcceptsAnEmptyArray) {
  auto r = ReadCatalogSource("[]");
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_TRUE(r->empty());
}

TEST(ReadCatalogSource, ReportsMalformedJsonWithLineAndColumn) {
  std::string e = ErrorOf("[\n" + Entry("A") + "\n,]");
  EXPECT_TRUE(e.starts_with("malformed JSON: line 3, column 2: ")) << e;
}

TEST(ReadCatalogSource, RejectsATopLevelObject) {
  EXPECT_EQ(ErrorOf(Entry("A")), "the top-level value is not a JSON array of policies");
}

TEST(ReadCatalogSource, NamesTheMissingMemberAndThePolicy) {
  for (std::string member :
       {"PolicyName", "Path", "Arn", "DefaultVersionId", "CreateDate", "UpdateDate", "Document"}) {
    std::string e = ErrorOf(Array({Entry("Zeta"), Entry("Alpha", "/", {{member, ""}})}));
    std::string where = member == "PolicyName" ? "policy #2: " : "policy #2 (\"Alpha\"): ";
    EXPECT_EQ(e, where + "missing member " + Quoted(member));
  }
}

TEST(ReadCatalogSource, RejectsAStringMemberThatIsNotAString) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"DefaultVersionId", "3"}})})),
            "policy #1 (\"A\"): member \"DefaultVersionId\" is not a string");
}

TEST(ReadCatalogSource, RejectsADocumentThatIsNotAnObject) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"Document", "[]"}})})),
            "policy #1 (\"A\"): member \"Document\" is not a JSON object");
}

TEST(ReadCatalogSource, RejectsAnEntryThatIsNotAnObject) {
  EXPECT_EQ(ErrorOf(Array({Entry("A"), "7"})), "policy #2: not a JSON object");
}

TEST(ReadCatalogSource, RejectsANameIamDoesNotAllow) {
  EXPECT_EQ(ErrorOf(Array({Entry("a b")})),
            "policy #1 (\"a b\"): PolicyName is not a valid IAM name");
  EXPECT_EQ(ErrorOf(Array({Entry("")})), "policy #1 (\"\"): PolicyName is not a valid IAM name");
}

TEST(ReadCatalogSource, RejectsAPathWithoutSlashes) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/x")})),
            "policy #1 (\"A\"): Path \"/x\" does not start and end with '/'");
}

TEST(ReadCatalogSource, RejectsAnArnThatIsNotPrefixPathAndName) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"Arn", Quoted("arn:aws:iam::aws:policy/B")}})})),
            "policy #1 (\"A\"): Arn \"arn:aws:iam::aws:policy/B\" is not "
            "\"arn:aws:iam::aws:policy/A\"");
}

TEST(ReadCatalogSource, RejectsAVersionIdNotOfTheFormVn) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"DefaultVersionId", Quoted("v03")}})})),
            "policy #1 (\"A\"): DefaultVersionId \"v03\" is not v<N>");
}

TEST(ReadCatalogSource, RejectsABadDate) {
  EXPECT_EQ(ErrorOf(Array({Entry("A", "/", {{"UpdateDate", Quoted("2015-02-31T18:40:58Z")}})})),
            "policy #1 (\"A\"): UpdateDate \"2015-02-31T18:40:58Z\" is not an ISO 8601 time");
}

TEST(ReadCatalogSource, RejectsANameGivenTwice) {
  EXPECT_EQ(ErrorOf(Array({Entry("A"), Entry("A", "/x/")})), "PolicyName \"A\" occurs twice");
}

}  // namespace
}  // namespace iamd::managed::internal
