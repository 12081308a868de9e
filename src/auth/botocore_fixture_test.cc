// Requests signed by real AWS clients must verify: botocore (boto3, AWS CLI v1) and AWS CLI v2,
// captured by testdata/make_botocore_fixtures.py. Each fixture folder holds the request as the
// server receives it (request.txt) and the credentials and time it was signed with.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "auth/testing/http_text.h"

namespace iamd::auth {
namespace {

namespace fs = std::filesystem;
using test_support::JsonStringField;
using test_support::OwnedRequest;

constexpr std::string_view kIamAndSts[] = {"iam", "sts"};

fs::path FixtureDir() { return test_support::SourceDir() / "src/auth/testdata/botocore"; }

std::vector<std::string> FixtureNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(FixtureDir(), ec))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class BotocoreFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const fs::path dir = FixtureDir() / GetParam();
    std::optional<std::string> text = test_support::ReadFile(dir / "request.txt");
    std::optional<std::string> context = test_support::ReadFile(dir / "context.json");
    ASSERT_TRUE(text && context) << "cannot read " << dir;
    std::optional<OwnedRequest> request = test_support::ParseHttpText(*text);
    ASSERT_TRUE(request.has_value());
    request_ = std::move(*request);
    secret_ = JsonStringField(*context, "secret_access_key").value_or("");
    access_key_ = JsonStringField(*context, "access_key_id").value_or("");
    token_ = JsonStringField(*context, "token").value_or("");
    region_ = JsonStringField(*context, "region").value_or("");
    service_ = JsonStringField(*context, "service").value_or("");
    now_ = test_support::ParseTimestampOrDie(JsonStringField(*context, "timestamp").value_or(""));
  }

  Status ParseAndVerify() {
    Result<SigV4Auth> auth = ParseAuthorization(request_.View());
    if (!auth) return std::unexpected(auth.error());
    return VerifySignature(request_.View(), *auth, secret_, now_, kIamAndSts);
  }

  OwnedRequest request_;
  std::string secret_, access_key_, token_, region_, service_;
  int64_t now_ = 0;
};

TEST_P(BotocoreFixture, Verifies) {
  Status status = ParseAndVerify();
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST_P(BotocoreFixture, ParsesCredentialAndToken) {
  Result<SigV4Auth> auth = ParseAuthorization(request_.View());
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->access_key_id, access_key_);
  EXPECT_EQ(auth->region, region_);
  EXPECT_EQ(auth->service, service_);
  EXPECT_EQ(auth->security_token, token_);
}

TEST_P(BotocoreFixture, RejectsOneChangedByte) {
  // Proves the fixture is really checked: change the last byte of the body, or for a bodiless
  // (presigned) request a character of the Action in the query.
  if (!request_.body.empty()) {
    request_.body.back() ^= 1;
  } else {
    const size_t at = request_.target.find("GetCallerIdentity");
    ASSERT_NE(at, std::string::npos);
    request_.target[at] = 'S';
  }
  Status status = ParseAndVerify();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST_P(BotocoreFixture, RejectsAnotherSecret) {
  secret_ += "x";
  Status status = ParseAndVerify();
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

std::string FixtureTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BotocoreFixture, ::testing::ValuesIn(FixtureNames()),
                         FixtureTestName);

TEST(BotocoreFixtures, PresignedUrlSentAsGetIsRejectedAsStsRejectsIt) {
  // botocore signs a presigned GetCallerIdentity for POST; STS refuses it as a GET
  // (boto/boto3#756), and so must we.
  const fs::path dir = FixtureDir() / "sts-presigned-get-caller-identity";
  std::optional<std::string> text = test_support::ReadFile(dir / "request.txt");
  std::optional<std::string> context = test_support::ReadFile(dir / "context.json");
  ASSERT_TRUE(text && context);
  std::optional<OwnedRequest> request = test_support::ParseHttpText(*text);
  ASSERT_TRUE(request.has_value());
  request->method = "GET";
  Result<SigV4Auth> auth = ParseAuthorization(request->View());
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  Status status = VerifySignature(
      request->View(), *auth, JsonStringField(*context, "secret_access_key").value_or(""),
      test_support::ParseTimestampOrDie(JsonStringField(*context, "timestamp").value_or("")),
      kIamAndSts);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_NE(status.error().message.find("should have been\n'GET\n/\nAction=GetCallerIdentity"),
            std::string::npos);
}

TEST(BotocoreFixtures, AreAllPresent) {
  EXPECT_EQ(FixtureNames(),
            (std::vector<std::string>{"cli-v2-create-role", "cli-v2-get-instance-profile",
                                      "iam-create-role", "iam-get-role", "iam-list-roles",
                                      "sts-get-caller-identity-session-token",
                                      "sts-presigned-get-caller-identity"}));
}

}  // namespace
}  // namespace iamd::auth
