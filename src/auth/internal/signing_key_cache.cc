#include "auth/internal/signing_key_cache.h"

#include <cstring>
#include <functional>
#include <string>

namespace iamd::auth::internal {
namespace {

// Each field is stored after a one-byte length, so distinct tuples never share a key even if
// a field (a decoded query parameter) contains any byte at all.
size_t BuildKey(std::array<char, SigningKeyCache::kMaxKeyBytes>& out, std::string_view secret,
                std::string_view date, std::string_view region, std::string_view service) {
  const size_t size = secret.size() + date.size() + region.size() + service.size() + 4;
  if (size > out.size()) return 0;  // also keeps every length below 256
  char* p = out.data();
  for (std::string_view part : {secret, date, region, service}) {
    *p++ = static_cast<char>(part.size());
    if (!part.empty()) std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  return size;
}

std::atomic<uint64_t> next_cache_id{1};
std::atomic<size_t> next_counter_shard{0};

// The last key this thread looked up in one cache, and its signing key.
struct LastLookup {
  uint64_t cache_id = 0;  // 0: none
  size_t key_size = 0;
  std::array<char, SigningKeyCache::kMaxKeyBytes> key;
  Digest signing_key;
};

}  // namespace

Digest DeriveSigningKeyDigest(std::string_view secret, std::string_view date,
                              std::string_view region, std::string_view service) {
  // "AWS4" + secret as the first key; small secrets stay on the stack.
  std::array<char, 128> stack_key;
  std::string heap_key;
  std::string_view k_secret;
  if (secret.size() + 4 <= stack_key.size()) {
    std::memcpy(stack_key.data(), "AWS4", 4);
    if (!secret.empty()) std::memcpy(stack_key.data() + 4, secret.data(), secret.size());
    k_secret = {stack_key.data(), secret.size() + 4};
  } else {
    heap_key.reserve(secret.size() + 4);
    heap_key.append("AWS4").append(secret);
    k_secret = heap_key;
  }
  Digest k_date = HmacSha256(k_secret, date);
  Digest k_region = HmacSha256(AsStringView(k_date), region);
  Digest k_service = HmacSha256(AsStringView(k_region), service);
  return HmacSha256(AsStringView(k_service), "aws4_request");
}

SigningKeyCache::SigningKeyCache(size_t slots)
    : id_(next_cache_id.fetch_add(1, std::memory_order_relaxed)),
      slots_(std::make_unique<Slot[]>(slots)),
      mask_(slots - 1) {}

SigningKeyCache::Counters& SigningKeyCache::MyCounters() {
  thread_local const size_t shard =
      next_counter_shard.fetch_add(1, std::memory_order_relaxed) % kCounterShards;
  return counters_[shard];
}

uint64_t SigningKeyCache::hits() const {
  uint64_t n = 0;
  for (const Counters& c : counters_) n += c.hits.load(std::memory_order_relaxed);
  return n;
}

uint64_t SigningKeyCache::misses() const {
  uint64_t n = 0;
  for (const Counters& c : counters_) n += c.misses.load(std::memory_order_relaxed);
  return n;
}

SigningKeyCache& SigningKeyCache::Global() {
  static SigningKeyCache* cache = new SigningKeyCache();  // never destroyed: threads may outlive
  return *cache;                                          // static destruction
}

Digest SigningKeyCache::Get(std::string_view secret, std::string_view date, std::string_view region,
                            std::string_view service) {
  std::array<char, kMaxKeyBytes> key;
  const size_t key_size = BuildKey(key, secret, date, region, service);
  Counters& counters = MyCounters();
  if (key_size == 0) {
    counters.misses.fetch_add(1, std::memory_order_relaxed);
    return DeriveSigningKeyDigest(secret, date, region, service);
  }
  thread_local LastLookup last;
  if (last.cache_id == id_ && last.key_size == key_size &&
      std::memcmp(last.key.data(), key.data(), key_size) == 0) {
    counters.hits.fetch_add(1, std::memory_order_relaxed);
    return last.signing_key;
  }
  auto remember = [&](const Digest& signing_key) {
    last.cache_id = id_;
    last.key_size = key_size;
    std::memcpy(last.key.data(), key.data(), key_size);
    last.signing_key = signing_key;
  };
  const std::string_view key_view(key.data(), key_size);
  const uint64_t hash = std::hash<std::string_view>{}(key_view);
  Slot& slot = slots_[hash & mask_];
  {
    std::lock_guard<std::mutex> lock(slot.mu);
    if (slot.key_size == key_size && slot.hash == hash &&
        std::memcmp(slot.key.data(), key.data(), key_size) == 0) {
      counters.hits.fetch_add(1, std::memory_order_relaxed);
      remember(slot.signing_key);
      return slot.signing_key;
    }
  }
  // Derive outside the lock: two threads may both derive the same key once, which is cheaper
  // than making every reader of the slot wait for the HMACs.
  counters.misses.fetch_add(1, std::memory_order_relaxed);
  const Digest signing_key = DeriveSigningKeyDigest(secret, date, region, service);
  remember(signing_key);
  std::lock_guard<std::mutex> lock(slot.mu);
  slot.hash = hash;
  slot.key_size = key_size;
  std::memcpy(slot.key.data(), key.data(), key_size);
  slot.signing_key = signing_key;
  return signing_key;
}

}  // namespace iamd::auth::internal
