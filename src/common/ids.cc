#include "common/ids.h"

#include <cstdio>

namespace iamd {
namespace {

std::mt19937_64& ThreadRng() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    std::mt19937_64 g(seq);
    return g;
  }());
  return rng;
}

std::string FormatUuid(uint64_t hi, uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int at = 0;
  auto put = [&](uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) out[at + i] = kHex[(v >> (4 * (digits - 1 - i))) & 15];
    at += digits + 1;  // skip the dash
  };
  put(hi >> 32, 8);
  put((hi >> 16) & 0xffff, 4);
  put(hi & 0xffff, 4);
  put(lo >> 48, 4);
  put(lo & 0xffffffffffffULL, 12);
  return out;
}

}  // namespace

void RandomIdSource::RandomIdChars(size_t n, std::string& out) {
  auto& rng = ThreadRng();
  uint64_t bits = 0;
  int left = 0;
  for (size_t i = 0; i < n; ++i) {
    if (left < 5) {
      bits = rng();
      left = 64;
    }
    out.push_back(kIdAlphabet[bits & 31]);
    bits >>= 5;
    left -= 5;
  }
}

std::string RandomIdSource::NewRequestId() {
  auto& rng = ThreadRng();
  uint64_t hi = rng();
  return FormatUuid(hi, rng());
}

void SequentialIdSource::RandomIdChars(size_t n, std::string& out) {
  uint64_t v;
  {
    std::lock_guard lock(mu_);
    v = next_++;
  }
  // Most significant digit first, so IDs sort in creation order.
  std::string digits(n, kIdAlphabet[0]);
  for (size_t i = n; i-- > 0 && v != 0;) {
    digits[i] = kIdAlphabet[v & 31];
    v >>= 5;
  }
  out += digits;
}

std::string SequentialIdSource::NewRequestId() {
  uint64_t v;
  {
    std::lock_guard lock(mu_);
    v = next_++;
  }
  return FormatUuid(0, v);
}

std::string StableUniqueId(std::string_view prefix, std::string_view key) {
  // Two independent 64-bit FNV-1a hashes give 85 bits for the 17 characters.
  uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
  for (unsigned char c : key) {
    h1 = (h1 ^ c) * 0x100000001b3ULL;
    h2 = (h2 ^ (c + 0x5bu)) * 0x100000001b3ULL;
  }
  std::string id(prefix);
  for (int i = 0; i < 17; ++i) {
    uint64_t& h = i < 12 ? h1 : h2;
    id.push_back(kIdAlphabet[h & 31]);
    h >>= 5;
  }
  return id;
}

}  // namespace iamd
