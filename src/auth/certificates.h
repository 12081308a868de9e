// X.509 certificates that users upload (UploadSigningCertificate): recognised, never trusted.
// iamd does not verify anything signed with them; it keeps them for the client to list.
#pragma once

#include <string_view>

namespace iamd::auth {

// True if `body` is exactly one PEM-encoded X.509 certificate ("-----BEGIN CERTIFICATE-----"
// ... "-----END CERTIFICATE-----", blank lines before it and white space after it allowed)
// that parses as DER. Anything else (another PEM type, a second object, bytes after the end
// line, a broken encoding) is false. Thread-safe.
bool IsPemCertificate(std::string_view body);

}  // namespace iamd::auth
