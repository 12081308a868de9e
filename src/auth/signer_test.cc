// The client-side signer. Its output is checked byte for byte against the AWS suite in
// sigv4_test_suite_test.cc; these tests cover what the suite does not: which headers it signs
// and what it asks the caller to add.
#include <gtest/gtest.h>

#include <string>

#include "auth/sigv4.h"
#include "auth/testing/http_text.h"
#include "common/time.h"

namespace iamd::auth {
namespace {

using test_support::OwnedRequest;

constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

int64_t At(std::string_view amz_date) { return ParseAmzDateMillis(amz_date).value(); }

OwnedRequest CliRequest() {
  OwnedRequest request;
  request.method = "POST";
  request.target.assign(1, '/');  // not = "/": GCC 12 false -Wrestrict (PR105651)
  request.AddHeader("Host", "127.0.0.1:4599");
  request.AddHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.AddHeader("User-Agent", "aws-cli/2.9.19");
  request.AddHeader("Expect", "100-continue");
  request.AddHeader("Connection", "keep-alive");
  request.body = "Action=ListRoles&Version=2010-05-08";
  return request;
}

std::string SignedHeaderList(const std::string& authorization) {
  const size_t start = authorization.find("SignedHeaders=") + 14;
  return authorization.substr(start, authorization.find(',', start) - start);
}

TEST(SignRequest, SignsLikeBotocoreLeavingOutHopByHopHeaders) {
  OwnedRequest request = CliRequest();
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, ""},
                  SigningOptions{"us-west-2", "iam", At("20261128T004245Z")});
  EXPECT_EQ(SignedHeaderList(signed_headers.authorization), "content-type;host;x-amz-date");
  EXPECT_TRUE(signed_headers.authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-west-2/iam/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date, Signature="));
  EXPECT_EQ(signed_headers.amz_date, "20261128T004245Z");
  EXPECT_EQ(signed_headers.content_sha256, "");
}

TEST(SignRequest, SignsTheSessionToken) {
  OwnedRequest request = CliRequest();
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{"ASIAEXAMPLE", kSecret, "token+/="},
                  SigningOptions{"us-east-1", "sts", At("20261128T004245Z")});
  EXPECT_EQ(SignedHeaderList(signed_headers.authorization),
            "content-type;host;x-amz-date;x-amz-security-token");
}

TEST(SignRequest, AddsContentSha256WhenAsked) {
  OwnedRequest request = CliRequest();
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, ""},
                  SigningOptions{"us-east-1", "iam", At("20261128T004245Z"), true});
  EXPECT_EQ(SignedHeaderList(signed_headers.authorization),
            "content-type;host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(signed_headers.content_sha256,
            "8e689dc6b69b17003f0460011582254d8643f0dfb48ac46e093a24df58170b3f");
}

TEST(SignRequest, ProducesWhatVerifySignatureAccepts) {
  OwnedRequest request = CliRequest();
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, ""},
                  SigningOptions{"us-west-2", "iam", At("20261128T004245Z")});
  request.AddHeader("X-Amz-Date", signed_headers.amz_date);
  request.AddHeader("Authorization", signed_headers.authorization);
  Result<SigV4Auth> auth = ParseAuthorization(request.View());
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  constexpr std::string_view kIam[] = {"iam"};
  Status status = VerifySignature(request.View(), *auth, kSecret, At("20261128T004245Z"), kIam);
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

}  // namespace
}  // namespace iamd::auth
