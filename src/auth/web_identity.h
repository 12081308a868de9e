// OpenID Connect ID tokens for AssumeRoleWithWebIdentity: a provider's public keys (a JSON Web
// Key Set, RFC 7517) and a token's claims and signature (a JSON Web Token in compact JWS form,
// RFC 7519 / RFC 7515). OpenSSL and RapidJSON stay in web_identity.cc.
//
// Thread-safety: a parsed JsonWebKeySet is immutable and may be shared between threads; the
// free functions are thread-safe.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamd::auth {

struct WebIdentityToken;

// The signature keys of one identity provider, as it publishes them at its jwks_uri.
class JsonWebKeySet {
 public:
  // Reads {"keys": [...]}, keeping the keys iamd can verify signatures with: RSA ("kty" "RSA",
  // "n", "e") and elliptic-curve ("kty" "EC", "crv" P-256, P-384 or P-521, "x", "y") keys whose
  // "use" is absent or "sig". Keys of other types, curves or uses are skipped. Errors (a message
  // for the operator): not JSON, no "keys" array, a kept key whose members do not make a public
  // key (an RSA exponent that is even or 1 included), an RSA key of fewer than 2,048 bits, no
  // usable key at all.
  static std::expected<std::shared_ptr<const JsonWebKeySet>, std::string> Parse(
      std::string_view json);

  ~JsonWebKeySet();
  JsonWebKeySet(const JsonWebKeySet&) = delete;
  JsonWebKeySet& operator=(const JsonWebKeySet&) = delete;

  size_t size() const;

  struct Key;  // defined in web_identity.cc

 private:
  JsonWebKeySet();
  friend bool VerifySignature(const WebIdentityToken&, const JsonWebKeySet&);
  std::vector<std::unique_ptr<Key>> keys_;
};

// An ID token, decoded but not verified.
struct WebIdentityToken {
  std::string algorithm;               // the header's "alg"
  std::string key_id;                  // the header's "kid"; empty if it has none
  std::string issuer;                  // "iss"
  std::string subject;                 // "sub"
  std::vector<std::string> audiences;  // "aud", one string or an array of them
  std::string authorized_party;        // "azp"
  std::vector<std::string> amr;        // "amr", one string or an array of them
  std::string email;                   // "email"
  // "https://aws.amazon.com/source_identity" (IAM User Guide, "Monitor and control actions taken
  // with assumed roles"); empty if absent. A claim that is not a string makes the token
  // malformed.
  std::string source_identity;
  // NumericDate claims, in seconds since the epoch (fractions dropped).
  std::optional<int64_t> expires, not_before, issued_at;
  // Session tags (IAM User Guide, "Passing session tags using AssumeRoleWithWebIdentity"): the
  // claim "https://aws.amazon.com/tags" with "principal_tags" (key -> [value]) and
  // "transitive_tag_keys" ([key]). tags_malformed: the claim is there but not of that shape.
  std::vector<std::pair<std::string, std::string>> principal_tags;
  std::vector<std::string> transitive_tag_keys;
  bool tags_malformed = false;

  std::string signing_input;  // the first two parts, as received: what the signature covers
  std::string signature;      // the third part, decoded
};

// Splits and decodes a compact JWS whose payload is a JSON object of claims. nullopt: not
// three base64url parts, a header or payload that is not a JSON object, a claim of the wrong
// type ("iss", "sub", "azp", "email" strings; "aud", "amr" strings or arrays of strings; "exp",
// "nbf", "iat" numbers). No claim is required here.
std::optional<WebIdentityToken> ParseWebIdentityToken(std::string_view compact);

// True if the token's signature verifies with a key of `keys`: the one its header names by
// "kid", or, when it names none, any key of the algorithm's type. Algorithms: RS256, RS384,
// RS512 (RSASSA-PKCS1-v1_5) and ES256, ES384, ES512 (ECDSA on the matching curve); any other
// "alg", "none" included, never verifies.
bool VerifySignature(const WebIdentityToken& token, const JsonWebKeySet& keys);

// ---- Tokens of an identity provider of one's own (`iamd oidc`), for trying trust policies ----

// A new signing key: the private key as unencrypted PKCS #8 PEM, and the public key as a JWK
// (JSON text with "kty", "kid", "use" "sig", "alg" and the key's members) for a key set.
struct WebIdentitySigningKey {
  std::string private_key_pem;
  std::string jwk;
};
// alg: "RS256" (a 2,048-bit RSA key), "ES256" (P-256) or "ES384" (P-384). Errors: another alg;
// OpenSSL failing.
std::expected<WebIdentitySigningKey, std::string> NewWebIdentitySigningKey(std::string_view alg,
                                                                           std::string_view kid);

// What a minted token says: iss, sub, aud (one value: a string; several: an array), iat and
// exp, then the members of `extra_claims_json` (a JSON object's text; "" for none), which
// replace claims of the same name.
struct WebIdentityClaims {
  std::string issuer;
  std::string subject;
  std::vector<std::string> audiences;
  int64_t issued_at = 0;
  int64_t expires = 0;
  std::string extra_claims_json;
};
// A compact JWS of `claims` signed with `private_key_pem` (unencrypted PEM): RS256 for an RSA
// key, ES256 / ES384 / ES512 for a P-256 / P-384 / P-521 key; the header names `kid` unless it
// is empty. Errors: a key that is not one of those, extra claims that are not a JSON object.
std::expected<std::string, std::string> MintWebIdentityToken(std::string_view private_key_pem,
                                                             std::string_view kid,
                                                             const WebIdentityClaims& claims);

// A compact JWS of `payload_json` (a JSON object's text, signed as given) with the header
// {"kid", "typ": "JWT", "alg"}, signed with `private_key_pem` as MintWebIdentityToken signs.
// Errors: a key that is not one of MintWebIdentityToken's; OpenSSL failing.
std::expected<std::string, std::string> SignJsonWebToken(std::string_view private_key_pem,
                                                         std::string_view kid,
                                                         std::string_view payload_json);

}  // namespace iamd::auth
