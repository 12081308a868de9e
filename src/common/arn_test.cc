#include "common/arn.h"

#include <gtest/gtest.h>

namespace iamd {
namespace {

TEST(ParseArn, SplitsSixParts) {
  auto p = ParseArn("arn:aws:iam::123456789012:role/path/ray-head");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->partition, "aws");
  EXPECT_EQ(p->service, "iam");
  EXPECT_EQ(p->region, "");
  EXPECT_EQ(p->account, "123456789012");
  EXPECT_EQ(p->resource, "role/path/ray-head");
}

TEST(ParseArn, KeepsColonsInResource) {
  auto p = ParseArn("arn:aws:s3:::bucket:with:colons");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->resource, "bucket:with:colons");
}

TEST(ParseArn, RejectsTooFewParts) {
  EXPECT_FALSE(ParseArn("arn:aws:iam::123"));
  EXPECT_FALSE(ParseArn("notanarn:aws:iam::1:x"));
}

TEST(IamArn, JoinsPathAndName) {
  EXPECT_EQ(IamArn("123456789012", kRoleResource, "/", "ray-head"),
            "arn:aws:iam::123456789012:role/ray-head");
  EXPECT_EQ(IamArn("aws", kPolicyResource, "/service-role/", "X"),
            "arn:aws:iam::aws:policy/service-role/X");
}

TEST(AssumedRoleArn, HasNoPath) {
  EXPECT_EQ(AssumedRoleArn("123456789012", "ray-head", "i-0abc"),
            "arn:aws:sts::123456789012:assumed-role/ray-head/i-0abc");
}

// STS API reference, FederatedUser: "arn:aws:sts::123456789012:federated-user/Bob".
TEST(FederatedUserArn, IsInTheStsNamespace) {
  EXPECT_EQ(FederatedUserArn("123456789012", "Bob"),
            "arn:aws:sts::123456789012:federated-user/Bob");
}

// Recorded from AWS (radkawar/stackd testdata/aws/iam/outbound_identity.json): "... is not
// authorized to perform: sts:GetWebIdentityToken on resource: arn:aws:sts::123456789012:self".
TEST(StsSelfArn, NamesTheAccountsSelfSession) {
  EXPECT_EQ(StsSelfArn("123456789012"), "arn:aws:sts::123456789012:self");
}

TEST(SplitIamResource, SplitsPathAndName) {
  auto p = SplitIamResource("policy/service-role/AmazonEC2RoleforSSM", "policy");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->path, "/service-role/");
  EXPECT_EQ(p->name, "AmazonEC2RoleforSSM");
  auto q = SplitIamResource("policy/Name", "policy");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->path, "/");
  EXPECT_EQ(q->name, "Name");
}

TEST(SplitIamResource, RejectsOtherTypesAndEmptyNames) {
  EXPECT_FALSE(SplitIamResource("role/x", "policy"));
  EXPECT_FALSE(SplitIamResource("policy/", "policy"));
  EXPECT_FALSE(SplitIamResource("policyx/a", "policy"));
}

}  // namespace
}  // namespace iamd
