// Internal to src/api: the handler of every action, and the table that lists them.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "api/authz.h"
#include "api/handlers.h"
#include "common/arn.h"

namespace iamd::api {

// Resource specs for the table below.
#define IAMD_ANY ResourceSpec{}
#define IAMD_NAMED(type, param) ResourceSpec{ResourceMode::kNamed, ResourceType::type, param}
#define IAMD_CREATE(type, param) ResourceSpec{ResourceMode::kCreate, ResourceType::type, param}
#define IAMD_LIST(type) ResourceSpec{ResourceMode::kList, ResourceType::type, ""}
#define IAMD_ARN(type, param) ResourceSpec{ResourceMode::kArn, ResourceType::type, param}
#define IAMD_SELF ResourceSpec{ResourceMode::kSelf, ResourceType::kUser, "UserName"}
#define IAMD_SLR ResourceSpec{ResourceMode::kServiceLinkedRole, ResourceType::kRole, ""}
#define IAMD_PRINCIPAL \
  ResourceSpec{ResourceMode::kPrincipalArn, ResourceType::kNone, "PolicySourceArn"}

// X(Name, Access, resource): one row per action, authorized as `iam:Name` (or `sts:Name`) on
// the resource. Adding an action is one row here and its handler.
#define IAMD_ACTIONS(X)                                                             \
  /* roles */                                                                      \
  X(CreateRole, kWrite, IAMD_CREATE(kRole, "RoleName"))                            \
  X(GetRole, kRead, IAMD_NAMED(kRole, "RoleName"))                                 \
  X(ListRoles, kRead, IAMD_LIST(kRole))                                            \
  X(UpdateRole, kWrite, IAMD_NAMED(kRole, "RoleName"))                             \
  X(UpdateRoleDescription, kWrite, IAMD_NAMED(kRole, "RoleName"))                  \
  X(UpdateAssumeRolePolicy, kWrite, IAMD_NAMED(kRole, "RoleName"))                 \
  X(DeleteRole, kWrite, IAMD_NAMED(kRole, "RoleName"))                             \
  X(PutRolePermissionsBoundary, kWrite, IAMD_NAMED(kRole, "RoleName"))             \
  X(DeleteRolePermissionsBoundary, kWrite, IAMD_NAMED(kRole, "RoleName"))          \
  X(TagRole, kWrite, IAMD_NAMED(kRole, "RoleName"))                                \
  X(UntagRole, kWrite, IAMD_NAMED(kRole, "RoleName"))                              \
  X(ListRoleTags, kRead, IAMD_NAMED(kRole, "RoleName"))                            \
  X(PutRolePolicy, kWrite, IAMD_NAMED(kRole, "RoleName"))                          \
  X(GetRolePolicy, kRead, IAMD_NAMED(kRole, "RoleName"))                           \
  X(DeleteRolePolicy, kWrite, IAMD_NAMED(kRole, "RoleName"))                       \
  X(ListRolePolicies, kRead, IAMD_NAMED(kRole, "RoleName"))                        \
  X(AttachRolePolicy, kWrite, IAMD_NAMED(kRole, "RoleName"))                       \
  X(DetachRolePolicy, kWrite, IAMD_NAMED(kRole, "RoleName"))                       \
  X(ListAttachedRolePolicies, kRead, IAMD_NAMED(kRole, "RoleName"))                \
  /* service-linked roles */                                                       \
  X(CreateServiceLinkedRole, kWrite, IAMD_SLR)                                     \
  X(DeleteServiceLinkedRole, kWrite, IAMD_NAMED(kRole, "RoleName"))                \
  X(GetServiceLinkedRoleDeletionStatus, kRead,                                     \
    (ResourceSpec{ResourceMode::kDeletionTask, ResourceType::kRole, "DeletionTaskId"}))   \
  /* instance profiles */                                                          \
  X(CreateInstanceProfile, kWrite, IAMD_CREATE(kInstanceProfile, "InstanceProfileName")) \
  X(GetInstanceProfile, kRead, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(ListInstanceProfiles, kRead, IAMD_LIST(kInstanceProfile))                      \
  X(ListInstanceProfilesForRole, kRead, IAMD_NAMED(kRole, "RoleName"))             \
  X(DeleteInstanceProfile, kWrite, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(AddRoleToInstanceProfile, kWrite, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(RemoveRoleFromInstanceProfile, kWrite, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(TagInstanceProfile, kWrite, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(UntagInstanceProfile, kWrite, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  X(ListInstanceProfileTags, kRead, IAMD_NAMED(kInstanceProfile, "InstanceProfileName")) \
  /* managed policies */                                                           \
  X(CreatePolicy, kWrite, IAMD_CREATE(kPolicy, "PolicyName"))                      \
  X(GetPolicy, kRead, IAMD_ARN(kPolicy, "PolicyArn"))                              \
  X(ListPolicies, kRead, IAMD_LIST(kPolicy))                                       \
  X(DeletePolicy, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))                          \
  X(CreatePolicyVersion, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))                   \
  X(GetPolicyVersion, kRead, IAMD_ARN(kPolicy, "PolicyArn"))                       \
  X(ListPolicyVersions, kRead, IAMD_ARN(kPolicy, "PolicyArn"))                     \
  X(DeletePolicyVersion, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))                   \
  X(SetDefaultPolicyVersion, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))               \
  X(TagPolicy, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))                             \
  X(UntagPolicy, kWrite, IAMD_ARN(kPolicy, "PolicyArn"))                           \
  X(ListPolicyTags, kRead, IAMD_ARN(kPolicy, "PolicyArn"))                         \
  X(ListEntitiesForPolicy, kRead, IAMD_ARN(kPolicy, "PolicyArn"))                  \
  X(GetAccountAuthorizationDetails, kRead, IAMD_ANY)                               \
  X(GetAccountSummary, kRead, IAMD_ANY)                                            \
  /* the account's alias and password policy */                                   \
  X(CreateAccountAlias, kWrite, IAMD_ANY)                                          \
  X(DeleteAccountAlias, kWrite, IAMD_ANY)                                          \
  X(ListAccountAliases, kRead, IAMD_ANY)                                           \
  X(UpdateAccountPasswordPolicy, kWrite, IAMD_ANY)                                 \
  X(GetAccountPasswordPolicy, kRead, IAMD_ANY)                                     \
  X(DeleteAccountPasswordPolicy, kWrite, IAMD_ANY)                                 \
  X(GenerateCredentialReport, kWrite, IAMD_ANY)                                    \
  X(GetCredentialReport, kRead, IAMD_ANY)                                          \
  /* centralized root access (iam_account.cc: an iamd account is in no organization) */ \
  X(ListOrganizationsFeatures, kRead, IAMD_ANY)                                    \
  X(EnableOrganizationsRootCredentialsManagement, kWrite, IAMD_ANY)                \
  X(DisableOrganizationsRootCredentialsManagement, kWrite, IAMD_ANY)               \
  X(EnableOrganizationsRootSessions, kWrite, IAMD_ANY)                             \
  X(DisableOrganizationsRootSessions, kWrite, IAMD_ANY)                            \
  /* access reports (iam_access_reports.cc) */                                      \
  X(GenerateServiceLastAccessedDetails, kRead,                                     \
    (ResourceSpec{ResourceMode::kPrincipalArn, ResourceType::kNone, "Arn"}))       \
  X(GetServiceLastAccessedDetails, kRead, IAMD_ANY)                                \
  X(GetServiceLastAccessedDetailsWithEntities, kRead, IAMD_ANY)                    \
  /* outbound identity federation (outbound_federation.cc) */                      \
  X(EnableOutboundWebIdentityFederation, kWrite, IAMD_ANY)                         \
  X(DisableOutboundWebIdentityFederation, kWrite, IAMD_ANY)                        \
  X(GetOutboundWebIdentityFederationInfo, kRead, IAMD_ANY)                         \
  /* users */                                                                      \
  X(CreateUser, kWrite, IAMD_CREATE(kUser, "UserName"))                            \
  X(GetUser, kRead, IAMD_SELF)                                                     \
  X(ListUsers, kRead, IAMD_LIST(kUser))                                            \
  X(UpdateUser, kWrite, IAMD_NAMED(kUser, "UserName"))                             \
  X(DeleteUser, kWrite, IAMD_NAMED(kUser, "UserName"))                             \
  X(TagUser, kWrite, IAMD_NAMED(kUser, "UserName"))                                \
  X(UntagUser, kWrite, IAMD_NAMED(kUser, "UserName"))                              \
  X(ListUserTags, kRead, IAMD_NAMED(kUser, "UserName"))                            \
  X(PutUserPermissionsBoundary, kWrite, IAMD_NAMED(kUser, "UserName"))             \
  X(DeleteUserPermissionsBoundary, kWrite, IAMD_NAMED(kUser, "UserName"))          \
  X(PutUserPolicy, kWrite, IAMD_NAMED(kUser, "UserName"))                          \
  X(GetUserPolicy, kRead, IAMD_NAMED(kUser, "UserName"))                           \
  X(DeleteUserPolicy, kWrite, IAMD_NAMED(kUser, "UserName"))                       \
  X(ListUserPolicies, kRead, IAMD_NAMED(kUser, "UserName"))                        \
  X(AttachUserPolicy, kWrite, IAMD_NAMED(kUser, "UserName"))                       \
  X(DetachUserPolicy, kWrite, IAMD_NAMED(kUser, "UserName"))                       \
  X(ListAttachedUserPolicies, kRead, IAMD_NAMED(kUser, "UserName"))                \
  X(ListGroupsForUser, kRead, IAMD_NAMED(kUser, "UserName"))                       \
  X(CreateLoginProfile, kWrite, IAMD_SELF)                                         \
  X(GetLoginProfile, kRead, IAMD_SELF)                                             \
  X(UpdateLoginProfile, kWrite, IAMD_SELF)                                         \
  X(DeleteLoginProfile, kWrite, IAMD_SELF)                                         \
  X(ChangePassword, kWrite, IAMD_SELF)                                             \
  X(CreateAccessKey, kWrite, IAMD_SELF)                                            \
  X(ListAccessKeys, kRead, IAMD_SELF)                                              \
  X(UpdateAccessKey, kWrite, IAMD_SELF)                                            \
  X(DeleteAccessKey, kWrite, IAMD_SELF)                                            \
  X(GetAccessKeyLastUsed, kRead,                                                   \
    (ResourceSpec{ResourceMode::kAccessKey, ResourceType::kUser, "AccessKeyId"}))  \
  X(UploadSigningCertificate, kWrite, IAMD_SELF)                                   \
  X(ListSigningCertificates, kRead, IAMD_SELF)                                     \
  X(UpdateSigningCertificate, kWrite, IAMD_SELF)                                   \
  X(DeleteSigningCertificate, kWrite, IAMD_SELF)                                   \
  X(UploadSSHPublicKey, kWrite, IAMD_SELF)                                         \
  X(GetSSHPublicKey, kRead, IAMD_SELF)                                             \
  X(ListSSHPublicKeys, kRead, IAMD_SELF)                                           \
  X(UpdateSSHPublicKey, kWrite, IAMD_SELF)                                         \
  X(DeleteSSHPublicKey, kWrite, IAMD_SELF)                                         \
  X(SetSecurityTokenServicePreferences, kWrite, IAMD_ANY)                          \
  /* service-specific credentials */                                              \
  X(CreateServiceSpecificCredential, kWrite, IAMD_NAMED(kUser, "UserName"))        \
  X(ListServiceSpecificCredentials, kRead, IAMD_SELF)                              \
  X(ResetServiceSpecificCredential, kWrite, IAMD_SELF)                             \
  X(UpdateServiceSpecificCredential, kWrite, IAMD_SELF)                            \
  X(DeleteServiceSpecificCredential, kWrite, IAMD_SELF)                            \
  /* virtual MFA devices */                                                        \
  X(CreateVirtualMFADevice, kWrite, IAMD_CREATE(kMfa, "VirtualMFADeviceName"))     \
  X(DeleteVirtualMFADevice, kWrite, IAMD_ARN(kMfa, "SerialNumber"))                \
  X(ListVirtualMFADevices, kRead, IAMD_ANY)                                        \
  X(EnableMFADevice, kWrite, IAMD_NAMED(kUser, "UserName"))                        \
  X(DeactivateMFADevice, kWrite, IAMD_SELF)                                        \
  X(ResyncMFADevice, kWrite, IAMD_NAMED(kUser, "UserName"))                        \
  X(ListMFADevices, kRead, IAMD_SELF)                                              \
  X(GetMFADevice, kRead, IAMD_SELF)                                                \
  X(TagMFADevice, kWrite, IAMD_ARN(kMfa, "SerialNumber"))                          \
  X(UntagMFADevice, kWrite, IAMD_ARN(kMfa, "SerialNumber"))                        \
  X(ListMFADeviceTags, kRead, IAMD_ARN(kMfa, "SerialNumber"))                      \
  /* server certificates */                                                        \
  X(UploadServerCertificate, kWrite,                                               \
    IAMD_CREATE(kServerCertificate, "ServerCertificateName"))                      \
  X(GetServerCertificate, kRead, IAMD_NAMED(kServerCertificate, "ServerCertificateName")) \
  X(ListServerCertificates, kRead, IAMD_LIST(kServerCertificate))                  \
  X(UpdateServerCertificate, kWrite,                                               \
    IAMD_NAMED(kServerCertificate, "ServerCertificateName"))                       \
  X(DeleteServerCertificate, kWrite,                                               \
    IAMD_NAMED(kServerCertificate, "ServerCertificateName"))                       \
  X(TagServerCertificate, kWrite, IAMD_NAMED(kServerCertificate, "ServerCertificateName")) \
  X(UntagServerCertificate, kWrite,                                                \
    IAMD_NAMED(kServerCertificate, "ServerCertificateName"))                       \
  X(ListServerCertificateTags, kRead,                                              \
    IAMD_NAMED(kServerCertificate, "ServerCertificateName"))                       \
  /* groups */                                                                     \
  X(CreateGroup, kWrite, IAMD_CREATE(kGroup, "GroupName"))                         \
  X(GetGroup, kRead, IAMD_NAMED(kGroup, "GroupName"))                              \
  X(ListGroups, kRead, IAMD_LIST(kGroup))                                          \
  X(UpdateGroup, kWrite, IAMD_NAMED(kGroup, "GroupName"))                          \
  X(DeleteGroup, kWrite, IAMD_NAMED(kGroup, "GroupName"))                          \
  X(AddUserToGroup, kWrite, IAMD_NAMED(kGroup, "GroupName"))                       \
  X(RemoveUserFromGroup, kWrite, IAMD_NAMED(kGroup, "GroupName"))                  \
  X(PutGroupPolicy, kWrite, IAMD_NAMED(kGroup, "GroupName"))                       \
  X(GetGroupPolicy, kRead, IAMD_NAMED(kGroup, "GroupName"))                        \
  X(DeleteGroupPolicy, kWrite, IAMD_NAMED(kGroup, "GroupName"))                    \
  X(ListGroupPolicies, kRead, IAMD_NAMED(kGroup, "GroupName"))                     \
  X(AttachGroupPolicy, kWrite, IAMD_NAMED(kGroup, "GroupName"))                    \
  X(DetachGroupPolicy, kWrite, IAMD_NAMED(kGroup, "GroupName"))                    \
  X(ListAttachedGroupPolicies, kRead, IAMD_NAMED(kGroup, "GroupName"))             \
  /* OpenID Connect identity providers */                                           \
  X(CreateOpenIDConnectProvider, kWrite, IAMD_CREATE(kOidcProvider, "Url"))         \
  X(GetOpenIDConnectProvider, kRead, IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn")) \
  X(ListOpenIDConnectProviders, kRead, IAMD_ANY)                                   \
  X(DeleteOpenIDConnectProvider, kWrite, IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn")) \
  X(AddClientIDToOpenIDConnectProvider, kWrite,                                    \
    IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn"))                           \
  X(RemoveClientIDFromOpenIDConnectProvider, kWrite,                               \
    IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn"))                           \
  X(UpdateOpenIDConnectProviderThumbprint, kWrite,                                 \
    IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn"))                           \
  X(TagOpenIDConnectProvider, kWrite, IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn")) \
  X(UntagOpenIDConnectProvider, kWrite, IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn")) \
  X(ListOpenIDConnectProviderTags, kRead,                                          \
    IAMD_ARN(kOidcProvider, "OpenIDConnectProviderArn"))                           \
  /* SAML identity providers */                                                   \
  X(CreateSAMLProvider, kWrite, IAMD_CREATE(kSamlProvider, "Name"))                \
  X(GetSAMLProvider, kRead, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))            \
  X(ListSAMLProviders, kRead, IAMD_ANY)                                            \
  X(UpdateSAMLProvider, kWrite, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))        \
  X(DeleteSAMLProvider, kWrite, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))        \
  X(TagSAMLProvider, kWrite, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))           \
  X(UntagSAMLProvider, kWrite, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))         \
  X(ListSAMLProviderTags, kRead, IAMD_ARN(kSamlProvider, "SAMLProviderArn"))       \
  /* the policy simulator */                                                       \
  X(SimulatePrincipalPolicy, kRead, IAMD_PRINCIPAL)                                \
  X(SimulateCustomPolicy, kRead, IAMD_ANY)                                         \
  X(GetContextKeysForPrincipalPolicy, kRead, IAMD_PRINCIPAL)                       \
  X(GetContextKeysForCustomPolicy, kRead, IAMD_ANY)                                \
  X(ListPoliciesGrantingServiceAccess, kRead,                                      \
    (ResourceSpec{ResourceMode::kPrincipalArn, ResourceType::kNone, "Arn"}))       \
  /* STS */                                                                        \
  X(AssumeRole, kRead, IAMD_ARN(kRole, "RoleArn"))                                 \
  X(AssumeRoleWithWebIdentity, kRead, IAMD_ARN(kRole, "RoleArn"))                  \
  X(AssumeRoleWithSAML, kRead, IAMD_ARN(kRole, "RoleArn"))                         \
  X(GetCallerIdentity, kRead, IAMD_ANY)                                            \
  X(GetSessionToken, kRead, IAMD_ANY)                                              \
  X(GetFederationToken, kRead,                                                     \
    (ResourceSpec{ResourceMode::kFederatedUser, ResourceType::kNone, "Name"}))     \
  X(GetAccessKeyInfo, kRead, IAMD_ANY)                                             \
  X(GetWebIdentityToken, kRead, (ResourceSpec{ResourceMode::kStsSelf, ResourceType::kNone, ""}))

#define IAMD_DECLARE_HANDLER(name, access, resource) Status name(Call& c);
IAMD_ACTIONS(IAMD_DECLARE_HANDLER)
#undef IAMD_DECLARE_HANDLER

// The user an action is about: UserName if given, else the calling IAM user. AWS refuses the
// implicit form for callers that are not IAM users (recorded:
// "Must specify userName when calling with non-User credentials").
Result<std::string> TargetUser(const Call& c);
// That user, who must exist (NoSuchEntity otherwise).
Result<const model::User*> TargetUserEntity(const Call& c);

// UpdateUser, UpdateGroup, UpdateServerCertificate: renaming or moving an entity needs `action`
// on its new ARN as well as on the old (IAM API reference). `found` is the entity's lookup (an
// entity with `rec.path` and `rec.name`, or its NoSuchEntity); `new_name_param` names the new
// name's parameter. Nothing to check without NewPath or a new name.
template <typename Found>
Status AuthorizeNewName(const Call& c, std::string_view action, std::string_view type,
                        const Found& found, std::string_view new_name_param) {
  auto new_name = c.p.OptStr(new_name_param);
  auto new_path = c.p.OptStr("NewPath");
  if (!new_name && !new_path) return {};
  if (!found) return std::unexpected(found.error());
  const std::string target = IamArn(c.state.account_id(), type,
                                    new_path.value_or((*found)->rec.path),
                                    new_name.value_or((*found)->rec.name));
  return AuthorizeAlso(c, action, target, target);
}

// STS calls with SerialNumber and TokenCode: the TOTP step at which `code` is the current code
// of the caller's virtual MFA device `serial`. AccessDenied (AWS's two messages) if the caller
// is not an IAM user with that device enabled, or the code is not the device's, or the device
// gave that code (or a later one) before: a code is good once.
Result<int64_t> CheckMfaToken(const Call& c, std::string_view serial, std::string_view code);

// Shared by the handlers of roles, users and groups.
Status PutInlinePolicy(Call& c, model::OwnerKind kind);
Status GetInlinePolicy(Call& c, model::OwnerKind kind);
Status DeleteInlinePolicy(Call& c, model::OwnerKind kind);
Status ListInlinePolicies(Call& c, model::OwnerKind kind);
Status AttachPolicy(Call& c, model::OwnerKind kind);
Status DetachPolicy(Call& c, model::OwnerKind kind);
Status ListAttachedPolicies(Call& c, model::OwnerKind kind);
// The Prepare step of CreateLoginProfile and UpdateLoginProfile: hashes the Password ("" when
// there is none). The handler checks it against the account's password policy.
Result<std::string> HashPasswordParam(const PrepareInput& in);
// The Prepare step of ChangePassword: the caller must be an IAM user with a login profile whose
// password is OldPassword; then NewPassword is hashed. Makes the stored hash it checked, "\n",
// and the new hash (the handler stores the new one only if the stored one is unchanged).
Result<std::string> CheckChangePassword(const PrepareInput& in);
// The Prepare step of CreateSAMLProvider and UpdateSAMLProvider: checks the metadata document
// and the private key before the model is locked (iam_saml.cc).
Result<std::string> CheckSamlParams(const PrepareInput& in);
// EnableOutboundWebIdentityFederation: the account's signing keys, made the first time only.
Result<std::string> PrepareOutboundKeys(const PrepareInput& in);

// The issuer's OpenID Connect discovery documents (GET, no credentials, as any OIDC issuer
// publishes them): `path` ending in /.well-known/openid-configuration or
// /.well-known/jwks.json, once outbound identity federation was first enabled (the keys stay
// published while it is disabled, for the tokens issued before). nullopt: no such document.
std::optional<std::string> OutboundDiscoveryDocument(std::string_view path,
                                                     const model::State& state,
                                                     const ServiceConfig& config);

// An access key's last use: the later of what its record holds and what `usage` recorded since
// the last flush; nullopt if it was never used.
std::optional<UsageTracker::Use> LastKeyUse(const UsageTracker& usage, const model::AccessKey& key);

// `items` keyed for ListPage in the order of a time (milliseconds) each has, then of an ID.
template <typename T, typename TimeOf, typename IdOf>
std::map<std::string, const T*> InTimeOrder(const std::vector<T*>& items, TimeOf time_of,
                                            IdOf id_of) {
  std::map<std::string, const T*> out;
  for (const T* item : items) {
    char when[24];
    std::snprintf(when, sizeof when, "%020lld", static_cast<long long>(time_of(*item)));
    out.emplace(when + std::string(id_of(*item)), item);
  }
  return out;
}

// A user's certificates or SSH keys keyed in the order uploaded, as after a restart (the store
// loads them so): by time, then ID.
template <typename T>
std::map<std::string, const T*> InUploadOrder(const std::vector<T*>& items) {
  return InTimeOrder(
      items, [](const T& x) { return x.rec.upload_millis; },
      [](const T& x) -> const std::string& { return x.rec.id; });
}

// Writes Tags (always, empty too), IsTruncated and Marker for one page of `tags`.
Status WriteTagPage(Call& c, const model::Tags& tags);

}  // namespace iamd::api
