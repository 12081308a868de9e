// libFuzzer target for the checks of uploaded certificates: auth::IsPemCertificate (signing
// certificates) and auth::CheckServerCertificate (a server certificate, its private key and
// chain): OpenSSL's PEM and DER readers behind iamd's rules.
// The input is split at the first two NUL bytes into body, private key and chain (no second
// NUL: no chain). Checks beyond "no crash, no sanitizer report": an accepted body stays
// accepted with blank lines before it and a newline after it (the rule allows that white
// space), and a body CheckServerCertificate accepts is one IsPemCertificate accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "auth/certificates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t first = text.find('\0');
  std::string_view body = text.substr(0, first);
  if (iamd::auth::IsPemCertificate(body) &&
      !iamd::auth::IsPemCertificate("\n\n" + std::string(body) + "\n"))
    std::abort();
  if (first == std::string_view::npos) return 0;
  std::string_view rest = text.substr(first + 1);
  const size_t second = rest.find('\0');
  std::optional<std::string_view> chain;
  if (second != std::string_view::npos) chain = rest.substr(second + 1);
  if (iamd::auth::CheckServerCertificate(body, rest.substr(0, second), chain) &&
      !iamd::auth::IsPemCertificate(body))
    std::abort();
  return 0;
}
