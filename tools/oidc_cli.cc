#include "tools/oidc_cli.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "auth/web_identity.h"
#include "tools/read_file.h"

namespace iamd::tools {
namespace {

// Writes `text` to a new file of mode `mode`; false (errno set) if it exists or cannot be made.
bool WriteNewFile(const std::string& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

int Keygen(const std::string& alg, const std::string& kid, const std::string& key_path,
           const std::string& jwks_path) {
  auto key = auth::NewWebIdentitySigningKey(alg, kid);
  if (!key) {
    std::fprintf(stderr, "oidc keygen: %s\n", key.error().c_str());
    return 1;
  }
  if (!WriteNewFile(key_path, key->private_key_pem, 0600)) {
    std::fprintf(stderr, "oidc keygen: cannot write %s: %s\n", key_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  if (!WriteNewFile(jwks_path, "{\"keys\":[" + key->jwk + "]}\n", 0644)) {
    std::fprintf(stderr, "oidc keygen: cannot write %s: %s\n", jwks_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::printf("oidc keygen: private key in %s, key set in %s; serve with\n"
              "  iamd serve --oidc-jwks https://YOUR-ISSUER=%s\n",
              key_path.c_str(), jwks_path.c_str(), jwks_path.c_str());
  return 0;
}

int Token(const std::string& key_path, const std::string& kid, auth::WebIdentityClaims claims,
          int64_t lifetime) {
  auto pem = ReadWholeFile(key_path);
  if (!pem) {
    std::fprintf(stderr, "oidc token: cannot read %s\n", key_path.c_str());
    return 1;
  }
  claims.issued_at = static_cast<int64_t>(::time(nullptr));
  claims.expires = claims.issued_at + lifetime;
  auto token = auth::MintWebIdentityToken(*pem, kid, claims);
  if (!token) {
    std::fprintf(stderr, "oidc token: %s\n", token.error().c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}

}  // namespace

int RunOidcCli(int argc, char** argv) {
  CLI::App app{"An OpenID Connect identity provider of one's own, for AssumeRoleWithWebIdentity",
               "iamd oidc"};
  app.require_subcommand(1);
  std::string alg = "RS256", kid = "iamd-1", key_path, jwks_path;
  auto* keygen = app.add_subcommand("keygen", "Make a signing key and its JSON Web Key Set");
  keygen->add_option("--alg", alg, "RS256, ES256 or ES384")->capture_default_str();
  keygen->add_option("--kid", kid, "The key's ID")->capture_default_str();
  keygen->add_option("--key", key_path, "Where to write the private key (PEM, 0600)")->required();
  keygen->add_option("--jwks", jwks_path, "Where to write the key set (for --oidc-jwks)")
      ->required();
  auth::WebIdentityClaims claims;
  int64_t lifetime = 3600;
  auto* token = app.add_subcommand("token", "Print an ID token signed with a key of keygen's");
  token->add_option("--key", key_path, "The private key (PEM)")->required();
  token->add_option("--kid", kid, "The key's ID, named in the token's header")
      ->capture_default_str();
  token->add_option("--iss", claims.issuer, "iss: the issuer, https://HOST[/PATH]")->required();
  token->add_option("--sub", claims.subject, "sub: the subject")->required();
  token->add_option("--aud", claims.audiences, "aud: the audience (repeatable)")->required();
  token->add_option("--lifetime", lifetime, "Seconds until exp")
      ->check(CLI::Range(int64_t{1}, int64_t{366} * 86400))
      ->capture_default_str();
  token->add_option("--claims", claims.extra_claims_json,
                    "More claims: a JSON object whose members are added (or replace the above)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  if (keygen->parsed()) return Keygen(alg, kid, key_path, jwks_path);
  return Token(key_path, kid, claims, lifetime);
}

}  // namespace iamd::tools
