// Handlers that tell what policies allow: the policy simulator (SimulatePrincipalPolicy,
// SimulateCustomPolicy), GetContextKeysFor{Principal,Custom}Policy and
// ListPoliciesGrantingServiceAccess, on top of policy::Simulate, policy::ContextKeys and
// policy::AllowsSomeActionOf.
#include <algorithm>

#include "api/authz.h"
#include "api/iam_handlers.h"
#include "common/arn.h"
#include "common/strings.h"

namespace iamd::api {
namespace {

using policy::PolicySource;
using policy::PolicySourceType;

// The policies and principal of one simulation; owns what it compiled.
struct Simulation {
  std::vector<policy::PolicyPtr> keep;
  std::vector<PolicySource> identity;
  std::vector<PolicySource> boundary;
  std::optional<PolicySource> resource_policy;
  std::deque<std::string> ids;  // SourcePolicyIds made up here ("PolicyInputList.1")
  policy::Principal principal;
  std::string principal_arn, role_arn;

  Status AddInputs(const Params& p, std::string_view param, PolicySourceType type,
                   std::vector<PolicySource>& out) {
    const ParamValue* list = p.Get(param);
    if (!list) return {};
    for (size_t i = 0; i < list->items.size(); ++i) {
      auto compiled = policy::ParsePolicy(list->items[i].text, policy::PolicyKind::kIdentity);
      if (!compiled) return std::unexpected(compiled.error());
      keep.push_back(*compiled);
      // AWS names simulator inputs by their place in the request.
      std::string_view id = ids.emplace_back(std::string(param) + "." + std::to_string(i + 1));
      out.push_back(PolicySource{compiled->get(), id, type});
    }
    return {};
  }

  void AddOwner(const model::PolicyOwner& owner, PolicySourceType inline_type) {
    AppendOwnerPolicies(owner, inline_type, ManagedId::kName, identity);
  }
};

// SourcePolicyType as AWS sends it: inline policies name their owner kind; managed policies
// and simulator inputs come back as "IAM Policy", a ResourcePolicy as "Resource Policy"
// (recorded from AWS, although the service model's enum lists aws-managed, user-managed,
// resource and none).
std::string_view SourceTypeName(PolicySourceType t) {
  switch (t) {
    case PolicySourceType::kAwsManaged:
    case PolicySourceType::kUserManaged:
    case PolicySourceType::kNone:
      return "IAM Policy";
    case PolicySourceType::kResource:
      return "Resource Policy";
    default:
      return policy::PolicySourceTypeName(t);
  }
}

void WriteStatements(XmlWriter& xml, const std::vector<policy::MatchedStatement>& statements) {
  if (statements.empty()) {
    xml.Empty("MatchedStatements");
    return;
  }
  xml.Open("MatchedStatements");
  for (const auto& s : statements) {
    xml.Open("member");
    xml.Element("SourcePolicyId", s.source_policy_id);
    xml.Element("SourcePolicyType", SourceTypeName(s.source_policy_type));
    xml.Open("StartPosition");
    xml.Element("Line", static_cast<int64_t>(s.start.line));
    xml.Element("Column", static_cast<int64_t>(s.start.column));
    xml.Close("StartPosition");
    xml.Open("EndPosition");
    xml.Element("Line", static_cast<int64_t>(s.end.line));
    xml.Element("Column", static_cast<int64_t>(s.end.column));
    xml.Close("EndPosition");
    xml.Close("member");
  }
  xml.Close("MatchedStatements");
}

void WriteMissing(XmlWriter& xml, const std::vector<std::string>& keys) {
  if (keys.empty()) {
    xml.Empty("MissingContextValues");
    return;
  }
  xml.Open("MissingContextValues");
  for (const auto& k : keys) xml.Element("member", k);
  xml.Close("MissingContextValues");
}

void WriteBoundaryDetail(XmlWriter& xml, const policy::SimulationResult& r) {
  if (!r.has_permissions_boundary) return;
  xml.Open("PermissionsBoundaryDecisionDetail");
  xml.Bool("AllowedByPermissionsBoundary", r.allowed_by_permissions_boundary);
  xml.Close("PermissionsBoundaryDecisionDetail");
}

// Adds ContextEntries to `ctx`; values stay in `arena`.
void AddContextEntries(const Params& p, policy::RequestContext& ctx, Arena& arena) {
  const ParamValue* entries = p.Get("ContextEntries");
  if (!entries) return;
  for (const auto& e : entries->items) {
    auto name = e.fields.find("ContextKeyName");
    if (name == e.fields.end()) continue;
    std::string_view key = arena.Keep(name->second.text);
    auto values = e.fields.find("ContextKeyValues");
    if (values == e.fields.end() || values->second.items.empty()) {
      ctx.AddEmpty(key);
      continue;
    }
    for (const auto& v : values->second.items) ctx.Add(key, arena.Keep(v.text));
  }
}

Status RunSimulation(Call& c, Simulation& sim) {
  Arena arena;
  policy::RequestContext ctx;
  AddContextEntries(c.p, ctx, arena);
  std::vector<std::string> actions = c.p.StrList("ActionNames");
  std::vector<std::string> resources = c.p.StrList("ResourceArns");
  if (resources.empty()) resources.push_back("*");
  std::string owner = c.p.OptStr("ResourceOwner").value_or("");
  std::string resource_account;
  if (auto parts = ParseArn(owner)) resource_account = std::string(parts->account);

  // One result per action and resource, paginated.
  std::vector<std::pair<const std::string*, const std::string*>> pairs;
  for (const auto& a : actions)
    for (const auto& r : resources) pairs.emplace_back(&a, &r);
  auto keys = PositionKeys(pairs.size());
  auto page = Paginate(c.p, keys);
  if (!page) return std::unexpected(page.error());

  c.xml.Open("EvaluationResults");
  for (size_t i = page->begin; i < page->end; ++i) {
    const std::string& action = *pairs[i].first;
    const std::string& resource = *pairs[i].second;
    policy::Request request;
    request.action = action;
    request.resource = resource;
    request.context = &ctx;
    request.principal = sim.principal;
    request.identity_policies = sim.identity;
    request.permissions_boundary = sim.boundary.empty() ? nullptr : &sim.boundary[0];
    request.resource_policy = sim.resource_policy ? &*sim.resource_policy : nullptr;
    request.resource_account = resource_account;
    policy::SimulationResult r = policy::Simulate(request);
    std::string_view decision = policy::DecisionName(r.decision);
    c.xml.Open("member");
    c.xml.Element("EvalActionName", action);
    c.xml.Element("EvalResourceName", resource);
    c.xml.Element("EvalDecision", decision);
    WriteStatements(c.xml, r.matched_statements);
    WriteMissing(c.xml, r.missing_context_values);
    c.xml.Open("OrganizationsDecisionDetail");
    c.xml.Bool("AllowedByOrganizations", true);
    c.xml.Close("OrganizationsDecisionDetail");
    WriteBoundaryDetail(c.xml, r);
    c.xml.Empty("EvalDecisionDetails");
    c.xml.Open("ResourceSpecificResults");
    c.xml.Open("member");
    c.xml.Element("EvalResourceName", resource);
    c.xml.Element("EvalResourceDecision", decision);
    WriteStatements(c.xml, r.matched_statements);
    WriteMissing(c.xml, r.missing_context_values);
    c.xml.Empty("EvalDecisionDetails");
    WriteBoundaryDetail(c.xml, r);
    c.xml.Close("member");
    c.xml.Close("ResourceSpecificResults");
    c.xml.Close("member");
  }
  c.xml.Close("EvaluationResults");
  WritePageEnd(c.xml, *page, keys);
  return {};
}

Status AddResourcePolicy(Call& c, Simulation& sim) {
  auto text = c.p.OptStr("ResourcePolicy");
  if (!text) return {};
  auto compiled = policy::ParsePolicy(*text, policy::PolicyKind::kResource);
  if (!compiled) return std::unexpected(compiled.error());
  sim.keep.push_back(*compiled);
  sim.resource_policy = PolicySource{compiled->get(), "ResourcePolicy", PolicySourceType::kResource};
  return {};
}

// The principal, policies and boundary of PolicySourceArn (a user, group or role of this
// account, named exactly: path included).
Status LoadPrincipal(Call& c, Simulation& sim, std::string_view arn) {
  const model::PolicyOwner* owner = c.state.FindPrincipalByArn(arn);
  if (!owner)
    return Fail(ErrorCode::kNoSuchEntity, "PolicySourceArn " + std::string(arn) + " not found.");
  sim.principal_arn = std::string(c.state.OwnerArn(*owner));
  sim.principal.arn = sim.principal_arn;
  sim.principal.account = c.state.account_id();
  std::string_view boundary;
  switch (owner->kind) {
    case model::OwnerKind::kUser: {
      const auto& user = static_cast<const model::User&>(*owner);
      sim.principal.type = policy::PrincipalType::kIamUser;
      sim.AddOwner(user, PolicySourceType::kUser);
      for (const model::Group* g : user.groups) sim.AddOwner(*g, PolicySourceType::kGroup);
      boundary = user.rec.permissions_boundary_arn;
      break;
    }
    case model::OwnerKind::kRole: {
      const auto& role = static_cast<const model::Role&>(*owner);
      // A role acts through its sessions.
      sim.principal.type = policy::PrincipalType::kRoleSession;
      sim.role_arn = role.arn;
      sim.principal.role_arn = sim.role_arn;
      sim.AddOwner(role, PolicySourceType::kRole);
      boundary = role.rec.permissions_boundary_arn;
      break;
    }
    case model::OwnerKind::kGroup:
      sim.principal.type = policy::PrincipalType::kIamUser;
      sim.AddOwner(*owner, PolicySourceType::kGroup);
      break;
  }
  if (!boundary.empty()) {
    auto view = c.state.GetPolicy(boundary);
    if (!view || !AppendManagedPolicy(*view, ManagedId::kName, sim.boundary))
      sim.boundary.push_back(AllowsNothing());
  }
  return {};
}

void WriteContextKeys(Call& c, const std::vector<const policy::Policy*>& policies) {
  std::vector<std::string> keys = policy::ContextKeys(policies);
  if (keys.empty()) {
    c.xml.Empty("ContextKeyNames");
    return;
  }
  c.xml.Open("ContextKeyNames");
  for (const auto& k : keys) c.xml.Element("member", k);
  c.xml.Close("ContextKeyNames");
}

// The user, group or role that `arn` names, or AWS's error: NoSuchEntity (with the entity's
// usual message) for an ARN of this account's users, groups or roles that names none of them,
// InvalidInput for any other text.
Result<const model::PolicyOwner*> FindIdentityByArn(const model::State& state,
                                                    std::string_view arn) {
  if (const model::PolicyOwner* owner = state.FindPrincipalByArn(arn)) return owner;
  auto parts = ParseArn(arn);
  if (parts && parts->partition == "aws" && parts->service == "iam" && parts->region.empty() &&
      parts->account == state.account_id()) {
    const std::pair<std::string_view, std::string_view> kinds[] = {
        {kUserResource, "user"}, {kRoleResource, "role"}, {kGroupResource, "group"}};
    for (const auto& [type, word] : kinds)
      if (auto pn = SplitIamResource(parts->resource, type))
        return Fail(ErrorCode::kNoSuchEntity, "The " + std::string(word) + " with name " +
                                                  std::string(pn->name) + " cannot be found.");
  }
  return Fail(ErrorCode::kInvalidInput, "ARN " + std::string(arn) + " is not valid.");
}

// One permissions policy of the identity, as ListPoliciesGrantingServiceAccess lists it.
struct GrantingPolicy {
  const policy::Policy* policy;
  std::string_view name;
  std::string_view arn;          // managed policies only
  std::string_view entity_type;  // inline policies only: USER, ROLE or GROUP
  std::string_view entity_name;
};

// The managed policies attached to `owner` (each once in `out`), then its inline policies.
void AddGrantingPolicies(const model::PolicyOwner& owner, std::string_view entity_type,
                         std::string_view entity_name, std::vector<GrantingPolicy>& out) {
  for (const model::PolicyView& view : owner.attached_views) {
    if (std::any_of(out.begin(), out.end(),
                    [&](const GrantingPolicy& g) { return g.arn == view.arn(); }))
      continue;  // attached to the user and to one of its groups
    std::vector<PolicySource> compiled;
    if (AppendManagedPolicy(view, ManagedId::kArn, compiled))
      out.push_back({compiled[0].policy, view.name(), view.arn(), "", ""});
  }
  for (const auto& [key, p] : owner.inline_policies)
    if (p.compiled) out.push_back({p.compiled.get(), p.name, "", entity_type, entity_name});
}

}  // namespace

// For each service namespace asked (in the order asked, one page of them: MaxItems is not a
// parameter here, so pages hold the default 100), the policies of the identity that allow
// some action of the service. A user's are its own and its groups' (IAM API Reference,
// ListPoliciesGrantingServiceAccess); permissions boundaries are not listed.
Status ListPoliciesGrantingServiceAccess(Call& c) {
  auto owner = FindIdentityByArn(c.state, c.p.Str("Arn"));
  if (!owner) return std::unexpected(owner.error());
  std::vector<GrantingPolicy> policies;
  switch ((*owner)->kind) {
    case model::OwnerKind::kUser: {
      const auto& user = static_cast<const model::User&>(**owner);
      AddGrantingPolicies(user, "USER", user.rec.name, policies);
      for (const model::Group* g : user.groups) AddGrantingPolicies(*g, "GROUP", g->rec.name, policies);
      break;
    }
    case model::OwnerKind::kRole: {
      const auto& role = static_cast<const model::Role&>(**owner);
      AddGrantingPolicies(role, "ROLE", role.rec.name, policies);
      break;
    }
    case model::OwnerKind::kGroup: {
      const auto& group = static_cast<const model::Group&>(**owner);
      AddGrantingPolicies(group, "GROUP", group.rec.name, policies);
      break;
    }
  }
  const std::vector<std::string> services = c.p.StrList("ServiceNamespaces");
  return WritePage(c, PositionKeys(services.size()), "PoliciesGrantingServiceAccess",
                   [&](size_t i) {
                     c.xml.Open("member");
                     c.xml.Element("ServiceNamespace", services[i]);
                     bool any = false;
                     for (const GrantingPolicy& g : policies) {
                       if (!policy::AllowsSomeActionOf(*g.policy, services[i])) continue;
                       if (!any) c.xml.Open("Policies");
                       any = true;
                       c.xml.Open("member");
                       c.xml.Element("PolicyName", g.name);
                       c.xml.Element("PolicyType", g.arn.empty() ? "INLINE" : "MANAGED");
                       if (!g.arn.empty()) c.xml.Element("PolicyArn", g.arn);
                       if (!g.entity_type.empty()) {
                         c.xml.Element("EntityType", g.entity_type);
                         c.xml.Element("EntityName", g.entity_name);
                       }
                       c.xml.Close("member");
                     }
                     if (any)
                       c.xml.Close("Policies");
                     else
                       c.xml.Empty("Policies");
                     c.xml.Close("member");
                   });
}

Status SimulatePrincipalPolicy(Call& c) {
  Simulation sim;
  IAMD_TRY(LoadPrincipal(c, sim, c.p.Str("PolicySourceArn")));
  IAMD_TRY(sim.AddInputs(c.p, "PolicyInputList", PolicySourceType::kNone, sim.identity));
  if (c.p.Has("PermissionsBoundaryPolicyInputList")) {
    sim.boundary.clear();
    IAMD_TRY(sim.AddInputs(c.p, "PermissionsBoundaryPolicyInputList", PolicySourceType::kNone,
                           sim.boundary));
  }
  IAMD_TRY(AddResourcePolicy(c, sim));
  if (auto caller = c.p.OptStr("CallerArn")) {
    sim.principal_arn = *caller;
    sim.principal.arn = sim.principal_arn;
  }
  return RunSimulation(c, sim);
}

Status SimulateCustomPolicy(Call& c) {
  Simulation sim;
  IAMD_TRY(sim.AddInputs(c.p, "PolicyInputList", PolicySourceType::kNone, sim.identity));
  IAMD_TRY(sim.AddInputs(c.p, "PermissionsBoundaryPolicyInputList", PolicySourceType::kNone,
                         sim.boundary));
  IAMD_TRY(AddResourcePolicy(c, sim));
  // Without CallerArn the simulated caller is an IAM user of this account.
  sim.principal_arn = c.p.OptStr("CallerArn").value_or(
      IamArn(c.state.account_id(), kUserResource, "/", "SimulatedUser"));
  sim.principal.type = policy::PrincipalType::kIamUser;
  if (auto parts = ParseArn(sim.principal_arn)) {
    if (parts->service == "sts") sim.principal.type = policy::PrincipalType::kRoleSession;
    sim.principal.account = parts->account;
  }
  sim.principal.arn = sim.principal_arn;
  return RunSimulation(c, sim);
}

Status GetContextKeysForCustomPolicy(Call& c) {
  Simulation sim;
  IAMD_TRY(sim.AddInputs(c.p, "PolicyInputList", PolicySourceType::kNone, sim.identity));
  std::vector<const policy::Policy*> policies;
  for (const auto& s : sim.identity) policies.push_back(s.policy);
  WriteContextKeys(c, policies);
  return {};
}

Status GetContextKeysForPrincipalPolicy(Call& c) {
  Simulation sim;
  IAMD_TRY(LoadPrincipal(c, sim, c.p.Str("PolicySourceArn")));
  IAMD_TRY(sim.AddInputs(c.p, "PolicyInputList", PolicySourceType::kNone, sim.identity));
  std::vector<const policy::Policy*> policies;
  for (const auto& s : sim.identity) policies.push_back(s.policy);
  WriteContextKeys(c, policies);
  return {};
}

}  // namespace iamd::api
