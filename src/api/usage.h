// When access keys and roles were last used (GetAccessKeyLastUsed, RoleLastUsed), which services
// users and roles used, and the access reports made from that. Recorded in
// memory on the request path; IamService takes what changed (TakeChanged) every few seconds and
// at shutdown and stores it with the role or key, so it survives a restart. AWS too reports
// these with a lag (up to four hours, IAM User Guide, "Refining permissions using last accessed
// information"), and storing each use at once would turn every read into a write. Thread-safe.
#pragma once

#include <algorithm>
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
  // What one thread last recorded in a tracker (identified by its serial): a use of the same
  // key and service in the same minute need not be recorded again.
  struct RecentUse {
    uint64_t tracker = 0;
    std::string key, service;
    int64_t minute = -1;
    // True if this use repeats the last one; else it becomes the last one.
    bool Repeats(uint64_t serial, std::string_view k, std::string_view s, int64_t millis) {
      if (tracker == serial && millis / 60000 == minute && k == key && s == service) return true;
      tracker = serial;
      key.assign(k.data(), k.size());
      service.assign(s.data(), s.size());
      minute = millis / 60000;
      return false;
    }
  };

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
    thread_local RecentUse recent;
    if (recent.Repeats(serial_, key_id, service, millis)) return;
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
    thread_local RecentUse recent;  // as for access keys
    if (recent.Repeats(serial_, principal_id, service, millis)) return;
    std::lock_guard lock(mu_);
    auto it = principals_.find(principal_id);  // (no allocation when it is there)
    if (it == principals_.end()) it = principals_.emplace(std::string(principal_id), Uses()).first;
    Uses& uses = it->second;
    auto use = std::find_if(uses.begin(), uses.end(),
                            [&](const Use& u) { return u.service == service; });
    // Whole minutes are enough, as for access keys.
    if (use != uses.end() && use->millis / 60000 == millis / 60000) return;
    if (use == uses.end()) use = uses.insert(uses.end(), Use{0, std::string(service), ""});
    use->millis = millis;
    use->region.assign(region.data(), region.size());
    any_principals_.store(true, std::memory_order_release);
    changed_principals_.insert(it->first);
  }
  // The services the user or role with this ID used since the last start, one Use each.
  using Uses = std::vector<Use>;
  Uses PrincipalUses(std::string_view principal_id) const {
    if (!any_principals_.load(std::memory_order_acquire)) return {};
    std::lock_guard lock(mu_);
    auto it = principals_.find(principal_id);
    return it == principals_.end() ? Uses() : it->second;
  }
  std::optional<Use> PrincipalLastUsed(std::string_view principal_id,
                                       std::string_view service) const {
    for (Use& u : PrincipalUses(principal_id))
      if (u.service == service) return std::move(u);
    return std::nullopt;
  }

  // An access report (GenerateServiceLastAccessedDetails), complete when made.
  struct AccessReport {
    // Who made it (Caller::user_id: the user's AIDA ID, ROLE-ID:SESSION for a role session, the
    // account for root): only the same user or role session may read it (AWS).
    std::string owner;
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
  // Reports are kept in memory within limits, the oldest going first: kMaxReports in all,
  // kMaxReportsPerOwner of each maker (one caller cannot push out the others' reports), and
  // kMaxReportBytes of entities in all (a report of a policy on thousands of users is large).
  static constexpr size_t kMaxReports = 1000;
  static constexpr size_t kMaxReportsPerOwner = 100;
  static constexpr size_t kMaxReportBytes = size_t{64} << 20;
  static size_t ReportBytes(const AccessReport& r) {
    size_t bytes = sizeof(AccessReport) + r.services.size() * sizeof(AccessReport::Service);
    for (const auto& e : r.entities)
      bytes += sizeof(e) + e.arn.size() + e.name.size() + e.id.size() + e.path.size();
    for (const auto& s : r.services) bytes += s.accesses.size() * (sizeof(s.accesses[0]) + 16);
    return bytes;
  }
  void StoreReport(std::string job_id, std::shared_ptr<const AccessReport> report) {
    const size_t bytes = ReportBytes(*report);
    std::lock_guard lock(mu_);
    auto evict = [this](std::deque<std::string>::iterator it) {
      auto found = reports_.find(*it);
      report_bytes_ -= ReportBytes(*found->second);
      reports_.erase(found);
      return report_order_.erase(it);
    };
    size_t of_owner = 0;
    for (const std::string& id : report_order_) of_owner += reports_.at(id)->owner == report->owner;
    for (auto it = report_order_.begin(); of_owner >= kMaxReportsPerOwner && it != report_order_.end();) {
      if (reports_.at(*it)->owner == report->owner) {
        it = evict(it);
        --of_owner;
      } else {
        ++it;
      }
    }
    while (!report_order_.empty() &&
           (reports_.size() >= kMaxReports || report_bytes_ + bytes > kMaxReportBytes))
      evict(report_order_.begin());
    report_bytes_ += bytes;
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
    for (const std::string& id : changed_principals_)
      for (const Use& use : principals_.find(id)->second) out.principals.emplace_back(id, use);
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
  size_t report_bytes_ = 0;               // ReportBytes of the reports kept

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
  // By user or role ID, one Use per service.
  std::unordered_map<std::string, std::vector<Use>, Hash, std::equal_to<>> principals_;
  std::unordered_set<std::string> changed_keys_;  // recorded since the last TakeChanged
  std::unordered_set<std::string> changed_roles_;
  std::unordered_set<std::string> changed_principals_;
  // Set (under mu_) once the map has an entry; entries are never removed.
  std::atomic<bool> any_keys_{false};
  std::atomic<bool> any_roles_{false};
  std::atomic<bool> any_principals_{false};
};

}  // namespace iamd::api
