// libFuzzer target for the SigV4 parser and canonicalizer (src/auth).
//
// Input: the request as text, '\n'-separated:
//   line 1        request-target ("/?X-Amz-Algorithm=...")
//   next lines    headers "Name:value", until an empty line
//   the rest      body
// The method is chosen by the first byte of the input (GET or POST), so both are covered.
//
// Checks, beyond "no crash, no sanitizer report":
//  1. whatever ParseAuthorization accepts can be canonicalized and verified without failing
//     in any way other than an ordinary error;
//  2. round trip: the same request signed with SignRequest must parse and verify, unless it
//     carries something a real signer would never send (a header name that is not an HTTP
//     token, its own Authorization/X-Amz-* signing headers, a presigned query, a malformed
//     %-escape). A failure there is a disagreement between signer and verifier: a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "common/strings.h"

namespace {

using iamd::auth::HttpHeader;
using iamd::auth::HttpRequestView;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kServices[] = {"iam", "sts"};
constexpr int64_t kNow = 1795826565000;  // 2026-11-28T00:42:45Z

bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool IsSigningHeader(std::string_view name) {
  for (std::string_view reserved :
       {"authorization", "x-amz-date", "date", "x-amz-security-token", "x-amz-content-sha256"})
    if (iamd::EqualsIgnoreCase(name, reserved)) return true;
  return false;
}

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view method = !input.empty() && (input[0] & 1) ? "POST" : "GET";

  const size_t target_end = input.find('\n');
  const std::string_view target = input.substr(0, target_end);
  std::string_view rest =
      target_end == std::string_view::npos ? std::string_view() : input.substr(target_end + 1);
  std::vector<HttpHeader> headers;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    headers.emplace_back(line.substr(0, colon), colon == std::string_view::npos
                                                    ? std::string_view()
                                                    : line.substr(colon + 1));
  }
  const std::string_view body = rest;

  // 1. Parse whatever came in; if it parses, canonicalize and verify it.
  const HttpRequestView request{method, target, headers, body};
  if (iamd::Result<iamd::auth::SigV4Auth> auth = iamd::auth::ParseAuthorization(request)) {
    const std::string canonical = iamd::auth::CanonicalRequest(request, *auth);
    (void)iamd::auth::StringToSign(*auth, canonical);
    const iamd::Status status =
        iamd::auth::VerifySignature(request, *auth, kSecret, auth->request_time_millis, kServices);
    if (!status) Check(!status.error().message.empty());
  }

  // 2. Round trip through the signer.
  std::vector<HttpHeader> clean;
  bool has_host = false;
  for (const HttpHeader& header : headers) {
    if (!IsToken(header.first)) return 0;
    if (IsSigningHeader(header.first)) continue;
    has_host = has_host || iamd::EqualsIgnoreCase(header.first, "host");
    clean.push_back(header);
  }
  if (!has_host) clean.emplace_back("Host", "iam.amazonaws.com");
  const HttpRequestView unsigned_request{method, target, clean, body};
  const iamd::auth::SignedHeaders signed_headers = iamd::auth::SignRequest(
      unsigned_request, {"AKIAIOSFODNN7EXAMPLE", kSecret, "token/+="},
      {"us-east-1", (input.size() & 2) ? "sts" : "iam", kNow, (input.size() & 4) != 0});
  clean.emplace_back("X-Amz-Date", signed_headers.amz_date);
  clean.emplace_back("X-Amz-Security-Token", "token/+=");
  if (!signed_headers.content_sha256.empty())
    clean.emplace_back("X-Amz-Content-SHA256", signed_headers.content_sha256);
  clean.emplace_back("Authorization", signed_headers.authorization);
  const HttpRequestView signed_request{method, target, clean, body};
  iamd::Result<iamd::auth::SigV4Auth> auth = iamd::auth::ParseAuthorization(signed_request);
  if (!auth) {
    // Only the query can make a signed request unparseable: a bad escape, or X-Amz-Algorithm
    // next to the Authorization header.
    Check(auth.error().code == iamd::ErrorCode::kMalformedQueryString ||
          auth.error().code == iamd::ErrorCode::kSignatureDoesNotMatch);
    return 0;
  }
  const iamd::Status status =
      iamd::auth::VerifySignature(signed_request, *auth, kSecret, kNow, kServices);
  Check(status.has_value());
  Check(auth->security_token == "token/+=");
  return 0;
}
