// The client side of SigV4, for tests and benchmarks. It reuses the verifier's canonicalization,
// so it proves nothing on its own: the AWS test suite and the botocore fixtures are what check
// both sides against real clients.
#include <algorithm>
#include <vector>

#include "auth/internal/canonical.h"
#include "auth/internal/crypto.h"
#include "auth/sigv4.h"
#include "common/strings.h"
#include "common/time.h"

namespace iamd::auth {
namespace {

// Headers botocore never signs (botocore.auth.SIGNED_HEADERS_BLACKLIST): hop-by-hop headers and
// ones proxies rewrite.
constexpr std::string_view kUnsignedHeaders[] = {"connection",
                                                 "expect",
                                                 "keep-alive",
                                                 "proxy-authenticate",
                                                 "proxy-authorization",
                                                 "te",
                                                 "trailer",
                                                 "transfer-encoding",
                                                 "upgrade",
                                                 "user-agent",
                                                 "x-amzn-trace-id"};

bool Signable(std::string_view lowercase_name) {
  return std::find(std::begin(kUnsignedHeaders), std::end(kUnsignedHeaders), lowercase_name) ==
         std::end(kUnsignedHeaders);
}

}  // namespace

SignedHeaders SignRequest(const HttpRequestView& request, const SigningCredentials& credentials,
                          const SigningOptions& options) {
  SignedHeaders result;
  result.amz_date = FormatAmzDate(options.now_millis);
  if (options.add_content_sha256) {
    result.content_sha256 =
        std::string(internal::AsStringView(internal::ToHex(internal::Sha256Of(request.body))));
  }

  // The request as it will be sent: the caller's headers plus the ones signing adds.
  std::vector<HttpHeader> headers(request.headers.begin(), request.headers.end());
  headers.emplace_back("X-Amz-Date", result.amz_date);
  if (!credentials.session_token.empty())
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (options.add_content_sha256)
    headers.emplace_back("X-Amz-Content-SHA256", result.content_sha256);
  HttpRequestView sent = request;
  sent.headers = headers;

  std::vector<std::string> names;
  for (const HttpHeader& header : headers) {
    std::string name = AsciiLower(header.first);
    if (Signable(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  SigV4Auth auth;
  auth.access_key_id = credentials.access_key_id;
  auth.scope_date = result.amz_date.substr(0, 8);
  auth.region = options.region;
  auth.service = options.service;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) auth.signed_headers.push_back(';');
    auth.signed_headers += names[i];
  }
  auth.amz_date = result.amz_date;
  auth.request_time_millis = options.now_millis;
  auth.security_token = credentials.session_token;

  const std::string canonical = CanonicalRequest(sent, auth);
  auth.signature =
      ComputeSignature(auth, credentials.secret_access_key, StringToSign(auth, canonical));
  result.authorization = std::string(kSigV4Algorithm) + " Credential=" + auth.access_key_id + "/" +
                         auth.CredentialScope() + ", SignedHeaders=" + auth.signed_headers +
                         ", Signature=" + auth.signature;
  return result;
}

}  // namespace iamd::auth
