#include "auth/sealer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "auth/keys.h"
#include "auth/session_token.h"
#include "common/strings.h"

namespace iamd::auth {
namespace {

const std::string kKey(32, 'k');

TEST(Sealer, OpensWhatItSealed) {
  Sealer s(kKey);
  std::string sealed = s.Seal("secret", "AKIAEXAMPLE");
  EXPECT_EQ(s.Open(sealed, "AKIAEXAMPLE"), "secret");
  EXPECT_EQ(sealed.find("secret"), std::string::npos);  // not stored in the clear
}

TEST(Sealer, RefusesAnotherContext) {
  Sealer s(kKey);
  EXPECT_FALSE(s.Open(s.Seal("secret", "AKIA1"), "AKIA2"));
}

TEST(Sealer, RefusesAnotherKey) {
  Sealer a(kKey), b(std::string(32, 'x'));
  EXPECT_FALSE(b.Open(a.Seal("secret", "c"), "c"));
}

TEST(Sealer, RefusesAnyFlippedByte) {
  Sealer s(kKey);
  std::string sealed = s.Seal("secret", "c");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 1;
    EXPECT_FALSE(s.Open(bad, "c")) << "byte " << i;
  }
  EXPECT_FALSE(s.Open(sealed.substr(0, sealed.size() - 1), "c"));
  EXPECT_FALSE(s.Open("", "c"));
}

TEST(Sealer, SealsDifferentlyEachTime) {
  Sealer s(kKey);
  EXPECT_NE(s.Seal("x", "c"), s.Seal("x", "c"));  // random nonce
}

TEST(KeyFile, IsCreatedOwnerOnlyAndReadBack) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("iamd-key-" + std::to_string(::getpid())))
                         .string();
  std::filesystem::remove(path);
  auto created = LoadOrCreateKeyFile(path);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->size(), Sealer::kKeyBytes);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(LoadOrCreateKeyFile(path), created);
  std::filesystem::remove(path);
}

TEST(Keys, HaveAwsShapes) {
  std::string id = NewAccessKeyId("AKIA");
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(id.substr(0, 4), "AKIA");
  EXPECT_EQ(NewSecretAccessKey().size(), 40u);
  EXPECT_NE(NewSecretAccessKey(), NewSecretAccessKey());
}

TEST(Passwords, HashAndCheck) {
  std::string hash = HashPassword("Correct-Horse-1");
  EXPECT_TRUE(CheckPassword("Correct-Horse-1", hash));
  EXPECT_FALSE(CheckPassword("correct-horse-1", hash));
  EXPECT_EQ(hash.find("Correct"), std::string::npos);
}

SessionClaims SampleClaims() {
  SessionClaims c;
  c.kind = SessionClaims::Kind::kRoleSession;
  c.access_key_id = "ASIAEXAMPLEEXAMPLE12";
  c.secret_access_key = "s3cr3t";
  c.issued_millis = 1000;
  c.expires_millis = 3601000;
  c.account = "123456789012";
  c.principal_id = "AROAEXAMPLE";
  c.principal_name = "ray-head";
  c.session_name = "i-0123456789abcdef0";
  c.session_policy = R"({"Version":"2012-10-17"})";
  c.session_policy_arns = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};
  c.tags = {{"team", "ray"}};
  c.transitive_tag_keys = {"team"};
  c.chained = true;
  c.mfa_millis = 900;
  c.federated_provider = "arn:aws:iam::123456789012:oidc-provider/token.example.com";
  return c;
}

TEST(SessionToken, RoundTripsEveryClaim) {
  Sealer s(kKey);
  auto decoded = DecodeSessionToken(s, EncodeSessionToken(s, SampleClaims()));
  ASSERT_TRUE(decoded);
  SessionClaims want = SampleClaims();
  EXPECT_EQ(decoded->kind, want.kind);
  EXPECT_EQ(decoded->access_key_id, want.access_key_id);
  EXPECT_EQ(decoded->secret_access_key, want.secret_access_key);
  EXPECT_EQ(decoded->expires_millis, want.expires_millis);
  EXPECT_EQ(decoded->principal_name, want.principal_name);
  EXPECT_EQ(decoded->session_name, want.session_name);
  EXPECT_EQ(decoded->session_policy, want.session_policy);
  EXPECT_EQ(decoded->session_policy_arns, want.session_policy_arns);
  EXPECT_EQ(decoded->tags, want.tags);
  EXPECT_EQ(decoded->transitive_tag_keys, want.transitive_tag_keys);
  EXPECT_TRUE(decoded->chained);
  EXPECT_EQ(decoded->mfa_millis, 900);
  EXPECT_EQ(decoded->federated_provider, want.federated_provider);
}

// Tokens issued before MFA existed end after the transitive tag keys, those issued before web
// identity after the MFA time: they still open, without either; anything else after the last
// field is refused.
TEST(SessionToken, TokensWithoutTheMfaFieldOpenWithoutMfa) {
  Sealer s(kKey);
  constexpr std::string_view kContext = "iamd/session-token/v1";  // session_token.cc's
  auto plain = s.Open(*Base64Decode(EncodeSessionToken(s, SampleClaims())), kContext);
  ASSERT_TRUE(plain);
  const size_t provider_bytes = 8 + SampleClaims().federated_provider.size();
  const std::string before_web_identity = plain->substr(0, plain->size() - provider_bytes);
  auto with_mfa = DecodeSessionToken(s, Base64Encode(s.Seal(before_web_identity, kContext)));
  ASSERT_TRUE(with_mfa);
  EXPECT_EQ(with_mfa->mfa_millis, 900);
  EXPECT_EQ(with_mfa->federated_provider, "");
  const std::string old_form = before_web_identity.substr(0, before_web_identity.size() - 8);
  auto decoded = DecodeSessionToken(s, Base64Encode(s.Seal(old_form, kContext)));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->mfa_millis, 0);
  EXPECT_EQ(decoded->transitive_tag_keys, SampleClaims().transitive_tag_keys);
  EXPECT_FALSE(DecodeSessionToken(s, Base64Encode(s.Seal(old_form + "xyz", kContext))));
  EXPECT_FALSE(DecodeSessionToken(s, Base64Encode(s.Seal(*plain + "x", kContext))));
}

// Every kind round-trips; a kind byte past the last one known is refused.
TEST(SessionToken, KindsRoundTripAndUnknownKindsAreRefused) {
  Sealer s(kKey);
  for (auto kind : {SessionClaims::Kind::kRoleSession, SessionClaims::Kind::kUserSession,
                    SessionClaims::Kind::kRootSession,
                    SessionClaims::Kind::kFederatedUserSession}) {
    SessionClaims c = SampleClaims();
    c.kind = kind;
    auto decoded = DecodeSessionToken(s, EncodeSessionToken(s, c));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->kind, kind);
  }
  constexpr std::string_view kContext = "iamd/session-token/v1";  // session_token.cc's
  auto plain = s.Open(*Base64Decode(EncodeSessionToken(s, SampleClaims())), kContext);
  ASSERT_TRUE(plain);
  for (char kind : {char{0}, char{5}}) {
    std::string changed = *plain;
    changed[1] = kind;
    EXPECT_FALSE(DecodeSessionToken(s, Base64Encode(s.Seal(changed, kContext))));
  }
}

TEST(SessionToken, TamperedTokenDoesNotOpen) {
  Sealer s(kKey);
  std::string token = EncodeSessionToken(s, SampleClaims());
  std::string bad = token;
  bad[token.size() / 2] = bad[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodeSessionToken(s, bad));
  EXPECT_FALSE(DecodeSessionToken(s, "not a token"));
  EXPECT_FALSE(DecodeSessionToken(Sealer(std::string(32, 'z')), token));
}

TEST(SessionToken, SealedSecretAtRestIsNotAToken) {
  Sealer s(kKey);
  std::string sealed_secret = s.Seal("secret", "AKIAEXAMPLE");
  EXPECT_FALSE(DecodeSessionToken(s, Base64Encode(sealed_secret)));
}

}  // namespace
}  // namespace iamd::auth
