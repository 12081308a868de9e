// Roles and service-linked roles.
#include <algorithm>

#include "common/arn.h"
#include "common/strings.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/internal/service_linked_roles.h"
#include "model/state.h"

namespace iamd::model {

using internal::CheckModifiable;
using internal::NoSuchRole;

namespace {

Result<policy::PolicyPtr> CheckTrustPolicy(std::string_view document) {
  auto compiled = policy::ParsePolicy(document, policy::PolicyKind::kTrust);
  if (!compiled) return std::unexpected(compiled.error());
  if (PolicySize(document) > kMaxTrustPolicySize)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for ACLSizePerRole: 2048");
  return compiled;
}

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

}  // namespace

Result<std::string> State::BindTrustPrincipals(const policy::Policy& trust) const {
  // AWS refuses a trust policy naming a user or role of the account that does not exist
  // ("Invalid principal in policy"), and remembers the unique ID of those that do.
  std::string ids;
  for (const policy::Statement& st : trust.statements())
    for (std::string_view arn : st.principals.arns) {
      auto parts = ParseArn(arn);
      if (!parts || parts->service != "iam" || parts->account != account_id_ || HasWildcard(arn))
        continue;
      bool user = SplitIamResource(parts->resource, kUserResource).has_value();
      bool role = SplitIamResource(parts->resource, kRoleResource).has_value();
      if (!user && !role) continue;
      const PolicyOwner* owner = FindPrincipalByArn(arn);
      if (!owner)
        return Fail(ErrorCode::kMalformedPolicyDocument,
                    "Invalid principal in policy: \"AWS\":\"" + std::string(arn) + "\"");
      ids.append(arn).append("\t").append(OwnerId(*owner)).append("\n");
    }
  // A Federated principal is a domain name (accounts.google.com, cognito-identity.amazonaws.com)
  // or an identity provider's ARN; one of this account's must name a provider that exists.
  // AWS's refusal, recorded (terraform-aws-modules/terraform-aws-eks#2594, a role naming an OIDC
  // provider the account lacked): MalformedPolicyDocument "Federated principals must be valid
  // domain names or SAML metadata ARNs".
  for (const policy::Statement& st : trust.statements())
    for (std::string_view federated : st.principals.federated) {
      auto parts = ParseArn(federated);
      if (!parts || parts->service != "iam" || parts->account != account_id_ ||
          HasWildcard(federated))
        continue;
      const bool oidc = parts->resource.starts_with("oidc-provider/");
      const bool saml = parts->resource.starts_with("saml-provider/");
      if ((oidc && GetOidcProvider(federated)) || (saml && GetSamlProvider(federated))) continue;
      return Fail(ErrorCode::kMalformedPolicyDocument,
                  "Federated principals must be valid domain names or SAML metadata ARNs");
    }
  return ids;
}

Result<Role*> State::MutableRole(std::string_view name) {
  auto it = roles_.find(name);
  if (it == roles_.end()) return NoSuchRole(name);
  return it->second.get();
}

Result<const Role*> State::GetRole(std::string_view name) const {
  auto it = roles_.find(name);
  if (it == roles_.end()) return NoSuchRole(name);
  return it->second.get();
}

Result<const Role*> State::CreateRole(const CreateRoleInput& in, ChangeSet& out) {
  auto trust = CheckTrustPolicy(in.trust_policy);
  if (!trust) return std::unexpected(trust.error());
  auto principal_ids = BindTrustPrincipals(**trust);
  if (!principal_ids) return std::unexpected(principal_ids.error());
  if (in.permissions_boundary) IAMD_TRY(CheckBoundaryArn(*in.permissions_boundary));
  Tags tags;
  IAMD_TRY(internal::MergeTags(tags, in.tags, "Role"));
  if (roles_.contains(in.name))
    return Fail(ErrorCode::kEntityAlreadyExists, "Role with name " + in.name + " already exists.");
  RoleRecord r;
  r.id = ids_.NewUniqueId(kRoleIdPrefix);
  r.name = in.name;
  r.path = in.path;
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.trust_policy = in.trust_policy;
  r.trust_principal_ids = std::move(*principal_ids);
  r.description = in.description;
  r.max_session_duration = in.max_session_duration.value_or(3600);
  r.permissions_boundary_arn = in.permissions_boundary.value_or("");
  r.tags = std::move(tags);
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return roles_by_id_.at(id);
}

Result<const Role*> State::UpdateRole(std::string_view name,
                                      const std::optional<std::string>& description,
                                      std::optional<int64_t> max_session_duration,
                                      ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  IAMD_TRY(CheckModifiable(**role));
  RoleRecord r = (*role)->rec;
  if (description) r.description = *description;
  if (max_session_duration) r.max_session_duration = *max_session_duration;
  IAMD_TRY(Emit(std::move(r), out));
  return *role;
}

Result<const Role*> State::UpdateAssumeRolePolicy(std::string_view name, std::string_view document,
                                                  ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  IAMD_TRY(CheckModifiable(**role));
  auto trust = CheckTrustPolicy(document);
  if (!trust) return std::unexpected(trust.error());
  auto principal_ids = BindTrustPrincipals(**trust);
  if (!principal_ids) return std::unexpected(principal_ids.error());
  RoleRecord r = (*role)->rec;
  r.trust_policy = std::string(document);
  r.trust_principal_ids = std::move(*principal_ids);
  IAMD_TRY(Emit(std::move(r), out));
  return *role;
}

void State::RecordRoleUse(std::string_view role_id, int64_t millis, std::string_view region,
                          ChangeSet& out) {
  auto it = roles_by_id_.find(role_id);
  EmitLaterUse(it == roles_by_id_.end() ? nullptr : it->second, millis,
               [region](RoleRecord& r) { r.last_used_region.assign(region.data(), region.size()); },
               out);
}

Status State::DeleteRole(std::string_view name, ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  const Role& r = **role;
  IAMD_TRY(CheckModifiable(r));
  // AWS checks in this order: instance profiles, then managed policies, then inline policies.
  if (!r.profiles.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove roles from instance profile first.");
  if (!r.attached.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must detach all policies first.");
  if (!r.inline_policies.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete policies first.");
  return Emit(Removed<RoleKey>{{r.rec.id}}, out);
}

Status State::PutRolePermissionsBoundary(std::string_view name, std::string_view arn,
                                         ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  IAMD_TRY(CheckModifiable(**role));
  IAMD_TRY(CheckBoundaryArn(arn));
  RoleRecord r = (*role)->rec;
  r.permissions_boundary_arn = std::string(arn);
  return Emit(std::move(r), out);
}

Status State::DeleteRolePermissionsBoundary(std::string_view name, ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  IAMD_TRY(CheckModifiable(**role));
  if ((*role)->rec.permissions_boundary_arn.empty()) return {};
  RoleRecord r = (*role)->rec;
  r.permissions_boundary_arn.clear();
  return Emit(std::move(r), out);
}

Status State::TagRole(std::string_view name, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableRole(name), tags, "Role", out);
}

Status State::UntagRole(std::string_view name, std::span<const std::string> keys, ChangeSet& out) {
  return UntagFound(MutableRole(name), keys, /*case_sensitive=*/false, out);
}

// ---- service-linked roles ----

std::string ServiceLinkedRoleArn(std::string_view account, std::string_view service,
                                 std::string_view custom_suffix) {
  const internal::ServiceLinkedRoleSpec* spec = internal::FindServiceLinkedRole(service);
  if (!spec) return "";
  std::string name(spec->role_name);
  // append(), not `"_" + std::string(...)`: g++ 12 reports a false -Wrestrict for the latter.
  if (!custom_suffix.empty()) name.append("_").append(custom_suffix);
  std::string path = "/aws-service-role/";
  path.append(service).append("/");
  return IamArn(account, kRoleResource, path, name);
}

Result<const Role*> State::CreateServiceLinkedRole(std::string_view service,
                                                   const std::optional<std::string>& description,
                                                   const std::optional<std::string>& custom_suffix,
                                                   ChangeSet& out) {
  const internal::ServiceLinkedRoleSpec* spec = internal::FindServiceLinkedRole(service);
  if (!spec)
    return Fail(ErrorCode::kInvalidInput,
                "Unrecognized service principal: " + std::string(service) + ".");
  std::string name(spec->role_name);
  if (custom_suffix) {
    if (!spec->custom_suffix_allowed)
      return Fail(ErrorCode::kInvalidInput,
                  "Custom suffix is not allowed for " + std::string(service));
    name += "_" + *custom_suffix;
  }
  if (roles_.contains(name))
    return Fail(ErrorCode::kInvalidInput, "Service role name " + name +
                                              " has been taken in this account, please try a "
                                              "different suffix.");
  std::string policy_arn;
  if (!spec->policy_name.empty()) {
    policy_arn = "arn:aws:iam::aws:policy/aws-service-role/" + std::string(spec->policy_name);
    if (!GetPolicy(policy_arn)) policy_arn.clear();  // not in the catalog: attach nothing
  }
  RoleRecord r;
  r.id = ids_.NewUniqueId(kRoleIdPrefix);
  r.name = name;
  r.path = "/aws-service-role/" + std::string(service) + "/";
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  // The trust policy AWS gives service-linked roles (recorded from AWS).
  r.trust_policy =
      "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{"
      "\"Service\":\"" +
      std::string(service) + "\"}}],\"Version\":\"2012-10-17\"}";
  r.description = description;
  r.max_session_duration = 3600;
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  if (!policy_arn.empty())
    IAMD_TRY(Emit(AttachmentRecord{OwnerKind::kRole, id, policy_arn}, out));
  return roles_by_id_.at(id);
}

Result<std::string> State::DeleteServiceLinkedRole(std::string_view name, ChangeSet& out) {
  auto role = MutableRole(name);
  if (!role) return std::unexpected(role.error());
  const Role& r = **role;
  if (!r.service_linked())
    return Fail(ErrorCode::kInvalidInput,
                "Role " + r.rec.name + " is not a service-linked role.");  // checked below too
  if (!r.profiles.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove roles from instance profile first.");
  // AWS deletes the role and its policies asynchronously; iamd does it at once and records a
  // task that reports SUCCEEDED.
  std::string service = r.rec.path.substr(18, r.rec.path.size() - 19);  // /aws-service-role/X/
  std::string task_id = "task/aws-service-role/" + service + "/" + r.rec.name + "/" +
                        ids_.NewRequestId();
  std::string role_id = r.rec.id;
  std::vector<std::string> attached = r.attached;
  std::vector<std::string> inline_names;
  for (const auto& [k, p] : r.inline_policies) inline_names.push_back(p.name);
  for (const auto& arn : attached)
    IAMD_TRY(Emit(Removed<AttachmentKey>{{OwnerKind::kRole, role_id, arn}}, out));
  for (const auto& n : inline_names)
    IAMD_TRY(Emit(Removed<InlinePolicyKey>{{OwnerKind::kRole, role_id, n}}, out));
  IAMD_TRY(Emit(Removed<RoleKey>{{role_id}}, out));
  IAMD_TRY(Emit(DeletionTaskRecord{task_id, "SUCCEEDED", clock_.NowMillis()}, out));
  return task_id;
}

Result<const DeletionTaskRecord*> State::GetDeletionTask(std::string_view task_id) const {
  auto it = deletion_tasks_.find(std::string(task_id));
  if (it == deletion_tasks_.end())
    return Fail(ErrorCode::kNoSuchEntity,
                "Deletion task " + std::string(task_id) + " cannot be found.");
  return &it->second;
}

}  // namespace iamd::model
