// SHA-256 and HMAC-SHA256 for SigV4, on OpenSSL's SHA-256 (whose headers stay in crypto.cc).
// Internal to src/auth: other modules must not include this header.
//
// Thread-safety: all functions are thread-safe. Nothing on the hot path allocates: SHA-256
// state lives in the object, and HMAC keeps each thread's recently used keys pre-hashed.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace iamd::auth::internal {

inline constexpr size_t kSha256Bytes = 32;
using Digest = std::array<unsigned char, kSha256Bytes>;
// Lowercase hex of a digest: 64 characters, no terminator.
using HexDigest = std::array<char, 2 * kSha256Bytes>;

// Incremental SHA-256. Not copyable; one object per message.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Ends the message. The object must not be used afterwards.
  Digest Final();

  static constexpr size_t kStateBytes = 128;  // >= sizeof(SHA256_CTX), checked in crypto.cc

 private:
  alignas(16) unsigned char state_[kStateBytes];  // a SHA256_CTX
};

Digest Sha256Of(std::string_view data);

// HMAC-SHA256 of the concatenation of `parts` under `key`.
Digest HmacSha256(std::string_view key, std::initializer_list<std::string_view> parts);
inline Digest HmacSha256(std::string_view key, std::string_view data) {
  return HmacSha256(key, {data});
}

HexDigest ToHex(const Digest& digest);
inline std::string_view AsStringView(const HexDigest& hex) { return {hex.data(), hex.size()}; }
inline std::string_view AsStringView(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Compares in time that depends only on the lengths, never on where the texts differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace iamd::auth::internal
