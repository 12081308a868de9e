// Managed policies: AWS's (read-only, from the catalog) and the customer's, with versions.
#include "common/arn.h"
#include "common/strings.h"
#include "managed/catalog.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {

using internal::NoSuchPolicy;

namespace {

Status CheckManagedDocument(std::string_view document) {
  auto compiled = policy::ParsePolicy(document, policy::PolicyKind::kManagedIdentity);
  if (!compiled) return std::unexpected(compiled.error());
  if (PolicySize(document) > kMaxManagedPolicySize)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for PolicySize: 6144");
  return {};
}

// AWS refuses changes to its own policies.
Status NotAwsManaged(std::string_view arn) {
  if (managed::FindByArn(arn))
    return Fail(ErrorCode::kInvalidInput,
                "ARN " + std::string(arn) + " is not valid: AWS managed policies cannot be "
                                            "modified.");
  return {};
}

}  // namespace

Result<PolicyView> State::GetPolicy(std::string_view arn) const {
  if (const auto* aws = managed::FindByArn(arn)) {
    PolicyView v;
    v.aws = aws;
    auto it = aws_usage_.find(arn);
    if (it != aws_usage_.end()) v.usage = &it->second;
    return v;
  }
  auto parts = ParseArn(arn);
  if (!parts || parts->service != "iam" || parts->account != account_id_)
    return NoSuchPolicy(arn);
  auto pn = SplitIamResource(parts->resource, kPolicyResource);
  if (!pn) return NoSuchPolicy(arn);
  auto it = policies_.find(pn->name);
  if (it == policies_.end() || it->second->arn != arn) return NoSuchPolicy(arn);
  PolicyView v;
  v.local = it->second.get();
  return v;
}

Result<ManagedPolicy*> State::MutableLocalPolicy(std::string_view arn) {
  IAMD_TRY(NotAwsManaged(arn));
  auto view = GetPolicy(arn);
  if (!view) return std::unexpected(view.error());
  return const_cast<ManagedPolicy*>(view->local);
}

Result<const ManagedPolicy*> State::CreatePolicy(const CreatePolicyInput& in, ChangeSet& out) {
  IAMD_TRY(CheckManagedDocument(in.document));
  Tags tags;
  IAMD_TRY(internal::MergeTags(tags, in.tags, "Policy"));
  if (policies_.contains(in.name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "A policy called " + in.name + " already exists. Duplicate names are not allowed.");
  int64_t now = clock_.NowMillis() / 1000 * 1000;
  ManagedPolicyRecord r;
  r.id = ids_.NewUniqueId(kPolicyIdPrefix);
  r.name = in.name;
  r.path = in.path;
  r.description = in.description;
  r.create_millis = now;
  r.update_millis = now;
  r.default_version_id = "v1";
  r.next_version_number = 2;
  r.tags = std::move(tags);
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  IAMD_TRY(Emit(PolicyVersionRecord{id, "v1", in.document, now}, out));
  return policies_by_id_.at(id);
}

Status State::DeletePolicy(std::string_view arn, ChangeSet& out) {
  auto p = MutableLocalPolicy(arn);
  if (!p) return std::unexpected(p.error());
  const ManagedPolicy& policy = **p;
  if (policy.attachment_count > 0)
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete a policy attached to entities.");
  if (policy.boundary_usage_count > 0)
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete a policy used as a permissions boundary.");
  if (policy.versions.size() > 1)
    return Fail(ErrorCode::kDeleteConflict,
                "This policy has more than one version. Before you delete a policy, you must "
                "delete the policy's versions. The default version is deleted with the policy.");
  std::string id = policy.rec.id;
  std::vector<std::string> versions;
  for (const auto& [n, v] : policy.versions) versions.push_back(v.rec.version_id);
  for (const auto& v : versions) IAMD_TRY(Emit(Removed<PolicyVersionKey>{{id, v}}, out));
  return Emit(Removed<ManagedPolicyKey>{{id}}, out);
}

Result<const PolicyVersion*> State::CreatePolicyVersion(std::string_view arn,
                                                        std::string_view document,
                                                        bool set_as_default, ChangeSet& out) {
  auto p = MutableLocalPolicy(arn);
  if (!p) return std::unexpected(p.error());
  IAMD_TRY(CheckManagedDocument(document));
  ManagedPolicy& policy = **p;
  if (policy.versions.size() >= kMaxPolicyVersions)
    return Fail(ErrorCode::kLimitExceeded,
                "A managed policy can have up to 5 versions. Before you create a new version, you "
                "must delete an existing version.");
  int64_t now = clock_.NowMillis() / 1000 * 1000;
  int64_t number = policy.rec.next_version_number;
  std::string version_id = "v";
  version_id += std::to_string(number);  // (not "v" + ...: GCC 12 -Wrestrict false positive)
  ManagedPolicyRecord r = policy.rec;
  r.next_version_number = number + 1;
  if (set_as_default) {
    r.default_version_id = version_id;
    r.update_millis = now;
  }
  IAMD_TRY(Emit(PolicyVersionRecord{r.id, version_id, std::string(document), now}, out));
  IAMD_TRY(Emit(std::move(r), out));
  return &policy.versions.at(number);
}

Status State::DeletePolicyVersion(std::string_view arn, std::string_view version_id,
                                  ChangeSet& out) {
  auto p = MutableLocalPolicy(arn);
  if (!p) return std::unexpected(p.error());
  ManagedPolicy& policy = **p;
  const PolicyVersion* found = nullptr;
  for (const auto& [n, v] : policy.versions)
    if (v.rec.version_id == version_id) found = &v;
  if (!found)
    return Fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " version " +
                                              std::string(version_id) +
                                              " does not exist or is not attachable.");
  if (policy.rec.default_version_id == version_id)
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete the default version of a policy.");
  return Emit(Removed<PolicyVersionKey>{{policy.rec.id, std::string(version_id)}}, out);
}

Status State::SetDefaultPolicyVersion(std::string_view arn, std::string_view version_id,
                                      ChangeSet& out) {
  auto p = MutableLocalPolicy(arn);
  if (!p) return std::unexpected(p.error());
  ManagedPolicy& policy = **p;
  bool exists = false;
  for (const auto& [n, v] : policy.versions) exists |= v.rec.version_id == version_id;
  if (!exists)
    return Fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " version " +
                                              std::string(version_id) +
                                              " does not exist or is not attachable.");
  ManagedPolicyRecord r = policy.rec;
  r.default_version_id = std::string(version_id);
  r.update_millis = clock_.NowMillis() / 1000 * 1000;
  return Emit(std::move(r), out);
}

Status State::TagPolicy(std::string_view arn, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableLocalPolicy(arn), tags, "Policy", out);
}

Status State::UntagPolicy(std::string_view arn, std::span<const std::string> keys,
                          ChangeSet& out) {
  return UntagFound(MutableLocalPolicy(arn), keys, /*case_sensitive=*/true, out);
}

}  // namespace iamd::model
