// Handlers: roles, their inline policies, attachments, boundaries, tags; service-linked roles;
// instance profiles.
#include "api/authz.h"
#include "api/iam_handlers.h"

namespace iamd::api {

using model::OwnerKind;

// ---- roles ----

Status CreateRole(Call& c) {
  model::CreateRoleInput in;
  in.name = c.p.Str("RoleName");
  in.path = c.p.OptStr("Path").value_or("/");
  in.trust_policy = c.p.Str("AssumeRolePolicyDocument");
  in.description = c.p.OptStr("Description");
  in.max_session_duration = c.p.OptInt("MaxSessionDuration");
  in.permissions_boundary = c.p.OptStr("PermissionsBoundary");
  in.tags = c.p.TagList();
  auto role = c.mut->CreateRole(in, c.changes);
  if (!role) return std::unexpected(role.error());
  WriteRole(c.xml, **role, RoleDetail::kCreate);
  return {};
}

Status GetRole(Call& c) {
  auto role = c.state.GetRole(c.p.Str("RoleName"));
  if (!role) return std::unexpected(role.error());
  WriteRole(c.xml, **role, RoleDetail::kGet, "Role", &c.usage);
  return {};
}

Status ListRoles(Call& c) {
  return ListPage(
      c, c.state.roles(), "Roles",
      [&](const model::Role& r) { return PathMatches(c.p, r.rec.path); },
      [&](const model::Role& r) { WriteRole(c.xml, r, RoleDetail::kList, "member"); });
}

Status UpdateRole(Call& c) {
  auto role = c.mut->UpdateRole(c.p.Str("RoleName"), c.p.OptStr("Description"),
                                c.p.OptInt("MaxSessionDuration"), c.changes);
  if (!role) return std::unexpected(role.error());
  return {};
}

Status UpdateRoleDescription(Call& c) {
  auto role = c.mut->UpdateRole(c.p.Str("RoleName"), std::string(c.p.Str("Description")),
                                std::nullopt, c.changes);
  if (!role) return std::unexpected(role.error());
  WriteRole(c.xml, **role, RoleDetail::kUpdateDescription);
  return {};
}

Status UpdateAssumeRolePolicy(Call& c) {
  auto role = c.mut->UpdateAssumeRolePolicy(c.p.Str("RoleName"), c.p.Str("PolicyDocument"),
                                            c.changes);
  if (!role) return std::unexpected(role.error());
  return {};
}

Status DeleteRole(Call& c) { return c.mut->DeleteRole(c.p.Str("RoleName"), c.changes); }

Status PutRolePermissionsBoundary(Call& c) {
  return c.mut->PutRolePermissionsBoundary(c.p.Str("RoleName"), c.p.Str("PermissionsBoundary"),
                                           c.changes);
}

Status DeleteRolePermissionsBoundary(Call& c) {
  return c.mut->DeleteRolePermissionsBoundary(c.p.Str("RoleName"), c.changes);
}

Status TagRole(Call& c) { return c.mut->TagRole(c.p.Str("RoleName"), c.p.TagList(), c.changes); }

Status UntagRole(Call& c) {
  return c.mut->UntagRole(c.p.Str("RoleName"), c.p.StrList("TagKeys"), c.changes);
}

Status ListRoleTags(Call& c) {
  auto role = c.state.GetRole(c.p.Str("RoleName"));
  if (!role) return std::unexpected(role.error());
  return WriteTagPage(c, (*role)->rec.tags);
}

// ---- inline policies and attachments (shared by roles, users and groups) ----

namespace {

std::string_view OwnerParam(OwnerKind kind) {
  switch (kind) {
    case OwnerKind::kRole: return "RoleName";
    case OwnerKind::kUser: return "UserName";
    case OwnerKind::kGroup: return "GroupName";
  }
  return "RoleName";
}

Result<const model::PolicyOwner*> FindOwner(Call& c, OwnerKind kind) {
  return c.state.GetOwner(kind, c.p.Str(OwnerParam(kind)));
}

}  // namespace

Status PutInlinePolicy(Call& c, OwnerKind kind) {
  return c.mut->PutInlinePolicy(kind, c.p.Str(OwnerParam(kind)), c.p.Str("PolicyName"),
                                c.p.Str("PolicyDocument"), c.changes);
}

Status GetInlinePolicy(Call& c, OwnerKind kind) {
  std::string_view owner = c.p.Str(OwnerParam(kind));
  auto policy = c.state.GetInlinePolicy(kind, owner, c.p.Str("PolicyName"));
  if (!policy) return std::unexpected(policy.error());
  auto found = FindOwner(c, kind);
  if (!found) return std::unexpected(found.error());
  std::string_view owner_name = kind == OwnerKind::kRole
                                    ? std::string_view(static_cast<const model::Role*>(*found)->rec.name)
                                : kind == OwnerKind::kUser
                                    ? std::string_view(static_cast<const model::User*>(*found)->rec.name)
                                    : std::string_view(static_cast<const model::Group*>(*found)->rec.name);
  c.xml.Element(OwnerParam(kind), owner_name);
  c.xml.Element("PolicyName", (*policy)->name);
  c.xml.ElementVerbatim("PolicyDocument", (*policy)->document_url);
  return {};
}

Status DeleteInlinePolicy(Call& c, OwnerKind kind) {
  return c.mut->DeleteInlinePolicy(kind, c.p.Str(OwnerParam(kind)), c.p.Str("PolicyName"),
                                   c.changes);
}

Status ListInlinePolicies(Call& c, OwnerKind kind) {
  auto owner = FindOwner(c, kind);
  if (!owner) return std::unexpected(owner.error());
  return ListPage(
      c, (*owner)->inline_policies, "PolicyNames", [](const model::InlinePolicy&) { return true; },
      [&](const model::InlinePolicy& p) { c.xml.Element("member", p.name); });
}

Status AttachPolicy(Call& c, OwnerKind kind) {
  return c.mut->AttachPolicy(kind, c.p.Str(OwnerParam(kind)), c.p.Str("PolicyArn"), c.changes);
}

Status DetachPolicy(Call& c, OwnerKind kind) {
  return c.mut->DetachPolicy(kind, c.p.Str(OwnerParam(kind)), c.p.Str("PolicyArn"), c.changes);
}

Status ListAttachedPolicies(Call& c, OwnerKind kind) {
  auto owner = FindOwner(c, kind);
  if (!owner) return std::unexpected(owner.error());
  // Listed in attach order; PathPrefix filters on the policy's path.
  std::vector<model::PolicyView> views;
  for (const std::string& arn : (*owner)->attached) {
    auto v = c.state.GetPolicy(arn);
    if (v && PathMatches(c.p, v->path())) views.push_back(*v);
  }
  auto keys = PositionKeys(views.size());
  return WritePage(c, keys, "AttachedPolicies", [&](size_t i) {
    c.xml.Open("member");
    c.xml.Element("PolicyName", views[i].name());
    c.xml.Element("PolicyArn", views[i].arn());
    c.xml.Close("member");
  });
}

Status PutRolePolicy(Call& c) { return PutInlinePolicy(c, OwnerKind::kRole); }
Status GetRolePolicy(Call& c) { return GetInlinePolicy(c, OwnerKind::kRole); }
Status DeleteRolePolicy(Call& c) { return DeleteInlinePolicy(c, OwnerKind::kRole); }
Status ListRolePolicies(Call& c) { return ListInlinePolicies(c, OwnerKind::kRole); }
Status AttachRolePolicy(Call& c) { return AttachPolicy(c, OwnerKind::kRole); }
Status DetachRolePolicy(Call& c) { return DetachPolicy(c, OwnerKind::kRole); }
Status ListAttachedRolePolicies(Call& c) { return ListAttachedPolicies(c, OwnerKind::kRole); }

// ---- service-linked roles ----

Status CreateServiceLinkedRole(Call& c) {
  auto role = c.mut->CreateServiceLinkedRole(c.p.Str("AWSServiceName"), c.p.OptStr("Description"),
                                             c.p.OptStr("CustomSuffix"), c.changes);
  if (!role) return std::unexpected(role.error());
  WriteRole(c.xml, **role, RoleDetail::kCreate);
  return {};
}

Status DeleteServiceLinkedRole(Call& c) {
  auto task = c.mut->DeleteServiceLinkedRole(c.p.Str("RoleName"), c.changes);
  if (!task) return std::unexpected(task.error());
  c.xml.Element("DeletionTaskId", *task);
  return {};
}

Status GetServiceLinkedRoleDeletionStatus(Call& c) {
  auto task = c.state.GetDeletionTask(c.p.Str("DeletionTaskId"));
  if (!task) return std::unexpected(task.error());
  c.xml.Element("Status", (*task)->status);
  return {};
}

// ---- instance profiles ----

Status CreateInstanceProfile(Call& c) {
  auto profile = c.mut->CreateInstanceProfile(c.p.Str("InstanceProfileName"),
                                              c.p.OptStr("Path").value_or("/"), c.p.TagList(),
                                              c.changes);
  if (!profile) return std::unexpected(profile.error());
  WriteInstanceProfile(c.xml, **profile, Detail::kCreate);
  return {};
}

Status GetInstanceProfile(Call& c) {
  auto profile = c.state.GetInstanceProfile(c.p.Str("InstanceProfileName"));
  if (!profile) return std::unexpected(profile.error());
  WriteInstanceProfile(c.xml, **profile, Detail::kGet);
  return {};
}

Status ListInstanceProfiles(Call& c) {
  return ListPage(
      c, c.state.instance_profiles(), "InstanceProfiles",
      [&](const model::InstanceProfile& p) { return PathMatches(c.p, p.rec.path); },
      [&](const model::InstanceProfile& p) { WriteInstanceProfile(c.xml, p, Detail::kList, "member"); });
}

Status ListInstanceProfilesForRole(Call& c) {
  auto role = c.state.GetRole(c.p.Str("RoleName"));
  if (!role) return std::unexpected(role.error());
  return ListPage(
      c, c.state.instance_profiles(), "InstanceProfiles",
      [&](const model::InstanceProfile& p) { return p.role == *role; },
      [&](const model::InstanceProfile& p) { WriteInstanceProfile(c.xml, p, Detail::kList, "member"); });
}

Status DeleteInstanceProfile(Call& c) {
  return c.mut->DeleteInstanceProfile(c.p.Str("InstanceProfileName"), c.changes);
}

Status AddRoleToInstanceProfile(Call& c) {
  // Putting a role in an instance profile hands it to EC2: the caller must be allowed to pass
  // it (IAM User Guide, "Granting a user permissions to pass a role to an AWS service").
  if (auto role = c.state.GetRole(c.p.Str("RoleName")))
    IAMD_TRY(AuthorizeAlso(c, "iam:PassRole", (*role)->arn, (*role)->arn,
                           {{"iam:PassedToService", "ec2.amazonaws.com"}}));
  return c.mut->AddRoleToInstanceProfile(c.p.Str("InstanceProfileName"), c.p.Str("RoleName"),
                                         c.changes);
}

Status RemoveRoleFromInstanceProfile(Call& c) {
  return c.mut->RemoveRoleFromInstanceProfile(c.p.Str("InstanceProfileName"),
                                              c.p.Str("RoleName"), c.changes);
}

Status TagInstanceProfile(Call& c) {
  return c.mut->TagInstanceProfile(c.p.Str("InstanceProfileName"), c.p.TagList(), c.changes);
}

Status UntagInstanceProfile(Call& c) {
  return c.mut->UntagInstanceProfile(c.p.Str("InstanceProfileName"), c.p.StrList("TagKeys"),
                                     c.changes);
}

Status ListInstanceProfileTags(Call& c) {
  auto profile = c.state.GetInstanceProfile(c.p.Str("InstanceProfileName"));
  if (!profile) return std::unexpected(profile.error());
  return WriteTagPage(c, (*profile)->rec.tags);
}

// ---- shared ----

Status WriteTagPage(Call& c, const model::Tags& tags) {
  auto keys = PositionKeys(tags.size());
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());
  c.xml.Open("Tags");
  for (size_t i = page->begin; i < page->end; ++i) {
    c.xml.Open("member");
    c.xml.Element("Key", tags[i].key);
    c.xml.Element("Value", tags[i].value);
    c.xml.Close("member");
  }
  c.xml.Close("Tags");
  WritePageEnd(c.xml, *page, keys);
  return {};
}

}  // namespace iamd::api
