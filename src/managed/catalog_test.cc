#include "managed/catalog.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "common/ids.h"
#include "common/time.h"

namespace iamd::managed {
namespace {

constexpr size_t kAwsManagedPolicyCount = 1485;

// The catalog source, parsed with RapidJSON's DOM: an independent reading to check against.
const rapidjson::Document& SourceFile() {
  static const rapidjson::Document* doc = [] {
    std::ifstream in(std::string(IAMD_SOURCE_DIR) + "/resources/aws-managed-policies.json",
                     std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto* d = new rapidjson::Document;
    d->Parse(text.c_str(), text.size());
    return d;
  }();
  return *doc;
}

TEST(AwsManagedPolicies, HasEveryPolicyOfTheSourceFile) {
  ASSERT_TRUE(SourceFile().IsArray());
  EXPECT_EQ(SourceFile().Size(), kAwsManagedPolicyCount);
  EXPECT_EQ(AllPolicies().size(), kAwsManagedPolicyCount);
}

TEST(AwsManagedPolicies, FindsTheSeedsPoliciesByArn) {
  struct Seed {
    std::string_view arn, name, default_version_id;
  };
  for (const Seed& seed : {
           Seed{"arn:aws:iam::aws:policy/AmazonEC2FullAccess", "AmazonEC2FullAccess", "v5"},
           Seed{"arn:aws:iam::aws:policy/AmazonS3FullAccess", "AmazonS3FullAccess", "v2"},
           Seed{"arn:aws:iam::aws:policy/AmazonFSxFullAccess", "AmazonFSxFullAccess", "v13"},
           Seed{"arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
                "CloudWatchAgentServerPolicy", "v3"},
           Seed{"arn:aws:iam::aws:policy/AmazonSSMFullAccess", "AmazonSSMFullAccess", "v4"},
       }) {
    SCOPED_TRACE(seed.arn);
    const AwsManagedPolicy* p = FindByArn(seed.arn);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, seed.name);
    EXPECT_EQ(p->arn, seed.arn);
    EXPECT_EQ(p->path, "/");
    EXPECT_EQ(p->default_version_id, seed.default_version_id);
  }
}

TEST(AwsManagedPolicies, FindsEveryPolicyByItsArnAndName) {
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_EQ(FindByArn(p.arn), &p) << p.arn;
    EXPECT_EQ(FindByName(p.name), &p) << p.name;
  }
}

TEST(AwsManagedPolicies, AreSortedByNameInByteOrder) {
  auto all = AllPolicies();
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].name, all[i].name) << "at " << i;
  }
}

TEST(AwsManagedPolicies, IdsHaveTheAwsPolicyIdForm) {
  const std::regex form("ANPA[A-Z2-7]{17}");
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_TRUE(std::regex_match(p.policy_id.begin(), p.policy_id.end(), form)) << p.policy_id;
  }
}

TEST(AwsManagedPolicies, IdsAreUnique) {
  std::set<std::string_view> ids;
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_TRUE(ids.insert(p.policy_id).second) << p.policy_id << " repeats, at " << p.name;
  }
}

TEST(AwsManagedPolicies, IdIsStableUniqueIdOfArn) {
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_EQ(p.policy_id, StableUniqueId(kPolicyIdPrefix, p.arn)) << p.arn;
  }
}

TEST(AwsManagedPolicies, ArnIsPrefixPathAndName) {
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_EQ(p.arn, "arn:aws:iam::aws:policy" + std::string(p.path) + std::string(p.name));
  }
}

TEST(AwsManagedPolicies, ServiceRolePoliciesHaveServiceRoleArns) {
  size_t service_role = 0;
  for (const AwsManagedPolicy& p : AllPolicies()) {
    if (p.path != "/service-role/") continue;
    ++service_role;
    EXPECT_EQ(p.arn, "arn:aws:iam::aws:policy/service-role/" + std::string(p.name));
  }
  EXPECT_GT(service_role, 0u);
  const AwsManagedPolicy* lambda =
      FindByArn("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
  ASSERT_NE(lambda, nullptr);
  EXPECT_EQ(lambda->path, "/service-role/");
}

TEST(AwsManagedPolicies, FieldsEqualTheSourceFile) {
  for (const rapidjson::Value& source : SourceFile().GetArray()) {
    std::string_view name = source["PolicyName"].GetString();
    SCOPED_TRACE(name);
    const AwsManagedPolicy* p = FindByName(name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->path, source["Path"].GetString());
    EXPECT_EQ(p->arn, source["Arn"].GetString());
    EXPECT_EQ(p->default_version_id, source["DefaultVersionId"].GetString());
    EXPECT_EQ(p->create_millis, ParseIso8601Millis(source["CreateDate"].GetString()));
    EXPECT_EQ(p->update_millis, ParseIso8601Millis(source["UpdateDate"].GetString()));
  }
}

TEST(AwsManagedPolicies, DocumentsParseToTheSourceDocuments) {
  for (const rapidjson::Value& source : SourceFile().GetArray()) {
    std::string_view name = source["PolicyName"].GetString();
    const AwsManagedPolicy* p = FindByName(name);
    ASSERT_NE(p, nullptr) << name;
    rapidjson::Document rendered;
    rendered.Parse(p->document.data(), p->document.size());
    ASSERT_FALSE(rendered.HasParseError()) << name << " at " << rendered.GetErrorOffset();
    // RapidJSON compares objects member by member whatever their order.
    EXPECT_TRUE(rendered == source["Document"]) << name;
  }
}

TEST(AwsManagedPolicies, DocumentsStartWithVersion) {
  for (const AwsManagedPolicy& p : AllPolicies()) {
    EXPECT_TRUE(p.document.starts_with("{\n    \"Version\": \"2012-10-17\",\n")) << p.name;
  }
}

TEST(AwsManagedPolicies, DocumentIsRenderedAsAwsShowsIt) {
  const AwsManagedPolicy* p = FindByName("AmazonS3FullAccess");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->document, R"({
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "s3:*",
                "s3-object-lambda:*"
            ],
            "Resource": "*"
        }
    ]
})");
}

TEST(AwsManagedPolicies, DatesAreEpochMillisUtc) {
  const AwsManagedPolicy* p = FindByName("AmazonS3FullAccess");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->create_millis, 1423248058000);  // 2015-02-06T18:40:58+00:00
  EXPECT_EQ(p->update_millis, 1632773797000);  // 2021-09-27T20:16:37+00:00
}

TEST(FindByArn, IsCaseSensitive) {
  EXPECT_NE(FindByArn("arn:aws:iam::aws:policy/AmazonS3FullAccess"), nullptr);
  EXPECT_EQ(FindByArn("arn:aws:iam::aws:policy/amazons3fullaccess"), nullptr);
  EXPECT_EQ(FindByArn("ARN:AWS:IAM::AWS:POLICY/AMAZONS3FULLACCESS"), nullptr);
}

TEST(FindByArn, ReturnsNullForUnknownArns) {
  EXPECT_EQ(FindByArn(""), nullptr);
  EXPECT_EQ(FindByArn("arn:aws:iam::aws:policy/NoSuchPolicy"), nullptr);
  EXPECT_EQ(FindByArn("arn:aws:iam::123456789012:policy/AmazonS3FullAccess"), nullptr);
  // Right name, wrong path.
  EXPECT_EQ(FindByArn("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"), nullptr);
  EXPECT_EQ(FindByArn("arn:aws:iam::aws:policy/AmazonS3FullAccess "), nullptr);
  EXPECT_EQ(FindByArn("zzz"), nullptr);
}

TEST(FindByName, MatchesExactNamesOnly) {
  EXPECT_NE(FindByName("AmazonS3FullAccess"), nullptr);
  EXPECT_EQ(FindByName("amazons3fullaccess"), nullptr);
  EXPECT_EQ(FindByName("AmazonS3"), nullptr);
  EXPECT_EQ(FindByName(""), nullptr);
  EXPECT_EQ(FindByName("arn:aws:iam::aws:policy/AmazonS3FullAccess"), nullptr);
}

}  // namespace
}  // namespace iamd::managed
