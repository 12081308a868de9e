// libFuzzer target for AssumeRoleWithWebIdentity's parsers (src/auth/web_identity.h): a JSON
// Web Key Set and an ID token, base64url and JSON behind them, and the signature check.
// The input is split at its first NUL byte into a key set and a token (no NUL: the whole input
// is tried as both). Checks beyond "no crash, no sanitizer report": a parsed token's signing
// input is a prefix of the text it came from, and a token never verifies against key sets
// made from the input unless its algorithm is one iamd verifies.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/web_identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t nul = text.find('\0');
  std::string_view jwks = text.substr(0, nul);
  std::string_view compact = nul == std::string_view::npos ? text : text.substr(nul + 1);
  auto keys = iamd::auth::JsonWebKeySet::Parse(jwks);
  auto token = iamd::auth::ParseWebIdentityToken(compact);
  if (token) {
    if (!compact.starts_with(token->signing_input)) std::abort();
    if (keys && iamd::auth::VerifySignature(*token, **keys)) {
      const std::string& alg = token->algorithm;
      if (alg.size() != 5 || (alg[0] != 'R' && alg[0] != 'E')) std::abort();
    }
  }
  return 0;
}
