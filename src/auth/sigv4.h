// AWS Signature Version 4, as IAM and STS check it: read what a request says about its
// signature, rebuild the canonical request exactly as AWS does for services other than S3
// (normalized path, path encoded twice), and verify the signature in constant time. Also a
// client-side signer, for tests and benchmarks.
//
// On the server, per request:
//   1. ParseAuthorization(request): syntax (MissingAuthenticationToken, IncompleteSignature...)
//   2. look up auth.access_key_id: an unknown key is InvalidClientTokenId (the caller's job)
//   3. VerifySignature(request, auth, ...): time window, credential scope, then the signature
// Every error carries AWS's code (through iamd::ErrorCode) and AWS's message; the .cc files say
// where each message was checked. AWS checks the 15-minute window before the host, algorithm
// and credential-shape checks that ParseAuthorization makes, so a request with two faults can
// get a different (still AWS-worded) error than AWS would give it.
//
// Ownership: HttpRequestView borrows from the caller; SigV4Auth owns copies of what it holds.
// Thread-safety: every function is thread-safe. VerifySignature shares a process-wide cache of
// derived signing keys (keyed by secret, date, region and service; internally synchronized).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"

namespace iamd::auth {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
// How far a request's time may be from the server's, either way (AWS: 15 minutes).
inline constexpr int64_t kMaxClockSkewSeconds = int64_t{15} * 60;
// The longest X-Amz-Expires AWS accepts for a presigned request (seven days).
inline constexpr int64_t kMaxPresignedExpiresSeconds = int64_t{7} * 24 * 60 * 60;

using HttpHeader = std::pair<std::string_view, std::string_view>;

// A request as the HTTP layer received it. Views borrow from the caller.
struct HttpRequestView {
  std::string_view method;              // "POST"
  std::string_view target;              // raw request-target: path plus optional "?query"
  std::span<const HttpHeader> headers;  // in order; names in any case; duplicates possible
  std::string_view body;
};

// What a request says about its signature: from the Authorization header, or for a presigned
// request from the X-Amz-* query parameters (percent-decoded).
struct SigV4Auth {
  std::string access_key_id;                // "AKIDEXAMPLE"
  std::string scope_date;                   // "20150830": the date in the credential scope
  std::string region;                       // "us-east-1"
  std::string service;                      // "iam"
  std::string terminator = "aws4_request";  // as sent; VerifySignature checks it
  std::string signed_headers;       // lowercase, sorted, ';'-joined: "content-type;host;x-amz-date"
  std::string signature;            // hex, as sent
  std::string amz_date;             // request time, ISO 8601 basic: "20150830T123600Z"
  int64_t request_time_millis = 0;  // the same instant, from X-Amz-Date or else Date
  std::string security_token;    // X-Amz-Security-Token, empty when absent; the caller validates it
  bool presigned = false;        // signed in the query string rather than the Authorization header
  int64_t expires_seconds = -1;  // X-Amz-Expires of a presigned request; -1 when absent

  // "20150830/us-east-1/iam/aws4_request"
  std::string CredentialScope() const;
};

// Reads the Authorization header (the first one), or, when the query has X-Amz-Algorithm, the
// presigned parameters. Errors, checked in this order:
//  - a malformed %-escape in the query -> MalformedQueryString (404)
//  - both forms present -> SignatureDoesNotMatch; neither, a header not starting "AWS4-", or a
//    presigned algorithm other than AWS4-HMAC-SHA256 -> MissingAuthenticationToken "Request is
//    missing Authentication Token"
//  - a header parameter without '=' -> IncompleteSignature
//  - missing Credential, Signature, SignedHeaders or date (X-Amz-Date, else Date; for a
//    presigned request X-Amz-Date) -> IncompleteSignature, every missing one in one message
//  - presigned: X-Amz-Expires not an integer in [0, 604800] -> IncompleteSignature
//  - a date not in ISO 8601 basic format (a Date header may also be an HTTP date) ->
//    IncompleteSignature
//  - `host` not among the signed headers -> SignatureDoesNotMatch
//  - an algorithm other than AWS4-HMAC-SHA256 -> IncompleteSignature
//  - a credential without five '/'-separated parts -> IncompleteSignature
// HTTP statuses (iamd::Describe): IncompleteSignature 400, MalformedQueryString 404, others 403.
Result<SigV4Auth> ParseAuthorization(const HttpRequestView& request);

// Checks, in AWS's order, and returns the first failure (all 403 unless noted):
//  - the request time is within kMaxClockSkewSeconds of `now_millis` (exactly 15 minutes is
//    still accepted) -> SignatureDoesNotMatch "Signature expired: ..." / "Signature not yet
//    current: ..."; for a presigned request also request time + X-Amz-Expires >= now ->
//    AccessDenied "Request has expired"
//  - the credential scope: non-empty region (any region is accepted), service one of
//    `accepted_services` (the message names the first), terminator "aws4_request", scope date
//    equal to the request's date -> SignatureDoesNotMatch, all failing parts in one message
//  - the signature recomputed with `secret_access_key` equals the one sent (constant-time) ->
//    SignatureDoesNotMatch "The request signature we calculated does not match ...", followed,
//    as AWS does, by the canonical request and string to sign the server computed.
// The payload hash is always the SHA-256 of `request.body`: a signed X-Amz-Content-SHA256 that
// differs from the body therefore fails as a signature mismatch rather than being trusted.
// `auth` must come from ParseAuthorization(request).
Status VerifySignature(const HttpRequestView& request, const SigV4Auth& auth,
                       std::string_view secret_access_key, int64_t now_millis,
                       std::span<const std::string_view> accepted_services);

// Building blocks, public for tests and the signer.

// The canonical request, for a service other than S3:
//   METHOD \n path \n query \n headers \n signed-header-list \n hex(sha256(body))
// Path: dot segments and repeated slashes removed, then every byte but unreserved ones and '/'
// %-encoded (so an already-encoded path is encoded a second time). Query: each parameter
// decoded ('+' is a space) and re-encoded, sorted by key then value; for a presigned request
// without X-Amz-Signature. Headers: those named in auth.signed_headers, names lowercased,
// values trimmed with inner whitespace runs collapsed, repeated headers joined with ','.
std::string CanonicalRequest(const HttpRequestView& request, const SigV4Auth& auth);

// "AWS4-HMAC-SHA256\n" amz_date "\n" scope "\n" hex(sha256(canonical_request))
std::string StringToSign(const SigV4Auth& auth, std::string_view canonical_request);

// kSigning, 32 raw bytes (not hex), derived from the secret through date, region and service.
std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);

// Hex HMAC-SHA256 of `string_to_sign` under the key DeriveSigningKey gives for `auth`'s scope.
std::string ComputeSignature(const SigV4Auth& auth, std::string_view secret_access_key,
                             std::string_view string_to_sign);

// Client-side signing.

struct SigningCredentials {
  std::string_view access_key_id;
  std::string_view secret_access_key;
  std::string_view session_token;  // empty for long-term keys
};

struct SigningOptions {
  std::string_view region;   // "us-east-1"
  std::string_view service;  // "iam"
  int64_t now_millis = 0;
  // Also send and sign X-Amz-Content-SHA256 (as S3 clients and the test suite's sign_body do).
  bool add_content_sha256 = false;
};

// What to add to the request before sending it.
struct SignedHeaders {
  std::string authorization;   // the Authorization header's value
  std::string amz_date;        // the X-Amz-Date header's value
  std::string content_sha256;  // the X-Amz-Content-SHA256 header's value, if asked for
  // Also send X-Amz-Security-Token: credentials.session_token when it is not empty.
};

// Signs `request` as botocore does: every header of `request.headers` except the hop-by-hop
// ones botocore leaves out (user-agent, expect, connection, ...), plus X-Amz-Date, the session
// token and the content hash, which the caller must send with the returned values.
// `request.headers` must include Host and must not include Authorization or X-Amz-Date.
SignedHeaders SignRequest(const HttpRequestView& request, const SigningCredentials& credentials,
                          const SigningOptions& options);

}  // namespace iamd::auth
