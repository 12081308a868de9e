// Credentials made by iamd: access key IDs and secret access keys from the OS's CSPRNG.
#pragma once

#include <string>
#include <string_view>

namespace iamd::auth {

// prefix ("AKIA" or "ASIA") + 16 characters of A-Z2-7: 20 in all, as AWS's.
std::string NewAccessKeyId(std::string_view prefix);
// 40 characters of A-Za-z0-9+/ (240 random bits), the shape of an AWS secret access key.
std::string NewSecretAccessKey();
// `n` random bytes.
std::string RandomBytes(size_t n);

}  // namespace iamd::auth
