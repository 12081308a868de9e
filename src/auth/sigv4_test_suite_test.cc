// AWS's SigV4 test suite (aws-c-auth's, in tests/data/sigv4-test-suite): every vector that
// applies to a service other than S3 must reproduce the suite's canonical request, string to
// sign and signature byte for byte, read from its files at test time.
//
// Each vector directory holds request.txt (unsigned), context.json (credentials, region,
// service, time, flags), and for the header and the query (presigned) form: *-signed-request.txt
// (what a server receives), *-canonical-request.txt, *-string-to-sign.txt, *-signature.txt.
//
// Vectors that do not apply, and why:
//  - "normalize": false (the *-unnormalized ones): S3's rules, where the path is neither
//    normalized nor encoded twice. IAM and STS always normalize.
//  - the query form of a vector with "omit_session_token": true (post-sts-header-after): the
//    token is appended to the query after signing, so it is absent from the suite's canonical
//    query; a server receives it like any other parameter and must sign over it (as STS does
//    for presigned GetCallerIdentity). Its header form applies and is tested: there the token
//    is simply an unsigned header.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "auth/sigv4.h"
#include "auth/testing/http_text.h"

namespace iamd::auth {
namespace {

namespace fs = std::filesystem;
using test_support::JsonBoolField;
using test_support::JsonStringField;
using test_support::OwnedRequest;

fs::path SuiteDir() { return test_support::SourceDir() / "tests/data/sigv4-test-suite"; }

std::vector<std::string> VectorNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(SuiteDir(), ec))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

enum class Form { kHeader, kQuery };
void PrintTo(Form form, std::ostream* os) { *os << (form == Form::kHeader ? "header" : "query"); }

// Why a vector's form does not apply to IAM/STS; nullopt when it does.
std::optional<std::string> SkipReason(const std::string& context, Form form) {
  if (JsonBoolField(context, "normalize") == false)
    return "S3-style vector (\"normalize\": false): IAM and STS always normalize the path";
  if (form == Form::kQuery && JsonBoolField(context, "omit_session_token") == true)
    return "token appended to the query after signing (\"omit_session_token\"): a server must "
           "sign over every query parameter it receives";
  return std::nullopt;
}

struct Vector {
  std::string context;
  OwnedRequest signed_request;
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
  std::string secret;
  std::string service;
  int64_t now_millis = 0;
};

std::string ReadOrFail(const fs::path& path) {
  std::optional<std::string> text = test_support::ReadFile(path);
  EXPECT_TRUE(text.has_value()) << "cannot read " << path;
  return text.value_or("");
}

class SigV4TestSuite : public ::testing::TestWithParam<std::tuple<std::string, Form>> {
 protected:
  void SetUp() override {
    const auto& [name, form] = GetParam();
    const fs::path dir = SuiteDir() / name;
    vector_.context = ReadOrFail(dir / "context.json");
    if (std::optional<std::string> reason = SkipReason(vector_.context, form))
      GTEST_SKIP() << *reason;
    const std::string prefix = form == Form::kHeader ? "header-" : "query-";
    std::optional<OwnedRequest> request =
        test_support::ParseHttpText(ReadOrFail(dir / (prefix + "signed-request.txt")));
    ASSERT_TRUE(request.has_value());
    vector_.signed_request = std::move(*request);
    vector_.canonical_request = ReadOrFail(dir / (prefix + "canonical-request.txt"));
    vector_.string_to_sign = ReadOrFail(dir / (prefix + "string-to-sign.txt"));
    vector_.signature = ReadOrFail(dir / (prefix + "signature.txt"));
    vector_.secret = JsonStringField(vector_.context, "secret_access_key").value_or("");
    vector_.service = JsonStringField(vector_.context, "service").value_or("");
    vector_.now_millis = test_support::ParseTimestampOrDie(
        JsonStringField(vector_.context, "timestamp").value_or(""));
    Result<SigV4Auth> auth = ParseAuthorization(vector_.signed_request.View());
    ASSERT_TRUE(auth.has_value()) << auth.error().message;
    auth_ = std::move(*auth);
  }

  Vector vector_;
  SigV4Auth auth_;
};

TEST_P(SigV4TestSuite, CanonicalRequestMatches) {
  EXPECT_EQ(CanonicalRequest(vector_.signed_request.View(), auth_), vector_.canonical_request);
}

TEST_P(SigV4TestSuite, StringToSignMatches) {
  EXPECT_EQ(StringToSign(auth_, CanonicalRequest(vector_.signed_request.View(), auth_)),
            vector_.string_to_sign);
}

TEST_P(SigV4TestSuite, SignatureMatches) {
  const std::string string_to_sign =
      StringToSign(auth_, CanonicalRequest(vector_.signed_request.View(), auth_));
  EXPECT_EQ(ComputeSignature(auth_, vector_.secret, string_to_sign), vector_.signature);
  EXPECT_EQ(auth_.signature, vector_.signature);  // what the signed request carries
}

TEST_P(SigV4TestSuite, VerifySignatureAccepts) {
  const std::string_view services[] = {vector_.service};
  Status status = VerifySignature(vector_.signed_request.View(), auth_, vector_.secret,
                                  vector_.now_millis, services);
  EXPECT_TRUE(status.has_value()) << status.error().message;
}

TEST_P(SigV4TestSuite, VerifySignatureRejectsAnotherSecret) {
  const std::string_view services[] = {vector_.service};
  Status status = VerifySignature(vector_.signed_request.View(), auth_, vector_.secret + "x",
                                  vector_.now_millis, services);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kSignatureDoesNotMatch);
}

std::string VectorTestName(const ::testing::TestParamInfo<std::tuple<std::string, Form>>& info) {
  std::string name = std::get<0>(info.param);
  std::replace(name.begin(), name.end(), '-', '_');
  return name + (std::get<1>(info.param) == Form::kHeader ? "_header" : "_query");
}

INSTANTIATE_TEST_SUITE_P(Vectors, SigV4TestSuite,
                         ::testing::Combine(::testing::ValuesIn(VectorNames()),
                                            ::testing::Values(Form::kHeader, Form::kQuery)),
                         VectorTestName);

// The signer, fed the unsigned request.txt, must produce the suite's Authorization header.
class SigV4TestSuiteSigner : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4TestSuiteSigner, ReproducesAuthorizationHeader) {
  const fs::path dir = SuiteDir() / GetParam();
  const std::string context = ReadOrFail(dir / "context.json");
  if (std::optional<std::string> reason = SkipReason(context, Form::kHeader))
    GTEST_SKIP() << *reason;
  std::optional<OwnedRequest> request =
      test_support::ParseHttpText(ReadOrFail(dir / "request.txt"));
  ASSERT_TRUE(request.has_value());
  std::optional<OwnedRequest> expected =
      test_support::ParseHttpText(ReadOrFail(dir / "header-signed-request.txt"));
  ASSERT_TRUE(expected.has_value());
  std::string expected_authorization;
  for (const auto& [name, value] : expected->headers)
    if (name == "Authorization") expected_authorization = value;

  const std::string access_key = JsonStringField(context, "access_key_id").value_or("");
  const std::string secret = JsonStringField(context, "secret_access_key").value_or("");
  // A token the suite adds after signing ("omit_session_token") is not signed.
  const std::string token = JsonBoolField(context, "omit_session_token") == true
                                ? ""
                                : JsonStringField(context, "token").value_or("");
  const std::string region = JsonStringField(context, "region").value_or("");
  const std::string service = JsonStringField(context, "service").value_or("");
  SigningOptions options{
      region, service,
      test_support::ParseTimestampOrDie(JsonStringField(context, "timestamp").value_or("")),
      JsonBoolField(context, "sign_body") == true};
  SignedHeaders signed_headers =
      SignRequest(request->View(), SigningCredentials{access_key, secret, token}, options);
  EXPECT_EQ(signed_headers.authorization, expected_authorization);
  EXPECT_EQ(signed_headers.amz_date, "20150830T123600Z");
}

std::string SignerTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Vectors, SigV4TestSuiteSigner, ::testing::ValuesIn(VectorNames()),
                         SignerTestName);

// Guards against a vector silently dropping out: the suite has 38 vectors; the only ones
// skipped are the 7 S3-style ones (both forms) and the query form of post-sts-header-after.
TEST(SigV4TestSuiteCoverage, SkipsOnlyVectorsThatDoNotApply) {
  const std::vector<std::string> names = VectorNames();
  ASSERT_EQ(names.size(), 38u);
  std::vector<std::string> skipped_header, skipped_query;
  for (const std::string& name : names) {
    const std::string context = ReadOrFail(SuiteDir() / name / "context.json");
    if (SkipReason(context, Form::kHeader)) skipped_header.push_back(name);
    if (SkipReason(context, Form::kQuery)) skipped_query.push_back(name);
  }
  const std::vector<std::string> unnormalized = {"get-relative-relative-unnormalized",
                                                 "get-relative-unnormalized",
                                                 "get-slash-dot-slash-unnormalized",
                                                 "get-slash-pointless-dot-unnormalized",
                                                 "get-slash-unnormalized",
                                                 "get-slashes-unnormalized",
                                                 "get-space-unnormalized"};
  EXPECT_EQ(skipped_header, unnormalized);
  std::vector<std::string> query_expected = unnormalized;
  query_expected.push_back("post-sts-header-after");
  std::sort(query_expected.begin(), query_expected.end());
  EXPECT_EQ(skipped_query, query_expected);
}

}  // namespace
}  // namespace iamd::auth
