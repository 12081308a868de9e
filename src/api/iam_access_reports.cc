// Handlers: IAM's service last accessed reports. GenerateServiceLastAccessedDetails makes a
// report for a user, group, role or managed policy: the services its permissions policies allow
// (each service whose namespace some Allow statement's actions reach, as
// ListPoliciesGrantingServiceAccess decides), and, per service, which of the entities concerned
// last authenticated to it. GetServiceLastAccessedDetails and
// GetServiceLastAccessedDetailsWithEntities read it back.
//
// AWS's behaviour, and where it was recorded:
//  - IAM API reference (the three operations, through the botocore model's documentation):
//    only permissions policies count (no boundary, resource or session policy); a user's
//    report covers its own and its groups' policies; a group's entities are its members, a
//    policy's the users and roles it is attached to (directly or through a group); a report is
//    read only by the principal that made it (the same user, or the same role session);
//    services come sorted by namespace, entities by date, the latest first; JobStatus, JobType,
//    JobCreationDate, JobCompletionDate.
//  - botocore's examples-1.json and a recorded response (cloud-custodian, tests/data/placebo/
//    test_iam_user_usage/iam.GetServiceLastAccessedDetails_2.json, 2019): a service never
//    accessed carries only ServiceName, ServiceNamespace and TotalAuthenticatedEntities 0; the
//    names (managed/services.h).
// iamd's own: the messages of a malformed ARN, an unknown JobId and a namespace not in the
// report (AWS's are not recorded); reports are made at once (COMPLETED), kept in memory
// (UsageTracker::StoreReport's limits; not across restarts); last accesses are the IAM and STS requests iamd served,
// stored with each user and role (UsageTracker, flushed like RoleLastUsed), and users' access
// keys' last uses; ACTION_LEVEL reports track no actions.
#include <algorithm>
#include <unordered_set>

#include "api/authz.h"
#include "api/iam_handlers.h"
#include "common/arn.h"
#include "common/strings.h"
#include "managed/services.h"

namespace iamd::api {
namespace {

using Report = UsageTracker::AccessReport;

// The policies and entities of the report's subject, while the model is locked.
struct Subject {
  std::vector<policy::PolicySource> policies;
  std::vector<const model::User*> users;
  std::vector<const model::Role*> roles;
  std::unordered_set<const model::User*> seen;  // users already in `users`
};

void AddUser(const model::User* user, Subject& s) {
  if (s.seen.insert(user).second) s.users.push_back(user);
}

Result<Subject> FindSubject(const Call& c, std::string_view arn) {
  auto parts = ParseArn(arn);
  if (!parts || parts->service != "iam" ||
      (parts->account != c.state.account_id() && parts->account != "aws"))
    return Fail(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.");
  Subject s;
  if (parts->resource.starts_with("policy/")) {  // the account's own, or an AWS managed one
    auto view = c.state.GetPolicy(arn);
    if (!view) return std::unexpected(view.error());
    AppendManagedPolicy(*view, ManagedId::kArn, s.policies);
    auto attached = c.state.EntitiesForPolicy(arn);
    for (const model::User* u : attached.users) AddUser(u, s);
    for (const model::Group* g : attached.groups)
      for (const model::User* u : g->members) AddUser(u, s);
    s.roles = attached.roles;
    return s;
  }
  if (parts->account == "aws")
    return Fail(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.");
  for (std::string_view type : {kUserResource, kRoleResource, kGroupResource}) {
    auto path_name = SplitIamResource(parts->resource, type);
    if (!path_name) continue;
    // The entity must exist under exactly this path (each kind's NoSuchEntity otherwise).
    const model::PolicyOwner* owner = c.state.FindPrincipalByArn(arn);
    if (type == kUserResource) {
      auto user = c.state.GetUser(path_name->name);
      if (!user) return std::unexpected(user.error());
      if (owner != *user) return Fail(ErrorCode::kNoSuchEntity, "The user with name " +
                                                                    path_name->name +
                                                                    " cannot be found.");
      AppendOwnerPolicies(**user, policy::PolicySourceType::kUser, ManagedId::kArn, s.policies);
      for (const model::Group* g : (*user)->groups)
        AppendOwnerPolicies(*g, policy::PolicySourceType::kGroup, ManagedId::kArn, s.policies);
      AddUser(*user, s);
    } else if (type == kRoleResource) {
      auto role = c.state.GetRole(path_name->name);
      if (!role) return std::unexpected(role.error());
      if (owner != *role)
        return Fail(ErrorCode::kNoSuchEntity,
                    "The role with name " + path_name->name + " cannot be found.");
      AppendOwnerPolicies(**role, policy::PolicySourceType::kRole, ManagedId::kArn, s.policies);
      s.roles.push_back(*role);
    } else {
      auto group = c.state.GetGroup(path_name->name);
      if (!group) return std::unexpected(group.error());
      if (owner != *group)
        return Fail(ErrorCode::kNoSuchEntity,
                    "The group with name " + path_name->name + " cannot be found.");
      AppendOwnerPolicies(**group, policy::PolicySourceType::kGroup, ManagedId::kArn,
                          s.policies);
      for (const model::User* u : (*group)->members) AddUser(u, s);
    }
    return s;
  }
  return Fail(ErrorCode::kInvalidInput, "ARN " + std::string(arn) +
                                            " is not the ARN of a user, group, role or policy.");
}

// When an entity last authenticated to each service, as iamd knows it: what its record stores,
// or a later use recorded since the last flush; for a user also its access keys' last uses.
std::vector<UsageTracker::Use> EntityUses(const Call& c, std::string_view id,
                                          const std::string& services_used,
                                          const model::User* user) {
  std::vector<UsageTracker::Use> uses;
  auto consider = [&](std::string_view service, int64_t millis, std::string_view region) {
    auto it = std::find_if(uses.begin(), uses.end(),
                           [&](const auto& u) { return u.service == service; });
    if (it == uses.end())
      uses.push_back({millis, std::string(service), std::string(region)});
    else if (millis > it->millis)
      *it = UsageTracker::Use{millis, std::string(service), std::string(region)};
  };
  for (const UsageTracker::Use& u : c.usage.PrincipalUses(id)) consider(u.service, u.millis, u.region);
  for (const model::ServiceUse& u : model::ParseServiceUses(services_used))
    consider(u.service, u.millis, u.region);
  if (user)
    for (const model::AccessKey* key : user->access_keys)
      if (auto used = LastKeyUse(c.usage, *key)) consider(used->service, used->millis, used->region);
  return uses;
}

// The report the caller made under JobId. NoSuchEntity for another caller's, as for none.
Result<std::shared_ptr<const Report>> FindReport(const Call& c) {
  std::string_view job_id = c.p.Str("JobId");
  auto report = c.usage.FindReport(job_id);
  if (!report || report->owner != c.caller.user_id)
    return Fail(ErrorCode::kNoSuchEntity,
                "No report with job ID " + std::string(job_id) + " was found.");
  return report;
}

void WriteJob(Call& c, const Report& report, bool job_type) {
  c.xml.Element("JobStatus", "COMPLETED");
  if (job_type) c.xml.Element("JobType", report.job_type);
  WriteDate(c.xml, "JobCreationDate", report.created_millis);
  WriteDate(c.xml, "JobCompletionDate", report.completed_millis);
}

// Marker: the index of the first item of the next page, as text.
Result<std::pair<size_t, size_t>> PageOf(const Call& c, size_t total) {
  size_t begin = 0;
  if (auto marker = c.p.OptStr("Marker")) {
    auto n = ParseInt64(*marker);
    if (!n || *n <= 0 || static_cast<size_t>(*n) >= total)
      return Fail(ErrorCode::kInvalidInput, "Invalid Marker.");
    begin = static_cast<size_t>(*n);
  }
  const size_t max = static_cast<size_t>(c.p.OptInt("MaxItems").value_or(100));
  return std::pair{begin, std::min(total, begin + max)};
}

void WritePageEnd(Call& c, size_t end, size_t total) {
  c.xml.Element("IsTruncated", end < total ? "true" : "false");
  if (end < total) c.xml.Element("Marker", std::to_string(end));
}

}  // namespace

Status GenerateServiceLastAccessedDetails(Call& c) {
  std::string_view arn = c.p.Str("Arn");
  auto subject = FindSubject(c, arn);
  if (!subject) return std::unexpected(subject.error());
  auto report = std::make_shared<Report>();
  report->owner = c.caller.user_id;
  report->job_type = c.p.OptStr("Granularity").value_or("SERVICE_LEVEL");
  report->created_millis = c.clock.NowMillis();
  // Parallel to report->entities: the services each used.
  std::vector<std::vector<UsageTracker::Use>> entity_uses;
  for (const model::User* u : subject->users) {
    report->entities.push_back({u->arn, u->rec.name, "USER", u->rec.id, u->rec.path});
    entity_uses.push_back(EntityUses(c, u->rec.id, u->rec.services_used, u));
  }
  for (const model::Role* r : subject->roles) {
    report->entities.push_back({r->arn, r->rec.name, "ROLE", r->rec.id, r->rec.path});
    entity_uses.push_back(EntityUses(c, r->rec.id, r->rec.services_used, nullptr));
  }
  for (const managed::AwsService& service : managed::AllServices()) {
    const bool allowed = std::any_of(
        subject->policies.begin(), subject->policies.end(), [&](const policy::PolicySource& p) {
          return policy::AllowsSomeActionOf(*p.policy, service.service_namespace);
        });
    if (!allowed) continue;
    Report::Service& out = report->services.emplace_back();
    out.service_namespace = service.service_namespace;
    out.name = service.name;
    for (size_t i = 0; i < report->entities.size(); ++i)
      for (const UsageTracker::Use& use : entity_uses[i])
        if (use.service == service.service_namespace) out.accesses.emplace_back(i, use);
    std::stable_sort(out.accesses.begin(), out.accesses.end(),
                     [](const auto& a, const auto& b) { return a.second.millis > b.second.millis; });
  }
  report->completed_millis = c.clock.NowMillis();
  std::string job_id = c.ids.NewRequestId();
  c.usage.StoreReport(job_id, std::move(report));
  c.xml.Element("JobId", job_id);
  return {};
}

Status GetServiceLastAccessedDetails(Call& c) {
  auto report = FindReport(c);
  if (!report) return std::unexpected(report.error());
  const Report& r = **report;
  auto page = PageOf(c, r.services.size());
  if (!page) return std::unexpected(page.error());
  WriteJob(c, r, true);
  c.xml.Open("ServicesLastAccessed");
  for (size_t i = page->first; i < page->second; ++i) {
    const Report::Service& s = r.services[i];
    c.xml.Open("member");
    c.xml.Element("ServiceName", s.name);
    if (!s.accesses.empty()) {
      const auto& [entity, use] = s.accesses.front();
      WriteDate(c.xml, "LastAuthenticated", use.millis);
    }
    c.xml.Element("ServiceNamespace", s.service_namespace);
    if (!s.accesses.empty()) {
      const auto& [entity, use] = s.accesses.front();
      c.xml.Element("LastAuthenticatedEntity", r.entities[entity].arn);
      c.xml.Element("LastAuthenticatedRegion", use.region);
    }
    c.xml.Element("TotalAuthenticatedEntities", static_cast<int64_t>(s.accesses.size()));
    c.xml.Close("member");
  }
  c.xml.Close("ServicesLastAccessed");
  WritePageEnd(c, page->second, r.services.size());
  return {};
}

Status GetServiceLastAccessedDetailsWithEntities(Call& c) {
  auto report = FindReport(c);
  if (!report) return std::unexpected(report.error());
  const Report& r = **report;
  std::string_view service_namespace = c.p.Str("ServiceNamespace");
  auto service = std::find_if(r.services.begin(), r.services.end(), [&](const auto& s) {
    return s.service_namespace == service_namespace;
  });
  if (service == r.services.end())
    return Fail(ErrorCode::kInvalidInput, "The report has no service with namespace " +
                                              std::string(service_namespace) + ".");
  // Those that authenticated, the latest first; then the others, in the report's order.
  std::vector<std::pair<size_t, const UsageTracker::Use*>> rows;
  for (const auto& [entity, use] : service->accesses) rows.emplace_back(entity, &use);
  std::vector<bool> accessed(r.entities.size());
  for (const auto& [entity, use] : service->accesses) accessed[entity] = true;
  for (size_t i = 0; i < r.entities.size(); ++i)
    if (!accessed[i]) rows.emplace_back(i, nullptr);
  auto page = PageOf(c, rows.size());
  if (!page) return std::unexpected(page.error());
  WriteJob(c, r, false);
  c.xml.Open("EntityDetailsList");
  for (size_t i = page->first; i < page->second; ++i) {
    const Report::Entity& e = r.entities[rows[i].first];
    c.xml.Open("member");
    c.xml.Open("EntityInfo");
    c.xml.Element("Arn", e.arn);
    c.xml.Element("Name", e.name);
    c.xml.Element("Type", e.type);
    c.xml.Element("Id", e.id);
    c.xml.Element("Path", e.path);
    c.xml.Close("EntityInfo");
    if (rows[i].second) WriteDate(c.xml, "LastAuthenticated", rows[i].second->millis);
    c.xml.Close("member");
  }
  c.xml.Close("EntityDetailsList");
  WritePageEnd(c, page->second, rows.size());
  return {};
}

}  // namespace iamd::api
