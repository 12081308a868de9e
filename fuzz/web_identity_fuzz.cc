// libFuzzer target for AssumeRoleWithWebIdentity's parsers (src/auth/web_identity.h): a JSON
// Web Key Set and an ID token, base64url and JSON behind them, and the signature check.
// The input is split at its first NUL byte into a key set and a token (no NUL: the whole input
// is tried as both). Checks beyond "no crash, no sanitizer report": a parsed token's signing
// input is the token up to its last dot, and a token that verifies names one of the six
// algorithms iamd verifies.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/web_identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr std::array<std::string_view, 6> kVerified = {"RS256", "RS384", "RS512",
                                                                "ES256", "ES384", "ES512"};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t nul = text.find('\0');
  std::string_view jwks = text.substr(0, nul);
  std::string_view compact = nul == std::string_view::npos ? text : text.substr(nul + 1);
  auto keys = iamd::auth::JsonWebKeySet::Parse(jwks);
  auto token = iamd::auth::ParseWebIdentityToken(compact);
  if (!token) return 0;
  if (token->signing_input != compact.substr(0, compact.rfind('.'))) std::abort();
  if (keys && iamd::auth::VerifySignature(*token, **keys)) {
    bool known = false;
    for (std::string_view alg : kVerified) known = known || token->algorithm == alg;
    if (!known) std::abort();
  }
  return 0;
}
