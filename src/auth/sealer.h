// Authenticated encryption with a server key (AES-256-GCM), for secrets at rest (access key
// secrets in the store) and for self-contained session tokens (any iamd node that holds the key
// can open a token without a lookup).
//
// Sealed format: 1 byte version (1) | 12 bytes random nonce | ciphertext | 16 bytes tag.
// `context` is authenticated but not stored (e.g. the access key ID a secret belongs to), so a
// sealed value cannot be moved to another row or purpose.
// Thread-safety: a Sealer is immutable after construction; Seal and Open are thread-safe.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace iamd::auth {

class Sealer {
 public:
  static constexpr size_t kKeyBytes = 32;
  explicit Sealer(std::string_view key);  // exactly kKeyBytes bytes

  std::string Seal(std::string_view plaintext, std::string_view context) const;
  // nullopt if `sealed` was not made by Seal with this key and context (tampered, truncated,
  // wrong key).
  std::optional<std::string> Open(std::string_view sealed, std::string_view context) const;

 private:
  std::array<unsigned char, kKeyBytes> key_;
};

// Reads the key file at `path`, or creates it (mode 0600, kKeyBytes random bytes) if it does
// not exist. Errors: ServiceFailure for an unreadable file or one of the wrong size.
Result<std::string> LoadOrCreateKeyFile(const std::string& path);

}  // namespace iamd::auth
