#include "auth/sigv4.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "auth/internal/canonical.h"
#include "auth/internal/crypto.h"
#include "auth/internal/signing_key_cache.h"
#include "common/strings.h"
#include "common/time.h"

// Where the messages come from. AWS does not publish its verifier; its messages are known from
// responses recorded against real services and kept in public code and issue threads:
//  - dynalite (mhart/dynalite, validations in index.js), recorded against DynamoDB, which runs
//    on the same authentication stack: the order of checks, "Request is missing Authentication
//    Token", "Authorization header requires 'X' parameter. ... Authorization=<header>", the
//    key=value message, "Date must be in ISO-8601 'basic format'...", "Unsupported AWS
//    'algorithm': ... (only AWS4-HMAC-SHA256 for now). ", "Credential must have exactly 5
//    slash-delimited elements...", the four credential-scope messages joined, "Found both
//    'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.", "AWS
//    query-string parameters must include 'X'. Re-examine the query-string parameters."
//  - the same messages from IAM, STS, SES and others in GitHub issues (aws/aws-sdk-go#1042 and
//    hashicorp/vault#2277 for IAM's "Credential must have exactly 5 ...", cognitect-labs/aws-api#27
//    for STS's "Credential should be scoped to a valid region, not 'ap-southeast-2'. ",
//    brendanhay/amazonka#316 for SES's IncompleteSignature text, devsecops/bootcamp#101 for STS's
//    "Signature expired: ... (... - 15 min.)", boto/boto3#756 for STS's signature mismatch
//    followed by the canonical string and string to sign).
//  - scratchstack-aws-signature (dacut), a reimplementation of AWS's error ordering: "'Host' or
//    ':authority' must be a 'SignedHeader' in the AWS Authorization.", the malformed-escape
//    messages, "Signature not yet current: ... is still later than ... (... + 15 min.)".
//  - AWS's SigV4 troubleshooting guide for the credential-scope and expiry wording.
//  - S3's presigned-URL messages for X-Amz-Expires ("X-Amz-Expires should be a number", "...
//    must be non-negative", "... must be less than a week ...", AccessDenied "Request has
//    expired"): IAM and STS document none of their own.

namespace iamd::auth {
namespace {

using internal::Digest;
using internal::HexDigest;

constexpr std::string_view kTerminator = "aws4_request";
constexpr std::string_view kMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
constexpr std::string_view kMissingToken = "Request is missing Authentication Token";
constexpr std::string_view kHostNotSigned =
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// Separators between Authorization parameters: AWS splits on commas and whitespace alike.
constexpr std::array<bool, 256> kParamSeparators = [] {
  std::array<bool, 256> table{};
  table[' '] = table['\t'] = table[','] = true;
  return table;
}();
bool IsParamSeparator(char c) { return kParamSeparators[static_cast<unsigned char>(c)]; }

// The first separator at or after `from`, or npos. Parameters are long (a signature is 64
// characters): three vectorised searches beat a loop over every character.
size_t FindParamSeparator(std::string_view s, size_t from) {
  size_t first = std::string_view::npos;
  for (char separator : {',', ' ', '\t'}) {
    const size_t at = s.find(separator, from);
    if (at < first) {
      first = at;
      s = s.substr(0, at);  // later searches need not look past it
    }
  }
  return first;
}

// --- Dates ---------------------------------------------------------------------------------

struct RequestTime {
  int64_t millis;
  std::string amz_date;  // ISO 8601 basic, as it goes into the string to sign
};

// An HTTP date (RFC 9110 IMF-fixdate): "Sun, 30 Aug 2015 12:36:00 GMT". Rewritten as
// "20150830T123600Z" and checked by the strict ISO parser (digits, day of month, leap years).
std::optional<int64_t> ParseHttpDateMillis(std::string_view s) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(8, 3) == kMonths[i]) month = i + 1;
  if (month == 0) return std::nullopt;
  // "Sun, 30 Aug 2015 12:36:00 GMT" -> "20150830T123600Z"
  char iso[16];
  s.copy(iso, 4, 12);  // year
  iso[4] = static_cast<char>('0' + month / 10);
  iso[5] = static_cast<char>('0' + month % 10);
  s.copy(iso + 6, 2, 5);  // day
  iso[8] = 'T';
  s.copy(iso + 9, 2, 17);   // hour
  s.copy(iso + 11, 2, 20);  // minute
  s.copy(iso + 13, 2, 23);  // second
  iso[15] = 'Z';
  return ParseAmzDateMillis(std::string_view(iso, sizeof iso));
}

// X-Amz-Date must be ISO 8601 basic; a Date header may also be an HTTP date ("ISO-8601 version
// of date from HTTP", in AWS's words), which is then signed in its ISO form.
Result<RequestTime> ParseRequestTime(std::string_view raw, bool allow_http_date) {
  const std::string_view text = TrimAscii(raw);
  if (std::optional<int64_t> millis = ParseAmzDateMillis(text))
    return RequestTime{*millis, std::string(text)};
  if (allow_http_date) {
    if (std::optional<int64_t> millis = ParseHttpDateMillis(text))
      return RequestTime{*millis, FormatAmzDate(*millis)};
  }
  return Fail(ErrorCode::kIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '" +
                                                   std::string(raw) +
                                                   "'. See http://en.wikipedia.org/wiki/ISO_8601");
}

// --- Shared parsing steps --------------------------------------------------------------------

// Lowercase, sorted, ';'-joined. AWS compares signed header names without case.
std::string NormalizeSignedHeaders(std::string_view list) {
  bool canonical = true;
  std::string_view previous;
  std::string_view rest = list;
  while (canonical) {
    const size_t semi = rest.find(';');
    const std::string_view name = rest.substr(0, semi);
    for (char c : name)
      if (c >= 'A' && c <= 'Z') canonical = false;
    if (name < previous) canonical = false;
    previous = name;
    if (semi == std::string_view::npos) break;
    rest = rest.substr(semi + 1);
  }
  if (canonical) return std::string(list);  // what every SDK sends
  std::vector<std::string> names;
  rest = list;
  while (true) {
    const size_t semi = rest.find(';');
    names.push_back(AsciiLower(rest.substr(0, semi)));
    if (semi == std::string_view::npos) break;
    rest = rest.substr(semi + 1);
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += names[i];
  }
  return out;
}

bool SignsHost(std::string_view normalized_signed_headers) {
  std::string_view rest = normalized_signed_headers;
  while (true) {
    const size_t semi = rest.find(';');
    const std::string_view name = rest.substr(0, semi);
    if (name == "host" || name == ":authority") return true;
    if (semi == std::string_view::npos) return false;
    rest = rest.substr(semi + 1);
  }
}

// keyid/date/region/service/terminator. Split as AWS's Java does (String.split drops trailing
// empty strings), so "a/b/c/d/e/" has five elements and "a/b/c/d/" has four.
Status ParseCredential(std::string_view credential, SigV4Auth& auth) {
  std::string_view trimmed = credential;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  std::array<std::string_view, 5> parts;
  size_t count = 0;  // elements seen, even past the fifth
  if (!trimmed.empty()) {
    size_t start = 0;
    while (true) {
      const size_t slash = trimmed.find('/', start);
      if (count < parts.size()) parts[count] = trimmed.substr(start, slash - start);
      ++count;
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
  }
  if (count != 5) {
    return Fail(ErrorCode::kIncompleteSignature,
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                "keyid/date/region/service/term, got '" +
                    std::string(credential) + "'");
  }
  auth.access_key_id = parts[0];
  auth.scope_date = parts[1];
  auth.region = parts[2];
  auth.service = parts[3];
  auth.terminator = parts[4];
  return {};
}

Status CheckAlgorithm(std::string_view algorithm) {
  if (algorithm == kSigV4Algorithm) return {};
  return Fail(ErrorCode::kIncompleteSignature, "Unsupported AWS 'algorithm': '" +
                                                   std::string(algorithm) +
                                                   "' (only AWS4-HMAC-SHA256 for now). ");
}

// --- Authorization header --------------------------------------------------------------------

Result<SigV4Auth> ParseHeaderAuthorization(const HttpRequestView& request,
                                           std::string_view header) {
  const std::string_view value = TrimAscii(header);
  if (!StartsWith(value, "AWS4-"))
    return Fail(ErrorCode::kMissingAuthenticationToken, std::string(kMissingToken));
  size_t algorithm_end = 0;
  while (algorithm_end < value.size() && !IsParamSeparator(value[algorithm_end])) ++algorithm_end;
  const std::string_view algorithm = value.substr(0, algorithm_end);

  // AWS splits the parameters on commas and whitespace alike ("Credential= AKID/..." is two
  // tokens, and the second lacks '='). A repeated parameter: the last one counts.
  std::optional<std::string_view> credential, signature, signed_headers;
  std::string_view rest = value.substr(algorithm_end);
  while (!rest.empty()) {
    size_t start = 0;
    while (start < rest.size() && IsParamSeparator(rest[start])) ++start;
    const size_t end = std::min(FindParamSeparator(rest, start), rest.size());
    const std::string_view token = rest.substr(start, end - start);
    rest = rest.substr(end);
    if (token.empty()) continue;
    const size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      return Fail(ErrorCode::kIncompleteSignature,
                  "'" + std::string(token) +
                      "' not a valid key=value pair (missing equal-sign) in Authorization "
                      "header: '" +
                      std::string(header) + "'.");
    }
    const std::string_view key = token.substr(0, eq);
    const std::string_view param = token.substr(eq + 1);
    if (key == "Credential")
      credential = param;
    else if (key == "Signature")
      signature = param;
    else if (key == "SignedHeaders")
      signed_headers = param;
  }

  std::optional<std::string_view> date = internal::FindHeader(request.headers, "x-amz-date");
  const bool from_amz_date = date.has_value();
  if (!date) date = internal::FindHeader(request.headers, "date");

  // An empty Credential or Signature counts as missing; an empty SignedHeaders does not (it
  // then fails the host check instead).
  std::string missing;
  if (!credential || credential->empty())
    missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature || signature->empty())
    missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!date) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) {
    return Fail(ErrorCode::kIncompleteSignature, missing + "Authorization=" + std::string(header));
  }

  Result<RequestTime> time = ParseRequestTime(*date, /*allow_http_date=*/!from_amz_date);
  if (!time) return std::unexpected(std::move(time).error());
  SigV4Auth auth;
  auth.signed_headers = NormalizeSignedHeaders(*signed_headers);
  if (!SignsHost(auth.signed_headers))
    return Fail(ErrorCode::kSignatureDoesNotMatch, std::string(kHostNotSigned));
  IAMD_TRY(CheckAlgorithm(algorithm));
  IAMD_TRY(ParseCredential(*credential, auth));
  auth.signature = *signature;
  auth.amz_date = std::move(time->amz_date);
  auth.request_time_millis = time->millis;
  if (std::optional<std::string_view> token =
          internal::FindHeader(request.headers, "x-amz-security-token"))
    auth.security_token = TrimAscii(*token);
  return auth;
}

// --- Presigned query ---------------------------------------------------------------------------

// The first parameter whose decoded key is `name`, decoded; nullopt if there is none.
// The caller has already rejected malformed escapes.
std::optional<std::string> QueryParam(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    const std::string_view raw_key = pair.substr(0, eq);
    const bool encoded = raw_key.find_first_of("%+") != std::string_view::npos;
    if (encoded ? internal::DecodeQueryComponent(raw_key) != name : raw_key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return internal::DecodeQueryComponent(pair.substr(eq + 1)).value_or(std::string());
  }
  return std::nullopt;
}

Result<SigV4Auth> ParseQueryAuthorization(std::string_view query, std::string_view algorithm) {
  if (algorithm != kSigV4Algorithm)
    return Fail(ErrorCode::kMissingAuthenticationToken, std::string(kMissingToken));
  const std::optional<std::string> credential = QueryParam(query, "X-Amz-Credential");
  const std::optional<std::string> signature = QueryParam(query, "X-Amz-Signature");
  const std::optional<std::string> signed_headers = QueryParam(query, "X-Amz-SignedHeaders");
  const std::optional<std::string> date = QueryParam(query, "X-Amz-Date");
  std::string missing;
  if (!credential || credential->empty())
    missing += "AWS query-string parameters must include 'X-Amz-Credential'. ";
  if (!signature || signature->empty())
    missing += "AWS query-string parameters must include 'X-Amz-Signature'. ";
  if (!signed_headers)
    missing += "AWS query-string parameters must include 'X-Amz-SignedHeaders'. ";
  if (!date || date->empty()) missing += "AWS query-string parameters must include 'X-Amz-Date'. ";
  if (!missing.empty())
    return Fail(ErrorCode::kIncompleteSignature,
                missing + "Re-examine the query-string parameters.");

  SigV4Auth auth;
  auth.presigned = true;
  if (std::optional<std::string> expires = QueryParam(query, "X-Amz-Expires")) {
    const std::optional<int64_t> seconds = ParseInt64(*expires);
    if (!seconds) return Fail(ErrorCode::kIncompleteSignature, "X-Amz-Expires should be a number");
    if (*seconds < 0)
      return Fail(ErrorCode::kIncompleteSignature, "X-Amz-Expires must be non-negative");
    if (*seconds > kMaxPresignedExpiresSeconds) {
      return Fail(ErrorCode::kIncompleteSignature,
                  "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                  "X-Amz-Expires must be less than 604800 seconds");
    }
    auth.expires_seconds = *seconds;
  }
  Result<RequestTime> time = ParseRequestTime(*date, /*allow_http_date=*/false);
  if (!time) return std::unexpected(std::move(time).error());
  auth.signed_headers = NormalizeSignedHeaders(*signed_headers);
  if (!SignsHost(auth.signed_headers))
    return Fail(ErrorCode::kSignatureDoesNotMatch, std::string(kHostNotSigned));
  IAMD_TRY(ParseCredential(*credential, auth));
  auth.signature = *signature;
  auth.amz_date = std::move(time->amz_date);
  auth.request_time_millis = time->millis;
  if (std::optional<std::string> token = QueryParam(query, "X-Amz-Security-Token"))
    auth.security_token = std::move(*token);
  return auth;
}

// --- Verification ------------------------------------------------------------------------------

Status CheckTime(const SigV4Auth& auth, int64_t now_millis) {
  const int64_t now = FloorDiv(now_millis, 1000);
  const int64_t at = FloorDiv(auth.request_time_millis, 1000);
  auto format = [](int64_t seconds) { return FormatAmzDate(seconds * 1000); };
  if (at < now - kMaxClockSkewSeconds) {
    return Fail(ErrorCode::kSignatureDoesNotMatch,
                "Signature expired: " + auth.amz_date + " is now earlier than " +
                    format(now - kMaxClockSkewSeconds) + " (" + format(now) + " - 15 min.)");
  }
  if (at > now + kMaxClockSkewSeconds) {
    return Fail(ErrorCode::kSignatureDoesNotMatch,
                "Signature not yet current: " + auth.amz_date + " is still later than " +
                    format(now + kMaxClockSkewSeconds) + " (" + format(now) + " + 15 min.)");
  }
  // STS is reported to hold presigned requests to the 15 minutes above whatever X-Amz-Expires
  // says (aws/aws-sdk-go#2167); a shorter X-Amz-Expires is honoured too, as S3 does.
  if (auth.presigned && auth.expires_seconds >= 0 && now > at + auth.expires_seconds)
    return Fail(ErrorCode::kAccessDenied, "Request has expired");
  return {};
}

Status CheckScope(const SigV4Auth& auth, std::span<const std::string_view> accepted_services) {
  // Every failing part is reported, in this order, each ending in ". " but the last (the date),
  // exactly as AWS joins them.
  std::string errors;
  if (auth.region.empty()) errors += "Credential should be scoped to a valid region, not ''. ";
  if (std::find(accepted_services.begin(), accepted_services.end(), auth.service) ==
      accepted_services.end()) {
    errors += "Credential should be scoped to correct service: '";
    if (!accepted_services.empty()) errors += accepted_services.front();
    errors += "'. ";
  }
  if (auth.terminator != kTerminator) {
    errors += "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
              auth.terminator + "'. ";
  }
  const std::string_view request_date = std::string_view(auth.amz_date).substr(0, 8);
  if (auth.scope_date != request_date) {
    errors +=
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
        "from HTTP: '" +
        auth.scope_date + "' != '" + std::string(request_date) + "', from '" + auth.amz_date + "'.";
  }
  if (!errors.empty()) return Fail(ErrorCode::kSignatureDoesNotMatch, std::move(errors));
  return {};
}

}  // namespace

std::string SigV4Auth::CredentialScope() const {
  std::string scope;
  scope.reserve(scope_date.size() + region.size() + service.size() + terminator.size() + 3);
  scope.append(scope_date).append("/").append(region).append("/").append(service);
  scope.append("/").append(terminator);
  return scope;
}

Result<SigV4Auth> ParseAuthorization(const HttpRequestView& request) {
  const std::string_view query = internal::SplitTarget(request.target).query;
  if (std::optional<std::string> bad = internal::FindMalformedEscape(query))
    return Fail(ErrorCode::kMalformedQueryString, std::move(*bad));
  const std::optional<std::string_view> header =
      internal::FindHeader(request.headers, "authorization");
  const bool has_header = header.has_value() && !TrimAscii(*header).empty();
  const std::optional<std::string> algorithm = QueryParam(query, "X-Amz-Algorithm");
  if (has_header && algorithm) {
    return Fail(ErrorCode::kSignatureDoesNotMatch,
                "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as "
                "HTTP header.");
  }
  if (has_header) return ParseHeaderAuthorization(request, *header);
  if (algorithm) return ParseQueryAuthorization(query, *algorithm);
  return Fail(ErrorCode::kMissingAuthenticationToken, std::string(kMissingToken));
}

Status VerifySignature(const HttpRequestView& request, const SigV4Auth& auth,
                       std::string_view secret_access_key, int64_t now_millis,
                       std::span<const std::string_view> accepted_services) {
  IAMD_TRY(CheckTime(auth, now_millis));
  IAMD_TRY(CheckScope(auth, accepted_services));
  const HexDigest payload_hash = internal::ToHex(internal::Sha256Of(request.body));
  const Digest canonical_hash =
      internal::HashCanonicalRequest(request, auth, internal::AsStringView(payload_hash));
  const Digest signing_key = internal::SigningKeyCache::Global().Get(
      secret_access_key, auth.scope_date, auth.region, auth.service);
  const HexDigest expected = internal::SignatureFor(signing_key, auth, canonical_hash);
  if (internal::ConstantTimeEquals(internal::AsStringView(expected), auth.signature)) return {};
  // The slow path may allocate: AWS tells the client what it computed, so the client can diff.
  const std::string canonical = CanonicalRequest(request, auth);
  return Fail(ErrorCode::kSignatureDoesNotMatch,
              std::string(kMismatchMessage) +
                  "\n\nThe Canonical String for this request should have been\n'" + canonical +
                  "'\n\nThe String-to-Sign should have been\n'" + StringToSign(auth, canonical) +
                  "'\n");
}

std::string CanonicalRequest(const HttpRequestView& request, const SigV4Auth& auth) {
  const HexDigest payload_hash = internal::ToHex(internal::Sha256Of(request.body));
  std::string out;
  out.reserve(256 + request.target.size() + auth.signed_headers.size());
  internal::AppendCanonicalRequest(out, request, auth, internal::AsStringView(payload_hash));
  return out;
}

std::string StringToSign(const SigV4Auth& auth, std::string_view canonical_request) {
  const HexDigest hash = internal::ToHex(internal::Sha256Of(canonical_request));
  std::string out;
  out.append(kSigV4Algorithm).append("\n").append(auth.amz_date).append("\n");
  out.append(auth.CredentialScope()).append("\n").append(internal::AsStringView(hash));
  return out;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  return std::string(
      internal::AsStringView(internal::DeriveSigningKeyDigest(secret, date, region, service)));
}

std::string ComputeSignature(const SigV4Auth& auth, std::string_view secret_access_key,
                             std::string_view string_to_sign) {
  const Digest key = internal::DeriveSigningKeyDigest(secret_access_key, auth.scope_date,
                                                      auth.region, auth.service);
  return std::string(internal::AsStringView(
      internal::ToHex(internal::HmacSha256(internal::AsStringView(key), string_to_sign))));
}

}  // namespace iamd::auth
