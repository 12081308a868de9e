// Internal to src/api: what a handler gets, the action table, and the helpers handlers share.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/params.h"
#include "auth/session_token.h"
#include "api/service.h"
#include "api/usage.h"
#include "auth/sealer.h"
#include "common/xml.h"
#include "model/state.h"

namespace iamd::api {

// Who is calling, once the signature checked out.
struct Caller {
  enum class Kind {
    kRoot,         // the account's root user (also with GetSessionToken credentials)
    kUser,         // an IAM user (long-term key, or GetSessionToken credentials)
    kRoleSession,  // an assumed role
    // A federated user (GetFederationToken credentials of an IAM user or of the root user):
    // it may call no IAM action and no STS action but GetCallerIdentity.
    kFederatedUser,
    // No credentials: the actions that take none (AssumeRoleWithWebIdentity and
    // AssumeRoleWithSAML), which their handlers authorize from what the request carries.
    // Nothing allows it anything.
    kAnonymous,
  };
  Kind kind = Kind::kRoot;
  // arn:aws:iam::ACCOUNT:root, ...:user/PATH/NAME, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION,
  // ...:federated-user/NAME
  std::string arn;
  // ACCOUNT for root, AIDA... for users, AROA...:SESSION for sessions, ACCOUNT:NAME for
  // federated users
  std::string user_id;
  std::string account;
  // the user's AIDA... or the role's AROA... ID; federated users: the ID of the user who
  // federated (the account for the root user)
  std::string principal_id;
  std::string name;  // user name, role name for sessions, the Name of a federated user
  std::string access_key_id;
  // Temporary credentials: what the session token carried.
  std::optional<auth::SessionClaims> session;
  bool temporary() const { return session.has_value(); }
};

// One call of a handler. `mut` is set only for actions that write (the model is then locked
// exclusively); reads see `state` under a shared lock.
struct Call {
  const Params& p;
  XmlWriter& xml;  // writes inside <ActionResult>
  const model::State& state;
  model::State* mut;
  model::ChangeSet& changes;
  const Caller& caller;
  const ServiceConfig& config;
  const Clock& clock;
  IdSource& ids;
  const auth::Sealer& sealer;
  UsageTracker& usage;
  std::string_view request_id;
  std::string_view source_ip;  // the client's address, for aws:SourceIp
  std::string_view region;     // the region the request was signed for
  std::string_view prepared;   // what the action's Prepare step made, before the lock
  bool secure_transport = false;  // the request came over TLS, for aws:SecureTransport
};

using Handler = Status (*)(Call&);
// What a Prepare step sees: the request's parameters, the caller, and `read`, which runs a
// function on the model under the shared lock (for the little a step must look up first; it
// copies what it needs, the lock ends with the call).
struct PrepareInput {
  const Params& p;
  const Caller& caller;
  std::function<void(const std::function<void(const model::State&)>&)> read;
};
// Slow work an action needs (hashing a password, checking a document), done before the model
// is locked for the handler. Its result reaches the handler as Call::prepared.
using Prepare = Result<std::string> (*)(const PrepareInput&);

enum class Access { kRead, kWrite };

// What an action is authorized on, and how AWS names that resource in AccessDenied messages.
enum class ResourceMode : uint8_t {
  kAny,     // "*"
  kNamed,   // the entity named by `param`: ARN of the entity; shown as "role ray-worker"
  kCreate,  // a new entity: ARN from Path and `param` (an OIDC provider: from the Url `param`
            // without https://); shown as the ARN
  kList,    // ARN of the type with the PathPrefix and no name ("...:role/"); shown as the ARN
  kArn,     // `param` holds the ARN (PolicyArn, RoleArn); policies shown as "policy NAME"
  kSelf,    // the user named by `param`, or the calling user when absent
  kServiceLinkedRole,  // the role CreateServiceLinkedRole would make (AWSServiceName)
  kPrincipalArn,       // the user, role or group named by the ARN in `param`
  kAccessKey,          // the user who owns the access key in `param`; shown "access key ID"
  kDeletionTask,       // the service-linked role of the deletion task in `param`
  kFederatedUser,      // arn:aws:sts::ACCOUNT:federated-user/ + `param` (GetFederationToken)
  kStsSelf,            // arn:aws:sts::ACCOUNT:self, the caller's own session (GetWebIdentityToken)
};
enum class ResourceType : uint8_t {
  kNone, kRole, kInstanceProfile, kPolicy, kUser, kGroup,
  kOidcProvider,  // arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]; created from the Url
  kMfa,           // a virtual MFA device: arn:aws:iam::ACCOUNT:mfa/PATH+NAME (its serial number)
  kServerCertificate,  // arn:aws:iam::ACCOUNT:server-certificate/PATH+NAME
  kSamlProvider,       // arn:aws:iam::ACCOUNT:saml-provider/NAME
};

struct ResourceSpec {
  ResourceMode mode = ResourceMode::kAny;
  ResourceType type = ResourceType::kNone;
  std::string_view param;
};

struct ActionDef {
  std::string_view name;
  Handler handler;
  Access access;
  ResourceSpec resource;
  bool needs_no_permission = false;  // e.g. sts:GetCallerIdentity
  Prepare prepare = nullptr;
};

// "iam:GetRole" or "sts:AssumeRole": the action as policies name it.
std::string_view QualifiedActionName(const ActionDef& def);

// The action table (actions.cc): every action iamd serves. nullptr if `name` is not one.
const ActionDef* FindAction(std::string_view name);
std::span<const ActionDef> AllActions();

// ---- rendering (render.cc) ----
void WriteTags(XmlWriter& xml, const model::Tags& tags, bool always = false);
// Which members each response shows differs by action (recorded from AWS):
//   CreateRole, CreateServiceLinkedRole: no Description, MaxSessionDuration or RoleLastUsed;
//     PermissionsBoundary and Tags when set.
//   UpdateRoleDescription: as CreateRole, plus Description.
//   GetRole: everything; RoleLastUsed always (empty when unused); Tags only when there are some.
//   ListRoles: Description and MaxSessionDuration, never PermissionsBoundary, Tags, RoleLastUsed.
//   A role inside an instance profile: as CreateRole without PermissionsBoundary and Tags.
enum class RoleDetail { kCreate, kUpdateDescription, kGet, kList, kNested };
// `usage`: where RoleLastUsed comes from (GetRole, GetAccountAuthorizationDetails).
void WriteRole(XmlWriter& xml, const model::Role& role, RoleDetail detail,
               std::string_view element = "Role", const UsageTracker* usage = nullptr);
void WriteRoleLastUsed(XmlWriter& xml, const model::Role& role, const UsageTracker* usage);
// Create: Tags when given; Get: Tags always (empty too); List: no Tags.
enum class Detail { kCreate, kGet, kList };
void WriteInstanceProfile(XmlWriter& xml, const model::InstanceProfile& profile, Detail detail,
                          std::string_view element = "InstanceProfile");
// Create: no Description, Tags when given; Get: Description, Tags always; List: neither.
void WritePolicy(XmlWriter& xml, const model::PolicyView& policy, Detail detail,
                 std::string_view element = "Policy");
void WritePermissionsBoundary(XmlWriter& xml, std::string_view arn);
void WritePolicyDocument(XmlWriter& xml, std::string_view element, std::string_view document);
void WriteUser(XmlWriter& xml, const model::User& user, bool detail, std::string_view element = "User");
void WriteGroup(XmlWriter& xml, const model::Group& group, std::string_view element = "Group");
void WriteDate(XmlWriter& xml, std::string_view element, int64_t millis);
// The members of GetOpenIDConnectProviderResult: Url (without https://), ClientIDList,
// ThumbprintList, CreateDate, and Tags, all always, lists empty too (as AWS answers).
void WriteOidcProvider(XmlWriter& xml, const model::OidcProvider& provider);

// ---- pagination (render.cc) ----
// Lists `items` (already filtered and in order) from the request's Marker, at most MaxItems
// (default 100), inside <list_element>; writes IsTruncated and Marker.
struct Page {
  size_t begin = 0;
  size_t end = 0;
  bool truncated = false;
};
// Computes the page over `keys` (sorted, unique). Errors: InvalidInput for a bad Marker.
Result<Page> Paginate(const Params& p, const std::vector<std::string>& keys);
void WritePageEnd(XmlWriter& xml, const Page& page, const std::vector<std::string>& keys);

// True if `path` starts with the request's PathPrefix (or there is none).
bool PathMatches(const Params& p, std::string_view path, std::string_view param = "PathPrefix");

template <typename T>
const T* AsPointer(const std::unique_ptr<T>& p) {
  return p.get();
}
template <typename T>
const T* AsPointer(const T& v) {
  return &v;
}

// Writes the request's page of a list whose items have `keys` (sorted, unique): each item's
// index i goes to `write_at(i)` inside <element> (<element/> when the page is empty); then
// IsTruncated and Marker. Errors: Paginate's.
template <typename WriteAt>
Status WritePage(Call& c, const std::vector<std::string>& keys, std::string_view element,
                 WriteAt write_at) {
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());
  if (page->begin == page->end) {
    c.xml.Empty(element);
  } else {
    c.xml.Open(element);
    for (size_t i = page->begin; i < page->end; ++i) write_at(i);
    c.xml.Close(element);
  }
  WritePageEnd(c.xml, *page, keys);
  return {};
}

// Lists the entries of `map` (name-keyed, values or unique_ptrs) that `keep` accepts, one page
// of them, each written by `write` inside <element>; then IsTruncated and Marker.
template <typename Map, typename Keep, typename Write>
Status ListPage(Call& c, const Map& map, std::string_view element, Keep keep, Write write) {
  std::vector<std::string> keys;
  std::vector<decltype(AsPointer(map.begin()->second))> items;
  for (const auto& [key, entry] : map)
    if (keep(*AsPointer(entry))) {
      keys.push_back(key);
      items.push_back(AsPointer(entry));
    }
  return WritePage(c, keys, element, [&](size_t i) { write(*items[i]); });
}

// Keys for paginating a list that has an order but no names (tags, versions): its positions.
std::vector<std::string> PositionKeys(size_t n);

}  // namespace iamd::api
