// libFuzzer target for the check of uploaded signing certificates (auth::IsPemCertificate):
// OpenSSL's PEM and DER readers behind iamd's "exactly one certificate" rule.
// Check beyond "no crash, no sanitizer report": an accepted body stays accepted with blank
// lines before it and a newline after it (the rule allows that white space).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/certificates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (iamd::auth::IsPemCertificate(text) &&
      !iamd::auth::IsPemCertificate("\n\n" + std::string(text) + "\n"))
    std::abort();
  return 0;
}
