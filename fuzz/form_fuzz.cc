// libFuzzer target for the text parsers every request goes through before authentication:
// form/query decoding, percent-decoding, base64 (markers), ISO 8601 dates and ARNs.
// Checks beyond "no crash, no sanitizer report": encode/decode round trips.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/arn.h"
#include "common/strings.h"
#include "common/time.h"
#include "common/url.h"

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
  return 0;
}
