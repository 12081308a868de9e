// Percent-encoding as the Query protocol and SigV4 use it. Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamd {

// Decodes %XX escapes; with `plus_is_space`, `+` becomes a space (form encoding).
// Returns nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ becomes %XX (uppercase hex); space is
// %20. With `keep_slash`, '/' is left as is (SigV4 canonical paths). This is also how IAM
// returns policy documents (botocore URL-decodes them; `+` would not be decoded).
std::string PercentEncode(std::string_view text, bool keep_slash = false);
void AppendPercentEncoded(std::string& out, std::string_view text, bool keep_slash = false);

// Splits `a=1&b=2` into decoded pairs, in order. A key without '=' has an empty value.
// Returns nullopt for a malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseFormEncoded(
    std::string_view body);

}  // namespace iamd
