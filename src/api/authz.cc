#include "api/authz.h"

#include <mutex>
#include <unordered_map>

#include "common/arn.h"
#include "common/strings.h"
#include "common/time.h"
#include "managed/catalog.h"
#include "model/state.h"

namespace iamd::api {
namespace {

using policy::PolicySource;
using policy::PolicySourceType;

// Session policies arrive as text in every request of a session; compile each distinct text
// once per thread.
policy::PolicyPtr CompileSessionPolicy(const std::string& text) {
  thread_local std::unordered_map<std::string, policy::PolicyPtr> cache;
  if (auto it = cache.find(text); it != cache.end()) return it->second;
  auto compiled = policy::ParsePolicy(text, policy::PolicyKind::kSession);
  policy::PolicyPtr p = compiled ? *compiled : nullptr;
  if (cache.size() > 256) cache.clear();
  cache.emplace(text, p);
  return p;
}

// An AWS managed policy this account never attached has no compiled form in the model yet.
policy::PolicyPtr CompileAwsManaged(std::string_view arn) {
  static std::mutex mu;
  static auto* cache = new std::unordered_map<std::string, policy::PolicyPtr>();
  std::lock_guard lock(mu);
  if (auto it = cache->find(std::string(arn)); it != cache->end()) return it->second;
  const auto* aws = managed::FindByArn(arn);
  policy::PolicyPtr p;
  if (aws)
    if (auto compiled = policy::ParsePolicy(aws->document, policy::PolicyKind::kManagedIdentity))
      p = *compiled;
  cache->emplace(std::string(arn), p);
  return p;
}

}  // namespace

// What the root user's identity allows (everything): the identity side of a federated user
// session of the root user, which its session policies then limit.
const policy::PolicySource& AllowsEverything() {
  static const policy::PolicyPtr policy = *policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})",
      policy::PolicyKind::kIdentity);
  static const policy::PolicySource source{policy.get(), "", PolicySourceType::kNone};
  return source;
}

const policy::PolicySource& AllowsNothing() {
  static const policy::PolicyPtr policy = *policy::ParsePolicy(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iamd:Nothing","Resource":"*"}]})",
      policy::PolicyKind::kSession);
  static const policy::PolicySource source{policy.get(), "", PolicySourceType::kNone};
  return source;
}

namespace {

std::string_view TypeWord(ResourceType t) {
  switch (t) {
    case ResourceType::kRole: return "role";
    case ResourceType::kInstanceProfile: return "instance-profile";
    case ResourceType::kPolicy: return "policy";
    case ResourceType::kUser: return "user";
    case ResourceType::kGroup: return "group";
    case ResourceType::kOidcProvider: return "oidc-provider";
    case ResourceType::kMfa: return kMfaResource;
    case ResourceType::kServerCertificate: return kServerCertificateResource;
    case ResourceType::kSamlProvider: return "saml-provider";
    case ResourceType::kNone: return "";
  }
  return "";
}

// How AWS names a resource of this type in an AccessDenied message.
std::string_view DisplayWord(ResourceType t) {
  return t == ResourceType::kInstanceProfile ? "instance profile" : TypeWord(t);
}

struct Resolved {
  std::string_view arn;     // the resource's ARN (into the model or `owned`)
  std::string owned;        // the ARN when it had to be built
  const model::Tags* tags = nullptr;  // the resource's tags, when it exists and has them
  std::string_view boundary;          // a role's or user's current permissions boundary
};

// How AWS names the resource in an AccessDenied message: "role ray-worker" for one entity,
// the ARN for creations and lists, "policy NAME" for policies.
// (Forms recorded from AWS's messages: "role ray-worker", "policy NAME" for CreatePolicy,
// "policy ARN" for actions on a policy, "policy path /" for ListPolicies, the ARN otherwise.)
std::string DisplayName(const Call& c, const ResourceSpec& spec, const Resolved& r) {
  switch (spec.mode) {
    case ResourceMode::kNamed:
      return std::string(DisplayWord(spec.type)) + " " + std::string(c.p.Str(spec.param));
    case ResourceMode::kSelf: {
      std::string name(c.p.Str(spec.param));
      if (name.empty()) name = c.caller.name;
      return "user " + name;
    }
    case ResourceMode::kArn:
      if (spec.type == ResourceType::kPolicy) return "policy " + std::string(r.arn);
      return std::string(r.arn);
    case ResourceMode::kCreate:
      if (spec.type == ResourceType::kPolicy) return "policy " + std::string(c.p.Str(spec.param));
      return std::string(r.arn);
    case ResourceMode::kAccessKey:
      return "access key " + std::string(c.p.Str(spec.param));
    case ResourceMode::kList:
      if (spec.type == ResourceType::kPolicy)
        return "policy path " + c.p.OptStr("PathPrefix").value_or("/");
      return std::string(r.arn);
    default:
      return std::string(r.arn);
  }
}

void ResolveResource(const Call& c, const ResourceSpec& spec, Resolved& r) {
  const std::string& account = c.state.account_id();
  auto entity = [&](ResourceType type, std::string_view name) {
    switch (type) {
      case ResourceType::kRole:
        if (auto role = c.state.GetRole(name)) {
          r.arn = (*role)->arn;
          r.tags = &(*role)->rec.tags;
          r.boundary = (*role)->rec.permissions_boundary_arn;
          return;
        }
        break;
      case ResourceType::kInstanceProfile:
        if (auto p = c.state.GetInstanceProfile(name)) {
          r.arn = (*p)->arn;
          r.tags = &(*p)->rec.tags;
          return;
        }
        break;
      case ResourceType::kUser:
        if (auto u = c.state.GetUser(name)) {
          r.arn = (*u)->arn;
          r.tags = &(*u)->rec.tags;
          r.boundary = (*u)->rec.permissions_boundary_arn;
          return;
        }
        break;
      case ResourceType::kGroup:
        if (auto g = c.state.GetGroup(name)) {
          r.arn = (*g)->arn;
          return;
        }
        break;
      case ResourceType::kServerCertificate:
        if (auto sc = c.state.GetServerCertificate(name)) {
          r.arn = (*sc)->arn;
          r.tags = &(*sc)->rec.tags;
          return;
        }
        break;
      default:
        break;
    }
    r.owned = IamArn(account, TypeWord(type), "/", name);  // the path of a missing entity
    r.arn = r.owned;
  };
  switch (spec.mode) {
    case ResourceMode::kAny:
      r.arn = "*";
      break;
    case ResourceMode::kNamed:
      entity(spec.type, c.p.Str(spec.param));
      break;
    case ResourceMode::kSelf: {
      std::string_view name = c.p.Str(spec.param);
      if (name.empty() && c.caller.kind == Caller::Kind::kUser) name = c.caller.name;
      entity(ResourceType::kUser, name);
      break;
    }
    case ResourceMode::kCreate:
      if (spec.type == ResourceType::kOidcProvider) {
        // arn:aws:iam::ACCOUNT:oidc-provider/ + the Url without its scheme (AWS's ARN form).
        std::string_view url = c.p.Str(spec.param);
        if (size_t scheme = url.find("://"); scheme != std::string_view::npos)
          url.remove_prefix(scheme + 3);
        r.owned = "arn:aws:iam::" + account + ":oidc-provider/" + std::string(url);
      } else {
        r.owned = IamArn(account, TypeWord(spec.type), c.p.OptStr("Path").value_or("/"),
                         c.p.Str(spec.param));
      }
      r.arn = r.owned;
      break;
    case ResourceMode::kList:
      r.owned = IamArn(account, TypeWord(spec.type), c.p.OptStr("PathPrefix").value_or("/"), "");
      r.arn = r.owned;
      break;
    case ResourceMode::kArn:
      r.arn = c.p.Str(spec.param);
      if (spec.type == ResourceType::kPolicy)
        if (auto v = c.state.GetPolicy(r.arn))
          if (v->local) r.tags = &v->local->rec.tags;
      if (spec.type == ResourceType::kOidcProvider)
        if (auto p = c.state.GetOidcProvider(r.arn)) r.tags = &(*p)->rec.tags;
      if (spec.type == ResourceType::kMfa)
        if (auto d = c.state.GetMfaDevice(r.arn)) r.tags = &(*d)->rec.tags;
      if (spec.type == ResourceType::kSamlProvider)
        if (auto p = c.state.GetSamlProvider(r.arn)) r.tags = &(*p)->rec.tags;
      break;
    case ResourceMode::kPrincipalArn:
      // The entity's own ARN (and its tags and boundary, for conditions) when the text names
      // one exactly; a customer managed policy's tags; else the text as sent.
      r.arn = c.p.Str(spec.param);
      if (const model::PolicyOwner* owner = c.state.FindPrincipalByArn(r.arn)) {
        r.arn = c.state.OwnerArn(*owner);
        if (owner->kind == model::OwnerKind::kUser) {
          const auto* user = static_cast<const model::User*>(owner);
          r.tags = &user->rec.tags;
          r.boundary = user->rec.permissions_boundary_arn;
        } else if (owner->kind == model::OwnerKind::kRole) {
          const auto* role = static_cast<const model::Role*>(owner);
          r.tags = &role->rec.tags;
          r.boundary = role->rec.permissions_boundary_arn;
        }
      } else if (auto v = c.state.GetPolicy(r.arn); v && v->local) {
        r.tags = &v->local->rec.tags;
      }
      break;
    case ResourceMode::kAccessKey:
      // AWS authorizes GetAccessKeyLastUsed on the key's user.
      if (const model::AccessKey* key = c.state.FindAccessKey(c.p.Str(spec.param)))
        r.arn = key->user->arn;
      else
        r.arn = "*";
      break;
    case ResourceMode::kDeletionTask: {
      // task/aws-service-role/SERVICE/ROLE/UUID names the service-linked role.
      std::string_view task = c.p.Str(spec.param);
      size_t last = task.rfind('/');
      if (task.starts_with("task/") && last != std::string_view::npos && last > 5)
        r.owned = "arn:aws:iam::" + account + ":role/" + std::string(task.substr(5, last - 5));
      else
        r.owned.push_back('*');
      r.arn = r.owned;
      break;
    }
    case ResourceMode::kFederatedUser:
      r.owned = FederatedUserArn(account, c.p.Str(spec.param));
      r.arn = r.owned;
      break;
    case ResourceMode::kStsSelf:
      r.owned = StsSelfArn(account);
      r.arn = r.owned;
      break;
    case ResourceMode::kServiceLinkedRole:
      r.owned = model::ServiceLinkedRoleArn(account, c.p.Str("AWSServiceName"),
                                            c.p.OptStr("CustomSuffix").value_or(""));
      if (r.owned.empty()) r.owned.push_back('*');  // (not = "*": GCC 12 -Wrestrict false positive)
      r.arn = r.owned;
      break;
  }
}

// aws:CurrentTime and aws:EpochTime change once a second; format them once a second.
struct Now {
  std::string iso, epoch;
};
const Now& CurrentTime(int64_t now_millis) {
  thread_local Now now;
  thread_local int64_t second = -1;
  if (now_millis / 1000 != second) {
    second = now_millis / 1000;
    now.iso = FormatIso8601(now_millis);
    now.epoch = std::to_string(second);
  }
  return now;
}

}  // namespace

// ---- CallerPolicies ----

namespace {
thread_local std::vector<std::unique_ptr<CallerPolicies::Scratch>> free_scratch;
}

std::unique_ptr<CallerPolicies::Scratch, CallerPolicies::ScratchReturn> CallerPolicies::TakeScratch() {
  if (free_scratch.empty()) return std::unique_ptr<Scratch, ScratchReturn>(new Scratch());
  Scratch* s = free_scratch.back().release();
  free_scratch.pop_back();
  return std::unique_ptr<Scratch, ScratchReturn>(s);
}

void CallerPolicies::ScratchReturn::operator()(Scratch* s) const {
  s->identity.clear();
  s->boundary.clear();
  s->session.clear();
  s->keep_alive.clear();
  s->tags.clear();
  if (free_scratch.size() < 8)
    free_scratch.emplace_back(s);
  else
    delete s;
}

CallerPolicies::CallerPolicies(const model::State& state, const Caller& caller, Arena& arena)
    : arena_(arena) {
  principal_.arn = caller.arn;
  principal_.account = caller.account;
  switch (caller.kind) {
    case Caller::Kind::kRoot:
      root_ = true;
      principal_.type = policy::PrincipalType::kRoot;
      return;
    case Caller::Kind::kAnonymous:
      principal_.type = policy::PrincipalType::kAnonymous;
      return;
    case Caller::Kind::kUser: {
      principal_.type = policy::PrincipalType::kIamUser;
      const model::User* user = state.FindUserById(caller.principal_id);
      if (!user) return;  // deleted since the key was checked: nothing allows
      AddUser(state, *user);
      break;
    }
    case Caller::Kind::kFederatedUser: {
      // The federating user's identity policies and boundary, limited by the session policies;
      // without session policies the session may do nothing (IAM User Guide, "Permissions for
      // GetFederationToken"). The root user's identity allows everything.
      principal_.type = policy::PrincipalType::kFederatedUser;
      has_session_policies_ = true;
      if (caller.principal_id == caller.account) {
        principal_.user_arn = arena_.Keep("arn:aws:iam::" + caller.account + ":root");
        identity_.push_back(AllowsEverything());
      } else if (const model::User* user = state.FindUserById(caller.principal_id)) {
        principal_.user_arn = user->arn;
        AddUser(state, *user);
      }
      break;
    }
    case Caller::Kind::kRoleSession: {
      principal_.type = policy::PrincipalType::kRoleSession;
      const model::Role* role = state.FindRoleById(caller.principal_id);
      if (!role) {
        principal_.role_arn = arena_.Keep(IamArn(caller.account, kRoleResource, "/", caller.name));
        return;  // the role is gone: nothing allows
      }
      principal_.role_arn = role->arn;
      AppendOwnerPolicies(*role, PolicySourceType::kRole, ManagedId::kArn, identity_);
      if (!role->rec.permissions_boundary_arn.empty()) {
        AddManaged(state, role->rec.permissions_boundary_arn, boundary_);
        if (boundary_.empty()) boundary_.push_back(AllowsNothing());
      }
      for (const auto& t : role->rec.tags) principal_tags_.emplace_back(t.key, t.value);
      break;
    }
  }
  if (caller.session) {
    const auto& s = *caller.session;
    // Session tags override the principal's own tags of the same key.
    for (const auto& [k, v] : s.tags) {
      std::erase_if(principal_tags_, [&](const auto& t) { return EqualsIgnoreCase(t.first, k); });
      principal_tags_.emplace_back(k, v);
    }
    if (!s.session_policy.empty() || !s.session_policy_arns.empty()) {
      has_session_policies_ = true;
      if (!s.session_policy.empty()) {
        policy::PolicyPtr p = CompileSessionPolicy(s.session_policy);
        if (p) {
          keep_alive_.push_back(p);
          session_.push_back(PolicySource{p.get(), "", PolicySourceType::kNone});
        }
      }
      for (const auto& arn : s.session_policy_arns) AddManaged(state, arn, session_);
    }
  }
  for (const auto* list : {&identity_, &boundary_, &session_})
    for (const PolicySource& source : *list)
      needs_context_ |= !source.policy->context_keys().empty();
}

void CallerPolicies::AddUser(const model::State& state, const model::User& user) {
  AppendOwnerPolicies(user, PolicySourceType::kUser, ManagedId::kArn, identity_);
  for (const model::Group* g : user.groups)
    AppendOwnerPolicies(*g, PolicySourceType::kGroup, ManagedId::kArn, identity_);
  if (!user.rec.permissions_boundary_arn.empty()) {
    AddManaged(state, user.rec.permissions_boundary_arn, boundary_);
    if (boundary_.empty()) boundary_.push_back(AllowsNothing());
  }
  for (const auto& t : user.rec.tags) principal_tags_.emplace_back(t.key, t.value);
}

void AppendOwnerPolicies(const model::PolicyOwner& owner, PolicySourceType inline_type,
                         ManagedId id, std::vector<PolicySource>& out) {
  // Compiled policies owned by the model live as long as the lock the caller holds.
  for (const auto& [key, p] : owner.inline_policies)
    if (p.compiled) out.push_back(PolicySource{p.compiled.get(), p.name, inline_type});
  for (const model::PolicyView& view : owner.attached_views) AppendManagedPolicy(view, id, out);
}

bool AppendManagedPolicy(const model::PolicyView& view, ManagedId id,
                         std::vector<PolicySource>& out) {
  const policy::Policy* p = view.compiled_default_raw();
  if (!p && view.aws) p = CompileAwsManaged(view.arn()).get();  // cached for the process's life
  if (!p) return false;
  out.push_back(PolicySource{p, id == ManagedId::kArn ? view.arn() : view.name(),
                             view.aws ? PolicySourceType::kAwsManaged
                                      : PolicySourceType::kUserManaged});
  return true;
}

void CallerPolicies::AddManaged(const model::State& state, std::string_view arn,
                                std::vector<PolicySource>& out) {
  if (auto view = state.GetPolicy(arn)) AppendManagedPolicy(*view, ManagedId::kArn, out);
}

policy::Request CallerPolicies::MakeRequest(std::string_view action, std::string_view resource,
                                            const policy::RequestContext* context) const {
  policy::Request r;
  r.action = action;
  r.resource = resource;
  r.context = context;
  r.principal = principal_;
  r.identity_policies = identity_;
  r.permissions_boundary = boundary_.empty() ? nullptr : &boundary_[0];
  if (has_session_policies_) {
    // A session whose policies could not be resolved (a session policy ARN deleted since) still
    // has session policies: they allow nothing, rather than everything.
    r.session_policies = session_.empty() ? std::span<const PolicySource>(&AllowsNothing(), 1)
                                          : std::span<const PolicySource>(session_);
  }
  return r;
}

// ---- context ----

void AddRequestContextKeys(const Call& c, policy::RequestContext& ctx) {
  if (!c.source_ip.empty()) ctx.Add("aws:SourceIp", c.source_ip);
  const Now& now = CurrentTime(c.clock.NowMillis());
  ctx.Add("aws:CurrentTime", now.iso);
  ctx.Add("aws:EpochTime", now.epoch);
  // "Whether the request was sent using TLS" (IAM User Guide, AWS global condition context
  // keys: aws:SecureTransport): true on an HTTPS endpoint (iamd serve --tls-cert).
  ctx.Add("aws:SecureTransport", c.secure_transport ? "true" : "false");
  if (!c.region.empty()) ctx.Add("aws:RequestedRegion", c.region);
}

void AddGlobalContext(const Call& c, const CallerPolicies& policies, policy::RequestContext& ctx,
                      Arena& arena, int64_t mfa_millis) {
  const Caller& caller = c.caller;
  std::string_view principal_arn = caller.arn;
  std::string_view type = "Account";
  if (caller.kind == Caller::Kind::kUser) type = "User";
  // A federated user's aws:PrincipalArn is its federated-user ARN; aws:userid ACCOUNT:NAME.
  if (caller.kind == Caller::Kind::kFederatedUser) type = "FederatedUser";
  if (caller.kind == Caller::Kind::kRoleSession) {
    type = "AssumedRole";
    principal_arn = policies.principal().role_arn;  // aws:PrincipalArn is the role's ARN
  }
  ctx.Add("aws:PrincipalArn", principal_arn);
  ctx.Add("aws:PrincipalAccount", caller.account);
  ctx.Add("aws:PrincipalType", type);
  ctx.Add("aws:userid", caller.user_id);
  if (caller.kind == Caller::Kind::kUser) ctx.Add("aws:username", caller.name);
  AddRequestContextKeys(c, ctx);
  ctx.Add("aws:ViaAWSService", "false");
  ctx.Add("aws:PrincipalIsAWSService", "false");
  if (caller.session && !mfa_millis) mfa_millis = caller.session->mfa_millis;
  if (mfa_millis) {
    ctx.Add("aws:MultiFactorAuthPresent", "true");
    const int64_t age = std::max<int64_t>(0, (c.clock.NowMillis() - mfa_millis) / 1000);
    ctx.Add("aws:MultiFactorAuthAge", arena.Keep(std::to_string(age)));
  } else if (caller.session) {
    ctx.Add("aws:MultiFactorAuthPresent", "false");
  }
  if (caller.session) {
    ctx.Add("aws:TokenIssueTime", arena.Keep(FormatIso8601(caller.session->issued_millis)));
    if (!caller.session->source_identity.empty())
      ctx.Add("aws:SourceIdentity", caller.session->source_identity);
    // A session of a role assumed with an OIDC provider's token names the provider (IAM User
    // Guide, "AWS global condition context keys", aws:FederatedProvider).
    if (!caller.session->federated_provider.empty())
      ctx.Add("aws:FederatedProvider", caller.session->federated_provider);
  }
  for (const auto& [k, v] : policies.principal_tags())
    ctx.Add(arena.Keep("aws:PrincipalTag/" + std::string(k)), v);
}

std::string DenialEnding(const policy::AuthorizationResult& result, std::string_view action) {
  std::string ending = policy::DenialReason(result, action);
  // An explicit deny in a managed policy names it (recorded: "... with an explicit deny in an
  // identity-based policy: arn:aws:iam::123456789012:policy/deny-delete-user").
  const policy::PolicySource* source = result.deciding.source;
  if (result.decision == policy::Decision::kExplicitDeny && source &&
      (source->type == policy::PolicySourceType::kAwsManaged ||
       source->type == policy::PolicySourceType::kUserManaged))
    ending += ": " + std::string(source->id);
  return ending;
}

Error AccessDenied(const Caller& caller, std::string_view action, std::string_view resource,
                   std::string_view reason) {
  std::string msg;
  msg.reserve(64 + caller.arn.size() + action.size() + resource.size() + reason.size());
  msg.append("User: ").append(caller.arn).append(" is not authorized to perform: ");
  msg.append(action).append(" on resource: ").append(resource);
  if (!reason.empty()) msg.append(" ").append(reason);
  return Error(ErrorCode::kAccessDenied, std::move(msg));
}

namespace {
// The context keys of one request: the caller's, and those of the action and its resource.
void AddRequestContext(const Call& c, const ActionDef& def, const CallerPolicies& policies,
                       const Resolved& resource, policy::RequestContext& ctx, Arena& arena);
}  // namespace

Status AuthorizeAlso(const Call& c, std::string_view action, std::string_view resource,
                     std::string_view display,
                     std::initializer_list<std::pair<std::string_view, std::string_view>> extra) {
  return AuthorizeAlso(c, action, resource, display,
                       std::span<const std::pair<std::string_view, std::string_view>>(
                           extra.begin(), extra.size()));
}

Status AuthorizeAlso(const Call& c, std::string_view action, std::string_view resource,
                     std::string_view display,
                     std::span<const std::pair<std::string_view, std::string_view>> extra) {
  if (c.config.auth_mode != AuthMode::kEnforce || c.caller.kind == Caller::Kind::kRoot) return {};
  Arena arena;
  CallerPolicies policies(c.state, c.caller, arena);
  policy::RequestContext ctx;
  if (policies.needs_context()) {
    AddGlobalContext(c, policies, ctx, arena);
    for (const auto& [k, v] : extra) ctx.Add(k, v);
  }
  policy::AuthorizationResult result =
      policy::Authorize(policies.MakeRequest(action, resource, &ctx));
  if (result.decision == policy::Decision::kAllow) return {};
  return std::unexpected(AccessDenied(c.caller, action, display, DenialEnding(result, action)));
}

namespace {
// An account password policy with AllowUsersToChangePassword lets every IAM user change its own
// password and read the policy without an identity policy that allows it (IAM User Guide,
// "Permitting IAM users to change their own passwords"); an explicit deny still refuses.
bool LetsUsersChangePasswords(const Call& c, const ActionDef& def) {
  if (c.caller.kind != Caller::Kind::kUser ||
      (def.name != "ChangePassword" && def.name != "GetAccountPasswordPolicy"))
    return false;
  auto policy = c.state.GetPasswordPolicy();
  return policy && (*policy)->allow_users_to_change;
}
}  // namespace

Status AuthorizeAction(const Call& c, const ActionDef& def) {
  if (c.caller.kind == Caller::Kind::kRoot || def.needs_no_permission) return {};
  Arena arena;
  CallerPolicies policies(c.state, c.caller, arena);
  Resolved resource;
  ResolveResource(c, def.resource, resource);
  std::string_view action = QualifiedActionName(def);

  policy::RequestContext ctx;
  if (policies.needs_context()) AddRequestContext(c, def, policies, resource, ctx, arena);
  policy::Request request = policies.MakeRequest(action, resource.arn, &ctx);
  policy::AuthorizationResult result = policy::Authorize(request);
  if (result.decision == policy::Decision::kAllow) return {};
  if (result.decision == policy::Decision::kImplicitDeny && LetsUsersChangePasswords(c, def))
    return {};
  return std::unexpected(AccessDenied(c.caller, action, DisplayName(c, def.resource, resource),
                                      DenialEnding(result, action)));
}

namespace {
// GetWebIdentityToken's keys (Service Authorization Reference, AWS STS): every audience
// (ArrayOfString), the duration (300 when the request leaves it out: recorded, a NumericEquals
// 300 condition allows such a request) and the algorithm.
void AddWebIdentityTokenContext(const Params& p, policy::RequestContext& ctx, Arena& arena) {
  for (auto& audience : p.StrList("Audience"))
    ctx.Add("sts:IdentityTokenAudience", arena.Keep(std::move(audience)));
  ctx.Add("sts:DurationSeconds",
          arena.Keep(std::to_string(p.OptInt("DurationSeconds").value_or(300))));
  if (auto alg = p.OptStr("SigningAlgorithm")) ctx.Add("sts:SigningAlgorithm", arena.Keep(*alg));
}

void AddRequestContext(const Call& c, const ActionDef& def, const CallerPolicies& policies,
                       const Resolved& resource, policy::RequestContext& ctx, Arena& arena) {
  AddGlobalContext(c, policies, ctx, arena);
  // Tags in the request (Create*/Tag*), and the keys being removed (Untag*).
  if (c.p.Has("Tags"))
    for (const auto& t : c.p.TagList()) {
      ctx.Add(arena.Keep("aws:RequestTag/" + t.key), arena.Keep(t.value));
      ctx.Add("aws:TagKeys", arena.Keep(t.key));
    }
  if (c.p.Has("TagKeys"))
    for (auto& k : c.p.StrList("TagKeys")) ctx.Add("aws:TagKeys", arena.Keep(std::move(k)));
  if (resource.tags)
    for (const auto& t : *resource.tags) {
      ctx.Add(arena.Keep("aws:ResourceTag/" + t.key), t.value);
      ctx.Add(arena.Keep("iam:ResourceTag/" + t.key), t.value);
    }
  if (c.p.Has("PolicyArn") && (def.name.starts_with("Attach") || def.name.starts_with("Detach")))
    ctx.Add("iam:PolicyARN", c.p.Str("PolicyArn"));
  if (c.p.Has("PermissionsBoundary"))
    ctx.Add("iam:PermissionsBoundary", c.p.Str("PermissionsBoundary"));
  else if (!resource.boundary.empty())
    ctx.Add("iam:PermissionsBoundary", resource.boundary);
  if (c.p.Has("AWSServiceName")) ctx.Add("iam:AWSServiceName", c.p.Str("AWSServiceName"));
  if (def.name == "GetWebIdentityToken") AddWebIdentityTokenContext(c.p, ctx, arena);
}
}  // namespace

}  // namespace iamd::api
