// All 1,485 AWS managed policies (resources/aws-managed-policies.json) are valid managed
// identity policies: AWS created them through the same validation.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "case_loader.h"
#include "policy/evaluator.h"
#include "policy/policy.h"

namespace iamd::policy::testing {
namespace {

TEST(AwsManagedPolicies, AllPassValidationAsManagedIdentityPolicies) {
  std::string text = ReadFile(SourceDir() + "/resources/aws-managed-policies.json");
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_TRUE(doc.IsArray());
  size_t count = 0;
  for (const auto& entry : doc.GetArray()) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buf);
    entry["Document"].Accept(writer);
    auto policy = ParsePolicy(buf.GetString(), PolicyKind::kManagedIdentity);
    EXPECT_TRUE(policy.has_value())
        << entry["PolicyName"].GetString() << ": " << (policy ? "" : policy.error().message);
    ++count;
  }
  EXPECT_EQ(count, 1485u);
}

TEST(AwsManagedPolicies, AdministratorAccessAllowsAnything) {
  std::string text = ReadFile(SourceDir() + "/resources/aws-managed-policies.json");
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  for (const auto& entry : doc.GetArray()) {
    if (std::string_view(entry["PolicyName"].GetString()) != "AdministratorAccess") continue;
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
    entry["Document"].Accept(writer);
    auto policy = ParsePolicy(buf.GetString(), PolicyKind::kManagedIdentity);
    ASSERT_TRUE(policy.has_value());
    PolicySource source{policy->get(), entry["Arn"].GetString(), PolicySourceType::kAwsManaged};
    Request r;
    r.action = "dynamodb:DeleteTable";
    r.resource = "arn:aws:dynamodb:us-east-1:123456789012:table/t";
    r.principal.type = PrincipalType::kIamUser;
    r.principal.arn = "arn:aws:iam::123456789012:user/admin";
    r.principal.account = "123456789012";
    r.identity_policies = std::span<const PolicySource>(&source, 1);
    EXPECT_EQ(Authorize(r).decision, Decision::kAllow);
    return;
  }
  FAIL() << "AdministratorAccess not found";
}

}  // namespace
}  // namespace iamd::policy::testing
