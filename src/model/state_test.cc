#include "model/state.h"

#include <gtest/gtest.h>

#include "common/time.h"

namespace iamd::model {
namespace {

// TEXT followed by N. (Not `"text" + std::to_string(n)`: g++ 12 warns -Wrestrict on it, a
// false positive.)
std::string Numbered(std::string_view text, int n) {
  std::string out(text);
  out += std::to_string(n);
  return out;
}

constexpr char kTrust[] =
    R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr char kPassRole[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:PassRole"],"Resource":["arn:aws:iam::*:role/ray-worker"]}]})";
constexpr char kEc2Full[] = "arn:aws:iam::aws:policy/AmazonEC2FullAccess";

class StateTest : public ::testing::Test {
 protected:
  FakeClock clock_{1795826565000};
  SequentialIdSource ids_;
  State state_{"123456789012", clock_, ids_};
  ChangeSet changes_;

  const Role* MakeRole(std::string name) {
    CreateRoleInput in;
    in.name = std::move(name);
    in.trust_policy = kTrust;
    auto r = state_.CreateRole(in, changes_);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : nullptr;
  }
};

TEST_F(StateTest, CreateRoleAssignsIdArnAndDefaults) {
  const Role* role = MakeRole("ray-head");
  ASSERT_TRUE(role);
  EXPECT_EQ(role->rec.id.substr(0, 4), "AROA");
  EXPECT_EQ(role->rec.id.size(), 21u);
  EXPECT_EQ(role->arn, "arn:aws:iam::123456789012:role/ray-head");
  EXPECT_EQ(role->rec.max_session_duration, 3600);
  EXPECT_EQ(role->rec.trust_policy, kTrust);
  EXPECT_EQ(changes_.size(), 1u);
}

// The services a user or role used, stored with it for the access reports: only a later use
// of a service replaces its entry; the others stay; unknown IDs store nothing.
TEST_F(StateTest, RecordServiceUseKeepsTheLatestUseOfEachService) {
  const Role* role = MakeRole("ray-head");
  ASSERT_TRUE(role);
  changes_.clear();
  state_.RecordServiceUse(role->rec.id, "sts", 2000, "eu-west-1", changes_);
  state_.RecordServiceUse(role->rec.id, "iam", 3000, "us-east-1", changes_);
  state_.RecordServiceUse(role->rec.id, "sts", 1000, "us-west-2", changes_);  // earlier: nothing
  state_.RecordServiceUse("AROANOSUCHROLE0000000", "iam", 4000, "us-east-1", changes_);
  state_.RecordServiceUse(role->rec.id, "iam", 5000, "bad region", changes_);  // not storable
  EXPECT_EQ(changes_.size(), 2u);
  EXPECT_EQ(role->rec.services_used, "iam 3000 us-east-1\nsts 2000 eu-west-1\n");
  EXPECT_EQ(ParseServiceUses(role->rec.services_used),
            (std::vector<ServiceUse>{{"iam", 3000, "us-east-1"}, {"sts", 2000, "eu-west-1"}}));
  EXPECT_EQ(ParseServiceUses("junk\niam x us-east-1\nsts 5 r\n"),
            (std::vector<ServiceUse>{{"sts", 5, "r"}}));
  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
}

TEST_F(StateTest, RecordRoleUseStoresOnlyALaterUseOfARoleThatExists) {
  const Role* role = MakeRole("ray-head");
  ASSERT_TRUE(role);
  changes_.clear();
  state_.RecordRoleUse(role->rec.id, 2000, "eu-west-1", changes_);
  ASSERT_EQ(changes_.size(), 1u);
  const auto* stored = std::get_if<RoleRecord>(&changes_[0]);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->last_used_millis, 2000);
  EXPECT_EQ(stored->last_used_region, "eu-west-1");
  EXPECT_EQ(stored->trust_policy, kTrust);  // the rest of the record as it was
  EXPECT_EQ(role->rec.last_used_millis, 2000);  // applied to memory too
  state_.RecordRoleUse(role->rec.id, 2000, "us-east-1", changes_);  // not later: nothing
  state_.RecordRoleUse(role->rec.id, 1000, "us-east-1", changes_);
  state_.RecordRoleUse("AROANOSUCHROLEANYWHERE", 3000, "us-east-1", changes_);
  EXPECT_EQ(changes_.size(), 1u);
  EXPECT_EQ(role->rec.last_used_region, "eu-west-1");
}

TEST_F(StateTest, RoleNamesAreUniqueRegardlessOfCase) {
  MakeRole("ray-head");
  CreateRoleInput in;
  in.name = "RAY-HEAD";
  in.trust_policy = kTrust;
  auto again = state_.CreateRole(in, changes_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(again.error().message, "Role with name RAY-HEAD already exists.");
  EXPECT_TRUE(state_.GetRole("Ray-Head"));  // lookups ignore case too
}

TEST_F(StateTest, FailedWriteChangesNothing) {
  MakeRole("ray-head");
  size_t before = changes_.size();
  CreateRoleInput in;
  in.name = "ray-worker";
  in.trust_policy = "not json";
  auto r = state_.CreateRole(in, changes_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ(r.error().message, "This policy contains invalid Json");
  EXPECT_EQ(changes_.size(), before);
  EXPECT_FALSE(state_.GetRole("ray-worker"));
}

// A trust policy's Federated principal: a domain name, another account's provider, or a
// provider of this account that exists; else AWS's MalformedPolicyDocument, nothing changed.
TEST_F(StateTest, FederatedPrincipalsOfThisAccountMustExist) {
  auto trust = [](std::string_view federated) {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":")" +
           std::string(federated) + R"("},"Action":"sts:AssumeRoleWithWebIdentity"}]})";
  };
  auto create = [&](std::string name, std::string_view federated) {
    CreateRoleInput in;
    in.name = std::move(name);
    in.trust_policy = trust(federated);
    return state_.CreateRole(in, changes_);
  };
  const std::string oidc = "arn:aws:iam::123456789012:oidc-provider/token.example.com";
  const std::string saml = "arn:aws:iam::123456789012:saml-provider/okta";
  const size_t before = changes_.size();
  for (const std::string& missing :
       {oidc, saml, std::string("arn:aws:iam::123456789012:role/not-a-provider")}) {
    auto refused = create("federated", missing);
    ASSERT_FALSE(refused) << missing;
    EXPECT_EQ(refused.error().code, ErrorCode::kMalformedPolicyDocument);
    EXPECT_EQ(refused.error().message,
              "Federated principals must be valid domain names or SAML metadata ARNs");
  }
  EXPECT_EQ(changes_.size(), before);
  EXPECT_TRUE(create("google", "accounts.google.com"));
  EXPECT_TRUE(create("elsewhere", "arn:aws:iam::210987654321:oidc-provider/token.example.com"));
  CreateOidcProviderInput provider;
  provider.url = "https://token.example.com";
  provider.client_ids = {"sts.amazonaws.com"};
  ASSERT_TRUE(state_.CreateOidcProvider(provider, changes_));
  EXPECT_TRUE(create("oidc", oidc));
  auto update = state_.UpdateAssumeRolePolicy("oidc", trust(saml), changes_);
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ((*state_.GetRole("oidc"))->rec.trust_policy, trust(oidc));
}

TEST_F(StateTest, TrustPolicyQuotaExcludesWhiteSpace) {
  std::string padded(kTrust);
  padded.insert(1, 5000, ' ');  // white space does not count
  CreateRoleInput in;
  in.name = "padded";
  in.trust_policy = padded;
  EXPECT_TRUE(state_.CreateRole(in, changes_));
}

TEST_F(StateTest, AttachCountsAndListsEntities) {
  MakeRole("ray-head");
  ASSERT_TRUE(state_.AttachPolicy(OwnerKind::kRole, "ray-head", kEc2Full, changes_));
  auto view = state_.GetPolicy(kEc2Full);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->attachment_count(), 1);
  EXPECT_TRUE(view->compiled_default());
  auto entities = state_.EntitiesForPolicy(kEc2Full);
  ASSERT_EQ(entities.roles.size(), 1u);
  EXPECT_EQ(entities.roles[0]->rec.name, "ray-head");
  // Attaching twice is a no-op, as in AWS.
  ASSERT_TRUE(state_.AttachPolicy(OwnerKind::kRole, "ray-head", kEc2Full, changes_));
  EXPECT_EQ(state_.GetPolicy(kEc2Full)->attachment_count(), 1);
}

TEST_F(StateTest, AttachUnknownPolicyIsNoSuchEntity) {
  MakeRole("ray-head");
  auto s = state_.AttachPolicy(OwnerKind::kRole, "ray-head",
                               "arn:aws:iam::aws:policy/NoSuchPolicy", changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNoSuchEntity);
  EXPECT_EQ(s.error().message,
            "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.");
}

TEST_F(StateTest, AttachNonArnIsValidationError) {
  MakeRole("ray-head");
  auto s = state_.AttachPolicy(OwnerKind::kRole, "ray-head", "longpolicynamebutnoarn", changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kValidationError);
  EXPECT_EQ(s.error().message, "ARN longpolicynamebutnoarn is not valid.");
}

TEST_F(StateTest, TenManagedPoliciesPerRole) {
  MakeRole("r");
  const char* names[] = {"AmazonEC2FullAccess", "AmazonS3FullAccess", "AmazonFSxFullAccess",
                         "CloudWatchAgentServerPolicy", "AmazonSSMFullAccess",
                         "IAMReadOnlyAccess", "ReadOnlyAccess", "AdministratorAccess",
                         "AmazonVPCFullAccess", "AmazonSQSFullAccess", "AmazonSNSFullAccess"};
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(state_.AttachPolicy(OwnerKind::kRole, "r",
                                    std::string("arn:aws:iam::aws:policy/") + names[i], changes_));
  auto s = state_.AttachPolicy(OwnerKind::kRole, "r",
                               std::string("arn:aws:iam::aws:policy/") + names[10], changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(s.error().message, "Cannot exceed quota for PoliciesPerRole: 10");
}

TEST_F(StateTest, DeleteRoleConflictsInAwsOrder) {
  MakeRole("ray-head");
  ASSERT_TRUE(state_.CreateInstanceProfile("ray-head", "/", {}, changes_));
  ASSERT_TRUE(state_.AddRoleToInstanceProfile("ray-head", "ray-head", changes_));
  ASSERT_TRUE(state_.AttachPolicy(OwnerKind::kRole, "ray-head", kEc2Full, changes_));
  ASSERT_TRUE(state_.PutInlinePolicy(OwnerKind::kRole, "ray-head", "p", kPassRole, changes_));
  auto expect = [&](const char* message) {
    auto s = state_.DeleteRole("ray-head", changes_);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::kDeleteConflict);
    EXPECT_EQ(s.error().message, message);
  };
  expect("Cannot delete entity, must remove roles from instance profile first.");
  ASSERT_TRUE(state_.RemoveRoleFromInstanceProfile("ray-head", "ray-head", changes_));
  expect("Cannot delete entity, must detach all policies first.");
  ASSERT_TRUE(state_.DetachPolicy(OwnerKind::kRole, "ray-head", kEc2Full, changes_));
  expect("Cannot delete entity, must delete policies first.");
  ASSERT_TRUE(state_.DeleteInlinePolicy(OwnerKind::kRole, "ray-head", "p", changes_));
  EXPECT_TRUE(state_.DeleteRole("ray-head", changes_));
  EXPECT_FALSE(state_.GetRole("ray-head"));
}

TEST_F(StateTest, OneRolePerInstanceProfile) {
  MakeRole("a");
  MakeRole("b");
  ASSERT_TRUE(state_.CreateInstanceProfile("p", "/", {}, changes_));
  ASSERT_TRUE(state_.AddRoleToInstanceProfile("p", "a", changes_));
  auto s = state_.AddRoleToInstanceProfile("p", "b", changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(s.error().message, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
}

TEST_F(StateTest, RemovingARoleThatIsNotInTheProfileNamesBoth) {
  MakeRole("a");
  ASSERT_TRUE(state_.CreateInstanceProfile("p", "/", {}, changes_));
  auto s = state_.RemoveRoleFromInstanceProfile("p", "a", changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "Role a in Instance Profile p cannot be found.");
}

TEST_F(StateTest, InlinePolicyQuotaIsAggregatePerRole) {
  MakeRole("r");
  // Each document is ~4,100 non-white-space characters: two fit in 10,240, three do not.
  std::string big = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)" +
                    std::string(4000, 'b') + R"("}]})";
  ASSERT_TRUE(state_.PutInlinePolicy(OwnerKind::kRole, "r", "one", big, changes_));
  ASSERT_TRUE(state_.PutInlinePolicy(OwnerKind::kRole, "r", "two", big, changes_));
  ASSERT_TRUE(state_.PutInlinePolicy(OwnerKind::kRole, "r", "two", big, changes_));  // replace
  auto s = state_.PutInlinePolicy(OwnerKind::kRole, "r", "three", big, changes_);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(s.error().message, "Maximum policy size of 10240 bytes exceeded for role r");
}

TEST_F(StateTest, PolicyVersionsAreLimitedToFiveAndNeverReused) {
  CreatePolicyInput in;
  in.name = "p";
  in.document = kPassRole;
  auto p = state_.CreatePolicy(in, changes_);
  ASSERT_TRUE(p);
  std::string arn = (*p)->arn;
  for (int i = 2; i <= 5; ++i) ASSERT_TRUE(state_.CreatePolicyVersion(arn, kPassRole, false, changes_));
  auto sixth = state_.CreatePolicyVersion(arn, kPassRole, false, changes_);
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().code, ErrorCode::kLimitExceeded);
  ASSERT_TRUE(state_.DeletePolicyVersion(arn, "v5", changes_));
  auto v = state_.CreatePolicyVersion(arn, kPassRole, true, changes_);
  ASSERT_TRUE(v);
  EXPECT_EQ((*v)->rec.version_id, "v6");
  EXPECT_EQ(state_.GetPolicy(arn)->default_version_id(), "v6");
  auto del = state_.DeletePolicyVersion(arn, "v6", changes_);
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().message, "Cannot delete the default version of a policy.");
}

TEST_F(StateTest, RebuildFromChangesGivesTheSameModel) {
  MakeRole("ray-head");
  ASSERT_TRUE(state_.CreateInstanceProfile("ray-head", "/", {{"k", "v"}}, changes_));
  ASSERT_TRUE(state_.AddRoleToInstanceProfile("ray-head", "ray-head", changes_));
  ASSERT_TRUE(state_.AttachPolicy(OwnerKind::kRole, "ray-head", kEc2Full, changes_));
  ASSERT_TRUE(state_.PutInlinePolicy(OwnerKind::kRole, "ray-head", "p", kPassRole, changes_));
  State copy("123456789012", clock_, ids_);
  for (const Change& c : changes_) ASSERT_TRUE(copy.Apply(c));
  auto role = copy.GetRole("ray-head");
  ASSERT_TRUE(role);
  EXPECT_EQ((*role)->rec.id, (*state_.GetRole("ray-head"))->rec.id);
  EXPECT_EQ((*role)->attached, std::vector<std::string>{kEc2Full});
  EXPECT_EQ((*role)->profiles.size(), 1u);
  EXPECT_EQ((*role)->inline_policies.at("p").document, kPassRole);
  EXPECT_EQ(copy.GetPolicy(kEc2Full)->attachment_count(), 1);
  EXPECT_EQ((*copy.GetInstanceProfile("ray-head"))->rec.tags, (Tags{{"k", "v"}}));
}

TEST_F(StateTest, TagsMergeCaseInsensitivelyForRoles) {
  MakeRole("r");
  ASSERT_TRUE(state_.TagRole("r", {{"Env", "a"}}, changes_));
  ASSERT_TRUE(state_.TagRole("r", {{"env", "b"}}, changes_));
  auto role = state_.GetRole("r");
  ASSERT_EQ((*role)->rec.tags.size(), 1u);
  EXPECT_EQ((*role)->rec.tags[0].value, "b");
  auto dup = state_.TagRole("r", {{"x", "1"}, {"X", "2"}}, changes_);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().message,
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
}

TEST_F(StateTest, ServiceLinkedRoleGetsPathPolicyAndProtection) {
  auto role = state_.CreateServiceLinkedRole("spot.amazonaws.com", std::nullopt, std::nullopt,
                                             changes_);
  ASSERT_TRUE(role) << role.error().message;
  EXPECT_EQ((*role)->rec.name, "AWSServiceRoleForEC2Spot");
  EXPECT_EQ((*role)->rec.path, "/aws-service-role/spot.amazonaws.com/");
  ASSERT_EQ((*role)->attached.size(), 1u);
  EXPECT_EQ((*role)->attached[0],
            "arn:aws:iam::aws:policy/aws-service-role/AWSEC2SpotServiceRolePolicy");
  auto del = state_.DeleteRole("AWSServiceRoleForEC2Spot", changes_);
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::kUnmodifiableEntity);
  auto again = state_.CreateServiceLinkedRole("spot.amazonaws.com", std::nullopt, std::nullopt,
                                              changes_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message,
            "Service role name AWSServiceRoleForEC2Spot has been taken in this account, please "
            "try a different suffix.");
  auto task = state_.DeleteServiceLinkedRole("AWSServiceRoleForEC2Spot", changes_);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->rfind("task/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot/", 0), 0u);
  EXPECT_EQ((*state_.GetDeletionTask(*task))->status, "SUCCEEDED");
  EXPECT_FALSE(state_.GetRole("AWSServiceRoleForEC2Spot"));
}

TEST_F(StateTest, RenamedUserIsFoundByItsNewNameOnly) {
  CreateUserInput in;
  in.name = "alice";
  auto user = state_.CreateUser(in, changes_);
  ASSERT_TRUE(user);
  std::string id = (*user)->rec.id;
  ASSERT_TRUE(state_.UpdateUser("alice", std::string("Alicia"), std::nullopt, changes_));
  EXPECT_FALSE(state_.GetUser("alice"));
  auto renamed = state_.GetUser("ALICIA");
  ASSERT_TRUE(renamed);
  EXPECT_EQ((*renamed)->rec.id, id);
  EXPECT_EQ((*renamed)->arn, "arn:aws:iam::123456789012:user/Alicia");
  // A change of case only is a rename too, and keeps one entry.
  ASSERT_TRUE(state_.UpdateUser("alicia", std::string("alicia"), std::nullopt, changes_));
  EXPECT_EQ(state_.users().size(), 1u);
  EXPECT_EQ((*state_.GetUser("Alicia"))->rec.name, "alicia");
}

// IAM User Guide, "IAM and AWS STS quotas": groups an IAM user can be a member of, 10.
// AWS's messages: LocalStack's AWS-validated snapshot test_iam_signing_certificates (2026).
TEST_F(StateTest, SigningCertificatesTwoPerUserUniqueInTheAccount) {
  for (const char* name : {"alice", "bob"}) {
    CreateUserInput in;
    in.name = name;
    ASSERT_TRUE(state_.CreateUser(in, changes_));
  }
  auto missing = state_.UploadSigningCertificate("nobody", "CERT0", "pem-0", changes_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "The user with name nobody cannot be found.");
  ASSERT_TRUE(state_.UploadSigningCertificate("alice", "CERT1", "pem-1", changes_));
  auto twice = state_.UploadSigningCertificate("bob", "CERT2", "pem-1", changes_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kDuplicateCertificate);
  ASSERT_TRUE(state_.UploadSigningCertificate("alice", "CERT2", "pem-2", changes_));
  const size_t before = changes_.size();
  auto third = state_.UploadSigningCertificate("alice", "CERT3", "pem-3", changes_);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(third.error().message, "Cannot exceed quota for CertificatesPerUser: 2");
  EXPECT_EQ(changes_.size(), before);

  // Another user's certificate is not found, like an unknown one.
  for (auto status : {state_.UpdateSigningCertificate("bob", "CERT1", false, changes_),
                      state_.DeleteSigningCertificate("alice", "NOPE", changes_)}) {
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().code, ErrorCode::kNoSuchEntity);
  }
  EXPECT_EQ(state_.DeleteSigningCertificate("bob", "CERT1", changes_).error().message,
            "The Certificate with id CERT1 cannot be found.");
  ASSERT_TRUE(state_.UpdateSigningCertificate("alice", "CERT1", false, changes_));

  auto conflict = state_.DeleteUser("alice", changes_);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kDeleteConflict);
  EXPECT_EQ(conflict.error().message,
            "Cannot delete entity, must delete signing certificates first.");

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  const User& alice = **rebuilt.GetUser("alice");
  ASSERT_EQ(alice.certificates.size(), 2u);
  EXPECT_EQ(alice.certificates[0]->rec.id, "CERT1");
  EXPECT_FALSE(alice.certificates[0]->rec.active);
  EXPECT_EQ(alice.certificates[1]->rec.body, "pem-2");

  ASSERT_TRUE(state_.DeleteSigningCertificate("alice", "CERT1", changes_));
  ASSERT_TRUE(state_.DeleteSigningCertificate("alice", "CERT2", changes_));
  EXPECT_TRUE(state_.DeleteUser("alice", changes_));
  // The reset removes certificates before their users.
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));
  EXPECT_TRUE(rebuilt.users().empty());
}

// The missing key's message: LocalStack's AWS-validated snapshot test_iam_ssh_public_keys (2026).
TEST_F(StateTest, SshPublicKeysFivePerUserNoneTwice) {
  CreateUserInput in;
  in.name = "sofia";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  in.name = "other";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(state_.UploadSshPublicKey("sofia", "APKA" + std::to_string(i), "body",
                                          "fp" + std::to_string(i), changes_));
  const size_t before = changes_.size();
  auto twice = state_.UploadSshPublicKey("sofia", "APKA9", "body", "fp3", changes_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kDuplicateSshPublicKey);
  auto sixth = state_.UploadSshPublicKey("sofia", "APKA9", "body", "fp9", changes_);
  ASSERT_FALSE(sixth);
  EXPECT_EQ(sixth.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(changes_.size(), before);
  // The same key for another user is fine.
  ASSERT_TRUE(state_.UploadSshPublicKey("other", "APKA8", "body", "fp3", changes_));

  auto foreign = state_.GetSshPublicKey("other", "APKA1");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().message, "The Public Key with id APKA1 cannot be found.");
  EXPECT_EQ(state_.GetSshPublicKey("nobody", "APKA1").error().message,
            "The user with name nobody cannot be found.");
  ASSERT_TRUE(state_.UpdateSshPublicKey("sofia", "APKA1", false, changes_));
  EXPECT_FALSE(state_.UpdateSshPublicKey("sofia", "APKAX", false, changes_));
  auto conflict = state_.DeleteUser("other", changes_);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().message, "Cannot delete entity, must delete SSH public keys first.");

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto key = rebuilt.GetSshPublicKey("sofia", "APKA1");
  ASSERT_TRUE(key);
  EXPECT_FALSE((*key)->rec.active);
  EXPECT_EQ((*key)->rec.fingerprint, "fp1");
  EXPECT_EQ((**rebuilt.GetUser("sofia")).ssh_keys.size(), 5u);
  ASSERT_TRUE(state_.DeleteSshPublicKey("other", "APKA8", changes_));
  EXPECT_TRUE(state_.DeleteUser("other", changes_));
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));  // keys go before their users
  EXPECT_TRUE(rebuilt.users().empty());
}

// The checks of the codes are the caller's (api/iam_mfa.cc): here a check that accepts at a
// given step, or refuses.
State::MfaCodeCheck AcceptAt(int64_t step) {
  return [step](const MfaDevice&) -> std::optional<int64_t> { return step; };
}
State::MfaCodeCheck Refuse() {
  return [](const MfaDevice&) -> std::optional<int64_t> { return std::nullopt; };
}

TEST_F(StateTest, VirtualMfaDeviceLifecycle) {
  CreateUserInput in;
  in.name = "sofia";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  auto device = state_.CreateVirtualMfaDevice("sofia-mfa", "/team/", "sealed", {{"k", "v"}},
                                              changes_);
  ASSERT_TRUE(device) << device.error().message;
  const std::string serial = "arn:aws:iam::123456789012:mfa/team/sofia-mfa";
  EXPECT_EQ((*device)->rec.serial, serial);
  EXPECT_EQ(state_.MfaSerial("/", "x"), "arn:aws:iam::123456789012:mfa/x");
  EXPECT_EQ((*device)->rec.create_millis, 1795826565000);
  EXPECT_FALSE((*device)->user);
  // Recorded: "MFA device already exists." (also another case of the same serial number).
  auto twice = state_.CreateVirtualMfaDevice("SOFIA-mfa", "/team/", "s", {}, changes_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(twice.error().message, "MFA device already exists.");
  ASSERT_TRUE(state_.CreateVirtualMfaDevice("sofia-mfa", "/", "s", {}, changes_));  // other path

  const size_t before = changes_.size();
  auto refused = state_.EnableMfaDevice("sofia", serial, Refuse(), changes_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidAuthenticationCode);
  EXPECT_EQ(refused.error().message, "Authentication code for device is not valid.");
  EXPECT_EQ(state_.EnableMfaDevice("nobody", serial, AcceptAt(5), changes_).error().message,
            "The user with name nobody cannot be found.");
  EXPECT_EQ(state_.EnableMfaDevice("sofia", serial + "x", AcceptAt(5), changes_).error().message,
            "MFA Device with serial number " + serial + "x does not exist.");
  EXPECT_EQ(changes_.size(), before);
  ASSERT_TRUE(state_.EnableMfaDevice("sofia", serial, AcceptAt(5), changes_));
  EXPECT_EQ((*device)->rec.last_step, 5);
  EXPECT_EQ((*device)->rec.enable_millis, 1795826565000);
  ASSERT_EQ((**state_.GetUser("sofia")).mfa_devices.size(), 1u);
  auto again = state_.EnableMfaDevice("sofia", serial, AcceptAt(6), changes_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(again.error().message, "MFA Device is already in use.");

  auto in_use = state_.DeleteVirtualMfaDevice(serial, changes_);
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().code, ErrorCode::kDeleteConflict);
  auto user_conflict = state_.DeleteUser("sofia", changes_);
  ASSERT_FALSE(user_conflict);
  EXPECT_EQ(user_conflict.error().message, "Cannot delete entity, must delete MFA device first.");
  EXPECT_EQ(state_.ResyncMfaDevice("sofia", serial, Refuse(), changes_).error().code,
            ErrorCode::kInvalidAuthenticationCode);
  ASSERT_TRUE(state_.ResyncMfaDevice("sofia", serial, AcceptAt(9), changes_));
  EXPECT_EQ((*device)->rec.last_step, 9);
  ASSERT_TRUE(state_.TagMfaDevice(serial, {{"k2", "v2"}}, changes_));
  ASSERT_TRUE(state_.UntagMfaDevice(serial, std::vector<std::string>{"K"}, changes_));

  // What was written rebuilds the same devices.
  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto copy = rebuilt.GetMfaDevice(serial);
  ASSERT_TRUE(copy);
  ASSERT_TRUE((*copy)->user);
  EXPECT_EQ((*copy)->user->rec.name, "sofia");
  EXPECT_EQ((*copy)->rec.last_step, 9);
  EXPECT_EQ((*copy)->rec.seed_sealed, "sealed");
  EXPECT_EQ((*copy)->rec.tags, (Tags{{"k2", "v2"}}));
  EXPECT_EQ(rebuilt.mfa_devices().size(), 2u);

  // Deactivating: only by the device's user; then it is free again and may go.
  CreateUserInput other;
  other.name = "other";
  ASSERT_TRUE(state_.CreateUser(other, changes_));
  EXPECT_EQ(state_.DeactivateMfaDevice("other", serial, changes_).error().code,
            ErrorCode::kNoSuchEntity);
  ASSERT_TRUE(state_.DeactivateMfaDevice("sofia", serial, changes_));
  EXPECT_FALSE((*device)->user);
  EXPECT_TRUE((**state_.GetUser("sofia")).mfa_devices.empty());
  EXPECT_EQ(state_.DeactivateMfaDevice("sofia", serial, changes_).error().code,
            ErrorCode::kNoSuchEntity);
  ASSERT_TRUE(state_.DeleteVirtualMfaDevice(serial, changes_));
  EXPECT_EQ(state_.GetMfaDevice(serial).error().code, ErrorCode::kNoSuchEntity);
  EXPECT_TRUE(state_.DeleteUser("sofia", changes_));

  // The reset removes devices before the users they are enabled for.
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));
  EXPECT_TRUE(rebuilt.mfa_devices().empty());
  EXPECT_TRUE(rebuilt.users().empty());
}

TEST_F(StateTest, EightMfaDevicesPerUser) {
  CreateUserInput in;
  in.name = "sofia";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  for (int i = 0; i < 9; ++i)
    ASSERT_TRUE(state_.CreateVirtualMfaDevice(Numbered("d", i), "/", "s", {}, changes_));
  for (int i = 0; i < 8; ++i)
    ASSERT_TRUE(state_.EnableMfaDevice("sofia", state_.MfaSerial("/", Numbered("d", i)),
                                       AcceptAt(1), changes_));
  auto ninth = state_.EnableMfaDevice("sofia", state_.MfaSerial("/", "d8"), AcceptAt(1), changes_);
  ASSERT_FALSE(ninth);
  EXPECT_EQ(ninth.error().code, ErrorCode::kLimitExceeded);
  EXPECT_FALSE((*state_.GetMfaDevice(state_.MfaSerial("/", "d8")))->user);
}

State::UploadServerCertificateInput ServerCertificate(std::string id, std::string name) {
  State::UploadServerCertificateInput in;
  in.id = std::move(id);
  in.name = std::move(name);
  in.body = "pem";
  in.private_key_sealed = "sealed";
  in.expiration_millis = 2111579545000;
  return in;
}

TEST_F(StateTest, ServerCertificatesNamedOnceRenamedAndCounted) {
  auto in = ServerCertificate("ASCA1", "web");
  in.path = "/cloudfront/";
  in.chain = "chain";
  in.tags = {{"env", "prod"}};
  auto cert = state_.UploadServerCertificate(in, changes_);
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ((*cert)->arn, "arn:aws:iam::123456789012:server-certificate/cloudfront/web");
  EXPECT_EQ((*cert)->rec.upload_millis, 1795826565000);
  const size_t before = changes_.size();
  auto twice = state_.UploadServerCertificate(ServerCertificate("ASCA2", "WEB"), changes_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(twice.error().message, "The Server Certificate with name WEB already exists.");
  EXPECT_EQ(changes_.size(), before);

  ASSERT_TRUE(state_.UploadServerCertificate(ServerCertificate("ASCA2", "api"), changes_));
  auto clash = state_.UpdateServerCertificate("api", std::string("Web"), std::nullopt, changes_);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().message, "The Server Certificate with name Web already exists.");
  ASSERT_TRUE(state_.UpdateServerCertificate("web", std::string("Web"), std::string("/"),
                                             changes_));  // its own name in another case
  auto renamed = state_.GetServerCertificate("web");
  ASSERT_TRUE(renamed);
  EXPECT_EQ((*renamed)->rec.id, "ASCA1");  // the ID stays
  EXPECT_EQ((*renamed)->arn, "arn:aws:iam::123456789012:server-certificate/Web");
  EXPECT_EQ(state_.UpdateServerCertificate("nope", std::nullopt, std::nullopt, changes_)
                .error()
                .message,
            "The Server Certificate with name nope cannot be found.");

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto copy = rebuilt.GetServerCertificate("WEB");
  ASSERT_TRUE(copy);
  EXPECT_EQ((*copy)->rec.name, "Web");
  EXPECT_EQ((*copy)->rec.chain, "chain");
  EXPECT_EQ((*copy)->rec.tags, (Tags{{"env", "prod"}}));
  EXPECT_EQ(rebuilt.server_certificates().size(), 2u);

  ASSERT_TRUE(state_.DeleteServerCertificate("API", changes_));
  EXPECT_EQ(state_.DeleteServerCertificate("api", changes_).error().code, ErrorCode::kNoSuchEntity);
  for (int i = 0; i < 19; ++i)
    ASSERT_TRUE(state_.UploadServerCertificate(
        ServerCertificate("ASCAX" + std::to_string(i), Numbered("c", i)), changes_));
  auto over = state_.UploadServerCertificate(ServerCertificate("ASCAY", "one-more"), changes_);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "Cannot exceed quota for ServerCertificatesPerAccount: 20");
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));
  EXPECT_TRUE(rebuilt.server_certificates().empty());
}

TEST_F(StateTest, ServiceCredentialsTwoPerServiceAndUser) {
  CreateUserInput in;
  in.name = "sofia";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  auto credential = [](std::string id, std::string service) {
    ServiceCredentialRecord r;
    r.id = std::move(id);
    r.service_name = std::move(service);
    r.service_user_name = "sofia-at-123456789012";
    r.secret_sealed = "sealed";
    return r;
  };
  ASSERT_TRUE(state_.CreateServiceCredential("sofia", credential("ACCA1", "codecommit.amazonaws.com"),
                                             changes_));
  ASSERT_TRUE(state_.CreateServiceCredential("sofia", credential("ACCA2", "codecommit.amazonaws.com"),
                                             changes_));
  const size_t before = changes_.size();
  auto third = state_.CreateServiceCredential(
      "sofia", credential("ACCA3", "codecommit.amazonaws.com"), changes_);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(third.error().message,
            "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2");
  EXPECT_EQ(changes_.size(), before);
  ASSERT_TRUE(state_.CreateServiceCredential("sofia", credential("ACCA3", "cassandra.amazonaws.com"),
                                             changes_));  // another service
  EXPECT_EQ(state_.CreateServiceCredential("nobody", credential("ACCA4", "x"), changes_)
                .error()
                .message,
            "The user with name nobody cannot be found.");

  ASSERT_TRUE(state_.ResetServiceCredential("sofia", "ACCA1", "resealed", changes_));
  ASSERT_TRUE(state_.UpdateServiceCredential("sofia", "ACCA2", false, changes_));
  EXPECT_EQ(state_.UpdateServiceCredential("sofia", "ACCAX", false, changes_).error().code,
            ErrorCode::kNoSuchEntity);
  auto conflict = state_.DeleteUser("sofia", changes_);
  ASSERT_FALSE(conflict);
  EXPECT_EQ(conflict.error().code, ErrorCode::kDeleteConflict);

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto reset = rebuilt.GetServiceCredential("sofia", "ACCA1");
  ASSERT_TRUE(reset);
  EXPECT_EQ((*reset)->rec.secret_sealed, "resealed");
  EXPECT_TRUE((*reset)->rec.active);
  EXPECT_FALSE((*rebuilt.GetServiceCredential("sofia", "ACCA2"))->rec.active);
  EXPECT_EQ((**rebuilt.GetUser("sofia")).service_credentials.size(), 3u);

  for (const char* id : {"ACCA1", "ACCA2", "ACCA3"})
    ASSERT_TRUE(state_.DeleteServiceCredential("sofia", id, changes_));
  EXPECT_TRUE(state_.DeleteUser("sofia", changes_));
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));  // credentials go before their users
  EXPECT_TRUE(rebuilt.users().empty());
}

TEST_F(StateTest, SamlProvidersKeysAndEncryption) {
  const std::string arn = "arn:aws:iam::123456789012:saml-provider/okta";
  State::CreateSamlProviderInput in;
  in.name = "okta";
  in.uuid = "SAMLSPEXAMPLE";
  in.document = "<md:EntityDescriptor/>";
  in.encryption_required = true;
  auto no_key = state_.CreateSamlProvider(in, changes_);
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().code, ErrorCode::kInvalidInput);
  in.key = SamlPrivateKey{"KEY1", 0, "sealed1"};
  in.tags = {{"team", "sso"}};
  auto created = state_.CreateSamlProvider(in, changes_);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ((*created)->arn, arn);
  EXPECT_EQ((*created)->rec.create_millis, 1795826565000);
  // 2026-11-28T... + 100 years, to the millisecond.
  EXPECT_EQ(FormatIso8601((*created)->rec.valid_until_millis).substr(0, 4), "2126");
  EXPECT_EQ((*created)->rec.valid_until_millis % 1000, 1795826565000 % 1000);
  EXPECT_EQ((*created)->rec.private_keys[0].timestamp_millis, 1795826565000);
  in.name = "OKTA";
  EXPECT_EQ(state_.CreateSamlProvider(in, changes_).error().message,
            "SAML provider OKTA already exists.");

  auto update = [&](State::UpdateSamlProviderInput u) {
    return state_.UpdateSamlProvider(arn, std::move(u), changes_);
  };
  EXPECT_EQ(update({}).error().code, ErrorCode::kInvalidInput);  // nothing to update
  EXPECT_EQ(update({.add_key = SamlPrivateKey{"KEY2", 0, "s"}, .remove_key_id = "KEY1"})
                .error()
                .code,
            ErrorCode::kInvalidInput);
  EXPECT_EQ(update({.remove_key_id = "KEY1"}).error().message,
            "Unable to set assertion encryption mode to Required because no private key is "
            "provided.");
  ASSERT_TRUE(update({.add_key = SamlPrivateKey{"KEY2", 0, "s"}}));
  EXPECT_EQ(update({.add_key = SamlPrivateKey{"KEY3", 0, "s"}}).error().code,
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(update({.remove_key_id = "NOPE"}).error().code, ErrorCode::kInvalidInput);
  ASSERT_TRUE(update({.document = "<EntityDescriptor/>", .encryption_required = false,
                      .remove_key_id = "KEY1"}));

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto copy = rebuilt.GetSamlProvider(arn);
  ASSERT_TRUE(copy);
  EXPECT_EQ((*copy)->rec.document, "<EntityDescriptor/>");
  EXPECT_FALSE((*copy)->rec.encryption_required);
  ASSERT_EQ((*copy)->rec.private_keys.size(), 1u);
  EXPECT_EQ((*copy)->rec.private_keys[0].key_id, "KEY2");
  EXPECT_EQ((*copy)->rec.tags, (Tags{{"team", "sso"}}));
  // Only the exact ARN names it.
  for (std::string other : {std::string("arn:aws:iam::123456789012:saml-provider/OKTA"),
                            std::string("arn:aws:iam::111111111111:saml-provider/okta"),
                            std::string("okta"), std::string("arn:aws:iam::123456789012:role/okta")})
    EXPECT_EQ(rebuilt.GetSamlProvider(other).error().message, "Manifest not found for arn " + other);
  ASSERT_TRUE(state_.DeleteSamlProvider(arn, changes_));
  EXPECT_EQ(state_.DeleteSamlProvider(arn, changes_).error().code, ErrorCode::kNoSuchEntity);
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));
  EXPECT_TRUE(rebuilt.saml_providers().empty());
}

TEST_F(StateTest, TenGroupsPerUserAndReAddingIsNotCounted) {
  CreateUserInput in;
  in.name = "alice";
  ASSERT_TRUE(state_.CreateUser(in, changes_));
  for (int i = 0; i < 11; ++i)
    ASSERT_TRUE(state_.CreateGroup(Numbered("g", i), "/", changes_));
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(state_.AddUserToGroup(Numbered("g", i), "alice", changes_));
  ASSERT_TRUE(state_.AddUserToGroup("g3", "alice", changes_));  // already a member: fine
  size_t before = changes_.size();
  auto eleventh = state_.AddUserToGroup("g10", "alice", changes_);
  ASSERT_FALSE(eleventh);
  EXPECT_EQ(eleventh.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(eleventh.error().message, "Cannot exceed quota for GroupsPerUser: 10");
  EXPECT_EQ(changes_.size(), before);
  EXPECT_EQ((*state_.GetUser("alice"))->groups.size(), 10u);
}

// ---- OpenID Connect providers (messages: see src/model/oidc_providers.cc for their sources) ----

constexpr char kGitHubUrl[] = "https://token.actions.githubusercontent.com";
constexpr char kGitHubArn[] =
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

class StateOidcProviderTest : public StateTest {
 protected:
  Result<const OidcProvider*> Create(std::string url, std::vector<std::string> client_ids = {},
                                     std::vector<std::string> thumbprints = {}, Tags tags = {}) {
    CreateOidcProviderInput in;
    in.url = std::move(url);
    in.client_ids = std::move(client_ids);
    in.thumbprints = std::move(thumbprints);
    in.tags = std::move(tags);
    return state_.CreateOidcProvider(in, changes_);
  }
  const OidcProvider& Get(std::string_view arn = kGitHubArn) {
    auto p = state_.GetOidcProvider(arn);
    EXPECT_TRUE(p) << p.error().message;
    return **p;
  }
};

TEST_F(StateOidcProviderTest, CreateGetAndDelete) {
  auto p = Create(kGitHubUrl, {"sts.amazonaws.com"}, {std::string(40, 'a')});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->arn, kGitHubArn);
  EXPECT_EQ((*p)->rec.url, "token.actions.githubusercontent.com");  // shown without https://
  EXPECT_EQ((*p)->rec.create_millis, 1795826565000);
  EXPECT_EQ(Get().rec.client_ids, std::vector<std::string>{"sts.amazonaws.com"});
  EXPECT_EQ(state_.oidc_providers().size(), 1u);
  ASSERT_TRUE(state_.DeleteOidcProvider(kGitHubArn, changes_));
  auto gone = state_.GetOidcProvider(kGitHubArn);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error(),
            Error(ErrorCode::kNoSuchEntity,
                  std::string("OpenIDConnect Provider not found for arn ") + kGitHubArn));
  // AWS (recorded) refuses a second delete, whatever the API reference says.
  auto again = state_.DeleteOidcProvider(kGitHubArn, changes_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), Error(ErrorCode::kNoSuchEntity, std::string("OpenId connect Provider ") +
                                                               kGitHubArn + " cannot be found."));
}

TEST_F(StateOidcProviderTest, PathAndSchemeCaseMakeTheArn) {
  auto p = Create("HTTPS://oidc.eks.us-east-1.amazonaws.com/id/ABC");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ((*p)->arn,
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC");
}

TEST_F(StateOidcProviderTest, DuplicateUrlIsEntityAlreadyExists) {
  ASSERT_TRUE(Create(kGitHubUrl));
  size_t before = changes_.size();
  auto dup = Create(kGitHubUrl, {"x"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(),
            Error(ErrorCode::kEntityAlreadyExists,
                  std::string("Provider with url ") + kGitHubUrl + " already exists."));
  EXPECT_EQ(changes_.size(), before);
  EXPECT_TRUE(Get().rec.client_ids.empty());
}

TEST_F(StateOidcProviderTest, UrlMustBeHttpsWithoutPortQueryOrFragment) {
  for (const char* url : {"example.org", "http://example.org", "https://", "https:///path",
                          "https://example.org:443", "https://example.org/?a=b",
                          "https://example.org#f", "https://user@example.org",
                          "https://exa mple.org"}) {
    auto p = Create(url);
    ASSERT_FALSE(p) << url;
    EXPECT_EQ(p.error(), Error(ErrorCode::kValidationError, "Invalid Open ID Connect Provider URL"))
        << url;
  }
  EXPECT_TRUE(changes_.empty());
  EXPECT_TRUE(state_.oidc_providers().empty());
}

TEST_F(StateOidcProviderTest, AtMostFiveHexThumbprints) {
  std::vector<std::string> six(6, std::string(40, 'f'));
  auto p = Create(kGitHubUrl, {}, six);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error(), Error(ErrorCode::kInvalidInput,
                             "Thumbprint list must contain fewer than 5 entries."));
  six.pop_back();
  ASSERT_TRUE(Create(kGitHubUrl, {}, six));
  auto bad = state_.UpdateOidcProviderThumbprint(kGitHubArn, {{std::string(39, 'a') + "g"}},
                                                 changes_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(Get().rec.thumbprints.size(), 5u);  // unchanged
  std::vector<std::string> one{std::string(40, 'C')};
  ASSERT_TRUE(state_.UpdateOidcProviderThumbprint(kGitHubArn, one, changes_));
  EXPECT_EQ(Get().rec.thumbprints, one);  // replaced whole
}

TEST_F(StateOidcProviderTest, ClientIdsAreIdempotentAndLimitedToOneHundred) {
  std::vector<std::string> ids;
  for (int i = 0; i < 101; ++i) ids.push_back(Numbered("c", i));
  auto p = Create(kGitHubUrl, ids);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error(), Error(ErrorCode::kLimitExceeded,
                             "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"));
  ids.pop_back();
  ids.push_back("c0");  // a duplicate is kept once
  ASSERT_TRUE(Create(kGitHubUrl, ids));
  EXPECT_EQ(Get().rec.client_ids.size(), 100u);
  size_t before = changes_.size();
  ASSERT_TRUE(state_.AddClientIdToOidcProvider(kGitHubArn, "c5", changes_));  // present: no-op
  ASSERT_TRUE(state_.RemoveClientIdFromOidcProvider(kGitHubArn, "absent", changes_));  // no-op
  EXPECT_EQ(changes_.size(), before);
  auto over = state_.AddClientIdToOidcProvider(kGitHubArn, "c100", changes_);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kLimitExceeded);
  ASSERT_TRUE(state_.RemoveClientIdFromOidcProvider(kGitHubArn, "c5", changes_));
  ASSERT_TRUE(state_.AddClientIdToOidcProvider(kGitHubArn, "c100", changes_));
  EXPECT_EQ(Get().rec.client_ids.back(), "c100");
  EXPECT_EQ(Get().rec.client_ids.size(), 100u);
}

TEST_F(StateOidcProviderTest, OneHundredProvidersPerAccount) {
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(Create("https://p" + std::to_string(i) + ".example"));
  auto p = Create("https://one-too-many.example");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(state_.oidc_providers().size(), 100u);
}

TEST_F(StateOidcProviderTest, MalformedOrForeignArns) {
  ASSERT_TRUE(Create(kGitHubUrl));
  for (const char* arn : {"token.actions.githubusercontent.com",
                          "arn:aws:iam::123456789012:role/token.actions.githubusercontent.com",
                          "arn:aws:iam::123456789012:oidc-provider/",
                          "arn:aws:s3::123456789012:oidc-provider/x"}) {
    auto p = state_.GetOidcProvider(arn);
    ASSERT_FALSE(p) << arn;
    EXPECT_EQ(p.error(),
              Error(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid."));
  }
  // Another account's provider, or another case of the URL, is not this one.
  for (const char* arn :
       {"arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com",
        "arn:aws:iam::123456789012:oidc-provider/TOKEN.actions.githubusercontent.com"})
    EXPECT_EQ(state_.GetOidcProvider(arn).error().code, ErrorCode::kNoSuchEntity) << arn;
}

TEST_F(StateOidcProviderTest, TagsMergeIgnoringCaseUpToFifty) {
  ASSERT_TRUE(Create(kGitHubUrl, {}, {}, {{"Env", "a"}}));
  ASSERT_TRUE(state_.TagOidcProvider(kGitHubArn, {{"env", "b"}}, changes_));
  EXPECT_EQ(Get().rec.tags, (Tags{{"Env", "b"}}));
  Tags many;
  for (int i = 0; i < 50; ++i) many.push_back({Numbered("k", i), "v"});
  auto over = state_.TagOidcProvider(kGitHubArn, many, changes_);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), Error(ErrorCode::kLimitExceeded,
                                "The number of tags has reached the maximum limit."));
  EXPECT_EQ(Get().rec.tags.size(), 1u);
  std::vector<std::string> keys{"ENV", "absent"};
  ASSERT_TRUE(state_.UntagOidcProvider(kGitHubArn, keys, changes_));
  EXPECT_TRUE(Get().rec.tags.empty());
}

TEST_F(StateOidcProviderTest, RebuildFromChangesGivesTheSameProviders) {
  ASSERT_TRUE(Create(kGitHubUrl, {"sts.amazonaws.com", "other"}, {std::string(40, 'a')},
                     {{"k", "v"}}));
  ASSERT_TRUE(Create("https://gone.example"));
  ASSERT_TRUE(state_.RemoveClientIdFromOidcProvider(kGitHubArn, "other", changes_));
  ASSERT_TRUE(state_.DeleteOidcProvider("arn:aws:iam::123456789012:oidc-provider/gone.example",
                                        changes_));
  State copy("123456789012", clock_, ids_);
  for (const Change& c : changes_) ASSERT_TRUE(copy.Apply(c));
  ASSERT_EQ(copy.oidc_providers().size(), 1u);
  auto p = copy.GetOidcProvider(kGitHubArn);
  ASSERT_TRUE(p);
  EXPECT_EQ((*p)->arn, kGitHubArn);
  EXPECT_EQ((*p)->rec.client_ids, std::vector<std::string>{"sts.amazonaws.com"});
  EXPECT_EQ((*p)->rec.thumbprints, std::vector<std::string>{std::string(40, 'a')});
  EXPECT_EQ((*p)->rec.tags, (Tags{{"k", "v"}}));
  // DeleteEverything (moto-api reset) removes providers too.
  ChangeSet wipe;
  ASSERT_TRUE(copy.DeleteEverything(wipe));
  EXPECT_TRUE(copy.oidc_providers().empty());
}

}  // namespace
TEST_F(StateTest, AnAccountHasOneAliasAndANewOneReplacesIt) {
  EXPECT_FALSE(state_.account_alias());
  ASSERT_TRUE(state_.SetAccountAlias("first", changes_));
  ASSERT_TRUE(state_.SetAccountAlias("second", changes_));
  EXPECT_EQ(state_.account_alias(), "second");
  auto wrong = state_.DeleteAccountAlias("first", changes_);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kNoSuchEntity);
  EXPECT_EQ(state_.account_alias(), "second");  // unchanged
  ASSERT_TRUE(state_.DeleteAccountAlias("second", changes_));
  EXPECT_FALSE(state_.account_alias());
  EXPECT_EQ(changes_.size(), 3u);  // two settings and one removal
}

TEST_F(StateTest, PasswordPolicyNotFoundHasEachOperationsWording) {
  auto get = state_.GetPasswordPolicy();
  ASSERT_FALSE(get);
  EXPECT_EQ(get.error().code, ErrorCode::kNoSuchEntity);
  EXPECT_EQ(get.error().message,
            "The Password Policy with domain name 123456789012 cannot be found.");
  auto del = state_.DeletePasswordPolicy(changes_);
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().message, "The account policy with name PasswordPolicy cannot be found.");
}

TEST_F(StateTest, PasswordsAreCheckedAgainstThePolicyOrTheDefaultLength) {
  // Without a policy: AWS's default, 8 characters.
  EXPECT_FALSE(state_.CheckPassword("seven77"));
  EXPECT_TRUE(state_.CheckPassword("eight888"));
  PasswordPolicy policy;
  policy.minimum_length = 6;
  policy.require_uppercase = policy.require_lowercase = true;
  policy.require_numbers = policy.require_symbols = true;
  ASSERT_TRUE(state_.SetPasswordPolicy(policy, changes_));
  auto message = [&](std::string_view password) {
    auto s = state_.CheckPassword(password);
    EXPECT_FALSE(s) << password;
    if (s) return std::string();
    EXPECT_EQ(s.error().code, ErrorCode::kPasswordPolicyViolation);
    return s.error().message;
  };
  EXPECT_EQ(message("Ab1!"), "Password should have a minimum length of 6");
  EXPECT_EQ(message("abcd1!"), "Password should have at least one uppercase letter");
  EXPECT_EQ(message("ABCD1!"), "Password should have at least one lowercase letter");
  EXPECT_EQ(message("Abcde!"), "Password should have at least one number");
  EXPECT_EQ(message("Abcde1"), "Password should have at least one symbol");
  EXPECT_EQ(message("Abcde1~"), "Password should have at least one symbol");  // not in AWS's set
  EXPECT_TRUE(state_.CheckPassword("Abcd1'"));
  ASSERT_TRUE(state_.DeletePasswordPolicy(changes_));
  EXPECT_FALSE(state_.CheckPassword("Abcd1'"));  // the default's 8 characters again
}

TEST_F(StateTest, AccountSettingsRebuildFromTheirChanges) {
  PasswordPolicy policy;
  policy.minimum_length = 12;
  policy.require_symbols = true;
  policy.max_age_days = 90;
  policy.reuse_prevention = 3;
  policy.hard_expiry = false;
  ASSERT_TRUE(state_.SetPasswordPolicy(policy, changes_));
  ASSERT_TRUE(state_.SetAccountAlias("example-corp", changes_));
  const size_t before = changes_.size();
  ASSERT_TRUE(state_.SetGlobalEndpointTokenVersion(1, changes_));  // the default: no change
  EXPECT_EQ(changes_.size(), before);
  ASSERT_TRUE(state_.SetGlobalEndpointTokenVersion(2, changes_));
  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  auto got = rebuilt.GetPasswordPolicy();
  ASSERT_TRUE(got);
  EXPECT_EQ(**got, policy);
  EXPECT_EQ(rebuilt.account_alias(), "example-corp");
  EXPECT_EQ(rebuilt.global_endpoint_token_version(), 2);
  // A stored form iamd cannot read is an inconsistency, not a silent default.
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"password_policy", "minimum_length=x\n"}));
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"sts_token_version", "3"}));
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"unknown", ""}));
  ASSERT_TRUE(rebuilt.DeleteEverything(changes_));  // the reset goes back to AWS's default
  EXPECT_EQ(rebuilt.global_endpoint_token_version(), 1);
}

TEST_F(StateTest, CreationTimeAndCredentialReportRebuildFromTheirChanges) {
  ASSERT_TRUE(state_.SetAccountCreated(1000, changes_));
  ASSERT_TRUE(state_.SetAccountCreated(2000, changes_));  // the first one stays
  EXPECT_EQ(changes_.size(), 1u);
  const CredentialReport report{5000, "user,arn\n<root_account>,arn:aws:iam::1:root\n"};
  ASSERT_TRUE(state_.SetCredentialReport(report, changes_));
  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  EXPECT_EQ(rebuilt.account_created_millis(), 1000);
  EXPECT_EQ(rebuilt.credential_report(), report);
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"account_created", "soon"}));
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"credential_report", "no time line"}));
  // The reset removes the report with the users it lists; the account keeps its creation time.
  ChangeSet reset;
  ASSERT_TRUE(rebuilt.DeleteEverything(reset));
  EXPECT_FALSE(rebuilt.credential_report());
  EXPECT_EQ(rebuilt.account_created_millis(), 1000);
}

// Outbound identity federation: FeatureEnabled / FeatureDisabled with AWS's recorded wording
// (radkawar/stackd testdata/aws/iam/outbound_issuance.json); the first Enable's issuer and keys
// survive Disable, Enable and a rebuild from the store's records.
TEST_F(StateTest, OutboundFederationKeepsItsIssuerAndKeys) {
  auto disable = state_.DisableOutboundFederation(changes_);
  ASSERT_FALSE(disable);
  EXPECT_EQ(disable.error().code, ErrorCode::kFeatureDisabled);
  EXPECT_EQ(disable.error().message,
            "Outbound identity federation is already disabled for account 123456789012");
  EXPECT_FALSE(state_.outbound_federation());
  // The first Enable needs an issuer and keys.
  auto empty = state_.EnableOutboundFederation(OutboundFederation{}, changes_);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kServiceFailure);
  EXPECT_TRUE(changes_.empty());

  OutboundFederation made;
  made.issuer = "https://a1d2b0fd-1177-4468-9351-2f0000000723.tokens.sts.global.api.aws";
  made.keys = {{"RS256", "RSA_0", std::string("\x01sealed\x00 bytes\n", 15), R"({"kty":"RSA"})"},
               {"ES384", "EC384_0", "sealed-2", R"({"kty":"EC", "crv":"P-384"})"}};
  ASSERT_TRUE(state_.EnableOutboundFederation(made, changes_));
  ASSERT_TRUE(state_.outbound_federation());
  EXPECT_TRUE(state_.outbound_federation()->enabled);
  auto again = state_.EnableOutboundFederation(made, changes_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFeatureEnabled);
  EXPECT_EQ(again.error().message,
            "Outbound identity federation is already enabled for account 123456789012");
  ASSERT_TRUE(state_.DisableOutboundFederation(changes_));
  EXPECT_FALSE(state_.outbound_federation()->enabled);
  // Enabled again with other material offered: the account's own issuer and keys stay.
  OutboundFederation other = made;
  other.issuer = "https://other.tokens.sts.global.api.aws";
  ASSERT_TRUE(state_.EnableOutboundFederation(other, changes_));
  made.enabled = true;
  EXPECT_EQ(*state_.outbound_federation(), made);

  State rebuilt{"123456789012", clock_, ids_};
  for (const Change& c : changes_) ASSERT_TRUE(rebuilt.Apply(c));
  ASSERT_TRUE(rebuilt.outbound_federation());
  EXPECT_EQ(*rebuilt.outbound_federation(), made);
  EXPECT_FALSE(rebuilt.Apply(AccountSettingRecord{"outbound_federation", "enabled=1\n"}));
  EXPECT_FALSE(rebuilt.Apply(
      AccountSettingRecord{"outbound_federation", "enabled=1\nissuer=x\nkey=RS256 RSA_0 !!\n"}));
  ChangeSet reset;
  ASSERT_TRUE(rebuilt.DeleteEverything(reset));
  EXPECT_FALSE(rebuilt.outbound_federation());
  // Clear (before a reload from the store, after a failed commit) forgets it too.
  state_.Clear();
  EXPECT_FALSE(state_.outbound_federation());
}

}  // namespace iamd::model
