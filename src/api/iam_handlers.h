// Internal to src/api: the handler of every action, and the table that lists them.
#pragma once

#include "api/handlers.h"

namespace iamd::api {

// X(Name, Access): one row per action. Adding an action is one row here and its handler.
#define IAMD_ACTIONS(X)                       \
  /* roles */                                 \
  X(CreateRole, kWrite)                       \
  X(GetRole, kRead)                           \
  X(ListRoles, kRead)                         \
  X(UpdateRole, kWrite)                       \
  X(UpdateRoleDescription, kWrite)            \
  X(UpdateAssumeRolePolicy, kWrite)           \
  X(DeleteRole, kWrite)                       \
  X(PutRolePermissionsBoundary, kWrite)       \
  X(DeleteRolePermissionsBoundary, kWrite)    \
  X(TagRole, kWrite)                          \
  X(UntagRole, kWrite)                        \
  X(ListRoleTags, kRead)                      \
  X(PutRolePolicy, kWrite)                    \
  X(GetRolePolicy, kRead)                     \
  X(DeleteRolePolicy, kWrite)                 \
  X(ListRolePolicies, kRead)                  \
  X(AttachRolePolicy, kWrite)                 \
  X(DetachRolePolicy, kWrite)                 \
  X(ListAttachedRolePolicies, kRead)          \
  /* service-linked roles */                  \
  X(CreateServiceLinkedRole, kWrite)          \
  X(DeleteServiceLinkedRole, kWrite)          \
  X(GetServiceLinkedRoleDeletionStatus, kRead) \
  /* instance profiles */                     \
  X(CreateInstanceProfile, kWrite)            \
  X(GetInstanceProfile, kRead)                \
  X(ListInstanceProfiles, kRead)              \
  X(ListInstanceProfilesForRole, kRead)       \
  X(DeleteInstanceProfile, kWrite)            \
  X(AddRoleToInstanceProfile, kWrite)         \
  X(RemoveRoleFromInstanceProfile, kWrite)    \
  X(TagInstanceProfile, kWrite)               \
  X(UntagInstanceProfile, kWrite)             \
  X(ListInstanceProfileTags, kRead)           \
  /* managed policies */                      \
  X(CreatePolicy, kWrite)                     \
  X(GetPolicy, kRead)                         \
  X(ListPolicies, kRead)                      \
  X(DeletePolicy, kWrite)                     \
  X(CreatePolicyVersion, kWrite)              \
  X(GetPolicyVersion, kRead)                  \
  X(ListPolicyVersions, kRead)                \
  X(DeletePolicyVersion, kWrite)              \
  X(SetDefaultPolicyVersion, kWrite)          \
  X(TagPolicy, kWrite)                        \
  X(UntagPolicy, kWrite)                      \
  X(ListPolicyTags, kRead)                    \
  X(ListEntitiesForPolicy, kRead)             \
  X(GetAccountAuthorizationDetails, kRead)

#define IAMD_DECLARE_HANDLER(name, access) Status name(Call& c);
IAMD_ACTIONS(IAMD_DECLARE_HANDLER)
#undef IAMD_DECLARE_HANDLER

// Shared by the handlers of roles, users and groups.
Status PutInlinePolicy(Call& c, model::OwnerKind kind);
Status GetInlinePolicy(Call& c, model::OwnerKind kind);
Status DeleteInlinePolicy(Call& c, model::OwnerKind kind);
Status ListInlinePolicies(Call& c, model::OwnerKind kind);
Status AttachPolicy(Call& c, model::OwnerKind kind);
Status DetachPolicy(Call& c, model::OwnerKind kind);
Status ListAttachedPolicies(Call& c, model::OwnerKind kind);
// Writes Tags (always, empty too), IsTruncated and Marker for one page of `tags`.
Status WriteTagPage(Call& c, const model::Tags& tags);

}  // namespace iamd::api
