#include "policy/evaluator.h"

#include <gtest/gtest.h>

namespace iamd::policy {
namespace {

PolicyPtr MustParse(std::string_view text, PolicyKind kind = PolicyKind::kIdentity) {
  auto p = ParsePolicy(text, kind);
  EXPECT_TRUE(p) << (p ? "" : p.error().message);
  return p ? *p : nullptr;
}

Principal User() {
  Principal p;
  p.type = PrincipalType::kIamUser;
  p.arn = "arn:aws:iam::123456789012:user/alice";
  p.account = "123456789012";
  return p;
}

TEST(DenialReason, ExplicitDenyWordings) {
  AuthorizationResult r{Decision::kExplicitDeny, PolicyType::kIdentity, {}};
  EXPECT_EQ(DenialReason(r, "iam:GetRole"), "with an explicit deny in an identity-based policy");
  r.cause = PolicyType::kResource;
  EXPECT_EQ(DenialReason(r, "iam:GetRole"), "with an explicit deny in a resource-based policy");
  r.cause = PolicyType::kPermissionsBoundary;
  EXPECT_EQ(DenialReason(r, "iam:GetRole"), "with an explicit deny in a permissions boundary");
  r.cause = PolicyType::kSession;
  EXPECT_EQ(DenialReason(r, "iam:GetRole"), "with an explicit deny in a session policy");
}

TEST(DenialReason, ImplicitDenyWordings) {
  AuthorizationResult r{Decision::kImplicitDeny, PolicyType::kIdentity, {}};
  EXPECT_EQ(DenialReason(r, "iam:GetRole"),
            "because no identity-based policy allows the iam:GetRole action");
  r.cause = PolicyType::kPermissionsBoundary;
  EXPECT_EQ(DenialReason(r, "iam:CreateRole"),
            "because no permissions boundary allows the iam:CreateRole action");
  r.cause = PolicyType::kSession;
  EXPECT_EQ(DenialReason(r, "s3:GetObject"),
            "because no session policy allows the s3:GetObject action");
  r.cause = PolicyType::kResource;
  EXPECT_EQ(DenialReason(r, "s3:GetObject"),
            "because no resource-based policy allows the s3:GetObject action");
  EXPECT_EQ(DenialReason(AuthorizationResult{Decision::kAllow, PolicyType::kNone, {}}, "x:y"), "");
}

TEST(Authorize, ReportsTheDecidingStatement) {
  PolicyPtr p = MustParse(R"({"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"D","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}]})");
  PolicySource source{p.get(), "inline", PolicySourceType::kUser};
  Request r;
  r.principal = User();
  r.identity_policies = std::span<const PolicySource>(&source, 1);
  r.action = "s3:DeleteObject";
  r.resource = "arn:aws:s3:::b/k";
  AuthorizationResult deny = Authorize(r);
  EXPECT_EQ(deny.decision, Decision::kExplicitDeny);
  ASSERT_NE(deny.deciding.statement, nullptr);
  EXPECT_EQ(deny.deciding.statement->sid, "D");
  EXPECT_EQ(deny.deciding.source, &source);
  r.action = "s3:GetObject";
  AuthorizationResult allow = Authorize(r);
  EXPECT_EQ(allow.decision, Decision::kAllow);
  EXPECT_EQ(allow.deciding.statement->sid, "A");
}

TEST(Authorize, LongActionNamesAreHandled) {
  PolicyPtr p = MustParse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"svc:*","Resource":"*"}})");
  PolicySource source{p.get(), "inline", PolicySourceType::kUser};
  Request r;
  r.principal = User();
  r.identity_policies = std::span<const PolicySource>(&source, 1);
  std::string action = "SVC:" + std::string(300, 'A');
  r.action = action;
  r.resource = "*";
  EXPECT_EQ(Authorize(r).decision, Decision::kAllow);
}

TEST(Simulate, ReportsMatchedStatementsWithSourceAndPositions) {
  PolicyPtr p = MustParse("{\"Version\":\"2012-10-17\",\n\"Statement\":\n  {\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}}");
  PolicySource source{p.get(), "ray-pass-role-policy", PolicySourceType::kRole};
  Request r;
  r.principal = User();
  r.identity_policies = std::span<const PolicySource>(&source, 1);
  r.action = "iam:PassRole";
  r.resource = "arn:aws:iam::123456789012:role/ray-worker";
  SimulationResult sim = Simulate(r);
  EXPECT_EQ(sim.decision, Decision::kAllow);
  ASSERT_EQ(sim.matched_statements.size(), 1u);
  const MatchedStatement& m = sim.matched_statements[0];
  EXPECT_EQ(m.source_policy_id, "ray-pass-role-policy");
  EXPECT_EQ(PolicySourceTypeName(m.source_policy_type), "role");
  EXPECT_EQ(m.start, (SourcePosition{3, 3}));
  EXPECT_EQ(m.end, (SourcePosition{3, 60}));  // just past the closing brace
  EXPECT_FALSE(sim.has_permissions_boundary);
}

TEST(EvaluateTrustPolicy, ServicePrincipalIsCaseInsensitive) {
  PolicyPtr trust = MustParse(R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})",
                              PolicyKind::kTrust);
  Principal ec2;
  ec2.type = PrincipalType::kService;
  ec2.service = "EC2.amazonaws.com";
  EXPECT_EQ(EvaluateTrustPolicy(*trust, ec2, nullptr).decision, Decision::kAllow);
  EXPECT_EQ(EvaluateTrustPolicy(*trust, User(), nullptr).decision, Decision::kImplicitDeny);
}

TEST(ContextKeys, MergesPoliciesWithoutCaseDuplicates) {
  PolicyPtr a = MustParse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}})");
  PolicyPtr b = MustParse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"AWS:UserName":"x","ec2:InstanceType":"t2.micro"}}}})");
  const Policy* policies[] = {a.get(), b.get()};
  EXPECT_EQ(ContextKeys(policies),
            (std::vector<std::string>{"aws:username", "aws:CurrentTime", "ec2:InstanceType"}));
}

TEST(DecisionName, UsesTheSimulatorsWords) {
  EXPECT_EQ(DecisionName(Decision::kAllow), "allowed");
  EXPECT_EQ(DecisionName(Decision::kExplicitDeny), "explicitDeny");
  EXPECT_EQ(DecisionName(Decision::kImplicitDeny), "implicitDeny");
}

}  // namespace
}  // namespace iamd::policy
