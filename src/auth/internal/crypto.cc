// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP, but they are the same
// implementation (SHA-NI where the CPU has it) without the EVP layer's per-call dispatch, which
// cost more than the hashing itself for SigV4's short messages.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "auth/internal/crypto.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace iamd::auth::internal {
namespace {

static_assert(sizeof(SHA256_CTX) <= Sha256::kStateBytes, "Sha256::state_ too small");
static_assert(alignof(SHA256_CTX) <= 16, "Sha256::state_ under-aligned");

constexpr size_t kBlockBytes = 64;

// HMAC (RFC 2104) with the key's inner and outer pads hashed once: a signing key is reused for
// every request of a client on a day, so each thread remembers the last few keys it saw.
struct HmacKey {
  bool used = false;
  size_t key_size = 0;
  unsigned char key[kBlockBytes];
  SHA256_CTX inner, outer;
};

const HmacKey& KeyState(std::string_view key) {
  thread_local HmacKey keys[4];
  thread_local unsigned next = 0;
  if (key.size() <= kBlockBytes)
    for (const HmacKey& k : keys)
      if (k.used && k.key_size == key.size() && std::memcmp(k.key, key.data(), key.size()) == 0)
        return k;
  HmacKey& k = keys[next++ % 4];
  unsigned char block[kBlockBytes] = {};
  if (key.size() > kBlockBytes) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block);
    k.used = false;  // long keys are hashed each time; SigV4 never uses them on the hot path
  } else {
    std::memcpy(block, key.data(), key.size());
    std::memcpy(k.key, key.data(), key.size());
    k.key_size = key.size();
    k.used = true;
  }
  unsigned char pad[kBlockBytes];
  for (size_t i = 0; i < kBlockBytes; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&k.inner);
  SHA256_Update(&k.inner, pad, kBlockBytes);
  for (size_t i = 0; i < kBlockBytes; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&k.outer);
  SHA256_Update(&k.outer, pad, kBlockBytes);
  OPENSSL_cleanse(block, sizeof block);
  OPENSSL_cleanse(pad, sizeof pad);
  return k;
}

}  // namespace

Sha256::Sha256() { SHA256_Init(reinterpret_cast<SHA256_CTX*>(state_)); }

Sha256::~Sha256() { OPENSSL_cleanse(state_, sizeof state_); }

void Sha256::Update(std::string_view data) {
  if (data.empty()) return;
  SHA256_Update(reinterpret_cast<SHA256_CTX*>(state_), data.data(), data.size());
}

Digest Sha256::Final() {
  Digest out;
  SHA256_Final(out.data(), reinterpret_cast<SHA256_CTX*>(state_));
  return out;
}

Digest Sha256Of(std::string_view data) {
  // SHA256() goes through EVP_Digest in OpenSSL 3; the context functions do not.
  Sha256 sha;
  sha.Update(data);
  return sha.Final();
}

Digest HmacSha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  const HmacKey& k = KeyState(key);
  SHA256_CTX ctx = k.inner;
  for (std::string_view part : parts)
    if (!part.empty()) SHA256_Update(&ctx, part.data(), part.size());
  unsigned char inner_hash[kSha256Bytes];
  SHA256_Final(inner_hash, &ctx);
  ctx = k.outer;
  SHA256_Update(&ctx, inner_hash, sizeof inner_hash);
  Digest out;
  SHA256_Final(out.data(), &ctx);
  OPENSSL_cleanse(&ctx, sizeof ctx);
  return out;
}

HexDigest ToHex(const Digest& digest) {
  // Two characters per byte from one table: a request hexes three digests.
  static constexpr auto kPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<char, 512> pairs{};
    for (size_t b = 0; b < 256; ++b) {
      pairs[2 * b] = kHex[b >> 4];
      pairs[2 * b + 1] = kHex[b & 15];
    }
    return pairs;
  }();
  HexDigest hex;
  for (size_t i = 0; i < digest.size(); ++i)
    std::memcpy(hex.data() + 2 * i, kPairs.data() + 2 * digest[i], 2);
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace iamd::auth::internal
