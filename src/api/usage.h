// When access keys and roles were last used (GetAccessKeyLastUsed, RoleLastUsed). Kept in
// memory: AWS too reports these with a lag, and recording each use durably would turn every
// read into a write. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace iamd::api {

class UsageTracker {
 public:
  struct Use {
    int64_t millis = 0;
    std::string service;  // "iam", "sts"
    std::string region;
  };

  void RecordAccessKey(std::string_view key_id, int64_t millis, std::string_view service,
                       std::string_view region) {
    // Each thread skips what it recorded itself this minute: the common case costs no lock.
    thread_local std::string last_key;
    thread_local int64_t last_minute = -1;
    if (millis / 60000 == last_minute && key_id == last_key) return;
    last_key = key_id;
    last_minute = millis / 60000;
    std::lock_guard lock(mu_);
    Use& u = keys_[std::string(key_id)];
    // Whole minutes are enough, and spare the lock's critical section a string copy per call.
    if (u.millis / 60000 == millis / 60000 && u.service == service) return;
    u = Use{millis, std::string(service), std::string(region)};
  }
  std::optional<Use> AccessKeyLastUsed(std::string_view key_id) const {
    std::lock_guard lock(mu_);
    auto it = keys_.find(std::string(key_id));
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }
  void RecordRole(std::string_view role_id, int64_t millis, std::string_view region) {
    std::lock_guard lock(mu_);
    roles_[std::string(role_id)] = Use{millis, "sts", std::string(region)};
  }
  std::optional<Use> RoleLastUsed(std::string_view role_id) const {
    std::lock_guard lock(mu_);
    auto it = roles_.find(std::string(role_id));
    if (it == roles_.end()) return std::nullopt;
    return it->second;
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Use> keys_;
  std::unordered_map<std::string, Use> roles_;
};

}  // namespace iamd::api
