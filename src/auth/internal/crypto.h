// SHA-256 and HMAC-SHA256 for SigV4, on OpenSSL's SHA-256 (whose headers stay in crypto.cc).
// Internal to src/auth: other modules must not include this header.
//
// Thread-safety: all functions are thread-safe. Nothing on the hot path allocates: SHA-256
// state lives in the object, and HMAC keeps each thread's recently used keys pre-hashed (with
// the state after the last first message block each key saw). What each thread remembers
// (key pads, states after leading blocks) stays in that thread's memory.
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
  // Update for the message's first data, before any other Update. Where its first one or two
  // 64-byte blocks equal those of a message this thread hashed recently, hashing resumes from
  // the state remembered after them (a comparison instead of a compression); otherwise they are
  // hashed and their state remembered. For messages that often share their opening, such as
  // SigV4 canonical requests: an SDK's POSTs all begin with the same 64 bytes (method, path,
  // empty query, Content-Type), and a client's requests within one second the same 128 (Host,
  // X-Amz-Date). The digest is the same as with Update.
  void UpdateFirst(std::string_view data);
  // Ends the message. The object must not be used afterwards.
  Digest Final();

  static constexpr size_t kStateBytes = 128;  // >= sizeof(SHA256_CTX), checked in crypto.cc

 private:
  alignas(16) unsigned char state_[kStateBytes];  // a SHA256_CTX
  bool finished_ = false;
};

Digest Sha256Of(std::string_view data);

// HMAC-SHA256 of the concatenation of `parts` under `key`. For keys of up to 64 bytes, a
// message whose first 64 bytes equal those of the key's previous message resumes from the
// inner state after them.
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
