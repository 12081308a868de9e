// Credentials made by iamd: access key IDs and secret access keys from the OS's CSPRNG.
#pragma once

#include <string>
#include <string_view>

namespace iamd::auth {

// prefix ("AKIA" or "ASIA") + 16 characters of A-Z2-7: 20 in all, as AWS's.
std::string NewAccessKeyId(std::string_view prefix);
// 40 characters of A-Za-z0-9+/ (240 random bits), the shape of an AWS secret access key.
std::string NewSecretAccessKey();
// A salted PBKDF2-HMAC-SHA256 hash of a console password, "pbkdf2-sha256$ITER$SALT$HASH"
// (base64 parts), and its check.
std::string HashPassword(std::string_view password);
bool CheckPassword(std::string_view password, std::string_view hash);
// `n` random bytes.
std::string RandomBytes(size_t n);

}  // namespace iamd::auth
