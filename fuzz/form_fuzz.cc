// libFuzzer target for the text parsers every request goes through before authentication:
// form/query decoding, percent-decoding, base64 (markers), ISO 8601 dates and ARNs; and the
// JSON escaping of what requests carry into JSON documents (tokens, logs, credentials).
// Checks beyond "no crash, no sanitizer report": encode/decode round trips, and that escaped
// text is always a valid JSON string body (RFC 8259 §7, §8.1).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/arn.h"
#include "common/strings.h"
#include "common/time.h"
#include "common/url.h"

namespace {
bool IsJsonStringBody(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c < 0x20) return false;
    if (c == '\\') {
      if (i + 1 >= s.size()) return false;
      const char e = s[i + 1];
      if (e == 'u') {
        if (i + 6 > s.size()) return false;
        for (size_t k = i + 2; k < i + 6; ++k)
          if (!std::isxdigit(static_cast<unsigned char>(s[k]))) return false;
        i += 6;
      } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
        i += 2;
      } else {
        return false;
      }
    } else if (c >= 0x80) {
      if (iamd::NextUtf8CodePoint(s, i) < 0) return false;
    } else {
      ++i;
    }
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto pairs = iamd::ParseFormEncoded(text))
    for (const auto& [k, v] : *pairs) {
      // Whatever decodes must survive an encode/decode round trip unchanged.
      auto back = iamd::PercentDecode(iamd::PercentEncode(v), false);
      if (!back || *back != v) std::abort();
      (void)k;
    }
  if (auto decoded = iamd::Base64Decode(text))
    if (iamd::Base64Encode(*decoded) != text) std::abort();
  if (auto millis = iamd::ParseIso8601Millis(text)) (void)iamd::FormatIso8601(*millis);
  if (auto arn = iamd::ParseArn(text)) (void)iamd::SplitIamResource(arn->resource, "role");
  std::string escaped;
  iamd::AppendJsonEscaped(escaped, text);
  if (!IsJsonStringBody(escaped)) std::abort();
  return 0;
}
