// When access keys and roles were last used (GetAccessKeyLastUsed, RoleLastUsed). Kept in
// memory: AWS too reports these with a lag, and recording each use durably would turn every
// read into a write. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
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
    any_keys_.store(true, std::memory_order_release);
    // Whole minutes are enough, and spare the lock's critical section a string copy per call.
    if (u.millis / 60000 == millis / 60000 && u.service == service) return;
    u = Use{millis, std::string(service), std::string(region)};
  }
  std::optional<Use> AccessKeyLastUsed(std::string_view key_id) const {
    return Find(keys_, any_keys_, key_id);
  }
  void RecordRole(std::string_view role_id, int64_t millis, std::string_view region) {
    std::lock_guard lock(mu_);
    roles_[std::string(role_id)] = Use{millis, "sts", std::string(region)};
    any_roles_.store(true, std::memory_order_release);
  }
  // Read by every GetRole and ListRoles: while no role has been used, answered without the
  // lock (which both worker threads would otherwise take on every read).
  std::optional<Use> RoleLastUsed(std::string_view role_id) const {
    return Find(roles_, any_roles_, role_id);
  }

 private:
  // Looks up by string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, Use, Hash, std::equal_to<>>;

  std::optional<Use> Find(const Map& map, const std::atomic<bool>& any, std::string_view id) const {
    if (!any.load(std::memory_order_acquire)) return std::nullopt;
    std::lock_guard lock(mu_);
    auto it = map.find(id);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }

  mutable std::mutex mu_;
  Map keys_;
  Map roles_;
  // Set (under mu_) once the map has an entry; entries are never removed.
  std::atomic<bool> any_keys_{false};
  std::atomic<bool> any_roles_{false};
};

}  // namespace iamd::api
