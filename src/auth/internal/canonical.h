// The pieces of SigV4 canonicalization that parsing, verifying and signing share.
// Internal to src/auth: other modules must not include this header. All functions are pure.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "auth/internal/crypto.h"
#include "auth/sigv4.h"

namespace iamd::auth::internal {

// "/a?b=c" -> {"/a", "b=c"}.
struct SplitTargetResult {
  std::string_view path;
  std::string_view query;
};
SplitTargetResult SplitTarget(std::string_view target);

// The first value of the header called `lowercase_name` (compared without case), if any.
std::optional<std::string_view> FindHeader(std::span<const HttpHeader> headers,
                                           std::string_view lowercase_name);

// Whitespace as header canonicalization sees it: SP, HT, CR, LF (a folded header line
// contributes its line break; botocore's str.split() treats all four alike).
inline bool IsHeaderSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
std::string_view TrimHeaderSpace(std::string_view s);

// Decodes one query key or value: %XX escapes, and '+' as a space (AWS's Query protocol reads
// '+' as a space, so that is what the client meant). Nullopt for a malformed escape.
std::optional<std::string> DecodeQueryComponent(std::string_view text);

// Nullopt if every %-escape in `query` is well formed; otherwise AWS's message for the first
// bad one ("Incomplete trailing escape % sequence", "Illegal hex character in escape % pattern:
// %xy").
std::optional<std::string> FindMalformedEscape(std::string_view query);

// The path with "." and ".." segments and repeated slashes removed (RFC 3986 5.2.4, as botocore
// and aws-c-auth do it for services other than S3); empty becomes "/".
std::string NormalizePath(std::string_view path);

// The canonical request for `auth`, with `payload_hash` (64 hex characters) as its last line.
void AppendCanonicalRequest(std::string& out, const HttpRequestView& request, const SigV4Auth& auth,
                            std::string_view payload_hash);
// SHA-256 of the same bytes, computed without building the string (the verifier's hot path).
Digest HashCanonicalRequest(const HttpRequestView& request, const SigV4Auth& auth,
                            std::string_view payload_hash);

// HMAC-SHA256 of the string to sign for `auth` and a hashed canonical request, as hex.
HexDigest SignatureFor(const Digest& signing_key, const SigV4Auth& auth,
                       const Digest& canonical_request_hash);

}  // namespace iamd::auth::internal
