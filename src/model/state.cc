// The core of State: applying records to memory, lookups, and rules shared by all entities.
// Entity operations live in roles.cc, instance_profiles.cc, policies.cc, users.cc and
// oidc_providers.cc.
#include "model/state.h"

#include <algorithm>
#include <cassert>

#include "common/arn.h"
#include "common/strings.h"
#include "common/url.h"
#include "managed/catalog.h"
#include "model/internal/messages.h"

namespace iamd::model {

using internal::Inconsistent;
using internal::NoSuchOwner;

size_t PolicySize(std::string_view document) {
  // IAM does not count white space against policy size quotas (IAM User Guide, "IAM and AWS STS
  // quotas": "IAM doesn't count white space when calculating the size of a policy").
  size_t n = 0;
  for (char c : document)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') ++n;
  return n;
}

std::string_view OwnerKindName(OwnerKind kind) {
  switch (kind) {
    case OwnerKind::kUser: return "user";
    case OwnerKind::kGroup: return "group";
    case OwnerKind::kRole: return "role";
  }
  return "role";
}

bool Role::service_linked() const { return StartsWith(rec.path, "/aws-service-role/"); }

const PolicyVersion* ManagedPolicy::default_version() const {
  for (const auto& [n, v] : versions)
    if (v.rec.version_id == rec.default_version_id) return &v;
  return nullptr;
}

// ---- PolicyView ----

std::string_view PolicyView::arn() const { return aws ? aws->arn : std::string_view(local->arn); }
std::string_view PolicyView::name() const { return aws ? aws->name : std::string_view(local->rec.name); }
std::string_view PolicyView::path() const { return aws ? aws->path : std::string_view(local->rec.path); }
std::string_view PolicyView::id() const { return aws ? aws->policy_id : std::string_view(local->rec.id); }
std::string_view PolicyView::default_version_id() const {
  return aws ? aws->default_version_id : std::string_view(local->rec.default_version_id);
}
int64_t PolicyView::create_millis() const { return aws ? aws->create_millis : local->rec.create_millis; }
int64_t PolicyView::update_millis() const { return aws ? aws->update_millis : local->rec.update_millis; }
int64_t PolicyView::attachment_count() const {
  if (aws) return usage ? usage->attachment_count : 0;
  return local->attachment_count;
}
int64_t PolicyView::boundary_usage_count() const {
  if (aws) return usage ? usage->boundary_usage_count : 0;
  return local->boundary_usage_count;
}
std::string_view PolicyView::default_document() const {
  if (aws) return aws->document;
  const PolicyVersion* v = local->default_version();
  return v ? std::string_view(v->rec.document) : std::string_view();
}
const policy::Policy* PolicyView::compiled_default_raw() const {
  if (aws) return usage ? usage->compiled.get() : nullptr;
  const PolicyVersion* v = local->default_version();
  return v ? v->compiled.get() : nullptr;
}

policy::PolicyPtr PolicyView::compiled_default() const {
  if (aws) return usage ? usage->compiled : nullptr;
  const PolicyVersion* v = local->default_version();
  return v ? v->compiled : nullptr;
}

// ---- construction, load ----

State::State(std::string account_id, const Clock& clock, IdSource& ids)
    : account_id_(std::move(account_id)), clock_(clock), ids_(ids) {}

State::~State() = default;

void State::Clear() {
  roles_.clear();
  profiles_.clear();
  policies_.clear();
  users_.clear();
  groups_.clear();
  access_keys_.clear();
  certificates_.clear();
  ssh_keys_.clear();
  service_credentials_.clear();
  mfa_devices_.clear();
  server_certificates_.clear();
  saml_providers_.clear();
  server_certificates_by_id_.clear();
  deletion_tasks_.clear();
  oidc_providers_.clear();
  roles_by_id_.clear();
  profiles_by_id_.clear();
  policies_by_id_.clear();
  users_by_id_.clear();
  groups_by_id_.clear();
  aws_usage_.clear();
  account_alias_.reset();
  password_policy_.reset();
  account_created_millis_.reset();
  credential_report_.reset();
  global_endpoint_token_version_ = 1;
  outbound_federation_.reset();
}

Status State::DeleteEverything(ChangeSet& out) {
  // What refers to something goes first, so every removal applies to a consistent model.
  std::vector<Change> removals;
  auto owners = [&](OwnerKind kind, const std::string& id, const PolicyOwner& o) {
    for (const auto& arn : o.attached) removals.push_back(Removed<AttachmentKey>{{kind, id, arn}});
    for (const auto& [k, p] : o.inline_policies)
      removals.push_back(Removed<InlinePolicyKey>{{kind, id, p.name}});
  };
  for (const auto& [k, r] : roles_) owners(OwnerKind::kRole, r->rec.id, *r);
  for (const auto& [k, u] : users_) owners(OwnerKind::kUser, u->rec.id, *u);
  for (const auto& [k, g] : groups_) owners(OwnerKind::kGroup, g->rec.id, *g);
  for (const auto& [k, g] : groups_)
    for (const User* u : g->members)
      removals.push_back(Removed<GroupMembershipKey>{{g->rec.id, u->rec.id}});
  for (const auto& [id, key] : access_keys_) removals.push_back(Removed<AccessKeyKey>{{id}});
  for (const auto& [id, cert] : certificates_)
    removals.push_back(Removed<SigningCertificateKey>{{id}});
  for (const auto& [id, key] : ssh_keys_) removals.push_back(Removed<SshPublicKeyKey>{{id}});
  for (const auto& [id, cred] : service_credentials_)
    removals.push_back(Removed<ServiceCredentialKey>{{id}});
  for (const auto& [serial, d] : mfa_devices_) removals.push_back(Removed<MfaDeviceKey>{{serial}});
  for (const auto& [k, sc] : server_certificates_)
    removals.push_back(Removed<ServerCertificateKey>{{sc->rec.id}});
  for (const auto& [k, sp] : saml_providers_)
    removals.push_back(Removed<SamlProviderKey>{{sp->rec.name}});
  for (const auto& [k, u] : users_)
    if (u->login_profile) removals.push_back(Removed<LoginProfileKey>{{u->rec.id}});
  for (const auto& [k, p] : profiles_) removals.push_back(Removed<InstanceProfileKey>{{p->rec.id}});
  for (const auto& [k, r] : roles_) removals.push_back(Removed<RoleKey>{{r->rec.id}});
  for (const auto& [k, u] : users_) removals.push_back(Removed<UserKey>{{u->rec.id}});
  for (const auto& [k, g] : groups_) removals.push_back(Removed<GroupKey>{{g->rec.id}});
  for (const auto& [k, p] : policies_) {
    for (const auto& [n, v] : p->versions)
      removals.push_back(Removed<PolicyVersionKey>{{p->rec.id, v.rec.version_id}});
    removals.push_back(Removed<ManagedPolicyKey>{{p->rec.id}});
  }
  for (const auto& [id, task] : deletion_tasks_) removals.push_back(Removed<DeletionTaskKey>{{id}});
  for (const auto& [url, p] : oidc_providers_) removals.push_back(Removed<OidcProviderKey>{{url}});
  if (account_alias_) removals.push_back(Removed<AccountSettingKey>{{"alias"}});
  if (password_policy_) removals.push_back(Removed<AccountSettingKey>{{"password_policy"}});
  // The account itself stays: its creation time is not an entity.
  if (credential_report_)
    removals.push_back(Removed<AccountSettingKey>{{"credential_report"}});
  if (global_endpoint_token_version_ != 1)
    removals.push_back(Removed<AccountSettingKey>{{"sts_token_version"}});
  if (outbound_federation_)
    removals.push_back(Removed<AccountSettingKey>{{"outbound_federation"}});
  for (auto& change : removals) IAMD_TRY(Emit(std::move(change), out));
  return {};
}

Status State::Apply(const Change& change) {
  return std::visit([this](const auto& record) { return ApplyRecord(record); }, change);
}

Status State::Emit(Change change, ChangeSet& out) {
  IAMD_TRY(Apply(change));
  out.push_back(std::move(change));
  return {};
}

namespace {

// What a user owns under its own ID (access keys, signing certificates, SSH keys): `map` holds
// it by `id`, and the user's `list` points to it in the order it was first applied.
template <typename Entity, typename Record>
Status ApplyUserOwned(const StringMap<User*>& users_by_id,
                      StringMap<std::unique_ptr<Entity>>& map, std::vector<Entity*> User::*list,
                      const std::string& id, const Record& r, std::string_view what) {
  auto u = users_by_id.find(r.user_id);
  if (u == users_by_id.end()) return Inconsistent(std::string(what) + " of unknown user");
  auto& slot = map[id];
  if (!slot) {
    slot = std::make_unique<Entity>();
    (u->second->*list).push_back(slot.get());
  }
  slot->rec = r;
  slot->user = u->second;
  return {};
}

template <typename Entity>
Status RemoveUserOwned(StringMap<std::unique_ptr<Entity>>& map, std::vector<Entity*> User::*list,
                       std::string_view id, std::string_view what) {
  auto it = map.find(id);
  if (it == map.end()) return Inconsistent("removing unknown " + std::string(what));
  std::erase(it->second->user->*list, it->second.get());
  map.erase(it);
  return {};
}

policy::PolicyPtr CompileStored(std::string_view text, policy::PolicyKind kind) {
  // Stored documents passed validation when written; a document that no longer compiles (after
  // a validator change) is kept as text and simply grants nothing.
  auto compiled = policy::ParsePolicy(text, kind);
  return compiled ? *compiled : nullptr;
}

// Finds the entity with `id`, or creates it (`created`), keeping the by-name index on its
// lower-cased name, across renames too (users and groups may be renamed).
template <typename Entity>
Entity* Upsert(NameMap<std::unique_ptr<Entity>>& by_name, StringMap<Entity*>& by_id,
               const std::string& id, const std::string& name, bool& created) {
  if (auto it = by_id.find(id); it != by_id.end()) {
    Entity* e = it->second;
    created = false;
    if (e->rec.name != name) {
      auto node = by_name.extract(e->rec.name);
      node.key() = AsciiLower(name);
      // The model checked the new name is free; a clash here would be a bug of ours.
      [[maybe_unused]] auto inserted = by_name.insert(std::move(node));
      assert(inserted.inserted);
    }
    return e;
  }
  auto owned = std::make_unique<Entity>();
  Entity* e = owned.get();
  by_name.emplace(AsciiLower(name), std::move(owned));
  by_id.emplace(id, e);
  created = true;
  return e;
}

// Removes `e` from both indexes, destroying it.
template <typename Entity>
void Erase(NameMap<std::unique_ptr<Entity>>& by_name, StringMap<Entity*>& by_id, Entity* e) {
  by_id.erase(e->rec.id);
  by_name.erase(e->rec.name);  // last: this destroys *e
}

}  // namespace

void State::CountAttachment(std::string_view arn, int64_t delta) {
  if (const auto* aws = managed::FindByArn(arn)) {
    auto& usage = aws_usage_[std::string(arn)];
    usage.attachment_count += delta;
    if (!usage.compiled) usage.compiled = CompileStored(aws->document, policy::PolicyKind::kManagedIdentity);
    return;
  }
  auto parts = ParseArn(arn);
  if (!parts) return;
  auto pn = SplitIamResource(parts->resource, kPolicyResource);
  if (!pn) return;
  auto it = policies_.find(pn->name);
  if (it != policies_.end()) it->second->attachment_count += delta;
}

void State::CountBoundary(std::string_view from, std::string_view to) {
  auto adjust = [this](std::string_view arn, int64_t delta) {
    if (arn.empty()) return;
    if (const auto* aws = managed::FindByArn(arn)) {
      auto& usage = aws_usage_[std::string(arn)];
      usage.boundary_usage_count += delta;
      if (!usage.compiled)
        usage.compiled = CompileStored(aws->document, policy::PolicyKind::kManagedIdentity);
      return;
    }
    auto parts = ParseArn(arn);
    if (!parts) return;
    auto pn = SplitIamResource(parts->resource, kPolicyResource);
    if (!pn) return;
    auto it = policies_.find(pn->name);
    if (it != policies_.end()) it->second->boundary_usage_count += delta;
  };
  if (from == to) return;
  adjust(from, -1);
  adjust(to, +1);
}

// ---- Apply: one function per record kind ----

Status State::ApplyRecord(const RoleRecord& r) {
  bool created;
  Role* role = Upsert(roles_, roles_by_id_, r.id, r.name, created);
  if (created) role->kind = OwnerKind::kRole;
  CountBoundary(role->rec.permissions_boundary_arn, r.permissions_boundary_arn);
  if (role->rec.trust_policy != r.trust_policy || !role->trust) {
    role->trust = CompileStored(r.trust_policy, policy::PolicyKind::kTrust);
    role->trust_policy_url = PercentEncode(r.trust_policy);
  }
  role->trust_principal_ids.clear();
  std::string_view ids = r.trust_principal_ids;
  while (!ids.empty()) {
    size_t nl = ids.find('\n');
    std::string_view line = ids.substr(0, nl);
    ids = nl == std::string_view::npos ? std::string_view() : ids.substr(nl + 1);
    size_t tab = line.find('\t');
    if (tab != std::string_view::npos)
      role->trust_principal_ids.emplace(std::string(line.substr(0, tab)),
                                        std::string(line.substr(tab + 1)));
  }
  role->rec = r;
  role->arn = IamArn(account_id_, kRoleResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<RoleKey>& r) {
  auto it = roles_by_id_.find(r.key.id);
  if (it == roles_by_id_.end()) return Inconsistent("removing unknown role");
  Role* role = it->second;
  CountBoundary(role->rec.permissions_boundary_arn, "");
  for (const auto& arn : role->attached) CountAttachment(arn, -1);
  Erase(roles_, roles_by_id_, role);
  return {};
}

Status State::ApplyRecord(const InstanceProfileRecord& r) {
  Role* role = nullptr;
  if (!r.role_id.empty()) {
    auto rit = roles_by_id_.find(r.role_id);
    if (rit == roles_by_id_.end()) return Inconsistent("instance profile names unknown role");
    role = rit->second;
  }
  bool created;
  InstanceProfile* profile = Upsert(profiles_, profiles_by_id_, r.id, r.name, created);
  if (profile->role != role) {
    if (profile->role) std::erase(profile->role->profiles, profile);
    if (role) role->profiles.push_back(profile);
    profile->role = role;
  }
  profile->rec = r;
  profile->arn = IamArn(account_id_, kInstanceProfileResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<InstanceProfileKey>& r) {
  auto it = profiles_by_id_.find(r.key.id);
  if (it == profiles_by_id_.end()) return Inconsistent("removing unknown instance profile");
  InstanceProfile* profile = it->second;
  if (profile->role) std::erase(profile->role->profiles, profile);
  Erase(profiles_, profiles_by_id_, profile);
  return {};
}

Status State::ApplyRecord(const ManagedPolicyRecord& r) {
  bool created;
  ManagedPolicy* p = Upsert(policies_, policies_by_id_, r.id, r.name, created);
  p->rec = r;
  p->arn = IamArn(account_id_, kPolicyResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<ManagedPolicyKey>& r) {
  auto it = policies_by_id_.find(r.key.id);
  if (it == policies_by_id_.end()) return Inconsistent("removing unknown policy");
  Erase(policies_, policies_by_id_, it->second);
  return {};
}

namespace {
// "v12" -> 12; 0 for anything else.
int64_t VersionNumber(std::string_view version_id) {
  if (version_id.size() < 2 || version_id[0] != 'v') return 0;
  return ParseInt64(version_id.substr(1)).value_or(0);
}
}  // namespace

Status State::ApplyRecord(const PolicyVersionRecord& r) {
  auto it = policies_by_id_.find(r.policy_id);
  if (it == policies_by_id_.end()) return Inconsistent("version of unknown policy");
  PolicyVersion& v = it->second->versions[VersionNumber(r.version_id)];
  if (v.rec.document != r.document || !v.compiled) {
    v.compiled = CompileStored(r.document, policy::PolicyKind::kManagedIdentity);
    v.document_url = PercentEncode(r.document);
  }
  v.rec = r;
  return {};
}

Status State::ApplyRecord(const Removed<PolicyVersionKey>& r) {
  auto it = policies_by_id_.find(r.key.policy_id);
  if (it == policies_by_id_.end()) return Inconsistent("version of unknown policy");
  it->second->versions.erase(VersionNumber(r.key.version_id));
  return {};
}

Status State::ApplyRecord(const InlinePolicyRecord& r) {
  PolicyOwner* owner = FindOwnerById(r.owner_kind, r.owner_id);
  if (!owner) return Inconsistent("inline policy of unknown owner");
  InlinePolicy& p = owner->inline_policies[AsciiLower(r.name)];
  if (p.document != r.document || !p.compiled) {
    p.compiled = CompileStored(r.document, policy::PolicyKind::kIdentity);
    p.document_url = PercentEncode(r.document);
  }
  p.name = r.name;
  p.document = r.document;
  return {};
}

Status State::ApplyRecord(const Removed<InlinePolicyKey>& r) {
  PolicyOwner* owner = FindOwnerById(r.key.owner_kind, r.key.owner_id);
  if (!owner) return Inconsistent("inline policy of unknown owner");
  owner->inline_policies.erase(AsciiLower(r.key.name));
  return {};
}

Status State::ApplyRecord(const AttachmentRecord& r) {
  PolicyOwner* owner = FindOwnerById(r.owner_kind, r.owner_id);
  if (!owner) return Inconsistent("attachment of unknown owner");
  if (std::find(owner->attached.begin(), owner->attached.end(), r.policy_arn) !=
      owner->attached.end())
    return {};
  owner->attached.push_back(r.policy_arn);
  CountAttachment(r.policy_arn, +1);
  auto view = GetPolicy(r.policy_arn);
  if (!view) {
    owner->attached.pop_back();
    CountAttachment(r.policy_arn, -1);
    return Inconsistent("attachment of unknown policy");
  }
  owner->attached_views.push_back(*view);
  return {};
}

Status State::ApplyRecord(const Removed<AttachmentKey>& r) {
  PolicyOwner* owner = FindOwnerById(r.key.owner_kind, r.key.owner_id);
  if (!owner) return Inconsistent("attachment of unknown owner");
  auto it = std::find(owner->attached.begin(), owner->attached.end(), r.key.policy_arn);
  if (it == owner->attached.end()) return {};
  owner->attached_views.erase(owner->attached_views.begin() + (it - owner->attached.begin()));
  owner->attached.erase(it);
  CountAttachment(r.key.policy_arn, -1);
  return {};
}

Status State::ApplyRecord(const UserRecord& r) {
  bool created;
  User* user = Upsert(users_, users_by_id_, r.id, r.name, created);
  if (created) user->kind = OwnerKind::kUser;
  CountBoundary(user->rec.permissions_boundary_arn, r.permissions_boundary_arn);
  user->rec = r;
  user->arn = IamArn(account_id_, kUserResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<UserKey>& r) {
  auto it = users_by_id_.find(r.key.id);
  if (it == users_by_id_.end()) return Inconsistent("removing unknown user");
  User* user = it->second;
  CountBoundary(user->rec.permissions_boundary_arn, "");
  for (const auto& arn : user->attached) CountAttachment(arn, -1);
  for (Group* g : user->groups) std::erase(g->members, user);
  for (AccessKey* k : user->access_keys) access_keys_.erase(k->rec.access_key_id);
  for (SigningCertificate* c : user->certificates) certificates_.erase(c->rec.id);
  for (SshPublicKey* k : user->ssh_keys) ssh_keys_.erase(k->rec.id);
  for (ServiceCredential* k : user->service_credentials) service_credentials_.erase(k->rec.id);
  if (!user->mfa_devices.empty()) return Inconsistent("removing a user with MFA devices");
  Erase(users_, users_by_id_, user);
  return {};
}

Status State::ApplyRecord(const GroupRecord& r) {
  bool created;
  Group* group = Upsert(groups_, groups_by_id_, r.id, r.name, created);
  if (created) group->kind = OwnerKind::kGroup;
  group->rec = r;
  group->arn = IamArn(account_id_, kGroupResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<GroupKey>& r) {
  auto it = groups_by_id_.find(r.key.id);
  if (it == groups_by_id_.end()) return Inconsistent("removing unknown group");
  Group* group = it->second;
  for (const auto& arn : group->attached) CountAttachment(arn, -1);
  for (User* u : group->members) std::erase(u->groups, group);
  Erase(groups_, groups_by_id_, group);
  return {};
}

Status State::ApplyRecord(const GroupMembershipRecord& r) {
  auto g = groups_by_id_.find(r.group_id);
  auto u = users_by_id_.find(r.user_id);
  if (g == groups_by_id_.end() || u == users_by_id_.end())
    return Inconsistent("membership of unknown user or group");
  if (std::find(g->second->members.begin(), g->second->members.end(), u->second) !=
      g->second->members.end())
    return {};
  g->second->members.push_back(u->second);
  u->second->groups.push_back(g->second);
  return {};
}

Status State::ApplyRecord(const Removed<GroupMembershipKey>& r) {
  auto g = groups_by_id_.find(r.key.group_id);
  auto u = users_by_id_.find(r.key.user_id);
  if (g == groups_by_id_.end() || u == users_by_id_.end())
    return Inconsistent("membership of unknown user or group");
  std::erase(g->second->members, u->second);
  std::erase(u->second->groups, g->second);
  return {};
}

Status State::ApplyRecord(const AccessKeyRecord& r) {
  return ApplyUserOwned(users_by_id_, access_keys_, &User::access_keys, r.access_key_id, r,
                        "access key");
}

Status State::ApplyRecord(const Removed<AccessKeyKey>& r) {
  return RemoveUserOwned(access_keys_, &User::access_keys, r.key.access_key_id, "access key");
}

Status State::ApplyRecord(const SigningCertificateRecord& r) {
  return ApplyUserOwned(users_by_id_, certificates_, &User::certificates, r.id, r,
                        "signing certificate");
}

Status State::ApplyRecord(const Removed<SigningCertificateKey>& r) {
  return RemoveUserOwned(certificates_, &User::certificates, r.key.id, "signing certificate");
}

Status State::ApplyRecord(const SshPublicKeyRecord& r) {
  return ApplyUserOwned(users_by_id_, ssh_keys_, &User::ssh_keys, r.id, r, "SSH public key");
}

Status State::ApplyRecord(const Removed<SshPublicKeyKey>& r) {
  return RemoveUserOwned(ssh_keys_, &User::ssh_keys, r.key.id, "SSH public key");
}

Status State::ApplyRecord(const ServiceCredentialRecord& r) {
  return ApplyUserOwned(users_by_id_, service_credentials_, &User::service_credentials, r.id, r,
                        "service-specific credential");
}

Status State::ApplyRecord(const Removed<ServiceCredentialKey>& r) {
  return RemoveUserOwned(service_credentials_, &User::service_credentials, r.key.id,
                         "service-specific credential");
}

Status State::ApplyRecord(const ServerCertificateRecord& r) {
  bool created;
  ServerCertificate* cert =
      Upsert(server_certificates_, server_certificates_by_id_, r.id, r.name, created);
  cert->rec = r;
  cert->arn = IamArn(account_id_, kServerCertificateResource, r.path, r.name);
  return {};
}

Status State::ApplyRecord(const Removed<ServerCertificateKey>& r) {
  auto it = server_certificates_by_id_.find(r.key.id);
  if (it == server_certificates_by_id_.end())
    return Inconsistent("removing unknown server certificate");
  Erase(server_certificates_, server_certificates_by_id_, it->second);
  return {};
}

Status State::ApplyRecord(const LoginProfileRecord& r) {
  auto u = users_by_id_.find(r.user_id);
  if (u == users_by_id_.end()) return Inconsistent("login profile of unknown user");
  u->second->login_profile = r;
  return {};
}

Status State::ApplyRecord(const Removed<LoginProfileKey>& r) {
  auto u = users_by_id_.find(r.key.user_id);
  if (u == users_by_id_.end()) return Inconsistent("login profile of unknown user");
  u->second->login_profile.reset();
  return {};
}

Status State::ApplyRecord(const DeletionTaskRecord& r) {
  deletion_tasks_[r.id] = r;
  return {};
}

Status State::ApplyRecord(const Removed<DeletionTaskKey>& r) {
  deletion_tasks_.erase(r.key.id);
  return {};
}

// ---- lookups ----

const Role* State::FindRoleById(std::string_view id) const {
  auto it = roles_by_id_.find(id);
  return it == roles_by_id_.end() ? nullptr : it->second;
}

const User* State::FindUserById(std::string_view id) const {
  auto it = users_by_id_.find(id);
  return it == users_by_id_.end() ? nullptr : it->second;
}

PolicyOwner* State::FindOwnerById(OwnerKind kind, std::string_view id) {
  return const_cast<PolicyOwner*>(std::as_const(*this).FindOwnerById(kind, id));
}

const PolicyOwner* State::FindOwnerById(OwnerKind kind, std::string_view id) const {
  switch (kind) {
    case OwnerKind::kRole: {
      auto it = roles_by_id_.find(id);
      return it == roles_by_id_.end() ? nullptr : it->second;
    }
    case OwnerKind::kUser: {
      auto it = users_by_id_.find(id);
      return it == users_by_id_.end() ? nullptr : it->second;
    }
    case OwnerKind::kGroup: {
      auto it = groups_by_id_.find(id);
      return it == groups_by_id_.end() ? nullptr : it->second;
    }
  }
  return nullptr;
}

const PolicyOwner* State::FindPrincipalByArn(std::string_view arn) const {
  auto parts = ParseArn(arn);
  if (!parts || parts->partition != "aws" || parts->service != "iam" ||
      parts->account != account_id_)
    return nullptr;
  if (auto pn = SplitIamResource(parts->resource, kUserResource)) {
    auto it = users_.find(pn->name);
    return it != users_.end() && it->second->rec.path == pn->path ? it->second.get() : nullptr;
  }
  if (auto pn = SplitIamResource(parts->resource, kRoleResource)) {
    auto it = roles_.find(pn->name);
    return it != roles_.end() && it->second->rec.path == pn->path ? it->second.get() : nullptr;
  }
  if (auto pn = SplitIamResource(parts->resource, kGroupResource)) {
    auto it = groups_.find(pn->name);
    return it != groups_.end() && it->second->rec.path == pn->path ? it->second.get() : nullptr;
  }
  return nullptr;
}

std::string_view State::OwnerArn(const PolicyOwner& owner) const {
  switch (owner.kind) {
    case OwnerKind::kRole: return static_cast<const Role&>(owner).arn;
    case OwnerKind::kUser: return static_cast<const User&>(owner).arn;
    case OwnerKind::kGroup: return static_cast<const Group&>(owner).arn;
  }
  return {};
}

std::string_view State::OwnerId(const PolicyOwner& owner) const {
  switch (owner.kind) {
    case OwnerKind::kRole: return static_cast<const Role&>(owner).rec.id;
    case OwnerKind::kUser: return static_cast<const User&>(owner).rec.id;
    case OwnerKind::kGroup: return static_cast<const Group&>(owner).rec.id;
  }
  return {};
}

std::string_view State::OwnerName(const PolicyOwner& owner) const {
  switch (owner.kind) {
    case OwnerKind::kRole: return static_cast<const Role&>(owner).rec.name;
    case OwnerKind::kUser: return static_cast<const User&>(owner).rec.name;
    case OwnerKind::kGroup: return static_cast<const Group&>(owner).rec.name;
  }
  return {};
}

Result<const PolicyOwner*> State::FindOwner(OwnerKind kind, std::string_view name) const {
  switch (kind) {
    case OwnerKind::kRole: {
      auto it = roles_.find(name);
      if (it == roles_.end()) return NoSuchOwner(kind, name);
      return it->second.get();
    }
    case OwnerKind::kUser: {
      auto it = users_.find(name);
      if (it == users_.end()) return NoSuchOwner(kind, name);
      return it->second.get();
    }
    case OwnerKind::kGroup: {
      auto it = groups_.find(name);
      if (it == groups_.end()) return NoSuchOwner(kind, name);
      return it->second.get();
    }
  }
  return NoSuchOwner(kind, name);
}

Result<PolicyOwner*> State::MutableOwner(OwnerKind kind, std::string_view name) {
  switch (kind) {
    case OwnerKind::kRole: {
      auto r = MutableRole(name);
      if (!r) return std::unexpected(r.error());
      return static_cast<PolicyOwner*>(*r);
    }
    case OwnerKind::kUser: {
      auto u = MutableUser(name);
      if (!u) return std::unexpected(u.error());
      return static_cast<PolicyOwner*>(*u);
    }
    case OwnerKind::kGroup: {
      auto g = MutableGroup(name);
      if (!g) return std::unexpected(g.error());
      return static_cast<PolicyOwner*>(*g);
    }
  }
  return NoSuchOwner(kind, name);
}

// ---- inline policies (roles, users, groups alike) ----

Status State::PutInlinePolicy(OwnerKind kind, std::string_view owner_name,
                              std::string_view policy_name, std::string_view document,
                              ChangeSet& out) {
  auto owner = MutableOwner(kind, owner_name);
  if (!owner) return std::unexpected(owner.error());
  if (kind == OwnerKind::kRole) IAMD_TRY(internal::CheckModifiable(*static_cast<Role*>(*owner)));
  auto compiled = policy::ParsePolicy(document, policy::PolicyKind::kIdentity);
  if (!compiled) return std::unexpected(compiled.error());
  // The quota is on the aggregate of the owner's inline policies, the replaced one excluded.
  size_t total = PolicySize(document);
  std::string key = AsciiLower(policy_name);
  for (const auto& [k, p] : (*owner)->inline_policies)
    if (k != key) total += PolicySize(p.document);
  size_t limit = kind == OwnerKind::kRole   ? kMaxRoleInlinePolicyBytes
                 : kind == OwnerKind::kUser ? kMaxUserInlinePolicyBytes
                                            : kMaxGroupInlinePolicyBytes;
  if (total > limit)
    return Fail(ErrorCode::kLimitExceeded,
                "Maximum policy size of " + std::to_string(limit) + " bytes exceeded for " +
                    std::string(OwnerKindName(kind)) + " " + std::string(OwnerName(**owner)));
  return Emit(InlinePolicyRecord{kind, std::string(OwnerId(**owner)), std::string(policy_name),
                                 std::string(document)},
              out);
}

Result<const InlinePolicy*> State::GetInlinePolicy(OwnerKind kind, std::string_view owner_name,
                                                   std::string_view policy_name) const {
  auto owner = FindOwner(kind, owner_name);
  if (!owner) return std::unexpected(owner.error());
  auto it = (*owner)->inline_policies.find(AsciiLower(policy_name));
  if (it == (*owner)->inline_policies.end()) return internal::NoSuchInlinePolicy(kind, policy_name);
  return &it->second;
}

Status State::DeleteInlinePolicy(OwnerKind kind, std::string_view owner_name,
                                 std::string_view policy_name, ChangeSet& out) {
  auto owner = MutableOwner(kind, owner_name);
  if (!owner) return std::unexpected(owner.error());
  auto it = (*owner)->inline_policies.find(AsciiLower(policy_name));
  if (it == (*owner)->inline_policies.end()) return internal::NoSuchInlinePolicy(kind, policy_name);
  if (kind == OwnerKind::kRole) IAMD_TRY(internal::CheckModifiable(*static_cast<Role*>(*owner)));
  return Emit(Removed<InlinePolicyKey>{{kind, std::string(OwnerId(**owner)), it->second.name}}, out);
}

// ---- attachments ----

Status State::AttachPolicy(OwnerKind kind, std::string_view owner_name, std::string_view arn,
                           ChangeSet& out) {
  IAMD_TRY(internal::CheckPolicyArnSyntax(arn, ErrorCode::kValidationError));
  auto owner = MutableOwner(kind, owner_name);
  if (!owner) return std::unexpected(owner.error());
  auto view = GetPolicy(arn);
  if (!view)
    return Fail(ErrorCode::kNoSuchEntity,
                "Policy " + std::string(arn) + " does not exist or is not attachable.");
  if (kind == OwnerKind::kRole) IAMD_TRY(internal::CheckModifiable(*static_cast<Role*>(*owner)));
  // Service-role policies are only for service-linked roles (AWS: PolicyNotAttachable).
  if (view->aws && StartsWith(view->aws->path, "/aws-service-role/") &&
      !(kind == OwnerKind::kRole && static_cast<Role*>(*owner)->service_linked()))
    return Fail(ErrorCode::kPolicyNotAttachable,
                "Cannot attach a Service Role Policy to a Customer Role.");
  auto& attached = (*owner)->attached;
  if (std::find(attached.begin(), attached.end(), view->arn()) != attached.end()) return {};
  if (attached.size() >= kMaxAttachedPolicies)
    return Fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for PoliciesPer" +
                    std::string(kind == OwnerKind::kRole   ? "Role"
                                : kind == OwnerKind::kUser ? "User"
                                                           : "Group") +
                    ": " + std::to_string(kMaxAttachedPolicies));
  return Emit(AttachmentRecord{kind, std::string(OwnerId(**owner)), std::string(view->arn())}, out);
}

Status State::DetachPolicy(OwnerKind kind, std::string_view owner_name, std::string_view arn,
                           ChangeSet& out) {
  auto owner = MutableOwner(kind, owner_name);
  if (!owner) return std::unexpected(owner.error());
  auto& attached = (*owner)->attached;
  if (std::find(attached.begin(), attached.end(), arn) == attached.end())
    return Fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " was not found.");
  if (kind == OwnerKind::kRole) IAMD_TRY(internal::CheckModifiable(*static_cast<Role*>(*owner)));
  return Emit(Removed<AttachmentKey>{{kind, std::string(OwnerId(**owner)), std::string(arn)}}, out);
}

State::Attachments State::EntitiesForPolicy(std::string_view arn) const {
  Attachments a;
  auto has = [&](const PolicyOwner& o) {
    return std::find(o.attached.begin(), o.attached.end(), arn) != o.attached.end();
  };
  for (const auto& [k, r] : roles_)
    if (has(*r)) a.roles.push_back(r.get());
  for (const auto& [k, u] : users_)
    if (has(*u)) a.users.push_back(u.get());
  for (const auto& [k, g] : groups_)
    if (has(*g)) a.groups.push_back(g.get());
  return a;
}

// ---- boundaries ----

Status State::CheckBoundaryArn(std::string_view arn) const {
  // AWS: "Scope ARN: <arn> does not exist or is not attachable." for an unknown boundary.
  IAMD_TRY(internal::CheckPolicyArnSyntax(arn, ErrorCode::kInvalidInput));
  auto view = GetPolicy(arn);
  if (!view)
    return Fail(ErrorCode::kNoSuchEntity,
                "Scope ARN: " + std::string(arn) + " does not exist or is not attachable.");
  return {};
}

}  // namespace iamd::model
