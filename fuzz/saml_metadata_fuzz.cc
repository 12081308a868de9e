// libFuzzer target for the check of SAML metadata documents (auth::IsSamlMetadata): the XML
// parser (Boost.PropertyTree's) behind iamd's "one EntityDescriptor root" rule.
// Check beyond "no crash, no sanitizer report": an accepted document stays accepted with an
// XML comment before its root (after the XML declaration, if any): comments at the top level
// are allowed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth/saml_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!iamd::auth::IsSamlMetadata(text)) return 0;
  size_t at = 0;
  if (text.starts_with("<?xml")) {
    at = text.find("?>");
    if (at == std::string::npos) return 0;
    at += 2;
  }
  text.insert(at, "<!-- comment -->\n");
  if (!iamd::auth::IsSamlMetadata(text)) std::abort();
  return 0;
}
