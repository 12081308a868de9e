#include "policy/policy.h"

#include <gtest/gtest.h>

#include <string>

namespace iamd::policy {
namespace {

constexpr std::string_view kTwoStatements = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["S3:GetObject"], "Resource": "arn:aws:s3:::b/${aws:username}/*"},
    {
      "Effect": "Deny",
      "NotAction": "iam:*",
      "NotResource": "*",
      "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01"}, "StringEquals": {"AWS:UserName": "x"}}
    }
  ]
})";

TEST(ParsePolicy, KeepsTheOriginalText) {
  auto p = ParsePolicy(kTwoStatements, PolicyKind::kIdentity);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->text(), kTwoStatements);
  EXPECT_EQ((*p)->version(), "2012-10-17");
  EXPECT_EQ((*p)->kind(), PolicyKind::kIdentity);
}

TEST(ParsePolicy, RecordsStatementPositions) {
  auto p = ParsePolicy(kTwoStatements, PolicyKind::kIdentity);
  ASSERT_TRUE(p);
  auto statements = (*p)->statements();
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].begin, (SourcePosition{4, 5}));
  EXPECT_EQ(statements[0].end.line, 4u);
  EXPECT_EQ(statements[1].begin, (SourcePosition{5, 5}));
  EXPECT_EQ(statements[1].end, (SourcePosition{10, 6}));
}

TEST(ParsePolicy, CompilesStatementParts) {
  auto p = ParsePolicy(kTwoStatements, PolicyKind::kIdentity);
  ASSERT_TRUE(p);
  const Statement& read = (*p)->statements()[0];
  EXPECT_EQ(read.sid, "Read");
  EXPECT_EQ(read.effect, Effect::kAllow);
  ASSERT_EQ(read.actions.size(), 1u);
  EXPECT_EQ(read.actions[0].service, "s3");  // lower-cased
  const Statement& deny = (*p)->statements()[1];
  EXPECT_EQ(deny.effect, Effect::kDeny);
  EXPECT_TRUE(deny.not_action);
  EXPECT_TRUE(deny.not_resource);
  ASSERT_EQ(deny.conditions.size(), 2u);
  EXPECT_EQ(deny.conditions[0].family, ConditionFamily::kDate);
  EXPECT_EQ(deny.conditions[0].comparison, Comparison::kGreaterThan);
  EXPECT_TRUE(deny.conditions[0].values[0].valid);
}

TEST(ParsePolicy, NamesTheServicesItsActionsCanMatch) {
  auto named = ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["S3:Get*", "ec2:RunInstances"], "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]})",
                           PolicyKind::kIdentity);
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_TRUE((*named)->MayNameService(internal::HashService("s3")));
  EXPECT_TRUE((*named)->MayNameService(internal::HashService("ec2")));
  EXPECT_TRUE((*named)->MayNameService(internal::HashService("iam")));
  EXPECT_FALSE((*named)->MayNameService(internal::HashService("sts")));
}

TEST(ParsePolicy, NamesEveryServiceWithNotActionOrAStar) {
  for (const char* action : {R"("NotAction": "s3:*")", R"("Action": "*")"}) {
    auto p = ParsePolicy(std::string(R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", )") +
                             action + R"(, "Resource": "*"}})",
                         PolicyKind::kIdentity);
    ASSERT_TRUE(p) << action << ": " << p.error().message;
    EXPECT_TRUE((*p)->MayNameService(internal::HashService("sts"))) << action;
  }
}

TEST(ParsePolicy, IndexesTheStatementsEachServiceCanMatchInDocumentOrder) {
  auto p = ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "iam:Get*"], "Resource": "*"},
      {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
      {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"},
      {"Effect": "Allow", "Action": "*", "Resource": "*"}]})",
                       PolicyKind::kIdentity);
  ASSERT_TRUE(p) << p.error().message;
  auto indexes = [&](const char* service) {
    auto span = (*p)->StatementsFor(internal::HashService(service));
    return std::vector<uint32_t>(span.begin(), span.end());
  };
  EXPECT_EQ(indexes("s3"), (std::vector<uint32_t>{0, 1, 3, 4}));
  EXPECT_EQ(indexes("iam"), (std::vector<uint32_t>{0, 1, 2, 4}));
  EXPECT_EQ(indexes("sts"), (std::vector<uint32_t>{1, 4}));  // NotAction and "*" only

  auto named = ParsePolicy(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})",
                           PolicyKind::kIdentity);
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_TRUE((*named)->StatementsFor(internal::HashService("sts")).empty());
  EXPECT_EQ((*named)->StatementsFor(internal::HashService("s3")).size(), 1u);
}

TEST(ParsePolicy, ListsContextKeysInOrderWithoutCaseDuplicates) {
  auto p = ParsePolicy(kTwoStatements, PolicyKind::kIdentity);
  ASSERT_TRUE(p);
  std::vector<std::string_view> keys((*p)->context_keys().begin(), (*p)->context_keys().end());
  EXPECT_EQ(keys, (std::vector<std::string_view>{"aws:username", "aws:CurrentTime"}));
}

TEST(ParsePolicy, ReportsErrorPositionOfTheStatement) {
  SourcePosition where;
  auto p = ParsePolicy("{\"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}]}",
                       PolicyKind::kIdentity, &where);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message, "Policy statement must contain resources.");
  EXPECT_EQ(where, (SourcePosition{3, 3}));
}

TEST(ParsePolicy, ReportsJsonErrorPosition) {
  SourcePosition where;
  auto p = ParsePolicy("{\n  \"Version\": x}", PolicyKind::kIdentity, &where);
  ASSERT_FALSE(p);
  EXPECT_EQ(where.line, 2u);
}

TEST(ParsePolicy, TrustPolicyThatIsNotJsonGetsItsOwnMessage) {
  auto p = ParsePolicy("not json", PolicyKind::kTrust);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ(p.error().message, "This policy contains invalid Json");
}

TEST(ParsePolicy, CompilesPrincipals) {
  auto p = ParsePolicy(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::210987654321:root","arn:aws:iam::123456789012:role/r"],"Service":"EC2.amazonaws.com"},"Action":"s3:GetObject","Resource":"*"}})",
                       PolicyKind::kResource);
  ASSERT_TRUE(p) << p.error().message;
  const PrincipalSet& set = (*p)->statements()[0].principals;
  EXPECT_EQ(set.accounts, (std::vector<std::string_view>{"123456789012", "210987654321"}));
  EXPECT_EQ(set.arns, (std::vector<std::string_view>{"arn:aws:iam::123456789012:role/r"}));
  EXPECT_EQ(set.services, (std::vector<std::string_view>{"ec2.amazonaws.com"}));
}

TEST(ParsePolicy, InvalidTypedConditionValuesNeverMatchButAreKept) {
  auto p = ParsePolicy(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"nope"}}}})",
                       PolicyKind::kIdentity);
  ASSERT_TRUE(p);
  EXPECT_FALSE((*p)->statements()[0].conditions[0].values[0].valid);
}

TEST(PolicyKindFromName, RoundTrips) {
  for (PolicyKind k : {PolicyKind::kIdentity, PolicyKind::kManagedIdentity, PolicyKind::kTrust,
                       PolicyKind::kResource, PolicyKind::kSession, PolicyKind::kPermissionsBoundary})
    EXPECT_EQ(PolicyKindFromName(PolicyKindName(k)), k);
  EXPECT_FALSE(PolicyKindFromName("bogus"));
}

}  // namespace
}  // namespace iamd::policy
