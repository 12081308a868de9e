// Identifiers in AWS's formats. IDs come from an injected IdSource so tests are deterministic.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace iamd {

// Unique-ID prefixes (AWS IAM User Guide, "Unique identifiers").
inline constexpr std::string_view kRoleIdPrefix = "AROA";
inline constexpr std::string_view kInstanceProfileIdPrefix = "AIPA";
inline constexpr std::string_view kPolicyIdPrefix = "ANPA";
inline constexpr std::string_view kUserIdPrefix = "AIDA";
inline constexpr std::string_view kGroupIdPrefix = "AGPA";
inline constexpr std::string_view kServerCertificateIdPrefix = "ASCA";
inline constexpr std::string_view kLongTermKeyPrefix = "AKIA";
inline constexpr std::string_view kTemporaryKeyPrefix = "ASIA";

// The alphabet of AWS unique IDs and access key IDs: base32, A-Z and 2-7.
inline constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

class IdSource {
 public:
  virtual ~IdSource() = default;
  // Fills `out` with `n` characters of kIdAlphabet.
  virtual void RandomIdChars(size_t n, std::string& out) = 0;
  // A request ID: a lowercase RFC 4122 version-4 UUID.
  virtual std::string NewRequestId() = 0;

  // prefix + 17 characters: 21 in all, e.g. AROA + 17 for a role.
  std::string NewUniqueId(std::string_view prefix) {
    std::string id(prefix);
    RandomIdChars(17, id);
    return id;
  }
  // prefix + 16 characters: 20 in all, e.g. AKIA... or ASIA....
  std::string NewAccessKeyId(std::string_view prefix) {
    std::string id(prefix);
    RandomIdChars(16, id);
    return id;
  }
};

// Random IDs from a per-thread generator seeded by the OS. Thread-safe. Not for secrets.
class RandomIdSource final : public IdSource {
 public:
  void RandomIdChars(size_t n, std::string& out) override;
  std::string NewRequestId() override;
};

// A deterministic sequence for tests: IDs count up from `seed`. Thread-safe.
class SequentialIdSource final : public IdSource {
 public:
  explicit SequentialIdSource(uint64_t seed = 0) : next_(seed) {}
  void RandomIdChars(size_t n, std::string& out) override;
  std::string NewRequestId() override;

 private:
  std::mutex mu_;
  uint64_t next_;
};

// A stable ID derived from `key` (FNV-1a based), for entities that must keep their ID without
// being stored, such as the AWS managed policies. Same key, same ID, on every node.
std::string StableUniqueId(std::string_view prefix, std::string_view key);

}  // namespace iamd
