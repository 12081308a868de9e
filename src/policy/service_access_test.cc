// AllowsSomeActionOf: which services an identity policy's Allow statements reach, as
// ListPoliciesGrantingServiceAccess reports them.
#include <gtest/gtest.h>

#include <string>

#include "policy/policy.h"

namespace iamd::policy {
namespace {

// A policy of one statement: Effect, then `action_json` as the Action (or NotAction) element.
PolicyPtr OneStatement(std::string_view effect, std::string_view element,
                       std::string_view action_json) {
  const std::string text = R"({"Version":"2012-10-17","Statement":[{"Effect":")" +
                           std::string(effect) + R"(",")" + std::string(element) +
                           R"(":)" + std::string(action_json) + R"(,"Resource":"*"}]})";
  auto p = ParsePolicy(text, PolicyKind::kIdentity);
  EXPECT_TRUE(p) << text << ": " << p.error().message;
  return p ? *p : nullptr;
}

struct Case {
  const char* effect;
  const char* element;
  const char* actions;
  const char* service;
  bool allows;
};

class AllowsSomeActionOfTest : public ::testing::TestWithParam<Case> {};

TEST_P(AllowsSomeActionOfTest, Decides) {
  const Case& c = GetParam();
  PolicyPtr p = OneStatement(c.effect, c.element, c.actions);
  ASSERT_TRUE(p);
  EXPECT_EQ(AllowsSomeActionOf(*p, c.service), c.allows)
      << c.effect << " " << c.element << " " << c.actions << " for " << c.service;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AllowsSomeActionOfTest,
    ::testing::Values(
        // Action naming the service, in any case, exactly or through wildcards.
        Case{"Allow", "Action", R"("s3:GetObject")", "s3", true},
        Case{"Allow", "Action", R"("S3:getobject")", "S3", true},
        Case{"Allow", "Action", R"("s3:Get*")", "s3", true},
        Case{"Allow", "Action", R"("s3:*")", "s3", true},
        Case{"Allow", "Action", R"("*")", "dynamodb", true},
        Case{"Allow", "Action", R"("*:Describe*")", "ec2", true},
        Case{"Allow", "Action", R"("*:*")", "ec2", true},
        Case{"Allow", "Action", R"(["iam:PassRole","ec2:RunInstances"])", "ec2", true},
        // ... and not naming it.
        Case{"Allow", "Action", R"("s3:GetObject")", "s3express", false},
        Case{"Allow", "Action", R"("s3express:*")", "s3", false},
        Case{"Allow", "Action", R"("ec2:*")", "ec", false},
        Case{"Allow", "Action", R"(["iam:PassRole","ec2:RunInstances"])", "s3", false},
        // Deny grants nothing.
        Case{"Deny", "Action", R"("*")", "s3", false},
        Case{"Deny", "NotAction", R"("iam:*")", "s3", false},
        // NotAction: the service is reached unless every one of its actions is excluded.
        Case{"Allow", "NotAction", R"("iam:*")", "s3", true},
        Case{"Allow", "NotAction", R"("iam:*")", "iam", false},
        Case{"Allow", "NotAction", R"("IAM:*")", "iam", false},
        Case{"Allow", "NotAction", R"("iam:Get*")", "iam", true},
        Case{"Allow", "NotAction", R"("*")", "iam", false},
        Case{"Allow", "NotAction", R"("*:Get*")", "iam", true},
        Case{"Allow", "NotAction", R"("*:*")", "iam", false},
        Case{"Allow", "NotAction", R"("*:**")", "iam", false},
        Case{"Allow", "NotAction", R"(["iam:*","s3:*"])", "s3", false},
        Case{"Allow", "NotAction", R"(["iam:*","s3:*"])", "sts", true}));

TEST(AllowsSomeActionOf, AnyAllowStatementCountsWhateverItsConditionOrResource) {
  auto p = ParsePolicy(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Deny","Action":"s3:*","Resource":"*"},
      {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*",
       "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]})",
                       PolicyKind::kIdentity);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(AllowsSomeActionOf(**p, "s3"));
  EXPECT_FALSE(AllowsSomeActionOf(**p, "ec2"));
}

}  // namespace
}  // namespace iamd::policy
