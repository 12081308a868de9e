// ParseAuthorization and VerifySignature: AWS's error codes and messages, the time window and
// the credential scope. Each expected message is spelled out here rather than shared with the
// code, so a typo in either shows up; sigv4.cc says where each message was checked.
#include "auth/sigv4.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/testing/http_text.h"
#include "common/time.h"

namespace iamd::auth {
namespace {

using test_support::OwnedRequest;

constexpr std::string_view kAccessKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kBody = "Action=GetRole&RoleName=ray-head&Version=2010-05-08";
constexpr std::string_view kIamAndSts[] = {"iam", "sts"};
constexpr std::string_view kMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

int64_t At(std::string_view amz_date) { return ParseAmzDateMillis(amz_date).value(); }

OwnedRequest Request(std::vector<std::pair<std::string, std::string>> headers,
                     std::string target = "/", std::string body = std::string(kBody)) {
  OwnedRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.headers = std::move(headers);
  request.body = std::move(body);
  return request;
}

// A GetRole request as the AWS CLI sends it, signed at `when` for `region`/`service`.
OwnedRequest SignedRequest(int64_t when, std::string_view region = "us-east-1",
                           std::string_view service = "iam", std::string_view token = "",
                           std::string_view body = kBody) {
  OwnedRequest request =
      Request({{"Host", "127.0.0.1:4599"},
               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
               {"User-Agent", "aws-cli/2.9.19 Python/3.11.2 Linux/6.1"},
               {"Content-Length", std::to_string(body.size())}},
              "/", std::string(body));
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, token},
                  SigningOptions{region, service, when});
  request.AddHeader("X-Amz-Date", signed_headers.amz_date);
  if (!token.empty()) request.AddHeader("X-Amz-Security-Token", std::string(token));
  request.AddHeader("Authorization", signed_headers.authorization);
  return request;
}

Result<SigV4Auth> Parse(OwnedRequest& request) { return ParseAuthorization(request.View()); }

Status Verify(OwnedRequest& request, int64_t now, std::string_view secret = kSecret,
              std::span<const std::string_view> services = kIamAndSts) {
  Result<SigV4Auth> auth = Parse(request);
  if (!auth) return std::unexpected(auth.error());
  return VerifySignature(request.View(), *auth, secret, now, services);
}

// Expects `result` to have failed with `code` and exactly `message`.
template <typename T>
void ExpectError(const Result<T>& result, ErrorCode code, std::string_view message) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code);
  EXPECT_EQ(result.error().message, message);
}

const std::string kAuthorization =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
    "SignedHeaders=host;x-amz-date, "
    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

OwnedRequest WithAuthorization(std::string authorization, std::string date_header = "X-Amz-Date",
                               std::string date = "20150830T123600Z") {
  return Request({{"Host", "iam.amazonaws.com"},
                  {date_header, std::move(date)},
                  {"Authorization", std::move(authorization)}});
}

// --- ParseAuthorization: which scheme ----------------------------------------------------------

TEST(ParseAuthorization, UnsignedRequestIsMissingAuthenticationToken) {
  OwnedRequest request = Request({{"Host", "iam.amazonaws.com"}});
  ExpectError(Parse(request), ErrorCode::kMissingAuthenticationToken,
              "Request is missing Authentication Token");
}

TEST(ParseAuthorization, NonAws4AuthorizationIsMissingAuthenticationToken) {
  OwnedRequest request = WithAuthorization("Basic dXNlcjpwYXNz");
  ExpectError(Parse(request), ErrorCode::kMissingAuthenticationToken,
              "Request is missing Authentication Token");
}

TEST(ParseAuthorization, EmptyAuthorizationIsMissingAuthenticationToken) {
  OwnedRequest request = WithAuthorization("");
  ExpectError(Parse(request), ErrorCode::kMissingAuthenticationToken,
              "Request is missing Authentication Token");
}

TEST(ParseAuthorization, RejectsHeaderAndPresignedQueryTogether) {
  OwnedRequest request = WithAuthorization(kAuthorization);
  request.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256";
  ExpectError(Parse(request), ErrorCode::kSignatureDoesNotMatch,
              "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP "
              "header.");
}

TEST(ParseAuthorization, RejectsTruncatedQueryEscape) {
  OwnedRequest request = WithAuthorization(kAuthorization);
  request.target = "/?Action=GetRole&RoleName=a%4";
  ExpectError(Parse(request), ErrorCode::kMalformedQueryString,
              "Incomplete trailing escape % sequence");
}

TEST(ParseAuthorization, RejectsNonHexQueryEscape) {
  OwnedRequest request = WithAuthorization(kAuthorization);
  request.target = "/?RoleName=a%zz";
  ExpectError(Parse(request), ErrorCode::kMalformedQueryString,
              "Illegal hex character in escape % pattern: %zz");
}

// --- ParseAuthorization: the Authorization header -----------------------------------------------

TEST(ParseAuthorization, ReadsEveryField) {
  OwnedRequest request = WithAuthorization(kAuthorization);
  request.AddHeader("X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLE");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->scope_date, "20150830");
  EXPECT_EQ(auth->region, "us-east-1");
  EXPECT_EQ(auth->service, "iam");
  EXPECT_EQ(auth->terminator, "aws4_request");
  EXPECT_EQ(auth->signed_headers, "host;x-amz-date");
  EXPECT_EQ(auth->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(auth->amz_date, "20150830T123600Z");
  EXPECT_EQ(auth->request_time_millis, At("20150830T123600Z"));
  EXPECT_EQ(auth->security_token, "FQoGZXIvYXdzEXAMPLE");
  EXPECT_FALSE(auth->presigned);
  EXPECT_EQ(auth->expires_seconds, -1);
  EXPECT_EQ(auth->CredentialScope(), "20150830/us-east-1/iam/aws4_request");
}

TEST(ParseAuthorization, SplitsParametersOnCommasTabsAndSpacesInAnyMix) {
  for (const char* header :
       {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
        "SignedHeaders=host;x-amz-date,Signature=abc",
        "AWS4-HMAC-SHA256\tCredential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,\t "
        "SignedHeaders=host;x-amz-date ,,Signature=abc\t"}) {
    OwnedRequest request = WithAuthorization(header);
    Result<SigV4Auth> auth = Parse(request);
    ASSERT_TRUE(auth.has_value()) << header << ": " << auth.error().message;
    EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE") << header;
    EXPECT_EQ(auth->signed_headers, "host;x-amz-date") << header;
    EXPECT_EQ(auth->signature, "abc") << header;
  }
}

TEST(ParseAuthorization, ListsEveryMissingParameterAndEchoesTheHeader) {
  // The shape of SES's real answer to the same mistake (brendanhay/amazonka#316).
  OwnedRequest request = WithAuthorization("AWS4-HMAC-SHA256 Credential=ABCDEF");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Authorization header requires 'Signature' parameter. Authorization header "
              "requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 "
              "Credential=ABCDEF");
}

TEST(ParseAuthorization, ReportsMissingDateHeader) {
  OwnedRequest request =
      Request({{"Host", "iam.amazonaws.com"}, {"Authorization", kAuthorization}});
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
              "header. Authorization=" +
                  kAuthorization);
}

TEST(ParseAuthorization, ListsAllFourRequirementsWhenNothingIsThere) {
  OwnedRequest request = Request({{"Authorization", "AWS4-HMAC-SHA256"}});
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Authorization header requires 'Credential' parameter. Authorization header "
              "requires 'Signature' parameter. Authorization header requires 'SignedHeaders' "
              "parameter. Authorization header requires existence of either a 'X-Amz-Date' or "
              "a 'Date' header. Authorization=AWS4-HMAC-SHA256");
}

TEST(ParseAuthorization, TreatsEmptyCredentialAsMissing) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=, SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Authorization header requires 'Credential' parameter. "
              "Authorization=AWS4-HMAC-SHA256 Credential=, SignedHeaders=host;x-amz-date, "
              "Signature=abc");
}

TEST(ParseAuthorization, RejectsParameterWithoutEqualSign) {
  // A space after "Credential=" splits the value off, as in iann0036/cloud9-sync#10.
  const std::string header =
      "AWS4-HMAC-SHA256 Credential= AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc";
  OwnedRequest request = WithAuthorization(header);
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "'AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request' not a valid key=value pair "
              "(missing equal-sign) in Authorization header: '" +
                  header + "'.");
}

TEST(ParseAuthorization, RejectsDateNotInBasicFormat) {
  OwnedRequest request = WithAuthorization(kAuthorization, "X-Amz-Date", "2015-08-30T12:36:00Z");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(ParseAuthorization, AcceptsHttpDateInDateHeader) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=date;host, Signature=abc",
      "Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->amz_date, "20150830T123600Z");
  EXPECT_EQ(auth->request_time_millis, At("20150830T123600Z"));
}

TEST(ParseAuthorization, RejectsImpossibleHttpDate) {
  OwnedRequest request = WithAuthorization(kAuthorization, "Date", "Mon, 30 Feb 2015 12:36:00 GMT");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Date must be in ISO-8601 'basic format'. Got 'Mon, 30 Feb 2015 12:36:00 GMT'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(ParseAuthorization, RejectsHttpDateInXAmzDate) {
  OwnedRequest request =
      WithAuthorization(kAuthorization, "X-Amz-Date", "Sun, 30 Aug 2015 12:36:00 GMT");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Date must be in ISO-8601 'basic format'. Got 'Sun, 30 Aug 2015 12:36:00 GMT'. See "
              "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(ParseAuthorization, PrefersXAmzDateOverDate) {
  OwnedRequest request = WithAuthorization(kAuthorization);
  request.AddHeader("Date", "Mon, 31 Aug 2015 00:00:00 GMT");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->amz_date, "20150830T123600Z");
}

TEST(ParseAuthorization, RequiresHostToBeSigned) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=x-amz-date, Signature=abc");
  ExpectError(Parse(request), ErrorCode::kSignatureDoesNotMatch,
              "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(ParseAuthorization, RejectsUnsupportedAlgorithm) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA512 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ");
}

TEST(ParseAuthorization, RejectsCredentialWithoutFiveParts) {
  // A secret key pasted as the key ID, as in hashicorp/vault#2277 (IAM's answer).
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=REDA/CTED/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Credential must have exactly 5 slash-delimited elements, e.g. "
              "keyid/date/region/service/term, got 'REDA/CTED/20150830/us-east-1/iam/"
              "aws4_request'");
}

TEST(ParseAuthorization, IgnoresTrailingSlashesInCredential) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request//, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->terminator, "aws4_request");
}

TEST(ParseAuthorization, CountsEmptyInnerCredentialParts) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request/, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "Credential must have exactly 5 slash-delimited elements, e.g. "
              "keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/"
              "aws4_request/'");
}

TEST(ParseAuthorization, LowercasesAndSortsSignedHeaders) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
      "SignedHeaders=X-Amz-Date;Host;content-type, Signature=abc");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->signed_headers, "content-type;host;x-amz-date");
}

TEST(ParseAuthorization, ReadsHeaderNamesInAnyCase) {
  OwnedRequest request = Request({{"HOST", "iam.amazonaws.com"},
                                  {"x-AMZ-date", "20150830T123600Z"},
                                  {"AUTHORIZATION", kAuthorization}});
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->amz_date, "20150830T123600Z");
}

// --- ParseAuthorization: presigned query -------------------------------------------------------

constexpr std::string_view kPresignedQuery =
    "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request"
    "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
    "&X-Amz-Security-Token=AQoD%2Bxyz%2F%3D&X-Amz-Signature=abc";

TEST(ParseAuthorization, ReadsPresignedQueryDecoded) {
  OwnedRequest request = Request({{"Host", "sts.amazonaws.com"}}, std::string(kPresignedQuery), "");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_TRUE(auth->presigned);
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->CredentialScope(), "20150830/us-east-1/sts/aws4_request");
  EXPECT_EQ(auth->signed_headers, "host");
  EXPECT_EQ(auth->signature, "abc");
  EXPECT_EQ(auth->amz_date, "20150830T123600Z");
  EXPECT_EQ(auth->expires_seconds, 60);
  EXPECT_EQ(auth->security_token, "AQoD+xyz/=");
}

TEST(ParseAuthorization, ListsEveryMissingPresignedParameter) {
  OwnedRequest request =
      Request({{"Host", "sts.amazonaws.com"}}, "/?X-Amz-Algorithm=AWS4-HMAC-SHA256", "");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string "
              "parameters must include 'X-Amz-Signature'. AWS query-string parameters must "
              "include 'X-Amz-SignedHeaders'. AWS query-string parameters must include "
              "'X-Amz-Date'. Re-examine the query-string parameters.");
}

TEST(ParseAuthorization, UnknownPresignedAlgorithmIsMissingAuthenticationToken) {
  OwnedRequest request =
      Request({{"Host", "sts.amazonaws.com"}}, "/?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256", "");
  ExpectError(Parse(request), ErrorCode::kMissingAuthenticationToken,
              "Request is missing Authentication Token");
}

OwnedRequest PresignedWithExpires(const std::string& expires) {
  std::string target(kPresignedQuery);
  target.replace(target.find("X-Amz-Expires=60"), 16, "X-Amz-Expires=" + expires);
  return Request({{"Host", "sts.amazonaws.com"}}, target, "");
}

TEST(ParseAuthorization, RejectsNonNumericExpires) {
  OwnedRequest request = PresignedWithExpires("soon");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature, "X-Amz-Expires should be a number");
}

TEST(ParseAuthorization, RejectsNegativeExpires) {
  OwnedRequest request = PresignedWithExpires("-1");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "X-Amz-Expires must be non-negative");
}

TEST(ParseAuthorization, RejectsExpiresOverAWeek) {
  OwnedRequest request = PresignedWithExpires("604801");
  ExpectError(Parse(request), ErrorCode::kIncompleteSignature,
              "X-Amz-Expires must be less than a week (in seconds); that is, the given "
              "X-Amz-Expires must be less than 604800 seconds");
}

TEST(ParseAuthorization, AcceptsExpiresOfExactlyAWeek) {
  OwnedRequest request = PresignedWithExpires("604800");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value()) << auth.error().message;
  EXPECT_EQ(auth->expires_seconds, 604800);
}

// --- VerifySignature -----------------------------------------------------------------------------

TEST(VerifySignature, AcceptsSignedRequest) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

// The verifier resumes hashing from remembered states of leading blocks (the canonical
// request's opening, the string to sign's first block): requests that share those blocks with a
// verified one must still be checked on everything after them.
TEST(VerifySignature, ARequestSharingItsOpeningWithAVerifiedOneIsCheckedWhole) {
  const int64_t now = At("20261128T004245Z");
  OwnedRequest first = SignedRequest(now);
  ASSERT_TRUE(Verify(first, now));
  // Same headers, same second, the first one's signature; another body of the same length.
  const std::string other_body = "Action=GetRole&RoleName=ray-wrkr&Version=2010-05-08";
  OwnedRequest altered = first;
  altered.body = other_body;
  const Status refused = Verify(altered, now);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kSignatureDoesNotMatch);
  // Signed for its own body, it is accepted; and the first still is.
  OwnedRequest other = SignedRequest(now, "us-east-1", "iam", "", other_body);
  EXPECT_TRUE(Verify(other, now));
  EXPECT_TRUE(Verify(first, now));
}

TEST(VerifySignature, AcceptsAnyRegion) {
  // With --endpoint-url the CLI signs with its configured region.
  OwnedRequest request = SignedRequest(At("20261128T004245Z"), "ap-southeast-2");
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, AcceptsStsScope) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"), "us-east-1", "sts");
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, AcceptsSignedSecurityToken) {
  OwnedRequest request =
      SignedRequest(At("20261128T004245Z"), "us-east-1", "sts", "FQoGZXIvYXdzEXAMPLE");
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->security_token, "FQoGZXIvYXdzEXAMPLE");
  EXPECT_NE(auth->signed_headers.find("x-amz-security-token"), std::string::npos);
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, AcceptsRequestExactlyFifteenMinutesOld) {
  OwnedRequest request = SignedRequest(At("20261128T003500Z"));
  Status status = Verify(request, At("20261128T005000Z") + 999);
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, RejectsRequestOlderThanFifteenMinutes) {
  OwnedRequest request = SignedRequest(At("20261128T003000Z"));
  ExpectError(Verify(request, At("20261128T005000Z")), ErrorCode::kSignatureDoesNotMatch,
              "Signature expired: 20261128T003000Z is now earlier than 20261128T003500Z "
              "(20261128T005000Z - 15 min.)");
}

TEST(VerifySignature, RejectsRequestOneSecondPastTheWindow) {
  OwnedRequest request = SignedRequest(At("20261128T003459Z"));
  ExpectError(Verify(request, At("20261128T005000Z")), ErrorCode::kSignatureDoesNotMatch,
              "Signature expired: 20261128T003459Z is now earlier than 20261128T003500Z "
              "(20261128T005000Z - 15 min.)");
}

TEST(VerifySignature, AcceptsRequestExactlyFifteenMinutesAhead) {
  OwnedRequest request = SignedRequest(At("20261128T010500Z"));
  Status status = Verify(request, At("20261128T005000Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, RejectsRequestMoreThanFifteenMinutesAhead) {
  OwnedRequest request = SignedRequest(At("20261128T010501Z"));
  ExpectError(Verify(request, At("20261128T005000Z")), ErrorCode::kSignatureDoesNotMatch,
              "Signature not yet current: 20261128T010501Z is still later than 20261128T010500Z "
              "(20261128T005000Z + 15 min.)");
}

TEST(VerifySignature, RejectsServiceOutsideTheAcceptedOnes) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"), "us-east-1", "s3");
  ExpectError(Verify(request, At("20261128T004245Z")), ErrorCode::kSignatureDoesNotMatch,
              "Credential should be scoped to correct service: 'iam'. ");
}

TEST(VerifySignature, RejectsStsScopeWhenOnlyIamIsAccepted) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"), "us-east-1", "sts");
  constexpr std::string_view kIamOnly[] = {"iam"};
  ExpectError(Verify(request, At("20261128T004245Z"), kSecret, kIamOnly),
              ErrorCode::kSignatureDoesNotMatch,
              "Credential should be scoped to correct service: 'iam'. ");
}

TEST(VerifySignature, RejectsScopeDateOtherThanRequestDate) {
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150829/us-east-1/iam/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Verify(request, At("20150830T123600Z")), ErrorCode::kSignatureDoesNotMatch,
              "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
              "from HTTP: '20150829' != '20150830', from '20150830T123600Z'.");
}

TEST(VerifySignature, ReportsEveryBadScopePartInOneMessage) {
  // The same four faults DynamoDB reported in one message (recorded in dynalite).
  OwnedRequest request = WithAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150829//s3/aws5_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc");
  ExpectError(Verify(request, At("20150830T123600Z")), ErrorCode::kSignatureDoesNotMatch,
              "Credential should be scoped to a valid region, not ''. Credential should be "
              "scoped to correct service: 'iam'. Credential should be scoped with a valid "
              "terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not "
              "match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != "
              "'20150830', from '20150830T123600Z'.");
}

TEST(VerifySignature, ChecksTimeBeforeScope) {
  OwnedRequest request = SignedRequest(At("20261128T003000Z"), "us-east-1", "s3");
  Status status = Verify(request, At("20261128T005000Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_TRUE(status.error().message.starts_with("Signature expired: "));
}

TEST(VerifySignature, RejectsWrongSecret) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  Status status = Verify(request, At("20261128T004245Z"), "not-the-secret");
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
  EXPECT_TRUE(status.error().message.starts_with(kMismatch));
}

TEST(VerifySignature, MismatchMessageShowsCanonicalRequestAndStringToSign) {
  // As STS answers (boto/boto3#756): the message, then what the server computed.
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  Status status = Verify(request, At("20261128T004245Z"), "not-the-secret");
  ASSERT_FALSE(status.has_value());
  Result<SigV4Auth> auth = Parse(request);
  ASSERT_TRUE(auth.has_value());
  const std::string canonical = CanonicalRequest(request.View(), *auth);
  EXPECT_EQ(status.error().message, std::string(kMismatch) +
                                        "\n\nThe Canonical String for this request should have "
                                        "been\n'" +
                                        canonical + "'\n\nThe String-to-Sign should have been\n'" +
                                        StringToSign(*auth, canonical) + "'\n");
  EXPECT_EQ(canonical,
            "POST\n/\n\ncontent-length:51\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:127.0.0.1:4599\nx-amz-date:20261128T004245Z\n\n"
            "content-length;content-type;host;x-amz-date\n"
            "8f7edb9d79476a27243bf961d631a819a92872e67118b4b54839625a0062f250");
}

TEST(VerifySignature, RejectsTamperedBody) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  request.body = "Action=DeleteRole&RoleName=ray-head&Version=2010-05-08";
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(VerifySignature, RejectsTamperedSignedHeader) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  for (auto& [name, value] : request.headers)
    if (name == "Content-Type") value = "application/json";
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(VerifySignature, IgnoresChangesToUnsignedHeaders) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  for (auto& [name, value] : request.headers)
    if (name == "User-Agent") value = "curl/7.88.1";
  request.AddHeader("Accept-Encoding", "identity");
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, AcceptsQueryWithKeysWithoutValues) {
  OwnedRequest request = Request({{"Host", "127.0.0.1:4599"}},
                                 "/?Action=ListRoles&Version=2010-05-08&flag&Tags=", "");
  request.method = "GET";
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, ""},
                  SigningOptions{"us-east-1", "iam", At("20261128T004245Z")});
  request.AddHeader("X-Amz-Date", signed_headers.amz_date);
  request.AddHeader("Authorization", signed_headers.authorization);
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, RejectsTamperedQuery) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  request.target = "/?RoleName=other";
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(VerifySignature, RejectsUppercaseHexSignature) {
  OwnedRequest request = SignedRequest(At("20261128T004245Z"));
  for (auto& [name, value] : request.headers) {
    if (name != "Authorization") continue;
    const size_t at = value.find("Signature=") + 10;
    for (size_t i = at; i < value.size(); ++i) value[i] = static_cast<char>(std::toupper(value[i]));
  }
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(VerifySignature, RejectsPayloadHashFromContentSha256ThatIsNotTheBodys) {
  // A client may sign X-Amz-Content-SHA256's value as the payload hash (botocore does when the
  // header is set). If that value is not the hash of the body received (UNSIGNED-PAYLOAD, or a
  // body swapped after signing), the request must fail: the server hashes the body itself.
  const std::string claimed(64, 'a');
  OwnedRequest request = Request({{"Host", "127.0.0.1:4599"},
                                  {"X-Amz-Content-SHA256", claimed},
                                  {"X-Amz-Date", "20261128T004245Z"}});
  SigV4Auth auth;
  auth.access_key_id = kAccessKey;
  auth.scope_date = "20261128";
  auth.region = "us-east-1";
  auth.service = "iam";
  auth.signed_headers = "host;x-amz-content-sha256;x-amz-date";
  auth.amz_date = "20261128T004245Z";
  std::string canonical = CanonicalRequest(request.View(), auth);
  canonical.replace(canonical.rfind('\n') + 1, std::string::npos, claimed);
  request.AddHeader(
      "Authorization",
      "AWS4-HMAC-SHA256 Credential=" + std::string(kAccessKey) +
          "/20261128/us-east-1/iam/aws4_request, SignedHeaders=" + auth.signed_headers +
          ", Signature=" + ComputeSignature(auth, kSecret, StringToSign(auth, canonical)));
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

TEST(VerifySignature, AcceptsContentSha256ThatMatchesTheBody) {
  OwnedRequest request = Request({{"Host", "127.0.0.1:4599"}});
  SignedHeaders signed_headers =
      SignRequest(request.View(), SigningCredentials{kAccessKey, kSecret, ""},
                  SigningOptions{"us-east-1", "iam", At("20261128T004245Z"), true});
  request.AddHeader("X-Amz-Date", signed_headers.amz_date);
  request.AddHeader("X-Amz-Content-SHA256", signed_headers.content_sha256);
  request.AddHeader("Authorization", signed_headers.authorization);
  Status status = Verify(request, At("20261128T004245Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

// A presigned GetCallerIdentity, built from the public building blocks the way SDK presigners
// do: every X-Amz-* parameter but the signature goes into the canonical query.
OwnedRequest Presigned(int64_t when, int64_t expires) {
  const std::string amz_date = FormatAmzDate(when);
  OwnedRequest request =
      Request({{"Host", "127.0.0.1:4599"}},
              "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
              "&X-Amz-Credential=" +
                  std::string(kAccessKey) + "%2F" + amz_date.substr(0, 8) +
                  "%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=" + amz_date +
                  "&X-Amz-Expires=" + std::to_string(expires) + "&X-Amz-SignedHeaders=host",
              "");
  SigV4Auth auth;
  auth.access_key_id = kAccessKey;
  auth.scope_date = amz_date.substr(0, 8);
  auth.region = "us-east-1";
  auth.service = "sts";
  auth.signed_headers = "host";
  auth.amz_date = amz_date;
  auth.presigned = true;
  const std::string signature =
      ComputeSignature(auth, kSecret, StringToSign(auth, CanonicalRequest(request.View(), auth)));
  request.target += "&X-Amz-Signature=" + signature;
  return request;
}

TEST(VerifySignature, AcceptsPresignedRequestWithinItsExpiry) {
  OwnedRequest request = Presigned(At("20261128T004245Z"), 60);
  Status status = Verify(request, At("20261128T004345Z"));
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST(VerifySignature, RejectsPresignedRequestPastItsExpiry) {
  OwnedRequest request = Presigned(At("20261128T004245Z"), 60);
  ExpectError(Verify(request, At("20261128T004346Z")), ErrorCode::kAccessDenied,
              "Request has expired");
}

TEST(VerifySignature, HoldsLongPresignedRequestsToFifteenMinutes) {
  OwnedRequest request = Presigned(At("20261128T003000Z"), 3600);
  ExpectError(Verify(request, At("20261128T005000Z")), ErrorCode::kSignatureDoesNotMatch,
              "Signature expired: 20261128T003000Z is now earlier than 20261128T003500Z "
              "(20261128T005000Z - 15 min.)");
}

TEST(VerifySignature, RejectsPresignedRequestWithAddedParameter) {
  OwnedRequest request = Presigned(At("20261128T004245Z"), 60);
  request.target += "&DurationSeconds=43200";
  Status status = Verify(request, At("20261128T004245Z"));
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

}  // namespace
}  // namespace iamd::auth
