// X.509 certificates that clients upload: users' signing certificates (UploadSigningCertificate)
// and server certificates with their private keys (UploadServerCertificate). Recognised, never
// trusted: iamd verifies nothing signed with them; it keeps them for the client to read back.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

namespace iamd::auth {

// True if `body` is exactly one PEM-encoded X.509 certificate ("-----BEGIN CERTIFICATE-----"
// ... "-----END CERTIFICATE-----", blank lines before it and white space after it allowed)
// that parses as DER. Anything else (another PEM type, a second object, bytes after the end
// line, a broken encoding) is false. Thread-safe.
bool IsPemCertificate(std::string_view body);

// True if `pem` is exactly one unencrypted PEM private key (PKCS #8, or RSA / EC's own form),
// white space around it allowed (SAML providers' AddPrivateKey). Thread-safe.
bool IsPemPrivateKey(std::string_view pem);

// What is wrong with a server certificate upload, in the order it is checked.
enum class ServerCertificateProblem {
  kMalformedCertificate,  // `body` is not exactly one PEM certificate (as IsPemCertificate)
  kMalformedPrivateKey,   // not one unencrypted PEM private key (PKCS #8, or RSA / EC's own)
  kMalformedChain,        // not one or more PEM certificates, and nothing else
  kKeyPairMismatch,       // the key is not the certificate's
};

// When a certificate is valid: its notBefore and notAfter, milliseconds since the epoch.
struct Validity {
  int64_t not_before_millis = 0;
  int64_t not_after_millis = 0;
};

// Checks an UploadServerCertificate: the certificate, its private key and the optional chain
// (parsed, not verified: iamd trusts no certificate authority). Returns the certificate's
// validity. Thread-safe.
std::expected<Validity, ServerCertificateProblem> CheckServerCertificate(
    std::string_view body, std::string_view private_key, std::optional<std::string_view> chain);

}  // namespace iamd::auth
