// Users, groups, access keys and login profiles.
#include <algorithm>

#include "common/strings.h"
#include "model/internal/messages.h"
#include "model/internal/tagging.h"
#include "model/state.h"

namespace iamd::model {

using internal::NoSuchGroup;
using internal::NoSuchUser;

Result<User*> State::MutableUser(std::string_view name) {
  auto it = users_.find(name);
  if (it == users_.end()) return NoSuchUser(name);
  return it->second.get();
}

template <typename Entity>
Result<const Entity*> State::FindOwned(const StringMap<std::unique_ptr<Entity>>& map,
                                       std::string_view user_name, std::string_view id,
                                       std::unexpected<Error> (*missing)(std::string_view)) const {
  auto user = GetUser(user_name);
  if (!user) return std::unexpected(user.error());
  auto it = map.find(id);
  if (it == map.end() || it->second->user != *user) return missing(id);
  return it->second.get();
}

template <typename Entity>
Status State::SetOwnedActive(const StringMap<std::unique_ptr<Entity>>& map,
                             std::string_view user_name, std::string_view id, bool active,
                             std::unexpected<Error> (*missing)(std::string_view), ChangeSet& out) {
  auto entity = FindOwned(map, user_name, id, missing);
  if (!entity) return std::unexpected(entity.error());
  auto r = (*entity)->rec;
  r.active = active;
  return Emit(std::move(r), out);
}

template <typename Entity, typename Record>
Result<const Entity*> State::AddOwned(const StringMap<std::unique_ptr<Entity>>& map, Record r,
                                      ChangeSet& out) {
  r.active = true;
  r.upload_millis = clock_.NowMillis();  // shown in whole seconds; milliseconds keep the order
  const std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return map.at(id).get();
}

template <typename Key, typename Entity>
Status State::RemoveOwned(const StringMap<std::unique_ptr<Entity>>& map,
                          std::string_view user_name, std::string_view id,
                          std::unexpected<Error> (*missing)(std::string_view), ChangeSet& out) {
  auto entity = FindOwned(map, user_name, id, missing);
  if (!entity) return std::unexpected(entity.error());
  return Emit(Removed<Key>{{std::string(id)}}, out);
}

Result<const User*> State::GetUser(std::string_view name) const {
  auto it = users_.find(name);
  if (it == users_.end()) return NoSuchUser(name);
  return it->second.get();
}

Result<Group*> State::MutableGroup(std::string_view name) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return NoSuchGroup(name);
  return it->second.get();
}

Result<const Group*> State::GetGroup(std::string_view name) const {
  auto it = groups_.find(name);
  if (it == groups_.end()) return NoSuchGroup(name);
  return it->second.get();
}

Result<const User*> State::CreateUser(const CreateUserInput& in, ChangeSet& out) {
  if (in.permissions_boundary) IAMD_TRY(CheckBoundaryArn(*in.permissions_boundary));
  Tags tags;
  IAMD_TRY(internal::MergeTags(tags, in.tags, "User"));
  if (users_.contains(in.name))
    return Fail(ErrorCode::kEntityAlreadyExists, "User with name " + in.name + " already exists.");
  UserRecord r;
  r.id = ids_.NewUniqueId(kUserIdPrefix);
  r.name = in.name;
  r.path = in.path;
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.permissions_boundary_arn = in.permissions_boundary.value_or("");
  r.tags = std::move(tags);
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return users_by_id_.at(id);
}

Status State::UpdateUser(std::string_view name, const std::optional<std::string>& new_name,
                         const std::optional<std::string>& new_path, ChangeSet& out) {
  auto user = MutableUser(name);
  if (!user) return std::unexpected(user.error());
  UserRecord r = (*user)->rec;
  if (new_name && !EqualsIgnoreCase(*new_name, r.name) && users_.contains(*new_name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "User with name " + *new_name + " already exists.");
  if (new_name) r.name = *new_name;
  if (new_path) r.path = *new_path;
  return Emit(std::move(r), out);
}

Status State::DeleteUser(std::string_view name, ChangeSet& out) {
  auto user = MutableUser(name);
  if (!user) return std::unexpected(user.error());
  const User& u = **user;
  // The order of AWS's checks (IAM User Guide, "Deleting an IAM user"): password, access keys,
  // then policies and groups.
  if (u.login_profile)
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete login profile first.");
  if (!u.access_keys.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete access keys first.");
  // iamd's wording, after the others (AWS lists signing certificates after access keys).
  if (!u.certificates.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must delete signing certificates first.");
  if (!u.ssh_keys.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must delete SSH public keys first.");
  // AWS's words for service-specific credentials (LocalStack's AWS-validated test of
  // DeleteUser with them).
  if (!u.service_credentials.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove referenced objects first.");
  // AWS's words (quoted from AWS's answers in rebuy-de/aws-nuke issue 281).
  if (!u.mfa_devices.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete MFA device first.");
  if (!u.attached.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must detach all policies first.");
  if (!u.inline_policies.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete policies first.");
  if (!u.groups.empty())
    return Fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove user from all groups first.");
  return Emit(Removed<UserKey>{{u.rec.id}}, out);
}

Status State::PutUserPermissionsBoundary(std::string_view name, std::string_view arn,
                                         ChangeSet& out) {
  auto user = MutableUser(name);
  if (!user) return std::unexpected(user.error());
  IAMD_TRY(CheckBoundaryArn(arn));
  UserRecord r = (*user)->rec;
  r.permissions_boundary_arn = std::string(arn);
  return Emit(std::move(r), out);
}

Status State::DeleteUserPermissionsBoundary(std::string_view name, ChangeSet& out) {
  auto user = MutableUser(name);
  if (!user) return std::unexpected(user.error());
  if ((*user)->rec.permissions_boundary_arn.empty()) return {};
  UserRecord r = (*user)->rec;
  r.permissions_boundary_arn.clear();
  return Emit(std::move(r), out);
}

Status State::TagUser(std::string_view name, const Tags& tags, ChangeSet& out) {
  return TagFound(MutableUser(name), tags, "User", out);
}

Status State::UntagUser(std::string_view name, std::span<const std::string> keys, ChangeSet& out) {
  return UntagFound(MutableUser(name), keys, /*case_sensitive=*/false, out);
}

// ---- groups ----

Result<const Group*> State::CreateGroup(std::string_view name, std::string_view path,
                                        ChangeSet& out) {
  if (groups_.contains(name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "Group with name " + std::string(name) + " already exists.");
  GroupRecord r;
  r.id = ids_.NewUniqueId(kGroupIdPrefix);
  r.name = std::string(name);
  r.path = std::string(path);
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  std::string id = r.id;
  IAMD_TRY(Emit(std::move(r), out));
  return groups_by_id_.at(id);
}

Status State::UpdateGroup(std::string_view name, const std::optional<std::string>& new_name,
                          const std::optional<std::string>& new_path, ChangeSet& out) {
  auto group = MutableGroup(name);
  if (!group) return std::unexpected(group.error());
  GroupRecord r = (*group)->rec;
  if (new_name && !EqualsIgnoreCase(*new_name, r.name) && groups_.contains(*new_name))
    return Fail(ErrorCode::kEntityAlreadyExists,
                "Group with name " + *new_name + " already exists.");
  if (new_name) r.name = *new_name;
  if (new_path) r.path = *new_path;
  return Emit(std::move(r), out);
}

Status State::DeleteGroup(std::string_view name, ChangeSet& out) {
  auto group = MutableGroup(name);
  if (!group) return std::unexpected(group.error());
  const Group& g = **group;
  if (!g.members.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must remove users from group first.");
  if (!g.attached.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must detach all policies first.");
  if (!g.inline_policies.empty())
    return Fail(ErrorCode::kDeleteConflict, "Cannot delete entity, must delete policies first.");
  return Emit(Removed<GroupKey>{{g.rec.id}}, out);
}

Status State::AddUserToGroup(std::string_view group_name, std::string_view user_name,
                             ChangeSet& out) {
  auto group = MutableGroup(group_name);
  if (!group) return std::unexpected(group.error());
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  const std::vector<Group*>& groups = (*user)->groups;
  if (std::find(groups.begin(), groups.end(), *group) == groups.end() &&
      groups.size() >= kMaxGroupsPerUser)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for GroupsPerUser: " +
                                               std::to_string(kMaxGroupsPerUser));
  return Emit(GroupMembershipRecord{(*group)->rec.id, (*user)->rec.id}, out);
}

Status State::RemoveUserFromGroup(std::string_view group_name, std::string_view user_name,
                                  ChangeSet& out) {
  // AWS reports a missing user before a missing group (recorded).
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  auto group = MutableGroup(group_name);
  if (!group) return std::unexpected(group.error());
  // Removing a user who is not a member succeeds and changes nothing (recorded from AWS).
  const auto& members = (*group)->members;
  if (std::find(members.begin(), members.end(), *user) == members.end()) return {};
  return Emit(Removed<GroupMembershipKey>{{(*group)->rec.id, (*user)->rec.id}}, out);
}

// ---- access keys ----

Result<const AccessKey*> State::CreateAccessKey(std::string_view user_name,
                                                std::string access_key_id,
                                                std::string secret_sealed, ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  if ((*user)->access_keys.size() >= kMaxAccessKeysPerUser)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for AccessKeysPerUser: 2");
  AccessKeyRecord r;
  r.access_key_id = std::move(access_key_id);
  r.user_id = (*user)->rec.id;
  r.active = true;
  r.create_millis = clock_.NowMillis() / 1000 * 1000;
  r.secret_sealed = std::move(secret_sealed);
  std::string id = r.access_key_id;
  IAMD_TRY(Emit(std::move(r), out));
  return access_keys_.at(id).get();
}

namespace {
std::unexpected<Error> NoSuchKey(std::string_view key_id) {
  return Fail(ErrorCode::kNoSuchEntity,
              "The Access Key with id " + std::string(key_id) + " cannot be found.");
}
}  // namespace

Status State::UpdateAccessKey(std::string_view user_name, std::string_view key_id, bool active,
                              ChangeSet& out) {
  return SetOwnedActive(access_keys_, user_name, key_id, active, NoSuchKey, out);
}

void State::RecordAccessKeyUse(std::string_view key_id, int64_t millis,
                               std::string_view service, std::string_view region,
                               ChangeSet& out) {
  auto it = access_keys_.find(key_id);
  EmitLaterUse(it == access_keys_.end() ? nullptr : it->second.get(), millis,
               [service, region](AccessKeyRecord& r) {
                 r.last_used_service.assign(service.data(), service.size());
                 r.last_used_region.assign(region.data(), region.size());
               },
               out);
}

std::vector<ServiceUse> ParseServiceUses(std::string_view text) {
  std::vector<ServiceUse> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const size_t a = line.find(' '), b = line.rfind(' ');
    if (a == std::string_view::npos || a == b) continue;
    auto millis = ParseInt64(line.substr(a + 1, b - a - 1));
    if (!millis) continue;
    out.push_back({std::string(line.substr(0, a)), *millis, std::string(line.substr(b + 1))});
  }
  return out;
}

std::string FormatServiceUses(const std::vector<ServiceUse>& uses) {
  std::string out;
  for (const auto& u : uses)
    out.append(u.service).append(" ").append(std::to_string(u.millis)).append(" ")
        .append(u.region).append("\n");
  return out;
}

namespace {
// `services_used` with `service`'s entry moved to this use; nullopt if it shows one as late.
std::optional<std::string> LaterServiceUse(const std::string& services_used,
                                           std::string_view service, int64_t millis,
                                           std::string_view region) {
  std::vector<ServiceUse> uses = ParseServiceUses(services_used);
  auto it = std::find_if(uses.begin(), uses.end(), [&](const auto& u) { return u.service == service; });
  if (it != uses.end() && it->millis >= millis) return std::nullopt;
  if (it == uses.end()) it = uses.insert(uses.end(), ServiceUse{std::string(service), 0, ""});
  it->millis = millis;
  it->region = std::string(region);
  std::sort(uses.begin(), uses.end(),
            [](const auto& x, const auto& y) { return x.service < y.service; });
  return FormatServiceUses(uses);
}
}  // namespace

void State::RecordServiceUse(std::string_view principal_id, std::string_view service,
                             int64_t millis, std::string_view region, ChangeSet& out) {
  // (A service name or region with a space or a newline would break the stored form: SigV4's
  // credential scope has neither, but nothing is stored for one that does.)
  if (service.find_first_of(" \n") != std::string_view::npos ||
      region.find_first_of(" \n") != std::string_view::npos || service.empty())
    return;
  if (const User* user = FindUserById(principal_id)) {
    if (auto text = LaterServiceUse(user->rec.services_used, service, millis, region)) {
      UserRecord record = user->rec;
      record.services_used = std::move(*text);
      [[maybe_unused]] Status applied = Emit(std::move(record), out);
    }
  } else if (const Role* role = FindRoleById(principal_id)) {
    if (auto text = LaterServiceUse(role->rec.services_used, service, millis, region)) {
      RoleRecord record = role->rec;
      record.services_used = std::move(*text);
      [[maybe_unused]] Status applied = Emit(std::move(record), out);
    }
  }
}

Status State::DeleteAccessKey(std::string_view user_name, std::string_view key_id,
                              ChangeSet& out) {
  return RemoveOwned<AccessKeyKey>(access_keys_, user_name, key_id, NoSuchKey, out);
}

const AccessKey* State::FindAccessKey(std::string_view key_id) const {
  auto it = access_keys_.find(key_id);
  return it == access_keys_.end() ? nullptr : it->second.get();
}

// ---- signing certificates ----
// AWS's messages: LocalStack's AWS-validated snapshot test_iam_signing_certificates (February
// and March 2026): "Cannot exceed quota for CertificatesPerUser: 2", "The Certificate with id
// X cannot be found.". DuplicateCertificate's message is iamd's.

namespace {
std::unexpected<Error> NoSuchCertificate(std::string_view id) {
  return Fail(ErrorCode::kNoSuchEntity,
              "The Certificate with id " + std::string(id) + " cannot be found.");
}
}  // namespace

Result<const SigningCertificate*> State::UploadSigningCertificate(std::string_view user_name,
                                                                  std::string id,
                                                                  std::string body,
                                                                  ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  if ((*user)->certificates.size() >= kMaxCertificatesPerUser)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for CertificatesPerUser: 2");
  for (const auto& [other_id, other] : certificates_)
    if (other->rec.body == body)
      return Fail(ErrorCode::kDuplicateCertificate,
                  "The certificate is already associated with a user of this account.");
  SigningCertificateRecord r;
  r.id = std::move(id);
  r.user_id = (*user)->rec.id;
  r.body = std::move(body);
  return AddOwned(certificates_, std::move(r), out);
}

Status State::UpdateSigningCertificate(std::string_view user_name, std::string_view id,
                                       bool active, ChangeSet& out) {
  return SetOwnedActive(certificates_, user_name, id, active, NoSuchCertificate, out);
}

Status State::DeleteSigningCertificate(std::string_view user_name, std::string_view id,
                                       ChangeSet& out) {
  return RemoveOwned<SigningCertificateKey>(certificates_, user_name, id, NoSuchCertificate, out);
}

// ---- SSH public keys ----
// AWS's message for a missing key: LocalStack's AWS-validated snapshot test_iam_ssh_public_keys
// (February 2026), "The Public Key with id X cannot be found.". The quota (five keys per user)
// is the IAM User Guide's ("IAM and AWS STS quotas"); its message and DuplicateSSHPublicKey's are
// iamd's, in the style of AWS's other ones.

namespace {
std::unexpected<Error> NoSuchSshKey(std::string_view id) {
  return Fail(ErrorCode::kNoSuchEntity,
              "The Public Key with id " + std::string(id) + " cannot be found.");
}
}  // namespace

Result<const SshPublicKey*> State::UploadSshPublicKey(std::string_view user_name, std::string id,
                                                      std::string body, std::string fingerprint,
                                                      ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  for (const SshPublicKey* k : (*user)->ssh_keys)
    if (k->rec.fingerprint == fingerprint)
      return Fail(ErrorCode::kDuplicateSshPublicKey,
                  "The SSH public key is already associated with user " + (*user)->rec.name + ".");
  if ((*user)->ssh_keys.size() >= kMaxSshPublicKeysPerUser)
    return Fail(ErrorCode::kLimitExceeded, "Cannot exceed quota for PublicKeysPerUser: 5");
  SshPublicKeyRecord r;
  r.id = std::move(id);
  r.user_id = (*user)->rec.id;
  r.body = std::move(body);
  r.fingerprint = std::move(fingerprint);
  return AddOwned(ssh_keys_, std::move(r), out);
}

Result<const SshPublicKey*> State::GetSshPublicKey(std::string_view user_name,
                                                   std::string_view id) const {
  return FindOwned(ssh_keys_, user_name, id, NoSuchSshKey);
}

Status State::UpdateSshPublicKey(std::string_view user_name, std::string_view id, bool active,
                                 ChangeSet& out) {
  return SetOwnedActive(ssh_keys_, user_name, id, active, NoSuchSshKey, out);
}

Status State::DeleteSshPublicKey(std::string_view user_name, std::string_view id,
                                 ChangeSet& out) {
  return RemoveOwned<SshPublicKeyKey>(ssh_keys_, user_name, id, NoSuchSshKey, out);
}

// ---- service-specific credentials ----
// The quota is the IAM User Guide's ("IAM and AWS STS quotas"); its LimitExceeded message is
// iamd's, in the form of AWS's others. NoSuchEntity for an unknown ID as LocalStack's
// AWS-validated tests record it (no final period).

namespace {
std::unexpected<Error> NoSuchServiceCredential(std::string_view id) {
  return Fail(ErrorCode::kNoSuchEntity, "No such credential " + std::string(id) + " exists");
}
}  // namespace

Result<const ServiceCredential*> State::CreateServiceCredential(std::string_view user_name,
                                                                ServiceCredentialRecord r,
                                                                ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  size_t same_service = 0;
  for (const ServiceCredential* c : (*user)->service_credentials)
    if (c->rec.service_name == r.service_name) ++same_service;
  if (same_service >= kMaxServiceCredentialsPerService)
    return Fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: " +
                    std::to_string(kMaxServiceCredentialsPerService));
  r.user_id = (*user)->rec.id;
  return AddOwned(service_credentials_, std::move(r), out);
}

Result<const ServiceCredential*> State::GetServiceCredential(std::string_view user_name,
                                                             std::string_view id) const {
  return FindOwned(service_credentials_, user_name, id, NoSuchServiceCredential);
}

Status State::ResetServiceCredential(std::string_view user_name, std::string_view id,
                                     std::string secret_sealed, ChangeSet& out) {
  auto cred = GetServiceCredential(user_name, id);
  if (!cred) return std::unexpected(cred.error());
  ServiceCredentialRecord r = (*cred)->rec;
  r.secret_sealed = std::move(secret_sealed);
  return Emit(std::move(r), out);
}

Status State::UpdateServiceCredential(std::string_view user_name, std::string_view id,
                                      bool active, ChangeSet& out) {
  return SetOwnedActive(service_credentials_, user_name, id, active, NoSuchServiceCredential,
                        out);
}

Status State::DeleteServiceCredential(std::string_view user_name, std::string_view id,
                                      ChangeSet& out) {
  return RemoveOwned<ServiceCredentialKey>(service_credentials_, user_name, id,
                                           NoSuchServiceCredential, out);
}

// ---- login profiles ----

Status State::CreateLoginProfile(std::string_view user_name, std::string password_hash,
                                 bool reset_required, ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  if ((*user)->login_profile)
    return Fail(ErrorCode::kEntityAlreadyExists,
                "Login Profile for user " + (*user)->rec.name + " already exists.");
  return Emit(LoginProfileRecord{(*user)->rec.id, clock_.NowMillis() / 1000 * 1000,
                                 std::move(password_hash), reset_required},
              out);
}

Status State::UpdateLoginProfile(std::string_view user_name,
                                 const std::optional<std::string>& password_hash,
                                 std::optional<bool> reset_required, ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  if (!(*user)->login_profile)
    return Fail(ErrorCode::kNoSuchEntity,
                "Login Profile for User " + (*user)->rec.name + " cannot be found.");
  LoginProfileRecord r = *(*user)->login_profile;
  if (password_hash) r.password_hash = *password_hash;
  if (reset_required) r.password_reset_required = *reset_required;
  return Emit(std::move(r), out);
}

Status State::DeleteLoginProfile(std::string_view user_name, ChangeSet& out) {
  auto user = MutableUser(user_name);
  if (!user) return std::unexpected(user.error());
  if (!(*user)->login_profile)
    return Fail(ErrorCode::kNoSuchEntity,
                "Login Profile for User " + (*user)->rec.name + " cannot be found.");
  return Emit(Removed<LoginProfileKey>{{(*user)->rec.id}}, out);
}

}  // namespace iamd::model
