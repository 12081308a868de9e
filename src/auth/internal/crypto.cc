// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP, but they are the same
// implementation (SHA-NI where the CPU has it) without the EVP layer's per-call dispatch, which
// cost more than the hashing itself for SigV4's short messages.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "auth/internal/crypto.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace iamd::auth::internal {
namespace {

static_assert(sizeof(SHA256_CTX) <= Sha256::kStateBytes, "Sha256::state_ too small");
static_assert(alignof(SHA256_CTX) <= 16, "Sha256::state_ under-aligned");

constexpr size_t kBlockBytes = 64;

// HMAC (RFC 2104) with the key's inner and outer pads hashed once: a signing key is reused for
// every request of a client on a day, so each thread remembers the last few keys it saw. Each
// key also remembers the inner state after the last message block it began with: a SigV4
// string to sign opens with the algorithm, the request's second and most of the credential
// scope, so a client's requests within one second share their first 64 bytes.
struct HmacKey {
  bool used = false;
  size_t key_size = 0;
  unsigned char key[kBlockBytes];
  SHA256_CTX inner, outer;
  bool first_used = false;
  unsigned char first_block[kBlockBytes];
  SHA256_CTX after_first;  // inner, then first_block
};

HmacKey& KeyState(std::string_view key) {
  thread_local HmacKey keys[4];
  thread_local unsigned next = 0;
  if (key.size() <= kBlockBytes)
    for (HmacKey& k : keys)
      if (k.used && k.key_size == key.size() && std::memcmp(k.key, key.data(), key.size()) == 0)
        return k;
  HmacKey& k = keys[next++ % 4];
  k.first_used = false;
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

// The state after the leading one or two blocks of messages this thread hashed recently, for
// Sha256::UpdateFirst. Finding one costs a comparison of the bytes, never a hash; a hit saves a
// compression per block. A few entries per length: the leading blocks that repeat are few.
class PrefixCache {
 public:
  static constexpr size_t kMaxBlocks = 2;

  // The remembered state after exactly `blocks` blocks equal to data[0, blocks * 64), or null.
  const SHA256_CTX* Find(const unsigned char* data, size_t blocks) const {
    for (const Entry& e : entries_[blocks - 1])
      if (e.used && std::memcmp(e.bytes, data, blocks * kBlockBytes) == 0) return &e.state;
    return nullptr;
  }
  void Remember(const unsigned char* data, size_t blocks, const SHA256_CTX& state) {
    Entry& e = entries_[blocks - 1][next_[blocks - 1]++ % kEntries];
    std::memcpy(e.bytes, data, blocks * kBlockBytes);
    e.state = state;
    e.used = true;
  }

 private:
  static constexpr size_t kEntries = 4;
  struct Entry {
    bool used = false;
    unsigned char bytes[kMaxBlocks * kBlockBytes];
    SHA256_CTX state;
  };
  Entry entries_[kMaxBlocks][kEntries];
  unsigned next_[kMaxBlocks] = {};
};

PrefixCache& ThreadPrefixCache() {
  thread_local PrefixCache cache;
  return cache;
}

}  // namespace

Sha256::Sha256() { SHA256_Init(reinterpret_cast<SHA256_CTX*>(state_)); }

// SHA256_Final wipes the buffered input; what it leaves is the digest, which the caller has.
// Only a message abandoned before Final leaves input behind.
Sha256::~Sha256() {
  if (!finished_) OPENSSL_cleanse(state_, sizeof state_);
}

void Sha256::Update(std::string_view data) {
  if (data.empty()) return;
  SHA256_Update(reinterpret_cast<SHA256_CTX*>(state_), data.data(), data.size());
}

void Sha256::UpdateFirst(std::string_view data) {
  auto& ctx = *reinterpret_cast<SHA256_CTX*>(state_);
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t blocks = std::min(data.size() / kBlockBytes, PrefixCache::kMaxBlocks);
  PrefixCache& cache = ThreadPrefixCache();
  size_t done = 0;  // leading blocks whose state ctx holds
  for (size_t n = blocks; n > 0 && done == 0; --n) {
    if (const SHA256_CTX* state = cache.Find(bytes, n)) {
      ctx = *state;
      done = n;
    }
  }
  for (; done < blocks; ++done) {
    SHA256_Update(&ctx, bytes + done * kBlockBytes, kBlockBytes);
    cache.Remember(bytes, done + 1, ctx);
  }
  Update(data.substr(done * kBlockBytes));
}

Digest Sha256::Final() {
  Digest out;
  SHA256_Final(out.data(), reinterpret_cast<SHA256_CTX*>(state_));
  finished_ = true;
  return out;
}

Digest Sha256Of(std::string_view data) {
  // SHA256() goes through EVP_Digest in OpenSSL 3; the context functions do not.
  Sha256 sha;
  sha.Update(data);
  return sha.Final();
}

Digest HmacSha256(std::string_view key, std::initializer_list<std::string_view> parts) {
  HmacKey& k = KeyState(key);
  size_t total = 0;
  for (std::string_view part : parts) total += part.size();
  SHA256_CTX ctx;
  size_t skip = 0;  // message bytes already in ctx
  if (total >= kBlockBytes && k.used) {
    unsigned char first[kBlockBytes];
    size_t filled = 0;
    for (std::string_view part : parts) {
      const size_t n = std::min(part.size(), kBlockBytes - filled);
      if (n > 0) std::memcpy(first + filled, part.data(), n);
      filled += n;
      if (filled == kBlockBytes) break;
    }
    if (!k.first_used || std::memcmp(k.first_block, first, kBlockBytes) != 0) {
      k.after_first = k.inner;
      SHA256_Update(&k.after_first, first, kBlockBytes);
      std::memcpy(k.first_block, first, kBlockBytes);
      k.first_used = true;
    }
    ctx = k.after_first;
    skip = kBlockBytes;
  } else {
    ctx = k.inner;
  }
  for (std::string_view part : parts) {
    const size_t n = std::min(skip, part.size());
    skip -= n;
    if (part.size() > n) SHA256_Update(&ctx, part.data() + n, part.size() - n);
  }
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
  HexDigest hex;
#if defined(__SSE2__)
  // Sixteen bytes at a time: split into nibbles, interleave them in order, and map 0-9 to
  // '0'-'9' and 10-15 to 'a'-'f' (add '0', then 39 more where the nibble is above 9).
  const __m128i low_nibbles = _mm_set1_epi8(0x0f);
  const __m128i nine = _mm_set1_epi8(9);
  const __m128i zero_char = _mm_set1_epi8('0');
  const __m128i letter_gap = _mm_set1_epi8('a' - '0' - 10);
  auto to_chars = [&](__m128i nibbles) {
    const __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, nine), letter_gap);
    return _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), letters);
  };
  for (size_t i = 0; i < digest.size(); i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(digest.data() + i));
    const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibbles);
    const __m128i low = _mm_and_si128(bytes, low_nibbles);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(hex.data() + 2 * i),
                     to_chars(_mm_unpacklo_epi8(high, low)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(hex.data() + 2 * i + 16),
                     to_chars(_mm_unpackhi_epi8(high, low)));
  }
#else
  constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
#endif
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Every byte is compared, whatever the first difference: eight at a time, then the rest.
  uint64_t diff = 0;
  size_t i = 0;
  for (; i + 8 <= a.size(); i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    diff |= x ^ y;
  }
  for (; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  // Stored through a volatile, the exact OR of every difference is observable: the compiler
  // may not stop the loop at the first difference.
  volatile uint64_t result = diff;
  return result == 0;
}

}  // namespace iamd::auth::internal
