// CallerPolicies for federated users (GetFederationToken): what the model and the session
// token give the policy engine. A federated user may call no IAM action on iamd, so these
// permissions are observable only here (IAM User Guide, "Permissions for GetFederationToken").
#include "api/authz.h"

#include <gtest/gtest.h>

#include "common/arn.h"
#include "common/time.h"

namespace iamd::api {
namespace {

constexpr char kAccount[] = "123456789012";
// The federating user's own policy: reads of one bucket, writes anywhere.
constexpr char kUserPolicy[] =
    R"({"Version":"2012-10-17","Statement":[)"
    R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::ray-data/*"},)"
    R"({"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]})";
constexpr char kSessionAllowsS3[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
constexpr char kSessionAllowsGet[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";

class FederatedUserPolicies : public ::testing::Test {
 protected:
  FakeClock clock_{1795826565000};
  SequentialIdSource ids_;
  model::State state_{kAccount, clock_, ids_};
  model::ChangeSet changes_;
  const model::User* user_ = nullptr;

  void SetUp() override {
    model::CreateUserInput in;
    in.name = "fed-proxy";
    auto user = state_.CreateUser(in, changes_);
    ASSERT_TRUE(user);
    user_ = *user;
    ASSERT_TRUE(state_.PutInlinePolicy(model::OwnerKind::kUser, "fed-proxy", "p", kUserPolicy,
                                       changes_));
  }

  // The caller that GetFederationToken's credentials make: federated by the user with ID
  // `principal_id`, or by the root user when it is the account.
  static Caller Federated(std::string principal_id, std::string session_policy) {
    Caller c;
    c.kind = Caller::Kind::kFederatedUser;
    c.account = kAccount;
    c.arn = FederatedUserArn(kAccount, "app-1");
    c.user_id = std::string(kAccount) + ":app-1";
    c.name = "app-1";
    c.principal_id = std::move(principal_id);
    auth::SessionClaims claims;
    claims.kind = auth::SessionClaims::Kind::kFederatedUserSession;
    claims.session_name = "app-1";
    claims.session_policy = std::move(session_policy);
    c.session = std::move(claims);
    return c;
  }

  policy::Decision Decide(const Caller& caller, std::string_view action,
                          std::string_view resource) {
    Arena arena;
    CallerPolicies policies(state_, caller, arena);
    return policy::Authorize(policies.MakeRequest(action, resource, nullptr)).decision;
  }
};

constexpr auto kAllow = policy::Decision::kAllow;
constexpr auto kImplicitDeny = policy::Decision::kImplicitDeny;

TEST_F(FederatedUserPolicies, PrincipalIsTheFederatedUserOfTheUser) {
  Caller caller = Federated(user_->rec.id, kSessionAllowsS3);
  Arena arena;
  CallerPolicies policies(state_, caller, arena);
  EXPECT_EQ(policies.principal().type, policy::PrincipalType::kFederatedUser);
  EXPECT_EQ(policies.principal().arn, "arn:aws:sts::123456789012:federated-user/app-1");
  EXPECT_EQ(policies.principal().user_arn, "arn:aws:iam::123456789012:user/fed-proxy");
  EXPECT_FALSE(policies.is_root());
}

// "If you do not pass a policy ... the resulting temporary security credentials have no
// permissions."
TEST_F(FederatedUserPolicies, WithoutSessionPoliciesNothingIsAllowed) {
  Caller caller = Federated(user_->rec.id, "");
  EXPECT_EQ(Decide(caller, "s3:GetObject", "arn:aws:s3:::ray-data/a"), kImplicitDeny);
  EXPECT_EQ(Decide(caller, "s3:PutObject", "arn:aws:s3:::b/a"), kImplicitDeny);
}

// "The resulting session's permissions are the intersection of the user's identity-based
// policy and the session policies."
TEST_F(FederatedUserPolicies, SessionPoliciesLimitTheUsersPolicies) {
  Caller broad = Federated(user_->rec.id, kSessionAllowsS3);
  EXPECT_EQ(Decide(broad, "s3:GetObject", "arn:aws:s3:::ray-data/a"), kAllow);
  EXPECT_EQ(Decide(broad, "s3:GetObject", "arn:aws:s3:::other/a"), kImplicitDeny);
  EXPECT_EQ(Decide(broad, "s3:PutObject", "arn:aws:s3:::other/a"), kAllow);
  EXPECT_EQ(Decide(broad, "s3:DeleteObject", "arn:aws:s3:::ray-data/a"), kImplicitDeny);
  Caller narrow = Federated(user_->rec.id, kSessionAllowsGet);
  EXPECT_EQ(Decide(narrow, "s3:GetObject", "arn:aws:s3:::ray-data/a"), kAllow);
  EXPECT_EQ(Decide(narrow, "s3:PutObject", "arn:aws:s3:::other/a"), kImplicitDeny);
}

// The root user's identity allows everything: its federated users have their session policies.
TEST_F(FederatedUserPolicies, RootFederatedUsersHaveTheirSessionPolicies) {
  Caller caller = Federated(kAccount, kSessionAllowsGet);
  Arena arena;
  CallerPolicies policies(state_, caller, arena);
  EXPECT_EQ(policies.principal().user_arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(Decide(caller, "s3:GetObject", "arn:aws:s3:::other/a"), kAllow);
  EXPECT_EQ(Decide(caller, "s3:PutObject", "arn:aws:s3:::other/a"), kImplicitDeny);
  EXPECT_EQ(Decide(Federated(kAccount, ""), "s3:GetObject", "arn:aws:s3:::other/a"),
            kImplicitDeny);
}

}  // namespace
}  // namespace iamd::api
