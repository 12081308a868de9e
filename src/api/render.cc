// XML for the IAM entities, in the element order of the botocore shapes (Role, InstanceProfile,
// Policy, User, Group), and list pagination.
#include <algorithm>
#include <cstdio>

#include "api/handlers.h"
#include "common/strings.h"
#include "common/time.h"
#include "common/url.h"

namespace iamd::api {

void WriteDate(XmlWriter& xml, std::string_view element, int64_t millis) {
  char buf[64];
  xml.ElementVerbatim(element, std::string_view(buf, FormatIso8601(millis, buf)));  // no markup
}

void WritePolicyDocument(XmlWriter& xml, std::string_view element, std::string_view document) {
  // IAM returns documents as the client stored them, percent-encoded (AWS-WIRE.md).
  xml.Element(element, PercentEncode(document));
}

void WriteTags(XmlWriter& xml, const model::Tags& tags, bool always) {
  if (tags.empty() && !always) return;
  if (tags.empty()) {
    xml.Empty("Tags");
    return;
  }
  xml.Open("Tags");
  for (const auto& t : tags) {
    xml.Open("member");
    xml.Element("Key", t.key);
    xml.Element("Value", t.value);
    xml.Close("member");
  }
  xml.Close("Tags");
}

void WriteOidcProvider(XmlWriter& xml, const model::OidcProvider& provider) {
  // AWS shows empty lists and tags as empty elements (LocalStack's AWS-validated snapshot of
  // GetOpenIDConnectProvider: "ClientIDList": [], "Tags": []).
  auto list = [&](std::string_view element, const std::vector<std::string>& values) {
    if (values.empty()) {
      xml.Empty(element);
      return;
    }
    xml.Open(element);
    for (const auto& v : values) xml.Element("member", v);
    xml.Close(element);
  };
  xml.Element("Url", provider.rec.url);
  list("ClientIDList", provider.rec.client_ids);
  list("ThumbprintList", provider.rec.thumbprints);
  WriteDate(xml, "CreateDate", provider.rec.create_millis);
  WriteTags(xml, provider.rec.tags, /*always=*/true);
}

void WritePermissionsBoundary(XmlWriter& xml, std::string_view arn) {
  if (arn.empty()) return;
  xml.Open("PermissionsBoundary");
  // AWS sends "Policy", although the service model's enum says PermissionsBoundaryPolicy.
  xml.Element("PermissionsBoundaryType", "Policy");
  xml.Element("PermissionsBoundaryArn", arn);
  xml.Close("PermissionsBoundary");
}

void WriteRoleLastUsed(XmlWriter& xml, const model::Role& role, const UsageTracker* usage) {
  int64_t millis = role.rec.last_used_millis;
  std::string region = role.rec.last_used_region;
  if (usage)
    if (auto used = usage->RoleLastUsed(role.rec.id); used && used->millis > millis) {
      millis = used->millis;
      region = used->region;
    }
  xml.Open("RoleLastUsed");
  if (millis) {
    WriteDate(xml, "LastUsedDate", millis);
    xml.Element("Region", region);
  }
  xml.Close("RoleLastUsed");
}

void WriteRole(XmlWriter& xml, const model::Role& role, RoleDetail detail,
               std::string_view element, const UsageTracker* usage) {
  const auto& r = role.rec;
  bool get = detail == RoleDetail::kGet, list = detail == RoleDetail::kList;
  xml.Open(element);
  xml.Element("Path", r.path);
  xml.Element("RoleName", r.name);
  xml.Element("RoleId", r.id);
  xml.Element("Arn", role.arn);
  WriteDate(xml, "CreateDate", r.create_millis);
  xml.ElementVerbatim("AssumeRolePolicyDocument", role.trust_policy_url);
  if (r.description && (get || list || detail == RoleDetail::kUpdateDescription ||
                        detail == RoleDetail::kNested))
    xml.Element("Description", *r.description);
  if (get || list) xml.Element("MaxSessionDuration", r.max_session_duration);
  if (!list && detail != RoleDetail::kNested) {
    WritePermissionsBoundary(xml, r.permissions_boundary_arn);
    WriteTags(xml, r.tags);
  }
  if (get) WriteRoleLastUsed(xml, role, usage);
  xml.Close(element);
}

void WriteInstanceProfile(XmlWriter& xml, const model::InstanceProfile& profile, Detail detail,
                          std::string_view element) {
  const auto& r = profile.rec;
  xml.Open(element);
  xml.Element("Path", r.path);
  xml.Element("InstanceProfileName", r.name);
  xml.Element("InstanceProfileId", r.id);
  xml.Element("Arn", profile.arn);
  WriteDate(xml, "CreateDate", r.create_millis);
  if (profile.role) {
    xml.Open("Roles");
    WriteRole(xml, *profile.role, RoleDetail::kNested, "member");
    xml.Close("Roles");
  } else {
    xml.Empty("Roles");  // required, even when empty
  }
  if (detail != Detail::kList) WriteTags(xml, r.tags, /*always=*/detail == Detail::kGet);
  xml.Close(element);
}

void WritePolicy(XmlWriter& xml, const model::PolicyView& policy, Detail detail,
                 std::string_view element) {
  xml.Open(element);
  xml.Element("PolicyName", policy.name());
  xml.Element("PolicyId", policy.id());
  xml.Element("Arn", policy.arn());
  xml.Element("Path", policy.path());
  xml.Element("DefaultVersionId", policy.default_version_id());
  xml.Element("AttachmentCount", policy.attachment_count());
  xml.Element("PermissionsBoundaryUsageCount", policy.boundary_usage_count());
  xml.Bool("IsAttachable", true);
  if (detail == Detail::kGet && policy.local && policy.local->rec.description)
    xml.Element("Description", *policy.local->rec.description);
  WriteDate(xml, "CreateDate", policy.create_millis());
  WriteDate(xml, "UpdateDate", policy.update_millis());
  if (detail != Detail::kList) {
    static const model::Tags kNone;
    WriteTags(xml, policy.local ? policy.local->rec.tags : kNone,
              /*always=*/detail == Detail::kGet);
  }
  xml.Close(element);
}

void WriteUser(XmlWriter& xml, const model::User& user, bool detail, std::string_view element) {
  const auto& r = user.rec;
  xml.Open(element);
  xml.Element("Path", r.path);
  xml.Element("UserName", r.name);
  xml.Element("UserId", r.id);
  xml.Element("Arn", user.arn);
  WriteDate(xml, "CreateDate", r.create_millis);
  if (r.password_last_used_millis) WriteDate(xml, "PasswordLastUsed", r.password_last_used_millis);
  if (detail) {
    WritePermissionsBoundary(xml, r.permissions_boundary_arn);
    WriteTags(xml, r.tags);
  }
  xml.Close(element);
}

void WriteGroup(XmlWriter& xml, const model::Group& group, std::string_view element) {
  const auto& r = group.rec;
  xml.Open(element);
  xml.Element("Path", r.path);
  xml.Element("GroupName", r.name);
  xml.Element("GroupId", r.id);
  xml.Element("Arn", group.arn);
  WriteDate(xml, "CreateDate", r.create_millis);
  xml.Close(element);
}

// ---- pagination ----

Result<Page> Paginate(const Params& p, const std::vector<std::string>& keys) {
  Page page;
  if (auto marker = p.OptStr("Marker")) {
    auto key = Base64Decode(*marker);
    if (!key) return Fail(ErrorCode::kInvalidInput, "Invalid Marker.");
    page.begin = std::upper_bound(keys.begin(), keys.end(), *key) - keys.begin();
  }
  size_t max_items = static_cast<size_t>(p.OptInt("MaxItems").value_or(100));
  page.end = std::min(keys.size(), page.begin + max_items);
  page.truncated = page.end < keys.size();
  return page;
}

void WritePageEnd(XmlWriter& xml, const Page& page, const std::vector<std::string>& keys) {
  xml.Bool("IsTruncated", page.truncated);
  if (page.truncated) xml.Element("Marker", Base64Encode(keys[page.end - 1]));
}

std::vector<std::string> PositionKeys(size_t n) {
  std::vector<std::string> keys;
  keys.reserve(n);
  char buf[24];  // "%08zu" of any size_t fits
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%08zu", i);
    keys.emplace_back(buf);
  }
  return keys;
}

bool PathMatches(const Params& p, std::string_view path, std::string_view param) {
  std::string_view prefix = p.Str(param);
  return prefix.empty() || StartsWith(path, prefix);
}

}  // namespace iamd::api
