// Handlers: managed policies and their versions, entities for a policy, and
// GetAccountAuthorizationDetails.
#include <algorithm>

#include "api/iam_handlers.h"
#include "common/strings.h"
#include "managed/catalog.h"

namespace iamd::api {

using model::PolicyView;

namespace {

// The versions of a policy, newest first (as AWS lists them).
struct VersionView {
  std::string_view version_id;
  std::string_view document;
  int64_t create_millis;
  bool is_default;
};

std::vector<VersionView> Versions(const PolicyView& policy) {
  std::vector<VersionView> out;
  if (policy.aws) {
    out.push_back({policy.aws->default_version_id, policy.aws->document, policy.aws->update_millis,
                   true});
    return out;
  }
  for (auto it = policy.local->versions.rbegin(); it != policy.local->versions.rend(); ++it)
    out.push_back({it->second.rec.version_id, it->second.rec.document,
                   it->second.rec.create_millis,
                   it->second.rec.version_id == policy.local->rec.default_version_id});
  return out;
}

void WriteVersion(XmlWriter& xml, const VersionView& v, bool with_document,
                  std::string_view element) {
  xml.Open(element);
  if (with_document) WritePolicyDocument(xml, "Document", v.document);
  xml.Element("VersionId", v.version_id);
  xml.Bool("IsDefaultVersion", v.is_default);
  WriteDate(xml, "CreateDate", v.create_millis);
  xml.Close(element);
}

std::unexpected<Error> NoSuchVersion(std::string_view arn, std::string_view version) {
  return Fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " version " +
                                            std::string(version) +
                                            " does not exist or is not attachable.");
}

}  // namespace

Status CreatePolicy(Call& c) {
  model::CreatePolicyInput in;
  in.name = c.p.Str("PolicyName");
  in.path = c.p.OptStr("Path").value_or("/");
  in.document = c.p.Str("PolicyDocument");
  in.description = c.p.OptStr("Description");
  in.tags = c.p.TagList();
  auto policy = c.mut->CreatePolicy(in, c.changes);
  if (!policy) return std::unexpected(policy.error());
  WritePolicy(c.xml, PolicyView{.local = *policy}, Detail::kCreate);
  return {};
}

Status GetPolicy(Call& c) {
  auto policy = c.state.GetPolicy(c.p.Str("PolicyArn"));
  if (!policy) return std::unexpected(policy.error());
  WritePolicy(c.xml, *policy, Detail::kGet);
  return {};
}

Status ListPolicies(Call& c) {
  std::string scope = c.p.OptStr("Scope").value_or("All");
  bool only_attached = c.p.OptBool("OnlyAttached").value_or(false);
  std::string usage = c.p.OptStr("PolicyUsageFilter").value_or("");
  auto keep = [&](const PolicyView& v) {
    if (!PathMatches(c.p, v.path())) return false;
    if (usage == "PermissionsPolicy" && v.attachment_count() == 0 && only_attached) return false;
    if (usage == "PermissionsBoundary" && v.boundary_usage_count() == 0) return false;
    if (only_attached && v.attachment_count() == 0 && v.boundary_usage_count() == 0) return false;
    return true;
  };
  // One order over both kinds: by name, then ARN (a customer policy may share an AWS name).
  std::vector<std::pair<std::string, PolicyView>> all;
  if (scope != "Local")
    for (const auto& aws : managed::AllPolicies()) {
      auto v = c.state.GetPolicy(aws.arn);
      if (v && keep(*v)) all.emplace_back(std::string(aws.name) + '\n' + std::string(aws.arn), *v);
    }
  if (scope != "AWS")
    for (const auto& [key, p] : c.state.policies()) {
      PolicyView v{.local = p.get()};
      if (keep(v)) all.emplace_back(p->rec.name + '\n' + p->arn, v);
    }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> keys;
  keys.reserve(all.size());
  for (const auto& [k, v] : all) keys.push_back(k);
  return WritePage(c, keys, "Policies", [&](size_t i) {
    WritePolicy(c.xml, all[i].second, Detail::kList, "member");
  });
}

Status DeletePolicy(Call& c) { return c.mut->DeletePolicy(c.p.Str("PolicyArn"), c.changes); }

Status CreatePolicyVersion(Call& c) {
  auto version = c.mut->CreatePolicyVersion(c.p.Str("PolicyArn"), c.p.Str("PolicyDocument"),
                                            c.p.OptBool("SetAsDefault").value_or(false), c.changes);
  if (!version) return std::unexpected(version.error());
  auto policy = c.state.GetPolicy(c.p.Str("PolicyArn"));
  bool is_default = policy && policy->default_version_id() == (*version)->rec.version_id;
  WriteVersion(c.xml,
               {(*version)->rec.version_id, (*version)->rec.document,
                (*version)->rec.create_millis, is_default},
               /*with_document=*/false, "PolicyVersion");
  return {};
}

Status GetPolicyVersion(Call& c) {
  std::string_view arn = c.p.Str("PolicyArn"), version_id = c.p.Str("VersionId");
  auto policy = c.state.GetPolicy(arn);
  if (!policy) return NoSuchVersion(arn, version_id);
  for (const VersionView& v : Versions(*policy))
    if (v.version_id == version_id) {
      WriteVersion(c.xml, v, /*with_document=*/true, "PolicyVersion");
      return {};
    }
  return NoSuchVersion(arn, version_id);
}

Status ListPolicyVersions(Call& c) {
  auto policy = c.state.GetPolicy(c.p.Str("PolicyArn"));
  if (!policy) return std::unexpected(policy.error());
  auto versions = Versions(*policy);
  auto keys = PositionKeys(versions.size());
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());
  c.xml.Open("Versions");
  for (size_t i = page->begin; i < page->end; ++i)
    WriteVersion(c.xml, versions[i], /*with_document=*/false, "member");
  c.xml.Close("Versions");
  WritePageEnd(c.xml, *page, keys);
  return {};
}

Status DeletePolicyVersion(Call& c) {
  return c.mut->DeletePolicyVersion(c.p.Str("PolicyArn"), c.p.Str("VersionId"), c.changes);
}

Status SetDefaultPolicyVersion(Call& c) {
  return c.mut->SetDefaultPolicyVersion(c.p.Str("PolicyArn"), c.p.Str("VersionId"), c.changes);
}

Status TagPolicy(Call& c) { return c.mut->TagPolicy(c.p.Str("PolicyArn"), c.p.TagList(), c.changes); }

Status UntagPolicy(Call& c) {
  return c.mut->UntagPolicy(c.p.Str("PolicyArn"), c.p.StrList("TagKeys"), c.changes);
}

Status ListPolicyTags(Call& c) {
  auto policy = c.state.GetPolicy(c.p.Str("PolicyArn"));
  if (!policy) return std::unexpected(policy.error());
  model::Tags tags;
  if (policy->local) tags = policy->local->rec.tags;
  // AWS lists a policy's tags shortest key first, then by code point (recorded: keys created
  // as abc, b, z, a are listed a, b, z, abc; a, A as A, a).
  std::stable_sort(tags.begin(), tags.end(), [](const model::Tag& a, const model::Tag& b) {
    return a.key.size() != b.key.size() ? a.key.size() < b.key.size() : a.key < b.key;
  });
  return WriteTagPage(c, tags);
}

Status ListEntitiesForPolicy(Call& c) {
  std::string_view arn = c.p.Str("PolicyArn");
  if (!c.state.GetPolicy(arn))
    return Fail(ErrorCode::kNoSuchEntity,
                "Policy " + std::string(arn) + " does not exist or is not attachable.");
  std::string filter = c.p.OptStr("EntityFilter").value_or("");
  std::string usage = c.p.OptStr("PolicyUsageFilter").value_or("");
  auto attached = c.state.EntitiesForPolicy(arn);
  // Boundary users of the policy, when asked for by PolicyUsageFilter=PermissionsBoundary.
  std::vector<const model::Role*> roles;
  std::vector<const model::User*> users;
  std::vector<const model::Group*> groups;
  if (usage == "PermissionsBoundary") {
    for (const auto& [k, r] : c.state.roles())
      if (r->rec.permissions_boundary_arn == arn) roles.push_back(r.get());
    for (const auto& [k, u] : c.state.users())
      if (u->rec.permissions_boundary_arn == arn) users.push_back(u.get());
  } else {
    roles = attached.roles;
    users = attached.users;
    groups = attached.groups;
  }
  // One page over the three lists, in the order groups, users, roles.
  std::vector<std::string> keys;
  auto want = [&](std::string_view kind) { return filter.empty() || filter == kind; };
  if (want("Group"))
    for (const auto* g : groups)
      if (PathMatches(c.p, g->rec.path)) keys.push_back("1" + AsciiLower(g->rec.name));
  if (want("User"))
    for (const auto* u : users)
      if (PathMatches(c.p, u->rec.path)) keys.push_back("2" + AsciiLower(u->rec.name));
  if (want("Role"))
    for (const auto* r : roles)
      if (PathMatches(c.p, r->rec.path)) keys.push_back("3" + AsciiLower(r->rec.name));
  std::sort(keys.begin(), keys.end());
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());
  auto in_page = [&](char kind, std::string_view name) {
    std::string key = kind + AsciiLower(name);
    auto it = std::lower_bound(keys.begin(), keys.end(), key);
    size_t i = it - keys.begin();
    return it != keys.end() && *it == key && i >= page->begin && i < page->end;
  };
  auto list = [&](std::string_view element, char kind, const auto& items, std::string_view name_el,
                  std::string_view id_el) {
    bool any = false;
    for (const auto* e : items)
      if (in_page(kind, e->rec.name)) {
        if (!any) c.xml.Open(element);
        any = true;
        c.xml.Open("member");
        c.xml.Element(name_el, e->rec.name);
        c.xml.Element(id_el, e->rec.id);
        c.xml.Close("member");
      }
    if (any)
      c.xml.Close(element);
    else
      c.xml.Empty(element);
  };
  list("PolicyGroups", '1', groups, "GroupName", "GroupId");
  list("PolicyUsers", '2', users, "UserName", "UserId");
  list("PolicyRoles", '3', roles, "RoleName", "RoleId");
  WritePageEnd(c.xml, *page, keys);
  return {};
}

// ---- GetAccountAuthorizationDetails ----

namespace {

void WriteInlineList(XmlWriter& xml, std::string_view element, const model::PolicyOwner& owner,
                     bool omit_when_empty) {
  if (owner.inline_policies.empty()) {
    if (!omit_when_empty) xml.Empty(element);
    return;
  }
  xml.Open(element);
  for (const auto& [k, p] : owner.inline_policies) {
    xml.Open("member");
    xml.Element("PolicyName", p.name);
    xml.ElementVerbatim("PolicyDocument", p.document_url);
    xml.Close("member");
  }
  xml.Close(element);
}

void WriteAttachedList(const Call& c, const model::PolicyOwner& owner) {
  if (owner.attached.empty()) {
    c.xml.Empty("AttachedManagedPolicies");
    return;
  }
  c.xml.Open("AttachedManagedPolicies");
  for (const std::string& arn : owner.attached) {
    auto v = c.state.GetPolicy(arn);
    if (!v) continue;
    c.xml.Open("member");
    c.xml.Element("PolicyName", v->name());
    c.xml.Element("PolicyArn", v->arn());
    c.xml.Close("member");
  }
  c.xml.Close("AttachedManagedPolicies");
}

}  // namespace

Status GetAccountAuthorizationDetails(Call& c) {
  auto filters = c.p.StrList("Filter");
  auto want = [&](std::string_view f) {
    return filters.empty() || std::find(filters.begin(), filters.end(), f) != filters.end();
  };
  // One key space over all four lists, so that a Marker resumes anywhere.
  std::vector<std::string> keys;
  if (want("User"))
    for (const auto& [k, u] : c.state.users()) keys.push_back("1" + k);
  if (want("Group"))
    for (const auto& [k, g] : c.state.groups()) keys.push_back("2" + k);
  if (want("Role"))
    for (const auto& [k, r] : c.state.roles()) keys.push_back("3" + k);
  if (want("LocalManagedPolicy"))
    for (const auto& [k, p] : c.state.policies()) keys.push_back("4" + k);
  std::vector<std::string> aws_arns;
  if (want("AWSManagedPolicy")) {
    // Only the AWS managed policies in use in this account.
    for (const auto& [arn, usage] : c.state.aws_policy_usage())
      if (usage.attachment_count > 0 || usage.boundary_usage_count > 0) aws_arns.push_back(arn);
    for (const auto& arn : aws_arns) keys.push_back("5" + arn);
  }
  std::sort(keys.begin(), keys.end());
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());
  auto range = [&](char kind) {
    auto lo = std::lower_bound(keys.begin() + page->begin, keys.begin() + page->end,
                               std::string(1, kind));
    auto hi = std::lower_bound(lo, keys.begin() + page->end, std::string(1, kind + 1));
    return std::vector<std::string>(lo, hi);
  };

  auto users = range('1');
  if (users.empty()) c.xml.Empty("UserDetailList");
  else {
    c.xml.Open("UserDetailList");
    for (const auto& key : users) {
      const model::User& u = *c.state.users().at(key.substr(1));
      c.xml.Open("member");
      c.xml.Element("Path", u.rec.path);
      c.xml.Element("UserName", u.rec.name);
      c.xml.Element("UserId", u.rec.id);
      c.xml.Element("Arn", u.arn);
      WriteDate(c.xml, "CreateDate", u.rec.create_millis);
      WriteInlineList(c.xml, "UserPolicyList", u, /*omit_when_empty=*/true);
      if (u.groups.empty()) c.xml.Empty("GroupList");
      else {
        c.xml.Open("GroupList");
        for (const auto* g : u.groups) c.xml.Element("member", g->rec.name);
        c.xml.Close("GroupList");
      }
      WriteAttachedList(c, u);
      WritePermissionsBoundary(c.xml, u.rec.permissions_boundary_arn);
      WriteTags(c.xml, u.rec.tags, /*always=*/true);
      c.xml.Close("member");
    }
    c.xml.Close("UserDetailList");
  }

  auto groups = range('2');
  if (groups.empty()) c.xml.Empty("GroupDetailList");
  else {
    c.xml.Open("GroupDetailList");
    for (const auto& key : groups) {
      const model::Group& g = *c.state.groups().at(key.substr(1));
      c.xml.Open("member");
      c.xml.Element("Path", g.rec.path);
      c.xml.Element("GroupName", g.rec.name);
      c.xml.Element("GroupId", g.rec.id);
      c.xml.Element("Arn", g.arn);
      WriteDate(c.xml, "CreateDate", g.rec.create_millis);
      WriteInlineList(c.xml, "GroupPolicyList", g, /*omit_when_empty=*/false);
      WriteAttachedList(c, g);
      c.xml.Close("member");
    }
    c.xml.Close("GroupDetailList");
  }

  auto roles = range('3');
  if (roles.empty()) c.xml.Empty("RoleDetailList");
  else {
    c.xml.Open("RoleDetailList");
    for (const auto& key : roles) {
      const model::Role& r = *c.state.roles().at(key.substr(1));
      c.xml.Open("member");
      c.xml.Element("Path", r.rec.path);
      c.xml.Element("RoleName", r.rec.name);
      c.xml.Element("RoleId", r.rec.id);
      c.xml.Element("Arn", r.arn);
      WriteDate(c.xml, "CreateDate", r.rec.create_millis);
      c.xml.ElementVerbatim("AssumeRolePolicyDocument", r.trust_policy_url);
      if (r.profiles.empty()) c.xml.Empty("InstanceProfileList");
      else {
        c.xml.Open("InstanceProfileList");
        for (const auto* p : r.profiles) WriteInstanceProfile(c.xml, *p, Detail::kList, "member");
        c.xml.Close("InstanceProfileList");
      }
      WriteInlineList(c.xml, "RolePolicyList", r, /*omit_when_empty=*/false);
      WriteAttachedList(c, r);
      WritePermissionsBoundary(c.xml, r.rec.permissions_boundary_arn);
      WriteTags(c.xml, r.rec.tags, /*always=*/true);
      WriteRoleLastUsed(c.xml, r, &c.usage);
      c.xml.Close("member");
    }
    c.xml.Close("RoleDetailList");
  }

  auto local = range('4');
  auto aws = range('5');
  if (local.empty() && aws.empty()) c.xml.Empty("Policies");
  else {
    c.xml.Open("Policies");
    auto write = [&](const PolicyView& v) {
      c.xml.Open("member");
      c.xml.Element("PolicyName", v.name());
      c.xml.Element("PolicyId", v.id());
      c.xml.Element("Arn", v.arn());
      c.xml.Element("Path", v.path());
      c.xml.Element("DefaultVersionId", v.default_version_id());
      c.xml.Element("AttachmentCount", v.attachment_count());
      c.xml.Element("PermissionsBoundaryUsageCount", v.boundary_usage_count());
      c.xml.Bool("IsAttachable", true);
      if (v.local && v.local->rec.description) c.xml.Element("Description", *v.local->rec.description);
      WriteDate(c.xml, "CreateDate", v.create_millis());
      WriteDate(c.xml, "UpdateDate", v.update_millis());
      c.xml.Open("PolicyVersionList");
      for (const VersionView& ver : Versions(v)) WriteVersion(c.xml, ver, true, "member");
      c.xml.Close("PolicyVersionList");
      c.xml.Close("member");
    };
    for (const auto& key : local) write(PolicyView{.local = c.state.policies().at(key.substr(1)).get()});
    for (const auto& key : aws) {
      auto v = c.state.GetPolicy(std::string_view(key).substr(1));
      if (v) write(*v);
    }
    c.xml.Close("Policies");
  }
  WritePageEnd(c.xml, *page, keys);
  return {};
}

// ---- GetAccountSummary ----

// Usage counts from the model and the quotas iamd enforces, which are AWS's defaults (IAM User
// Guide, "IAM and AWS STS quotas"). Keys as in the API reference's SummaryKeyType; entities
// iamd does not have (MFA devices, server and signing certificates, identity providers)
// count 0. PolicyVersionsInUse counts attachments of managed policies, AWS's and the
// account's, to users, groups and roles; the root user always has access keys here.
Status GetAccountSummary(Call& c) {
  int64_t attachments = 0;
  for (const auto& [k, p] : c.state.policies()) attachments += p->attachment_count;
  for (const auto& [arn, usage] : c.state.aws_policy_usage()) attachments += usage.attachment_count;
  auto count = [](const auto& map) { return static_cast<int64_t>(map.size()); };
  const int64_t mfa_in_use = std::ranges::count_if(
      c.state.mfa_devices(), [](const auto& entry) { return entry.second->user != nullptr; });
  const std::pair<std::string_view, int64_t> entries[] = {
      {"Users", count(c.state.users())},
      {"UsersQuota", 5000},
      {"Groups", count(c.state.groups())},
      {"GroupsQuota", 300},
      {"ServerCertificates", count(c.state.server_certificates())},
      {"ServerCertificatesQuota", static_cast<int64_t>(model::kMaxServerCertificates)},
      {"UserPolicySizeQuota", static_cast<int64_t>(model::kMaxUserInlinePolicyBytes)},
      {"GroupPolicySizeQuota", static_cast<int64_t>(model::kMaxGroupInlinePolicyBytes)},
      {"GroupsPerUserQuota", static_cast<int64_t>(model::kMaxGroupsPerUser)},
      {"SigningCertificatesPerUserQuota", static_cast<int64_t>(model::kMaxCertificatesPerUser)},
      {"AccessKeysPerUserQuota", static_cast<int64_t>(model::kMaxAccessKeysPerUser)},
      // "Number of MFA devices, either assigned or unassigned" and "... that have been assigned"
      // (IAM API reference, GetAccountSummary); the root user has none in iamd.
      {"MFADevices", static_cast<int64_t>(c.state.mfa_devices().size())},
      {"MFADevicesInUse", mfa_in_use},
      {"AccountMFAEnabled", 0},
      {"AccountAccessKeysPresent", 1},
      {"AccountSigningCertificatesPresent", 0},
      {"AttachedPoliciesPerGroupQuota", static_cast<int64_t>(model::kMaxAttachedPolicies)},
      {"AttachedPoliciesPerRoleQuota", static_cast<int64_t>(model::kMaxAttachedPolicies)},
      {"AttachedPoliciesPerUserQuota", static_cast<int64_t>(model::kMaxAttachedPolicies)},
      {"Policies", count(c.state.policies())},
      {"PoliciesQuota", 1500},
      {"PolicySizeQuota", static_cast<int64_t>(model::kMaxManagedPolicySize)},
      {"PolicyVersionsInUse", attachments},
      {"PolicyVersionsInUseQuota", 10000},
      {"VersionsPerPolicyQuota", static_cast<int64_t>(model::kMaxPolicyVersions)},
      {"GlobalEndpointTokenVersion", c.state.global_endpoint_token_version()},
      {"AssumeRolePolicySizeQuota", static_cast<int64_t>(model::kMaxTrustPolicySize)},
      {"InstanceProfiles", count(c.state.instance_profiles())},
      {"InstanceProfilesQuota", 1000},
      // OpenID Connect and SAML providers together (recorded: LocalStack's AWS-validated
      // account summary snapshot counts one of each as 2).
      {"Providers", count(c.state.oidc_providers()) + count(c.state.saml_providers())},
      {"RolePolicySizeQuota", static_cast<int64_t>(model::kMaxRoleInlinePolicyBytes)},
      {"Roles", count(c.state.roles())},
      {"RolesQuota", 1000},
  };
  c.xml.Open("SummaryMap");
  for (const auto& [key, value] : entries) {
    c.xml.Open("entry");
    c.xml.Element("key", key);
    c.xml.Element("value", value);
    c.xml.Close("entry");
  }
  c.xml.Close("SummaryMap");
  return {};
}

}  // namespace iamd::api
