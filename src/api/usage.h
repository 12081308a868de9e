// When access keys and roles were last used (GetAccessKeyLastUsed, RoleLastUsed), which services
// users and roles used, and the access reports made from that. Recorded in
// memory on the request path; IamService takes what changed (TakeChanged) every few seconds and
// at shutdown and stores it with the role or key, so it survives a restart. AWS too reports
// these with a lag (up to four hours, IAM User Guide, "Refining permissions using last accessed
// information"), and storing each use at once would turn every read into a write. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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
    // Each thread skips what it recorded itself this minute in this tracker (the same key for
    // the same service): the common case costs no lock.
    thread_local uint64_t last_tracker = 0;
    thread_local std::string last_key, last_service;
    thread_local int64_t last_minute = -1;
    if (last_tracker == serial_ && millis / 60000 == last_minute && key_id == last_key &&
        service == last_service)
      return;
    last_tracker = serial_;
    last_key = key_id;
    last_service = service;
    last_minute = millis / 60000;
    std::lock_guard lock(mu_);
    auto [it, added] = keys_.try_emplace(std::string(key_id));
    Use& u = it->second;
    any_keys_.store(true, std::memory_order_release);
    // Whole minutes are enough, and spare the lock's critical section a string copy per call.
    if (!added && u.millis / 60000 == millis / 60000 && u.service == service) return;
    u = Use{millis, std::string(service), std::string(region)};
    changed_keys_.insert(it->first);
  }
  std::optional<Use> AccessKeyLastUsed(std::string_view key_id) const {
    return Find(keys_, any_keys_, key_id);
  }
  void RecordRole(std::string_view role_id, int64_t millis, std::string_view region) {
    std::lock_guard lock(mu_);
    auto it = roles_.insert_or_assign(std::string(role_id), Use{millis, "sts", std::string(region)})
                  .first;
    any_roles_.store(true, std::memory_order_release);
    changed_roles_.insert(it->first);
  }
  // Read by every GetRole and ListRoles: while no role has been used, answered without the
  // lock (which both worker threads would otherwise take on every read).
  std::optional<Use> RoleLastUsed(std::string_view role_id) const {
    return Find(roles_, any_roles_, role_id);
  }

  // Which services IAM users and roles (their sessions) authenticated to, for the access
  // reports (GetServiceLastAccessedDetails): by the user's or role's unique ID and the service
  // ("iam", "sts"), to the minute. In memory only: a report's last accesses are those since the
  // server started; IamService stores them with the user or role (TakeChanged), so reports made
  // after a restart read them from the model.
  void RecordPrincipal(std::string_view principal_id, int64_t millis, std::string_view service,
                       std::string_view region) {
    thread_local uint64_t last_tracker = 0;
    thread_local std::string last_principal, last_service;
    thread_local int64_t last_minute = -1;
    if (last_tracker == serial_ && millis / 60000 == last_minute &&
        principal_id == last_principal && service == last_service)
      return;
    last_tracker = serial_;
    last_principal = principal_id;
    last_service = service;
    last_minute = millis / 60000;
    std::string key(principal_id);
    key.push_back('\n');
    key.append(service);
    std::lock_guard lock(mu_);
    auto it = principals_.insert_or_assign(std::move(key),
                                           Use{millis, std::string(service), std::string(region)})
                  .first;
    any_principals_.store(true, std::memory_order_release);
    changed_principals_.insert(it->first);
  }
  std::optional<Use> PrincipalLastUsed(std::string_view principal_id,
                                       std::string_view service) const {
    std::string key(principal_id);
    key.push_back('\n');
    key.append(service);
    return Find(principals_, any_principals_, key);
  }

  // An access report (GenerateServiceLastAccessedDetails), complete when made.
  struct AccessReport {
    std::string owner;     // the ARN of the caller who made it: only it may read it (AWS)
    std::string job_type;  // SERVICE_LEVEL or ACTION_LEVEL
    int64_t created_millis = 0;
    int64_t completed_millis = 0;
    struct Entity {
      std::string arn, name, type, id, path;  // type: USER or ROLE
    };
    std::vector<Entity> entities;  // whose use of the services the report shows
    struct Service {
      std::string_view service_namespace, name;
      // The entities (index into `entities`) that authenticated to it, the latest use first.
      std::vector<std::pair<size_t, Use>> accesses;
    };
    std::vector<Service> services;  // those the policies allow, by namespace
  };
  static constexpr size_t kMaxReports = 1000;
  // Keeps `report` under `job_id`; the oldest report goes once there are kMaxReports.
  void StoreReport(std::string job_id, std::shared_ptr<const AccessReport> report) {
    std::lock_guard lock(mu_);
    if (reports_.size() >= kMaxReports && !report_order_.empty()) {
      reports_.erase(report_order_.front());
      report_order_.pop_front();
    }
    report_order_.push_back(job_id);
    reports_[std::move(job_id)] = std::move(report);
  }
  std::shared_ptr<const AccessReport> FindReport(std::string_view job_id) const {
    std::lock_guard lock(mu_);
    auto it = reports_.find(std::string(job_id));
    return it == reports_.end() ? nullptr : it->second;
  }

  // MFA codes given to STS (AssumeRole, GetSessionToken with TokenCode): a code is good once.
  // Records that the device `serial` gave the code of `step`, unless it already gave one of
  // that step or a later one: then false (a replay). Kept in memory only: after a restart, the
  // device's stored last step (EnableMFADevice, ResyncMFADevice) is the floor.
  bool UseMfaStep(std::string_view serial, int64_t step) {
    std::lock_guard lock(mu_);
    auto [it, added] = mfa_steps_.try_emplace(std::string(serial), step);
    if (added) return true;
    if (it->second >= step) return false;
    it->second = step;
    return true;
  }

  // The latest use of each role and key whose use changed since the last call (by ID).
  struct Changes {
    std::vector<std::pair<std::string, Use>> roles;
    std::vector<std::pair<std::string, Use>> keys;
    std::vector<std::pair<std::string, Use>> principals;  // by user or role ID (Use::service)
    bool empty() const { return roles.empty() && keys.empty() && principals.empty(); }
  };
  Changes TakeChanged() {
    Changes out;
    std::lock_guard lock(mu_);
    for (const std::string& id : changed_roles_) out.roles.emplace_back(id, roles_.at(id));
    for (const std::string& id : changed_keys_) out.keys.emplace_back(id, keys_.at(id));
    for (const std::string& key : changed_principals_)
      out.principals.emplace_back(key.substr(0, key.find('\n')), principals_.at(key));
    changed_roles_.clear();
    changed_keys_.clear();
    changed_principals_.clear();
    return out;
  }

 private:
  // Looks up by string_view without building a std::string.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, Use, Hash, std::equal_to<>>;
  std::unordered_map<std::string, int64_t> mfa_steps_;  // by device serial number
  std::unordered_map<std::string, std::shared_ptr<const AccessReport>> reports_;  // by job ID
  std::deque<std::string> report_order_;  // job IDs, oldest first

  std::optional<Use> Find(const Map& map, const std::atomic<bool>& any, std::string_view id) const {
    if (!any.load(std::memory_order_acquire)) return std::nullopt;
    std::lock_guard lock(mu_);
    auto it = map.find(id);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }

  static uint64_t NextSerial() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }

  const uint64_t serial_ = NextSerial();  // tells this tracker from others (thread-local skip)
  mutable std::mutex mu_;
  Map keys_;
  Map roles_;
  Map principals_;  // "ID\nservice"
  std::unordered_set<std::string> changed_keys_;  // recorded since the last TakeChanged
  std::unordered_set<std::string> changed_roles_;
  std::unordered_set<std::string> changed_principals_;
  // Set (under mu_) once the map has an entry; entries are never removed.
  std::atomic<bool> any_keys_{false};
  std::atomic<bool> any_roles_{false};
  std::atomic<bool> any_principals_{false};
};

}  // namespace iamd::api
