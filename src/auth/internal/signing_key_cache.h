// A small cache of SigV4 signing keys, so the four chained HMACs that derive a key from a secret
// run once per (secret, date, region, service) instead of on every request.
// Internal to src/auth: other modules must not include this header.
//
// Direct-mapped: a fixed array of slots, each behind its own mutex; a new entry replaces
// whatever shared its slot. In front of the slots, each thread remembers the last key it looked
// up in each cache, so that a client's run of requests touches no state another thread writes.
// Lookups and inserts never allocate. Entries are keyed by the secret itself (not the access
// key ID), so a rotated secret can never be answered with a stale key. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

#include "auth/internal/crypto.h"

namespace iamd::auth::internal {

class SigningKeyCache {
 public:
  static constexpr size_t kDefaultSlots = 256;
  // Longest secret+date+region+service that is cached; longer ones are derived every time.
  static constexpr size_t kMaxKeyBytes = 160;

  explicit SigningKeyCache(size_t slots = kDefaultSlots);  // `slots`: a power of two
  SigningKeyCache(const SigningKeyCache&) = delete;
  SigningKeyCache& operator=(const SigningKeyCache&) = delete;

  // The process-wide cache VerifySignature uses.
  static SigningKeyCache& Global();

  // kSigning for the scope: from the cache, or derived (DeriveSigningKey) and remembered.
  Digest Get(std::string_view secret, std::string_view date, std::string_view region,
             std::string_view service);

  uint64_t hits() const;
  uint64_t misses() const;

 private:
  struct Slot {
    std::mutex mu;
    uint64_t hash = 0;
    size_t key_size = 0;  // 0: empty
    std::array<char, kMaxKeyBytes> key;
    Digest signing_key;
  };

  // Counts, spread over a few cache lines so that threads do not write one line in turn.
  struct alignas(64) Counters {
    std::atomic<uint64_t> hits{0};
    std::atomic<uint64_t> misses{0};
  };
  static constexpr size_t kCounterShards = 4;
  Counters& MyCounters();

  const uint64_t id_;  // tells this cache from any other, even one at the same address later
  std::unique_ptr<Slot[]> slots_;
  size_t mask_;
  std::array<Counters, kCounterShards> counters_;
};

// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
Digest DeriveSigningKeyDigest(std::string_view secret, std::string_view date,
                              std::string_view region, std::string_view service);

}  // namespace iamd::auth::internal
