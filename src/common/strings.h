// Small ASCII string helpers used across modules. All are pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iamd {

inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the usual case: both already lowercase
  for (size_t i = 0; i < a.size(); ++i)
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  return true;
}

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parses a decimal integer (optional leading '-'); the whole text must be the number.
std::optional<int64_t> ParseInt64(std::string_view s);

// Lowercase hexadecimal of bytes.
std::string HexEncode(std::string_view bytes);

// Appends `text` to `out` as the body of a JSON string (no quotes), always valid JSON (RFC
// 8259): " and \ escaped, control characters as \n, \t, \r, \b, \f or \u00XX, UTF-8 as it is,
// and each byte that is not part of well-formed UTF-8 as \ufffd.
void AppendJsonEscaped(std::string& out, std::string_view text);

// Decodes the UTF-8 code point at `i` (< s.size()) and moves `i` past it; -1, with `i`
// unchanged, for a malformed or overlong sequence, a surrogate or a value past U+10FFFF.
int32_t NextUtf8CodePoint(std::string_view s, size_t& i);

// Standard base64 with padding, and its inverse (nullopt on malformed input).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);
// base64url without padding (RFC 4648 section 5; RFC 7515 section 2, as JWS and JWK use it),
// and its inverse: nullopt on malformed input, padding and the standard alphabet's + and /
// included.
std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace iamd
